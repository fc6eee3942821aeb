"""Every sync event kind, declared once: its fields, how its payload is read, what it touches.

The kiosk's services emit these objects and the server parses pushed payloads into
them: `parse_event` is the one place where an unknown kind, an unsupported schema
version or a malformed payload is refused. The wire payloads keep the keys and JSON
types kiosks have always sent, so events still waiting in an upgraded kiosk's outbox
(and older kiosks) are read as before. Fields the server has never needed are optional.
"""

# The field helpers of kiosk.domain.event_fields return `dataclasses.field(...)` (a codec).
# ruff: noqa: RUF009

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from kiosk.domain.event_base import SUPPORTED_SCHEMA_VERSION, Event, EventKind
from kiosk.domain.event_errors import (
    MalformedEventError,
    UnknownKindError,
    UnsupportedSchemaError,
)
from kiosk.domain.event_fields import (
    Wire,
    an_id,
    count,
    jsonable,
    member,
    opt_count,
    opt_id,
    opt_member,
    opt_text,
    opt_time,
    read_mapping,
    required,
    text,
    time,
)
from kiosk.domain.kanban import KanbanCommand
from kiosk.domain.reasons import CorrectionReason, PauseReason
from kiosk.domain.roles import Department
from kiosk.domain.sync_events import (
    ALERT,
    KANBAN_CARD,
    LINE_CLEARANCE,
    LINE_OCCUPANCY,
    PRODUCTION_CORRECTION,
    PRODUCTION_ENTRY,
    TRANSFER,
    USER,
    WORK_ORDER,
    EntityKey,
)
from kiosk.domain.transfer import TransferCommand
from kiosk.domain.work_order import RejectReason, WorkOrderCommand

__all__ = [  # the base is kiosk.domain.event_base; its names are read from here too
    "SUPPORTED_SCHEMA_VERSION",
    "Event",
    "EventKind",
]

# ====================================================================== work orders
_WORK_ORDER_COMMANDS = {
    EventKind.WORK_ORDER_STARTED: WorkOrderCommand.START,
    EventKind.WORK_ORDER_PAUSED: WorkOrderCommand.PAUSE,
    EventKind.WORK_ORDER_RESUMED: WorkOrderCommand.RESUME,
    EventKind.WORK_ORDER_COMPLETED: WorkOrderCommand.COMPLETE,
}


@dataclass(frozen=True, kw_only=True)
class ProductionRecorded(Event):
    """Good and rejected pieces counted on a work order: an append-only fact."""

    kinds = (EventKind.PRODUCTION_RECORDED,)
    keys = ((PRODUCTION_ENTRY, "entry_id"), (WORK_ORDER, "work_order_id"))

    kind: EventKind = EventKind.PRODUCTION_RECORDED
    entry_id: uuid.UUID = an_id()
    work_order_id: uuid.UUID = an_id()
    number: str | None = opt_text()
    line: str | None = opt_text()
    user_id: uuid.UUID | None = opt_id()
    good: int = count()
    reject: int = count()
    reject_reason: RejectReason | None = opt_member(RejectReason, 32)
    recorded_at: datetime = time()


@dataclass(frozen=True, kw_only=True)
class WorkOrderStepped(Event):
    """A work order started, paused, resumed or completed."""

    kinds = tuple(_WORK_ORDER_COMMANDS)
    keys = ((WORK_ORDER, "work_order_id"),)

    work_order_id: uuid.UUID = an_id()
    number: str | None = opt_text()
    line: str | None = opt_text()
    user_id: uuid.UUID | None = opt_id()
    status: str | None = opt_text()
    at: datetime = time()
    # Why a work order was paused (the site's list); left out of every other step.
    pause_reason: PauseReason | None = opt_member(PauseReason, 32, omit_none=True)

    @property
    def command(self) -> WorkOrderCommand:
        return _WORK_ORDER_COMMANDS[self.kind]

    @staticmethod
    def kind_of(command: WorkOrderCommand) -> EventKind:
        return next(kind for kind, known in _WORK_ORDER_COMMANDS.items() if known is command)


