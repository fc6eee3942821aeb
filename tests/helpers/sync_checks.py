"""What every sync test checks after healing: nothing lost, nothing twice, everyone agrees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kiosk.domain.sync_events import USER
from kiosk.store.models import OutboxEvent, UserLine
from kiosk.store.replica import ENTITIES, USER_LINE_IDS, decode_row
from server_sync.feed import read_page
from server_sync.models import AppliedEvent, Device
from tests.helpers.central import CentralDatabase, KioskNode


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
            match = [getattr(entity.table.c, column) == expected[column] for column in entity.conflict_columns]
            local = session.execute(select(entity.table).where(*match)).mappings().first()
            assert local is not None, f"{node.folder.name}: {change['entity']} {change['key']} missing"
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
