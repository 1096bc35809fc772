"""A declarative role × URL permission matrix (pretix style); tests/test_permission_matrix.py runs it.

Each row names a URL and what every role gets there. Start from a preset and override where a role
differs; adding a URL is one line:

    row("account", SIGNED_IN)
    row("admin_home", ADMINS, pending=APPLICATION_STATUS)
    row("api_token_revoke", MEMBERS, method="post", kwargs=others_token, label="another's", member=NOT_FOUND)

`kwargs` and `data` are a dict or a callable taking a Context (the requesting user, `None` when
anonymous, and `other`: a second active member who owns private objects) and returning the dict.
Expected outcomes: a status code, or a Redirect to a named URL (query strings are ignored).
"""

from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.urls import reverse

from kizuna.members.models import Role, State

from .factories import MemberFactory, with_totp

ROLES = ("anonymous", "pending", "alumni", "employee", "moderator", "admin")
MEMBER_ROLES = ("alumni", "employee", "moderator", "admin")


@dataclass(frozen=True)
class Redirect:
    to: str  # URL name

    def __str__(self):
        return f"→{self.to}"


OK, UNAUTHORIZED, FORBIDDEN, NOT_FOUND = 200, 401, 403, 404
LOGIN = Redirect("account_login")
APPLICATION_STATUS = Redirect("application_status")  # where pending members are sent


def _everyone(outcome, **roles):
    return {role: roles.get(role, outcome) for role in ROLES}


PUBLIC = _everyone(OK)
SIGNED_IN = _everyone(OK, anonymous=LOGIN)
MEMBERS = _everyone(OK, anonymous=LOGIN, pending=FORBIDDEN)
ADMINS = _everyone(FORBIDDEN, anonymous=LOGIN, admin=OK)
API_MEMBERS = _everyone(OK, anonymous=UNAUTHORIZED, pending=UNAUTHORIZED)
API_ADMINS = _everyone(FORBIDDEN, anonymous=UNAUTHORIZED, pending=UNAUTHORIZED, admin=OK)


@dataclass
class Context:
    """What a row's kwargs/data callables may use to build their objects."""

    user: object
    _other: object = None

    @property
    def other(self):
        if self._other is None:
            self._other = MemberFactory(email="other-member@example.jp", name="別人 次郎")
        return self._other


@dataclass(frozen=True)
class Row:
    url: str
    expected: dict
    method: str = "get"
    kwargs: object = field(default_factory=dict)
    data: object = None
    label: str = ""

    @property
    def name(self):
        return "-".join(part for part in (self.url, self.method, self.label) if part)

    def request(self, client, context):
        kwargs = self.kwargs(context) if callable(self.kwargs) else self.kwargs
        data = self.data(context) if callable(self.data) else self.data
        return getattr(client, self.method)(reverse(self.url, kwargs=kwargs), data or {})


def row(url, preset, *, method="get", kwargs=None, data=None, label="", member=None, **roles):
    """A matrix row: `preset` for every role, then per-role overrides; `member=` sets all member roles."""
    expected = dict(preset)
    if member is not None:
        expected.update(dict.fromkeys(MEMBER_ROLES, member))
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles in row {url}: {unknown}")
    expected.update(roles)
    return Row(url, expected, method, kwargs or {}, data, label)


def user_for(role):
    """A user in that role as it exists in production (admins with TOTP); None for anonymous."""
    if role == "anonymous":
        return None
    if role == "pending":
        return MemberFactory(role=Role.ALUMNI, state=State.PENDING, email="pending@example.jp")
    user = MemberFactory(role=role, email=f"{role}@example.jp")
    return with_totp(user) if role == Role.ADMIN else user


def cases(rows):
    """pytest parameters (row, role) with readable ids, e.g. `account-get-pending`."""
    import pytest

    return [pytest.param(r, role, id=f"{r.name}-{role}") for r in rows for role in ROLES]


def assert_outcome(response, expected):
    if isinstance(expected, Redirect):
        assert response.status_code == 302, f"expected a redirect to {expected.to}, got {response.status_code}"
        assert urlparse(response["Location"]).path == reverse(expected.to)
    else:
        assert response.status_code == expected
