"""Who may see what in moderation. Moderators and admins read the queue; each item shows only what its
Reportable exposes. Members see nothing of the queue, and never who reported them."""

import secrets

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
        items = _waiting(moderator)
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


def _waiting(moderator):
    """Open items the moderator may decide: as in their queue, never items about themselves."""
    return Item.objects.exclude(state=Item.State.RESOLVED).exclude(owner=moderator)


def open_count(moderator) -> int:
    """Items waiting for this moderator (navigation badge); cached per moderator. Actions drop the
    generation key, which retires every moderator's count at once."""
    from .actions import QUEUE_COUNT_CACHE_KEY

    generation = cache.get_or_set(QUEUE_COUNT_CACHE_KEY, lambda: secrets.token_hex(4), None)
    key = f"{QUEUE_COUNT_CACHE_KEY}:{generation}:{moderator.pk}"
    count = cache.get(key)
    if count is None:
        count = _waiting(moderator).count()
        cache.set(key, count, 300)
    return count


def dashboard_cards(viewer):
    """(label, count, link) for the admin dashboard, counted as `viewer`'s queue shows them."""
    open_items = _waiting(viewer)
    url = reverse("moderation_queue")
    return [
        (_("Reports waiting"), open_items.filter(state=Item.State.REPORTED).count(), url + "?state=reported"),
        (_("Posts held by the word list"), open_items.filter(state=Item.State.HELD).count(), url + "?state=held"),
    ]
