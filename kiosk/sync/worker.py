"""The sync worker: a thread that runs sync rounds for as long as the kiosk runs.

Every fault (server errors, even a bug) is logged, shown, and followed by another try
after an exponential, jittered wait (tenacity); a success resets the wait. No answer
at all (network down, server stopped) is different: the worker then probes the server
every few seconds with one cheap request and runs the round as soon as it answers, so
the kiosk is back online within seconds of the network, however long it was away.
New local events and "sync now" wake it at once. It reports through a callback, so
the Qt side stays a thin relay (kiosk.ui.sync_relay).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable

from tenacity import RetryCallState, Retrying, retry_if_exception_type

from kiosk.domain.clock import Clock
from kiosk.sync.client import SyncError, SyncErrorKind
from kiosk.sync.engine import SyncEngine
from kiosk.sync.local import SyncStore
from kiosk.sync.status import (
    CERTIFICATE_CHANGED,
    CERTIFICATE_UNTRUSTED,
    FAILING,
    INSECURE,
    OFFLINE,
    ONLINE,
    REFUSED,
    REFUSED_SHOWN_FOR,
    SYNCING,
    RoundReport,
    SyncProgress,
    SyncStatus,
)

log = logging.getLogger(__name__)

BACKOFF_FIRST_SECONDS = 0.5


class _StoppedError(Exception):
    pass


class SyncWorker:
    def __init__(
        self,
        engine: SyncEngine,
        store: SyncStore,
        clock: Clock,
        *,
        interval_seconds: float = 2.0,
        max_backoff_seconds: float = 60.0,
        probe_interval_seconds: float = 2.5,
        on_status: Callable[[SyncStatus], None] = lambda status: None,
        on_round: Callable[[RoundReport], None] = lambda report: None,
    ) -> None:
        self._engine = engine
        self._store = store
        self._clock = clock
        self._interval = interval_seconds
        self._max_backoff = max_backoff_seconds
        self._probe_interval = probe_interval_seconds
        self._is_probing = False  # offline: probe until the server answers
        self._failures = 0  # failed rounds since the server last answered
        self._on_status = on_status
        self._on_round = on_round
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_error: str | None = None
        self._backing_off = False
        self._last_status: SyncStatus | None = None

    # ------------------------------------------------------------------ control
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def sync_now(self) -> None:
        """Run a round at once, even while waiting out a failure (a supervisor's button)."""
        self._wake.set()

    def events_queued(self) -> None:
        """New local events: sent at once when online; while offline the backoff decides
        when to try again, and the health strip's count of waiting events goes up."""
        if not self._backing_off:
            self._wake.set()
        elif self._last_status is not None:
            self._report(self._last_status.state, retry_in=self._last_status.retry_in_seconds)

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------------ loop
    def _run(self) -> None:
        self._report(SYNCING)
        while not self._stop.is_set():
            try:
                for attempt in Retrying(
                    wait=self._backoff,
                    retry=retry_if_exception_type(Exception),
                    sleep=self._wait_to_retry,
                    before_sleep=self._failed,
                    reraise=True,
                ):
                    with attempt:
                        report = self._engine.run_round(progress=self._progress)
                self._last_error = None
                self._backing_off = False
                self._is_probing = False
                self._failures = 0
                self._on_round(report)
                self._report(ONLINE)
                self._sleep(self._interval)
            except _StoppedError:
                break

    def _sleep(self, seconds: float) -> bool:
        """Wait, unless woken (sync now, a new event) or stopped; whether it was woken."""
        woken = self._wake.wait(seconds)
        self._wake.clear()
        if self._stop.is_set():
            raise _StoppedError
        return woken

    def _wait_to_retry(self, seconds: float) -> None:
        """After a failure: the back-off's wait, or while offline until a probe is answered."""
        if not self._is_probing:
            self._sleep(seconds)
            return
        while not self._sleep(self._probe_interval):
            if self._engine.is_server_reachable():
                log.info("the server answers again: syncing")
                self._failures = 0  # its first answer may be an error: wait short, not long
                return

    def _backoff(self, retry_state: RetryCallState) -> float:
        """Exponential and jittered, counted from the server's last answer (not from the
        start of an outage: a server back after an hour is tried again within seconds)."""
        self._failures += 1
        high = min(self._max_backoff, BACKOFF_FIRST_SECONDS * 2 ** (self._failures - 1))
        return random.uniform(min(BACKOFF_FIRST_SECONDS, high), high)

    def _progress(self, progress: SyncProgress) -> None:
        if self._store.state().bootstrapped_at is None:
            self._report(SYNCING, bootstrap=progress)

    def _failed(self, retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        wait = retry_state.next_action.sleep if retry_state.next_action else None
        if isinstance(error, SyncError):
            state = {
                SyncErrorKind.OFFLINE: OFFLINE,
                SyncErrorKind.REFUSED: REFUSED,
                SyncErrorKind.INSECURE: INSECURE,
                SyncErrorKind.CERTIFICATE_CHANGED: CERTIFICATE_CHANGED,
                SyncErrorKind.CERTIFICATE_UNTRUSTED: CERTIFICATE_UNTRUSTED,
            }.get(error.kind, FAILING)
            self._is_probing = error.kind is SyncErrorKind.OFFLINE
            if self._is_probing:
                wait = self._probe_interval
            log.warning("sync failed (%s): %s; next try in %.1f s", error.kind, error, wait or 0)
        else:
            state = FAILING
            self._is_probing = False
            log.error("sync round failed unexpectedly", exc_info=error)
            if error is not None:
                self._store.note_error(self._clock.now(), f"bug: {type(error).__name__}: {error}")
        self._last_error = str(error)
        self._backing_off = True
        self._report(state, retry_in=wait)

    def _report(
        self,
        state: str,
        *,
        retry_in: float | None = None,
        bootstrap: SyncProgress | None = None,
    ) -> None:
        try:
            sync_state = self._store.state()
            pending = self._store.pending_count()
            refused = self._store.refused_since(self._clock.now() - REFUSED_SHOWN_FOR)
        except Exception:
            log.exception("sync status unavailable")
            return
        status = SyncStatus(
            state=state,
            pending=pending,
            last_success_at=sync_state.last_success_at,
            last_error=sync_state.last_error if state != ONLINE else None,
            retry_in_seconds=retry_in,
            bootstrap=bootstrap,
            refused=refused,
            held=sync_state.audit_held,
        )
        self._last_status = status
        self._on_status(status)
