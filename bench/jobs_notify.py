"""Benchmark: tell the matching members about a new job posting, as the notify_new_posting task does.

    python bench/jobs_notify.py [--members N]

Seeds N members (`kizuna seed --members N`) in a temporary SQLite data folder (or the empty PostgreSQL
database of DATABASE_URL), opens a rehire posting for Python / AWS in 開発本部, and times
`do_notify_new_posting`: finding the members whose skills, department (now or in their career) or
purposes match, then a Notice and a rendered email (an outbox row) for each, in batches of 200. The
baseline, measured in the same run, reads the same profile rows and bulk-inserts the same number of
outbox rows with a fixed text (no matching, no rendering, no markers). Prints the machine, the date, the
database, matched members, both times and the ratio.
"""

import argparse
import datetime
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_leavers import database, machine, setup_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="kizuna-bench-"))
    try:
        setup_django(scratch)
        from django.core.management import call_command
        from django.db import transaction

        from kizuna.core.models import Department, OutboxEmail
        from kizuna.jobs import actions
        from kizuna.jobs.models import Posting
        from kizuna.members.models import Profile

        call_command("seed", members=args.members, verbosity=0)
        posting = actions.do_save_posting(None, Posting(), {
            "title": "バックエンドエンジニア（再入社）", "kind": "rehire", "description": "決済基盤の開発です。",
            "department": Department.objects.filter(path="開発本部").first(), "status": Posting.Status.DRAFT,
        }, skills=["Python", "AWS"])
        Posting.objects.filter(pk=posting.pk).update(status=Posting.Status.OPEN)

        started = time.perf_counter()
        told = actions.do_notify_new_posting(posting.pk)
        notify = time.perf_counter() - started

        started = time.perf_counter()
        with transaction.atomic():
            rows = list(Profile.objects.values_list("user_id", "purposes").iterator(chunk_size=2000))
            OutboxEmail.objects.bulk_create([OutboxEmail(to=f"m{n}@example.jp", subject="新着求人", body_text="本文")
                                             for n in range(told)], batch_size=200)
            transaction.set_rollback(True)
        base = time.perf_counter() - started

        print(f"machine:  {machine()}")
        print(f"date:     {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
        print(f"database: {database()}, {args.members:,} members, {len(rows):,} profiles")
        print(f"notify:   {told:,} members told in {notify:.2f} s = {told / notify:,.0f} members/s")
        print(f"baseline: {base:.2f} s (read the profiles + insert {told:,} outbox rows) = {told / base:,.0f}/s")
        print(f"ratio:    {base / notify:.0%} of the baseline's speed")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
