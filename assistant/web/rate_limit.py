"""A per-client token bucket: `per_minute` requests, bursts up to `burst`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Holds one bucket per client key; forgets idle clients so memory stays bounded."""

    def __init__(self, per_minute: float = 60, burst: int = 10,
                 clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last time)
        self._lock = threading.Lock()
        self._max_clients = max_clients

    def allow(self, key: str) -> tuple[bool, float]:
        """Take a token for `key`: (allowed, seconds until the next token if not)."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if len(self._buckets) >= self._max_clients and key not in self._buckets:
                self._forget_idle(now)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return True, 0.0
            self._buckets[key] = (tokens, now)
            return False, (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full_after = self.burst / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}
