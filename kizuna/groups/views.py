"""Group pages: the list, a group's page and members, joining and leaving, and the group admins' pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.paging import paginate
from kizuna.directory.access import DirectoryQuery, search
from kizuna.members.access import admin_required, member_required, profile_members, view_profiles
from kizuna.members.models import User

from . import access, actions, sections
from .forms import DecideForm, GroupFilterForm, GroupForm, InviteSearchForm, JoinForm, PolicyForm, RoleForm
from .models import Group, GroupPolicy, Membership

LIST_SIZE = 30
MEMBERS_PAGE = 48
MEMBERS_PREVIEW = 12
INVITE_RESULTS = 20


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@member_required
def group_list(request):
    form = GroupFilterForm(request.GET or None)
    mine = request.GET.get("show") == "mine"
    q = kind = ""
    if form.is_valid():
        q, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    groups = access.search_groups(request.user, q=q, kind=kind, mine=mine)
    page, query = paginate(request, groups, LIST_SIZE)
    return render(request, "groups/group_list.html", {
        "form": form, "page": page, "query": query, "mine": mine,
        "member_of": access.member_group_ids(request.user),
        "requested": access.requested_group_ids(request.user),
        "invitations": access.own_invitations(request.user) if not q else [],
        "can_create": access.may_create_any(request.user),
    })


@member_required
def group_new(request):
    if not access.may_create_any(request.user):
        raise PermissionDenied
    return _edit(request, Group())


@member_required
def group_edit(request, slug):
    group = access.access_group(request.user, slug)
    if not access.may_manage(request.user, group):
        raise PermissionDenied
    return _edit(request, group)


def _edit(request, group):
    form = GroupForm(request.POST or None, user=request.user, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.do_save_group(request.user, group, form.values(), request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The group has been saved."))
            return redirect("group_detail", slug=group.slug)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


def _member_views(viewer, memberships):
    """Profiles of the memberships' members as `viewer` sees them (a fixed number of queries)."""
    by_pk = {m.pk: m for m in profile_members().filter(pk__in=[ms.user_id for ms in memberships])}
    members = [by_pk[ms.user_id] for ms in memberships if ms.user_id in by_pk]
    roles = {ms.user_id: ms.role for ms in memberships}
    return [(view, roles[view.pk]) for view in view_profiles(viewer, members)]


@member_required
def group_detail(request, slug):
    group = access.access_group(request.user, slug)
    membership = access.current_membership(request.user, group)
    readable = access.may_read(request.user, group)
    counted = access.with_member_counts(request.user, Group.objects.filter(pk=group.pk)).values_list(
        "member_count", flat=True)
    context = {
        "group": group, "membership": membership, "readable": readable,
        "member_count": counted[0],
        "can_manage": access.may_manage(request.user, group),
        "sections": sections.sections_for(request, group),
        "join_form": JoinForm(),
    }
    if readable:
        preview = list(access.listed_members(request.user, group)[:MEMBERS_PREVIEW])
        context["members"] = _member_views(request.user, preview)
    if context["can_manage"]:
        context["request_count"] = access.pending_requests(request.user, group).count()
    return render(request, "groups/group_detail.html", context)


@member_required
def group_members(request, slug):
    group = access.access_group(request.user, slug)
    if not access.may_read(request.user, group):
        raise PermissionDenied
    page, query = paginate(request, access.listed_members(request.user, group), MEMBERS_PAGE)
    return render(request, "groups/group_members.html", {
        "group": group, "page": page, "query": query, "members": _member_views(request.user, list(page)),
    })


