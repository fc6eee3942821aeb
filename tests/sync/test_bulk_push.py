"""Batches big enough for the server's bulk paths, and pages pulled while events still wait.

A batch of more than `server_sync.bulk.COPY_FROM_ROWS` events has its events' records and
its production entries written with COPY and its feed rows numbered in one statement;
what ends up centrally must be exactly what the kiosk recorded.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from kiosk.domain.work_order import RejectReason
from kiosk.store.models import OutboxEvent, ProductionEntryRow, WorkOrder
from server_sync.bulk import COPY_FROM_ROWS
from server_sync.feed import feed_row, publish
from server_sync.models import AppliedEvent
from tests.helpers.central import CentralDatabase, KioskNode
from tests.helpers.sync_checks import assert_healed
from tests.sync.conftest import KioskFactory

WORK_ORDER = "WO-2026-004217"  # CUT-L02's, in progress


def _room_for_counts(central: CentralDatabase) -> uuid.UUID:
    """The work order's target raised centrally (and published) before the kiosk starts."""
    with central.session() as session:
        row = session.scalar(select(WorkOrder).where(WorkOrder.number == WORK_ORDER))
        assert row is not None
        row.target_qty = 100_000
        row.version += 1
        session.flush()
        found = feed_row(session, row)
        assert found is not None
        publish(session, [found])
        session.commit()
        return row.id


def _entries(session_rows: list[ProductionEntryRow]) -> dict[uuid.UUID, tuple[object, ...]]:
    return {
        row.id: (
            row.work_order_id,
            row.user_id,
            row.good,
            row.reject,
            row.reject_reason,
            row.recorded_at,
        )
        for row in session_rows
    }


def _record(node: KioskNode, work_order_id: uuid.UUID, count: int) -> None:
    rina = node.login("E1001")
    reasons = list(RejectReason)
    for number in range(count):
        rejects = number % 3
        node.services.work_orders.record(
            rina,
            work_order_id,
            good="2",
            reject=str(rejects) if rejects else "",
            reason=reasons[number % len(reasons)].value if rejects else None,
        )


def test_a_big_batch_is_stored_centrally_exactly_as_the_kiosk_recorded_it(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    work_order_id = _room_for_counts(central)
    cutting = kiosk("CUT-L02")
    with central.session() as session:
        before = session.get(WorkOrder, work_order_id)
        assert before is not None
        good_before = before.good_qty
    count = 3 * COPY_FROM_ROWS
    _record(cutting, work_order_id, count)
    report = cutting.sync()
    assert report.requests == 1  # one batch: the bulk paths
    assert report.answers["applied"] == count + 1  # and Rina's session
    with cutting.database.reader() as session:
        local = _entries(list(session.scalars(select(ProductionEntryRow))))
    with central.session() as session:
        stored = _entries(
            list(
                session.scalars(
                    select(ProductionEntryRow).where(ProductionEntryRow.id.in_(list(local)))
                )
            )
        )
        work_order = session.get(WorkOrder, work_order_id)
        assert work_order is not None
        assert work_order.good_qty == good_before + 2 * count
    assert stored == local
    assert {row[4] for row in stored.values()} >= set(RejectReason)
    # Each event's record keeps the payload the kiosk queued (written by COPY).
    with cutting.database.reader() as session:
        queued = {row.id: row.payload for row in session.scalars(select(OutboxEvent))}
    with central.session() as session:
        kept = {
            row.id: row.payload
            for row in session.scalars(select(AppliedEvent).where(AppliedEvent.id.in_(queued)))
        }
    assert kept == queued
    assert_healed(central, [cutting])


def test_rows_with_changes_still_waiting_stay_as_the_kiosk_has_them_until_answered(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    work_order_id = _room_for_counts(central)
    cutting = kiosk("CUT-L02")
    _record(cutting, work_order_id, 30)
    report = cutting.sync(batch_size=10)
    assert report.requests >= 3
    assert report.kept_local > 0  # the work order, pulled while later counts still waited
    assert_healed(central, [cutting])  # and in the end it is the server's


def test_counts_recorded_while_a_round_pushes_go_out_in_order_once(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """Each request's successor is read while the server answers it: counts recorded in
    between still reach the server, in their order, each once."""
    work_order_id = _room_for_counts(central)
    cutting = kiosk("CUT-L02")
    _record(cutting, work_order_id, 40)
    rina = cutting.login("E1001")
    recorded_during: list[int] = []

    def record_between_requests(_progress: object) -> None:
        if len(recorded_during) < 5:
            cutting.services.work_orders.record(
                rina, work_order_id, good="1", reject="", reason=None
            )
            recorded_during.append(1)

    client = cutting.client()
    try:
        report = cutting.engine(batch_size=10, client=client).run_round(record_between_requests)
    finally:
        client.close()
    assert len(recorded_during) == 5
    assert report.requests >= 5
    assert report.pending == 0
    assert report.answers["applied"] == report.pushed  # nothing answered twice
    assert_healed(central, [cutting])  # every event once, gap-free, totals equal
