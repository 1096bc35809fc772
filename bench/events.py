"""Benchmark: many members register for one event at the same moment.

    python bench/events.py [--members 200] [--seats 50] [--threads 8] [--rounds 3]

SQLite in a temporary data folder by default, PostgreSQL when DATABASE_URL is set (the benchmark removes
what it inserted). Each round creates an event with --seats seats and lets --threads threads register
--members members through events.actions.do_rsvp (row lock / IMMEDIATE transaction, seat count, waiting
list, check-in code, the confirmation mail queued), then checks the outcome: exactly --seats confirmed, the
rest waitlisted, in arrival order. The baseline, measured in the same run with the same threads, inserts the
same registration rows plainly (one INSERT per member in its own transaction: no lock, no count, no mail).
Prints the machine, the date, the database, the data size, RSVPs/s of both and their ratio.
"""

import argparse
import datetime
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_leavers import database, machine, setup_django  # noqa: E402

BENCH_DOMAIN = "events-bench.kizuna.example"


def run_threads(work, items, threads):
    """Run work(item) for every item on `threads` threads started together; returns the seconds taken."""
    from django.db import connection

    queue, lock, errors = list(reversed(items)), threading.Lock(), []
    start = threading.Barrier(threads + 1)

    def worker():
        try:
            start.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    item = queue.pop()
                work(item)
        except Exception as error:  # reported after the run
            errors.append(error)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} registrations failed, e.g. {errors[0]!r}")
    return time.perf_counter() - began


def new_event(seats, label):
    from django.utils import timezone

    from kizuna.events import actions
    from kizuna.events.models import Event

    starts = timezone.now() + datetime.timedelta(days=30)
    return actions.do_save_event(None, Event(), {
        "title": f"ベンチマーク {label}", "description": "", "format": "onsite", "venue": "本社", "map_url": "",
        "online_url": "", "time_zone": "Asia/Tokyo", "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2), "capacity": seats, "max_companions": 0, "deadline": None,
        "fee_note": "", "questions": [], "audience": "everyone", "attendees_visible": False}, hosts=[])


def rsvp_round(members, seats, threads, label):
    from kizuna.events import actions
    from kizuna.events.models import Registration

    event = new_event(seats, label)
    seconds = run_threads(lambda member: actions.do_rsvp(member, event), members, threads)
    statuses = list(Registration.objects.filter(event=event).order_by("seq").values_list("status", flat=True))
    expected = ["confirmed"] * seats + ["waitlisted"] * (len(members) - seats)
    if statuses != expected:
        raise SystemExit(f"wrong outcome: {statuses.count('confirmed')} confirmed of {len(statuses)}")
    return seconds


def baseline_round(members, seats, threads, label):
    from django.db import transaction

    from kizuna.events.models import Registration

    event = new_event(seats, label)
    numbers = iter(range(1, len(members) + 1))
    lock = threading.Lock()

    def insert(member):
        with lock:
            seq = next(numbers)
        with transaction.atomic():
            Registration.objects.create(event=event, user=member, status="confirmed", seq=seq,
                                        code=secrets.token_hex(5).upper())

    return run_threads(insert, members, threads)


def make_members(count):
    from kizuna.members import actions

    return [actions.do_create_member(email=f"bench{n}@{BENCH_DOMAIN}", name=f"ベンチ 太郎{n}") for n in range(count)]


def clean_up():
    from kizuna.core.models import OutboxEmail
    from kizuna.events.models import Event
    from kizuna.members.models import User

    Event.objects.filter(title__startswith="ベンチマーク").delete()
    OutboxEmail.objects.filter(to__endswith=BENCH_DOMAIN).delete()
    User.objects.filter(email__endswith=BENCH_DOMAIN).delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="kizuna-bench-"))
    try:
        setup_django(scratch)
        db = database()
        clean_up()
        members = make_members(args.members)
        rsvp = [rsvp_round(members, args.seats, args.threads, f"rsvp {n}") for n in range(args.rounds)]
        plain = [baseline_round(members, args.seats, args.threads, f"baseline {n}") for n in range(args.rounds)]
        clean_up()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    best_rsvp, best_plain = args.members / min(rsvp), args.members / min(plain)
    print(f"machine:   {machine()}")
    print(f"date:      {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"database:  {db}")
    print(f"data:      {args.members} members registering for {args.seats} seats on {args.threads} threads, "
          f"best of {args.rounds} rounds")
    print("outcome:   exactly the seats confirmed, the rest waitlisted in arrival order (checked every round)")
    print(f"rsvp:      {best_rsvp:8.0f} RSVPs/s  (do_rsvp: lock, seat count, waiting list, mail queued)")
    print(f"baseline:  {best_plain:8.0f} rows/s   (plain INSERT of the same rows, one transaction each)")
    print(f"ratio:     {best_plain / best_rsvp:8.1f}× the baseline's time")


if __name__ == "__main__":
    main()
