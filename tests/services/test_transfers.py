"""The QT-09 handshake through the real services, on two kiosks that share nothing.

`site` is the Cutting kiosk's database (CUT-L02 sends), `other_site` the Sewing kiosk's
(SEW-L03 receives): a slip crosses from one to the other as its payload alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import fields
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.demo import DEMO_SITE_CODE, demo_user
from kiosk.domain.errors import ErrorCode, PermissionDeniedError
from kiosk.domain.roles import Action, Department, Role, is_allowed
from kiosk.domain.slip import Slip, encode_slip, read_slip
from kiosk.domain.slip_keys import SlipSigner
from kiosk.domain.transfer import ClearanceVerdict, TransferStatus
from kiosk.services.actor import Actor
from kiosk.services.container import KioskServices, build_services
from kiosk.services.slip_keys import SiteKeys
from kiosk.services.transfer_views import PreparedTransfer, ReceiveOutcome, SlipToReceive
from kiosk.store.models import (
    Alert,
    AuditEntry,
    Line,
    LineClearance,
    LineOccupancy,
    OutboxEvent,
    Transfer,
    User,
    UserLine,
    WipMovement,
)
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site, copy_site
from tests.helpers.slips import tampered

CUTTING_WO = "WO-2026-004217"  # CUT-L02, IN_PROGRESS, R2 (CUT -> SEW), DE-Hamburg, 72 good
CUTTING_DONE_WO = "WO-2026-004223"  # CUT-L02, COMPLETED, R2, JP-Osaka, 300 good
SEWING_WO = "WO-2026-004228"  # SEW-L03, IN_PROGRESS, R1 (SEW -> FIN), NL-Rotterdam
ON_FINISHING = "WO-2026-004233"  # SEW-L01's, seeded on FIN-L01, DE-Hamburg
DAMAGED = "4 pieces found damaged in the bundle, sent back to cutting"
STALE_SECONDS = 31 * 60


@pytest.fixture
def other_site(site_template: Path, tmp_path: Path) -> Iterator[Site]:
    """A second kiosk with its own copy of the site: it never sees the first one's database."""
    copied = copy_site(site_template, tmp_path / "other-kiosk")
    yield copied
    copied.database.dispose()


# ------------------------------------------------------------------ helpers
def _prepare(
    site: Site,
    quantity: str,
    *,
    to_line: str = "SEW-L03",
    number: str = CUTTING_WO,
    line: str = "CUT-L02",
    employee_no: str = "E1001",
) -> PreparedTransfer:
    services = site.services(line)
    actor = site.login(services, employee_no)
    return services.transfers.prepare(actor, site.work_order(number).id, quantity, to_line)


def _payload(prepared: PreparedTransfer) -> str:
    assert prepared.document.qr_payload is not None
    return prepared.document.qr_payload


def _transfer(site: Site, slip_id: str) -> Transfer:
    with site.database.reader() as session:
        row = session.scalar(select(Transfer).where(Transfer.slip_id == slip_id))
        assert row is not None, slip_id
        session.expunge(row)
        return row


def _occupant(site: Site, line_code: str) -> str | None:
    with site.database.reader() as session:
        return session.scalar(
            select(LineOccupancy.work_order_number)
            .join(Line, Line.id == LineOccupancy.line_id)
            .where(Line.code == line_code)
        )


def _alerts(site: Site, kind: str) -> list[Alert]:
    with site.database.reader() as session:
        rows = list(session.scalars(select(Alert).where(Alert.kind == kind)))
        session.expunge_all()
        return rows


def _movements(site: Site) -> list[tuple[str, str, str, int]]:
    with site.database.reader() as session:
        rows = session.execute(
            select(
                WipMovement.work_order_number,
                WipMovement.from_stock,
                WipMovement.to_stock,
                WipMovement.quantity,
            )
        ).all()
        return [(row[0], row[1], row[2], row[3]) for row in rows]


def _payloads(site: Site, kind: str) -> list[dict[str, Any]]:
    with site.database.reader() as session:
        return list(
            session.scalars(
                select(OutboxEvent.payload)
                .where(OutboxEvent.kind == kind)
                .order_by(OutboxEvent.seq)
            )
        )


def _last_audit(site: Site, action: str) -> AuditEntry:
    with site.database.reader() as session:
        row = session.scalar(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq.desc())
        )
        assert row is not None, action
        session.expunge(row)
        return row


def _state(site: Site) -> tuple[Any, ...]:
    """Everything a handshake step may change, except the audit log."""
    with site.database.reader() as session:
        transfers = session.execute(
            select(
                Transfer.slip_id,
                Transfer.status,
                Transfer.counted_qty,
                Transfer.accepted_qty,
                Transfer.decided_by,
                Transfer.version,
                Transfer.printed_count,
            ).order_by(Transfer.slip_id)
        ).all()
        occupancy = session.execute(
            select(
                LineOccupancy.line_id,
                LineOccupancy.work_order_number,
                LineOccupancy.transfer_id,
                LineOccupancy.since,
                LineOccupancy.observed_at,
            ).order_by(LineOccupancy.line_id)
        ).all()
        alerts = session.execute(
            select(Alert.id, Alert.acknowledged_at).order_by(Alert.raised_at, Alert.id)
        ).all()
    return (
        transfers,
        occupancy,
        alerts,
        site.count(WipMovement),
        site.count(OutboxEvent),
        site.count(LineClearance),
    )


