"""QT-09 transfers: the state machine, routes, line clearance and segregation rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Department

# Where a kiosk's (or the server's) record of a transfer came from.
ORIGIN_PREPARED = "prepared"  # prepared here: its pieces are locked on this kiosk
ORIGIN_SLIP = "slip"  # read from the paper slip by the receiver
ORIGIN_SYNCED = "synced"  # known from the server only


class TransferStatus(StrEnum):
    PREPARED = "PREPARED"  # slip printed, pieces locked at the sender
    ACCEPTED = "ACCEPTED"  # counted and matched, or a hold released
    HELD = "HELD"  # counted and not matched: waits for a supervisor
    REJECTED = "REJECTED"  # a supervisor sent a held batch back


class TransferCommand(StrEnum):
    ACCEPT = "ACCEPT"  # the receiver's count matched
    HOLD = "HOLD"  # the receiver's count did not match
    RELEASE = "RELEASE"  # a supervisor accepts the counted quantity
    REJECT = "REJECT"  # a supervisor refuses the batch


_S = TransferStatus
_C = TransferCommand

TRANSITIONS: dict[tuple[TransferStatus, TransferCommand], TransferStatus] = {
    (_S.PREPARED, _C.ACCEPT): _S.ACCEPTED,
    (_S.PREPARED, _C.HOLD): _S.HELD,
    (_S.HELD, _C.RELEASE): _S.ACCEPTED,
    (_S.HELD, _C.REJECT): _S.REJECTED,
}

# Statuses whose pieces still count as sent (locked) at the sender.
LOCKING_STATUSES = frozenset({_S.PREPARED, _S.HELD, _S.ACCEPTED})


def next_transfer_status(current: TransferStatus, command: TransferCommand) -> TransferStatus:
    try:
        return TRANSITIONS[(current, command)]
    except KeyError:
        raise RefusalError(
            ErrorCode.TRANSFER_TRANSITION, status=current.value, command=command.value
        ) from None


# The department sequence of each route (DESIGN glossary). R3 sends Cutting's work to a
# subcontractor and takes it back in Finishing: on the floor the next line is Finishing.
ROUTES: dict[str, tuple[Department, ...]] = {
    "R1": (Department.CUT, Department.EMBO, Department.SEW, Department.FIN, Department.PACK),
    "R2": (Department.CUT, Department.SEW, Department.FIN, Department.PACK),
    "R3": (Department.CUT, Department.FIN, Department.PACK),
}

# Where each department's finished pieces wait until the next one takes them.
WIP_STOCK: dict[Department, str] = {
    Department.CUT: "WIP_CUT",
    Department.EMBO: "WIP_EMBO",
    Department.SEW: "WIP_SEW",
    Department.FIN: "WIP_FIN",
    Department.PACK: "FG",
}

# Sewing -> Finishing and onward: batches for different destinations never share a line.
SEGREGATED_DEPARTMENTS = frozenset({Department.FIN, Department.PACK})


def next_department(route: str, department: Department) -> Department:
    """The department after `department` on the route, or a refusal at the route's end."""
    sequence = ROUTES.get(route)
    if sequence is None or department not in sequence:
        raise RefusalError(
            ErrorCode.TRANSFER_NO_NEXT_DEPARTMENT, route=route, department=department.value
        )
    index = sequence.index(department)
    if index + 1 >= len(sequence):
        raise RefusalError(
            ErrorCode.TRANSFER_NO_NEXT_DEPARTMENT, route=route, department=department.value
        )
    return sequence[index + 1]


@dataclass(frozen=True)
class Batch:
    """What a transfer brings onto a line."""

    work_order_number: str
    article: str
    destination: str


@dataclass(frozen=True)
class Occupancy:
    """What a line holds, as one kiosk knows it. `batch` None: known free."""

    line_code: str
    batch: Batch | None
    since: datetime | None
    observed_at: datetime


class ClearanceVerdict(StrEnum):
    CLEAR = "clear"  # known free, or holding the same work order
    CONFLICT = "conflict"  # known to hold another batch: blocked
    UNKNOWN = "unknown"  # never heard of, or too old to trust: the receiver decides


@dataclass(frozen=True)
class Clearance:
    verdict: ClearanceVerdict
    occupancy: Occupancy | None
    segregation: bool = False  # the conflict is a destination mix on a segregated line


