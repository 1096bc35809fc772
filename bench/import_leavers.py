"""Benchmark: import 100,000 HR leaver rows (CP932 CSV) the way `kizuna import-leavers` does.

    python bench/import_leavers.py [--rows N]

Runs on SQLite in a temporary data folder by default, or on PostgreSQL when DATABASE_URL is set (the
database must hold no leaver records; the benchmark removes what it inserted). Prints the machine,
the date, the database, rows/s of the full import (read + validate + diff + apply) and of a baseline
measured in the same run (plain csv parse + bulk_create of the same rows, no validation), and the ratio.
Targets: ≥ 5,000 rows/s and ≥ 25% of the baseline.
"""

import argparse
import csv
import datetime
import io
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATE, TARGET_RATIO = 5000, 0.25


def setup_django(scratch):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if not os.environ.get("DATABASE_URL"):
        os.environ["KIZUNA_DATA_DIR"] = str(scratch / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


COMPANIES = ["本社", "絆テクノロジー株式会社", "絆ロジスティクス株式会社", "絆ファイナンス株式会社"]
DIVISIONS = {
    "営業本部": ["東京営業部", "大阪営業部", "名古屋営業部", "法人営業部"],
    "開発本部": ["プラットフォーム開発部", "アプリ開発部", "品質保証部", "研究開発部"],
    "管理本部": ["人事部", "経理部", "総務部", "法務部"],
    "マーケティング本部": ["広報部", "デジタルマーケティング部"],
}
TITLES = ["", "", "", "主任", "係長", "課長", "部長"]
LEAVE_TYPES = ["自己都合", "自己都合", "自己都合", "会社都合", "定年", "契約満了", "転籍", "その他"]
HEADERS = ["社員番号", "氏名", "フリガナ", "メールアドレス", "入社日", "退職日", "退職区分", "所属", "役職", "会社"]


def wareki(day):
    from kizuna.core.dates import format_wareki

    return format_wareki(day)


def date_text(day, style):
    # HR exports mix spellings; the importer must read them all.
    if style < 6:
        return f"{day.year}/{day.month}/{day.day}"
    if style < 8:
        return day.isoformat()
    return wareki(day)


def generate_rows(count, seed=2026):
    from faker import Faker

    fake = Faker("ja_JP")
    Faker.seed(seed)
    rng = random.Random(seed)
    departments = [f"{d}/{s}" for d, subs in DIVISIONS.items() for s in subs]
    rows = []
    for n in range(count):
        last, last_kana, last_roman = fake.last_name_pair()
        first, first_kana, first_roman = fake.first_name_pair()
        joined = datetime.date(1985, 4, 1) + datetime.timedelta(days=rng.randrange(13000))
        left = joined + datetime.timedelta(days=rng.randrange(200, 9000))
        left = min(left, datetime.date(2025, 3, 31))
        rows.append([
            f"K{n + 1:07d}", f"{last} {first}", f"{last_kana} {first_kana}",
            f"{first_roman}.{last_roman}.{n + 1}@example.jp".lower(),
            date_text(joined, rng.randrange(10)), date_text(left, rng.randrange(10)),
            rng.choice(LEAVE_TYPES), rng.choice(departments), rng.choice(TITLES), rng.choice(COMPANIES),
        ])
    return rows


def write_csv(rows, path):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp932"))


def baseline(path):
    """Plain csv parse + bulk_create of the same rows: no validation, no diff, no eligibility."""
    from kizuna.members.models import LeaverRecord

    def day(text):
        if "/" in text or "-" in text:
            return datetime.date(*map(int, text.replace("/", "-").split("-")))
        return None  # the baseline does not read 和暦; those dates stay empty

    started = time.perf_counter()
    with path.open(encoding="cp932", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        records = [
            LeaverRecord(employee_number=r[0], name=r[1], name_kana=r[2], email=r[3], joined_on=day(r[4]),
                         left_on=day(r[5]) or datetime.date(2000, 1, 1), leave_type="voluntary",
                         department=r[7], title=r[8], company=r[9], name_key=r[1], kana_key=r[2])
            for r in reader
        ]
    LeaverRecord.objects.bulk_create(records, batch_size=2000)
    return time.perf_counter() - started


def full_import(path):
    from django.core.management import call_command

    output = io.StringIO()
    started = time.perf_counter()
    call_command("import_leavers", str(path), stdout=output)
    elapsed = time.perf_counter() - started
    return elapsed, output.getvalue().strip().splitlines()[-1]


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    # Other work on the machine inflates wall times: the 1-minute load average says how busy it was.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{cpu}, {os.cpu_count()} cores, {memory} RAM, Python {platform.python_version()}, load {load:.1f}"


def database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    return f"{connection.vendor} {version}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="kizuna-bench-"))
    try:
        return run(args.rows, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(rows, scratch):
    setup_django(scratch)
    from kizuna.members.models import LeaverRecord

    if LeaverRecord.objects.exists():
        sys.exit("The database already holds leaver records; run the benchmark on an empty database.")
    path = scratch / "leavers.csv"
    write_csv(generate_rows(rows), path)
    try:
        base_seconds = baseline(path)
        LeaverRecord.objects.all().delete()
        import_seconds, summary = full_import(path)
    finally:
        LeaverRecord.objects.all().delete()
    rate, base_rate = rows / import_seconds, rows / base_seconds
    ratio = rate / base_rate
    print(f"machine:   {machine()}")
    print(f"date:      {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"database:  {database()}")
    print(f"file:      {rows:,} rows, CP932 CSV, {path.stat().st_size / 1024 / 1024:.1f} MB")
    print(f"import:    {import_seconds:.2f} s = {rate:,.0f} rows/s  ({summary})")
    print(f"baseline:  {base_seconds:.2f} s = {base_rate:,.0f} rows/s  (csv parse + bulk_create, no validation)")
    print(f"ratio:     {ratio:.0%} of baseline")
    ok = rate >= TARGET_RATE and ratio >= TARGET_RATIO
    print(f"targets:   ≥ {TARGET_RATE:,} rows/s and ≥ {TARGET_RATIO:.0%} of baseline: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