def _held(services: KioskServices, actor: Actor, payload: str, counted: str) -> ReceiveOutcome:
    """A count that does not match, made twice: the recount holds the batch."""
    assert services.transfers.receive(actor, payload, counted).needs_recount
    outcome = services.transfers.receive(actor, payload, counted)
    assert not outcome.accepted and not outcome.needs_recount
    return outcome


def _approver(site: Site, services: KioskServices, employee_no: str, pin: str) -> Actor:
    """A supervisor's badge + PIN on someone else's session."""
    services.auth.badge_owner(demo_user(employee_no).badge)
    return services.auth.authenticate_approver(site.user_id(employee_no), pin)


def _assign(site: Site, employee_no: str, line_code: str) -> None:
    """Master data the demo does not have: put a user on one more line."""
    with site.database.writer() as session:
        user = session.scalar(select(User).where(User.employee_no == employee_no))
        line = session.scalar(select(Line).where(Line.code == line_code))
        assert user is not None and line is not None
        session.add(UserLine(user_id=user.id, line_id=line.id))
        session.commit()


# ------------------------------------------------------------------ the offline handshake
def test_offline_handshake_from_the_slip_alone(site: Site, other_site: Site) -> None:
    prepared = _prepare(site, "50")
    assert prepared.verdict is ClearanceVerdict.CLEAR
    assert prepared.transfer.status is TransferStatus.PREPARED
    payload = _payload(prepared)
    slip_id = prepared.transfer.slip_id

    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    assert other_site.count(Transfer) == 0  # B has never heard of it
    audit_before = len(other_site.audit_outcomes())
    seen = sewing.transfers.check_slip(dewi, payload)
    assert (seen.slip_id, seen.work_order_number, seen.article) == (
        slip_id,
        CUTTING_WO,
        "Teddy bear 30 cm, brown",
    )
    assert (seen.from_line, seen.to_line, seen.destination) == (
        "CUT-L02",
        "SEW-L03",
        "DE-Hamburg",
    )
    # The blind count: nothing the screen gets from the check says how many were sent.
    names = {field.name for field in fields(SlipToReceive)} - {"payload"}
    assert not any("qty" in name or "quant" in name or "sent" in name for name in names)
    assert "50" not in {str(getattr(seen, name)) for name in names}
    assert len(other_site.audit_outcomes()) == audit_before  # checking writes nothing

    outcome = sewing.transfers.receive(dewi, payload, " 50 ")
    assert outcome.accepted
    assert (outcome.slip_id, outcome.counted) == (slip_id, 50)
    received = _transfer(other_site, slip_id)
    assert received.status is TransferStatus.ACCEPTED
    assert (received.quantity, received.counted_qty, received.accepted_qty) == (50, 50, 50)
    assert (received.counted_by, received.prepared_by, received.origin) == (
        "E2001",
        "E1001",
        "slip",
    )
    assert (received.from_department, received.to_department) == (Department.CUT, Department.SEW)
    assert _movements(other_site) == [(CUTTING_WO, "WIP_CUT", "WIP_SEW", 50)]
    line = sewing.lines.this_line()
    assert (line.work_order_number, line.destination) == (CUTTING_WO, "DE-Hamburg")
    assert not line.is_free
    kinds = other_site.outbox_kinds()
    assert kinds.count("transfer.accepted") == 1
    assert {"wip.moved", "line.occupancy"} <= set(kinds)
    assert other_site.audit_outcomes()[-1] == ("transfer.receive", "accepted")
    # The sender's kiosk knows nothing of this until sync.
    assert _transfer(site, slip_id).status is TransferStatus.PREPARED

    before = _state(other_site)
    audit_count = len(other_site.audit_outcomes())
    again = refusal_of(lambda: sewing.transfers.check_slip(dewi, payload))
    assert again.code is ErrorCode.SLIP_ALREADY_RECEIVED
    assert (again.fields["status"], again.fields["by"]) == ("ACCEPTED", "E2001")
    by_id = refusal_of(lambda: sewing.transfers.check_slip_id(dewi, slip_id))
    assert by_id.code is ErrorCode.SLIP_ALREADY_RECEIVED
    twice = refusal_of(lambda: sewing.transfers.receive(dewi, payload, "50"))
    assert twice.code is ErrorCode.SLIP_ALREADY_RECEIVED
    assert _state(other_site) == before
    assert other_site.audit_outcomes()[audit_count:] == [
        ("transfer.scan_slip", "refused:slip.already_received"),
        ("transfer.scan_slip", "refused:slip.already_received"),
        ("transfer.receive", "refused:slip.already_received"),
    ]


def test_a_slip_id_alone_is_not_enough_on_a_kiosk_that_never_saw_the_slip(
    site: Site, other_site: Site
) -> None:
    prepared = _prepare(site, "10")
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    refusal = refusal_of(lambda: sewing.transfers.check_slip_id(dewi, prepared.transfer.slip_id))
    assert refusal.code is ErrorCode.SLIP_ID_ONLY
    assert refusal_of(lambda: sewing.transfers.check_slip_id(dewi, "TS-nonsense")).code is (
        ErrorCode.SLIP_MALFORMED
    )
    assert other_site.count(Transfer) == 0


