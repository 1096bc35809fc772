"""Registering, the waiting list and its promotion in order, companions at the capacity boundary and the
registration deadline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kizuna.events import actions
from kizuna.events.models import Registration

from ..factories import MemberFactory
from .helpers import clear_mails, edit_event, mails, make_event

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED,
                                    Registration.Status.CANCELLED)


def statuses(event):
    return [(r.user.name, r.status) for r in event.registrations.select_related("user").order_by("seq")]


def test_a_full_event_puts_the_next_people_on_the_waiting_list():
    event = make_event(capacity=2)
    a, b, c, d = (MemberFactory(name=name) for name in ("一郎", "二郎", "三郎", "四郎"))
    for member in (a, b, c, d):
        actions.do_rsvp(member, event)
    assert statuses(event) == [("一郎", CONFIRMED), ("二郎", CONFIRMED), ("三郎", WAITLISTED), ("四郎", WAITLISTED)]


def test_a_cancellation_promotes_the_first_waiting_and_emails_them_only():
    event = make_event(capacity=1)
    first, second, third = MemberFactory(), MemberFactory(name="待ち 一番"), MemberFactory()
    for member in (first, second, third):
        actions.do_rsvp(member, event)
    clear_mails()
    actions.do_cancel_rsvp(first, event)
    assert Registration.objects.get(user=second).status == CONFIRMED
    assert Registration.objects.get(user=third).status == WAITLISTED
    assert [m.to for m in mails()] == [second.email]
    # The promoted person now has the meeting link; it was never in their waiting-list email.
    assert "https://meet.example.jp/secret-room" in mails()[0].body_text


def test_the_waiting_list_is_served_strictly_in_order():
    """The first person waiting needs 3 seats: one free seat is not given to someone behind them."""
    event = make_event(capacity=4, max_companions=2)
    holder, group, single = MemberFactory(), MemberFactory(), MemberFactory()
    actions.do_rsvp(holder, event, companions=1)  # 2 seats
    actions.do_rsvp(MemberFactory(), event, companions=1)  # 2 seats: full
    actions.do_rsvp(group, event, companions=2)  # needs 3: waits
    actions.do_rsvp(single, event)  # would fit nowhere anyway: waits behind
    actions.do_cancel_rsvp(holder, event)  # 2 free: not enough for the group, single must not overtake
    assert Registration.objects.get(user=group).status == WAITLISTED
    assert Registration.objects.get(user=single).status == WAITLISTED
    edit_event(event, capacity=5)  # 3 free: the group comes in, then nothing is left for single
    assert Registration.objects.get(user=group).status == CONFIRMED
    assert Registration.objects.get(user=single).status == WAITLISTED


def test_companions_count_against_capacity_at_the_boundary():
    event = make_event(capacity=3, max_companions=2)
    exact, over, pair = MemberFactory(), MemberFactory(), MemberFactory()
    assert actions.do_rsvp(exact, event, companions=2).status == CONFIRMED  # 3 of 3 seats: fits exactly
    assert actions.do_rsvp(over, event).status == WAITLISTED  # one more seat than there is
    actions.do_cancel_rsvp(exact, event)
    assert Registration.objects.get(user=over).status == CONFIRMED
    # 2 seats left: a registration of 3 (1 + 2 companions) does not fit entirely and waits, whole.
    assert actions.do_rsvp(pair, event, companions=2).status == WAITLISTED


def test_fewer_companions_promote_the_next_person():
    event = make_event(capacity=3, max_companions=2)
    host_group, waiting = MemberFactory(), MemberFactory()
    actions.do_rsvp(host_group, event, companions=2)
    actions.do_rsvp(waiting, event)
    clear_mails()
    actions.do_rsvp(host_group, event, companions=1)
    assert Registration.objects.get(user=waiting).status == CONFIRMED
    assert [m.to for m in mails()] == [waiting.email]


def test_more_companions_than_free_seats_are_refused_and_nothing_changes():
    event = make_event(capacity=2, max_companions=3)
    member = MemberFactory()
    actions.do_rsvp(member, event)
    actions.do_rsvp(MemberFactory(), event)
    with pytest.raises(ValidationError, match="空席"):
        actions.do_rsvp(member, event, companions=1)
    assert Registration.objects.get(user=member).companions == 0


def test_companions_above_the_events_limit_are_refused():
    event = make_event(max_companions=1)
    with pytest.raises(ValidationError, match="1"):
        actions.do_rsvp(MemberFactory(), event, companions=2)
    assert not Registration.objects.exists()


def test_registration_after_the_deadline_is_refused():
    event = make_event(deadline=timezone.now() + datetime.timedelta(days=1))
    event.deadline = timezone.now() - datetime.timedelta(minutes=1)
    event.save(update_fields=["deadline"])
    with pytest.raises(ValidationError, match="締め切"):
        actions.do_rsvp(MemberFactory(), event)
    assert not Registration.objects.exists()


def test_a_deadline_after_the_start_is_refused():
    with pytest.raises(ValidationError):
        make_event(deadline=timezone.now() + datetime.timedelta(days=30))


def test_cancelling_and_registering_again_goes_to_the_back_of_the_queue():
    event = make_event(capacity=1)
    first, second = MemberFactory(), MemberFactory()
    actions.do_rsvp(first, event)
    actions.do_rsvp(second, event)
    actions.do_cancel_rsvp(first, event)
    again = actions.do_rsvp(first, event)
    assert again.status == WAITLISTED
    assert again.seq > Registration.objects.get(user=second).seq


def test_answers_are_kept_with_the_question():
    event = make_event(questions=["食事の制限はありますか"])
    registration = actions.do_rsvp(MemberFactory(), event, answers={"食事の制限はありますか": "えび・かにアレルギー"})
    assert registration.answers == [{"question": "食事の制限はありますか", "answer": "えび・かにアレルギー"}]


def test_the_registered_email_has_the_link_but_the_waitlisted_one_does_not():
    event = make_event(capacity=1)
    actions.do_rsvp(MemberFactory(), event)
    actions.do_rsvp(MemberFactory(), event)
    registered, waitlisted = mails()[-2:]
    assert "https://meet.example.jp/secret-room" in registered.body_text
    assert "https://meet.example.jp/secret-room" not in waitlisted.body_text
    assert "キャンセル待ち" in waitlisted.subject


def test_after_the_deadline_a_registered_member_can_still_cancel_but_not_change(client):
    from django.urls import reverse

    event = make_event(max_companions=2, deadline=timezone.now() + datetime.timedelta(days=1))
    member = MemberFactory()
    actions.do_rsvp(member, event)
    event.deadline = timezone.now() - datetime.timedelta(minutes=1)
    event.save(update_fields=["deadline"])
    client.force_login(member)
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert reverse("event_rsvp", args=[event.pk]) not in page and reverse("event_cancel", args=[event.pk]) in page
    client.post(reverse("event_cancel", args=[event.pk]))
    assert Registration.objects.get(user=member).status == CANCELLED
