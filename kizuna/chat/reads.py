"""Socket reads taken to the database thread together.

Channels runs every database call of a process on one thread, and each call costs a trip there and back (an
executor future, a wake-up of the event loop, stale-connection checks) on top of its query. A message to a
group wakes each member's socket at the same moment, so the reads asked for while the thread is busy (or in
the same turn of the event loop) go in one trip. Each is still its socket's own read, with its own
authorisation, and its result or error goes back to that socket only.
"""

import asyncio
import threading
import time
import weakref

from asgiref.sync import SyncToAsync
from django.db import close_old_connections

CONNECTION_CHECK_EVERY = 1.0  # seconds


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


async def run(read):
    """read() on the database thread, in the next trip of this event loop; its result (or its error)."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    waiting = _queues.get(loop)
    if waiting is None:
        waiting = _queues[loop] = []
        loop.create_task(_trips(loop))
    waiting.append((read, future))
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
    outcomes = []
    for read in reads:
        try:
            outcomes.append((True, read()))
        except Exception as error:  # noqa: BLE001 (handed to the socket that asked)
            outcomes.append((False, error))
    return outcomes
