"""How an event's fields are read from and written to its JSON payload.

Each field of an event dataclass carries its codec as metadata: the payload key, the
check a pushed value must pass (type, size, range), and how it is written back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import Enum
from typing import Any


def jsonable(value: Any) -> Any:
    """Plain JSON types only, so a stored row (and its hash) is the same before and after."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# ---------------------------------------------------------------------- field codecs
@dataclass(frozen=True)
class Wire:
    """How one field is read from and written to the payload."""

    read: Callable[[Any], Any]  # raises ValueError (or TypeError, OverflowError)
    write: Callable[[Any], Any]
    key: str | None = None  # the payload's key, where it is not the attribute's name
    error_field: str | None = None  # the name a refusal gives (both departments: "department")
    omit_none: bool = False  # left out of the payload when None


def _text_reader(limit: int, *, allow_empty: bool) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if not isinstance(value, str) or len(value) > limit or (not value and not allow_empty):
            raise ValueError(value)
        return value

    return read


def _read_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, str):
        return uuid.UUID(value)
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _int_reader(minimum: int, maximum: int) -> Callable[[Any], int]:
    def read(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise ValueError(value)
        return value

    return read


def _read_time(value: Any) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError(value)
    parsed.astimezone(UTC)  # stored in UTC: 9999-12-31T23:59-05:00 is not a time
    return parsed


def read_mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(value)
    return value


def _same(value: Any) -> Any:
    return value


def _enum_reader(kind: type[Enum], limit: int) -> Callable[[Any], Any]:
    text = _text_reader(limit, allow_empty=False)
    return lambda value: kind(text(value))


def required(wire: Wire) -> Any:
    return field(metadata={"wire": wire, "required": True})


def optional(wire: Wire) -> Any:
    return field(default=None, metadata={"wire": wire, "required": False})


def text(limit: int = 200, *, key: str | None = None) -> Any:
    """A non-empty string of at most `limit` characters."""
    return required(Wire(_text_reader(limit, allow_empty=False), _same, key))


def opt_text(limit: int = 200, *, key: str | None = None, omit_none: bool = False) -> Any:
    return optional(Wire(_text_reader(limit, allow_empty=True), _same, key, omit_none=omit_none))


def an_id() -> Any:
    return required(Wire(_read_uuid, str))


def opt_id() -> Any:
    return optional(Wire(_read_uuid, str))


def count(minimum: int = 0, maximum: int = 10**9) -> Any:
    return required(Wire(_int_reader(minimum, maximum), _same))


def opt_count(minimum: int = 0, maximum: int = 10**9, *, omit_none: bool = False) -> Any:
    return optional(Wire(_int_reader(minimum, maximum), _same, omit_none=omit_none))


def time() -> Any:
    """An ISO 8601 time with its zone."""
    return required(Wire(_read_time, datetime.isoformat))


def opt_time() -> Any:
    return optional(Wire(_read_time, datetime.isoformat))


def member(kind: type[Enum], limit: int, *, error_field: str | None = None) -> Any:
    return required(Wire(_enum_reader(kind, limit), _value, error_field=error_field))


def opt_member(
    kind: type[Enum], limit: int, *, error_field: str | None = None, omit_none: bool = False
) -> Any:
    return optional(
        Wire(_enum_reader(kind, limit), _value, error_field=error_field, omit_none=omit_none)
    )


def _value(value: Enum) -> Any:
    return value.value


@dataclass(frozen=True)
class Spec:
    name: str
    key: str
    wire: Wire
    required: bool


_SPECS: dict[type, tuple[Spec, ...]] = {}


def wire_fields(cls: type) -> tuple[Spec, ...]:
    """The payload fields of an event class in wire order (worked out once per class)."""
    specs = _SPECS.get(cls)
    if specs is None:
        specs = tuple(
            Spec(
                item.name,
                item.metadata["wire"].key or item.name,
                item.metadata["wire"],
                item.metadata["required"],
            )
            for item in fields(cls)
            if "wire" in item.metadata
        )
        # The actor comes first: ActionTx.emit has always put it there.
        specs = tuple(sorted(specs, key=lambda spec: spec.name != "actor_id"))
        _SPECS[cls] = specs
    return specs


# (attribute, payload key, reader, is required, the field a refusal names)
Reader = tuple[str, str, Callable[[Any], Any], bool, str]
_READERS: dict[type, tuple[Reader, ...]] = {}


def wire_readers(cls: type) -> tuple[Reader, ...]:
    """The payload fields of an event class as plain tuples, for reading pushed events fast."""
    readers = _READERS.get(cls)
    if readers is None:
        readers = tuple(
            (spec.name, spec.key, spec.wire.read, spec.required, spec.wire.error_field or spec.key)
            for spec in wire_fields(cls)
        )
        _READERS[cls] = readers
    return readers


_KEYS: dict[type, frozenset[str]] = {}


def wire_keys(cls: type) -> frozenset[str]:
    """Every payload key an event class declares: any other key is refused."""
    keys = _KEYS.get(cls)
    if keys is None:
        keys = _KEYS[cls] = frozenset(spec.key for spec in wire_fields(cls))
    return keys