def test_the_sent_quantity_is_locked(site: Site) -> None:
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    work_order = site.work_order(CUTTING_WO)
    options = services.transfers.handoff_options(rina, work_order.id)
    assert (options.sendable, options.next_department) == (72, Department.SEW)
    assert [option.occupancy.line_code for option in options.lines] == ["SEW-L01", "SEW-L03"]
    assert all(option.verdict is ClearanceVerdict.CLEAR for option in options.lines)

    first = services.transfers.prepare(rina, work_order.id, "50", "sew-l03 ")
    assert first.transfer.to_line == "SEW-L03"
    assert services.transfers.handoff_options(rina, work_order.id).sendable == 22
    before = _state(site)
    refusal = refusal_of(lambda: services.transfers.prepare(rina, work_order.id, "23", "SEW-L03"))
    assert refusal.code is ErrorCode.TRANSFER_ABOVE_SENDABLE
    assert (refusal.fields["value"], refusal.fields["sendable"]) == (23, 22)
    assert _state(site) == before
    assert site.audit_outcomes()[-1] == ("transfer.prepare", "refused:transfer.above_sendable")

    services.transfers.prepare(rina, work_order.id, "22", "SEW-L03")
    after = services.transfers.handoff_options(rina, work_order.id)
    assert after.sendable == 0
    assert sorted(view.quantity for view in after.transfers) == [22, 50]
    assert site.outbox_kinds().count("transfer.prepared") == 2


@pytest.mark.parametrize(
    ("quantity", "code"),
    [
        ("0", ErrorCode.QUANTITY_ZERO),
        ("", ErrorCode.QUANTITY_ZERO),
        ("-3", ErrorCode.QUANTITY_NEGATIVE),
        ("abc", ErrorCode.QUANTITY_NOT_A_NUMBER),
        ("1000000000", ErrorCode.QUANTITY_ABSURD),
    ],
)
def test_impossible_send_quantities_are_refused(site: Site, quantity: str, code: ErrorCode) -> None:
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    work_order = site.work_order(CUTTING_WO)
    before = _state(site)
    refusal = refusal_of(
        lambda: services.transfers.prepare(rina, work_order.id, quantity, "SEW-L03")
    )
    assert refusal.code is code
    assert _state(site) == before
    assert site.audit_outcomes()[-1] == ("transfer.prepare", f"refused:{code.value}")


def test_a_work_order_with_nothing_made_or_at_the_end_of_its_route_cannot_be_sent(
    site: Site,
) -> None:
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    ready = site.work_order("WO-2026-004219")
    refusal = refusal_of(lambda: services.transfers.prepare(rina, ready.id, "1", "SEW-L03"))
    assert refusal.code is ErrorCode.TRANSFER_WORK_ORDER_NOT_STARTED
    running = site.work_order(CUTTING_WO)
    for wrong_line in ("FIN-L01", "CUT-L01", "NOPE-L9"):
        wrong = refusal_of(
            lambda wrong_line=wrong_line: services.transfers.prepare(
                rina, running.id, "1", wrong_line
            )
        )
        assert wrong.code is ErrorCode.TRANSFER_WRONG_RECEIVING_LINE
    assert site.count(Transfer) == 0


