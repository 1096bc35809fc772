"""Members' profile pages (/members/<id>/): the page, its photo, and blocking someone from it.

Pages show only the ProfileView built for the viewer: what the viewer may not see is never in it.
"""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kizuna.core.actions import audit
from kizuna.core.images import private_image_response

from . import access, actions
from .access import member_required
from .models import Visibility
from .profiles import LEVELS_SEEN_BY, Audience, custom_fields, levels_of, view_profile, visibility_rules

# The owner's "see your profile as …" switch: ?as=alumni|employees|admins, and what the page then says.
PREVIEWS = [(Audience.ALUMNI, Audience.ALUMNI.label), (Audience.EMPLOYEES, Audience.EMPLOYEES.label),
            (Audience.ADMINS, Audience.ADMINS.label)]
PREVIEW_NOTES = {
    Audience.ALUMNI: gettext_lazy("This is your profile as alumni see it: what they may not see is left out."),
    Audience.EMPLOYEES: gettext_lazy("This is your profile as employees see it: what they may not see is left out."),
    Audience.ADMINS: gettext_lazy("This is your profile as HR sees it: everything except what you set to “Only me”."),
}


@member_required
def member_profile(request, pk):
    viewer = request.user
    member = access.access_profile(viewer, pk)
    is_owner = member.pk == viewer.pk
    fields = custom_fields()
    rules = visibility_rules(fields)
    preview = request.GET.get("as", "") if is_owner else ""
    if preview in Audience.values:
        seen = LEVELS_SEEN_BY[Audience(preview)]
    else:
        preview, seen = "", access.seen_levels(viewer, member)
    view = view_profile(member, seen=seen, rules=rules, fields=fields)
    levels = {}
    if is_owner and not preview:
        # The owner's own page says beside each value who else can see it.
        labels = dict(Visibility.choices)
        levels = {key: labels[level] for key, level in levels_of(member, rules).items()}
    elif viewer.is_admin and not is_owner:
        # HR sees values members do not: an admin's read of personal data is logged like any other.
        audit(viewer, "member.view_profile", member, request=request)
    return render(request, "members/profile.html", {
        "view": view, "is_owner": is_owner, "preview": preview, "previews": PREVIEWS, "levels": levels,
        "preview_note": PREVIEW_NOTES.get(preview, ""), "can_block": _can_block(viewer, member),
        "has_details": _has_details(view),
    })


DETAILS = ("department", "company", "joined_on", "left_on", "current_company", "current_title", "industry",
           "location", "skills", "bio", "links", "languages", "purposes", "career", "custom")


def _has_details(view):
    return any(getattr(view, key) for key in DETAILS)


def _can_block(viewer, member):
    try:
        actions.check_block(viewer, member)
    except ValidationError:
        return False
    return True


# Opened on its own, a JPEG is shown by the browser's image viewer, which styles itself inline; the policy of
# this one response (an image: nothing to inject into) lets it, and allows nothing else.
@csp_replace({"default-src": ["'none'"], "img-src": ["'self'"], "style-src": ["'unsafe-inline'"]})
@member_required
def member_photo(request, pk):
    """The photo, only for viewers its visibility includes (not cached: see core.images)."""
    return private_image_response(request, access.access_photo(request.user, pk).photo)


@member_required
@require_POST
def member_block(request, pk):
    member = access.access_profile(request.user, pk)
    try:
        actions.do_block(request.user, member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("member_profile", pk=member.pk)
    messages.success(request, _("You have blocked %(name)s. You no longer see each other in the network.") % {
        "name": member.name})
    return redirect("block_list")


@member_required
@require_POST
def member_unblock(request, pk):
    block = access.access_own_block(request.user, pk)
    actions.do_unblock(request.user, block.blocked)
    messages.success(request, _("You have unblocked %(name)s.") % {"name": block.blocked.name})
    return redirect("block_list")
