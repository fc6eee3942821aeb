"""A kiosk keeps its answered events for the retention period (to refill a restored server),
then lets them go at the end of a round; an unanswered event is never let go."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kiosk.store.models import OutboxEvent, WorkOrder
from tests.helpers.central import OffsetClock
from tests.sync.conftest import KioskFactory


def _record(node, actor, good: str) -> None:  # type: ignore[no-untyped-def]
    with node.database.reader() as session:
        work_order = session.scalar(select(WorkOrder).where(WorkOrder.number == "WO-2026-004217"))
        assert work_order is not None
    node.services.work_orders.record(actor, work_order.id, good=good, reject="", reason=None)


def _outbox(node) -> dict[int, bool]:  # type: ignore[no-untyped-def]
    """{payload's good: answered} for the kiosk's counts still in its outbox."""
    with node.database.reader() as session:
        rows = session.execute(
            select(OutboxEvent.payload, OutboxEvent.acked_at).where(
                OutboxEvent.kind == "production.recorded"
            )
        ).all()
    return {int(payload["good"]): acked is not None for payload, acked in rows}


def test_answered_counts_past_retention_go_at_a_rounds_end_and_the_rest_stay(
    kiosk: KioskFactory,
) -> None:
    clock = OffsetClock()
    cutting = kiosk("CUT-L02", clock=clock)
    rina = cutting.login("E1001")
    _record(cutting, rina, "11")
    cutting.sync()
    assert _outbox(cutting) == {11: True}  # answered, kept for the retention period

    clock.offset = timedelta(days=13)
    _record(cutting, rina, "12")
    cutting.sync()
    assert _outbox(cutting) == {11: True, 12: True}  # 13 days: both still kept

    clock.offset = timedelta(days=15)
    _record(cutting, rina, "13")
    report = cutting.sync()
    assert report.pending == 0
    # The count answered 15 days ago went; the one of two days ago and this round's stay.
    assert _outbox(cutting) == {12: True, 13: True}
    state = cutting.store.state()
    assert state.last_success_at is not None and state.last_error is None

    _record(cutting, rina, "14")  # not synced: unanswered
    clock.offset = timedelta(days=40)
    noted = clock.now()
    cutting.store.note_success(noted, prune_before=noted - timedelta(days=14))
    assert _outbox(cutting) == {14: False}  # every answered count is past; the unanswered stays
    assert cutting.store.state().last_success_at == noted  # what "last synced" shows
