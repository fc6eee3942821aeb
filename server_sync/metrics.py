"""Prometheus metrics of the server: of its one process, or summed over all its workers.

`server-sync serve --workers N` runs N processes, and a scrape reaches one of them: in
prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by `serve` before
the workers start) each worker writes its counts to files there, and `/metrics` reads them
all. Otherwise the app keeps its own registry (several apps may share a test process).
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    """Where the workers' counts are kept, when the server runs several workers."""
    return os.environ.get(MULTIPROCESS_DIR_VARIABLE) or None


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.events = Counter(
            "server_sync_events_total",
            "Pushed events by the answer given",
            ["result"],
            registry=self.registry,
        )
        self.pulled = Counter(
            "server_sync_changes_pulled_total",
            "Rows served from the change feed",
            registry=self.registry,
        )
        self.rewinds = Counter(
            "server_sync_rewinds_total",
            "Kiosks found restored from a backup",
            registry=self.registry,
        )
        self.enrolments = Counter(
            "server_sync_enrolments_total",
            "Enrolment attempts",
            ["outcome"],
            registry=self.registry,
        )
        self.error_responses = Counter(
            "server_sync_error_responses_total",
            "Answers 401, 403, 413, 429 and 5xx, by status and route",
            ["status", "route"],
            registry=self.registry,
        )
        self.enrol_lockouts = Counter(
            "server_sync_enrol_lockouts_total",
            "Client addresses locked out of enrolment after too many wrong codes",
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "server_sync_request_seconds",
            "Time to answer a request",
            ["route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0),
            registry=self.registry,
        )

    def exposition(self) -> tuple[bytes, str]:
        """The text a scrape gets: every worker's counts when there are several."""
        folder = multiprocess_dir()
        if folder is None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST

    def process_ended(self) -> None:
        """A worker stops: its live gauges go (its counters stay counted)."""
        if multiprocess_dir() is not None:
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
