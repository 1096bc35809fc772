"""Calendar files (RFC 5545), the private feed and its reset, and reminders sent once per start time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kizuna.events import actions
from kizuna.events.models import ReminderSent

from ..factories import MemberFactory
from .helpers import clear_mails, edit_event, mails, make_event

pytestmark = pytest.mark.django_db


def test_the_ics_file_is_valid_escaped_and_folded(client):
    member = MemberFactory()
    event = make_event(title="忘年会; 2026, 東京", description="長い説明" * 40)
    client.force_login(member)
    response = client.get(reverse("event_ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    assert b"SUMMARY:\xe5\xbf\x98\xe5\xb9\xb4\xe4\xbc\x9a\\; 2026\\, " in raw.replace(b"\r\n ", b"")
    parsed = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(parsed["SUMMARY"]) == "忘年会; 2026, 東京"
    assert parsed.decoded("DTSTART") == event.starts_at.replace(microsecond=0)


def test_the_private_feed_lists_confirmed_events_and_its_address_can_be_replaced(client):
    member = MemberFactory()
    mine, full = make_event(title="参加する会"), make_event(title="満席の会", capacity=1)
    make_event(title="別の会")
    actions.do_rsvp(member, mine)
    actions.do_rsvp(MemberFactory(), full)
    actions.do_rsvp(member, full)  # waiting
    client.force_login(member)
    page = client.get(reverse("event_calendar")).content.decode()
    token = actions.calendar_feed_of(member).token
    assert token in page
    client.logout()
    feed = client.get(reverse("event_calendar_feed", args=[token])).content.decode("utf-8").replace("\r\n ", "")
    assert "参加する会" in feed and "満席の会" not in feed and "別の会" not in feed
    assert "https://meet.example.jp/secret-room" in feed
    client.force_login(member)
    client.post(reverse("event_calendar_reset"))
    client.logout()
    assert client.get(reverse("event_calendar_feed", args=[token])).status_code == 404


def test_reminders_are_sent_once_and_only_to_confirmed_registrations():
    event = make_event(starts_in=datetime.timedelta(hours=20), capacity=1)
    seated, waiting = MemberFactory(), MemberFactory()
    actions.do_rsvp(seated, event)
    actions.do_rsvp(waiting, event)
    clear_mails()
    assert actions.do_send_event_reminders(event.pk) == 1
    assert actions.do_send_event_reminders(event.pk) == 0  # a task that runs twice sends once
    assert [m.to for m in mails()] == [seated.email]
    assert "明日" in mails()[0].subject


def test_a_moved_event_is_reminded_of_again_for_its_new_time():
    event = make_event(starts_in=datetime.timedelta(hours=20))
    member = MemberFactory()
    actions.do_rsvp(member, event)
    actions.do_send_event_reminders(event.pk)
    clear_mails()
    edit_event(event, starts_at=event.starts_at + datetime.timedelta(hours=2),
               ends_at=event.ends_at + datetime.timedelta(hours=2))
    assert [m.to for m in mails()] == [member.email]  # told of the new time
    assert actions.do_send_event_reminders(event.pk) == 1
    assert ReminderSent.objects.filter(registration__user=member).count() == 2


def test_no_reminder_for_a_cancelled_registration_or_outside_the_windows():
    far = make_event(starts_in=datetime.timedelta(days=3))
    soon = make_event(starts_in=datetime.timedelta(minutes=30))
    member = MemberFactory()
    actions.do_rsvp(member, far)
    actions.do_rsvp(member, soon)
    actions.do_cancel_rsvp(member, soon)
    clear_mails()
    assert actions.do_send_due_reminders() == 0
    assert mails() == []


def test_the_hour_reminder_follows_the_day_reminder():
    event = make_event(starts_in=datetime.timedelta(minutes=50))
    member = MemberFactory()
    actions.do_rsvp(member, event)
    clear_mails()
    assert actions.do_send_due_reminders() == 1
    assert ReminderSent.objects.get().kind == ReminderSent.Kind.HOUR
    assert timezone.now() < event.starts_at


def test_saving_an_event_schedules_its_reminders_for_their_times(settings, django_capture_on_commit_callbacks):
    """With a worker's queue (which can defer), each reminder is a task due at its own time."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(starts_in=datetime.timedelta(days=3))
    scheduled = [(r.task.name, r.args, r.task.run_after) for r in default_task_backend.results]
    assert scheduled == [("send_event_reminders", [event.pk], event.starts_at - datetime.timedelta(days=1)),
                         ("send_event_reminders", [event.pk], event.starts_at - datetime.timedelta(hours=1))]