def check_clearance(
    incoming: Batch,
    receiving_department: Department,
    occupancy: Occupancy | None,
    *,
    now: datetime,
    stale_after: timedelta | None,
) -> Clearance:
    """Line clearance for `incoming` onto a line.

    `stale_after` None means the knowledge is authoritative (the line's own kiosk).
    The same work order may keep arriving on a line that holds it; anything else
    on an occupied line is a conflict.
    """
    if occupancy is None:
        return Clearance(ClearanceVerdict.UNKNOWN, None)
    if stale_after is not None and now - occupancy.observed_at > stale_after:
        return Clearance(ClearanceVerdict.UNKNOWN, occupancy)
    held = occupancy.batch
    if held is None or held.work_order_number == incoming.work_order_number:
        return Clearance(ClearanceVerdict.CLEAR, occupancy)
    segregation = (
        receiving_department in SEGREGATED_DEPARTMENTS and held.destination != incoming.destination
    )
    return Clearance(ClearanceVerdict.CONFLICT, occupancy, segregation=segregation)


def refuse_conflict(clearance: Clearance, line_code: str) -> None:
    """Raise the refusal that names what occupies the line, when there is a conflict."""
    if clearance.verdict is not ClearanceVerdict.CONFLICT:
        return
    occupancy = clearance.occupancy
    held = occupancy.batch if occupancy is not None else None
    raise RefusalError(
        ErrorCode.LINE_SEGREGATION if clearance.segregation else ErrorCode.LINE_OCCUPIED,
        line=line_code,
        work_order=None if held is None else held.work_order_number,
        article=None if held is None else held.article,
        destination=None if held is None else held.destination,
        since=None if occupancy is None or occupancy.since is None else occupancy.since.isoformat(),
    )


@dataclass(frozen=True)
class CountPolicy:
    """Limits on quantities in a handshake; the biggest plausible batch refuses typos."""

    max_batch: int = 20_000


def sendable_quantity(good_qty: int, already_sent: int) -> int:
    """Pieces of a work order that are good and not yet locked in a transfer."""
    return max(good_qty - already_sent, 0)


def validate_send_quantity(quantity: int, sendable: int, policy: CountPolicy) -> int:
    _refuse_not_positive(quantity, "quantity")
    if quantity > policy.max_batch:
        raise RefusalError(ErrorCode.QUANTITY_ABSURD, value=quantity, limit=policy.max_batch)
    if quantity > sendable:
        raise RefusalError(ErrorCode.TRANSFER_ABOVE_SENDABLE, value=quantity, sendable=sendable)
    return quantity


def validate_count(counted: int, policy: CountPolicy) -> int:
    """A blind count: a positive number no bigger than any plausible batch."""
    _refuse_not_positive(counted, "count")
    if counted > policy.max_batch:
        raise RefusalError(ErrorCode.QUANTITY_ABSURD, value=counted, limit=policy.max_batch)
    return counted


def judge_count(sent: int, counted: int, first_count: int | None) -> TransferCommand | None:
    """What a blind count decides: a match accepts at once; a first mismatch asks for a
    recount (None); a mismatch on the recount holds the batch for a supervisor."""
    if counted == sent:
        return TransferCommand.ACCEPT
    return None if first_count is None else TransferCommand.HOLD


def check_counts(
    sent: int,
    counted: int,
    command: TransferCommand,
    first_count: int | None,
    first_counted_by: str | None,
) -> None:
    """The counts a receiver reports agree with the outcome it claims (the server's check).

    A first count that matched would have completed at once, so a recorded first count is
    a mismatch; and it names who made it. A hold without a first count is kept (kiosks
    from before the recount sent one count).
    """
    if first_count is None:
        is_consistent = first_counted_by is None
    else:
        is_consistent = bool(first_counted_by) and first_count != sent
    if not is_consistent:
        raise RefusalError(ErrorCode.TRANSFER_COUNTS_INCONSISTENT, field="first_count")
    matched = counted == sent
    if matched != (command is TransferCommand.ACCEPT):
        raise RefusalError(ErrorCode.TRANSFER_COUNTS_INCONSISTENT, field="counted_qty")


def _refuse_not_positive(value: int, field: str) -> None:
    # A typed "-3" is told it cannot be negative, not that "nothing" was entered.
    if value < 0:
        raise RefusalError(ErrorCode.QUANTITY_NEGATIVE, field=field, value=value)
    if value == 0:
        raise RefusalError(ErrorCode.QUANTITY_ZERO, field=field)
