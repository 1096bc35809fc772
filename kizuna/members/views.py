import json

from allauth.account import app_settings as allauth_settings
from allauth.account.internal.flows import signup as signup_flows
from allauth.account.utils import complete_signup, perform_login
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kizuna.core.actions import audit, list_filters
from kizuna.core.models import NetworkSettings, RegistrationMode

from . import actions, export, matching
from .access import (
    admin_required,
    applications_with_email_state,
    invitable_records,
    member_required,
    needs_guidelines_acceptance,
    signed_in_required,
)
from .forms import (
    ApplicationFilterForm,
    ApplicationForm,
    ApproveForm,
    InvitationAcceptForm,
    InvitationFilterForm,
    OwnDetailsForm,
    RejectForm,
    WithdrawForm,
)
from .models import Application, Invitation, InvitationBatch, LeaverRecord

PAGE_SIZE = 50


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


# --- Invitation acceptance ---------------------------------------------------------------------

def invitation_accept(request, token):
    try:
        invitation = actions.check_invitation_link(token)
    except ValidationError as error:
        return _unusable_invitation(request, error.code)
    invitee = invitation.user
    context = {"invitation": invitation, "invitee": invitee}
    if request.user.is_authenticated:
        # Accepting would switch this browser to another account: ask to log out first.
        return render(request, "members/invitation_accept.html", {**context, "signed_in": True})
    form = InvitationAcceptForm(request.POST or None, user=invitee, language=_current_language())
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            actions.do_accept_invitation(
                invitation, name=form.cleaned_data["name"], name_kana=form.cleaned_data["name_kana"],
                language=language, password=form.cleaned_data["password1"], request=request,
            )
        except ValidationError as error:
            return _unusable_invitation(request, error.code)
        with translation.override(language):
            messages.success(request, _("Welcome! Your registration is complete."))
        response = perform_login(request, invitee, email_verification=allauth_settings.EMAIL_VERIFICATION,
                                 redirect_url=reverse("home"))
        _remember_language(response, language)
        return response
    return render(request, "members/invitation_accept.html", {**context, "form": form})


def _unusable_invitation(request, problem):
    status = 404 if problem == "invalid" else 410
    return render(request, "members/invitation_unusable.html", {"problem": problem}, status=status)


