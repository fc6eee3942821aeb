"""What every sync test checks after healing: nothing lost, nothing twice, everyone agrees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.domain.sync_events import USER
from kiosk.store.models import Line, OutboxEvent, ProductionEntryRow, UserLine, WorkOrder
from kiosk.store.replica import ENTITIES, USER_LINE_IDS, decode_row
from server_sync.feed import read_page
from server_sync.models import AppliedEvent, Device
from tests.helpers.central import CentralDatabase, KioskNode, applied_counts


def assert_outbox_drained(node: KioskNode) -> None:
    assert node.pending() == 0, f"{node.folder.name}: {node.pending()} events not answered"


def assert_each_event_once(central: CentralDatabase, nodes: list[KioskNode]) -> int:
    """Every event of every kiosk is recorded centrally exactly once; returns how many."""
    with central.session() as session:
        recorded = dict(session.execute(select(AppliedEvent.id, AppliedEvent.device_id)).all())
    total = 0
    for node in nodes:
        ids = node.outbox_ids()
        missing = ids - set(recorded)
        assert not missing, f"{node.folder.name}: {len(missing)} events never reached the server"
        total += len(ids)
    return total


def assert_gap_free(central: CentralDatabase) -> None:
    """Per device incarnation, the numbers taken are 1..n with none missing or repeated."""
    with central.session() as session:
        rows = session.execute(
            select(
                AppliedEvent.device_id,
                AppliedEvent.incarnation,
                func.count(),
                func.min(AppliedEvent.seq),
                func.max(AppliedEvent.seq),
            ).group_by(AppliedEvent.device_id, AppliedEvent.incarnation)
        ).all()
    for device_id, incarnation, count, lowest, highest in rows:
        assert count == highest - lowest + 1, (
            device_id,
            incarnation,
            count,
            lowest,
            highest,
        )


def device_feed(central: CentralDatabase, node: KioskNode) -> list[dict[str, Any]]:
    """Everything the server would send this kiosk from the start."""
    device_id = node.store.state().device_id
    changes: list[dict[str, Any]] = []
    cursor = 0
    with central.session() as session:
        device = session.get(Device, device_id)
        assert device is not None
        while True:
            page = read_page(session, device, cursor, None, 5000)
            changes += page.changes
            cursor = page.cursor
            if not page.has_more:
                return changes


def assert_replica_equal(central: CentralDatabase, node: KioskNode) -> int:
    """Each row the server has for this kiosk's scope is on the kiosk, equal; returns how many."""
    checked = 0
    with node.database.reader() as session:
        for change in device_feed(central, node):
            entity = ENTITIES.get(change["entity"])
            if entity is None:
                continue
            expected = decode_row(entity, change["data"])
            match = [
                getattr(entity.table.c, column) == expected[column]
                for column in entity.conflict_columns
            ]
            local = session.execute(select(entity.table).where(*match)).mappings().first()
            assert local is not None, (
                f"{node.folder.name}: {change['entity']} {change['key']} missing"
            )
            for column in entity.update_columns:
                assert local[column] == expected[column], (
                    node.folder.name,
                    change["entity"],
                    change["key"],
                    column,
                    local[column],
                    expected[column],
                )
            if change["entity"] == USER:
                lines = set(
                    session.scalars(
                        select(UserLine.line_id).where(UserLine.user_id == expected["id"])
                    )
                )
                assert {str(line) for line in lines} == set(change["data"][USER_LINE_IDS])
            checked += 1
    return checked


def assert_healed(central: CentralDatabase, nodes: list[KioskNode]) -> int:
    """All of the above; returns the number of events the kiosks made."""
    for node in nodes:
        assert_outbox_drained(node)
    total = assert_each_event_once(central, nodes)
    assert_gap_free(central)
    for node in nodes:
        assert assert_replica_equal(central, node) > 0
    return total


def outbox_results(node: KioskNode) -> dict[str, int]:
    with node.database.reader() as session:
        rows = session.execute(
            select(OutboxEvent.result, func.count()).group_by(OutboxEvent.result)
        ).all()
    return {str(result): count for result, count in rows}


def _totals(session: Session, line_code: str | None) -> dict[str, tuple[int, int, int, int, int]]:
    """Per work order: (good_qty, reject_qty, entries, sum of good, sum of reject)."""
    query = (
        select(
            WorkOrder.number,
            WorkOrder.good_qty,
            WorkOrder.reject_qty,
            func.count(ProductionEntryRow.id),
            func.coalesce(func.sum(ProductionEntryRow.good), 0),
            func.coalesce(func.sum(ProductionEntryRow.reject), 0),
        )
        .join(Line, WorkOrder.line_id == Line.id)
        .outerjoin(ProductionEntryRow, ProductionEntryRow.work_order_id == WorkOrder.id)
        .group_by(WorkOrder.id, WorkOrder.number, WorkOrder.good_qty, WorkOrder.reject_qty)
    )
    if line_code is not None:
        query = query.where(Line.code == line_code)
    return {
        number: (int(good), int(reject), int(count), int(good_sum), int(reject_sum))
        for number, good, reject, count, good_sum, reject_sum in session.execute(query)
    }


def assert_counts_once(central: CentralDatabase, nodes: list[KioskNode]) -> int:
    """No count applied twice: centrally every work order's totals are the sum of its
    entries, and each kiosk's line has the same entries and totals. Returns the entries."""
    with central.session() as session:
        everywhere = _totals(session, None)
    for number, (good, reject, _count, good_sum, reject_sum) in everywhere.items():
        assert (good, reject) == (good_sum, reject_sum), (
            number,
            good,
            reject,
            good_sum,
            reject_sum,
        )
    for node in nodes:
        if not node.line_code:
            continue
        with central.session() as session:
            expected = _totals(session, node.line_code)
        with node.database.reader() as session:
            local = _totals(session, node.line_code)
        assert local == expected, (node.folder.name, local, expected)
    return sum(count for _good, _reject, count, _g, _r in everywhere.values())


def assert_applied_exactly(central: CentralDatabase, expected: int) -> dict[str, int]:
    """Exactly `expected` events recorded centrally (each once: the id is the key)."""
    counts = applied_counts(central)
    assert sum(counts.values()) == expected, (counts, expected)
    return counts