@dataclass(frozen=True, kw_only=True)
class ProductionCorrected(Event):
    """A recorded entry's counts replaced (corrected) or taken back (voided): a new fact.

    The entry stays on record. `user_id` asked for it; `approved_by` is the supervisor
    who approved it (the event's actor then), None when the recorder corrected alone.
    """

    kinds = (EventKind.PRODUCTION_CORRECTED, EventKind.PRODUCTION_VOIDED)
    keys = ((PRODUCTION_CORRECTION, "correction_id"), (WORK_ORDER, "work_order_id"))

    kind: EventKind = EventKind.PRODUCTION_CORRECTED
    correction_id: uuid.UUID = an_id()
    entry_id: uuid.UUID = an_id()
    work_order_id: uuid.UUID = an_id()
    number: str | None = opt_text()
    line: str | None = opt_text()
    user_id: uuid.UUID = an_id()
    approved_by: uuid.UUID | None = opt_id()
    good: int = count()
    reject: int = count()
    reject_reason: RejectReason | None = opt_member(RejectReason, 32)
    reason: CorrectionReason = member(CorrectionReason, 32)
    at: datetime = time()

    @property
    def is_void(self) -> bool:
        return self.kind is EventKind.PRODUCTION_VOIDED


# ====================================================================== QT-09 handshakes
_TRANSFER_COMMANDS = {
    EventKind.TRANSFER_ACCEPTED: TransferCommand.ACCEPT,
    EventKind.TRANSFER_HELD: TransferCommand.HOLD,
    EventKind.TRANSFER_RELEASED: TransferCommand.RELEASE,
    EventKind.TRANSFER_REJECTED: TransferCommand.REJECT,
}


@dataclass(frozen=True, kw_only=True)
class TransferSnapshot(Event):
    """The whole transfer in its event: the server re-checks it against central state."""

    kinds: ClassVar[tuple[EventKind, ...]] = (EventKind.TRANSFER_PREPARED,)
    keys = ((TRANSFER, "slip_id"),)
    acting_attribute = "to_line"

    kind: EventKind = EventKind.TRANSFER_PREPARED
    transfer_id: uuid.UUID = an_id()
    slip_id: str = text(24)
    site: str = text(16)
    work_order_number: str = text(32)
    mo_number: str = text(32)
    article: str = text(100)
    destination: str = text(64)
    quantity: int = count(minimum=1)
    from_line: str = text(32)
    to_line: str = text(32)
    from_department: Department = member(Department, 8, error_field="department")
    to_department: Department = member(Department, 8, error_field="department")
    status: str | None = opt_text()
    prepared_by: str = text(32)
    prepared_at: datetime = time()
    counted_qty: int | None = opt_count()
    counted_by: str | None = opt_text()
    counted_at: datetime | None = opt_time()
    # A first count that did not match, before the recount in `counted_qty` (left out of
    # the payload when there was none: older servers know no such key).
    first_counted_qty: int | None = opt_count(minimum=1, omit_none=True)
    first_counted_by: str | None = opt_text(32, omit_none=True)
    decided_by: str | None = opt_text()
    decided_at: datetime | None = opt_time()
    decision_reason: str | None = opt_text()
    accepted_qty: int | None = opt_count()
    version: int | None = opt_count()

    @property
    def command(self) -> TransferCommand | None:
        return _TRANSFER_COMMANDS.get(self.kind)


@dataclass(frozen=True, kw_only=True)
class TransferPrepared(TransferSnapshot):
    """The sender locked the pieces and printed the slip."""

    acting_attribute = "from_line"


@dataclass(frozen=True, kw_only=True)
class TransferCounted(TransferSnapshot):
    """The receiver's blind count: accepted on a match, held otherwise."""

    kinds = (EventKind.TRANSFER_ACCEPTED, EventKind.TRANSFER_HELD)
    # 2: the slip as scanned travels with the count, for the server to verify.
    schema_version: ClassVar[int] = 2

    kind: EventKind = EventKind.TRANSFER_ACCEPTED
    counted_qty: int = count()
    counted_by: str = text(32)
    counted_at: datetime = time()
    # The QR payload as scanned (signed by the sender's kiosk), or the slip id alone where
    # the receiver knew the transfer from the server.
    slip: str = text(1024)


@dataclass(frozen=True, kw_only=True)
class TransferDecided(TransferSnapshot):
    """A supervisor released or rejected a held batch, with a reason."""

    kinds = (EventKind.TRANSFER_RELEASED, EventKind.TRANSFER_REJECTED)

    kind: EventKind = EventKind.TRANSFER_RELEASED
    decided_at: datetime = time()
    reason: str = text()
    by: str | None = opt_text()


@dataclass(frozen=True, kw_only=True)
class WipMoved(Event):
    """An accepted handoff's pieces moved from one WIP stock to the next."""

    kinds = (EventKind.WIP_MOVED,)
    acting_attribute = None

    kind: EventKind = EventKind.WIP_MOVED
    movement_id: uuid.UUID = an_id()
    transfer_id: uuid.UUID | None = opt_id()
    slip_id: str = text(24)
    work_order_number: str | None = opt_text()
    mo_number: str | None = opt_text()
    article: str | None = opt_text()
    from_stock: str = text(16, key="from")
    to_stock: str = text(16, key="to")
    quantity: int = count(minimum=1)
    at: datetime = time()


