"""/api/v1/events: list, create (admins and moderators), register and cancel, with the pages' rules."""

import datetime

import pytest
from django.utils import timezone

from kizuna.core.models import AuditLog
from kizuna.events.models import Event, Registration
from kizuna.members.models import Role
from tests.api.test_members_api import token_client
from tests.events.helpers import make_event, move_to_past
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/events"


def new_event(**changes):
    starts = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    body = {"title": "関西アルムナイ交流会", "format": "onsite", "venue": "大阪支社 セミナールーム",
            "starts_at": starts.strftime("%Y-%m-%dT18:30:00"), "ends_at": starts.strftime("%Y-%m-%dT21:00:00"),
            "capacity": 2, "max_companions": 1, "questions": ["食事の制限"]}
    body.update(changes)
    return body


def test_a_moderator_creates_an_event_in_its_time_zone():
    client = token_client(MemberFactory(role=Role.MODERATOR))
    response = client.post(EVENTS, new_event(), content_type="application/json")
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "18:30"  # read in Asia/Tokyo
    assert datetime.datetime.fromisoformat(response.json()["starts_at"]) == event.starts_at
    assert AuditLog.objects.filter(action="event.create").exists()


def test_members_cannot_create_events_and_bad_input_writes_nothing():
    assert token_client(MemberFactory()).post(EVENTS, new_event(), content_type="application/json") \
        .status_code == 403
    client = token_client(MemberFactory(role=Role.MODERATOR))
    starts = new_event()["starts_at"]
    response = client.post(EVENTS, new_event(ends_at=starts, venue="", map_url="javascript:alert(1)"),
                           content_type="application/json")
    assert response.status_code == 422
    assert {tuple(problem["loc"]) for problem in response.json()["detail"]} == {
        ("body", "ends_at"), ("body", "venue"), ("body", "map_url")}
    assert not Event.objects.exists()


def test_register_with_companions_then_cancel_promotes_the_next():
    event = make_event(capacity=2, max_companions=1)
    first, second = MemberFactory(), MemberFactory()
    first_client, second_client = token_client(first), token_client(second)
    url = f"{EVENTS}/{event.pk}/rsvp"
    response = first_client.post(url, {"companions": 1}, content_type="application/json")
    assert response.json()["status"] == "confirmed" and response.json()["check_in_code"]
    waiting = second_client.post(url, {}, content_type="application/json").json()
    assert waiting["status"] == "waitlisted" and waiting["check_in_code"] is None
    assert first_client.delete(url).json()["status"] == "cancelled"
    assert Registration.objects.get(user=second).status == Registration.Status.CONFIRMED
    assert second_client.get(f"{EVENTS}/{event.pk}").json()["online_url"] == "https://meet.example.jp/secret-room"


def test_rules_of_the_page_apply():
    event = make_event(max_companions=0)
    client = token_client(MemberFactory())
    url = f"{EVENTS}/{event.pk}/rsvp"
    assert client.post(url, {"companions": 2}, content_type="application/json").status_code == 422
    assert client.delete(url).status_code == 422  # not registered
    past = move_to_past(make_event())
    assert client.post(f"{EVENTS}/{past.pk}/rsvp", {}, content_type="application/json").status_code == 422
    assert not Registration.objects.exists()


def test_list_upcoming_and_past_with_bounded_queries(django_assert_max_num_queries):
    member = MemberFactory()
    for n in range(6):
        make_event(title=f"勉強会 {n}")
    move_to_past(make_event(title="昨年の総会"))
    client = token_client(member)
    with django_assert_max_num_queries(8):
        upcoming = client.get(EVENTS, {"page_size": 5}).json()
    assert upcoming["total"] == 6 and len(upcoming["results"]) == 5
    assert [e["title"] for e in client.get(EVENTS, {"past": "true"}).json()["results"]] == ["昨年の総会"]
    assert client.get(EVENTS, {"page_size": 500}).status_code == 400