# ------------------------------------------------------------------ mismatch, hold, release
def test_mismatch_is_held_and_released_by_the_sewing_supervisor(
    site: Site, other_site: Site
) -> None:
    # FLOOR-DAY 10:40: Rina has made 300 pieces and sends them all.
    cutting = site.services("CUT-L02")
    rina = site.login(cutting, "E1001")
    work_order = site.work_order(CUTTING_WO)
    cutting.work_orders.record(rina, work_order.id, good="228", reject="", reason=None)
    prepared = cutting.transfers.prepare(rina, work_order.id, "300", "SEW-L03")
    payload = _payload(prepared)

    # 10:55: Dewi counts 296 and is asked to count again; the recount says 297.
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    before = _state(other_site)
    first = sewing.transfers.receive(dewi, payload, "296")
    assert (first.needs_recount, first.accepted, first.counted) == (True, False, 296)
    assert _state(other_site)[1:] == before[1:]  # no hold, alert, event or occupancy yet
    waiting = _transfer(other_site, prepared.transfer.slip_id)
    assert (waiting.status, waiting.first_counted_qty, waiting.counted_qty) == (
        TransferStatus.PREPARED,
        296,
        None,
    )
    assert other_site.audit_outcomes()[-1] == ("transfer.receive", "recount")
    assert sewing.transfers.check_slip(dewi, payload).is_recount  # a rescan goes on recounting
    outcome = sewing.transfers.receive(dewi, payload, "297")
    assert not outcome.accepted and not outcome.needs_recount
    assert (outcome.counted, outcome.first_counted) == (297, 296)
    held = _transfer(other_site, prepared.transfer.slip_id)
    assert (held.status, held.first_counted_qty, held.counted_qty, held.accepted_qty) == (
        TransferStatus.HELD,
        296,
        297,
        None,
    )
    assert (held.first_counted_by, held.counted_by) == ("E2001", "E2001")
    audit = _last_audit(other_site, "transfer.receive")
    assert (audit.outcome, audit.details["first_counted"], audit.details["counted"]) == (
        "held",
        296,
        297,
    )
    [event] = _payloads(other_site, "transfer.held")
    assert (event["first_counted_qty"], event["counted_qty"]) == (296, 297)
    assert _movements(other_site) == []
    assert _occupant(other_site, "SEW-L03") == CUTTING_WO
    [alert] = _alerts(other_site, "quantity_mismatch")
    assert (alert.priority, alert.department, alert.acknowledged_at) == (2, Department.SEW, None)
    assert (alert.fields["sent"], alert.fields["first_counted"], alert.fields["counted"]) == (
        300,
        296,
        297,
    )
    assert alert.fields["transfer_id"] == str(held.id)
    assert "transfer.held" in other_site.outbox_kinds()
    [at_the_line] = sewing.transfers.line_holds()
    assert (at_the_line.slip_id, at_the_line.work_order_number) == (
        held.slip_id,
        CUTTING_WO,
    )

    # 11:10: Pak Hadi, on Dewi's session. A wrong PIN first.
    wrong = refusal_of(lambda: _approver(other_site, sewing, "E5001", "0000"))
    assert wrong.code is ErrorCode.WRONG_PIN
    hadi = _approver(other_site, sewing, "E5001", "505050")
    [hold] = sewing.transfers.holds(hadi)
    assert (hold.sent, hold.first_counted, hold.counted, hold.variance) == (300, 296, 297, -3)
    assert hold.first_counted_by == "Dewi Lestari (E2001)"
    assert hold.prepared_by == "Rina Wulandari (E1001)"
    assert hold.counted_by == "Dewi Lestari (E2001)"

    joko = _approver(other_site, sewing, "E5003", "707070")
    before = _state(other_site)
    for approver, reason, code in (
        (hadi, "", ErrorCode.REASON_REQUIRED),
        (hadi, "   \n ", ErrorCode.REASON_REQUIRED),
        (dewi, DAMAGED, ErrorCode.PERMISSION_DENIED),
        (joko, DAMAGED, ErrorCode.OUT_OF_SCOPE),
    ):
        for decide in (sewing.transfers.release, sewing.transfers.reject):
            refusal = refusal_of(
                lambda decide=decide, approver=approver, reason=reason: decide(
                    approver, held.id, reason
                )
            )
            assert refusal.code is code, (approver.name, reason)
    assert _state(other_site) == before

    released = sewing.transfers.release(hadi, held.id, DAMAGED)
    assert released.status is TransferStatus.ACCEPTED
    assert (released.quantity, released.counted_qty, released.accepted_qty) == (300, 297, 297)
    assert (released.decided_by, released.decision_reason) == ("E5001", DAMAGED)
    assert _movements(other_site) == [(CUTTING_WO, "WIP_CUT", "WIP_SEW", 297)]
    audit = _last_audit(other_site, "transfer.release")
    assert audit.outcome == "ok"
    assert audit.actor_label == "E5001 Hadi Gunawan"
    assert (
        audit.details["sent"],
        audit.details["first_counted"],
        audit.details["counted"],
        audit.details["variance"],
    ) == (300, 296, 297, -3)
    [alert] = _alerts(other_site, "quantity_mismatch")
    assert alert.acknowledged_by == other_site.user_id("E5001")
    assert alert.acknowledged_at == other_site.clock.now()
    assert all(view.kind != "quantity_mismatch" for view in sewing.alerts.open_alerts(hadi))
    assert other_site.outbox_kinds().count("transfer.released") == 1
    assert sewing.transfers.holds(hadi) == []
    assert sewing.transfers.line_holds() == []

    for decide in (sewing.transfers.release, sewing.transfers.reject):
        late = refusal_of(lambda decide=decide: decide(hadi, held.id, "again"))
        assert (late.code, late.fields["status"]) == (ErrorCode.TRANSFER_TRANSITION, "ACCEPTED")
    assert _movements(other_site) == [(CUTTING_WO, "WIP_CUT", "WIP_SEW", 297)]


def test_a_supervisor_who_counted_cannot_release_it(site: Site, other_site: Site) -> None:
    payload = _payload(_prepare(site, "60"))
    sewing = other_site.services("SEW-L03")
    hadi = other_site.login(sewing, "E5001")  # supervisors may receive
    assert sewing.transfers.receive(hadi, payload, "58").needs_recount
    # Dewi makes the recount: Hadi's first count still makes it his own work.
    dewi = other_site.login(sewing, "E2001")
    outcome = sewing.transfers.receive(dewi, payload, "57")
    assert not outcome.accepted and not outcome.needs_recount
    before = _state(other_site)
    for decide in (sewing.transfers.release, sewing.transfers.reject):
        refusal = refusal_of(lambda decide=decide: decide(hadi, outcome.transfer_id, DAMAGED))
        assert refusal.code is ErrorCode.SELF_APPROVAL
    assert _state(other_site) == before
    assert _transfer(other_site, outcome.slip_id).status is TransferStatus.HELD


def test_reject_sends_the_batch_back_and_frees_the_line(site: Site, other_site: Site) -> None:
    payload = _payload(_prepare(site, "60"))
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    outcome = _held(sewing, dewi, payload, "40")
    assert _occupant(other_site, "SEW-L03") == CUTTING_WO
    hadi = _approver(other_site, sewing, "E5001", "505050")
    rejected = sewing.transfers.reject(hadi, outcome.transfer_id, "wrong bundle, 20 missing")
    assert rejected.status is TransferStatus.REJECTED
    assert rejected.accepted_qty is None
    assert rejected.decision_reason == "wrong bundle, 20 missing"
    assert sewing.lines.this_line().is_free
    assert _movements(other_site) == []
    [alert] = _alerts(other_site, "quantity_mismatch")
    assert alert.acknowledged_by == other_site.user_id("E5001")
    assert "transfer.rejected" in other_site.outbox_kinds()

    late = refusal_of(lambda: sewing.transfers.release(hadi, outcome.transfer_id, DAMAGED))
    assert (late.code, late.fields["status"]) == (ErrorCode.TRANSFER_TRANSITION, "REJECTED")
    again = refusal_of(lambda: sewing.transfers.check_slip(dewi, payload))
    assert (again.code, again.fields["status"]) == (ErrorCode.SLIP_ALREADY_RECEIVED, "REJECTED")
    assert _movements(other_site) == []


