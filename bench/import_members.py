"""Benchmark: move 10,000 members in (CP932 CSV) the way `kizuna import-members` does.

    python bench/import_members.py [--rows N]

Runs on SQLite in a temporary data folder by default, or on PostgreSQL when DATABASE_URL is set (the
database must hold no members; the benchmark removes what it inserted). Prints the machine, the date,
the database, members/s of the full import (read + validate + create accounts, profiles, skills, career
+ directory index + one set-password mail each) and of a baseline measured in the same run (plain csv
parse + bulk_create of the accounts and profiles, no validation, no index, no mail), and the ratio.
Target: ≥ 150 members per CPU second (a 10,000-member roster in about a minute on one core). The target is
on CPU time, which other work on the machine does not inflate; wall time is printed beside it.
"""

import argparse
import csv
import datetime
import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_leavers import database, generate_rows, machine, setup_django  # noqa: E402

TARGET_RATE = 150
HEADERS = ["社員番号", "氏名", "フリガナ", "メールアドレス", "入社日", "退職日", "所属", "役職", "会社",
           "現在の会社", "現在の役職", "地域", "スキル", "自己紹介", "ローマ字"]
COMPANIES = ["株式会社ミライ", "さくらコンサルティング", "合同会社ひかり", "Acme Japan", ""]
TITLES = ["エンジニア", "マネージャー", "営業", "代表取締役", "デザイナー", ""]
PLACES = ["東京都", "東京", "大阪府", "神奈川県", "福岡", "Singapore", "アメリカ", "Tokyo", ""]
SKILLS = ["Python", "Go", "法人営業", "マーケティング", "会計", "人事", "SQL", "AWS", "デザイン", "交渉"]


def member_rows(count, seed=2026):
    rng = random.Random(seed)
    rows = []
    for n, leaver in enumerate(generate_rows(count, seed)):
        number, name, kana, email, joined, left, _leave_type, department, title, company = leaver
        employee = n % 5 == 0  # a fifth still work at the company
        rows.append([
            "" if n % 3 else number, name, kana, email, joined, "" if employee else left, department, title, company,
            rng.choice(COMPANIES), rng.choice(TITLES), rng.choice(PLACES),
            "、".join(rng.sample(SKILLS, rng.randrange(4))), "よろしくお願いします。" if n % 2 else "",
            email.split("@")[0].split(".")[0].title() + " " + email.split(".")[1].title(),
        ])
    return rows


def write_csv(rows, path):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp932"))


def baseline(path):
    """Plain csv parse + bulk_create of accounts and profiles: no validation, no index, no mail."""
    from django.contrib.auth.hashers import make_password

    from kizuna.members.models import Profile, Role, State, User

    unusable = make_password(None)
    started = time.perf_counter()
    with path.open(encoding="cp932", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        rows = list(reader)
    users = [User(email=r[3], name=r[1], name_kana=r[2], role=Role.ALUMNI if r[5] else Role.EMPLOYEE,
                  state=State.ACTIVE, password=unusable) for r in rows]
    User.objects.bulk_create(users, batch_size=1000)
    Profile.objects.bulk_create([Profile(user=u, current_company=r[9], current_title=r[10], bio=r[13])
                                 for u, r in zip(users, rows, strict=True)], batch_size=1000)
    return time.perf_counter() - started


def full_import(path):
    from django.core.management import call_command

    output = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_members", str(path), "--language", "en", stdout=output)
    return time.perf_counter() - started, time.process_time() - cpu, output.getvalue().strip().splitlines()[-1]


def clean_up():
    from kizuna.core.models import OutboxEmail
    from kizuna.members.models import User

    User.objects.all().delete()
    OutboxEmail.objects.all().delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="kizuna-bench-"))
    try:
        return run(args.rows, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(rows, scratch):
    setup_django(scratch)
    from django.test.utils import override_settings

    from kizuna.members.models import User

    if User.objects.exists():
        sys.exit("The database already holds members; run the benchmark on an empty database.")
    path = scratch / "members.csv"
    write_csv(member_rows(rows), path)
    # Mail is queued as outbox rows and delivered by the worker afterwards: the import's cost is the queueing.
    with override_settings(EMAIL_BACKEND="kizuna.core.mail.OutboxBackend"):
        try:
            base_seconds = baseline(path)
            clean_up()
            import_seconds, import_cpu, summary = full_import(path)
        finally:
            clean_up()
    rate, base_rate = rows / import_seconds, rows / base_seconds
    print(f"machine:   {machine()}")
    print(f"date:      {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"database:  {database()}")
    print(f"file:      {rows:,} rows, CP932 CSV, {path.stat().st_size / 1024 / 1024:.1f} MB")
    print(f"import:    {import_seconds:.2f} s = {rate:,.0f} members/s, {import_cpu:.2f} s CPU  ({summary})")
    print(f"baseline:  {base_seconds:.2f} s = {base_rate:,.0f} members/s  (csv parse + bulk_create of accounts "
          "and profiles)")
    print(f"ratio:     {rate / base_rate:.0%} of baseline")
    cpu_rate = rows / import_cpu
    ok = cpu_rate >= TARGET_RATE
    print(f"target:    ≥ {TARGET_RATE:,} members per CPU second ({cpu_rate:,.0f}): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
