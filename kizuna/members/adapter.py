from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils import translation
from django.utils.translation import gettext as _

from kizuna.core.models import NetworkSettings

from . import actions


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up is only for current employees with a company address; alumni are invited or apply."""

    def clean_email(self, email):
        email = super().clean_email(email)
        domains = NetworkSettings.load().employee_domains
        if email_domain(email) not in domains:
            raise forms.ValidationError(
                _("Sign-up here is for current employees with a company email address. "
                  "Former employees can apply to join or use the link in their invitation.")
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        return actions.do_start_employee_signup(
            user, name=form.cleaned_data["name"], name_kana=form.cleaned_data["name_kana"]
        )

    def send_mail(self, template_prefix, email, context):
        # Transactional mail goes out in the recipient's language, not the sender's.
        user = context.get("user")
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            super().send_mail(template_prefix, email, context)
