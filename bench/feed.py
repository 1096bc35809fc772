"""Benchmark: the feed at 250,000 members and 1,000,000 posts, end to end, against the raw SQL of the same page.

    python bench/feed.py [--members N] [--posts P] [--data-dir DIR] [--reuse] [--rounds R] [--raw-rounds S]

SQLite in a temporary data folder by default (or in --data-dir, kept), PostgreSQL when DATABASE_URL is
set. Seeds N members with `kizuna seed` (realistic profiles) and P feed items bulk-inserted (posts to the
whole network and to each side, group posts in 400 groups, announcements with a few pinned, activity
items; replies and reactions on 20% of them), or with --reuse keeps a database seeded before with the
same N and P. Then, as an alumnus and an employee (each in 5 groups, with blocks both ways) and an admin:

- "for you" and "latest", first page (GET /feed/) and next page (the htmx partial of the cursor the first
  page gave), through the Django test client: the whole view, template included;
- the raw SQL of the same page's items written by hand (one statement, no ORM), as the baseline, in the
  first S rounds (it takes seconds); the page's items must be exactly the baseline's;
- the number of queries each page takes.

The process is set up as a served one (`kizuna.asgi` imported: every view loaded, the startup objects kept
out of the garbage collector's full passes). Prints the machine (with load average), the date, the
database, the data size, a table of p50/p95 per view and page, and a pass/fail line for the target:
page p95 ≤ 150 ms.
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory import (  # noqa: E402
    bench_viewers,
    fresh,
    in_data_dir,
    percentile,
    seed,
    seeded_members,
    setup_django,
)
from import_leavers import database, machine  # noqa: E402

TARGET_P95_MS = 150
GROUPS = 400
BATCH = 20_000
TEXTS = ["ご無沙汰しています。近況報告です。", "転職しました！新しい職場でも頑張ります。", "勉強会の資料を共有します。",
         "懐かしい写真が出てきました。", "大阪でランチ会をしませんか？", "**新サービス**をリリースしました。",
         "育休から復帰しました。よろしくお願いします。", "採用イベントのお手伝いをしてきました。"]


def seeded_posts():
    from kizuna.feed.models import Post

    return Post.objects.count()


def seed_feed(posts, viewers, rng):
    """Bulk-insert the feed (fast: no actions, no notifications; a benchmark's data, not a network's)."""
    from django.db import transaction
    from django.utils import timezone

    from kizuna.core.markdown import render_markdown
    from kizuna.feed.models import Activity, Audience, Category, Kind, Post, Reaction, Reply
    from kizuna.groups.models import Group, Membership
    from kizuna.members.models import Role, State, User

    started = time.perf_counter()
    members = list(User.objects.filter(state=State.ACTIVE).values_list("pk", "department_id", "joined_on", "role"))
    staff = [pk for pk, _d, _j, role in members if role == Role.ADMIN] or [members[0][0]]
    with transaction.atomic():
        groups = Group.objects.bulk_create(
            [Group(name=f"グループ{n}", slug=f"bench-{n}", name_key=f"グループ{n}") for n in range(GROUPS)])
        memberships = [Membership(group=group, user_id=viewer.pk) for viewer in viewers.values()
                       if viewer.role != Role.ADMIN for group in rng.sample(groups, 5)]
        Membership.objects.bulk_create(memberships, ignore_conflicts=True)
    html = {text: render_markdown(text) for text in TEXTS}
    now = timezone.now()
    span = datetime.timedelta(days=3 * 365).total_seconds()
    for start in range(0, posts, BATCH):
        rows = []
        for number in range(start, min(posts, start + BATCH)):
            # Newest last: the ids grow with time, as in a real network.
            when = now - datetime.timedelta(seconds=span * (1 - number / posts) + rng.random())
            roll = rng.random()
            pk, department, joined, role = rng.choice(members)
            post = Post(kind=Kind.POST, author_id=pk, published_at=when, created_at=when,
                        author_department=department if rng.random() < .8 else None,
                        author_cohort=joined.year if joined and rng.random() < .8 else None)
            if roll < .70:
                post.audience = Audience.NETWORK
            elif roll < .78:
                post.audience = Audience.ALUMNI
            elif roll < .83:
                post.audience = Audience.EMPLOYEES
            elif roll < .93:
                post.audience, post.group_id = Audience.GROUP, rng.choice(groups).pk
            elif roll < .94:
                post.kind, post.author_id, post.title = Kind.ANNOUNCEMENT, rng.choice(staff), "お知らせ"
                post.category = Category.NEWS
                post.author_department = post.author_cohort = None
                post.pinned = number > posts - 2000 and rng.random() < .01
            else:
                post.kind, post.author_id, post.activity = Kind.ACTIVITY, None, Activity.MOVED
                post.subject_id = pk
                post.author_department = post.author_cohort = None
            if post.kind != Kind.ACTIVITY:
                post.body = rng.choice(TEXTS)
                post.body_html = html[post.body]
            rows.append(post)
        with transaction.atomic():
            created = Post.objects.bulk_create(rows, batch_size=2000)
            replies, reactions = [], []
            for post in created:
                if post.kind == Kind.ACTIVITY or rng.random() > .2:
                    continue
                for _ in range(rng.randint(1, 4)):
                    replies.append(Reply(post_id=post.pk, author_id=rng.choice(members)[0], body="いいですね！",
                                         body_html="<p>いいですね！</p>"))
                for user in {rng.choice(members)[0] for _ in range(rng.randint(1, 6))}:
                    reactions.append(Reaction(post_id=post.pk, user_id=user, kind=rng.choice(Reaction.Kind.values)))
            Reply.objects.bulk_create(replies, batch_size=2000)
            Reaction.objects.bulk_create(reactions, batch_size=2000, ignore_conflicts=True)
        print(f"  {min(posts, start + BATCH):,} items", file=sys.stderr)
    return time.perf_counter() - started


def analyse():
    """Planner statistics; on PostgreSQL also what autovacuum does soon after a bulk load (the visibility
    map set, so index-only scans need not visit the table)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def client_for(viewer):
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    return client


