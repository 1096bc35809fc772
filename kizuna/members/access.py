"""Who may see and do what with accounts. Views, the API and templates ask here."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import State, User


def _guard(check):
    """Decorator factory: anonymous → login redirect, signed in but not allowed → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def can_use_network(user) -> bool:
    return user.is_authenticated and user.state == State.ACTIVE


def can_administer(user) -> bool:
    return user.is_authenticated and user.is_admin


member_required = _guard(can_use_network)
admin_required = _guard(can_administer)
signed_in_required = _guard(lambda user: True)


def listed_members():
    """Accounts that admin member lists show: everyone who has not withdrawn."""
    return User.objects.exclude(state=State.WITHDRAWN)


def leaver_records():
    """HR leaver records as admins list them, with the latest invitation's status and expiry."""
    from django.db.models import OuterRef, Subquery

    from .models import Invitation, LeaverRecord

    latest = Invitation.objects.filter(record=OuterRef("pk")).order_by("-sent_at")
    return LeaverRecord.objects.select_related("member").annotate(
        invitation_status=Subquery(latest.values("status")[:1]),
        invitation_expires_at=Subquery(latest.values("expires_at")[:1]),
    )
