"""Circuit breakers: a service that failed is taken for down for a few seconds, and tried by one caller at a time.

Without one, every request of every thread waits for its own timeout against a server that stopped
answering (a paused Redis: 0.5 s a call; a PostgreSQL that accepts and never answers: libpq's and
psycopg's least connect timeout, 2 s), and at full load the workers queue into gunicorn's timeout.

A breaker is closed (calls go through) until a call fails; then open for ``open_seconds``, during which
every call is refused at once (the caller answers 503, or does without the service). Afterwards it is
half-open: **one** caller is let through to try the service, the others are still refused until that
trial succeeds (closed again) or fails (open again). Before, every thread tried at once when the open
time ended, and each waited its timeout: the queue came back every few seconds. The trial is a
thread's: all its calls go through (a connection, a command, its answer) until one fails or succeeds. A trial that never
reports (its thread died) lets another caller try after ``open_seconds``. One breaker per service per
process (``budapest.redis_cache.breaker``, ``budapest.postgresql.base.breaker``).
"""

import threading
import time


class CircuitBreaker:
    """Closed, open for ``open_seconds`` after a failure, then half-open: one trial at a time."""

    def __init__(self, name: str, open_seconds: float):
        self.name = name
        self.open_seconds = open_seconds
        self._open_until = 0.0
        self._trial_until = 0.0  # while a caller is trying the service after the open time
        self._trial_thread = 0  # the thread trying it: its every call goes through until the trial ends
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """Whether this call may go to the service now (a True after the open time is the one trial)."""
        if not self._open_until:
            return True
        now, thread = time.monotonic(), threading.get_ident()
        with self._lock:
            if now < self._trial_until and thread == self._trial_thread:
                return True  # the trial's next call (a connection, then a command, then its answer)
            if now < self._open_until or now < self._trial_until:
                return False
            self._trial_until, self._trial_thread = now + self.open_seconds, thread
            return True

    def is_open(self) -> bool:
        """Whether calls are refused now (open, or half-open with another thread's trial under way)."""
        now = time.monotonic()
        return bool(self._open_until) and (now < self._open_until or now < self._trial_until)

    def trip(self) -> None:
        with self._lock:
            self._open_until = time.monotonic() + self.open_seconds
            self._trial_until, self._trial_thread = 0.0, 0

    def succeeded(self) -> None:
        if self._open_until:  # closed already: no lock on the hot path
            self.reset()

    def reset(self) -> None:
        with self._lock:
            self._open_until = self._trial_until = 0.0
            self._trial_thread = 0