@member_required
@require_POST
def group_join(request, slug):
    group = access.access_group(request.user, slug)
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        membership = actions.do_join(request.user, group, message=message, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if membership.state == Membership.State.REQUESTED:
            messages.success(request, _("Your request has been sent. "
                                        "You will get an email when the group admins answer."))
        else:
            messages.success(request, _("Welcome to the group!"))
    return redirect("group_detail", slug=group.slug)


@member_required
@require_POST
def group_leave(request, slug):
    group = access.access_group(request.user, slug)
    try:
        actions.do_leave(request.user, group, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("group_detail", slug=group.slug)
    messages.success(request, _("You have left the group."))
    if group.privacy == Group.Privacy.SECRET:  # no longer visible once left
        return redirect("group_list")
    return redirect("group_detail", slug=group.slug)


@member_required
@require_POST
def group_decline_invitation(request, slug):
    group = access.access_group(request.user, slug)
    try:
        actions.do_decline_invitation(request.user, group, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have declined the invitation."))
    return redirect("group_list")


def _managed(request, slug):
    group = access.access_group(request.user, slug)
    if not access.may_manage(request.user, group):
        raise PermissionDenied
    return group


@member_required
def group_manage(request, slug):
    group = _managed(request, slug)
    search_form = InviteSearchForm(request.GET or None)
    found = []
    if search_form.is_valid() and search_form.cleaned_data["q"].strip():
        ids = search(request.user, DirectoryQuery(q=search_form.cleaned_data["q"])).member_ids(0, INVITE_RESULTS)
        involved = dict(Membership.objects.filter(group=group, user_id__in=ids).values_list("user_id", "state"))
        users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
        found = [(users[pk], involved.get(pk)) for pk in ids if pk in users]
    page, query = paginate(request, access.group_members(request.user, group), MEMBERS_PAGE)
    return render(request, "groups/group_manage.html", {
        "group": group, "requests": access.pending_requests(request.user, group),
        "invitations": access.open_invitations(request.user, group),
        "page": page, "query": query, "search_form": search_form, "found": found,
        "roles": Membership.Role.choices,
    })


@member_required
@require_POST
def group_decide(request, slug, pk):
    group = _managed(request, slug)
    membership = access.access_membership(group, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            actions.do_decide_request(request.user, membership, approve=form.cleaned_data["decision"] == "approve",
                                      request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The request has been answered. The member has been told by email."))
    return redirect("group_manage", slug=group.slug)


@member_required
@require_POST
def group_invite(request, slug):
    group = _managed(request, slug)
    member = User.objects.filter(pk=request.POST.get("member") if str(request.POST.get("member", "")).isdigit()
                                 else None).first()
    try:
        if member is None:
            raise ValidationError(_("This member cannot be invited."))
        actions.do_invite(request.user, group, member, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation has been sent by email."))
    return redirect("group_manage", slug=group.slug)


@member_required
@require_POST
def group_member_role(request, slug, pk):
    group = _managed(request, slug)
    membership = access.access_membership(group, pk)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a role."))
        actions.do_set_role(request.user, membership, form.cleaned_data["role"], request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role has been changed."))
    return redirect("group_manage", slug=group.slug)


@member_required
@require_POST
def group_member_remove(request, slug, pk):
    group = _managed(request, slug)
    membership = access.access_membership(group, pk)
    try:
        actions.do_remove_member(request.user, membership, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member has been removed from the group."))
    return redirect("group_manage", slug=group.slug)


@admin_required
@require_POST
def group_delete(request, slug):
    group = access.access_group(request.user, slug)
    actions.do_delete_group(request.user, group, request=request)
    messages.success(request, _("The group has been deleted."))
    return redirect("group_list")


@admin_required
def group_policy(request):
    policy = GroupPolicy.load()
    # An unticked box sends nothing: the form is bound on every POST, even an empty one.
    form = PolicyForm(request.POST if request.method == "POST" else None,
                      initial={"members_may_create": policy.members_may_create})
    if request.method == "POST" and form.is_valid():
        actions.do_set_policy(request.user, members_may_create=form.cleaned_data["members_may_create"],
                              request=request)
        messages.success(request, _("The settings have been saved."))
        return redirect("group_policy")
    return render(request, "groups/policy.html", {"form": form, "tab": "groups"})
