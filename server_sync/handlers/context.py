"""What a handler works with: the event being applied, who sent it, and how it refuses.

A handler checks everything first and changes rows only after: a refusal raises
`EventRefusedError` before any change, so the other events of a batch are unaffected.
Payloads are read before a handler runs (`kiosk.domain.events.parse_event`): a handler
receives a typed event and checks it against central state only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.device_scope import DeviceScope, may_act_on
from kiosk.domain.errors import RefusalError
from kiosk.domain.events import Event, EventKind
from kiosk.domain.floor_rules import FloorRules
from kiosk.domain.roles import Action, Department
from kiosk.domain.sync_events import SyncResult
from kiosk.services.actor import Actor, actor_of
from kiosk.services.authz import authorize
from kiosk.store.models import Base, Line, User, WorkOrder
from server_sync.models import DEVICE_DESKTOP, Device


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


class LinesByCode:
    """The lines a batch names, by code, each read once when first asked and kept for the
    batch: a site has hundreds of lines and a push names one or two (reading them all cost
    every push of a fleet more than its events did)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._read: dict[str, Line | None] = {}

    def read(self, codes: Iterable[str]) -> None:
        """These lines (those not read yet) in one statement."""
        wanted = sorted({code for code in codes if code not in self._read})
        if not wanted:
            return
        with self._session.no_autoflush:  # a read between a handler's changes
            found = {
                line.code: line
                for line in self._session.scalars(select(Line).where(Line.code.in_(wanted)))
            }
        for code in wanted:
            self._read[code] = found.get(code)

    def get(self, code: str) -> Line | None:
        if code not in self._read:
            self.read([code])
        return self._read[code]


@dataclass
class BatchCache:
    """What a batch loaded once: the lines it names, and which new-row ids already exist.

    `loaded` keeps the rows the batch locked and the actors it read referenced: the
    session's identity map holds rows only weakly, and a row it forgot would be read
    again (after an autoflush) by every event that asks for it.
    """

    lines: LinesByCode
    existing_entries: set[uuid.UUID] = field(default_factory=set)
    loaded: list[object] = field(default_factory=list)
    new_rows: list[NewRow] = field(default_factory=list)
    # Actors found allowed on the pushing device. No pushed event changes a person's role,
    # department or lines (identity changes are online requests), so the verdict holds for
    # the batch; read once, not for each of a thousand events by the same operator.
    actors: dict[uuid.UUID, Actor] = field(default_factory=dict)
    # Work orders the batch's events named, with their line (no event moves a work order to
    # another line): found once, not in the identity map for each of a thousand counts.
    work_orders: dict[uuid.UUID, tuple[WorkOrder, Line]] = field(default_factory=dict)


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
    event: Event
    rules: FloorRules = field(default_factory=FloorRules)
    outcome_reason: str | None = None  # applied, with a note (e.g. a dispute was opened)
    outcome: SyncResult = SyncResult.APPLIED
    notes: dict[str, Any] = field(default_factory=dict)

    def actor(self) -> Actor:
        """The user who acted, as the central database knows them, and only if they may act
        on this device at all (the rule that decides who may log in there)."""
        user_id = self.event.actor_id
        if user_id is None:
            raise rejected("malformed", field="actor_id")
        known = self.cache.actors.get(user_id)
        if known is not None:
            return known
        user = self.session.get(User, user_id)
        if user is None:
            raise rejected("unknown_actor", actor_id=str(user_id))
        if not self.may_act_here(user):
            raise rejected("actor_out_of_device_scope", employee_no=user.employee_no)
        actor = self.cache.actors[user_id] = actor_of(user)
        return actor

    def person_here(self, user_id: uuid.UUID, *, department_wide: bool = False) -> User:
        """A person an event is about (locked, given a badge): only someone who may log in on
        this device, so no kiosk acts on people it does not serve. `department_wide`: or
        anyone of the device's department (a supervisor unlocks them from any of its kiosks).
        """
        user = self.session.get(User, user_id)
        if user is None:
            raise rejected("unknown_user", user_id=str(user_id))
        in_department = user.department is not None and (
            user.department.value == self.device.department
        )
        if not (self.may_act_here(user) or (department_wide and in_department)):
            raise rejected("subject_out_of_device_scope", employee_no=user.employee_no)
        return user

    def may_act_here(self, user: User) -> bool:
        return may_act_on(
            self.device_scope, user.role, user.department, [link.line_id for link in user.lines]
        )

    @property
    def device_scope(self) -> DeviceScope:
        is_desktop = self.device.kind == DEVICE_DESKTOP
        line = None if is_desktop else self.cache.lines.get(self.device.line_code or "")
        return DeviceScope(is_desktop, self.device.department, None if line is None else line.id)

    def authorize(self, actor: Actor, action: Action, line: Line | None = None) -> None:
        # Called for every pushed event: a plain try rather than the `domain_rules` context.
        try:
            if line is None:
                authorize(actor, action)
            else:
                authorize(actor, action, line_code=line.code, department=line.department)
        except RefusalError as refusal:
            raise rejected(refusal.code.value, **plain(refusal.fields)) from None

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


@contextmanager
def domain_rules() -> Iterator[None]:
    """A refusal by a shared domain rule is the event's rejection, with the rule's code."""
    try:
        yield
    except RefusalError as refusal:
        raise rejected(refusal.code.value, **plain(refusal.fields)) from None


def plain(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value if isinstance(value, int | str | None) else str(value)
        for key, value in fields.items()
    }


Handler = Callable[[EventContext, Any], None]
HANDLERS: dict[EventKind, Handler] = {}
H = TypeVar("H", bound=Handler)


def handles(*kinds: EventKind) -> Callable[[H], H]:
    """Register a handler for these kinds (it receives the parsed event)."""

    def register(function: H) -> H:
        for kind in kinds:
            HANDLERS[kind] = function
        return function

    return register
