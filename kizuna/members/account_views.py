"""The member's own account: the overview, accepting the guidelines, and their data rights (correct their
details, download their data, withdraw)."""

import json

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kizuna.core.models import NetworkSettings

from . import actions, export
from .access import member_required, needs_guidelines_acceptance, signed_in_required
from .forms import OwnDetailsForm, WithdrawForm
from .languages import remember_language


@signed_in_required
def account(request):
    return render(request, "members/account.html")


@member_required
def guidelines_accept(request):
    """Accept a new version of the community guidelines (the middleware sends members here)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("home")
    if not needs_guidelines_acceptance(request.user):
        return redirect(next_url)
    error = ""
    if request.method == "POST":
        try:
            actions.do_accept_guidelines(request.user, _int(request.POST.get("version")), request=request)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Thank you for accepting the community guidelines."))
            return redirect(next_url)
    return render(request, "members/guidelines_accept.html", {
        "next": next_url, "version": NetworkSettings.load().guidelines_version, "error": error,
    })


def _int(value):
    return int(value) if (value or "").isdigit() else 0


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
            remember_language(response, user.language)
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


@require_POST
def set_language(request):
    """Django's language switch; a signed-in member's choice is also kept on their account, for their email
    and their next login."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        actions.do_set_own_language(request.user, request.POST.get("language"))
    return response
