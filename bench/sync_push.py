"""10,000 queued events pushed from one kiosk to the server on loopback: events per second.

The real `server-sync serve` process on a central database of its own (demo site), one
real kiosk database (CUT-L02) enrolled with a one-time code and bootstrapped. Rina then
records 10,000 counts through the real "record quantity" service while the kiosk does not
sync (each a durable commit with its audit entry and outbox event, as on the floor). The
clock runs over one sync round, as the sync worker runs it: every event pushed in batches
(the kiosk's default batch, 1,000 per request), each answered, and the rows the server
changed pulled back (not its own counts: the server stored them as sent), until
nothing is left.

Side by side, the same 10,000 event rows are inserted straight through psycopg
`executemany` into a table shaped like the server's `applied_event` (same indexes), one
transaction per batch: the floor that PostgreSQL puts under recording the events at all.

Goal (issue 5): >= 5,000 events/s. Last line: `sync_push_rate: X events/s`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import select

from bench.sync_harness import (
    LoggedServer,
    central_results,
    central_site,
    open_work_orders,
    record_counts,
)
from kiosk.settings import Settings
from kiosk.store.models import OutboxEvent
from tests.helpers.central import CentralDatabase, KioskNode

EVENTS = 10_000
LINE = "CUT-L02"
BATCH = Settings().sync_batch_size  # the kiosk's own default


def _outbox_rows(node: KioskNode) -> list[OutboxEvent]:
    with node.database.reader() as session:
        return list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)))


def _executemany_baseline(central: CentralDatabase, node: KioskNode) -> float:
    """Seconds to insert the kiosk's event rows into a copy of `applied_event`, 500 a commit."""
    device_id = node.store.state().device_id
    now = datetime.now(UTC)
    rows = [
        (
            event.id,
            device_id,
            event.incarnation,
            event.seq,
            event.kind,
            event.schema_version,
            Jsonb(event.payload),
            event.created_at,
            now,
            "applied",
            None,
            number,  # the results feed's number, as the server gives it
        )
        for number, event in enumerate(_outbox_rows(node), start=1)
    ]
    with psycopg.connect(central.url) as connection:
        connection.execute("CREATE TABLE bench_applied_event (LIKE applied_event INCLUDING ALL)")
        connection.commit()
        started = time.perf_counter()
        for start in range(0, len(rows), BATCH):
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO bench_applied_event (id, device_id, incarnation, seq, kind, "
                    "schema_version, payload, created_at, received_at, result, reason, "
                    "result_seq) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    rows[start : start + BATCH],
                )
            connection.commit()
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_applied_event")
        connection.commit()
    return elapsed


def main() -> None:
    with (
        central_site("push") as (_admin, central),
        tempfile.TemporaryDirectory(prefix="bench-sync-push-") as folder,
    ):
        work_orders = open_work_orders(central)
        server = LoggedServer(central.url, Path(folder) / "server.log")
        with server.running():
            node = KioskNode(Path(folder) / LINE, server.url, central.enrolment_code(line=LINE))
            node.sync()  # bootstrap
            rina = node.login("E1001")
            started = time.perf_counter()
            record_counts(node, rina, work_orders[LINE], EVENTS)
            recording = time.perf_counter() - started
            queued = node.pending()
            started = time.perf_counter()
            report = node.sync(batch_size=BATCH)
            pushing = time.perf_counter() - started
            ids = [event.id for event in _outbox_rows(node)]
            recorded = central_results(central, ids)
            baseline = _executemany_baseline(central, node)
            node.close()
    assert report.pending == 0, f"{report.pending} events still queued"
    assert report.answers["applied"] == queued, report.answers
    assert recorded == {"applied": queued}, recorded
    ours = queued / pushing
    floor = queued / baseline
    print(f"set-up: {EVENTS} counts recorded through the service in {recording:.1f} s")
    print(
        f"sync round: {queued} events pushed in {report.requests} requests, "
        f"{report.pulled} rows pulled back, {pushing:.2f} s; answers {dict(report.answers)}"
    )
    print(f"central: {recorded}")
    print(f"psycopg executemany baseline: {queued} rows in {baseline:.2f} s = {floor:,.0f} rows/s")
    print(f"ratio (sync push / executemany insert): {ours / floor:.2f}x")
    print(f"sync_push_rate: {ours:,.0f} events/s".replace(",", ""))


if __name__ == "__main__":
    main()
