"""Invitations: the invitee's page behind the link, and HR's list where invitations are sent, sent again
and revoked (one by one, a page at a time, or to everyone eligible in the background)."""

from allauth.account import app_settings as allauth_settings
from allauth.account.utils import perform_login
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from kizuna.core.actions import audit, list_filters
from kizuna.core.paging import PAGE_SIZE, paginate

from . import actions
from .access import admin_required, invitable_records
from .forms import InvitationAcceptForm, InvitationFilterForm
from .languages import current_language, remember_language
from .models import Invitation, InvitationBatch, LeaverRecord

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
    form = InvitationAcceptForm(request.POST or None, user=invitee, language=current_language())
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
        remember_language(response, language)
        return response
    return render(request, "members/invitation_accept.html", {**context, "form": form})


def _unusable_invitation(request, problem):
    status = 404 if problem == "invalid" else 410
    return render(request, "members/invitation_unusable.html", {"problem": problem}, status=status)


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
    page, query = paginate(request, records)
    rows = []
    for record in page:
        latest = record.invitations[0] if record.invitations else None
        status = _invitation_status(latest)
        badge, label = INVITATION_STATUS_BADGES[status]
        rows.append({"record": record, "invitation": latest, "status": status, "badge": badge, "label": label})
    audit(request.user, "invitations.view_list", request=request,
          detail=list_filters(request.GET.dict(), page=page.number))
    return render(request, "members/invitation_list.html", {
        "filters": filters, "page": page, "rows": rows, "query": query,
        "invitable_count": invitable_records().count(),
        "batch": InvitationBatch.objects.select_related("created_by").first(),
    })


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
