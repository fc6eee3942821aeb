"""Service calls run off the GUI thread, one at a time and in order; results come back on it.

One worker thread keeps actions in the order they were tapped (and SQLite has a
single writer anyway). Tests use `ImmediateTaskRunner`, which runs the job at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Job = Callable[[], Any]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class TaskRunner(Protocol):
    def run(self, job: Job, on_done: OnDone, on_error: OnError) -> None: ...

    @property
    def is_busy(self) -> bool: ...

    def shutdown(self) -> None: ...


class _Relay(QObject):
    """Lives on the GUI thread; its signals carry the outcome back there."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, job: Job, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job = job
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._job()
        except Exception as error:  # noqa: BLE001  (handed to on_error on the GUI thread)
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


class ThreadTaskRunner:
    """Runs jobs on one background thread."""

    def __init__(self) -> None:
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)
        self._in_flight: set[_Relay] = set()

    @property
    def is_busy(self) -> bool:
        return bool(self._in_flight)

    def run(self, job: Job, on_done: OnDone, on_error: OnError) -> None:
        relay = _Relay()
        self._in_flight.add(relay)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._in_flight.discard(relay)
            relay.deleteLater()
            callback(value)

        relay.succeeded.connect(lambda result: finish(on_done, result))
        relay.failed.connect(lambda error: finish(on_error, error))
        self._pool.start(_Task(job, relay))

    def shutdown(self) -> None:
        self._pool.waitForDone(10_000)


class ImmediateTaskRunner:
    """Runs each job at once on the calling thread (tests, and `--smoke`)."""

    is_busy = False

    def run(self, job: Job, on_done: OnDone, on_error: OnError) -> None:
        try:
            result = job()
        except Exception as error:  # noqa: BLE001  (same contract as the threaded runner)
            on_error(error)
        else:
            on_done(result)

    def shutdown(self) -> None:
        return None
