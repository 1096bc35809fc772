"""Benchmark: chat send→receive latency with 1,000 connected clients, against a bare `websockets` broadcast
server doing the same fan-out in the same run, and delivery in a 500-member group (nothing lost or doubled).

    python bench/chat.py [--clients 1000] [--interval 5] [--duration 30] [--group-size 10]
                         [--big-group 500] [--big-messages 10000] [--processes 1] [--port 8301]

SQLite in a temporary data folder (PostgreSQL when DATABASE_URL is set). Creates the members, half of them in
1:1 conversations (pairs) and half in group conversations of --group-size, through the chat's actions, and
gives each a signed-in session. Then, with Kizuna served by uvicorn (`kizuna.asgi`, one process with the
in-memory channel layer; with REDIS_URL and --processes 2, two processes sharing the Redis layer, clients
split between them as behind a proxy):

1. latency: every client connects to its conversation's socket and sends one message every --interval
   seconds (start times spread evenly); each other member of the conversation records the time from send to
   receive. Warm-up of one interval, then --duration seconds measured. p50/p99 over all receipts.
2. the same load against a bare `websockets` server in its own process that broadcasts each message to
   the connections of the same room (no database, no authorisation): the baseline.
3. a --big-group member conversation: --big-messages messages sent over the sockets by its members; every
   member's client counts what it received: lost (ids never received) and duplicated must both be 0.

Prints the machine (with the load average), the date, the database and layer, the sizes, and a pass/fail
line per target: p99 ≤ 2× the baseline's p99 and ≤ 250 ms; 0 lost, 0 duplicated.
"""

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_leavers import database, machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r"bench-(\d+)-(\d+)")  # bench-<sender index>-<sequence>
TARGET_P99_MS, TARGET_RATIO = 250, 2
ORIGIN = "http://localhost"


# --- set-up ----------------------------------------------------------------------------------------------

