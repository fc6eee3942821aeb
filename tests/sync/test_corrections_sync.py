"""Corrections, voids and pause reasons through the real server on PostgreSQL.

The kiosk and the server apply the same effect: after a sync the work order's totals and
minutes paused per reason are the same on both sides. A tampered kiosk's corrections of
entries it may not touch are refused and change nothing centrally.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from kiosk.demo import demo_user
from kiosk.domain.correction import CORRECTION_WINDOW
from kiosk.domain.ids import new_id
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.services.actor import Actor
from kiosk.store.models import (
    Line,
    ProductionCorrectionRow,
    ProductionEntryRow,
    User,
    WorkOrder,
)
from tests.helpers.central import CentralDatabase, KioskNode
from tests.helpers.sync_raw import now_text, outbox_answer, queue_event, user_id, work_order
from tests.sync.conftest import KioskFactory

RUNNING = "WO-2026-004217"  # CUT-L02, in progress


def _approver(node: KioskNode, employee_no: str) -> Actor:
    """A supervisor's badge tap, then their PIN, on the logged-in operator's session."""
    person = demo_user(employee_no)
    auth = node.services.auth
    auth.badge_owner(person.badge)
    with node.database.reader() as session:
        found = session.scalar(select(User.id).where(User.employee_no == employee_no))
    assert found is not None
    return auth.authenticate_approver(found, person.pin)


def _totals(row: WorkOrder) -> tuple[int, int]:
    return row.good_qty, row.reject_qty


def _local_work_order(node: KioskNode, work_order_id: uuid.UUID) -> WorkOrder:
    with node.database.reader() as session:
        row = session.get(WorkOrder, work_order_id)
        assert row is not None
        session.expunge(row)
        return row


def test_corrections_and_pauses_agree_on_kiosk_and_server(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    clock = cutting.clock
    rina = cutting.login("E1001")
    running = work_order(central, RUNNING)
    before = _totals(running)
    corrections = cutting.services.corrections
    work_orders = cutting.services.work_orders

    older = work_orders.record(rina, running.id, good="40", reject="", reason=None)
    clock.offset += CORRECTION_WINDOW + timedelta(minutes=1)
    recent = work_orders.record(rina, running.id, good="20", reject="1", reason="STAIN")
    corrections.correct(
        rina, recent.entry_id, good="18", reject="2", reject_reason="STAIN", reason="TYPING_ERROR"
    )
    ani = _approver(cutting, "E5002")
    corrections.void(rina, older.entry_id, reason="WRONG_WORK_ORDER", approver=ani)
    work_orders.pause(rina, running.id, reason="WAITING_MATERIAL")
    clock.offset += timedelta(minutes=7)
    work_orders.resume(rina, running.id)
    work_orders.pause(rina, running.id, reason="MACHINE_BREAKDOWN")
    clock.offset += timedelta(minutes=3)
    work_orders.resume(rina, running.id)

    report = cutting.sync()  # the entries and their corrections in one batch

    assert report.answers == {"applied": 9}
    central_row = work_order(central, RUNNING)
    local_row = _local_work_order(cutting, running.id)
    assert _totals(central_row) == _totals(local_row) == (before[0] + 18, before[1] + 2)
    assert central_row.paused_seconds == local_row.paused_seconds
    assert set(central_row.paused_seconds) == {"WAITING_MATERIAL", "MACHINE_BREAKDOWN"}
    assert 419 <= central_row.paused_seconds["WAITING_MATERIAL"] <= 421
    assert central_row.status is WorkOrderStatus.IN_PROGRESS
    with central.session() as session:
        stored = {
            row.entry_id: (row.good, row.reject, row.is_void, row.approved_by)
            for row in session.scalars(select(ProductionCorrectionRow))
        }
        original = session.get(ProductionEntryRow, older.entry_id)
        assert original is not None and original.good == 40  # the entry stays as recorded
    assert stored == {
        recent.entry_id: (18, 2, False, None),
        older.entry_id: (0, 0, True, ani.user_id),
    }

    # Another kiosk of the department sees the same totals after its own sync.
    other = kiosk("CUT-L02", "second")
    assert _totals(_local_work_order(other, running.id)) == _totals(central_row)
    with other.database.reader() as session:
        assert len(session.scalars(select(ProductionCorrectionRow)).all()) == 2


def _correction(
    entry_id: uuid.UUID, work_order_id: uuid.UUID, actor: uuid.UUID, **extra: Any
) -> dict[str, Any]:
    return {
        "correction_id": str(new_id()),
        "entry_id": str(entry_id),
        "work_order_id": str(work_order_id),
        "line": "CUT-L02",
        "user_id": str(actor),
        "approved_by": None,
        "good": 0,
        "reject": 0,
        "reject_reason": None,
        "reason": "TYPING_ERROR",
        "at": now_text(),
        "actor_id": str(actor),
        **extra,
    }


def test_a_tampered_kiosks_corrections_are_refused(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    running = work_order(central, RUNNING)
    rina_id = user_id(central, "E1001")
    ani_id = user_id(central, "E5002")
    budi = cutting.login("E1002")
    budis = cutting.services.work_orders.record(budi, running.id, good="9", reject="", reason=None)
    ani = cutting.login("E5002")
    anis = cutting.services.work_orders.record(ani, running.id, good="7", reject="", reason=None)
    rina = cutting.login("E1001")
    own = cutting.services.work_orders.record(rina, running.id, good="5", reject="", reason=None)
    cutting.services.corrections.void(rina, own.entry_id, reason="TYPING_ERROR")
    cutting.sync()
    with central.session() as session:
        line_one = session.scalar(select(Line.id).where(Line.code == "CUT-L01"))
        elsewhere = session.scalars(
            select(ProductionEntryRow)
            .join(WorkOrder, WorkOrder.id == ProductionEntryRow.work_order_id)
            .where(WorkOrder.line_id == line_one)
        ).first()
    assert elsewhere is not None
    before = _totals(work_order(central, RUNNING))

    void = "production.voided"
    bad = {
        "someone else's entry, alone": queue_event(
            cutting, void, _correction(budis.entry_id, running.id, rina_id)
        ),
        "another line's entry": queue_event(
            cutting, void, _correction(elsewhere.id, elsewhere.work_order_id, rina_id)
        ),
        "another line's entry on this line's order": queue_event(
            cutting, void, _correction(elsewhere.id, running.id, rina_id)
        ),
        "no such entry": queue_event(cutting, void, _correction(new_id(), running.id, rina_id)),
        "already voided": queue_event(
            cutting, void, _correction(own.entry_id, running.id, rina_id)
        ),
        "the recorder approves": queue_event(
            cutting,
            void,
            _correction(
                anis.entry_id, running.id, ani_id, user_id=str(rina_id), approved_by=str(ani_id)
            ),
        ),
        "an approver who is not the actor": queue_event(
            cutting,
            void,
            _correction(budis.entry_id, running.id, rina_id, approved_by=str(ani_id)),
        ),
        "an absurd count": queue_event(
            cutting,
            "production.corrected",
            _correction(
                budis.entry_id,
                running.id,
                ani_id,
                user_id=str(rina_id),
                approved_by=str(ani_id),
                good=10**6,
            ),
        ),
        "a pause with no such reason": queue_event(
            cutting,
            "work_order.paused",
            {
                "work_order_id": str(running.id),
                "line": "CUT-L02",
                "at": now_text(),
                "pause_reason": "LUNCH",
                "actor_id": str(rina_id),
            },
        ),
    }
    cutting.sync()
    answers = {name: outbox_answer(cutting, event_id) for name, event_id in bad.items()}
    assert answers == {
        "someone else's entry, alone": (
            "rejected",
            f"entry.correction_needs_approval: entry_id={budis.entry_id}",
        ),
        "another line's entry": ("rejected", "out_of_device_scope: line=CUT-L01"),
        "another line's entry on this line's order": (
            "rejected",
            f"entry_work_order_mismatch: entry_id={elsewhere.id}",
        ),
        "no such entry": answers["no such entry"],
        "already voided": ("rejected", f"entry.already_voided: entry_id={own.entry_id}"),
        "the recorder approves": (
            "rejected",
            f"perm.self_approval: entry_id={anis.entry_id}",
        ),
        "an approver who is not the actor": (
            "rejected",
            f"approver_not_actor: approved_by={ani_id}",
        ),
        "an absurd count": ("rejected", answers["an absurd count"][1]),
        "a pause with no such reason": ("rejected", "malformed: field=pause_reason"),
    }
    assert answers["no such entry"][0] == "rejected"
    assert str(answers["no such entry"][1]).startswith("unknown_entry")
    assert str(answers["an absurd count"][1]).startswith("qty.absurd")
    assert _totals(work_order(central, RUNNING)) == before
    assert work_order(central, RUNNING).status is WorkOrderStatus.IN_PROGRESS
    with central.session() as session:
        assert len(session.scalars(select(ProductionCorrectionRow)).all()) == 1
