"""A new kiosk pulls 100,000 reference rows: seconds from its first sync round to the last row.

The central database (the demo site, on a database of the run's own) is given the history
of line CUT-L02: 2,000 work orders imported as the ERP sends them (the integration API's
plan and apply, at most 5,000 rows a request), then completed on the floor with 98,000
production entries recorded on them (floor facts, written with COPY), published to the
change feed as the server publishes rows (server_sync.feed.publish, numbered in one
transaction). The real `server-sync serve` process serves it. A fresh kiosk database is
enrolled for CUT-L02 with a one-time code, then the clock runs over its first
sync round: every page of its scope (2,000 rows a request) pulled and stored with its
cursor in one SQLite transaction each, until the server says there is no more.

Goal (issue 5): <= 10 s. Last line: `bootstrap_seconds: X s`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Table, func, select, update

from bench.sync_harness import LoggedServer, central_site
from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.domain.sync_events import PRODUCTION_ENTRY, WORK_ORDER
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import Line, ProductionEntryRow, User, WorkOrder
from kiosk.store.replica import ENTITIES, encode_row
from server_sync.bulk import copy_rows
from server_sync.feed import FeedRow, publish
from server_sync.scope import line_rows
from server_sync.site_rows import MAX_ROWS
from server_sync.site_work_orders import apply_work_orders, plan_work_orders
from tests.helpers.central import CentralDatabase, KioskNode

LINE = "CUT-L02"
WORK_ORDERS = 2_000
ENTRIES = 98_000  # with the work orders: 100,000 rows of the line's history


def _table(model: type) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def import_work_orders(central: CentralDatabase) -> float:
    """The line's 2,000 work orders imported from the ERP's rows as the integration API
    takes them (plan then apply, at most 5,000 rows a request, one transaction each);
    returns the seconds it took."""
    due = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    rows = [
        {
            "number": f"WO-HIST-{index:06d}",
            "mo_number": f"MO-HIST-{index // 3:05d}",
            "article": "Polo shirt pique, navy",
            "destination": "EU / Hamburg",
            "department": Department.CUT.value,
            "line": LINE,
            "route": "R1",
            "target_qty": 5 * (ENTRIES // WORK_ORDERS),
            "due": due,
        }
        for index in range(WORK_ORDERS)
    ]
    started = time.perf_counter()
    for start in range(0, len(rows), MAX_ROWS):
        with central.session() as session:
            plan = plan_work_orders(session, rows[start : start + MAX_ROWS], lock=True)
            assert not plan.problems, plan.problems[:3]
            apply_work_orders(session, plan, now=datetime.now(UTC), actor="key:bench-erp")
            session.commit()
    return time.perf_counter() - started


def seed_history(central: CentralDatabase) -> int:
    """What the floor did on the imported work orders (all completed, 98,000 production
    entries written with COPY), published as the server publishes rows; returns the rows
    published."""
    now = datetime.now(UTC)
    with central.session() as session:
        line = session.scalar(select(Line).where(Line.code == LINE))
        rina = session.scalar(select(User).where(User.employee_no == "E1001"))
        assert line is not None and rina is not None
        audience = line_rows(line.code, line.department.value)
        per_order = ENTRIES // WORK_ORDERS
        table = _table(WorkOrder)
        imported = session.execute(
            select(table.c.id, table.c.number)
            .where(table.c.number.like("WO-HIST-%"))
            .order_by(table.c.number)
        ).all()
        assert len(imported) == WORK_ORDERS, len(imported)
        steps, entries = [], []
        for index, (order_id, _number) in enumerate(imported):
            started = now - timedelta(days=400 - index // 5)
            steps.append(
                {
                    "id": order_id,
                    "good_qty": 5 * per_order,
                    "status": WorkOrderStatus.COMPLETED,
                    "started_at": started,
                    "completed_at": started + timedelta(hours=9),
                    "version": per_order + 2,
                }
            )
            entries += [
                {
                    "id": new_id(),
                    "work_order_id": order_id,
                    "user_id": rina.id,
                    "good": 5,
                    "reject": 0,
                    "reject_reason": None,
                    "recorded_at": started + timedelta(minutes=10 * number),
                }
                for number in range(per_order)
            ]
        session.execute(update(WorkOrder), steps)
        copy_rows(session, _table(ProductionEntryRow), entries)
        orders = [
            dict(row)
            for row in session.execute(
                select(table).where(table.c.number.like("WO-HIST-%"))
            ).mappings()
        ]
        rows = [
            FeedRow(name, str(values["id"]), audience, encode_row(ENTITIES[name], values))
            for name, batch in ((WORK_ORDER, orders), (PRODUCTION_ENTRY, entries))
            for values in batch
        ]
        published = publish(session, rows)
        session.commit()
    return published


def _local_count(node: KioskNode, model: type) -> int:
    with node.database.reader() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def main() -> None:
    with (
        central_site("bootstrap") as (_admin, central),
        tempfile.TemporaryDirectory(prefix="bench-bootstrap-") as folder,
    ):
        importing = import_work_orders(central)
        started = time.perf_counter()
        seeded = seed_history(central)
        seeding = time.perf_counter() - started
        server = LoggedServer(central.url, Path(folder) / "server.log")
        with server.running():
            started = time.perf_counter()
            node = KioskNode(Path(folder) / LINE, server.url, central.enrolment_code(line=LINE))
            enrolling = time.perf_counter() - started
            started = time.perf_counter()
            report = node.sync()
            pulling = time.perf_counter() - started
            orders = _local_count(node, WorkOrder)
            entries = _local_count(node, ProductionEntryRow)
            state = node.store.state()
            node.close()
    assert state.bootstrapped_at is not None and state.cursor == report.high_water, state
    assert entries >= ENTRIES and orders >= WORK_ORDERS, (orders, entries)
    print(
        f"set-up: {WORK_ORDERS} work orders imported (plan and apply, "
        f"{MAX_ROWS} rows a request) in {importing:.1f} s; {seeded} rows of {LINE}'s "
        f"history published centrally in {seeding:.1f} s"
    )
    print(f"enrolment (one-time code for a token): {enrolling * 1000:.0f} ms")
    print(
        f"first sync round: {report.pulled} rows pulled in {report.requests} requests "
        f"({report.pulled / pulling:,.0f} rows/s); the kiosk holds {orders} work orders "
        f"and {entries} production entries"
    )
    print(f"bootstrap_seconds: {pulling:.2f} s")


if __name__ == "__main__":
    main()
