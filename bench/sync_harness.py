"""Shared set-up of the sync benchmarks: a central database of their own, the real server, kiosks.

The central database is created, migrated and seeded with the demo site for the run and
dropped afterwards (PostgreSQL at 127.0.0.1:5432 as user postgres, or KIOSK_TEST_PG_URL).
The server is the real `server-sync serve` process; each kiosk is a real database enrolled
with a real one-time code (tests/helpers/central.py's `KioskNode`), syncing over HTTP.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from sqlalchemy import func, select

from kiosk.domain.work_order import WorkOrderStatus
from kiosk.services.actor import Actor
from kiosk.store.models import OutboxEvent, WorkOrder
from server_sync.feed import feed_row, publish
from server_sync.models import AppliedEvent
from tests.helpers.central import (
    CentralDatabase,
    KioskNode,
    ServerProcess,
    create_demo_central,
    wait_until_healthy,
)
from tests.helpers.postgres import admin_url

BIG_TARGET = 100_000_000  # room for every count a benchmark records


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


@contextmanager
def central_site(label: str) -> Iterator[tuple[str, CentralDatabase]]:
    """(admin URL, a migrated central database with the demo site), dropped afterwards."""
    with admin_url() as server_url:
        if server_url is None:
            raise SystemExit("no PostgreSQL: start one at 127.0.0.1:5432 or set KIOSK_TEST_PG_URL")
        name = f"kiosk_bench_{label}_{os.getpid()}"
        engine = create_demo_central(server_url, name)
        url = f"{server_url.rsplit('/', 1)[0]}/{name}"
        try:
            yield server_url, CentralDatabase(url, engine)
        finally:
            engine.dispose()
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def open_work_orders(central: CentralDatabase, target: int = BIG_TARGET) -> dict[str, uuid.UUID]:
    """Each line's in-progress work order, its target raised centrally and published."""
    with central.session() as session:
        rows = list(
            session.scalars(
                select(WorkOrder).where(WorkOrder.status == WorkOrderStatus.IN_PROGRESS)
            )
        )
        for row in rows:
            row.target_qty = target
            row.version += 1
        session.flush()
        publish(session, [found for found in (feed_row(session, row) for row in rows) if found])
        session.commit()
        lines = {row.line_id: row.line.code for row in rows}
        return {lines[row.line_id]: row.id for row in rows}


def record_counts(node: KioskNode, actor: Actor, work_order_id: uuid.UUID, count: int) -> None:
    """`count` real "record quantity" actions (one durable commit each, an outbox event each)."""
    record = node.services.work_orders.record
    for _ in range(count):
        record(actor, work_order_id, good="1", reject="", reason=None)


def outbox_events(node: KioskNode, kind: str) -> list[tuple[uuid.UUID, dict[str, object]]]:
    with node.database.reader() as session:
        return [
            (row.id, row.payload)
            for row in session.scalars(select(OutboxEvent).where(OutboxEvent.kind == kind))
        ]


def central_results(central: CentralDatabase, ids: list[uuid.UUID]) -> dict[str, int]:
    """How the server recorded these event ids: {result: count}."""
    counts: dict[str, int] = {}
    with central.session() as session:
        for start in range(0, len(ids), 5000):
            rows = session.execute(
                select(AppliedEvent.result, func.count())
                .where(AppliedEvent.id.in_(ids[start : start + 5000]))
                .group_by(AppliedEvent.result)
            ).all()
            for result, number in rows:
                counts[result] = counts.get(result, 0) + number
    return counts


class LoggedServer(ServerProcess):
    """`server-sync serve` as ServerProcess runs it, its output kept to show on a failure."""

    def __init__(
        self, database_url: str, log_path: Path, workers: int = 1, port: int | None = None
    ) -> None:
        super().__init__(database_url, port=port, workers=workers)
        self.log_path = log_path

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, "SERVER_SYNC_DATABASE_URL": self.database_url}
        command = [sys.executable, "-m", "server_sync", "serve", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--workers", str(self.workers)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_healthy(self.url, timeout, self.process)

    @contextmanager
    def running(self) -> Iterator[LoggedServer]:
        """Started, stopped afterwards; on a failure its log's tail goes to stderr first."""
        self.start()
        try:
            yield self
        except Exception:
            print(self.log_tail(), file=sys.stderr)
            raise
        finally:
            self.stop()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
