"""Admin (HR) pages for members: the member list, a member's page and what admins may do to an account."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.actions import audit, list_filters
from kizuna.core.paging import paginate

from . import access, actions
from .access import admin_required
from .forms import AdminWithdrawForm, MemberFilterForm, RoleForm, SuspendForm


@admin_required
def member_list(request):
    form = MemberFilterForm(request.GET)
    filters = form.filters()
    page, query = paginate(request, access.search_listed_members(**filters))
    members = list(page)
    audit(request.user, "members.view_list", detail=list_filters(filters, page=page.number), request=request)
    return render(request, "members/member_list.html", {"form": form, "page": page, "members": members,
                                                         "query": query})


@admin_required
def member_detail(request, pk):
    member = access.listed_member_or_404(pk)
    audit(request.user, "member.view", member, request=request)
    return render(request, "members/member_detail.html", {
        "member": member,
        "record": getattr(member, "leaver_record", None),
        "invitations": member.invitations.all(),
        "application": getattr(member, "application", None),
        "role_form": RoleForm(initial={"role": member.role}),
        "suspend_form": SuspendForm(),
        "is_self": member.pk == request.user.pk,
    })


def _perform(request, pk, change, success):
    """Run one admin action on a member; a refusal is shown as an error message on the member's page."""
    member = access.listed_member_or_404(pk)
    try:
        change(member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("member_detail", pk=member.pk)


@admin_required
@require_POST
def member_change_role(request, pk):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a member type."))
        return redirect("member_detail", pk=pk)
    response = _perform(request, pk, lambda member: actions.do_change_role(
        request.user, member, form.cleaned_data["role"], request=request,
    ), _("The member type has been changed."))
    request.user.refresh_from_db(fields=["role"])
    # An admin who just gave up their own admin role can no longer open the member page.
    return response if request.user.is_admin else redirect("home")


@admin_required
@require_POST
def member_suspend(request, pk):
    form = SuspendForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _perform(request, pk, lambda member: actions.do_suspend(
        request.user, member, reason=reason, request=request,
    ), _("The account has been suspended and signed out everywhere."))


@admin_required
@require_POST
def member_reactivate(request, pk):
    return _perform(request, pk, lambda member: actions.do_reactivate(request.user, member, request=request),
                    _("The account has been reactivated."))


@admin_required
def member_withdraw(request, pk):
    """Process a deletion request on the member's behalf (confirmed, with where the request came from)."""
    member = access.listed_member_or_404(pk)
    form = AdminWithdrawForm(request.POST or None)
    blocked = ""
    try:
        actions.check_withdraw(member)
        if member.pk == request.user.pk:
            blocked = _("To withdraw yourself, use “Withdraw” on your account page.")
    except ValidationError as error:
        blocked = " ".join(error.messages)
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            actions.do_withdraw(member, request.user, form.cleaned_data["reason"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The deletion request has been processed: the member's personal data "
                                        "has been erased."))
            return redirect("member_list")
    return render(request, "members/member_withdraw.html", {"member": member, "form": form, "blocked": blocked})
