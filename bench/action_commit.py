"""p95 of a whole "record quantity" service call, durable commit included, over 1,000 calls.

The same file is also written by a bare sqlite3 loop (BEGIN IMMEDIATE, one
INSERT, COMMIT, synchronous=FULL) side by side: the floor that fsync puts under
any durable commit on this disk. The ratio says what our work adds on top.

Goal (issue 2): p95 <= 5 ms. Last line: `action_commit_p95: X ms`.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from kiosk.demo import demo_user, demo_user_id, ensure_demo_site
from kiosk.domain.clock import SystemClock
from kiosk.services.container import build_services
from kiosk.store.database import open_database
from kiosk.store.models import WorkOrder
from kiosk.store.secrets import FileSecretStore

CALLS = 1000
BENCH_WORK_ORDER = "WO-2026-004221"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def _service_calls(path: Path) -> list[float]:
    database = open_database(path)
    clock = SystemClock()
    badge_key = FileSecretStore.beside(path).badge_key()
    services = build_services(database, clock, "CUT-L02", badge_key=badge_key)
    actor = services.auth.login_with_pin(
        demo_user_id(database, "E1001"), demo_user("E1001").pin
    ).actor
    with database.writer() as session:  # room for 1,000 entries on one work order
        work_order = session.scalar(select(WorkOrder).where(WorkOrder.number == BENCH_WORK_ORDER))
        assert work_order is not None
        work_order.target_qty = 1_000_000
        work_order_id = work_order.id
        session.commit()
    services.work_orders.start(actor, work_order_id)
    samples = []
    for _ in range(CALLS):
        started = time.perf_counter()
        services.work_orders.record(actor, work_order_id, good="3", reject="", reason=None)
        samples.append((time.perf_counter() - started) * 1000)
    database.dispose()
    return samples


def _bare_sqlite(path: Path) -> list[float]:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, v TEXT)")
    samples = []
    for index in range(CALLS):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO bench_floor (v) VALUES (?)", (f"entry {index}",))
        connection.execute("COMMIT")
        samples.append((time.perf_counter() - started) * 1000)
    connection.close()
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        path = ensure_demo_site(Path(folder), SystemClock())
        floor = _bare_sqlite(path)
        ours = _service_calls(path)
    for name, samples in (("bare sqlite3 durable commit", floor), ("record quantity call", ours)):
        print(
            f"{name}: p50 {statistics.median(samples):.3f} ms, "
            f"p95 {_percentile(samples, 0.95):.3f} ms, p99 {_percentile(samples, 0.99):.3f} ms, "
            f"max {max(samples):.3f} ms over {len(samples)}"
        )
    ratio = _percentile(ours, 0.95) / _percentile(floor, 0.95)
    print(f"ratio (ours / bare commit) at p95: {ratio:.1f}x")
    print(f"action_commit_p95: {_percentile(ours, 0.95):.3f} ms")


if __name__ == "__main__":
    main()
