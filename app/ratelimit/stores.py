"""Where hits are counted: this process, or Redis (every instance); PostgreSQL's shared counter
is its engine's (`app/engines/postgres_connections.py`).

Windows are fixed and aligned to the epoch, so a counter is (bucket, window number) everywhere.
"""

import redis.asyncio as redis

from app.engines.base import SharedCounter

# One shape for every store: this process's, Redis's, and the engine's shared one.
CounterStore = SharedCounter


class MemoryCounter:
    """Per process: enough for one SQLite instance, and for reads, which need no agreement."""

    def __init__(self) -> None:
        self._window = -1
        self._hits: dict[str, int] = {}

    async def hit(self, bucket: str, window: int, window_s: int) -> int:
        if window != self._window:  # a new window: every old count is void
            self._window, self._hits = window, {}
        self._hits[bucket] = self._hits.get(bucket, 0) + 1
        return self._hits[bucket]

    async def aclose(self) -> None:
        self._hits = {}


class RedisCounter:
    def __init__(self, url: str, namespace: str = "vpr") -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.namespace = namespace

    async def hit(self, bucket: str, window: int, window_s: int) -> int:
        key = f"{self.namespace}:ratelimit:{bucket}:{window}"
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, window_s * 2)
            hits, _ = await pipe.execute()
        return int(hits)

    async def aclose(self) -> None:
        await self.client.aclose()
