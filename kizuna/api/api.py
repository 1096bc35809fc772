from typing import Any

from django.db.models import Count
from ninja import Field, NinjaAPI, Schema, Status

from kizuna.core.access import admin_dashboard
from kizuna.members import actions, importer
from kizuna.members.models import User

from . import errors
from .auth import auth, require_admin
from .chat import router as chat_router
from .errors import ProblemOut, problems
from .events import router as events_router
from .feed import router as feed_router
from .groups import router as groups_router
from .jobs import router as jobs_router
from .members import router as members_router

api = NinjaAPI(
    title="Kizuna API",
    version="1",
    description="HTTP API of the Kizuna alumni network. Authenticate with a personal token "
    "(`Authorization: Bearer <token>`, created on your account page or with `kizuna token create`) or the "
    "signed-in browser session (send the CSRF token with PATCH and POST).\n\n"
    "Errors are `{\"detail\": …}`; problems with named fields are a list of `{\"type\", \"loc\", \"msg\"}` "
    "(`loc` starts with `query` or `body`). Other members' profiles hold only what you may see: a hidden or "
    "empty value is `null`.",
    auth=auth,
    docs_url="/docs",
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", members_router)
api.add_router("/", jobs_router)
api.add_router("/", events_router)
api.add_router("/", groups_router)
api.add_router("/", feed_router)
api.add_router("/", chat_router)


class StatsOut(Schema):
    members_by_state: dict[str, int]
    pending_applications: int
    open_invitations: int
    leaver_records: int
    eligible_not_invited: int


@api.get("/stats", response=StatsOut, tags=["admin"], summary="Network counts (admins)")
def stats(request):
    """Network counts for HR dashboards (admins only): members by state, open work for HR."""
    require_admin(request)
    dashboard = admin_dashboard()
    dashboard["members_by_state"] = dict(User.objects.values_list("state").annotate(n=Count("id")))
    return dashboard
class LeaverImportIn(Schema):
    rows: list[dict[str, Any]] = Field(
        description="HR leaver rows keyed like the file headers in English: employee_number, name, name_kana, "
        "email, joined_on, left_on, leave_type, department, title, company, excluded. Dates as 2019-04-01, "
        "2019/4/1 or in the Japanese calendar (令和5年4月1日, H31.4.30). A field left out of every row is left "
        "unchanged on existing records.")
    dry_run: bool = Field(False, description="Only validate and report what would change.")
    invite: bool = Field(False, description="After importing, invite the newly eligible people by email.")


class LeaverImportOut(Schema):
    valid: bool
    applied: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    invited: int | None = None
    errors: list[ProblemOut]
    warnings: list[ProblemOut]


@api.post("/leavers", response={200: LeaverImportOut, 422: LeaverImportOut}, tags=["leavers"])
def import_leavers(request, payload: LeaverImportIn):
    """Import HR leaver rows (admins only), upserting by employee number: the same validation and report as
    the CSV/XLSX import. All or nothing: when any row is invalid, nothing is written and the status is 422."""
    require_admin(request)
    validation = importer.validate(importer.rows_from_api(payload.rows))
    if not validation.valid:
        importer.diff(validation)  # writes nothing; finds the warnings, reported with the errors
        return Status(422, {"valid": False, "applied": False, "rows": len(payload.rows), "created": 0, "updated": 0,
                     "unchanged": 0, "errors": problems(validation.errors),
                     "warnings": problems(validation.warnings)})
    if payload.dry_run:
        counts = importer.diff(validation).counts
    else:
        counts = actions.do_apply_leaver_import(request.auth, validation, source="api", invite=payload.invite,
                                                request=request)
    return Status(200, {**counts, "valid": True, "applied": not payload.dry_run, "errors": [],
                        "warnings": problems(validation.warnings)})