def timed_get(client, params, htmx=False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/feed/", params, **extra)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, len(queries), response.content.decode()


def page_ids(html):
    import re

    return [int(pk) for pk in re.findall(r'id="post-(\d+)"', html)]


def next_cursor(html):
    import re

    match = re.search(r"cursor=([0-9-]+)", html)
    return match.group(1) if match else None


def raw_sql_page(viewer, view, cursor_text):
    """The same page's item ids by hand-written SQL: the audience filter, blocks, the author's state, the
    "for you" tiers as a CASE, the keyset condition and LIMIT (plus the pinned items on a first page)."""
    from django.db import connection
    from django.utils import timezone

    from kizuna.feed.access import NEAR_WINDOW, PAGE_SIZE, PINNED_MAX, Cursor, viewer_of

    context = viewer_of(fresh(viewer))
    cursor = Cursor.decode(cursor_text) if cursor_text else None
    since = cursor.since if cursor else timezone.now()
    moment = connection.ops.adapt_datetimefield_value
    groups = ",".join(str(pk) for pk in context.group_ids) or "NULL"
    audiences = ",".join(f"'{audience}'" for audience in context.audiences)
    blocked = ",".join(str(pk) for pk in context.blocked) or "-1"  # NOT IN (NULL) would exclude every row
    base = ("FROM feed_post p LEFT JOIN members_user u ON u.id = p.author_id "
            "WHERE p.status = 'published' AND p.published_at <= %s "
            f"AND (p.audience IN ({audiences}) OR (p.audience = 'group' AND p.group_id IN ({groups}))) "
            f"AND (p.author_id IS NULL OR (u.state IN ('active', 'withdrawn') AND p.author_id NOT IN ({blocked}))) ")
    for_you = view == "for_you"
    if for_you:
        tier = (f"(CASE WHEN p.published_at >= %s AND (p.group_id IN ({groups}) OR p.author_department = %s "
                f"OR p.author_cohort = %s) THEN 1 ELSE 2 END)")
        tier_params = [moment(since - NEAR_WINDOW), context.department_id or -1, context.cohort or -1]
    else:
        tier, tier_params = "2", []
    where, params = base, [moment(since)]
    if for_you:
        where += "AND p.pinned = %s "
        params.append(False)
    if cursor and cursor.published_at:
        where += (f"AND ({tier} > %s OR ({tier} = %s AND (p.published_at < %s "
                  f"OR (p.published_at = %s AND p.id < %s)))) ")
        params += [*tier_params, cursor.tier, *tier_params, cursor.tier, moment(cursor.published_at),
                   moment(cursor.published_at), cursor.pk]
    ids = []
    with connection.cursor() as db:
        if for_you and cursor is None:
            db.execute(f"SELECT p.id {base} AND p.pinned = %s ORDER BY p.published_at DESC, p.id DESC "
                       f"LIMIT {PINNED_MAX}", [moment(since), True])
            ids += [row[0] for row in db.fetchall()]
        order = f"{tier}, " if for_you else ""
        db.execute(f"SELECT p.id {where} ORDER BY {order}p.published_at DESC, p.id DESC LIMIT {PAGE_SIZE}",
                   params + (tier_params if for_you else []))
        ids += [row[0] for row in db.fetchall()]
    return ids


def agrees(raw_ids, shown_ids):
    """The page shows the raw SQL's items in its order, except activity items dropped when read (a member
    who no longer shares moves or whose new company the reader may not see)."""
    from kizuna.feed.models import Kind, Post

    if [pk for pk in raw_ids if pk in set(shown_ids)] != shown_ids:
        return False
    missing = set(raw_ids) - set(shown_ids)
    return not Post.objects.filter(pk__in=missing).exclude(kind=Kind.ACTIVITY).exists()


def timed_raw(viewer, view, cursor_text):
    started = time.perf_counter()
    ids = raw_sql_page(viewer, view, cursor_text)
    return (time.perf_counter() - started) * 1000, ids


def data_size():
    from kizuna.feed.models import Post, Reaction, Reply
    from kizuna.groups.models import Group
    from kizuna.members.models import State, User

    return (f"{User.objects.filter(state=State.ACTIVE).count():,} active members, "
            f"{Post.objects.count():,} feed items, {Reply.objects.count():,} replies, "
            f"{Reaction.objects.count():,} reactions, {Group.objects.count():,} groups")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=250_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, help="SQLite data folder to use and keep (default: temporary)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse a database seeded before with the same N (and P, or no feed yet)")
    # 40 pages a case: a p95 of fewer samples is their maximum.
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--raw-rounds", type=int, default=5, help="rounds that also time the raw SQL")
    args = parser.parse_args()
    return in_data_dir(args.data_dir, run, args)