# ====================================================================== lines
@dataclass(frozen=True, kw_only=True)
class LineOccupancyChanged(Event):
    """What a line holds now (kept centrally as a fact only)."""

    kinds = (EventKind.LINE_OCCUPANCY,)
    keys = ((LINE_OCCUPANCY, "line"),)

    kind: EventKind = EventKind.LINE_OCCUPANCY
    line: str = text(32)
    work_order_number: str | None = opt_text()
    article: str | None = opt_text()
    destination: str | None = opt_text()
    since: datetime | None = opt_time()
    at: datetime | None = opt_time()


@dataclass(frozen=True, kw_only=True)
class LineCleared(Event):
    """A supervisor declared a line empty: who, when and why."""

    kinds = (EventKind.LINE_CLEARED,)
    keys = ((LINE_CLEARANCE, "clearance_id"), (LINE_OCCUPANCY, "line"))

    kind: EventKind = EventKind.LINE_CLEARED
    clearance_id: uuid.UUID = an_id()
    line: str = text(32)
    by: uuid.UUID | None = opt_id()
    at: datetime = time()
    reason: str = text()
    previous_work_order_number: str | None = opt_text()


# ====================================================================== alerts
@dataclass(frozen=True, kw_only=True)
class AlertRaised(Event):
    """An alert raised on a kiosk, for the department's supervisor."""

    kinds = (EventKind.ALERT_RAISED,)
    keys = ((ALERT, "alert_id"),)
    acting_attribute = None

    kind: EventKind = EventKind.ALERT_RAISED
    alert_id: uuid.UUID = an_id()
    priority: int = count(minimum=1, maximum=3)
    alert_kind: str = text(40, key="kind")
    department: Department | None = opt_member(Department, 8)
    line_id: uuid.UUID | None = opt_id()
    subject_user_id: uuid.UUID | None = opt_id()
    fields: dict[str, Any] = required(Wire(read_mapping, jsonable))
    raised_at: datetime = time()


@dataclass(frozen=True, kw_only=True)
class AlertAcknowledged(Event):
    kinds = (EventKind.ALERT_ACKNOWLEDGED,)
    keys = ((ALERT, "alert_id"),)
    acting_attribute = None

    kind: EventKind = EventKind.ALERT_ACKNOWLEDGED
    alert_id: uuid.UUID = an_id()
    by: uuid.UUID | None = opt_id()
    at: datetime = time()


# ====================================================================== E-Kanban
_KANBAN_COMMANDS = {
    EventKind.KANBAN_APPROVED: KanbanCommand.APPROVE,
    EventKind.KANBAN_REJECTED: KanbanCommand.REJECT,
    EventKind.KANBAN_SHIPPED: KanbanCommand.SHIP,
    EventKind.KANBAN_RECEIVED: KanbanCommand.RECEIVE,
}


@dataclass(frozen=True, kw_only=True)
class KanbanRequested(Event):
    """A line asked the warehouse for an item."""

    kinds = (EventKind.KANBAN_REQUESTED,)
    keys = ((KANBAN_CARD, "card_id"),)

    kind: EventKind = EventKind.KANBAN_REQUESTED
    card_id: uuid.UUID = an_id()
    card_no: str = text(32)
    line: str = text(32)
    item: str = text(32)
    quantity: int = count(minimum=1)
    status: str | None = opt_text()
    by: str | None = opt_text()
    by_user_id: uuid.UUID | None = opt_id()
    at: datetime = time()
    version: int | None = opt_count()


@dataclass(frozen=True, kw_only=True)
class KanbanStepped(Event):
    """A step on a card, taken at the version the kiosk saw (`version` is the one after)."""

    kinds = tuple(_KANBAN_COMMANDS)
    keys = ((KANBAN_CARD, "card_id"),)

    card_id: uuid.UUID = an_id()
    card_no: str | None = opt_text()
    line: str | None = opt_text()
    item: str | None = opt_text()
    quantity: int | None = opt_count()
    status: str | None = opt_text()
    by: str | None = opt_text()
    by_user_id: uuid.UUID | None = opt_id()
    at: datetime = time()
    version: int = count(minimum=2)
    reason: str | None = opt_text(omit_none=True)

    @property
    def command(self) -> KanbanCommand:
        return _KANBAN_COMMANDS[self.kind]

    @staticmethod
    def kind_of(command: KanbanCommand) -> EventKind:
        return next(kind for kind, known in _KANBAN_COMMANDS.items() if known is command)