def test_rejecting_a_second_bundle_keeps_the_first_one_on_the_line(
    site: Site, other_site: Site
) -> None:
    first = _payload(_prepare(site, "40"))
    second = _payload(_prepare(site, "30"))  # the same work order may follow itself
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    assert sewing.transfers.receive(dewi, first, "40").accepted
    held = _held(sewing, dewi, second, "29")
    hadi = _approver(other_site, sewing, "E5001", "505050")
    sewing.transfers.reject(hadi, held.transfer_id, "bundle mixed up, sent back")
    # The 40 accepted pieces of the first bundle are still on SEW-L03.
    line = sewing.lines.this_line()
    assert line.work_order_number == CUTTING_WO
    assert _movements(other_site) == [(CUTTING_WO, "WIP_CUT", "WIP_SEW", 40)]


def test_rejecting_the_only_bundle_since_a_clearance_frees_the_line(
    site: Site, other_site: Site
) -> None:
    first = _payload(_prepare(site, "40"))
    second = _payload(_prepare(site, "30"))
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    assert sewing.transfers.receive(dewi, first, "40").accepted
    hadi = _approver(other_site, sewing, "E5001", "505050")
    sewing.lines.clear(hadi, "SEW-L03", "first bundle sewn and moved on")
    other_site.clock.advance(60)
    held = _held(sewing, dewi, second, "29")
    sewing.transfers.reject(hadi, held.transfer_id, "bundle mixed up, sent back")
    assert sewing.lines.this_line().is_free


# ------------------------------------------------------------------ line clearance at prepare
def test_another_work_order_onto_a_line_known_occupied_is_blocked(site: Site) -> None:
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    services.transfers.prepare(rina, site.work_order(CUTTING_WO).id, "30", "SEW-L03")
    other = site.work_order(CUTTING_DONE_WO)
    options = services.transfers.handoff_options(rina, other.id)
    verdicts = {option.occupancy.line_code: option.verdict for option in options.lines}
    assert verdicts == {"SEW-L01": ClearanceVerdict.CLEAR, "SEW-L03": ClearanceVerdict.CONFLICT}

    before_transfers = site.count(Transfer)
    refusal = refusal_of(lambda: services.transfers.prepare(rina, other.id, "100", "SEW-L03"))
    assert refusal.code is ErrorCode.LINE_OCCUPIED
    assert (refusal.fields["line"], refusal.fields["work_order"]) == ("SEW-L03", CUTTING_WO)
    assert site.count(Transfer) == before_transfers
    [alert] = _alerts(site, "line_blocked")
    assert (alert.priority, alert.department) == (2, Department.SEW)
    assert (alert.fields["line"], alert.fields["work_order"]) == ("SEW-L03", CUTTING_WO)
    assert alert.fields["segregation"] is False
    assert site.audit_outcomes()[-2:] == [
        ("transfer.prepare", "refused:line.occupied"),
        ("line.blocked", "alerted"),
    ]
    assert _occupant(site, "SEW-L03") == CUTTING_WO

    # The same work order may keep arriving; another free line takes the other one.
    again = services.transfers.prepare(rina, site.work_order(CUTTING_WO).id, "10", "SEW-L03")
    assert again.verdict is ClearanceVerdict.CLEAR
    elsewhere = services.transfers.prepare(rina, other.id, "100", "SEW-L01")
    assert elsewhere.verdict is ClearanceVerdict.CLEAR
    assert site.count(Transfer) == before_transfers + 2


def test_finishing_line_with_another_destination_is_segregated(other_site: Site) -> None:
    # FLOOR-DAY 14:45, from the Sewing kiosk: FIN-L01 holds WO-2026-004233 for DE-Hamburg.
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    work_order = other_site.work_order(SEWING_WO)
    assert work_order.destination != "DE-Hamburg" and work_order.good_qty >= 10
    [option] = sewing.transfers.handoff_options(dewi, work_order.id).lines
    assert (option.verdict, option.segregation) == (ClearanceVerdict.CONFLICT, True)
    assert option.occupancy.work_order_number == ON_FINISHING

    refusal = refusal_of(lambda: sewing.transfers.prepare(dewi, work_order.id, "10", "FIN-L01"))
    assert refusal.code is ErrorCode.LINE_SEGREGATION
    assert (refusal.fields["work_order"], refusal.fields["destination"]) == (
        ON_FINISHING,
        "DE-Hamburg",
    )
    assert other_site.count(Transfer) == 0
    [alert] = _alerts(other_site, "line_blocked")
    assert (alert.priority, alert.department, alert.fields["segregation"]) == (
        2,
        Department.FIN,
        True,
    )


