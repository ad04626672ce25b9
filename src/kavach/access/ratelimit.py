"""Sign-in attempts per source address: a sliding window kept in memory, per
server process. The account lockout (5 failures) guards a name; this guards the
server against one address trying many names."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class AttemptLimiter:
    def __init__(
        self,
        attempts: int = 30,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._attempts = attempts
        self._window = window_seconds
        self._clock = clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, source: str) -> bool:
        """Count an attempt from ``source``; False once it made ``attempts`` in the
        window (the refused attempt is not counted)."""
        now = self._clock()
        with self._lock:
            seen = self._seen[source]
            while seen and now - seen[0] >= self._window:
                seen.popleft()
            if len(seen) >= self._attempts:
                return False
            seen.append(now)
            return True
