"""New postings tell matching members (at once, weekly, or not), idempotently, with a working unsubscribe
link; a withdrawing member's jobs data goes; their download holds their own data but no HR notes."""

import datetime
import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.core.actions import ensure_department
from kizuna.core.models import OutboxEmail
from kizuna.jobs import actions
from kizuna.jobs.models import CasualTalk, JobApplication, Rehire, ReturnIntention, Stage
from kizuna.members import actions as member_actions
from kizuna.members.models import Role
from kizuna.notifications.actions import do_send_due_digests, do_set_preference
from kizuna.notifications.models import Notice
from tests.factories import MemberFactory

from .helpers import apply, make_posting

pytestmark = pytest.mark.django_db


def _mails(user):
    """Delivered mail (tasks run at once in tests; delivered rows leave the outbox table)."""
    return [m for m in mail.outbox if m.to == [user.email] and "新着求人" in m.subject]


def test_matching_members_are_told_once(django_capture_on_commit_callbacks):
    python = MemberFactory(email="py@example.jp")
    member_actions.do_update_profile(python, {"skills": ["Python"]})
    returner = MemberFactory(email="back@example.jp")
    member_actions.do_update_profile(returner, {"purposes": ["return"]})
    sales = ensure_department("営業本部/東京営業部")
    same_department = MemberFactory(email="sales@example.jp", role=Role.EMPLOYEE, department=sales)
    unrelated = MemberFactory(email="other@example.jp")
    weekly = MemberFactory(email="weekly@example.jp")
    member_actions.do_update_profile(weekly, {"skills": ["python"]})
    do_set_preference(weekly, "jobs", "weekly")
    off = MemberFactory(email="off@example.jp")
    member_actions.do_update_profile(off, {"skills": ["Python"]})
    do_set_preference(off, "jobs", "off")
    with django_capture_on_commit_callbacks(execute=True):
        posting = make_posting(skills=["Python"], department=ensure_department("営業本部"))
    for user in (python, returner, same_department):
        assert len(_mails(user)) == 1
    for user in (unrelated, weekly, off):
        assert len(_mails(user)) == 0
    assert actions.do_notify_new_posting(posting.pk) == 0  # run again: nobody twice
    assert len(_mails(python)) == 1

    body = _mails(python)[0].body
    assert posting.title in body and "/unsubscribe/" in body
    # The weekly digest comes a week later, once.
    assert do_send_due_digests() == 0
    Notice.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert do_send_due_digests() == 1 and do_send_due_digests() == 0
    digest = OutboxEmail.objects.get(to=weekly.email)  # not delivered yet: sent outside a task's commit
    assert posting.title in digest.body_text


def test_unsubscribe_link_works_without_signing_in(django_capture_on_commit_callbacks):
    member = MemberFactory()
    member_actions.do_update_profile(member, {"skills": ["Go"]})
    with django_capture_on_commit_callbacks(execute=True):
        make_posting(skills=["Go"])
    link = next(word for word in _mails(member)[0].body.split() if "/unsubscribe/" in word)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client = Client()
    assert "停止しますか" in client.get("/" + path).content.decode()
    response = client.post("/" + path, {"List-Unsubscribe": "One-Click"})  # RFC 8058 one-click form
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        make_posting(skills=["Go"], title="別の求人")
    assert len(_mails(member)) == 1
    assert client.get("/account/unsubscribe/forged-token/").status_code == 404


def test_preferences_page(client, alumni_user):
    client.force_login(alumni_user)
    assert "すぐにメールで受け取る" in client.get(reverse("notifications_preferences")).content.decode()
    client.post(reverse("notifications_preferences"), {"jobs": "weekly"})
    assert {"category": "jobs", "mode": "weekly"} in json.loads(
        client.get(reverse("account_data_json")).content)["notification_preferences"]


def test_withdrawal_erases_jobs_data_but_keeps_the_rehire_count(admin_user):
    member = MemberFactory(email="leaving@example.jp")
    posting = make_posting()
    application = apply(member, posting, cv=True)
    cv = application.cv.path
    actions.do_move_application(admin_user, application, Stage.HIRED, hired_on=datetime.date(2026, 4, 1))
    actions.do_request_talk(member, None, topic="相談", times=[timezone.now() + datetime.timedelta(days=2)])
    actions.do_refer(member, posting, name="友人 一郎", email="friend@example.com", relation="友人", agreed=True)
    actions.do_state_intention(member, want="yes", can="now")
    member_actions.do_withdraw(member, member)
    assert not JobApplication.objects.exists() and not CasualTalk.objects.exists()
    assert not ReturnIntention.objects.exists() and not member.referrals.exists()
    import os
    assert not os.path.exists(cv)
    rehire = Rehire.objects.get()
    assert rehire.member is None and rehire.kind == "rehire"


def test_download_holds_own_answers_and_no_hr_notes(client, admin_user, alumni_user):
    application = apply(alumni_user, make_posting())
    actions.do_add_note(admin_user, application, "人事メモ：要フォロー")
    actions.do_state_intention(alumni_user, want="maybe", can="later")
    client.force_login(alumni_user)
    data = json.loads(client.get(reverse("account_data_json")).content)
    assert data["return_intention"]["want"] == "maybe"
    assert data["job_applications"][0]["status"] == "new"
    assert "人事メモ" not in json.dumps(data, ensure_ascii=False)
