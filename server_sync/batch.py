"""What a pushed batch holds: its events read into typed events, and the rows it locks.

The rows every new event of a batch will change are locked once, in a fixed order (so
two batches never deadlock), before any handler runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Uuid, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute, Session, joinedload, lazyload

from kiosk.domain.event_errors import (
    UnreadableEventError,
)
from kiosk.domain.events import (
    Event,
    EventKind,
    ProductionRecorded,
    TransferSnapshot,
    parse_event,
)
from kiosk.domain.sync_events import (
    ALERT,
    KANBAN_CARD,
    LINE_OCCUPANCY,
    TRANSFER,
    USER,
    WORK_ORDER,
    PushedEvent,
)
from kiosk.store.models import (
    Alert,
    Base,
    KanbanCard,
    LineOccupancy,
    ProductionEntryRow,
    Transfer,
    User,
    WorkOrder,
)
from server_sync.handlers import BatchCache, LinesByCode
from server_sync.payload_limits import PAYLOAD_TOO_LARGE, OmittedPayload


def _read(item: PushedEvent) -> Event | UnreadableEventError:
    """The typed event, or why it cannot be read (an unknown kind, schema or payload, or a
    payload over the size cap)."""
    if isinstance(item.payload, OmittedPayload):
        return UnreadableEventError(PAYLOAD_TOO_LARGE, limit=str(item.payload.limit))
    try:
        return parse_event(item.kind, item.schema_version, item.payload)
    except UnreadableEventError as unreadable:
        return unreadable


_LOCK_ORDER: tuple[tuple[str, type[Base], Any], ...] = (
    (WORK_ORDER, WorkOrder, WorkOrder.id),
    (TRANSFER, Transfer, Transfer.slip_id),
    (KANBAN_CARD, KanbanCard, KanbanCard.id),
    (ALERT, Alert, Alert.id),
    (USER, User, User.id),
)


_FREES_OR_HOLDS_LINE = frozenset(
    {EventKind.TRANSFER_ACCEPTED, EventKind.TRANSFER_HELD, EventKind.TRANSFER_REJECTED}
)


def _lock_keys(event: Event) -> set[tuple[str, uuid.UUID | str]]:
    """The rows the event changes, and the receiving line's occupancy a count or a
    rejection may change on the server."""
    keys = event.touched_rows()
    if isinstance(event, TransferSnapshot) and event.kind in _FREES_OR_HOLDS_LINE:
        keys.add((LINE_OCCUPANCY, event.to_line))
    return keys


def load_batch(
    session: Session, fresh: Iterable[PushedEvent], line_codes: Iterable[str] = ()
) -> tuple[BatchCache, dict[uuid.UUID, Event | UnreadableEventError]]:
    """Read the new events; lock the rows they will change (fixed order), load the actors
    and `line_codes` (the device's own line; any other line is read when an event asks)."""
    readings = {item.id: _read(item) for item in fresh}
    keys: set[tuple[str, uuid.UUID | str]] = set()
    actors: set[uuid.UUID] = set()
    entries: set[uuid.UUID] = set()
    for pushed in readings.values():
        if not isinstance(pushed, Event):
            continue  # answered `rejected` without being applied
        keys |= _lock_keys(pushed)
        if pushed.actor_id is not None:
            actors.add(pushed.actor_id)
        if isinstance(pushed, ProductionRecorded):
            entries.add(pushed.entry_id)
    codes = sorted({str(key) for name, key in keys if name == LINE_OCCUPANCY})
    cache = BatchCache(LinesByCode(session))
    # Every line the events name, in one statement: a batch naming hundreds of made-up
    # lines costs one read, not one for each.
    cache.lines.read([*line_codes, *codes, *_named_lines(readings.values())])
    for entity, model, column in _LOCK_ORDER:
        wanted = {key for name, key in keys if name == entity}
        values: list[Any]
        if column.type.python_type is uuid.UUID:
            values = sorted(filter(None, map(_as_uuid, wanted)))
        else:
            values = sorted(str(key) for key in wanted)
        if values:
            cache.loaded += session.scalars(
                select(model)
                .options(lazyload("*"))  # no outer joins: FOR UPDATE cannot lock their null side
                .where(column.in_(values))
                .order_by(column)
                .with_for_update(of=model)
            ).all()
    line_ids = [line.id for code in codes if (line := cache.lines.get(code)) is not None]
    if line_ids:
        cache.loaded += session.scalars(
            select(LineOccupancy)
            .options(lazyload("*"))
            .where(LineOccupancy.line_id.in_(line_ids))
            .order_by(LineOccupancy.line_id)
            .with_for_update()
        ).all()
    if actors:  # with their lines in the same statement (the authority check reads them)
        cache.loaded += (
            session.scalars(
                select(User).options(joinedload(User.lines)).where(among_ids(User.id, actors))
            )
            .unique()
            .all()
        )
    if entries:
        cache.existing_entries = set(
            session.scalars(
                select(ProductionEntryRow.id).where(among_ids(ProductionEntryRow.id, entries))
            )
        )
    return cache, readings


_LINE_FIELDS = ("line", "from_line", "to_line")


def _named_lines(readings: Iterable[Event | UnreadableEventError]) -> set[str]:
    return {
        code
        for event in readings
        if isinstance(event, Event)
        for field in _LINE_FIELDS
        if isinstance(code := getattr(event, field, None), str)
    }


def among_ids(
    column: QueryableAttribute[uuid.UUID], ids: Iterable[uuid.UUID]
) -> ColumnElement[bool]:
    """`column = ANY(:ids)`: one array parameter, however many ids a batch has (an IN list
    of 500 parameters costs more to send and plan, and its statement differs by length)."""
    return column == any_(bindparam(None, list(ids), type_=ARRAY(Uuid())))


def _as_uuid(value: object) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None
