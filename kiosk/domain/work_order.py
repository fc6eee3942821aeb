"""Work-order state machine and the rules for recorded quantities."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Action


class WorkOrderStatus(StrEnum):
    RELEASED = "RELEASED"  # ready to start on its line
    IN_PROGRESS = "IN_PROGRESS"
    PAUSED = "PAUSED"
    COMPLETED = "COMPLETED"
    # Set by the site's ERP only (the integration API): off every kiosk's list, kept.
    CANCELLED = "CANCELLED"
    CLOSED = "CLOSED"


class WorkOrderCommand(StrEnum):
    START = "START"
    RECORD = "RECORD"
    PAUSE = "PAUSE"
    RESUME = "RESUME"
    COMPLETE = "COMPLETE"


_S = WorkOrderStatus
_C = WorkOrderCommand

TRANSITIONS: dict[tuple[WorkOrderStatus, WorkOrderCommand], WorkOrderStatus] = {
    (_S.RELEASED, _C.START): _S.IN_PROGRESS,
    (_S.IN_PROGRESS, _C.RECORD): _S.IN_PROGRESS,
    (_S.IN_PROGRESS, _C.PAUSE): _S.PAUSED,
    (_S.PAUSED, _C.RESUME): _S.IN_PROGRESS,
    (_S.IN_PROGRESS, _C.COMPLETE): _S.COMPLETED,
    (_S.PAUSED, _C.COMPLETE): _S.COMPLETED,
}

# The permission each command needs.
COMMAND_ACTIONS: dict[WorkOrderCommand, Action] = {
    _C.START: Action.WORK_ORDER_START,
    _C.RECORD: Action.WORK_ORDER_RECORD,
    _C.PAUSE: Action.WORK_ORDER_PAUSE,
    _C.RESUME: Action.WORK_ORDER_RESUME,
    _C.COMPLETE: Action.WORK_ORDER_COMPLETE,
}

# What the operator sees first: running work, then paused, then the queue; done last.
LIST_ORDER: dict[WorkOrderStatus, int] = {
    _S.IN_PROGRESS: 0,
    _S.PAUSED: 1,
    _S.RELEASED: 2,
    _S.COMPLETED: 3,
    _S.CLOSED: 4,
    _S.CANCELLED: 5,
}

# Work orders the ERP took off the floor: no kiosk lists them, nothing is done on them.
WITHDRAWN_STATUSES: frozenset[WorkOrderStatus] = frozenset({_S.CANCELLED, _S.CLOSED})


def next_status(current: WorkOrderStatus, command: WorkOrderCommand) -> WorkOrderStatus:
    """The status after `command`, or a refusal naming the status and the command."""
    try:
        return TRANSITIONS[(current, command)]
    except KeyError:
        raise RefusalError(
            ErrorCode.WORK_ORDER_TRANSITION, status=current.value, command=command.value
        ) from None


def allowed_commands(current: WorkOrderStatus) -> frozenset[WorkOrderCommand]:
    return frozenset(command for (status, command) in TRANSITIONS if status == current)


class RejectReason(StrEnum):
    """Why pieces were rejected; the UI shows one big button per reason."""

    FABRIC_FLAW = "FABRIC_FLAW"
    CUTTING_ERROR = "CUTTING_ERROR"
    STITCHING_DEFECT = "STITCHING_DEFECT"
    STAIN = "STAIN"
    WRONG_SIZE = "WRONG_SIZE"
    MACHINE_FAULT = "MACHINE_FAULT"
    OTHER = "OTHER"


# A work order's good and reject totals are stored in 4-byte integer columns (kiosk and
# central): an entry that would take a total past this is refused, never summed.
MAX_TOTAL = 2**31 - 1


@dataclass(frozen=True)
class QuantityPolicy:
    """Limits on one production entry.

    `overrun_tolerance_percent` lets a line finish a little above target (cutting
    lays rarely come out exact); `max_entry` refuses absurd numbers outright.
    """

    overrun_tolerance_percent: float = 5.0
    max_entry: int = 100_000

    def allowed_good_total(self, target: int) -> int:
        return target + math.floor(target * self.overrun_tolerance_percent / 100)


@dataclass(frozen=True)
class ProductionEntry:
    good: int
    reject: int
    reason: RejectReason | None


def parse_quantity(text: str, field: str) -> int:
    """A whole number typed by the operator; an empty field means zero."""
    stripped = text.strip()
    if not stripped:
        return 0
    try:
        value = int(stripped, 10)
    except ValueError:
        raise RefusalError(ErrorCode.QUANTITY_NOT_A_NUMBER, field=field, text=stripped) from None
    return value


def validate_entry(
    policy: QuantityPolicy,
    *,
    target: int,
    good_so_far: int,
    good: int,
    reject: int,
    reason: str | None,
    reject_so_far: int = 0,
) -> ProductionEntry:
    """Check one entry against the work order; return it normalised or refuse with a code.

    The kiosk checks what is typed; the server checks what is pushed, against central totals.
    """
    for field, value in (("good", good), ("reject", reject)):
        if value < 0:
            raise RefusalError(ErrorCode.QUANTITY_NEGATIVE, field=field, value=value)
    if good == 0 and reject == 0:
        raise RefusalError(ErrorCode.QUANTITY_ZERO)
    if good + reject > policy.max_entry:
        raise RefusalError(ErrorCode.QUANTITY_ABSURD, value=good + reject, limit=policy.max_entry)
    for total in (good_so_far + good, reject_so_far + reject):
        if total > MAX_TOTAL:
            raise RefusalError(ErrorCode.QUANTITY_ABSURD, value=total, limit=MAX_TOTAL)
    allowed_good = max(policy.allowed_good_total(target) - good_so_far, 0)
    if good > allowed_good:
        raise RefusalError(
            ErrorCode.QUANTITY_ABOVE_OPEN,
            field="good",
            value=good,
            open=max(target - good_so_far, 0),
            allowed=allowed_good,
        )
    if reject > target:
        raise RefusalError(
            ErrorCode.QUANTITY_ABOVE_OPEN, field="reject", value=reject, open=target, allowed=target
        )
    if reject == 0:
        return ProductionEntry(good, 0, None)
    if reason is None:
        raise RefusalError(ErrorCode.REJECT_REASON_REQUIRED)
    try:
        known_reason = RejectReason(reason)
    except ValueError:
        raise RefusalError(ErrorCode.REJECT_REASON_UNKNOWN, reason=reason) from None
    return ProductionEntry(good, reject, known_reason)
