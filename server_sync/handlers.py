"""Each event kind applied to central state with the kiosk's own domain rules.

A handler checks everything first and changes rows only after: a refusal raises
`EventRefusedError` before any change, so the other events of a batch are unaffected.
Conflicts are decided by central state and commit order, never by a device's clock;
facts that happened on the floor (counts, an offline handshake) are kept, and a
disagreement becomes a dispute for a supervisor rather than a silent overwrite.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.errors import RefusalError
from kiosk.domain.ids import new_id
from kiosk.domain.kanban import COMMAND_ACTIONS, KanbanCommand, KanbanStatus, next_kanban_status
from kiosk.domain.roles import Action, Department
from kiosk.domain.sync_events import SyncResult
from kiosk.domain.transfer import (
    Batch,
    ClearanceVerdict,
    TransferCommand,
    TransferStatus,
    check_clearance,
    next_transfer_status,
)
from kiosk.domain.work_order import RejectReason, WorkOrderCommand, WorkOrderStatus, next_status
from kiosk.services.actor import Actor, actor_of
from kiosk.services.alerts import P1, P2
from kiosk.services.authz import authorize
from kiosk.services.lines import hold, occupancy_of
from kiosk.store.models import (
    Alert,
    Base,
    KanbanCard,
    KanbanItem,
    Line,
    LineClearance,
    LineOccupancy,
    ProductionEntryRow,
    Transfer,
    User,
    WipMovement,
    WorkOrder,
)
from server_sync.models import DEVICE_DESKTOP, Device, TransferDispute

ALERT_HANDSHAKE_DISPUTED = "handshake_disputed"

ORIGIN_PREPARED = "prepared"
ORIGIN_SLIP = "slip"


class EventRefusedError(Exception):
    """The event is not applied: rejected (against the rules) or in conflict with central state."""

    def __init__(self, result: SyncResult, reason: str, **detail: Any) -> None:
        super().__init__(reason)
        self.result = result
        self.reason = reason
        self.detail = detail


def rejected(reason: str, **detail: Any) -> EventRefusedError:
    return EventRefusedError(SyncResult.REJECTED, reason, **detail)


def conflict(reason: str, **detail: Any) -> EventRefusedError:
    return EventRefusedError(SyncResult.CONFLICT, reason, **detail)


@dataclass
class BatchCache:
    """What a batch loaded once: the site's lines, and which new-row ids already exist.

    `loaded` keeps the rows the batch locked and the actors it read referenced: the
    session's identity map holds rows only weakly, and a row it forgot would be read
    again (after an autoflush) by every event that asks for it.
    """

    lines: dict[str, Line] = field(default_factory=dict)
    existing_entries: set[uuid.UUID] = field(default_factory=set)
    loaded: list[object] = field(default_factory=list)
    new_rows: list[NewRow] = field(default_factory=list)


@dataclass(frozen=True)
class NewRow:
    """A row an event adds that nothing in the batch reads back (a production entry).

    The batch writes these in bulk after its handlers, in the same transaction, and
    publishes them to the feed: no ORM object, flush or identity-map entry per row.
    """

    model: type[Base]
    values: dict[str, Any]


@dataclass
class EventContext:
    """One event being applied: the transaction, who sent it, and the server's time."""

    session: Session
    device: Device
    device_lines: frozenset[str]
    cache: BatchCache
    now: datetime
    event_id: uuid.UUID
    kind: str
    payload: Mapping[str, Any]
    outcome_reason: str | None = None  # applied, with a note (e.g. a dispute was opened)
    outcome: SyncResult = SyncResult.APPLIED
    notes: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ payload fields
    def text(self, name: str, *, optional: bool = False, limit: int = 200) -> str:
        value = self.payload.get(name)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value or len(value) > limit:
            raise rejected("malformed", field=name)
        return value

    def optional_text(self, name: str, limit: int = 200) -> str | None:
        value = self.payload.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > limit:
            raise rejected("malformed", field=name)
        return value

    def uuid(self, name: str) -> uuid.UUID:
        try:
            return uuid.UUID(str(self.payload[name]))
        except (KeyError, ValueError):
            raise rejected("malformed", field=name) from None

    def integer(self, name: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
        value = self.payload.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise rejected("malformed", field=name)
        return value

    def optional_integer(self, name: str) -> int | None:
        return None if self.payload.get(name) is None else self.integer(name)

    def time(self, name: str) -> datetime:
        try:
            value = datetime.fromisoformat(str(self.payload[name]))
        except (KeyError, ValueError):
            raise rejected("malformed", field=name) from None
        if value.tzinfo is None:
            raise rejected("malformed", field=name)
        try:
            value.astimezone(UTC)  # stored in UTC: 9999-12-31T23:59-05:00 is not a time
        except OverflowError:
            raise rejected("malformed", field=name) from None
        return value

    def optional_time(self, name: str) -> datetime | None:
        return None if self.payload.get(name) is None else self.time(name)

    # ------------------------------------------------------------------ who and where
    def actor(self) -> Actor:
        """The user who acted on the kiosk, as the central database knows them."""
        user_id = self.uuid("actor_id")
        user = self.session.get(User, user_id)
        if user is None:
            raise rejected("unknown_actor", actor_id=str(user_id))
        return actor_of(user)

    def authorize(self, actor: Actor, action: Action, line: Line | None = None) -> None:
        try:
            if line is None:
                authorize(actor, action)
            else:
                authorize(actor, action, line_code=line.code, department=line.department)
        except RefusalError as refusal:
            raise rejected(refusal.code.value, **_plain(refusal.fields)) from None

    def line(self, code: str) -> Line:
        line = self.cache.lines.get(code)
        if line is None:
            raise rejected("unknown_line", line=code)
        return line

    def check_device_serves(self, line: Line) -> None:
        """A device pushes only for its own line (a desktop: its department's lines)."""
        if self.device.kind == DEVICE_DESKTOP:
            if line.department.value != self.device.department:
                raise rejected("out_of_device_scope", line=line.code)
        elif line.code not in self.device_lines:
            raise rejected("out_of_device_scope", line=line.code)

    def check_device_department(self, department: Department | None) -> None:
        if department is None or department.value != self.device.department:
            raise rejected(
                "out_of_device_scope", department=None if department is None else department.value
            )

    def note(self, reason: str, result: SyncResult = SyncResult.APPLIED) -> None:
        self.outcome_reason = reason
        self.outcome = result


def _plain(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value if isinstance(value, int | str | None) else str(value)
        for key, value in fields.items()
    }


Handler = Callable[[EventContext], None]
HANDLERS: dict[str, Handler] = {}


def handles(*kinds: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        for kind in kinds:
            HANDLERS[kind] = function
        return function

    return register


# ====================================================================== work orders
def _work_order(ctx: EventContext) -> tuple[WorkOrder, Line]:
    work_order = ctx.session.get(WorkOrder, ctx.uuid("work_order_id"))
    if work_order is None:
        raise rejected("unknown_work_order", work_order_id=str(ctx.payload.get("work_order_id")))
    line = ctx.session.get(Line, work_order.line_id)
    assert line is not None
    ctx.check_device_serves(line)
    return work_order, line


@handles("production.recorded")
def production_recorded(ctx: EventContext) -> None:
    """Counts are append-only facts: added whatever the work order's state is now."""
    work_order, line = _work_order(ctx)
    actor = ctx.actor()
    ctx.authorize(actor, Action.WORK_ORDER_RECORD, line)
    entry_id = ctx.uuid("entry_id")
    good = ctx.integer("good")
    reject = ctx.integer("reject")
    reason_text = ctx.optional_text("reject_reason", 32)
    try:
        reason = None if reason_text is None else RejectReason(reason_text)
    except ValueError:
        raise rejected("malformed", field="reject_reason") from None
    recorded_at = ctx.time("recorded_at")
    if entry_id in ctx.cache.existing_entries:
        raise rejected("entry_exists", entry_id=str(entry_id))
    ctx.cache.existing_entries.add(entry_id)
    work_order.good_qty += good
    work_order.reject_qty += reject
    work_order.version += 1
    ctx.cache.new_rows.append(
        NewRow(
            ProductionEntryRow,
            {
                "id": entry_id,
                "work_order_id": work_order.id,
                "user_id": actor.user_id,
                "good": good,
                "reject": reject,
                "reject_reason": reason,
                "recorded_at": recorded_at,
            },
        )
    )


_WORK_ORDER_COMMANDS = {
    "work_order.started": WorkOrderCommand.START,
    "work_order.paused": WorkOrderCommand.PAUSE,
    "work_order.resumed": WorkOrderCommand.RESUME,
    "work_order.completed": WorkOrderCommand.COMPLETE,
}
_WORK_ORDER_ACTIONS = {
    WorkOrderCommand.START: Action.WORK_ORDER_START,
    WorkOrderCommand.PAUSE: Action.WORK_ORDER_PAUSE,
    WorkOrderCommand.RESUME: Action.WORK_ORDER_RESUME,
    WorkOrderCommand.COMPLETE: Action.WORK_ORDER_COMPLETE,
}


@handles(*_WORK_ORDER_COMMANDS)
def work_order_transition(ctx: EventContext) -> None:
    work_order, line = _work_order(ctx)
    command = _WORK_ORDER_COMMANDS[ctx.kind]
    actor = ctx.actor()
    ctx.authorize(actor, _WORK_ORDER_ACTIONS[command], line)
    at = ctx.time("at")
    try:
        after = next_status(work_order.status, command)
    except RefusalError:
        raise conflict(
            "work_order_state", status=work_order.status.value, command=command.value
        ) from None
    work_order.status = after
    if command is WorkOrderCommand.START and work_order.started_at is None:
        work_order.started_at = at
    if after is WorkOrderStatus.COMPLETED:
        work_order.completed_at = at
    work_order.version += 1


# ====================================================================== QT-09 handshakes
def _transfer(ctx: EventContext) -> Transfer | None:
    return ctx.session.scalar(
        select(Transfer).where(Transfer.slip_id == ctx.text("slip_id", limit=24))
    )


def _transfer_from_event(ctx: EventContext, origin: str) -> Transfer:
    try:
        from_department = Department(ctx.text("from_department", limit=8))
        to_department = Department(ctx.text("to_department", limit=8))
    except ValueError:
        raise rejected("malformed", field="department") from None
    return Transfer(
        id=ctx.uuid("transfer_id"),
        slip_id=ctx.text("slip_id", limit=24),
        site_code=ctx.text("site", limit=16),
        work_order_number=ctx.text("work_order_number", limit=32),
        mo_number=ctx.text("mo_number", limit=32),
        article=ctx.text("article", limit=100),
        destination=ctx.text("destination", limit=64),
        quantity=ctx.integer("quantity", minimum=1),
        from_line=ctx.text("from_line", limit=32),
        to_line=ctx.text("to_line", limit=32),
        from_department=from_department,
        to_department=to_department,
        prepared_by=ctx.text("prepared_by", limit=32),
        prepared_at=ctx.time("prepared_at"),
        status=TransferStatus.PREPARED,
        origin=origin,
        counted_qty=None,
        counted_by=None,
        counted_at=None,
        decided_by=None,
        decided_at=None,
        decision_reason=None,
        accepted_qty=None,
        printed_count=0,
        version=1,
    )


@handles("transfer.prepared")
def transfer_prepared(ctx: EventContext) -> None:
    line = ctx.line(ctx.text("from_line", limit=32))
    ctx.check_device_serves(line)
    actor = ctx.actor()
    ctx.authorize(actor, Action.TRANSFER_PREPARE, line)
    incoming = _transfer_from_event(ctx, ORIGIN_PREPARED)
    existing = _transfer(ctx)
    if existing is None:
        ctx.session.add(incoming)
        return
    if existing.origin == ORIGIN_PREPARED:
        raise conflict("slip_already_prepared", slip_id=existing.slip_id)
    # The receiver's kiosk synced first: its record came from this very slip.
    existing.origin = ORIGIN_PREPARED


@handles("transfer.accepted", "transfer.held")
def transfer_received(ctx: EventContext) -> None:
    """A blind count: the handshake happened on the floor, so it is always kept.

    Counted twice (a copied slip) or onto a line that central state says holds another
    batch, it is kept as a dispute for the receiving department's supervisor.
    """
    line = ctx.line(ctx.text("to_line", limit=32))
    ctx.check_device_serves(line)
    actor = ctx.actor()
    ctx.authorize(actor, Action.TRANSFER_RECEIVE, line)
    incoming = _transfer_from_event(ctx, ORIGIN_SLIP)
    counted = ctx.integer("counted_qty")
    counted_by = ctx.text("counted_by", limit=32)
    counted_at = ctx.time("counted_at")
    command = TransferCommand.ACCEPT if ctx.kind == "transfer.accepted" else TransferCommand.HOLD
    transfer = _transfer(ctx)
    if transfer is not None and transfer.status is not TransferStatus.PREPARED:
        _dispute(
            ctx,
            transfer,
            "received_twice",
            line,
            first_counted_by=transfer.counted_by,
            first_counted=transfer.counted_qty,
            again_counted_by=counted_by,
            again_counted=counted,
        )
        ctx.note("received_twice: kept as a dispute", SyncResult.CONFLICT)
        return
    occupancy = ctx.session.get(LineOccupancy, line.id)
    batch = Batch(incoming.work_order_number, incoming.article, incoming.destination)
    clearance = check_clearance(
        batch, line.department, occupancy_of(occupancy), now=ctx.now, stale_after=None
    )
    if transfer is None:
        transfer = incoming
        ctx.session.add(transfer)
    transfer.status = next_transfer_status(TransferStatus.PREPARED, command)
    transfer.counted_qty = counted
    transfer.counted_by = counted_by
    transfer.counted_at = counted_at
    if command is TransferCommand.ACCEPT:
        transfer.accepted_qty = counted
    transfer.version += 1
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


@handles("transfer.released", "transfer.rejected")
def transfer_decided(ctx: EventContext) -> None:
    line = ctx.line(ctx.text("to_line", limit=32))
    ctx.check_device_department(line.department)
    approver = ctx.actor()
    ctx.authorize(approver, Action.HOLD_RELEASE, line)
    reason = ctx.text("reason")
    decided_at = ctx.time("decided_at")
    transfer = _transfer(ctx)
    if transfer is None:
        raise rejected("unknown_transfer", slip_id=ctx.payload.get("slip_id"))
    if approver.employee_no in (transfer.prepared_by, transfer.counted_by):
        raise rejected("perm.self_approval", slip_id=transfer.slip_id)
    command = TransferCommand.RELEASE if ctx.kind == "transfer.released" else TransferCommand.REJECT
    try:
        after = next_transfer_status(transfer.status, command)
    except RefusalError:
        raise conflict(
            "transfer_state", status=transfer.status.value, command=command.value
        ) from None
    transfer.status = after
    transfer.decided_by = approver.employee_no
    transfer.decided_at = decided_at
    transfer.decision_reason = reason
    if command is TransferCommand.RELEASE:
        transfer.accepted_qty = transfer.counted_qty or 0
    transfer.version += 1
    if command is TransferCommand.REJECT:
        occupancy = ctx.session.get(LineOccupancy, line.id)
        if occupancy is not None and occupancy.transfer_id == transfer.id:
            hold(ctx.session, line, None, transfer_id=None, now=ctx.now)


@handles("wip.moved")
def wip_moved(ctx: EventContext) -> None:
    transfer = _transfer(ctx)
    if transfer is None or transfer.status is not TransferStatus.ACCEPTED:
        raise rejected("unknown_transfer", slip_id=ctx.payload.get("slip_id"))
    line = ctx.line(transfer.to_line)
    ctx.check_device_department(line.department)
    movement_id = ctx.uuid("movement_id")
    moved = ctx.session.scalar(select(WipMovement.id).where(WipMovement.transfer_id == transfer.id))
    if moved is not None:
        # A handoff moves its pieces once: a second receipt of the slip is a dispute.
        raise rejected("already_moved", slip_id=transfer.slip_id)
    ctx.session.add(
        WipMovement(
            id=movement_id,
            transfer_id=transfer.id,
            mo_number=transfer.mo_number,
            work_order_number=transfer.work_order_number,
            article=transfer.article,
            from_stock=ctx.text("from", limit=16),
            to_stock=ctx.text("to", limit=16),
            quantity=ctx.integer("quantity", minimum=1),
            moved_at=ctx.time("at"),
        )
    )


@handles("line.occupancy")
def line_occupancy(ctx: EventContext) -> None:
    """Kept as a fact only: central occupancy follows handshakes and clearances in commit order."""
    ctx.line(ctx.text("line", limit=32))


@handles("line.cleared")
def line_cleared(ctx: EventContext) -> None:
    line = ctx.line(ctx.text("line", limit=32))
    ctx.check_device_department(line.department)
    actor = ctx.actor()
    ctx.authorize(actor, Action.LINE_CLEAR, line)
    clearance_id = ctx.uuid("clearance_id")
    reason = ctx.text("reason")
    at = ctx.time("at")
    if ctx.session.get(LineClearance, clearance_id) is not None:
        raise rejected("clearance_exists", clearance_id=str(clearance_id))
    occupancy = ctx.session.get(LineOccupancy, line.id)
    ctx.session.add(
        LineClearance(
            id=clearance_id,
            line_id=line.id,
            cleared_by=actor.user_id,
            cleared_at=at,
            reason=reason,
            previous_work_order_number=None if occupancy is None else occupancy.work_order_number,
            previous_article=None if occupancy is None else occupancy.article,
            previous_destination=None if occupancy is None else occupancy.destination,
        )
    )
    hold(ctx.session, line, None, transfer_id=None, now=ctx.now)


def _dispute(ctx: EventContext, transfer: Transfer, kind: str, line: Line, **detail: Any) -> None:
    detail = {"slip_id": transfer.slip_id, "work_order": transfer.work_order_number, **detail}
    ctx.session.add(
        TransferDispute(
            id=new_id(),
            slip_id=transfer.slip_id,
            kind=kind,
            detail=_plain(detail),
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
            fields={"dispute": kind, "line": line.code, **_plain(detail)},
            raised_at=ctx.now,
            acknowledged_by=None,
            acknowledged_at=None,
        )
    )


# ====================================================================== alerts
@handles("alert.raised")
def alert_raised(ctx: EventContext) -> None:
    """An alert raised on a kiosk (for any department: a blocked line alerts its owner)."""
    alert_id = ctx.uuid("alert_id")
    if ctx.session.get(Alert, alert_id) is not None:
        raise rejected("alert_exists", alert_id=str(alert_id))
    priority = ctx.integer("priority", minimum=1, maximum=3)
    kind = ctx.text("kind", limit=40)
    department_text = ctx.optional_text("department", 8)
    try:
        department = None if department_text is None else Department(department_text)
    except ValueError:
        raise rejected("malformed", field="department") from None
    fields = ctx.payload.get("fields")
    if not isinstance(fields, dict):
        raise rejected("malformed", field="fields")
    line_id = None if ctx.payload.get("line_id") is None else ctx.uuid("line_id")
    if line_id is not None and ctx.session.get(Line, line_id) is None:
        raise rejected("unknown_line", line_id=str(line_id))
    subject = None if ctx.payload.get("subject_user_id") is None else ctx.uuid("subject_user_id")
    if subject is not None and ctx.session.get(User, subject) is None:
        raise rejected("unknown_user", user_id=str(subject))
    ctx.session.add(
        Alert(
            id=alert_id,
            priority=priority,
            kind=kind,
            department=department,
            line_id=line_id,
            subject_user_id=subject,
            fields=fields,
            raised_at=ctx.time("raised_at"),
            acknowledged_by=None,
            acknowledged_at=None,
        )
    )


@handles("alert.acknowledged")
def alert_acknowledged(ctx: EventContext) -> None:
    """The first acknowledgement the server commits stands; a later one changes nothing."""
    alert = ctx.session.get(Alert, ctx.uuid("alert_id"))
    if alert is None:
        raise rejected("unknown_alert", alert_id=str(ctx.payload.get("alert_id")))
    ctx.check_device_department(alert.department)
    actor = ctx.actor()
    ctx.authorize(actor, Action.ALERT_ACKNOWLEDGE)
    if actor.department != alert.department:
        raise rejected("perm.out_of_scope", department=str(alert.department))
    at = ctx.time("at")
    if alert.acknowledged_at is not None:
        ctx.note("already_acknowledged")
        return
    alert.acknowledged_by = actor.user_id
    alert.acknowledged_at = at


# ====================================================================== E-Kanban
_KANBAN_COMMANDS = {
    "kanban.approved": KanbanCommand.APPROVE,
    "kanban.rejected": KanbanCommand.REJECT,
    "kanban.shipped": KanbanCommand.SHIP,
    "kanban.received": KanbanCommand.RECEIVE,
}


@handles("kanban.requested")
def kanban_requested(ctx: EventContext) -> None:
    line = ctx.line(ctx.text("line", limit=32))
    ctx.check_device_serves(line)
    actor = ctx.actor()
    ctx.authorize(actor, Action.KANBAN_REQUEST, line)
    card_id = ctx.uuid("card_id")
    item = ctx.session.get(KanbanItem, ctx.text("item", limit=32))
    if item is None:
        raise rejected("kanban.item_unknown", item=ctx.payload.get("item"))
    quantity = ctx.integer("quantity", minimum=1)
    card_no = ctx.text("card_no", limit=32)
    at = ctx.time("at")
    if ctx.session.get(KanbanCard, card_id) is not None:
        raise conflict("card_exists", card_id=str(card_id))
    ctx.session.add(
        KanbanCard(
            id=card_id,
            card_no=card_no,
            line_id=line.id,
            item_code=item.code,
            quantity=quantity,
            status=KanbanStatus.REQUESTED,
            requested_by=actor.user_id,
            requested_at=at,
            version=1,
        )
    )


@handles(*_KANBAN_COMMANDS)
def kanban_step(ctx: EventContext) -> None:
    """A step taken on a card at the version the kiosk saw; another version is a conflict."""
    command = _KANBAN_COMMANDS[ctx.kind]
    card = ctx.session.get(KanbanCard, ctx.uuid("card_id"))
    if card is None:
        raise rejected("kanban.card_not_found", card_id=str(ctx.payload.get("card_id")))
    line = ctx.session.get(Line, card.line_id)
    assert line is not None
    actor = ctx.actor()
    if command is KanbanCommand.RECEIVE:
        ctx.check_device_serves(line)
        ctx.authorize(actor, COMMAND_ACTIONS[command], line)
    else:
        ctx.check_device_department(Department.WAREHOUSE)
        ctx.authorize(actor, COMMAND_ACTIONS[command])
    version = ctx.integer("version", minimum=2)
    at = ctx.time("at")
    reason = ctx.optional_text("reason") if command is KanbanCommand.REJECT else None
    if (
        command in (KanbanCommand.APPROVE, KanbanCommand.REJECT)
        and card.requested_by == actor.user_id
    ):
        raise rejected("perm.self_approval", card_no=card.card_no)
    if card.version != version - 1:
        raise conflict(
            "kanban_version",
            card_no=card.card_no,
            expected=version - 1,
            central=card.version,
            status=card.status.value,
        )
    try:
        card.status = next_kanban_status(card.status, command)
    except RefusalError:
        raise conflict("kanban_state", card_no=card.card_no, status=card.status.value) from None
    if command in (KanbanCommand.APPROVE, KanbanCommand.REJECT):
        card.decided_by, card.decided_at, card.decision_reason = actor.user_id, at, reason
    elif command is KanbanCommand.SHIP:
        card.shipped_by, card.shipped_at = actor.user_id, at
    else:
        card.received_by, card.received_at = actor.user_id, at
    card.version = version


# ====================================================================== people
def _subject_user(ctx: EventContext) -> User:
    """The person the event is about (locked out, unlocked, given a badge)."""
    user = ctx.session.get(User, ctx.uuid("user_id"))
    if user is None:
        raise rejected("unknown_user", user_id=str(ctx.payload.get("user_id")))
    return user


@handles("user.locked")
def user_locked(ctx: EventContext) -> None:
    """Too many wrong PINs on one kiosk lock the person on every kiosk."""
    user = _subject_user(ctx)
    until = ctx.time("until")
    if user.locked_until is None or user.locked_until < until:
        user.locked_until = until


@handles("user.unlocked")
def user_unlocked(ctx: EventContext) -> None:
    user = _subject_user(ctx)
    actor = ctx.actor()
    ctx.authorize(actor, Action.USER_UNLOCK)
    user.locked_until = None


@handles("badge.enrolled", "badge.unbound")
def badge_changed(ctx: EventContext) -> None:
    user = _subject_user(ctx)
    actor = ctx.actor()
    ctx.authorize(actor, Action.BADGE_MANAGE)
    if ctx.kind == "badge.unbound":
        user.badge_hash = None
        return
    digest = ctx.text("badge_hash", limit=128)
    holder = ctx.session.scalar(select(User).where(User.badge_hash == digest))
    if holder is not None and holder.id != user.id:
        raise conflict("badge.in_use", holder=holder.employee_no)
    user.badge_hash = digest


@handles("session.started", "session.ended")
def session_fact(ctx: EventContext) -> None:
    """Logins and logouts are kept as facts (the applied event itself)."""
    ctx.line(ctx.text("line", limit=32))