# ====================================================================== people
@dataclass(frozen=True, kw_only=True)
class UserLocked(Event):
    """Too many wrong PINs on one kiosk: the person is locked out on every kiosk."""

    kinds = (EventKind.USER_LOCKED,)
    keys = ((USER, "user_id"),)

    kind: EventKind = EventKind.USER_LOCKED
    user_id: uuid.UUID = an_id()
    until: datetime = time()
    line: str | None = opt_text()


@dataclass(frozen=True, kw_only=True)
class PinRefused(Event):
    """One wrong PIN on a kiosk: the server counts them per person across every device.

    The kiosk's own count stays local; the server's site-wide lock, when the count reaches
    the limit, reaches every kiosk through the feed.
    """

    kinds = (EventKind.PIN_REFUSED,)
    # The server changes the person's row (the site-wide count): locked for the batch, and
    # the kiosk takes the row as the server sends it back after its answer.
    keys = ((USER, "user_id"),)

    kind: EventKind = EventKind.PIN_REFUSED
    user_id: uuid.UUID = an_id()
    line: str = text(32)
    at: datetime | None = opt_time()


@dataclass(frozen=True, kw_only=True)
class UserUnlocked(Event):
    kinds = (EventKind.USER_UNLOCKED,)
    keys = ((USER, "user_id"),)

    kind: EventKind = EventKind.USER_UNLOCKED
    user_id: uuid.UUID = an_id()
    by: uuid.UUID | None = opt_id()
    at: datetime | None = opt_time()


@dataclass(frozen=True, kw_only=True)
class BadgeEnrolled(Event):
    kinds = (EventKind.BADGE_ENROLLED,)
    keys = ((USER, "user_id"),)

    kind: EventKind = EventKind.BADGE_ENROLLED
    user_id: uuid.UUID = an_id()
    badge_hash: str = text(128)
    at: datetime | None = opt_time()


@dataclass(frozen=True, kw_only=True)
class BadgeUnbound(Event):
    kinds = (EventKind.BADGE_UNBOUND,)
    keys = ((USER, "user_id"),)

    kind: EventKind = EventKind.BADGE_UNBOUND
    user_id: uuid.UUID = an_id()
    at: datetime | None = opt_time()


@dataclass(frozen=True, kw_only=True)
class SessionStarted(Event):
    """A login on a line's kiosk (kept as a fact)."""

    kinds = (EventKind.SESSION_STARTED,)

    kind: EventKind = EventKind.SESSION_STARTED
    user_id: uuid.UUID | None = opt_id()
    line: str = text(32)
    at: datetime | None = opt_time()
    method: str | None = opt_text()


@dataclass(frozen=True, kw_only=True)
class SessionEnded(Event):
    kinds = (EventKind.SESSION_ENDED,)

    kind: EventKind = EventKind.SESSION_ENDED
    user_id: uuid.UUID | None = opt_id()
    line: str = text(32)
    at: datetime | None = opt_time()
    reason: str | None = opt_text()


EVENT_TYPES: dict[EventKind, type[Event]] = {
    kind: cls
    for cls in (
        ProductionRecorded,
        ProductionCorrected,
        WorkOrderStepped,
        TransferPrepared,
        TransferCounted,
        TransferDecided,
        WipMoved,
        LineOccupancyChanged,
        LineCleared,
        AlertRaised,
        AlertAcknowledged,
        KanbanRequested,
        KanbanStepped,
        UserLocked,
        PinRefused,
        UserUnlocked,
        BadgeEnrolled,
        BadgeUnbound,
        SessionStarted,
        SessionEnded,
    )
    for kind in cls.kinds
}


def parse_event(kind: str, schema_version: int, payload: Mapping[str, Any]) -> Event:
    """The one gate for a pushed event: its kind, its schema version, then its payload."""
    try:
        event_kind = EventKind(kind)
    except ValueError:
        raise UnknownKindError() from None
    cls = EVENT_TYPES[event_kind]
    if schema_version != cls.schema_version:
        raise UnsupportedSchemaError(schema_version)
    if not isinstance(payload, Mapping):
        raise MalformedEventError("payload")
    return cls.from_payload(event_kind, payload)


def touched_keys(kind: str, payload: Mapping[str, Any]) -> set[EntityKey]:
    """The rows a stored payload changes, read leniently (a malformed event still names
    the rows it was about; an unknown kind, none): the kiosk keeps its own on top."""
    try:
        cls = EVENT_TYPES[EventKind(kind)]
    except ValueError:
        return set()
    found = ((entity, payload.get(name)) for entity, name in cls.keys)
    return {(entity, str(value)) for entity, value in found if value is not None}
