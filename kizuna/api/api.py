import datetime

from django.db.models import Count
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from kizuna.core.access import admin_dashboard
from kizuna.members.access import needs_mfa_setup
from kizuna.members.models import User

from . import errors
from .auth import auth

api = NinjaAPI(
    title="Kizuna API",
    version="1",
    description="HTTP API of the Kizuna alumni network. Authenticate with a personal token: "
    "`Authorization: Bearer <token>`.",
    auth=auth,
    docs_url="/docs",
    urls_namespace="api",
)
errors.install(api)


def require_admin(request):
    """Admin endpoints: admins only. Over a browser session the admin also needs TOTP, as on /manage/;
    a bearer token was created on a page (or CLI) that already required it."""
    if not request.auth.is_admin:
        raise HttpError(403, "Admins only.")
    if getattr(request, "api_token", None) is None and needs_mfa_setup(request.auth):
        raise HttpError(403, "Set up two-factor authentication before using admin functions.")


class MeOut(Schema):
    id: int
    email: str
    name: str
    name_kana: str
    role: str
    state: str
    language: str
    company: str | None
    department: str | None
    joined_on: datetime.date | None
    left_on: datetime.date | None

    @staticmethod
    def resolve_company(member):
        return member.company.name if member.company else None

    @staticmethod
    def resolve_department(member):
        return member.department.path if member.department else None


@api.get("/me", response=MeOut, tags=["members"], summary="Your own account")
def me(request):
    """The member the token (or session) belongs to."""
    return request.auth


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
