"""GET /api/v1/jobs (members: what the jobs page shows), /applications and /rehires (admins)."""

import datetime

import pytest
from django.test import Client

from kizuna.jobs import actions
from kizuna.jobs.models import Stage
from kizuna.members.actions import do_create_token
from kizuna.members.models import Role
from tests.factories import MemberFactory, with_totp
from tests.jobs.helpers import apply, make_posting

pytestmark = pytest.mark.django_db


def _get(user, url, **params):
    secret = do_create_token(user, "test")[1]
    return Client().get(url, params, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_jobs_lists_what_the_member_may_see():
    alumnus, employee = MemberFactory(), MemberFactory(role=Role.EMPLOYEE)
    make_posting(title="再入社：営業", skills=["法人営業"])
    make_posting(title="アルムナイ限定：PM", kind="project", audience="alumni")
    make_posting(title="下書き", status="draft")
    body = _get(alumnus, "/api/v1/jobs").json()
    assert body["total"] == 2 and {p["title"] for p in body["results"]} == {"再入社：営業", "アルムナイ限定：PM"}
    assert [p["title"] for p in _get(employee, "/api/v1/jobs").json()["results"]] == ["再入社：営業"]
    projects = _get(alumnus, "/api/v1/jobs", kind="project").json()
    assert [p["kind"] for p in projects["results"]] == ["project"]
    sales = next(p for p in body["results"] if p["title"] == "再入社：営業")
    assert sales["skills"] == ["法人営業"]
    bad = _get(alumnus, "/api/v1/jobs", kind="fulltime", page_size="500")
    assert bad.status_code == 400 and {tuple(d["loc"]) for d in bad.json()["detail"]} == {
        ("query", "kind"), ("query", "page_size")}


def test_applications_and_rehires_for_admins_only():
    admin = with_totp(MemberFactory(role=Role.ADMIN))
    member = MemberFactory(name="応募 花子")
    application = apply(member, make_posting(), cv=True)
    actions.do_add_note(admin, application, "人事だけのメモ")
    assert _get(member, "/api/v1/applications").status_code == 403
    assert _get(member, "/api/v1/rehires").status_code == 403
    body = _get(admin, "/api/v1/applications").json()
    assert body["total"] == 1
    row = body["results"][0]
    assert (row["applicant_name"], row["stage"], row["has_cv"]) == ("応募 花子", "new", True)
    assert "人事だけのメモ" not in str(body)
    actions.do_move_application(admin, application, Stage.HIRED, hired_on=datetime.date(2026, 4, 1))
    assert _get(admin, "/api/v1/applications", stage="new").json()["total"] == 0
    rehires = _get(admin, "/api/v1/rehires").json()
    assert rehires["results"][0]["hired_on"] == "2026-04-01" and rehires["results"][0]["member_id"] == member.pk
