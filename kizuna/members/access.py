"""Who may see and do what with accounts. Views, the API and templates ask here."""

from functools import wraps

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404

from kizuna.core.text import normalize

from .models import ApiToken, Application, Block, CareerEntry, LeaverRecord, State, User
from .profiles import EVERY_LEVEL, LEVELS_SEEN_BY, audience_of, custom_fields, view_profile, visibility_rules


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


def search_listed_members(*, q="", role="", state="", sort="reading"):
    """The admin member list: search over name, reading and email (normalised), filters and order."""
    members = listed_members().select_related("company", "department")
    if q:
        key = normalize(q)
        members = members.filter(Q(name_key__contains=key) | Q(kana_key__contains=key) | Q(email__icontains=q))
    if role:
        members = members.filter(role=role)
    if state:
        members = members.filter(state=state)
    if sort == "newest":
        return members.order_by("-date_joined", "-pk")
    # 五十音順 by reading; members without a reading sort by their name among them.
    return members.order_by(Coalesce(NullIf("kana_key", Value("")), "name_key"), "name_key", "pk")


def listed_member_or_404(pk):
    """A member an admin may open: withdrawn accounts no longer exist as far as pages are concerned."""
    return get_object_or_404(listed_members().select_related("company", "department"), pk=pk)
def needs_mfa_setup(user) -> bool:
    """Admins must set up TOTP before using admin functions (not required in the demo network)."""
    if not (settings.KIZUNA_ADMIN_MFA_REQUIRED and user.is_authenticated and user.is_admin):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_guidelines_acceptance(user) -> bool:
    """An active member who has not accepted the current version of the community guidelines."""
    from kizuna.core.models import NetworkSettings

    return (user.is_authenticated and user.state == State.ACTIVE
            and user.guidelines_version < NetworkSettings.load().guidelines_version)


def own_api_tokens(user):
    return ApiToken.objects.filter(user=user)


def access_own_api_token(user, pk):
    """A token of the signed-in member; anyone else's token is 404, as if it did not exist."""
    return get_object_or_404(own_api_tokens(user), pk=pk)
def leaver_records():
    """HR leaver records as admins list them, with the latest invitation's status and expiry."""
    from django.db.models import OuterRef, Subquery

    from .models import Invitation, LeaverRecord

    latest = Invitation.objects.filter(record=OuterRef("pk")).order_by("-sent_at")
    return LeaverRecord.objects.select_related("member").annotate(
        invitation_status=Subquery(latest.values("status")[:1]),
        invitation_expires_at=Subquery(latest.values("expires_at")[:1]),
    )
def invitable_records():
    """HR records whose person may be invited (eligible, with an address) and has not been invited yet."""
    return (LeaverRecord.objects.filter(eligible=True, member__isnull=True, opted_out=False, excluded=False)
            .exclude(email=""))


def applications_with_email_state():
    """Applications annotated with `email_verified` (HR reviews only confirmed addresses)."""
    verified = EmailAddress.objects.filter(user=OuterRef("user"), verified=True)
    return Application.objects.select_related("user", "record").annotate(email_verified=Exists(verified))


APPLICATIONS_WAITING_CACHE_KEY = "kizuna:applications-waiting"


def applications_waiting_count():
    """Applications HR can decide now (shown in the admin menu); cached, dropped by actions."""
    count = cache.get(APPLICATIONS_WAITING_CACHE_KEY)
    if count is None:
        count = applications_with_email_state().filter(
            status=Application.Status.PENDING, email_verified=True).count()
        cache.set(APPLICATIONS_WAITING_CACHE_KEY, count, 300)
    return count


def blocked_ids(viewer) -> frozenset:
    """Members who blocked the viewer or whom the viewer blocked: each side disappears for the other.
    Kept on the viewer object for the rest of the request (actions that block drop it)."""
    if not viewer.is_authenticated:
        return frozenset()
    cached = getattr(viewer, "_kizuna_blocked_ids", None)
    if cached is None:
        pairs = Block.objects.filter(Q(blocker=viewer) | Q(blocked=viewer)).values_list("blocker_id", "blocked_id")
        cached = frozenset(pk for pair in pairs for pk in pair) - {viewer.pk}
        viewer._kizuna_blocked_ids = cached
    return cached


def is_blocked_between(viewer, member) -> bool:
    return member.pk in blocked_ids(viewer)


def profile_members():
    """Members with everything a profile view needs, in a fixed number of queries for any list."""
    return (User.objects.select_related("profile", "company", "department")
            .prefetch_related(Prefetch("career", CareerEntry.objects.select_related("company", "department")),
                              "custom_values", "profile__skills"))


def seen_levels(viewer, member):
    """The visibility levels of `member`'s values that `viewer` may see."""
    return EVERY_LEVEL if viewer.pk == member.pk else LEVELS_SEEN_BY[audience_of(viewer)]


def view_profiles(viewer, members):
    """ProfileViews of `members` (from profile_members()) as `viewer` sees them, in the same order."""
    fields = custom_fields()
    rules = visibility_rules(fields)
    return [view_profile(m, seen=seen_levels(viewer, m), rules=rules, fields=fields) for m in members]


def access_profile(viewer, pk):
    """The profile page's member: active, and not blocked either way; anything else is a 404.
    Members hidden from the directory keep their page, reached from their posts and messages."""
    member = get_object_or_404(profile_members().filter(state=State.ACTIVE), pk=pk)
    if is_blocked_between(viewer, member):
        raise Http404
    return member


def access_photo(viewer, pk):
    """The profile whose photo `viewer` may see: the member's page is open to them and the photo's
    visibility includes them (the owner always). Anything else is a 404, like a page that does not exist."""
    from .models import Profile

    member = get_object_or_404(User.objects.select_related("profile").filter(state=State.ACTIVE), pk=pk)
    if is_blocked_between(viewer, member):
        raise Http404
    try:
        profile = member.profile
    except Profile.DoesNotExist:
        raise Http404 from None
    # Only the built-in rules are needed for the photo: no custom fields, no query for them.
    level = visibility_rules(fields=[])["photo"].effective((profile.visibility or {}).get("photo"))
    if not profile.photo or level not in seen_levels(viewer, member):
        raise Http404
    return profile


def blocks_made(viewer):
    """The members `viewer` has blocked, newest first (the blocks page)."""
    return Block.objects.filter(blocker=viewer).select_related("blocked")


def access_own_block(viewer, pk):
    """The viewer's block of member `pk`; a block made by someone else (or none) is a 404."""
    return get_object_or_404(blocks_made(viewer), blocked_id=pk)