def _remember_language(response, language):
    """The chosen language applies to the screens at once, as the language switch would."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


# --- Applications (the applicant's side) -------------------------------------------------------

def apply(request):
    if request.user.is_authenticated:
        return redirect("application_status" if hasattr(request.user, "application") else "home")
    if NetworkSettings.load().registration_mode != RegistrationMode.APPLICATION:
        return render(request, "members/apply_closed.html")
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not ratelimit.consume(request, action="apply"):
            form.add_error(None, _("Too many applications were sent from your network. Please try again later."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user = actions.do_apply(
                    email=data["email"], password=data["password1"], name=data["name"], name_kana=data["name_kana"],
                    language=_current_language(), former_email=data["former_email"],
                    employee_number=data["employee_number"], joined_year=data["joined_year"],
                    left_year=data["left_year"], department=data["department"], message=data["message"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you for applying. Please confirm your email address with the "
                                            "link we have just sent you; HR will then review your application."))
                if user is None:
                    # The address is taken: the same answer as for a new one (allauth's enumeration
                    # prevention), and its owner gets a note instead of a confirmation link.
                    return signup_flows.prevent_enumeration(request, email=data["email"].strip().lower())
                return complete_signup(request, user, allauth_settings.EMAIL_VERIFICATION,
                                       reverse("application_status"))
    return render(request, "members/apply.html", {"form": form}, status=status)


def _current_language():
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@signed_in_required
def application_status(request):
    application = Application.objects.filter(user=request.user).select_related("user").first()
    if application is None:
        return redirect("home")
    return render(request, "members/application_status.html", {"application": application})


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
            _remember_language(response, user.language)
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
# --- Invitations (HR) --------------------------------------------------------------------------

INVITATION_STATUS_BADGES = {
    "not_invited": ("", pgettext_lazy("invitation status", "Not invited")),
    "open": ("accent", pgettext_lazy("invitation status", "Invited")),
    "expired": ("warn", pgettext_lazy("invitation status", "Expired")),
    "revoked": ("danger", pgettext_lazy("invitation status", "Revoked")),
    "accepted": ("ok", pgettext_lazy("invitation status", "Registered")),
}


def _invitation_status(latest):
    if latest is None:
        return "not_invited"
    if latest.status == Invitation.Status.ACCEPTED:
        return "accepted"
    if latest.status == Invitation.Status.REVOKED:
        return "revoked"
    return "expired" if latest.is_expired else "open"


@admin_required
def invitation_list(request):
    if request.method == "POST":
        return _invite_from_list(request)
    filters = InvitationFilterForm(request.GET or None)
    records = filters.filter(LeaverRecord.objects.select_related("member")).prefetch_related(
        Prefetch("invitation_set", queryset=Invitation.objects.order_by("-sent_at", "-pk"), to_attr="invitations"))
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for record in page:
        latest = record.invitations[0] if record.invitations else None
        status = _invitation_status(latest)
        badge, label = INVITATION_STATUS_BADGES[status]
        rows.append({"record": record, "invitation": latest, "status": status, "badge": badge, "label": label})
    audit(request.user, "invitations.view_list", request=request,
          detail=list_filters(request.GET.dict(), page=page.number))
    return render(request, "members/invitation_list.html", {
        "filters": filters, "page": page, "rows": rows, "query": _query_without_page(request),
        "invitable_count": invitable_records().count(),
        "batch": InvitationBatch.objects.select_related("created_by").first(),
    })


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _back(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(default)


def _invite_from_list(request):
    if "invite_all" in request.POST:
        try:
            actions.do_start_invitation_batch(request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Invitations are being sent in the background. You can follow the "
                                        "progress on this page."))
        return redirect(_back(request, "invitation_list"))
    ids = [request.POST["invite_one"]] if request.POST.get("invite_one") else request.POST.getlist("record")
    ids = [pk for pk in ids if pk.isdigit()][:PAGE_SIZE * 2]
    if not ids:
        messages.error(request, _("Select the people to invite."))
        return redirect(_back(request, "invitation_list"))
    records = LeaverRecord.objects.filter(pk__in=ids).select_related("member").order_by("pk")
    sent, skipped = actions.do_invite_many(request.user, records, request=request)
    if sent:
        messages.success(request, ngettext("%(count)d invitation sent.", "%(count)d invitations sent.",
                                           len(sent)) % {"count": len(sent)})
    for record, reason in skipped:
        messages.warning(request, _("Not invited: %(record)s — %(reason)s") % {"record": record, "reason": reason})
    return redirect(_back(request, "invitation_list"))


@admin_required
def invitation_batch(request, pk):
    batch = get_object_or_404(InvitationBatch.objects.select_related("created_by"), pk=pk)
    return render(request, "members/invitation_batch_partial.html", {"batch": batch})


@admin_required
@require_POST
def invitation_resend(request, pk):
    return _change_invitation(request, pk, actions.do_resend_invitation, _("The invitation was sent again."))


@admin_required
@require_POST
def invitation_revoke(request, pk):
    return _change_invitation(request, pk, actions.do_revoke_invitation, _("The invitation was revoked."))


def _change_invitation(request, pk, action, done_message):
    invitation = get_object_or_404(Invitation.objects.select_related("user"), pk=pk)
    try:
        action(request.user, invitation, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message)
    return redirect(_back(request, "invitation_list"))


# --- Applications (HR) -------------------------------------------------------------------------

@admin_required
def application_list(request):
    filters = ApplicationFilterForm(request.GET or None)
    applications = filters.filter(applications_with_email_state())
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    candidates = matching.candidates_for(page.object_list)
    rows = [{"application": a, "best": (candidates.get(a.pk) or [None])[0]} for a in page]
    audit(request.user, "applications.view_list", request=request,
          detail=list_filters(request.GET.dict(), page=page.number))
    return render(request, "members/application_list.html", {
        "filters": filters, "page": page, "rows": rows, "query": _query_without_page(request),
    })


def _application_page(request, application, *, approve_form=None, reject_form=None, status=200):
    candidates = matching.candidates_for([application])[application.pk]
    confident = candidates and candidates[0].score >= matching.CONFIDENT
    return render(request, "members/application_detail.html", {
        "application": application, "candidates": candidates,
        "approve_form": approve_form or ApproveForm(initial={"record": candidates[0].record.pk if confident else None}),
        "reject_form": reject_form or RejectForm(),
    }, status=status)


def _get_application(pk):
    return get_object_or_404(applications_with_email_state(), pk=pk)


@admin_required
def application_detail(request, pk):
    application = _get_application(pk)
    audit(request.user, "application.view", application.user, request=request)
    return _application_page(request, application)


@admin_required
@require_POST
def application_approve(request, pk):
    application = _get_application(pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            actions.do_approve_application(request.user, application, record=form.cleaned_data["record"],
                                           message=form.cleaned_data["message"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was approved and told by email.") % {"name": application.name})
            return redirect("application_list")
    return _application_page(request, application, approve_form=form, status=400)


@admin_required
@require_POST
def application_reject(request, pk):
    application = _get_application(pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            actions.do_reject_application(request.user, application, message=form.cleaned_data["message"],
                                          request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The application of %(name)s was declined; they were told by email and "
                                        "their data was deleted.") % {"name": application.name})
            return redirect("application_list")
    return _application_page(request, application, reject_form=form, status=400)