def test_stale_occupancy_only_warns_and_the_finishing_kiosk_decides(
    site: Site, other_site: Site
) -> None:
    other_site.clock.advance(STALE_SECONDS)
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    work_order = other_site.work_order(SEWING_WO)
    [option] = sewing.transfers.handoff_options(dewi, work_order.id).lines
    assert option.verdict is ClearanceVerdict.UNKNOWN
    assert option.occupancy.is_stale
    prepared = sewing.transfers.prepare(dewi, work_order.id, "10", "FIN-L01")
    assert prepared.verdict is ClearanceVerdict.UNKNOWN
    assert _last_audit(other_site, "transfer.prepare").details["clearance"] == "unknown"
    assert _alerts(other_site, "line_blocked") == []

    # FIN-L01's own kiosk (another copy) knows the line holds another destination.
    finishing = site.services("FIN-L01")
    eko = site.login(finishing, "E3001")
    refusal = refusal_of(lambda: finishing.transfers.check_slip(eko, _payload(prepared)))
    assert refusal.code is ErrorCode.LINE_SEGREGATION
    assert refusal.fields["work_order"] == ON_FINISHING
    assert site.count(Transfer) == 0


# ------------------------------------------------------------------ the receiver decides
def test_the_receiving_kiosk_refuses_when_its_own_line_holds_another_work_order(
    site: Site, other_site: Site
) -> None:
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    first = _prepare(site, "100", number=CUTTING_DONE_WO)
    assert sewing.transfers.receive(dewi, _payload(first), "100").accepted
    # The Cutting kiosk's knowledge of SEW-L03 gets old; it lets the next slip through.
    site.clock.advance(STALE_SECONDS)
    second = _prepare(site, "20")
    assert second.verdict is ClearanceVerdict.UNKNOWN

    before = _state(other_site)
    refusal = refusal_of(lambda: sewing.transfers.check_slip(dewi, _payload(second)))
    assert refusal.code is ErrorCode.LINE_OCCUPIED
    assert refusal.fields["work_order"] == CUTTING_DONE_WO
    [alert] = _alerts(other_site, "line_blocked")
    assert (alert.department, alert.fields["work_order"]) == (Department.SEW, CUTTING_DONE_WO)
    assert alert.fields["from_line"] == "CUT-L02"  # the alert names the sender of the slip
    # Dewi scans it again and again: still one alert for the supervisor.
    refusal_of(lambda: sewing.transfers.check_slip(dewi, _payload(second)))
    assert len(_alerts(other_site, "line_blocked")) == 1
    refused = refusal_of(lambda: sewing.transfers.receive(dewi, _payload(second), "20"))
    assert refused.code is ErrorCode.LINE_OCCUPIED
    transfers, occupancy, *_ = _state(other_site)
    assert (transfers, occupancy) == before[:2]  # no transfer recorded, the line unchanged
    assert _occupant(other_site, "SEW-L03") == CUTTING_DONE_WO
    assert _movements(other_site) == [(CUTTING_DONE_WO, "WIP_CUT", "WIP_SEW", 100)]


# ------------------------------------------------------------------ slips that are refused
def test_a_tampered_slip_is_refused_with_a_p1_alert(site: Site, other_site: Site) -> None:
    payload = _payload(_prepare(site, "50"))
    changed = tampered(payload, quantity=58)
    assert read_slip(changed)[0].slip.quantity == 58
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    refusal = refusal_of(lambda: sewing.transfers.check_slip(dewi, changed))
    assert refusal.code is ErrorCode.SLIP_SIGNATURE_INVALID
    [alert] = _alerts(other_site, "slip_refused")
    assert (alert.priority, alert.department) == (1, Department.SEW)
    assert alert.subject_user_id == other_site.user_id("E2001")
    assert alert.fields["why"] == "slip.signature_invalid"
    assert other_site.audit_outcomes()[-1] == (
        "transfer.scan_slip",
        "refused:slip.signature_invalid",
    )
    before = _state(other_site)
    assert refusal_of(lambda: sewing.transfers.receive(dewi, changed, "58")).code is (
        ErrorCode.SLIP_SIGNATURE_INVALID
    )
    assert _state(other_site)[:2] == before[:2]
    assert other_site.count(Transfer) == 0 and _movements(other_site) == []


def test_a_slip_of_another_site_is_refused_with_a_p1_alert(other_site: Site) -> None:
    foreign = Slip(
        site_code="ACME",
        transfer_id=uuid.uuid4(),
        work_order_number=CUTTING_WO,
        mo_number="MO-2026-01100",
        article="Teddy bear 30 cm, brown",
        quantity=50,
        from_line="CUT-L02",
        to_line="SEW-L03",
        destination="DE-Hamburg",
        prepared_by="E1001",
        prepared_at=other_site.clock.now().replace(microsecond=0),
    )
    payload = encode_slip(foreign, SlipSigner(bytes(32)), other_site.clock.now())
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    refusal = refusal_of(lambda: sewing.transfers.check_slip(dewi, payload))
    assert (refusal.code, refusal.fields["site"]) == (ErrorCode.SLIP_OTHER_SITE, "ACME")
    [alert] = _alerts(other_site, "slip_refused")
    assert (alert.priority, alert.fields["why"]) == (1, "slip.other_site")
    assert other_site.count(Transfer) == 0


