"""200 members press "Register" at the same moment for 50 seats: exactly 50 get a seat and 150 wait, in the
order their registrations were taken. Real threads, each with its own database connection, on whichever
database the suite runs on (SQLite: transactions begin IMMEDIATE; PostgreSQL: the event row is locked)."""

import threading

import pytest
from django.db import connection

from kizuna.events import actions
from kizuna.events.models import Registration
from kizuna.members.models import User

from ..factories import MemberFactory
from .helpers import make_event

MEMBERS, SEATS = 200, 50


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_fill_exactly_the_seats_in_arrival_order():
    event = make_event(capacity=SEATS)
    member_ids = [MemberFactory().pk for _ in range(MEMBERS)]
    start = threading.Barrier(8)
    failures = []
    queue = list(member_ids)
    lock = threading.Lock()

    def worker():
        try:
            start.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    pk = queue.pop()
                actions.do_rsvp(User.objects.get(pk=pk), event)
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    registrations = list(Registration.objects.filter(event=event).order_by("seq"))
    assert len(registrations) == MEMBERS
    assert [r.seq for r in registrations] == list(range(1, MEMBERS + 1))
    statuses = [r.status for r in registrations]
    # Arrival order is the order seats were handed out: the first 50 taken have them, the rest wait.
    assert statuses == [Registration.Status.CONFIRMED] * SEATS + [Registration.Status.WAITLISTED] * (MEMBERS - SEATS)
    assert len({r.code for r in registrations}) == MEMBERS

    # A cancellation hands the seat to the first in the queue, not to anyone else.
    first = registrations[0]
    actions.do_cancel_rsvp(first.user, event)
    assert Registration.objects.get(pk=registrations[SEATS].pk).status == Registration.Status.CONFIRMED
    assert Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count() == SEATS
