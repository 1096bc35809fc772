"""Read helpers for the top page, the admin dashboard and the admin settings pages."""

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.members.models import Application, Invitation, LeaverRecord, Role, State, User

from .audit_labels import action_label
from .models import AuditLog, Department


def home_context(user):
    context = {}
    if user.is_authenticated and user.state == State.PENDING:
        context["application"] = Application.objects.filter(user=user).first()
    return context


def admin_dashboard():
    by_state = dict(User.objects.values_list("state").annotate(n=Count("id")))
    return {
        "members_by_state": [(label, by_state.get(value, 0)) for value, label in State.choices
                             if value != State.WITHDRAWN],
        "pending_applications": Application.objects.filter(status=Application.Status.PENDING).count(),
        "open_invitations": Invitation.objects.filter(status=Invitation.Status.SENT).count(),
        "leaver_records": LeaverRecord.objects.count(),
        "eligible_not_invited": LeaverRecord.objects.filter(eligible=True, member__isnull=True,
                                                            opted_out=False).count(),
    }


def dashboard_cards(viewer):
    """(label, count, link to the list of exactly those people); pending and invited members are the
    applications and invitations HR has to act on, so they are not counted twice. `viewer`: the admin
    reading them (the moderation queue never counts items about its reader)."""
    by_state = dict(User.objects.values_list("state").annotate(n=Count("id")))
    state_lists = {
        State.INVITED: reverse("invitation_list") + "?status=open",
        State.PENDING: reverse("application_list"),
        State.ACTIVE: reverse("member_list") + "?state=active",
        State.SUSPENDED: reverse("member_list") + "?state=suspended",
    }
    cards = [(label, by_state.get(value, 0), state_lists[value]) for value, label in State.choices
             if value in state_lists]
    cards.append((_("Leaver data"), LeaverRecord.objects.count(), reverse("leaver_list")))
    cards.append((_("Eligible, not yet invited"),
                  LeaverRecord.objects.filter(eligible=True, member__isnull=True, opted_out=False).count(),
                  reverse("invitation_list") + "?status=not_invited"))
    # Apps that build on core add their own cards (imported here: core does not depend on them).
    from kizuna.events.access import dashboard_cards as event_cards
    from kizuna.jobs.access import dashboard_cards as job_cards
    from kizuna.moderation.access import dashboard_cards as moderation_cards

    return cards + event_cards() + job_cards() + moderation_cards(viewer)


def department_tree(queryset=None):
    """Departments in tree order (parents before children, siblings by name), each with `.level` set."""
    nodes = list(Department.objects.all() if queryset is None else queryset)
    children = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered, stack = [], [(node, 0) for node in sorted(children.get(None, []), key=_by_name, reverse=True)]
    while stack:
        node, level = stack.pop()
        node.level = level
        ordered.append(node)
        stack.extend((child, level + 1) for child in sorted(children.get(node.pk, []), key=_by_name, reverse=True))
    return ordered


def _by_name(department):
    # Code-point order: kanji names do not sort in 五十音 order without a stored reading, which departments lack.
    return department.name


AUDIT_CHOICES_CACHE_KEY = "kizuna:audit-filter-choices"


def audit_filter_choices(current_actor=""):
    """Options of the audit log filters: actions and target types seen (cached), staff as actors."""
    cached = cache.get(AUDIT_CHOICES_CACHE_KEY)
    if cached is None:
        logged = AuditLog.objects.order_by()
        actions = sorted(logged.values_list("action", flat=True).distinct())
        target_types = sorted(logged.exclude(target_type="").values_list("target_type", flat=True).distinct())
        cached = (actions, target_types)
        cache.set(AUDIT_CHOICES_CACHE_KEY, cached, 300)
    actions, target_types = cached
    staff = Q(role__in=[Role.ADMIN, Role.MODERATOR]) & ~Q(state=State.WITHDRAWN)
    if current_actor.isdigit():
        staff |= Q(pk=int(current_actor))  # an actor reached through a link keeps its name in the select
    actors = [(user.pk, str(user)) for user in User.objects.filter(staff).order_by("kana_key", "name_key", "pk")]
    return {
        "actors": actors,
        "actions": [(code, action_label(code)) for code in actions],
        "target_types": target_types,
    }
