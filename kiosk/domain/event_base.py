"""The base of every sync event: its kind's wire name and how a payload is written and read.

The event classes themselves, and the one gate that parses a pushed payload, are in
kiosk.domain.events.
"""

# ruff: noqa: RUF009

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self

from kiosk.domain.event_errors import MalformedEventError, UnknownFieldError
from kiosk.domain.event_fields import opt_id, wire_fields, wire_keys, wire_readers
from kiosk.domain.sync_events import EntityKey

SUPPORTED_SCHEMA_VERSION = 1


class EventKind(StrEnum):
    """Every kind of event a kiosk sends; the string is the wire name, spelled only here."""

    PRODUCTION_RECORDED = "production.recorded"
    PRODUCTION_CORRECTED = "production.corrected"
    PRODUCTION_VOIDED = "production.voided"
    WORK_ORDER_STARTED = "work_order.started"
    WORK_ORDER_PAUSED = "work_order.paused"
    WORK_ORDER_RESUMED = "work_order.resumed"
    WORK_ORDER_COMPLETED = "work_order.completed"
    TRANSFER_PREPARED = "transfer.prepared"
    TRANSFER_ACCEPTED = "transfer.accepted"
    TRANSFER_HELD = "transfer.held"
    TRANSFER_RELEASED = "transfer.released"
    TRANSFER_REJECTED = "transfer.rejected"
    WIP_MOVED = "wip.moved"
    LINE_OCCUPANCY = "line.occupancy"
    LINE_CLEARED = "line.cleared"
    ALERT_RAISED = "alert.raised"
    ALERT_ACKNOWLEDGED = "alert.acknowledged"
    KANBAN_REQUESTED = "kanban.requested"
    KANBAN_APPROVED = "kanban.approved"
    KANBAN_REJECTED = "kanban.rejected"
    KANBAN_SHIPPED = "kanban.shipped"
    KANBAN_RECEIVED = "kanban.received"
    USER_LOCKED = "user.locked"
    USER_UNLOCKED = "user.unlocked"
    PIN_REFUSED = "pin.refused"
    BADGE_ENROLLED = "badge.enrolled"
    BADGE_UNBOUND = "badge.unbound"
    SESSION_STARTED = "session.started"
    SESSION_ENDED = "session.ended"


# ---------------------------------------------------------------------- the events
@dataclass(frozen=True, kw_only=True)
class Event:
    """One fact a kiosk sends the server. `actor_id` is stamped by the kiosk's unit of work."""

    schema_version: ClassVar[int] = SUPPORTED_SCHEMA_VERSION
    kinds: ClassVar[tuple[EventKind, ...]]
    # The replicated rows the event changes, as (entity, attribute holding the key).
    keys: ClassVar[tuple[tuple[str, str], ...]] = ()
    # The attribute naming the line whose kiosk may send it (None: decided by the handler).
    acting_attribute: ClassVar[str | None] = "line"

    kind: EventKind
    actor_id: uuid.UUID | None = opt_id()

    def __post_init__(self) -> None:
        if self.kind not in self.kinds:
            raise ValueError(f"{type(self).__name__} is not a {self.kind}")

    def to_payload(self) -> dict[str, Any]:
        """The payload as JSON values, with the keys kiosks have always sent."""
        payload: dict[str, Any] = {}
        for spec in wire_fields(type(self)):
            value = getattr(self, spec.name)
            if value is None:
                if not spec.wire.omit_none:
                    payload[spec.key] = None
            else:
                payload[spec.key] = spec.wire.write(value)
        return payload

    @classmethod
    def from_payload(cls, kind: EventKind, payload: Mapping[str, Any]) -> Self:
        """The event a payload describes, or `MalformedEventError` naming the first bad field.

        Every pushed event passes here on the server's hot path: the readers are worked
        out once per class, and the checked values fill the frozen instance directly.
        """
        if kind not in cls.kinds:
            raise ValueError(f"{cls.__name__} is not a {kind}")
        declared = wire_keys(cls)
        if not declared.issuperset(payload):
            raise UnknownFieldError(min(str(key) for key in payload if key not in declared))
        values: dict[str, Any] = {"kind": kind}
        for name, key, read, is_required, error_field in wire_readers(cls):
            raw = payload.get(key)
            if raw is None and not is_required:
                values[name] = None
                continue
            try:
                values[name] = read(raw)
            except (ValueError, TypeError, OverflowError):
                raise MalformedEventError(error_field) from None
        event = cls.__new__(cls)
        event.__dict__.update(values)  # every field is set: `kind` and the wire fields
        return event

    def touched_keys(self) -> set[EntityKey]:
        """The replicated rows this event changes, as (entity, key)."""
        return {(entity, str(value)) for entity, value in self.touched_rows()}

    def touched_rows(self) -> set[tuple[str, uuid.UUID | str]]:
        """The same rows with their keys as typed (a UUID stays a UUID): the server locks
        them by these values without writing and reading each id again."""
        found = ((entity, getattr(self, name)) for entity, name in self.keys)
        return {(entity, value) for entity, value in found if value is not None}

    def acting_line(self) -> str | None:
        """The line whose kiosk (or department) may send this event."""
        if self.acting_attribute is None:
            return None
        value = getattr(self, self.acting_attribute, None)
        return value if isinstance(value, str) else None
