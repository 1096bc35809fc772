"""A declarative role × URL permission matrix (pretix style); tests/test_permission_matrix.py runs it.

Each row names a URL and what every role gets there. Start from a preset and override where a role
differs; adding a URL is one line:

    row("account", SIGNED_IN)
    row("admin_home", ADMINS)
    row("api_token_revoke", MEMBERS, method="post", kwargs=others_token, label="another's", member=NOT_FOUND)

`kwargs` and `data` are a dict or a callable taking a Context (the requesting user, `None` when
anonymous, and `other`: a second active member who owns private objects) and returning the dict.
Expected outcomes: a status code, or a Redirect to a named URL (its path is resolved; query strings
and URL arguments are ignored).

Every URL pattern of the project needs at least one row: test_every_url_has_a_row fails otherwise.
"""

from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.urls import resolve, reverse

from kizuna.members.models import Role, State

from .factories import MemberFactory, with_totp

# `admin_without_totp`: an admin who has not set up two-factor authentication yet. Outside the demo
# network admin functions require it (KIZUNA_ADMIN_MFA_REQUIRED), so such an admin is sent to set it up.
ROLES = ("anonymous", "pending", "alumni", "employee", "moderator", "admin", "admin_without_totp")
MEMBER_ROLES = ("alumni", "employee", "moderator", "admin", "admin_without_totp")


@dataclass(frozen=True)
class Redirect:
    to: str  # URL name

    def __str__(self):
        return f"→{self.to}"


OK, MOVED, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 301, 400, 401, 403, 404, 405
CREATED = 201
UNPROCESSABLE = 422  # an action refused the request (API)
LOGIN = Redirect("account_login")
APPLICATION_STATUS = Redirect("application_status")  # where pending members are sent
TOTP_SETUP = Redirect("mfa_activate_totp")  # where admins without two-factor authentication are sent


def everyone(outcome, **roles):
    """`outcome` for every role except those given, e.g. everyone(OK, anonymous=LOGIN)."""
    return {role: roles.get(role, outcome) for role in ROLES}


PUBLIC = everyone(OK)
SIGNED_IN = everyone(OK, anonymous=LOGIN)
MEMBERS = everyone(OK, anonymous=LOGIN, pending=FORBIDDEN)
# Admin pages live under /manage/: pending members are kept to their application, admins need TOTP.
ADMINS = everyone(FORBIDDEN, anonymous=LOGIN, pending=APPLICATION_STATUS, admin=OK, admin_without_totp=TOTP_SETUP)
API_MEMBERS = everyone(OK, anonymous=UNAUTHORIZED, pending=UNAUTHORIZED)
# An admin without TOTP is refused too, over a browser session as with a token (tests/api).
API_ADMINS = everyone(FORBIDDEN, anonymous=UNAUTHORIZED, pending=UNAUTHORIZED, admin=OK)


@dataclass
class Context:
    """What a row's kwargs/data callables may use to build their objects."""

    user: object
    _other: object = None

    @property
    def other(self):
        if self._other is None:
            self._other = MemberFactory(name="別人 次郎")
        return self._other


@dataclass(frozen=True)
class Row:
    url: str
    expected: dict
    method: str = "get"
    kwargs: object = field(default_factory=dict)
    data: object = None
    label: str = ""
    content_type: str = ""  # e.g. "application/json" for API bodies; form-encoded when empty

    @property
    def name(self):
        return "-".join(part for part in (self.url, self.method, self.label) if part)

    def request(self, client, context):
        kwargs = self.kwargs(context) if callable(self.kwargs) else self.kwargs
        data = self.data(context) if callable(self.data) else self.data
        extra = {"content_type": self.content_type} if self.content_type else {}
        return getattr(client, self.method)(reverse(self.url, kwargs=kwargs), data or {}, **extra)


def row(url, preset, *, method="get", kwargs=None, data=None, label="", content_type="", member=None, **roles):
    """A matrix row: `preset` for every role, then per-role overrides; `member=` sets all member roles."""
    expected = dict(preset)
    if member is not None:
        expected.update(dict.fromkeys(MEMBER_ROLES, member))
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles in row {url}: {unknown}")
    expected.update(roles)
    return Row(url, expected, method, kwargs or {}, data, label, content_type)


def user_for(role):
    """A user in that role as it exists in production (admins with TOTP); None for anonymous."""
    if role == "anonymous":
        return None
    if role == "pending":
        return MemberFactory(role=Role.ALUMNI, state=State.PENDING, email="pending@example.jp")
    if role == "admin_without_totp":
        return MemberFactory(role=Role.ADMIN, email="new-admin@example.jp")
    user = MemberFactory(role=role, email=f"{role}@example.jp")
    return with_totp(user) if role == Role.ADMIN else user


def cases(rows):
    """pytest parameters (row, role) with readable ids, e.g. `account-get-pending`."""
    import pytest

    return [pytest.param(r, role, id=f"{r.name}-{role}") for r in rows for role in ROLES]


def assert_outcome(response, expected):
    if isinstance(expected, Redirect):
        assert response.status_code == 302, f"expected a redirect to {expected.to}, got {response.status_code}"
        assert resolve(urlparse(response["Location"]).path).view_name == expected.to
    else:
        assert response.status_code == expected, f"got {response.status_code} {response.get('Location', '')}"
