"""Per-client throttles: at most ``limit`` events a minute per client, in bounded memory.

Used for anonymous feedback (``ADVISOR_FEEDBACK_PER_MINUTE``) and for failed API-key checks
(``ADVISOR_AUTH_FAILURES_PER_MINUTE``). A client is the peer address uvicorn reports (behind a
trusted proxy, the forwarded one). Each client keeps the times of its last ``limit`` events; at
most ``MAX_CLIENTS`` clients are remembered (the least recently seen is forgotten first).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from starlette.requests import HTTPConnection

MAX_CLIENTS = 10_000
WINDOW_S = 60.0


def client_of(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"


class Throttle:
    def __init__(
        self,
        limit: int,
        window_s: float = WINDOW_S,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window_s, self.max_clients = limit, window_s, max_clients
        self._clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Whole seconds until ``client`` may have another event; 0 when it may now."""
        with self._lock:
            return self._wait(client)

    def record(self, client: str) -> None:
        with self._lock:
            self._record(client)

    def hit(self, client: str) -> int:
        """Record an event unless the client is over its limit; the seconds to wait if so."""
        with self._lock:
            wait = self._wait(client)
            if not wait:
                self._record(client)
            return wait

    def _wait(self, client: str) -> int:
        events = self._events.get(client)
        if self.limit <= 0 or events is None or len(events) < self.limit:
            return 0
        return max(0, math.ceil(events[0] + self.window_s - self._clock()))

    def _record(self, client: str) -> None:
        if self.limit <= 0:
            return
        events = self._events.get(client)
        if events is None:
            events = self._events[client] = deque(maxlen=self.limit)
            while len(self._events) > self.max_clients:
                self._events.popitem(last=False)
        else:
            self._events.move_to_end(client)
        events.append(self._clock())
