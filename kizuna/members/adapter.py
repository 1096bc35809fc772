from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils import translation

from kizuna.core.actions import do_queue_message
from kizuna.core.models import NetworkSettings

from . import actions
from .languages import remember_language


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up is only for current employees with a company address (forms.EmployeeSignupForm checks
    it); alumni are invited or apply."""

    def is_open_for_signup(self, request):
        # Without configured company domains nobody could pass the sign-up form: show the "closed" page.
        return bool(NetworkSettings.load().employee_domains)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        return actions.do_start_employee_signup(
            user, name=form.cleaned_data["name"], name_kana=form.cleaned_data["name_kana"],
            language=translation.get_language(),
        )

    def post_login(self, request, user, **kwargs):
        # Pages follow the language saved on the account (chosen on another device, or in the settings).
        response = super().post_login(request, user, **kwargs)
        if user.language in dict(settings.LANGUAGES):
            translation.activate(user.language)
            remember_language(response, user.language)
        return response

    def send_mail(self, template_prefix, email, context):
        # allauth's mails greet with the "site": that is the network, not the request's host name.
        network = NetworkSettings.load()
        site = SimpleNamespace(name=network.name, domain=urlsplit(settings.SITE_URL).netloc)
        context = {"request": allauth_context.request, "email": email, "current_site": site, "network": network,
                   **context}
        # Transactional mail goes out in the recipient's language, not the sender's.
        user = context.get("user")
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            message = self.render_mail(template_prefix, email, context)
        # Queued and delivered by the task worker like Kizuna's own mail (retried when the server fails).
        do_queue_message(message)

    def send_account_already_exists_mail(self, email):
        # Sign-up or application with a taken address: the page answers as for a new address, and
        # the owner gets a note that fits their account, in their language.
        actions.do_send_account_exists_note(email)
