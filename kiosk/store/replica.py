"""Rows that travel between the central server and the kiosks: how each is keyed and encoded.

The server encodes a row it changed into plain JSON for its change feed; a kiosk decodes
it and upserts it into the same table. Both sides use these definitions, so a column
added to a model travels without a second list to keep in step.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import Column, Table

from kiosk.domain import sync_events as entities
from kiosk.store.models import (
    Alert,
    Base,
    KanbanCard,
    KanbanItem,
    Line,
    LineClearance,
    LineOccupancy,
    ProductionCorrectionRow,
    ProductionEntryRow,
    SiteSetting,
    SlipKey,
    Transfer,
    User,
    WorkOrder,
)
from kiosk.store.types import UtcDateTime

_T = TypeVar("_T")

# Extra fields a row carries beside its table's columns.
USER_LINE_IDS = "line_ids"  # a user's lines (user_line rows)
OCCUPANCY_LINE_CODE = "line_code"  # the occupancy's key: its line, by code


@dataclass(frozen=True)
class ReplicatedEntity:
    """One kind of replicated row.

    `conflict_columns` is what an upsert matches on (a transfer by its slip: the receiver
    may have its own id for it); `keep_local` columns are never overwritten by a pull;
    `keep_pending` columns keep their local value while the pulled row has none and has
    nothing in the column named beside them either (nothing decided centrally yet);
    `insert_defaults` fill them when the row is new here. `rank` puts parents first.
    """

    name: str
    table: Table
    key_field: str
    conflict_columns: tuple[str, ...]
    rank: int
    keep_local: frozenset[str] = field(default_factory=frozenset)
    keep_pending: Mapping[str, str] = field(default_factory=dict)
    insert_defaults: Mapping[str, Any] = field(default_factory=dict)
    extra_fields: tuple[str, ...] = ()

    def key_of(self, data: Mapping[str, Any]) -> str:
        return str(data[self.key_field])

    @property
    def update_columns(self) -> list[str]:
        skip = set(self.conflict_columns) | self.keep_local
        return [column.name for column in self.table.columns if column.name not in skip]

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        """The table's column names in order, read once (a push publishes a thousand rows)."""
        return tuple(column.name for column in self.table.columns)

    @cached_property
    def codecs(self) -> tuple[_ColumnCodec, ...]:
        """How each column is read from JSON, worked out once (rows come by the thousand)."""
        return tuple(_codec(column, self.insert_defaults) for column in self.table.columns)


def _entity(
    name: str, model: type[Base], key_field: str, rank: int, **options: Any
) -> ReplicatedEntity:
    table = model.__table__
    assert isinstance(table, Table)
    conflict = options.pop("conflict_columns", (key_field,))
    return ReplicatedEntity(name, table, key_field, tuple(conflict), rank, **options)


ENTITIES: dict[str, ReplicatedEntity] = {
    entity.name: entity
    for entity in (
        _entity(entities.SITE_SETTING, SiteSetting, "key", 0),
        _entity(entities.SLIP_KEY, SlipKey, "key_id", 0),
        _entity(entities.LINE, Line, "id", 1),
        _entity(entities.KANBAN_ITEM, KanbanItem, "code", 1),
        _entity(
            entities.USER,
            User,
            "id",
            2,
            keep_local=frozenset({"failed_pin_count", "last_wrong_pin_at"}),
            insert_defaults={"failed_pin_count": 0, "last_wrong_pin_at": None},
            extra_fields=(USER_LINE_IDS,),
        ),
        _entity(entities.WORK_ORDER, WorkOrder, "id", 3),
        _entity(entities.PRODUCTION_ENTRY, ProductionEntryRow, "id", 4),
        _entity(entities.PRODUCTION_CORRECTION, ProductionCorrectionRow, "id", 5),
        _entity(
            entities.TRANSFER,
            Transfer,
            "slip_id",
            3,
            keep_local=frozenset({"id", "origin", "printed_count"}),
            # The receiver's first count waits here for the recount: a copy of the transfer
            # pulled meanwhile (not counted yet centrally) must not erase it.
            keep_pending={"first_counted_qty": "counted_qty", "first_counted_by": "counted_qty"},
            insert_defaults={"printed_count": 0},
        ),
        _entity(
            entities.LINE_OCCUPANCY,
            LineOccupancy,
            OCCUPANCY_LINE_CODE,
            3,
            conflict_columns=("line_id",),
            extra_fields=(OCCUPANCY_LINE_CODE,),
        ),
        _entity(entities.LINE_CLEARANCE, LineClearance, "id", 3),
        _entity(entities.ALERT, Alert, "id", 3),
        _entity(entities.KANBAN_CARD, KanbanCard, "id", 3),
    )
}


