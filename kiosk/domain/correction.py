"""Corrections of recorded production: who may correct an entry, and what a correction may do.

One rule for kiosk and server. An entry stays on record; a correction is a new fact
that replaces its counts (a void replaces them with nothing). The person who recorded
an entry corrects it alone for a few minutes; after that, or for someone else's entry,
a supervisor of the department approves, and never their own entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.domain.approval import refuse_own_work
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.work_order import ProductionEntry, QuantityPolicy, validate_entry

# How long the person who recorded an entry may correct or void it without a second person.
CORRECTION_WINDOW = timedelta(minutes=5)
# A correction stamped this much before its entry still counts as within the window
# (two kiosks' clocks a little apart); earlier than that is not believed.
CLOCK_TOLERANCE = timedelta(seconds=30)


@dataclass(frozen=True)
class EntryState:
    """A production entry as it counts now: its own counts, or its latest correction's."""

    entry_id: uuid.UUID
    work_order_id: uuid.UUID
    user_id: uuid.UUID  # who recorded it
    recorded_at: datetime
    good: int
    reject: int
    reject_reason: str | None
    is_void: bool = False
    corrections: int = 0
    recorded_good: int = 0  # the entry's own counts, as recorded
    recorded_reject: int = 0


def corrects_alone(
    entry: EntryState,
    requester_id: uuid.UUID,
    at: datetime,
    window: timedelta = CORRECTION_WINDOW,
) -> bool:
    """Whether the requester may correct the entry without a second person: their own,
    recorded at most `window` before `at`."""
    age = at - entry.recorded_at
    return entry.user_id == requester_id and -CLOCK_TOLERANCE <= age <= window


def check_approver(approver_id: uuid.UUID, entry: EntryState) -> None:
    """Segregation of duties: the approver is not the person who recorded the entry."""
    refuse_own_work(approver_id, entry.user_id, entry_id=str(entry.entry_id))


def validate_correction(
    policy: QuantityPolicy,
    *,
    target: int,
    good_total: int,
    reject_total: int,
    entry: EntryState,
    is_void: bool,
    good: int = 0,
    reject: int = 0,
    reject_reason: str | None = None,
) -> ProductionEntry:
    """The entry's new counts, checked as a recording would be, or a refusal with a code.

    `good_total` and `reject_total` are the work order's totals including the entry as
    it counts now; no correction takes a total below zero.
    """
    if entry.is_void:
        raise RefusalError(ErrorCode.ENTRY_ALREADY_VOIDED, entry_id=str(entry.entry_id))
    if is_void:
        new = ProductionEntry(0, 0, None)
    else:
        new = validate_entry(
            policy,
            target=target,
            good_so_far=good_total - entry.good,
            reject_so_far=reject_total - entry.reject,
            good=good,
            reject=reject,
            reason=reject_reason,
        )
        reason = None if new.reason is None else new.reason.value
        if (new.good, new.reject, reason) == (entry.good, entry.reject, entry.reject_reason):
            raise RefusalError(ErrorCode.CORRECTION_UNCHANGED, good=good, reject=reject)
    for field, total in (
        ("good", good_total - entry.good + new.good),
        ("reject", reject_total - entry.reject + new.reject),
    ):
        if total < 0:
            raise RefusalError(ErrorCode.CORRECTION_NEGATIVE_TOTAL, field=field, total=total)
    return new
