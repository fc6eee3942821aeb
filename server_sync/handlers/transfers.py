"""QT-09 handshakes on the server.

A blind count happened on the floor, so it is always kept: counted twice (a copied
slip) or onto a line central state says holds another batch, it becomes a dispute for
the receiving department's supervisor rather than a silent overwrite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kiosk.domain.approval import refuse_own_work
from kiosk.domain.errors import RefusalError
from kiosk.domain.events import (
    EventKind,
    TransferCounted,
    TransferDecided,
    TransferPrepared,
    WipMoved,
)
from kiosk.domain.ids import new_id
from kiosk.domain.reasons import clean_reason
from kiosk.domain.roles import Action
from kiosk.domain.sync_events import SyncResult
from kiosk.domain.transfer import (
    ORIGIN_PREPARED,
    ORIGIN_SLIP,
    Batch,
    ClearanceVerdict,
    TransferCommand,
    TransferStatus,
    check_clearance,
    check_counts,
    validate_count,
)
from kiosk.services.alerts import P1, P2
from kiosk.services.effects.lines import hold
from kiosk.services.effects.transfers import (
    count_transfer,
    decide_transfer,
    transfer_row,
    wip_movement,
)
from kiosk.services.lines import occupancy_of
from kiosk.store.models import Alert, Line, LineOccupancy, Transfer, WipMovement
from server_sync.handlers.context import (
    EventContext,
    conflict,
    domain_rules,
    handles,
    plain,
    rejected,
)
from server_sync.models import TransferDispute
from server_sync.slips import SlipRefusedError, verify_pushed_slip

ALERT_HANDSHAKE_DISPUTED = "handshake_disputed"


def _transfer(ctx: EventContext, slip_id: str) -> Transfer | None:
    return ctx.session.scalar(select(Transfer).where(Transfer.slip_id == slip_id))


@handles(EventKind.TRANSFER_PREPARED)
def transfer_prepared(ctx: EventContext, event: TransferPrepared) -> None:
    line = ctx.line(event.from_line)
    ctx.check_device_serves(line)
    actor = ctx.actor()
    ctx.authorize(actor, Action.TRANSFER_PREPARE, line)
    with domain_rules():
        validate_count(event.quantity, ctx.rules.counts)
    existing = _transfer(ctx, event.slip_id)
    if existing is None:
        ctx.session.add(transfer_row(event, origin=ORIGIN_PREPARED))
        return
    if existing.from_line != line.code:
        raise rejected("transfer_line_mismatch", slip_id=existing.slip_id)
    if existing.origin == ORIGIN_PREPARED:
        raise conflict("slip_already_prepared", slip_id=existing.slip_id)
    # The receiver's kiosk synced first: its record came from this very slip.
    existing.origin = ORIGIN_PREPARED


@handles(*TransferCounted.kinds)
def transfer_counted(ctx: EventContext, event: TransferCounted) -> None:
    """A blind count: the handshake happened on the floor, so it is always kept.

    The counts must agree with the outcome claimed: accepted on a match only, held on a
    mismatch only, and a first count (before a recount) a mismatch made by someone.
    """
    line = ctx.line(event.to_line)
    ctx.check_device_serves(line)
    actor = ctx.actor()
    ctx.authorize(actor, Action.TRANSFER_RECEIVE, line)
    command = event.command
    assert command is not None
    with domain_rules():
        validate_count(event.counted_qty, ctx.rules.counts)
        if event.first_counted_qty is not None:
            validate_count(event.first_counted_qty, ctx.rules.counts)
    try:
        verify_pushed_slip(ctx.session, event, now=ctx.now)
    except SlipRefusedError as refused:
        raise rejected(refused.reason, why=refused.why, **refused.detail) from None
    transfer = _transfer(ctx, event.slip_id)
    # A transfer the server has not heard of yet (its prepare still on the sender's
    # kiosk) is taken on the verified slip's word: it carries the sender's signature.
    if transfer is not None and transfer.to_line != line.code:
        raise rejected("transfer_line_mismatch", slip_id=event.slip_id)  # not this line's batch
    with domain_rules():
        check_counts(
            event.quantity if transfer is None else transfer.quantity,
            event.counted_qty,
            command,
            event.first_counted_qty,
            event.first_counted_by,
        )
    if transfer is not None and transfer.status is not TransferStatus.PREPARED:
        _dispute(
            ctx,
            transfer,
            "received_twice",
            line,
            first_counted_by=transfer.counted_by,
            first_counted=transfer.counted_qty,
            again_counted_by=event.counted_by,
            again_counted=event.counted_qty,
        )
        ctx.note("received_twice: kept as a dispute", SyncResult.CONFLICT)
        return
    occupancy = ctx.session.get(LineOccupancy, line.id)
    batch = Batch(event.work_order_number, event.article, event.destination)
    clearance = check_clearance(
        batch, line.department, occupancy_of(occupancy), now=ctx.now, stale_after=None
    )
    if transfer is None:
        transfer = transfer_row(event, origin=ORIGIN_SLIP)
        ctx.session.add(transfer)
    count_transfer(
        transfer,
        command,
        event.counted_qty,
        event.counted_by,
        event.counted_at,
        first_count=event.first_counted_qty,
        first_counted_by=event.first_counted_by,
    )
    if clearance.verdict is ClearanceVerdict.CONFLICT and occupancy is not None:
        _dispute(
            ctx,
            transfer,
            "line_double_booked",
            line,
            line_holds=occupancy.work_order_number,
            destination=occupancy.destination,
            segregation=clearance.segregation,
        )
        ctx.note("line_double_booked: kept as a dispute", SyncResult.CONFLICT)
    hold(ctx.session, line, batch, transfer_id=transfer.id, now=ctx.now)


@handles(*TransferDecided.kinds)
def transfer_decided(ctx: EventContext, event: TransferDecided) -> None:
    line = ctx.line(event.to_line)
    ctx.check_device_department(line.department)
    approver = ctx.actor()
    ctx.authorize(approver, Action.HOLD_RELEASE, line)
    transfer = _transfer(ctx, event.slip_id)
    if transfer is None:
        raise rejected("unknown_transfer", slip_id=event.slip_id)
    if transfer.to_line != line.code:
        raise rejected("transfer_line_mismatch", slip_id=event.slip_id)
    with domain_rules():
        clean_reason(event.reason)
        refuse_own_work(
            approver.employee_no,
            transfer.prepared_by,
            transfer.counted_by,
            transfer.first_counted_by,
            slip_id=transfer.slip_id,
        )
    command = event.command
    assert command is not None
    status = transfer.status
    try:
        decide_transfer(transfer, command, approver.employee_no, event.decided_at, event.reason)
    except RefusalError:
        raise conflict("transfer_state", status=status.value, command=command.value) from None
    if command is TransferCommand.REJECT:
        occupancy = ctx.session.get(LineOccupancy, line.id)
        if occupancy is not None and occupancy.transfer_id == transfer.id:
            hold(ctx.session, line, None, transfer_id=None, now=ctx.now)


@handles(EventKind.WIP_MOVED)
def wip_moved(ctx: EventContext, event: WipMoved) -> None:
    transfer = _transfer(ctx, event.slip_id)
    if transfer is None or transfer.status is not TransferStatus.ACCEPTED:
        raise rejected("unknown_transfer", slip_id=event.slip_id)
    line = ctx.line(transfer.to_line)
    ctx.check_device_department(line.department)
    ctx.actor()
    moved = ctx.session.scalar(select(WipMovement.id).where(WipMovement.transfer_id == transfer.id))
    if moved is not None:
        # A handoff moves its pieces once: a second receipt of the slip is a dispute.
        raise rejected("already_moved", slip_id=transfer.slip_id)
    ctx.session.add(wip_movement(transfer, event))


def _dispute(ctx: EventContext, transfer: Transfer, kind: str, line: Line, **detail: Any) -> None:
    detail = {"slip_id": transfer.slip_id, "work_order": transfer.work_order_number, **detail}
    ctx.session.add(
        TransferDispute(
            id=new_id(),
            slip_id=transfer.slip_id,
            kind=kind,
            detail=plain(detail),
            event_id=ctx.event_id,
            device_id=ctx.device.id,
            raised_at=ctx.now,
        )
    )
    ctx.session.add(
        Alert(
            id=new_id(),
            priority=P1 if kind == "received_twice" else P2,
            kind=ALERT_HANDSHAKE_DISPUTED,
            department=line.department,
            line_id=line.id,
            subject_user_id=None,
            fields={"dispute": kind, "line": line.code, **plain(detail)},
            raised_at=ctx.now,
            acknowledged_by=None,
            acknowledged_at=None,
        )
    )
