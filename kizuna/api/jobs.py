"""Comeback jobs over HTTP: open postings for members; applications and rehires for HR (admins).

Postings come from jobs.access.postings_visible_to(), as on the jobs page. Applications carry the stage
only, never HR's notes or history."""

import datetime

from ninja import Field, Router, Schema, Status

from kizuna.jobs.access import pipeline, postings_visible_to, rehires
from kizuna.jobs.models import Kind, Stage

from .auth import require_admin
from .errors import FieldErrors, field_errors
from .members import _paging

router = Router(tags=["jobs"])


class DepartmentRef(Schema):
    id: int
    path: str


class PostingOut(Schema):
    id: int
    title: str
    kind: str = Field(description="rehire, contract, side_job or project.")
    department: DepartmentRef | None
    location: str
    workplace: str = Field(description="onsite, hybrid or remote.")
    description: str = Field(description="Markdown.")
    requirements: str
    changes_since: str = Field(description="What has changed since alumni left (Markdown).")
    skills: list[str]
    audience: str = Field(description="alumni or all.")
    closes_on: datetime.date | None
    published_at: datetime.datetime | None


class PostingPage(Schema):
    total: int
    page: int
    page_size: int
    results: list[PostingOut]


class ApplicationOut(Schema):
    id: int
    posting_id: int
    posting_title: str
    applicant_id: int
    applicant_name: str
    applicant_email: str | None
    stage: str = Field(description="new, screening, interview, offer, hired, rejected or withdrawn.")
    has_cv: bool
    message: str
    applied_at: datetime.datetime
    updated_at: datetime.datetime


class ApplicationPage(Schema):
    total: int
    page: int
    page_size: int
    results: list[ApplicationOut]


class RehireOut(Schema):
    id: int
    hired_on: datetime.date
    kind: str
    department: DepartmentRef | None
    member_id: int | None = Field(description="null when the member has withdrawn from the network.")
    posting_id: int | None


class RehirePage(Schema):
    total: int
    page: int
    page_size: int
    results: list[RehireOut]


def _department(department):
    return {"id": department.pk, "path": department.path} if department else None


def _page(request, queryset, extra_problems=()):
    page, size, problems = _paging(request.GET)
    problems = [*problems, *extra_problems]
    if problems:
        return None, Status(400, field_errors(problems))
    total = queryset.count()
    return (page, size, total, list(queryset[(page - 1) * size:page * size])), None


def _choice_problem(name, value, choices):
    if value and value not in choices:
        return [(("query", name), f"Choose one of: {', '.join(choices)}.", "invalid")]
    return []


@router.get("/jobs", url_name="jobs", response={200: PostingPage, 400: FieldErrors}, summary="Open job postings")
def jobs(request, kind: str = "", page: int | str = 1, page_size: int | str = 20):
    """Open postings you may see (alumni-only postings only for alumni), newest first; `kind` filters."""
    postings = postings_visible_to(request.auth).prefetch_related("skills")
    if kind in Kind.values:
        postings = postings.filter(kind=kind)
    found, error = _page(request, postings, _choice_problem("kind", kind, Kind.values))
    if error:
        return error
    number, size, total, items = found
    return {"total": total, "page": number, "page_size": size, "results": [{
        "id": p.pk, "title": p.title, "kind": p.kind, "department": _department(p.department),
        "location": p.location, "workplace": p.workplace, "description": p.description,
        "requirements": p.requirements, "changes_since": p.changes_since,
        "skills": [s.name for s in p.skills.all()], "audience": p.audience, "closes_on": p.closes_on,
        "published_at": p.published_at} for p in items]}


@router.get("/applications", url_name="applications", response={200: ApplicationPage, 400: FieldErrors},
            tags=["admin"], summary="Job applications (admins)")
def applications(request, stage: str = "", posting: int | None = None, page: int | str = 1,
                 page_size: int | str = 20):
    """Applications with their stage, newest first (admins only); HR's notes are not part of it."""
    require_admin(request)
    found, error = _page(request, pipeline(posting=posting, stage=stage if stage in Stage.values else None),
                         _choice_problem("stage", stage, Stage.values))
    if error:
        return error
    number, size, total, items = found
    return {"total": total, "page": number, "page_size": size, "results": [{
        "id": a.pk, "posting_id": a.posting_id, "posting_title": a.posting.title, "applicant_id": a.applicant_id,
        "applicant_name": a.applicant.name, "applicant_email": a.applicant.email, "stage": a.stage,
        "has_cv": bool(a.cv), "message": a.message, "applied_at": a.created_at, "updated_at": a.updated_at,
    } for a in items]}


@router.get("/rehires", url_name="rehires", response={200: RehirePage, 400: FieldErrors}, tags=["admin"],
            summary="Rehires (admins)")
def rehire_list(request, page: int | str = 1, page_size: int | str = 20):
    """Hires through the network (the KPI), newest first (admins only)."""
    require_admin(request)
    found, error = _page(request, rehires())
    if error:
        return error
    number, size, total, items = found
    return {"total": total, "page": number, "page_size": size, "results": [{
        "id": r.pk, "hired_on": r.hired_on, "kind": r.kind, "department": _department(r.department),
        "member_id": r.member_id, "posting_id": r.application.posting_id if r.application else None,
    } for r in items]}
