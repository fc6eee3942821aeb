"""A shift offline: 20,000 actions with the server down, then reconnect; drained once each?

The real `server-sync serve` process on a central database of the run's own (demo site);
a real kiosk (CUT-L02) enrolled and bootstrapped, Rina logged in. Then the server is
killed (SIGKILL) and Rina records 20,000 counts through the real service; every 2,000
the kiosk tries a sync round as its worker would, and each try fails as offline. The
server is started again on the same address, and the clock runs from the moment it
answers until the kiosk's outbox is empty (sync rounds back to back, as the worker runs
them after a "sync now").

Exactly-once check, centrally: how many of the 20,000 events were recorded as applied,
and whether any effect exists twice (production entries beyond the applied events,
pieces on the work order beyond the 20,000 counted).

Last line: `offline_shift_lost_or_duplicated: X events` (|20000 - applied| + duplicates).
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bench.sync_harness import (
    LoggedServer,
    central_results,
    central_site,
    open_work_orders,
    outbox_events,
    record_counts,
)
from kiosk.domain.events import EventKind
from kiosk.store.models import ProductionEntryRow, WorkOrder
from kiosk.sync.client import SyncError, SyncErrorKind
from tests.helpers.central import CentralDatabase, KioskNode

ACTIONS = 20_000
TRY_EVERY = 2_000
LINE = "CUT-L02"


def _good_qty(central: CentralDatabase, work_order_id: uuid.UUID) -> int:
    with central.session() as session:
        row = session.get(WorkOrder, work_order_id)
        assert row is not None
        return row.good_qty


def _central_entries(central: CentralDatabase, entry_ids: list[uuid.UUID]) -> int:
    found = 0
    with central.session() as session:
        for start in range(0, len(entry_ids), 5000):
            chunk = entry_ids[start : start + 5000]
            found += int(
                session.scalar(
                    select(func.count())
                    .select_from(ProductionEntryRow)
                    .where(ProductionEntryRow.id.in_(chunk))
                )
                or 0
            )
    return found


def main() -> None:
    with (
        central_site("offline") as (_admin, central),
        tempfile.TemporaryDirectory(prefix="bench-offline-") as folder,
    ):
        work_order_id = open_work_orders(central)[LINE]
        server = LoggedServer(central.url, Path(folder) / "server.log")
        with server.running():
            node = KioskNode(Path(folder) / LINE, server.url, central.enrolment_code(line=LINE))
            node.sync()  # bootstrap
            rina = node.login("E1001")
            node.sync()  # her session is known centrally before the outage
            good_before = _good_qty(central, work_order_id)
            server.kill()
            failed_tries = 0
            started = time.perf_counter()
            for _ in range(ACTIONS // TRY_EVERY):
                record_counts(node, rina, work_order_id, TRY_EVERY)
                try:
                    node.sync()
                except SyncError as error:
                    assert error.kind is SyncErrorKind.OFFLINE, error
                    failed_tries += 1
            recording = time.perf_counter() - started
            waiting = node.pending()
            server.start()  # the same address: nothing changes on the kiosk
            reconnected = time.perf_counter()
            rounds = 0
            while node.pending() and rounds < 100:
                node.sync()
                rounds += 1
            draining = time.perf_counter() - reconnected
            events = outbox_events(node, EventKind.PRODUCTION_RECORDED)
            left = node.pending()
            node.close()
            ids = [event_id for event_id, _payload in events]
            entry_ids = [uuid.UUID(str(payload["entry_id"])) for _id, payload in events]
            results = central_results(central, ids)
            entries = _central_entries(central, entry_ids)
            pieces = _good_qty(central, work_order_id) - good_before
    assert len(events) == ACTIONS, len(events)
    applied = results.get("applied", 0)
    duplicates = max(entries - applied, 0) + max(pieces - len(events), 0)
    print(
        f"offline: {ACTIONS} counts recorded in {recording:.1f} s with the server down; "
        f"{failed_tries} sync tries failed as offline; {waiting} events waiting"
    )
    print(f"reconnect: outbox drained in {draining:.2f} s over {rounds} sync rounds; {left} left")
    print(f"offline_shift_drain_seconds: {draining:.2f} s")
    print(
        f"central: {len(events)} count events -> {results}; {entries} production entries, "
        f"{pieces} pieces added to the work order"
    )
    print(f"applied: {applied}, duplicates: {duplicates}")
    print(f"offline_shift_lost_or_duplicated: {abs(ACTIONS - applied) + duplicates} events")


if __name__ == "__main__":
    main()