def test_a_slip_for_another_line_or_department(site: Site, other_site: Site) -> None:
    to_sew_l01 = _payload(_prepare(site, "20", to_line="SEW-L01"))
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    other_line = refusal_of(lambda: sewing.transfers.check_slip(dewi, to_sew_l01))
    assert other_line.code is ErrorCode.SLIP_OTHER_LINE
    assert (other_line.fields["line"], other_line.fields["this_line"]) == ("SEW-L01", "SEW-L03")

    # A Finishing slip, made on this very kiosk, scanned back at SEW-L03 by the supervisor.
    other_site.clock.advance(STALE_SECONDS)
    to_finishing = sewing.transfers.prepare(
        dewi, other_site.work_order(SEWING_WO).id, "10", "FIN-L01"
    )
    hadi = other_site.login(sewing, "E5001")
    before = _state(other_site)
    other_department = refusal_of(lambda: sewing.transfers.check_slip(hadi, _payload(to_finishing)))
    assert other_department.code is ErrorCode.SLIP_OTHER_DEPARTMENT
    assert other_department.fields["line"] == "FIN-L01"
    refused = refusal_of(lambda: sewing.transfers.receive(hadi, _payload(to_finishing), "10"))
    assert refused.code is ErrorCode.SLIP_OTHER_DEPARTMENT
    assert _state(other_site) == before
    assert _alerts(other_site, "slip_refused") == []  # genuine slips, just the wrong place


@pytest.mark.parametrize(
    ("counted", "code"),
    [
        ("0", ErrorCode.QUANTITY_ZERO),
        ("-3", ErrorCode.QUANTITY_NEGATIVE),
        ("abc", ErrorCode.QUANTITY_NOT_A_NUMBER),
        ("1000000000", ErrorCode.QUANTITY_ABSURD),
    ],
)
def test_impossible_counts_change_nothing_but_the_audit_log(
    site: Site, other_site: Site, counted: str, code: ErrorCode
) -> None:
    payload = _payload(_prepare(site, "50"))
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    before = _state(other_site)
    audit_count = len(other_site.audit_outcomes())
    assert refusal_of(lambda: sewing.transfers.receive(dewi, payload, counted)).code is code
    assert _state(other_site) == before
    assert other_site.audit_outcomes()[audit_count:] == [
        ("transfer.receive", f"refused:{code.value}")
    ]
    assert sewing.transfers.receive(dewi, payload, "50").accepted  # the slip is still good


def test_the_preparer_cannot_receive_their_own_slip(site: Site, other_site: Site) -> None:
    # Not reachable with the demo's roles: operators are bound to their lines (Cutting's
    # to Cutting, Sewing's to Sewing) and a supervisor receives only in their department,
    # which never sends to itself. An operator put on both lines can.
    for copy in (site, other_site):
        _assign(copy, "E2001", "CUT-L02")
    prepared = _prepare(site, "30", employee_no="E2001")
    assert prepared.transfer.prepared_by == "E2001"
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    before = _state(other_site)
    for call in (
        lambda: sewing.transfers.check_slip(dewi, _payload(prepared)),
        lambda: sewing.transfers.receive(dewi, _payload(prepared), "30"),
    ):
        assert refusal_of(call).code is ErrorCode.SELF_APPROVAL
    assert _state(other_site) == before
    hadi = other_site.login(sewing, "E5001")
    assert sewing.transfers.receive(hadi, _payload(prepared), "30").accepted


# ------------------------------------------------------------------ site key and printing
def test_without_its_own_key_a_kiosk_prints_no_slip_but_still_receives(
    site: Site, other_site: Site
) -> None:
    keyless = SiteKeys(DEMO_SITE_CODE)
    cutting = build_services(
        site.database, site.clock, "CUT-L02", badge_key=site.badge_key, site_keys=keyless
    )
    rina = site.login(cutting, "E1001")
    before = _state(site)
    refusal = refusal_of(
        lambda: cutting.transfers.prepare(rina, site.work_order(CUTTING_WO).id, "10", "SEW-L03")
    )
    assert (refusal.code, refusal.fields["site"]) == (ErrorCode.SITE_KEY_MISSING, "DEMO")
    assert _state(site) == before
    assert site.audit_outcomes()[-1] == ("transfer.prepare", "refused:site.key_missing")

    payload = _payload(_prepare(site, "10"))
    sewing = build_services(
        other_site.database,
        other_site.clock,
        "SEW-L03",
        badge_key=other_site.badge_key,
        site_keys=keyless,
    )
    dewi = other_site.login(sewing, "E2001")
    # Checking a slip needs the sender's public key only, not a key of this kiosk's own.
    assert sewing.transfers.check_slip(dewi, payload).work_order_number == CUTTING_WO
    assert sewing.transfers.receive(dewi, payload, "10").accepted
    assert _alerts(other_site, "slip_refused") == []


def test_a_reprint_is_counted_and_audited(site: Site) -> None:
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    prepared = services.transfers.prepare(rina, site.work_order(CUTTING_WO).id, "50", "SEW-L03")
    assert prepared.transfer.printed_count == 1  # the slip printed at prepare is copy 1
    reprint = services.transfers.slip_document(rina, prepared.transfer.id, reprint=True)
    assert reprint.qr_payload == _payload(prepared)
    assert _transfer(site, prepared.transfer.slip_id).printed_count == 2
    audit = _last_audit(site, "transfer.print.reprint")
    assert (audit.outcome, audit.details["copy"], audit.actor_label) == (
        "ok",
        2,
        "E1001 Rina Wulandari",
    )
    services.transfers.slip_document(rina, prepared.transfer.id, reprint=True)
    assert _transfer(site, prepared.transfer.slip_id).printed_count == 3
    missing = refusal_of(lambda: services.transfers.slip_document(rina, uuid.uuid4(), reprint=True))
    assert missing.code is ErrorCode.TRANSFER_NOT_FOUND
    decoded = read_slip(_payload(prepared))[0]
    assert (decoded.slip.quantity, decoded.slip.prepared_at) == (50, prepared.transfer.prepared_at)
    assert decoded.issued_at == site.clock.now().replace(microsecond=0)
    # A reprint a day later carries the day it was printed: the receiver judges its age by it.
    site.clock.advance(86_400)
    later = services.transfers.slip_document(rina, prepared.transfer.id, reprint=True)
    assert later.qr_payload is not None
    reprinted = read_slip(later.qr_payload)[0]
    assert reprinted.issued_at - decoded.issued_at == timedelta(days=1)
    assert reprinted.slip == decoded.slip