def run(args, data_dir):
    if data_dir:
        data_dir.mkdir(parents=True, exist_ok=True)
    setup_django(data_dir)
    existing, posts = seeded_members(), seeded_posts()
    if existing and not (args.reuse and existing == args.members and posts in (0, args.posts)):
        sys.exit(f"The database holds {existing:,} members and {posts:,} feed items: use an empty database, or "
                 f"--reuse with --members {existing} --posts {posts}.")
    seed_note = ""
    if not existing:
        print(f"Seeding {args.members:,} members …", file=sys.stderr)
        seconds, _cpu, _report = seed(args.members)
        seed_note = f"members {seconds:.0f} s"
    viewers = bench_viewers()
    if not posts:
        print(f"Seeding {args.posts:,} feed items …", file=sys.stderr)
        seed_note += f", feed {seed_feed(args.posts, viewers, random.Random(2026)):.0f} s"
        analyse()

    print("Timing …", file=sys.stderr)
    import kizuna.asgi  # noqa: F401  (set the process up as the server's is: URLs loaded, startup objects frozen)

    for viewer in viewers.values():  # warm the process's caches (templates, URL resolver, settings) once
        for view in ("for_you", "latest"):
            timed_get(client_for(fresh(viewer)), {"view": view})
    cases = [(key, view, page) for key in viewers for view in ("for_you", "latest") for page in ("first", "next")]
    times = {case: [] for case in cases}
    raw = {case: [] for case in cases}
    queries = {case: 0 for case in cases}
    same = True
    for number in range(args.rounds):
        for key, viewer in viewers.items():
            client = client_for(fresh(viewer))
            for view in ("for_you", "latest"):
                wall, count, html = timed_get(client, {"view": view})
                times[(key, view, "first")].append(wall)
                queries[(key, view, "first")] = max(queries[(key, view, "first")], count)
                cursor = next_cursor(html)
                wall, count, partial = timed_get(client, {"view": view, "cursor": cursor}, htmx=True)
                times[(key, view, "next")].append(wall)
                queries[(key, view, "next")] = max(queries[(key, view, "next")], count)
                if number < args.raw_rounds:
                    for page, shown, at in (("first", html, None), ("next", partial, cursor)):
                        raw_ms, ids = timed_raw(viewer, view, at)
                        raw[(key, view, page)].append(raw_ms)
                        same &= agrees(ids, page_ids(shown))

    print(f"machine:   {machine()}")
    print(f"date:      {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"database:  {database()}")
    print(f"data:      {data_size()}")
    if seed_note:
        print(f"seed:      {seed_note.strip(', ')}")
    print()
    print(f"page = GET /feed/ (first) or the htmx partial of its cursor (next), whole view and template, "
          f"{args.rounds} samples; raw SQL = the same page's item ids by one hand-written statement, "
          f"{min(args.raw_rounds, args.rounds)} samples")
    print(f"{'viewer':9} {'view':8} {'page':6} {'p50':>8} {'p95':>8} {'raw p50':>8} {'raw p95':>8} {'queries':>8}")
    worst = 0.0
    for case in cases:
        p95 = percentile(times[case], .95)
        worst = max(worst, p95)
        print(f"{case[0]:9} {case[1]:8} {case[2]:6} {percentile(times[case], .5):>6.1f}ms {p95:>6.1f}ms "
              f"{percentile(raw[case], .5):>6.1f}ms {percentile(raw[case], .95):>6.1f}ms {queries[case]:>8}")
    print()
    print(f"{'PASS' if worst <= TARGET_P95_MS else 'FAIL'}  page p95 ≤ {TARGET_P95_MS} ms (worst {worst:.1f} ms)")
    print(f"{'PASS' if same else 'FAIL'}  every page shows the raw SQL's items in its order (activity items "
          "the reader may not see left out)")
    return 0 if worst <= TARGET_P95_MS and same else 1


if __name__ == "__main__":
    sys.exit(main())