_BY_TABLE = {entity.table.name: entity for entity in ENTITIES.values()}


def entity_of(model_or_table_name: str) -> ReplicatedEntity | None:
    """The replicated entity stored in a table, by table name."""
    return _BY_TABLE.get(model_or_table_name)


# ---------------------------------------------------------------------------------- encoding
_JSON_AS_IS = frozenset({str, int, bool, float, type(None)})


def encode_value(value: Any) -> Any:
    """A column value as JSON: UUIDs and times as text, enums by value."""
    if type(value) in _JSON_AS_IS:  # most columns: the fast way out
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def encode_row(entity: ReplicatedEntity, values: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """A row (column name -> Python value) as the JSON object the feed carries."""
    data = {name: encode_value(values[name]) for name in entity.column_names if name in values}
    for name in entity.extra_fields:
        if name in extra:
            value = extra[name]
            data[name] = (
                [encode_value(item) for item in value] if isinstance(value, list) else value
            )
    return data


def encode_object(entity: ReplicatedEntity, row: Base, **extra: Any) -> dict[str, Any]:
    return encode_row(
        entity, {codec.name: getattr(row, codec.key) for codec in entity.codecs}, **extra
    )


# ---------------------------------------------------------------------------------- decoding
class ReplicaError(ValueError):
    """A pulled row cannot be stored: the server sent something this kiosk cannot read."""


_MISSING = object()


@dataclass(frozen=True)
class _ColumnCodec:
    """One column as the feed carries it: its names, and how a JSON value becomes its value."""

    name: str
    key: str  # the attribute a model row keeps it in
    decode: Callable[[Any], Any] | None  # None: the JSON value is the value
    problem: str  # what a value that cannot be decoded is, for the error
    errors: tuple[type[Exception], ...]
    absent: Any  # the value when the JSON object lacks the column; _MISSING: an error


def _codec(column: Column[Any], insert_defaults: Mapping[str, Any]) -> _ColumnCodec:
    if column.name in insert_defaults:
        absent = insert_defaults[column.name]
    else:
        absent = None if column.nullable else _MISSING
    decode: Callable[[Any], Any] | None = None
    problem = "is not valid"
    errors: tuple[type[Exception], ...] = (ValueError,)
    kind = column.type
    if isinstance(kind, UtcDateTime):
        decode, problem, errors = datetime.fromisoformat, "is not a time", (TypeError, ValueError)
    else:
        try:
            python_type = kind.python_type
        except NotImplementedError:
            python_type = None
        if python_type is uuid.UUID:
            decode = _as_uuid
        elif isinstance(python_type, type) and issubclass(python_type, enum.Enum):
            decode = python_type
    return _ColumnCodec(column.name, column.key, decode, problem, errors, absent)


def _as_uuid(value: Any) -> uuid.UUID:
    return uuid.UUID(str(value))


def decode_row(entity: ReplicatedEntity, data: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object as column values for an upsert; every column present (defaults filled)."""
    values: dict[str, Any] = {}
    for codec in entity.codecs:
        value = data.get(codec.name, _MISSING)
        if value is _MISSING:
            if codec.absent is _MISSING:
                raise ReplicaError(f"{entity.name} row without {codec.name}")
            values[codec.name] = codec.absent
        elif value is None or codec.decode is None:
            values[codec.name] = value
        else:
            try:
                values[codec.name] = codec.decode(value)
            except codec.errors as error:
                raise ReplicaError(f"{codec.name}: {value!r} {codec.problem}") from error
    return values


def by_rank(changes: Iterable[tuple[str, _T]]) -> list[tuple[str, _T]]:
    """(entity, data) pairs with parents first; the order within an entity is kept."""
    return sorted(changes, key=lambda pair: ENTITIES[pair[0]].rank)
