"""Groups over HTTP, read only: the groups you may see (secret ones only if you are in them) and one
group, with the same rules as the pages (groups.access). Members are not listed here: the group page
shows them through the directory's privacy rules."""

from django.conf import settings
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from kizuna.groups import access

router = Router(tags=["groups"])

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class GroupOut(Schema):
    slug: str
    name: str
    kind: str = Field(description="department, region or interest.")
    privacy: str = Field(description="open, closed (approval by group admins) or secret (by invitation).")
    description: str = Field(description="Markdown.")
    department: str | None = Field(description="Department groups: the department's full path.")
    member_count: int
    my_state: str | None = Field(description="member, requested, invited or null.")
    my_role: str | None = Field(description="member or admin when you are a member; else null.")
    url: str


class GroupPage(Schema):
    total: int
    page: int
    page_size: int
    results: list[GroupOut]


def _json(group, membership):
    joined = membership is not None and membership.state in ("member", "requested", "invited")
    return {
        "slug": group.slug, "name": group.name, "kind": group.kind, "privacy": group.privacy,
        "description": group.description, "department": group.department.path if group.department else None,
        "member_count": group.member_count, "my_state": membership.state if joined else None,
        "my_role": membership.role if joined and membership.state == "member" else None,
        "url": settings.SITE_URL + reverse("group_detail", kwargs={"slug": group.slug}),
    }


@router.get("/groups", url_name="groups", response=GroupPage, summary="Groups you may see")
def list_groups(request, q: str = "", kind: str = "", mine: bool = False, page: int = 1,
                page_size: int = PAGE_SIZE):
    """Groups by name (`q`: every word must appear; width and kana are folded), of one `kind`, or only
    yours (`mine=true`)."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page must be 1 or more, page_size 1 to {MAX_PAGE_SIZE}.")
    groups = access.search_groups(request.auth, q=q, kind=kind, mine=mine).select_related("department")
    total = groups.count()
    rows = list(groups[(page - 1) * page_size:page * page_size])
    memberships = {m.group_id: m for m in access.memberships_of(request.auth, [g.pk for g in rows])}
    return {"total": total, "page": page, "page_size": page_size,
            "results": [_json(g, memberships.get(g.pk)) for g in rows]}


@router.get("/groups/{slug}", url_name="group", response=GroupOut, summary="One group")
def get_group(request, slug: str):
    """A group you may see; a secret group you are not in is 404, as if it did not exist."""
    group = access.with_member_counts(request.auth, access.visible_groups(request.auth).filter(slug=slug)) \
        .select_related("department").first()
    if group is None:
        raise HttpError(404, "Not found.")
    return _json(group, access.membership_of(request.auth, group))
