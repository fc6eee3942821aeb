"""The server applies the kiosk's own domain rules, event by event, and keeps what it refuses.

A refused event is answered with a reason and the rest of its batch goes on; refusals
become one alert per device and reason (with a count) that the department's supervisor
pulls; a conflict found only centrally (a work order moved on, a slip counted twice)
is answered `conflict` and kept, never dropped.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.ids import new_id
from kiosk.domain.transfer import TransferStatus
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import (
    Alert,
    OutboxEvent,
    ProductionEntryRow,
    Transfer,
    WipMovement,
    WorkOrder,
)
from server_sync.models import AppliedEvent, TransferDispute
from tests.helpers.central import CentralDatabase, KioskNode
from tests.helpers.sync_checks import assert_gap_free, assert_healed, outbox_results
from tests.helpers.sync_raw import (
    domain_snapshot,
    now_text,
    outbox_answer,
    queue_event,
    user_id,
    work_order,
)
from tests.sync.conftest import KioskFactory

RUNNING = "WO-2026-004217"  # CUT-L02, in progress, route R2: Cutting hands over to Sewing


def _healed(central: CentralDatabase, nodes: list[KioskNode]) -> None:
    """Everyone syncs once more (alerts raised after a kiosk's last round), then the checks."""
    for node in nodes:
        node.sync()
    assert_healed(central, nodes)


def _central_work_order(central: CentralDatabase, work_order_id: uuid.UUID) -> WorkOrder:
    with central.session() as session:
        row = session.get(WorkOrder, work_order_id)
        assert row is not None
        return row


def _refusal_alerts(
    central: CentralDatabase, device_id: uuid.UUID | None
) -> dict[tuple[str, str], Alert]:
    with central.session() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == "sync_refused")).all()
    return {
        (alert.fields["event_kind"], alert.fields["reason"]): alert
        for alert in alerts
        if alert.fields["device_id"] == str(device_id)
    }


def _record(central: CentralDatabase, actor: str, good: Any, **extra: Any) -> dict[str, Any]:
    return {
        "entry_id": str(new_id()),
        "work_order_id": str(work_order(central, RUNNING).id),
        "line": "CUT-L02",
        "good": good,
        "reject": 0,
        "reject_reason": None,
        "recorded_at": now_text(),
        "actor_id": str(user_id(central, actor)),
        **extra,
    }


