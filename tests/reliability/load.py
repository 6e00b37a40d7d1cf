"""A bounded client load: threads sending requests until told to stop, every outcome recorded."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests


@dataclass
class Outcome:
    started: float
    elapsed: float
    status: int | None  # None: no HTTP answer (connection refused, reset, timed out)
    body: dict | None
    error: str | None = None


@dataclass
class Load:
    """Run ``request(session)`` in ``threads`` threads until stopped or ``max_seconds`` pass."""

    request: Callable[[requests.Session], requests.Response]
    threads: int = 4
    max_seconds: float = 60
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.threads)
        self._futures = []

    def _loop(self) -> None:
        session = requests.Session()
        deadline = time.monotonic() + self.max_seconds
        while not self._stop.is_set() and time.monotonic() < deadline:
            began = time.monotonic()
            try:
                response = self.request(session)
                try:
                    body = response.json()
                except ValueError:
                    body = None
                outcome = Outcome(began, time.monotonic() - began, response.status_code, body)
            except requests.RequestException as exc:
                outcome = Outcome(began, time.monotonic() - began, None, None, repr(exc))
            with self._lock:
                self.outcomes.append(outcome)
            time.sleep(0.01)

    def start(self) -> Load:
        self._futures = [self._pool.submit(self._loop) for _ in range(self.threads)]
        return self

    def stop(self) -> list[Outcome]:
        self._stop.set()
        for future in self._futures:
            future.result(timeout=self.max_seconds + 30)
        self._pool.shutdown()
        return self.outcomes
