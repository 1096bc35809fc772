"""Socket reads taken to the database thread together, and socket writes to threads of their own.

Channels runs every database call of a process on one thread, and each call costs a trip there and back (an
executor future, a wake-up of the event loop, stale-connection checks) on top of its query. A message to a
group wakes each member's socket at the same moment, so the reads asked for while the thread is busy (or in
the same turn of the event loop) go in one trip. Each is still its socket's own read, with its own
authorisation, and its result or error goes back to that socket only. The compiled queries of a trip's reads
go to the database together, one statement per query (compiled.Compiled.rows_each).

A message sent over a socket is written on a thread of its own on PostgreSQL (write()): a write is mostly
waiting for the server (a round trip per statement, the commit), and on the one database thread each write
made every other write and read of the process wait as well. The conversation picks the thread, so the writes of
one conversation keep their order. SQLite takes one writer at a time anyway: there they stay on the database
thread.
"""

import asyncio
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from django.db import close_old_connections, connections

CONNECTION_CHECK_EVERY = 1.0  # seconds
WRITE_THREADS = 4  # per socket process, each with its own connection


class database_sync_to_async(SyncToAsync):  # noqa: N801 (used like channels.db's, which it replaces here)
    """Channels' database_sync_to_async, with its care of the connection at most once a second.

    Channels closes obsolete or broken connections before and after every call, as Django does around each
    request; with health checks on (PostgreSQL), the next query then first checks the connection with a
    `SELECT 1`. A socket process makes hundreds of calls a second, all on the one database thread: checking
    once a second keeps the same care (a connection past its age or broken is replaced within a second).
    Connections belong to threads, and so does the time of their next check."""

    checks = threading.local()

    def thread_handler(self, loop, *args, **kwargs):
        now = time.monotonic()
        if now >= getattr(self.checks, "next", 0.0):
            self.checks.next = now + CONNECTION_CHECK_EVERY
            close_old_connections()
        return super().thread_handler(loop, *args, **kwargs)


_queues = weakref.WeakKeyDictionary()  # event loop → reads waiting for the next trip; absent when no trip runs


async def run(read, rows=None):
    """read() on the database thread, in the next trip of this event loop; its result (or its error).
    With `rows` (a compiled.Bound), read(those rows) instead, the rows fetched with the trip's other reads of
    the same query."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    waiting = _queues.get(loop)
    if waiting is None:
        waiting = _queues[loop] = []
        loop.create_task(_trips(loop))
    waiting.append(((read, rows), future))
    return await future


async def _trips(loop):
    waiting = []
    try:
        while _queues[loop]:
            await asyncio.sleep(0)  # the other sockets woken by the same notice ask in this turn
            waiting, _queues[loop] = _queues[loop], []
            try:
                outcomes = await database_sync_to_async(_run_all)([read for read, _future in waiting])
            except Exception as error:  # noqa: BLE001 (the trip itself failed): every reader learns it
                outcomes = [(False, error)] * len(waiting)
            for (_read, future), (ok, value) in zip(waiting, outcomes, strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
            waiting = []
    finally:  # also when the loop closes under a trip
        for _read, future in waiting + _queues.pop(loop, []):
            future.cancel()


def _run_all(reads):
    fetched = _fetch_together([rows for _read, rows in reads if rows is not None])
    outcomes = []
    for read, rows in reads:
        try:
            if rows is None:
                outcomes.append((True, read()))
                continue
            found = fetched[id(rows)]
            if isinstance(found, Exception):
                raise found
            outcomes.append((True, read(found)))
        except Exception as error:  # noqa: BLE001 (handed to the socket that asked)
            outcomes.append((False, error))
    return outcomes


def _fetch_together(bounds):
    """{id(bound): its rows, or the error that fetching them raised}, one statement per query."""
    by_query = {}
    for bound in bounds:
        by_query.setdefault(bound.query, []).append(bound)
    fetched = {}
    for query, group in by_query.items():
        try:
            found = query.rows_each([bound.values for bound in group])
        except Exception as error:  # noqa: BLE001 (each socket that asked learns it)
            found = [error] * len(group)
        fetched.update((id(bound), rows) for bound, rows in zip(group, found, strict=True))
    return fetched


_writers = []


async def write(conversation_id, function, *args):
    """function(*args), a write into the conversation, on the thread that writes it (see above)."""
    if connections["default"].vendor != "postgresql":
        return await database_sync_to_async(function)(*args)
    if not _writers:
        _writers.extend(ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-write")
                        for _n in range(WRITE_THREADS))
    executor = _writers[conversation_id % WRITE_THREADS]
    return await database_sync_to_async(function, thread_sensitive=False, executor=executor)(*args)


def close_write_connections():
    """Close the write threads' database connections (tests: a test database is dropped at the end)."""
    for executor in _writers:
        executor.submit(connections.close_all).result()
