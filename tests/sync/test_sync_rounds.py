"""Two kiosks and the central server: actions on one appear on the other and centrally, once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.domain.transfer import TransferStatus
from kiosk.store.models import ProductionEntryRow, Transfer, User, WorkOrder
from server_sync.models import AppliedEvent
from tests.helpers.central import CentralDatabase, applied_counts
from tests.helpers.sync_checks import assert_healed, outbox_results
from tests.sync.conftest import KioskFactory


def _work_order(node, number: str) -> WorkOrder:
    with node.database.reader() as session:
        row = session.scalar(select(WorkOrder).where(WorkOrder.number == number))
        assert row is not None
        return row


def test_a_new_kiosk_pulls_its_line_and_department_and_nothing_of_other_lines(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    with cutting.database.reader() as session:
        lines = set(session.scalars(select(WorkOrder.line_id).distinct()))
        numbers = set(session.scalars(select(WorkOrder.number)))
        people = {user.employee_no: user for user in session.scalars(select(User))}
    assert len(lines) == 1
    assert "WO-2026-004217" in numbers and "WO-2026-004229" not in numbers  # SEW-L03's
    # Everyone is known by name; only those who may log in here carry their PIN hash.
    assert people["E1001"].pin_hash and people["E5002"].pin_hash and people["E9001"].pin_hash
    assert people["E2001"].pin_hash == "" and people["E2001"].badge_hash is None
    assert people["E5001"].pin_hash == ""  # Sewing's supervisor
    assert_healed(central, [cutting])


def test_a_recorded_count_reaches_the_server_once_and_the_kiosk_agrees(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    rina = cutting.login("E1001")
    before = _work_order(cutting, "WO-2026-004217").good_qty
    entry = cutting.services.work_orders.record(
        rina, _work_order(cutting, "WO-2026-004217").id, good="12", reject="1", reason="FABRIC_FLAW"
    )
    report = cutting.sync()
    assert report.answers["applied"] == 2  # session.started and production.recorded
    assert report.pending == 0
    assert report.pulled == 1  # the work order's new total; its own count is not sent back
    with central.session() as session:
        central_row = session.get(WorkOrder, entry.work_order.id)
        assert central_row is not None and central_row.good_qty == before + 12
        assert session.get(ProductionEntryRow, entry.entry_id) is not None
    again = cutting.sync()
    assert again.pushed == 0 and again.answers.total() == 0
    assert outbox_results(cutting) == {"applied": 2}
    assert_healed(central, [cutting])


def test_a_handoff_prepared_on_one_kiosk_is_received_on_the_other_and_both_see_it_accepted(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    rina = cutting.login("E1001")
    work_order = _work_order(cutting, "WO-2026-004217")
    prepared = cutting.services.transfers.prepare(rina, work_order.id, "40", "SEW-L03")
    cutting.sync()
    sewing.sync()
    with sewing.database.reader() as session:
        known = session.scalar(
            select(Transfer).where(Transfer.slip_id == prepared.transfer.slip_id)
        )
        assert known is not None and known.status is TransferStatus.PREPARED
    dewi = sewing.login("E2001")
    slip = sewing.services.transfers.check_slip(dewi, prepared.document.qr_payload or "")
    outcome = sewing.services.transfers.receive(dewi, slip.payload, "40")
    assert outcome.accepted
    sewing.sync()
    cutting.sync()
    with cutting.database.reader() as session:
        seen = session.scalar(select(Transfer).where(Transfer.slip_id == prepared.transfer.slip_id))
        assert seen is not None
        assert (seen.status, seen.accepted_qty, seen.counted_by) == (
            TransferStatus.ACCEPTED,
            40,
            "E2001",
        )
        assert seen.origin == "prepared" and seen.id == prepared.transfer.id
    assert applied_counts(central).get("rejected", 0) == 0
    assert_healed(central, [cutting, sewing])


@pytest.mark.parametrize("line", ["CUT-L02"])
def test_each_event_is_recorded_with_the_device_and_its_numbers(
    kiosk: KioskFactory, central: CentralDatabase, line: str
) -> None:
    node = kiosk(line)
    node.login("E1001")
    node.login("E1002")
    node.sync()
    with central.session() as session:
        rows = session.execute(
            select(AppliedEvent.seq, AppliedEvent.kind).order_by(AppliedEvent.seq)
        ).all()
    assert [row.seq for row in rows] == [1, 2]
    assert {row.kind for row in rows} == {"session.started"}
