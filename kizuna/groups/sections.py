"""The group page's sections. Other apps add theirs from their AppConfig.ready():

    sections.register(GroupSection("posts", _("Posts"), "feed/group_posts.html", posts_context, order=10))

`context(request, group) -> dict` is called only for people who may read the group (access.may_read);
the template is included with that dict (plus `group`)."""

from collections.abc import Callable
from dataclasses import dataclass

from . import access


@dataclass(frozen=True)
class GroupSection:
    key: str
    label: str
    template: str
    context: Callable
    order: int = 50


_sections: dict[str, GroupSection] = {}


def register(section: GroupSection):
    _sections[section.key] = section


def registered() -> list[GroupSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def sections_for(request, group) -> list[tuple[GroupSection, dict]]:
    """The sections to show on the group page, each with its context; none for those who may not read it."""
    if not access.may_read(request.user, group):
        return []
    return [(section, {"group": group, **section.context(request, group)}) for section in registered()]
