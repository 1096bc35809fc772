from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

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


def require_admin(request):
    if not request.auth.is_admin:
        raise HttpError(403, "Admins only.")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "Forbidden."}, status=403)


class MeOut(Schema):
    id: int
    email: str
    name: str
    name_kana: str
    role: str
    state: str
    language: str


@api.get("/me", response=MeOut, tags=["members"])
def me(request):
    """The member the token (or session) belongs to."""
    return request.auth
