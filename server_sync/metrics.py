"""Prometheus metrics of one server process (its own registry: several apps may share a test)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest


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
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
