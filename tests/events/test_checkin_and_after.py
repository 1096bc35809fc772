"""The reception (受付), walk-ins (当日参加), feedback, the event report (開催レポート) and the figures."""

import pytest
from django.urls import reverse

from kizuna.events import access, actions
from kizuna.events.models import Registration
from kizuna.members.models import Role

from ..factories import MemberFactory
from .helpers import image_upload, make_event, move_to_past

pytestmark = pytest.mark.django_db


def test_a_host_checks_a_confirmed_attendee_in_by_their_code(client):
    host, guest = MemberFactory(), MemberFactory(name="来場 太郎")
    event = make_event(hosts=[host])
    registration = actions.do_rsvp(guest, event)
    client.force_login(host)
    typed = f"{registration.code[:5].lower()}-{registration.code[5:]}"  # as read aloud, in lower case
    response = client.post(reverse("event_checkin", args=[event.pk]), {"code": typed})
    assert "来場 太郎" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
    again = client.post(reverse("event_checkin", args=[event.pk]), {"code": registration.code})
    assert again.status_code == 409


def test_a_code_of_another_event_or_a_waitlisted_seat_does_not_check_in(client):
    host = MemberFactory()
    event, other = make_event(hosts=[host], capacity=1), make_event()
    foreign = actions.do_rsvp(MemberFactory(), other)
    actions.do_rsvp(MemberFactory(), event)
    waiting = actions.do_rsvp(MemberFactory(), event)
    client.force_login(host)
    assert client.post(reverse("event_checkin", args=[event.pk]), {"code": foreign.code}).status_code == 404
    assert client.post(reverse("event_checkin", args=[event.pk]), {"code": waiting.code}).status_code == 409
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_only_hosts_and_staff_open_the_reception(client):
    attendee = MemberFactory()
    event = make_event()
    actions.do_rsvp(attendee, event)
    client.force_login(attendee)
    assert client.get(reverse("event_checkin", args=[event.pk])).status_code == 403
    client.force_login(MemberFactory(role=Role.MODERATOR))
    assert client.get(reverse("event_checkin", args=[event.pk])).status_code == 200


def test_a_walk_in_is_checked_in_and_counted_apart(client):
    host = MemberFactory()
    event = make_event(hosts=[host], capacity=1)
    actions.do_rsvp(MemberFactory(), event)
    client.force_login(host)
    response = client.post(reverse("event_walk_in", args=[event.pk]), {"name": "飛び入り 次郎"})
    assert "飛び入り 次郎" in response.content.decode()
    walk_in = Registration.objects.get(walk_in=True)
    assert walk_in.checked_in_at is not None and walk_in.user is None
    figures = access.figures_of(event)
    assert (figures["registered"], figures["walk_ins"], figures["attended"]) == (1, 1, 0)


def test_figures_attendance_and_no_shows_after_the_event():
    event = make_event()
    came, stayed_home = MemberFactory(), MemberFactory()
    actions.do_check_in(None, actions.do_rsvp(came, event))
    actions.do_rsvp(stayed_home, event)
    move_to_past(event)
    actions.do_give_feedback(came, event, rating=4, comment="また参加したいです")
    figures = access.figures_of(event)
    assert figures["attendance_rate"] == 0.5 and figures["no_show_rate"] == 0.5
    assert figures["average_rating"] == 4
    overall = access.overall_figures()
    assert overall["events"] == 1 and overall["attendance_rate"] == 0.5


def test_feedback_only_from_people_who_had_a_seat():
    event = make_event()
    seated, outsider = MemberFactory(), MemberFactory()
    actions.do_rsvp(seated, event)
    move_to_past(event)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.do_give_feedback(outsider, event, rating=5)
    with pytest.raises(ValidationError):
        actions.do_give_feedback(seated, event, rating=6)
    actions.do_give_feedback(seated, event, rating=5)
    actions.do_give_feedback(seated, event, rating=3)  # changes the answer, never two
    assert list(event.feedback.values_list("rating", flat=True)) == [3]


def test_the_report_with_photos_appears_for_the_audience_after_the_event(client):
    host, member = MemberFactory(), MemberFactory()
    event = move_to_past(make_event(hosts=[host]))
    client.force_login(host)
    response = client.post(reverse("event_report", args=[event.pk]),
                           {"text": "## 当日の様子\n80名が集まりました。", "photos": [image_upload()]})
    assert response.status_code == 302
    client.force_login(member)
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert "<h2>当日の様子</h2>" in page
    photo = event.photos.get()
    assert client.get(reverse("event_photo", args=[event.pk, photo.pk])).status_code == 200
    assert client.get(reverse("event_report", args=[event.pk])).status_code == 403


def test_a_report_cannot_be_written_before_the_event():
    event = make_event()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.do_save_report(None, event, text="まだです")


def test_the_ticket_is_a_qr_code_inline_for_a_confirmed_seat(client):
    member = MemberFactory()
    event = make_event()
    registration = actions.do_rsvp(member, event)
    client.force_login(member)
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert "<svg" in page and f"{registration.code[:5]}-{registration.code[5:]}" in page
    assert " style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # strict CSP: no inline style


def test_hrs_event_results_count_walk_ins_apart_in_few_queries(admin_client, django_assert_max_num_queries):
    for n in range(5):
        event = make_event(title=f"交流会 {n}")
        actions.do_check_in(None, actions.do_rsvp(MemberFactory(), event))
        actions.do_rsvp(MemberFactory(), event)
        actions.do_add_walk_in(None, event, name="当日 太郎")
        move_to_past(event)
    with django_assert_max_num_queries(15):
        page = admin_client.get(reverse("event_figures")).content.decode()
    assert page.count("50%") >= 5 + 1  # every event and the overall rate: walk-ins are not attendees of record


def test_the_reception_panel_answers_htmx_with_the_problem_inside(client):
    """htmx swaps only successful answers: an unknown code comes back as the panel saying so."""
    host = MemberFactory()
    event = make_event(hosts=[host])
    client.force_login(host)
    response = client.post(reverse("event_checkin", args=[event.pk]), {"code": "ZZZZZ-ZZZZZ"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="checkin"')
    assert "このコードの申込はこのイベントにありません" in body and "<html" not in body
