"""Who may see what in moderation. Moderators and admins read the queue; each item shows only what its
Reportable exposes. Members see nothing of the queue, and never who reported them."""

from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.members.access import _guard

from . import registry
from .models import Item, Report, Word


def is_moderator(user) -> bool:
    return user.is_authenticated and user.is_moderator


moderator_required = _guard(is_moderator)


def queue(moderator, *, state="open", kind=""):
    """Queue items for `moderator`: never items about their own content or profile."""
    items = Item.objects.exclude(owner=moderator)
    if state == "open":
        items = items.exclude(state=Item.State.RESOLVED)
    elif state in Item.State.values:
        items = items.filter(state=state)
    if kind:
        items = items.filter(kind=kind)
    return items.select_related("owner", "resolved_by")


def access_item(moderator, pk):
    try:
        return queue(moderator, state="all").get(pk=pk)
    except (Item.DoesNotExist, ValueError):
        raise Http404 from None


def item_view(item):
    """What a moderator sees of an item: the Reportable's excerpt (or chat context), its link and the
    reports. None of the object's other fields."""
    reportable = registry.get(item.kind)
    obj = reportable.get(item.object_id)
    view = {"label": reportable.label, "exists": obj is not None, "excerpt": "", "context": None, "url": None}
    if obj is not None:
        view["excerpt"] = reportable.excerpt(obj)
        view["context"] = reportable.context(obj) if reportable.context else None
        view["url"] = reportable.url(obj)
    return view


def reports_of(item):
    return Report.objects.filter(item=item).select_related("reporter")


def own_report(user, kind, object_id):
    if not user.is_authenticated:
        return None
    return Report.objects.filter(reporter=user, kind=kind, object_id=object_id).first()


def words():
    return Word.objects.select_related("created_by")


def open_count() -> int:
    """Items waiting for a moderator (navigation badge, dashboard); cached, dropped by actions."""
    from .actions import QUEUE_COUNT_CACHE_KEY

    count = cache.get(QUEUE_COUNT_CACHE_KEY)
    if count is None:
        count = Item.objects.exclude(state=Item.State.RESOLVED).count()
        cache.set(QUEUE_COUNT_CACHE_KEY, count, 300)
    return count


def dashboard_cards():
    """(label, count, link) for the admin dashboard."""
    open_items = Item.objects.exclude(state=Item.State.RESOLVED)
    url = reverse("moderation_queue")
    return [
        (_("Reports waiting"), open_items.filter(state=Item.State.REPORTED).count(), url + "?state=reported"),
        (_("Posts held by the word list"), open_items.filter(state=Item.State.HELD).count(), url + "?state=held"),
    ]
