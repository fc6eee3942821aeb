"""Plain, immutable data the services hand to the UI (never ORM objects)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.domain.roles import Department, Role
from kiosk.domain.work_order import WorkOrderCommand, WorkOrderStatus
from kiosk.services.actor import Actor


@dataclass(frozen=True)
class LineView:
    code: str
    name: str
    department: Department


@dataclass(frozen=True)
class LineStatus:
    """Work orders running and paused on a line (none of either: the line is free)."""

    running: list[str]
    paused: list[str]


@dataclass(frozen=True)
class RosterEntry:
    user_id: uuid.UUID
    employee_no: str
    name: str
    role: Role
    is_locked: bool
    # False: a person who may log in here has no PIN yet (they choose their first one).
    has_pin: bool = True


@dataclass(frozen=True)
class PinRequired:
    """A badge tap by a role that must also type a PIN: the PIN pad is next."""

    entry: RosterEntry


@dataclass(frozen=True)
class FirstPinRequired:
    """A badge tap by someone with no PIN yet: they choose one (the badge proves who they
    are to the server). `may_skip`: their role logs in by badge alone, so they need not."""

    entry: RosterEntry
    badge_uid: str
    may_skip: bool


@dataclass(frozen=True)
class BadgeHolderView:
    """A user as the badge enrolment screen lists them."""

    user_id: uuid.UUID
    employee_no: str
    name: str
    role: Role
    has_badge: bool


@dataclass(frozen=True)
class WorkOrderView:
    id: uuid.UUID
    number: str
    mo_number: str
    article: str
    destination: str
    route: str
    line_code: str
    status: WorkOrderStatus
    target_qty: int
    good_qty: int
    reject_qty: int
    sequence: int
    due_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    allowed: frozenset[WorkOrderCommand] = field(default_factory=frozenset)
    # Why it is paused now (None when it is not), and whole minutes paused per reason.
    pause_reason: str | None = None
    paused_minutes: dict[str, int] = field(default_factory=dict)

    @property
    def open_qty(self) -> int:
        return max(self.target_qty - self.good_qty, 0)


@dataclass(frozen=True)
class RecordedEntry:
    entry_id: uuid.UUID
    good: int
    reject: int
    reject_reason: str | None
    work_order: WorkOrderView


@dataclass(frozen=True)
class EntryView:
    """A production entry as the corrections list shows it: what it counts now."""

    entry_id: uuid.UUID
    work_order_id: uuid.UUID
    recorded_at: datetime
    recorded_by: str  # the person's name
    good: int
    reject: int
    reject_reason: str | None
    is_void: bool
    is_corrected: bool
    is_own: bool  # recorded by whoever is asking
    corrects_alone: bool  # the asker may correct it now without a supervisor
    recorded_good: int = 0  # the counts as first recorded (the entry stays on record)
    recorded_reject: int = 0


@dataclass(frozen=True)
class CorrectionDone:
    """A correction or void as applied: the entry now, and the work order's new totals."""

    correction_id: uuid.UUID
    entry: EntryView
    work_order: WorkOrderView
    approved_by: str | None  # the supervisor's name, None when the recorder corrected alone


@dataclass(frozen=True)
class DraftView:
    """Input typed but not confirmed when the user was logged out."""

    kind: str
    work_order_id: uuid.UUID | None
    work_order_number: str | None
    fields: dict[str, Any]
    saved_at: datetime


@dataclass(frozen=True)
class LoginResult:
    actor: Actor
    draft: DraftView | None


@dataclass(frozen=True)
class AlertView:
    id: uuid.UUID
    priority: int
    kind: str
    department: Department | None
    line_code: str | None
    fields: dict[str, Any]
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class LockedUserView:
    user_id: uuid.UUID
    employee_no: str
    name: str
    role: Role
    department: Department | None
    locked_until: datetime
    failed_pin_count: int
