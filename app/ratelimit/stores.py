"""Where hits are counted: this process, PostgreSQL (every instance), or Redis (every instance).

Windows are fixed and aligned to the epoch, so a counter is (bucket, window number) everywhere.
"""

from typing import Protocol

import redis.asyncio as redis

from app.core.pg_async import PgConnections, libpq_url


class CounterStore(Protocol):
    async def hit(self, bucket: str, window: int, window_s: int) -> int:
        """Count one hit in this window; return the hits so far, this one included."""
        ...

    async def aclose(self) -> None: ...


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


_PG_HIT = """
INSERT INTO rate_limit_hit (bucket, "window", hits) VALUES (%s, %s, 1)
ON CONFLICT (bucket, "window") DO UPDATE SET hits = rate_limit_hit.hits + 1
RETURNING hits
"""


class PostgresCounter:
    def __init__(self, database_url: str) -> None:
        self.connections = PgConnections(libpq_url(database_url), size=2)
        self._pruned_before = -1

    async def hit(self, bucket: str, window: int, window_s: int) -> int:
        async with self.connections.connection() as connection:
            if window > self._pruned_before:  # once per window and instance: drop old rows
                await connection.execute('DELETE FROM rate_limit_hit WHERE "window" < %s', [window])
                self._pruned_before = window
            cursor = await connection.execute(_PG_HIT, [bucket, window])
            row = await cursor.fetchone()
        assert row is not None  # noqa: S101 - RETURNING always yields the row
        return int(row[0])

    async def aclose(self) -> None:
        await self.connections.aclose()


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
