import json

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import actions, export
from .access import signed_in_required
from .forms import OwnDetailsForm, WithdrawForm


@signed_in_required
def account(request):
    return render(request, "members/account.html")


def apply(request):
    return render(request, "members/apply.html")


@signed_in_required
def application_status(request):
    return render(request, "members/application_status.html")


def invitation_accept(request, token):
    return render(request, "members/invitation_accept.html")


@signed_in_required
def account_edit(request):
    user = request.user
    form = OwnDetailsForm(request.POST or None, initial={
        "name": user.name, "name_kana": user.name_kana, "language": user.language,
    })
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_own_details(user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            with translation.override(user.language):
                messages.success(request, _("Your details have been saved."))
            response = redirect("account")
            # The chosen language applies to the screens at once, as the language switch would.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.language, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    return render(request, "members/account_edit.html", {"form": form})


@signed_in_required
@never_cache
def account_data(request):
    return render(request, "members/account_data.html", {"sections": export.member_sections(request.user)})


@signed_in_required
@never_cache
def account_data_json(request):
    actions.do_record_data_export(request.user, request=request)
    body = json.dumps(export.member_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y%m%d}.json"'
    return response


@signed_in_required
def account_withdraw(request):
    user = request.user
    try:
        actions.check_withdraw(user)
    except ValidationError as error:
        return render(request, "members/withdraw.html", {"blocked": " ".join(error.messages)})
    form = WithdrawForm(request.POST or None, user=user)
    if request.method == "POST":
        # Same limit as allauth's re-authentication: the password field must not become a guessing oracle.
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form.add_error(None, _("Too many attempts. Please wait a minute and try again."))
        elif form.is_valid():
            actions.do_withdraw(user, user, form.cleaned_data["reason"], request=request)
            logout(request)
            return render(request, "members/withdrawn.html")
    return render(request, "members/withdraw.html", {"form": form})