# ------------------------------------------------------------------ line clearance by a supervisor
def test_the_sewing_supervisor_clears_sewing_line(site: Site, other_site: Site) -> None:
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    assert sewing.transfers.receive(dewi, _payload(_prepare(site, "50")), "50").accepted
    hadi = _approver(other_site, sewing, "E5001", "505050")
    joko = _approver(other_site, sewing, "E5003", "707070")

    before = _state(other_site)
    for actor, line, reason, code in (
        (dewi, "SEW-L03", "done", ErrorCode.PERMISSION_DENIED),
        (joko, "SEW-L03", "done", ErrorCode.OUT_OF_SCOPE),
        (hadi, "SEW-L03", "  ", ErrorCode.REASON_REQUIRED),
        (hadi, "SEW-L03", "x" * 201, ErrorCode.REASON_TOO_LONG),
        (hadi, "SEW-L99", "done", ErrorCode.LINE_NOT_FOUND),
    ):
        refusal = refusal_of(
            lambda actor=actor, line=line, reason=reason: sewing.lines.clear(actor, line, reason)
        )
        assert refusal.code is code, (actor.name, reason)
    assert _state(other_site) == before

    other_site.clock.advance(3600)
    view = sewing.lines.clear(hadi, "SEW-L03", "bundle sewn,  moved to\nfinishing")
    assert view.is_free
    assert sewing.lines.this_line().is_free
    with other_site.database.reader() as session:
        [row] = session.scalars(select(LineClearance)).all()
        assert (row.cleared_by, row.cleared_at) == (
            other_site.user_id("E5001"),
            other_site.clock.now(),
        )
        assert row.reason == "bundle sewn, moved to finishing"
        assert (row.previous_work_order_number, row.previous_destination) == (
            CUTTING_WO,
            "DE-Hamburg",
        )
    [listed] = sewing.lines.clearances(hadi, "SEW-L03")
    assert (listed.cleared_by, listed.previous_work_order_number) == ("Hadi Gunawan", CUTTING_WO)
    assert "line.cleared" in other_site.outbox_kinds()
    assert other_site.audit_outcomes()[-1] == ("line.clear", "ok")

    already = refusal_of(lambda: sewing.lines.clear(hadi, "SEW-L03", "again"))
    assert already.code is ErrorCode.LINE_ALREADY_CLEAR
    assert other_site.count(LineClearance) == 1


def test_the_finishing_supervisor_clears_finishing_for_the_blocked_handoff(
    other_site: Site,
) -> None:
    sewing = other_site.services("SEW-L03")
    joko = _approver(other_site, sewing, "E5003", "707070")
    hadi = _approver(other_site, sewing, "E5001", "505050")
    assert refusal_of(lambda: sewing.lines.clear(hadi, "FIN-L01", "done")).code is (
        ErrorCode.OUT_OF_SCOPE
    )
    lines = {view.line_code: view for view in sewing.lines.department_lines(joko)}
    assert lines["FIN-L01"].work_order_number == ON_FINISHING
    sewing.lines.clear(joko, "FIN-L01", "Hamburg batch packed")
    dewi = other_site.login(sewing, "E2001")
    prepared = sewing.transfers.prepare(dewi, other_site.work_order(SEWING_WO).id, "10", "FIN-L01")
    assert prepared.verdict is ClearanceVerdict.CLEAR


# ------------------------------------------------------------------ permission walk
SEWING_KIOSK_USERS = {
    Role.OPERATOR: "E2001",
    Role.QC_INSPECTOR: "E4001",
    Role.SUPERVISOR: "E5001",
    Role.WAREHOUSE_STAFF: "E6001",
    Role.WAREHOUSE_ADMIN: "E6002",
    Role.ADMIN: "E9001",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_handshake_call_follows_the_permission_table(
    site: Site, other_site: Site, role: Role
) -> None:
    payload = _payload(_prepare(site, "10"))
    sewing = other_site.services("SEW-L03")
    actor = other_site.login(sewing, SEWING_KIOSK_USERS[role])
    assert actor.role is role
    sewing_wo = other_site.work_order(SEWING_WO).id
    calls: dict[Action, Any] = {
        Action.TRANSFER_PREPARE: lambda: sewing.transfers.handoff_options(actor, sewing_wo),
        Action.TRANSFER_RECEIVE: lambda: sewing.transfers.check_slip(actor, payload),
        Action.HOLD_RELEASE: lambda: sewing.transfers.holds(actor),
        Action.LINE_CLEAR: lambda: sewing.lines.department_lines(actor),
    }
    before = _state(other_site)
    for action, call in calls.items():
        if is_allowed(role, action):
            call()
        else:
            with pytest.raises(PermissionDeniedError) as denied:
                call()
            assert denied.value.code is ErrorCode.PERMISSION_DENIED, action
    assert _state(other_site) == before
