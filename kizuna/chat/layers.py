"""The channel layer of the embedded mode: Channels' in-memory layer, with its clean-up of expired messages run at
most once a second, and a group's notice put straight into each member channel's queue.

Channels' layer walks every channel and every group membership on each send and each receive to drop expired
messages (they expire after a minute): with 1,000 sockets and 1,000 deliveries a second that walk is quadratic
and cost more than the deliveries (docs/benchmarks.md, chat). Once a second drops the same messages. Its group
send makes a task per channel and waits for them all, although putting a message into a queue never waits.
"""

import contextlib
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

CLEAN_EVERY = 1.0  # seconds


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._next_clean = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now >= self._next_clean:
            self._next_clean = now + CLEAN_EVERY
            super()._clean_expired()

    async def flush(self):
        await super().flush()
        self._next_clean = 0.0

    async def group_send(self, group, message):
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            with contextlib.suppress(ChannelFull):  # as Channels does: that socket catches up on the next notice
                await self.send(channel, message)
