"""Who sees an event and its meeting link: the audience gets the page, everyone else a 404 (page, API,
calendar, images); the online URL only reaches people with a confirmed seat."""

import pytest
from django.urls import reverse

from kizuna.events import actions
from kizuna.events.models import Event
from kizuna.members import actions as member_actions
from kizuna.members.models import Role

from ..factories import MemberFactory
from .helpers import mails, make_event

pytestmark = pytest.mark.django_db
SECRET = "https://meet.example.jp/secret-room"


@pytest.mark.parametrize(("audience", "sees", "does_not"), [
    (Event.Audience.ALUMNI, Role.ALUMNI, Role.EMPLOYEE),
    (Event.Audience.EMPLOYEES, Role.EMPLOYEE, Role.ALUMNI),
])
def test_an_event_for_one_side_is_a_404_for_the_other(client, audience, sees, does_not):
    event = make_event(audience=audience, title="限定の会")
    insider, outsider = MemberFactory(role=sees), MemberFactory(role=does_not)
    client.force_login(outsider)
    for url in (reverse("event_detail", args=[event.pk]), reverse("event_ics", args=[event.pk]),
                f"/api/v1/events/{event.pk}"):
        assert client.get(url).status_code == 404
    assert client.post(f"/api/v1/events/{event.pk}/rsvp", {}, content_type="application/json").status_code == 404
    assert client.post(reverse("event_rsvp", args=[event.pk])).status_code == 404
    assert "限定の会" not in client.get(reverse("event_list")).content.decode()
    assert "限定の会" not in client.get("/api/v1/events").content.decode()
    client.force_login(insider)
    assert "限定の会" in client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert client.post(f"/api/v1/events/{event.pk}/rsvp", {}, content_type="application/json").status_code == 200


def test_an_invite_list_event_is_seen_by_the_invited_the_hosts_and_staff_only(client):
    invited, host, other, moderator = MemberFactory(), MemberFactory(), MemberFactory(), \
        MemberFactory(role=Role.MODERATOR)
    event = make_event(audience=Event.Audience.INVITED, invitees=[invited], hosts=[host])
    for member, status in ((invited, 200), (host, 200), (moderator, 200), (other, 404)):
        client.force_login(member)
        assert client.get(reverse("event_detail", args=[event.pk])).status_code == status


def test_the_online_url_reaches_only_confirmed_attendees(client):
    event = make_event(capacity=1)
    seated, waiting, onlooker = MemberFactory(), MemberFactory(), MemberFactory()
    actions.do_rsvp(seated, event)
    actions.do_rsvp(waiting, event)
    for member, shown in ((seated, True), (waiting, False), (onlooker, False)):
        client.force_login(member)
        page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
        ics = client.get(reverse("event_ics", args=[event.pk])).content.decode()
        api = client.get(f"/api/v1/events/{event.pk}").json()
        listed = client.get("/api/v1/events").json()["results"][0]
        assert (SECRET in page) is shown
        assert (SECRET in ics.replace("\r\n ", "")) is shown
        assert (api["online_url"] == SECRET) is shown and (listed["online_url"] == SECRET) is shown
    waiting_mail = [m for m in mails() if m.to == waiting.email]
    assert waiting_mail and all(SECRET not in m.body_text for m in waiting_mail)


def test_attendee_names_follow_the_hosts_choice_and_blocks(client):
    event = make_event(attendees_visible=True)
    me, friend, blocker = MemberFactory(), MemberFactory(name="友達 花子"), MemberFactory(name="避けたい 人")
    for member in (me, friend, blocker):
        actions.do_rsvp(member, event)
    member_actions.do_block(blocker, me)
    client.force_login(me)
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert "友達 花子" in page and "避けたい 人" not in page
    event.attendees_visible = False
    event.save(update_fields=["attendees_visible"])
    assert "友達 花子" not in client.get(reverse("event_detail", args=[event.pk])).content.decode()


def test_the_event_list_costs_the_same_few_queries_for_many_events(client, django_assert_max_num_queries):
    member = MemberFactory()
    for n in range(15):
        event = make_event(title=f"勉強会 {n}", capacity=10)
        actions.do_rsvp(MemberFactory(), event)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("event_list"))
    assert response.content.decode().count("勉強会") == 15


def test_past_events_are_paged(client):
    from .helpers import move_to_past

    for n in range(22):
        move_to_past(make_event(title=f"過去の会 {n:02d}"), days=n + 1)
    client.force_login(MemberFactory())
    first = client.get(reverse("event_list")).content.decode()
    second = client.get(reverse("event_list"), {"page": 2}).content.decode()
    assert first.count("過去の会") == 20 and "過去の会 00" in first
    assert second.count("過去の会") == 2 and "過去の会 21" in second
