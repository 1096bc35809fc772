"""Attendee exports for HR (audit-logged, formulas neutralised), the member's events in their data download,
and what withdrawal leaves behind."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from kizuna.core.models import AuditLog
from kizuna.events import access, actions
from kizuna.events.models import CalendarFeed, Feedback, Registration
from kizuna.members import actions as member_actions

from ..factories import MemberFactory
from .helpers import make_event, move_to_past

pytestmark = pytest.mark.django_db
FORMULA = "=HYPERLINK(\"https://evil.example\")"


@pytest.fixture
def event_with_answers():
    event = make_event(questions=["食事の制限"], title="新年会")
    actions.do_rsvp(MemberFactory(name="回答 花子"), event, answers={"食事の制限": FORMULA})
    return event


def test_the_csv_export_is_for_admins_audited_and_neutralises_formulas(admin_client, event_with_answers):
    response = admin_client.get(reverse("event_export_csv", args=[event_with_answers.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "食事の制限"
    assert rows[1][1] == "回答 花子" and rows[1][-1] == "'" + FORMULA
    entry = AuditLog.objects.get(action="event.export")
    assert entry.detail == {"format": "csv", "rows": 1}


def test_the_xlsx_export_neutralises_formulas_too(admin_client, event_with_answers):
    response = admin_client.get(reverse("event_export_xlsx", args=[event_with_answers.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=sheet.max_column).value == "'" + FORMULA


def test_hosts_who_are_not_admins_cannot_export(client, event_with_answers):
    host = MemberFactory()
    event_with_answers.hosts.add(host)
    client.force_login(host)
    assert client.get(reverse("event_export_csv", args=[event_with_answers.pk])).status_code == 403
    assert not AuditLog.objects.filter(action="event.export").exists()


def test_the_data_download_holds_the_members_registrations_answers_and_feedback(client):
    member = MemberFactory()
    event = make_event(title="OB・OG会", questions=["食事の制限"])
    actions.do_rsvp(member, event, answers={"食事の制限": "ベジタリアン"})
    move_to_past(event)
    actions.do_give_feedback(member, event, rating=5, comment="楽しかったです")
    client.force_login(member)
    data = json.loads(client.get(reverse("account_data_json")).content)
    assert data["event_registrations"][0]["event"] == "OB・OG会"
    assert data["event_registrations"][0]["answers"] == [{"question": "食事の制限", "answer": "ベジタリアン"}]
    assert data["event_feedback"] == [{"event": "OB・OG会", "rating": 5, "comment": "楽しかったです"}]


def test_withdrawal_frees_upcoming_seats_and_anonymises_the_past():
    leaving, waiting = MemberFactory(), MemberFactory()
    past = make_event(questions=["食事の制限"])
    actions.do_rsvp(leaving, past, answers={"食事の制限": "えびアレルギー"})
    actions.do_check_in(None, Registration.objects.get(user=leaving))
    move_to_past(past)
    actions.do_give_feedback(leaving, past, rating=4, comment="退会者のコメント")
    upcoming = make_event(capacity=1, hosts=[leaving])
    actions.do_rsvp(leaving, upcoming)
    actions.do_rsvp(waiting, upcoming)
    actions.calendar_feed_of(leaving)

    member_actions.do_withdraw(leaving, leaving)

    assert Registration.objects.get(user=waiting).status == Registration.Status.CONFIRMED
    assert not Registration.objects.filter(event=upcoming, user__isnull=True).exists()
    kept = Registration.objects.get(event=past)
    assert kept.user is None and kept.answers == [] and kept.checked_in_at is not None
    assert list(Feedback.objects.values_list("user", "rating", "comment")) == [(None, 4, "")]
    assert access.figures_of(past)["attendance_rate"] == 1
    assert not CalendarFeed.objects.exists() and not upcoming.hosts.exists()
