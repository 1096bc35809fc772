"""What can be reported. Each app registers its kinds from its AppConfig.ready():

    registry.register(Reportable(kind="post", model=Post, label=_("Post"), owner=lambda p: p.author, …))

The moderation queue reaches objects only through these functions, so a moderator sees what `excerpt`
(and, for chat, `context`) expose and nothing more."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class Reportable:
    kind: str
    model: type
    label: str
    owner: Callable  # obj -> User (or None once the author withdrew)
    excerpt: Callable  # obj -> str: what moderators read
    url: Callable  # obj -> str | None: where the object lives (for moderators)
    visible_to: Callable  # (user, obj) -> bool: a reporter must be able to see what they report
    context: Callable | None = None  # obj -> [{"author", "text", "created_at", "reported"}] or None
    set_hidden: Callable | None = None  # (obj, hidden: bool) -> None
    remove: Callable | None = None  # obj -> None

    def get(self, object_id):
        """The object, or None when it no longer exists."""
        return self.model._default_manager.filter(pk=object_id).first()


_kinds: dict[str, Reportable] = {}


def register(reportable: Reportable):
    _kinds[reportable.kind] = reportable


def get(kind) -> Reportable:
    try:
        return _kinds[kind]
    except KeyError:
        raise Http404 from None


def for_object(obj) -> Reportable | None:
    for reportable in _kinds.values():
        if isinstance(obj, reportable.model):
            return reportable
    return None


def kinds() -> list[Reportable]:
    return list(_kinds.values())