def setup_django(data_dir):
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["KIZUNA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("KIZUNA_SECRET_KEY", "bench-chat-secret-key-not-for-production-0123456789")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_members(count):
    from django.contrib.auth.hashers import make_password

    from kizuna.members.actions import NewMember, do_bulk_create_members
    from kizuna.members.models import Role, State, User

    password = make_password(None)  # nobody signs in with a password here: sessions are made below
    entries = [NewMember(User(email=f"chat{n}@bench.kizuna.example", name=f"ベンチ {n}", name_kana="べんち",
                              role=Role.ALUMNI, state=State.ACTIVE, password=password)) for n in range(count)]
    do_bulk_create_members(entries, email_verified=True, index=False)
    return list(User.objects.filter(email__endswith="@bench.kizuna.example").order_by("pk"))


def session_cookie(user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def create_conversations(members, group_size):
    """Rooms: lists of member indexes. The first half of the members in pairs, the rest in groups."""
    from kizuna.chat import actions

    half = len(members) // 2 // 2 * 2
    rooms = []
    for n in range(0, half, 2):
        conversation = actions.do_start_direct(members[n], members[n + 1])
        rooms.append((conversation.pk, [n, n + 1]))
    for n in range(half, len(members), group_size):
        indexes = list(range(n, min(n + group_size, len(members))))
        if len(indexes) < 2:
            continue
        conversation = actions.do_create_group(members[indexes[0]], f"ベンチ {n}", [members[i] for i in indexes[1:]])
        rooms.append((conversation.pk, indexes))
    return rooms


# --- servers -----------------------------------------------------------------------------------------------

def start_uvicorn(port, env):
    # Keep-alive pings every 5 minutes instead of 20 s: the load generator shares the machine, and a pong it
    # answers late must not close the socket in the middle of the measurement.
    command = [sys.executable, "-m", "uvicorn", "kizuna.asgi:application", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning", "--lifespan", "off", "--ws-ping-interval", "300",
               "--ws-ping-timeout", "300"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def start_baseline(port):
    return subprocess.Popen([sys.executable, __file__, "--baseline-server", str(port)], cwd=ROOT)


def baseline_server(port):
    """A bare broadcast server: each text frame goes to every connection of the same room (the path)."""
    import websockets

    rooms = {}

    async def handler(connection):
        room = rooms.setdefault(connection.request.path, set())
        room.add(connection)
        try:
            async for frame in connection:
                websockets.broadcast(room, json.dumps({"type": "messages", "messages": [{"html": frame}]}))
        finally:
            room.discard(connection)

    async def main():
        async with websockets.serve(handler, "127.0.0.1", port, max_queue=None, compression=None):
            await asyncio.Future()

    with contextlib.suppress(KeyboardInterrupt):  # stop() ends it with SIGINT
        asyncio.run(main())


async def wait_for_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def warm_up(port):
    """One page request: the server imports its URLs and views before the clock starts (not on the first
    message)."""
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=120) as response:  # noqa: S310
        response.read()


def stop(process):
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


# --- clients -----------------------------------------------------------------------------------------------

class Load:
    """Clients in one event loop: send times and receive latencies (same process, so one clock)."""

    def __init__(self):
        self.sent = {}
        self.latencies = []
        self.measuring = False
        self.errors = 0
        self.dropped = 0  # sockets the server closed during the run


async def connect_client(url, headers, *, kizuna):
    import websockets

    return await websockets.connect(url, additional_headers=headers, origin=ORIGIN if kizuna else None,
                                    max_queue=None, compression=None, open_timeout=300, ping_interval=None)


async def client(load, socket, index, *, interval, stop_at, start_delay, kizuna):
    import websockets

    async def receive():
        with contextlib.suppress(websockets.ConnectionClosed):
            await read(socket)

    async def read(socket):
        # The tokens are found in the frame as received, without decoding its JSON: the client shares the
        # machine's two cores with the server it measures, and does the same for Kizuna and the baseline.
        async for frame in socket:
            received = time.perf_counter()
            if frame.startswith('{"type": "error"'):
                load.errors += 1
            for found in TOKEN.finditer(frame):
                if int(found.group(1)) == index:
                    continue
                sent = load.sent.get(found.group(0))
                if sent is not None and sent[1]:
                    load.latencies.append(received - sent[0])

    receiver = asyncio.ensure_future(receive())
    await asyncio.sleep(start_delay)
    sequence = 0
    while time.perf_counter() < stop_at:
        sequence += 1
        token = f"bench-{index}-{sequence}"
        load.sent[token] = (time.perf_counter(), load.measuring)
        text = f"{token} こんにちは、ベンチマークです"
        try:
            await socket.send(json.dumps({"type": "send", "text": text, "client_id": token}) if kizuna else text)
        except websockets.ConnectionClosed:
            load.dropped += 1
            break
        await asyncio.sleep(interval)
    await asyncio.sleep(5)  # the last messages' receipts
    receiver.cancel()
    await socket.close()


async def latency_run(targets, rooms, cookies, *, interval, duration, kizuna):
    """targets: base ws URLs (one per server process); clients are spread over them. Every client connects
    first (at most 50 at a time); the clock starts when all 1,000 are connected."""
    load = Load()
    members = [(number, conversation_id, index) for number, (conversation_id, indexes) in enumerate(rooms)
               for index in indexes]
    gate = asyncio.Semaphore(50)

    async def connected(number, conversation_id, index):
        base = targets[index % len(targets)]
        url = f"{base}/ws/chat/{conversation_id}/?after=0&lang=ja" if kizuna else f"{base}/room/{number}"
        async with gate:
            return await connect_client(url, {"Cookie": cookies[index]} if kizuna else {}, kizuna=kizuna)

    sockets = await asyncio.gather(*(connected(*member) for member in members))
    warm_up = interval
    stop_at = time.perf_counter() + warm_up + duration
    tasks = [client(load, socket, index, interval=interval, stop_at=stop_at, kizuna=kizuna,
                    start_delay=(index * 7919 % 1000) / 1000 * interval)  # spread evenly over the interval
             for socket, (_number, _conversation_id, index) in zip(sockets, members, strict=True)]

    async def measure_after_warm_up():
        await asyncio.sleep(warm_up)
        load.measuring = True

    await asyncio.gather(measure_after_warm_up(), *tasks)
    return load


async def big_group_run(targets, conversation_id, cookies, indexes, messages):
    """Every member connected; `messages` sent round-robin by the members at up to 200 a second; each client
    counts what it received. A client whose socket drops reconnects with ?after=<last id received>, as the
    page does. Checked against what the database stored: nothing lost, nothing twice, in order."""
    import websockets

    received = {index: [] for index in indexes}
    sockets = {}
    done = asyncio.Event()

    def url(index):
        after = received[index][-1] if received[index] else 0
        return f"{targets[index % len(targets)]}/ws/chat/{conversation_id}/?after={after}&lang=ja"

    async def connect(index):
        sockets[index] = await websockets.connect(url(index), additional_headers={"Cookie": cookies[index]},
                                                  origin=ORIGIN, max_queue=None, compression=None,
                                                  open_timeout=300, ping_interval=None)

    async def receive(index):
        while not done.is_set():
            try:
                async for frame in sockets[index]:
                    for message in json.loads(frame).get("messages", ()):
                        received[index].append(message["id"])
            except websockets.ConnectionClosed:
                pass
            if not done.is_set():
                await asyncio.sleep(1)
                await connect(index)

    async def sync_now_and_then():  # as the page does every 30 s
        while not done.is_set():
            await asyncio.sleep(30)
            for socket in list(sockets.values()):
                with contextlib.suppress(websockets.ConnectionClosed):
                    await socket.send(json.dumps({"type": "sync"}))

    gate = asyncio.Semaphore(50)

    async def connect_gated(index):
        async with gate:
            await connect(index)

    await asyncio.gather(*(connect_gated(index) for index in indexes))
    receivers = [asyncio.ensure_future(receive(index)) for index in indexes]
    receivers.append(asyncio.ensure_future(sync_now_and_then()))
    started = time.perf_counter()
    per_second = 200
    for number in range(messages):
        text = json.dumps({"type": "send", "text": f"大きなグループ {number}", "client_id": str(number)})
        for attempt in range(len(indexes)):  # a sender whose socket is reconnecting passes it on
            try:
                await sockets[indexes[(number + attempt) % len(indexes)]].send(text)
                break
            except websockets.ConnectionClosed:
                continue
        if number % per_second == per_second - 1:
            await asyncio.sleep(max(0.0, started + (number + 1) / per_second - time.perf_counter()))
    stored = await stored_ids(conversation_id)
    deadline = time.perf_counter() + 900
    while time.perf_counter() < deadline:
        stored = await stored_ids(conversation_id)
        if len(stored) >= messages and all(set(stored) <= set(ids) for ids in received.values()):
            break
        await asyncio.sleep(1)
    elapsed = time.perf_counter() - started
    done.set()
    for task in receivers:
        task.cancel()
    for socket in sockets.values():
        await socket.close()
    expected = set(stored)
    lost = sum(len(expected - set(ids)) for ids in received.values())
    duplicated = sum(len(ids) - len(set(ids)) for ids in received.values())
    in_order = all(ids == sorted(ids) for ids in received.values())
    return {"stored": len(stored), "lost": lost, "duplicated": duplicated, "in_order": in_order, "seconds": elapsed}


async def stored_ids(conversation_id):
    from asgiref.sync import sync_to_async

    from kizuna.chat.models import Message

    return await sync_to_async(lambda: list(Message.objects.filter(conversation_id=conversation_id)
                                            .order_by("pk").values_list("pk", flat=True)))()


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--group-size", type=int, default=10)
    parser.add_argument("--big-group", type=int, default=500)
    parser.add_argument("--big-messages", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=1, help="ASGI processes (more than one needs REDIS_URL)")
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--baseline-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        return baseline_server(args.baseline_server)
    if args.processes > 1 and not os.environ.get("REDIS_URL"):
        parser.error("several ASGI processes share notices only through Redis: set REDIS_URL")

    data_dir = Path(tempfile.mkdtemp(prefix="kizuna-bench-chat-"))
    try:
        return measure(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def measure(args, data_dir):
    setup_django(data_dir)
    from django.conf import settings
    from django.db import connection

    from kizuna.chat import actions

    members = create_members(max(args.clients, args.big_group))
    cookies = [session_cookie(member) for member in members]
    rooms = create_conversations(members[:args.clients], args.group_size)
    big = actions.do_create_group(members[0], "500人のグループ", members[1:args.big_group])
    big_indexes = list(range(args.big_group))
    connection.close()

    env = {**os.environ, "KIZUNA_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    ports = [args.port + n for n in range(args.processes)]
    servers = [start_uvicorn(port, env) for port in ports]
    baseline_port = args.port + args.processes
    baseline = start_baseline(baseline_port)
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        asyncio.run(wait_for_port(baseline_port))
        for port in ports:
            asyncio.run(wait_for_port(port))
            warm_up(port)
        targets = [f"ws://127.0.0.1:{port}" for port in ports]
        kizuna = asyncio.run(latency_run(targets, rooms, cookies, interval=args.interval, duration=args.duration,
                                         kizuna=True))
        bare = asyncio.run(latency_run([f"ws://127.0.0.1:{baseline_port}"], rooms, cookies,
                                       interval=args.interval, duration=args.duration, kizuna=False))
        stop(baseline)
        p50, p99 = percentile(kizuna.latencies, 0.50) * 1000, percentile(kizuna.latencies, 0.99) * 1000
        b50, b99 = percentile(bare.latencies, 0.50) * 1000, percentile(bare.latencies, 0.99) * 1000
        pairs = sum(1 for _pk, indexes in rooms if len(indexes) == 2)
        print(f"machine:   {machine()}")
        print(f"date:      {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
        print(f"database:  {database()}; channel layer {layer}; {args.processes} uvicorn process(es)")
        print(f"load:      {args.clients} clients, one message every {args.interval:g} s each "
              f"({args.clients / args.interval:.0f} messages/s), {pairs} 1:1 conversations and "
              f"{len(rooms) - pairs} groups of {args.group_size}; {args.duration:g} s measured after "
              f"{args.interval:g} s")
        print(f"kizuna:    p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   ({len(kizuna.latencies)} receipts, "
              f"{kizuna.errors} refused, {kizuna.dropped} sockets closed by the server)")
        print(f"baseline:  p50 {b50:7.1f} ms   p99 {b99:7.1f} ms   ({len(bare.latencies)} receipts; bare "
              f"websockets broadcast, same fan-out)", flush=True)
        delivery = asyncio.run(big_group_run(targets, big.pk, cookies, big_indexes, args.big_messages))
    finally:
        for process in (*servers, baseline):
            if process.poll() is None:
                stop(process)
    print(f"group:     {args.big_group} members, {delivery['stored']} messages stored and delivered in "
          f"{delivery['seconds']:.0f} s; lost {delivery['lost']}, duplicated {delivery['duplicated']}, "
          f"in order: {delivery['in_order']}; machine load {os.getloadavg()[0]:.1f}")
    checks = [
        (f"p99 ≤ {TARGET_RATIO}× baseline p99", p99 <= TARGET_RATIO * b99),
        (f"p99 ≤ {TARGET_P99_MS} ms", p99 <= TARGET_P99_MS),
        ("0 lost, 0 duplicated, in order", delivery["lost"] == 0 and delivery["duplicated"] == 0
         and delivery["in_order"] and delivery["stored"] == args.big_messages),
    ]
    for label, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {label}")
    return 0 if all(passed for _label, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