def test_one_bad_event_never_blocks_the_rest_of_its_batch(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    device_id = cutting.store.state().device_id
    rina = cutting.login("E1001")
    running = work_order(central, RUNNING)
    before = running.good_qty
    cutting.services.work_orders.record(rina, running.id, good="12", reject="0", reason=None)
    unknown_order = new_id()
    bad = {
        "unknown work order": queue_event(
            cutting,
            "production.recorded",
            _record(central, "E1001", 5, work_order_id=str(unknown_order)),
        ),
        "an admin may not record": queue_event(
            cutting, "production.recorded", _record(central, "E9001", 5)
        ),
        "an operator of another line": queue_event(
            cutting, "production.recorded", _record(central, "E1003", 5)
        ),
        "negative count": queue_event(
            cutting, "production.recorded", _record(central, "E1001", -3)
        ),
        "count as text": queue_event(
            cutting, "production.recorded", _record(central, "E1001", "5")
        ),
        "no such kind": queue_event(cutting, "production.teleported", {"line": "CUT-L02"}),
        "unknown actor": queue_event(
            cutting,
            "production.recorded",
            {**_record(central, "E1001", 5), "actor_id": str(new_id())},
        ),
    }
    cutting.services.work_orders.record(
        rina, running.id, good="5", reject="1", reason="FABRIC_FLAW"
    )

    report = cutting.sync()

    assert report.pending == 0
    assert report.answers == {"applied": 3, "rejected": len(bad)}
    reasons = {name: outbox_answer(cutting, event_id) for name, event_id in bad.items()}
    assert reasons == {
        "unknown work order": (
            "rejected",
            f"unknown_work_order: work_order_id={unknown_order}",
        ),
        "an admin may not record": (
            "rejected",
            "perm.denied: action=work_order.record, role=ADMIN",
        ),
        "an operator of another line": (  # he may not log in on CUT-L02 at all
            "rejected",
            "actor_out_of_device_scope: employee_no=E1003",
        ),
        "negative count": ("rejected", "malformed: field=good"),
        "count as text": ("rejected", "malformed: field=good"),
        "no such kind": ("rejected", "unknown_kind"),
        "unknown actor": reasons["unknown actor"],
    }
    assert reasons["unknown actor"][1] is not None
    assert reasons["unknown actor"][1].startswith("unknown_actor")
    # The good events around them applied, in full and once.
    assert _central_work_order(central, running.id).good_qty == before + 17
    with central.session() as session:
        entries = session.scalars(
            select(ProductionEntryRow).where(ProductionEntryRow.work_order_id == running.id)
        ).all()
    with cutting.database.reader() as session:
        local = session.scalars(
            select(ProductionEntryRow).where(ProductionEntryRow.work_order_id == running.id)
        ).all()
    assert {entry.id for entry in entries} == {entry.id for entry in local}

    # One alert per device and reason, counting its events (the two malformed counts: 2).
    alerts = _refusal_alerts(central, device_id)
    assert len(alerts) == 6
    assert alerts[("production.recorded", "malformed: field=good")].fields["count"] == 2
    assert {
        alert.fields["count"] for key, alert in alerts.items() if "malformed" not in key[1]
    } == {1}
    assert {alert.department for alert in alerts.values()} == {"CUT"}

    # Refused again in a later batch: the same open alert counts on.
    queue_event(cutting, "production.recorded", _record(central, "E1001", 10**12))
    cutting.sync()
    alerts = _refusal_alerts(central, device_id)
    assert len(alerts) == 6
    assert alerts[("production.recorded", "malformed: field=good")].fields["count"] == 3

    # Cutting's supervisor sees them on another Cutting kiosk, pulled with their counts.
    other = kiosk("CUT-L01")
    ani = other.login("E5002")
    seen = {
        (view.fields["event_kind"], view.fields["reason"]): view.fields["count"]
        for view in other.services.alerts.open_alerts(ani)
        if view.kind == "sync_refused"
    }
    assert seen == {key: alert.fields["count"] for key, alert in alerts.items()}
    # So does the kiosk that sent them (its own department) …
    with cutting.database.reader() as session:
        assert len(session.scalars(select(Alert).where(Alert.kind == "sync_refused")).all()) == 6
    # … and Sewing does not.
    sewing = kiosk("SEW-L03")
    with sewing.database.reader() as session:
        assert session.scalars(select(Alert).where(Alert.kind == "sync_refused")).all() == []
    assert_gap_free(central)
    _healed(central, [cutting, other, sewing])


def test_a_refused_event_is_acknowledged_by_the_supervisor_and_a_new_one_opens_a_new_alert(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    device_id = cutting.store.state().device_id
    queue_event(cutting, "production.teleported", {"line": "CUT-L02"})
    cutting.sync()
    # Acknowledged on another of Cutting's kiosks: never by the device it is about.
    other = kiosk("CUT-L01")
    ani = other.login("E5002")
    [view] = [v for v in other.services.alerts.open_alerts(ani) if v.kind == "sync_refused"]
    other.services.alerts.acknowledge(ani, view.id)
    other.sync()
    with central.session() as session:
        acknowledged = session.get(Alert, view.id)
        assert acknowledged is not None and acknowledged.acknowledged_at is not None
    queue_event(cutting, "production.teleported", {"line": "CUT-L02"})
    cutting.sync()
    with central.session() as session:
        alerts = session.scalars(
            select(Alert).where(Alert.kind == "sync_refused").order_by(Alert.raised_at)
        ).all()
    assert [alert.fields["count"] for alert in alerts] == [1, 1]
    assert {alert.fields["device_id"] for alert in alerts} == {str(device_id)}
    assert [alert.acknowledged_at is None for alert in alerts] == [False, True]


def test_a_work_order_moved_on_centrally_answers_a_late_transition_with_a_conflict(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    first, second = kiosk("CUT-L02", "cutting-a"), kiosk("CUT-L02", "cutting-b")
    running = work_order(central, RUNNING)
    rina = first.login("E1001")
    first.services.work_orders.complete(rina, running.id)
    budi = second.login("E1002")  # offline: his kiosk still has it in progress
    second.services.work_orders.pause(budi, running.id, reason="WAITING_MATERIAL")
    first.sync()

    report = second.sync()

    assert report.answers == {"applied": 1, "conflict": 1}
    with second.database.reader() as session:
        paused = session.scalar(select(OutboxEvent).where(OutboxEvent.kind == "work_order.paused"))
        assert paused is not None
        local = session.get(WorkOrder, running.id)
        assert local is not None
    assert (paused.result, paused.result_reason) == (
        "conflict",
        "work_order_state: command=PAUSE, status=COMPLETED",
    )
    # Central state stands and comes back to the late kiosk.
    assert _central_work_order(central, running.id).status is WorkOrderStatus.COMPLETED
    assert local.status is WorkOrderStatus.COMPLETED
    with central.session() as session:
        recorded = session.get(AppliedEvent, paused.id)
        assert recorded is not None and recorded.result == "conflict"
    alerts = _refusal_alerts(central, second.store.state().device_id)
    assert list(alerts) == [("work_order.paused", paused.result_reason)]
    _healed(central, [first, second])


def _prepare_for_sewing(cutting: KioskNode, central: CentralDatabase, quantity: str) -> Any:
    rina = cutting.login("E1001")
    prepared = cutting.services.transfers.prepare(
        rina, work_order(central, RUNNING).id, quantity, "SEW-L03"
    )
    cutting.sync()
    return prepared


def test_a_slip_received_on_two_kiosks_is_kept_as_a_dispute(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    first, second = kiosk("SEW-L03", "sewing-a"), kiosk("SEW-L03", "sewing-b")
    prepared = _prepare_for_sewing(cutting, central, "40")
    slip_id = prepared.transfer.slip_id
    payload = prepared.document.qr_payload or ""
    for node, who, counted in ((first, "E2001", "40"), (second, "E2001", "38")):
        dewi = node.login(who)  # both offline: each checks the slip and counts by itself
        slip = node.services.transfers.check_slip(dewi, payload)
        outcome = node.services.transfers.receive(dewi, slip.payload, counted)
        if outcome.needs_recount:  # 38 is counted again, and holds the batch
            node.services.transfers.receive(dewi, slip.payload, counted)
    first.sync()
    before = domain_snapshot(central)

    report = second.sync()

    with second.database.reader() as session:
        held = session.scalar(select(OutboxEvent).where(OutboxEvent.kind == "transfer.held"))
        assert held is not None
    assert (held.result, held.result_reason) == ("conflict", "received_twice: kept as a dispute")
    assert report.pending == 0
    with central.session() as session:
        recorded = session.get(AppliedEvent, held.id)
        disputes = session.scalars(select(TransferDispute)).all()
        alerts = session.scalars(select(Alert).where(Alert.kind == "handshake_disputed")).all()
        transfer = session.scalar(select(Transfer).where(Transfer.slip_id == slip_id))
        moved = session.scalars(select(WipMovement)).all()
    assert recorded is not None and recorded.result == "conflict"  # kept, never dropped
    assert recorded.payload["counted_qty"] == 38
    [dispute] = disputes
    assert (dispute.slip_id, dispute.kind, dispute.event_id) == (slip_id, "received_twice", held.id)
    assert dispute.device_id == second.store.state().device_id
    assert dispute.detail["first_counted"] == 40 and dispute.detail["again_counted"] == 38
    [alert] = alerts
    assert (alert.priority, alert.department, alert.fields["slip_id"]) == (1, "SEW", slip_id)
    # The first count stands: one handoff, its pieces moved once.
    assert transfer is not None and transfer.status is TransferStatus.ACCEPTED
    assert (transfer.counted_qty, transfer.accepted_qty) == (40, 40)
    assert len(moved) == 1
    after = domain_snapshot(central)
    assert after["transfer"] == before["transfer"]
    assert after["wip_movement"] == before["wip_movement"]

    # Sewing's supervisor finds the dispute on his kiosk after a pull.
    first.sync()
    hadi = first.login("E5001")
    disputed = [
        v for v in first.services.alerts.open_alerts(hadi) if v.kind == "handshake_disputed"
    ]
    assert [view.fields["slip_id"] for view in disputed] == [slip_id]
    _healed(central, [cutting, first, second])


def test_the_same_slip_accepted_twice_is_a_conflict_and_its_pieces_move_once(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    first, second = kiosk("SEW-L03", "sewing-a"), kiosk("SEW-L03", "sewing-b")
    prepared = _prepare_for_sewing(cutting, central, "25")
    for node in (first, second):
        dewi = node.login("E2001")
        slip = node.services.transfers.check_slip(dewi, prepared.document.qr_payload or "")
        assert node.services.transfers.receive(dewi, slip.payload, "25").accepted
    first.sync()
    second.sync()
    assert outbox_results(second) == {"applied": 2, "conflict": 1, "rejected": 1}
    with second.database.reader() as session:
        answers = dict(session.execute(select(OutboxEvent.kind, OutboxEvent.result_reason)).all())
    assert answers["transfer.accepted"] == "received_twice: kept as a dispute"
    assert (answers["wip.moved"] or "").startswith("already_moved")
    assert central.count(WipMovement) == 1
    assert central.count(TransferDispute) == 1
    _healed(central, [cutting, first, second])


def test_a_supervisor_cannot_release_a_hold_he_counted_on_the_kiosk_or_centrally(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    prepared = _prepare_for_sewing(cutting, central, "40")
    sewing.sync()
    hadi = sewing.login("E5001")  # Sewing's supervisor counts the batch himself: 37
    slip = sewing.services.transfers.check_slip(hadi, prepared.document.qr_payload or "")
    assert sewing.services.transfers.receive(hadi, slip.payload, "37").needs_recount
    outcome = sewing.services.transfers.receive(hadi, slip.payload, "37")
    assert not outcome.accepted and not outcome.needs_recount
    with pytest.raises(RefusalError) as refused:
        sewing.services.transfers.release(hadi, outcome.transfer_id, "count was right")
    assert refused.value.code is ErrorCode.SELF_APPROVAL
    sewing.sync()
    with sewing.database.reader() as session:
        held = session.scalar(select(OutboxEvent).where(OutboxEvent.kind == "transfer.held"))
        assert held is not None
    # A kiosk that lets him anyway (an old build) is refused by the server.
    release = queue_event(
        sewing,
        "transfer.released",
        {
            **{key: value for key, value in held.payload.items() if key != "slip"},
            "status": "ACCEPTED",
            "decided_by": "E5001",
            "decided_at": now_text(),
            "decision_reason": "count was right",
            "accepted_qty": 37,
            "reason": "count was right",
            "by": "E5001",
            "actor_id": str(user_id(central, "E5001")),
        },
    )
    before = domain_snapshot(central)
    sewing.sync()
    assert outbox_answer(sewing, release) == (
        "rejected",
        f"perm.self_approval: slip_id={outcome.slip_id}",
    )
    assert domain_snapshot(central) == before
    with central.session() as session:
        transfer = session.scalar(select(Transfer).where(Transfer.slip_id == outcome.slip_id))
    assert transfer is not None and transfer.status is TransferStatus.HELD
    assert transfer.decided_by is None
    alerts = _refusal_alerts(central, sewing.store.state().device_id)
    assert list(alerts) == [("transfer.released", f"perm.self_approval: slip_id={outcome.slip_id}")]


def test_both_counts_reach_the_server_and_counts_that_contradict_the_outcome_are_refused(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    prepared = _prepare_for_sewing(cutting, central, "40")
    sewing.sync()
    dewi = sewing.login("E2001")
    slip = sewing.services.transfers.check_slip(dewi, prepared.document.qr_payload or "")
    assert sewing.services.transfers.receive(dewi, slip.payload, "39").needs_recount
    assert not sewing.services.transfers.receive(dewi, slip.payload, "37").accepted
    with sewing.database.reader() as session:
        held = session.scalar(select(OutboxEvent).where(OutboxEvent.kind == "transfer.held"))
        assert held is not None
    genuine = dict(held.payload)
    # A kiosk that reports counts its outcome cannot have come from (a forged or buggy one).
    forged = {
        "accepted on a mismatch": queue_event(
            sewing, "transfer.accepted", {**genuine, "status": "ACCEPTED", "accepted_qty": 37}
        ),
        "a first count that matched": queue_event(
            sewing, "transfer.held", {**genuine, "first_counted_qty": 40}
        ),
        "a first count by nobody": queue_event(
            sewing, "transfer.held", {k: v for k, v in genuine.items() if k != "first_counted_by"}
        ),
        "an absurd first count": queue_event(
            sewing, "transfer.held", {**genuine, "first_counted_qty": 10**8}
        ),
    }
    sewing.sync()
    assert outbox_answer(sewing, held.id) == ("applied", None)
    answers = {what: outbox_answer(sewing, event_id) for what, event_id in forged.items()}
    assert answers == {
        "accepted on a mismatch": (
            "rejected",
            "transfer.counts_inconsistent: field=counted_qty",
        ),
        "a first count that matched": (
            "rejected",
            "transfer.counts_inconsistent: field=first_count",
        ),
        "a first count by nobody": ("rejected", "transfer.counts_inconsistent: field=first_count"),
        "an absurd first count": ("rejected", "qty.absurd: limit=20000, value=100000000"),
    }
    with central.session() as session:
        transfer = session.scalar(
            select(Transfer).where(Transfer.slip_id == prepared.transfer.slip_id)
        )
    assert transfer is not None and transfer.status is TransferStatus.HELD
    assert (transfer.first_counted_qty, transfer.first_counted_by, transfer.counted_qty) == (
        39,
        "E2001",
        37,
    )
    assert transfer.counted_by == "E2001"
