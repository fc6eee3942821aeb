"""Which rows this kiosk has unanswered changes to: a pulled row for them waits its turn.

A pulled page must not overwrite a row the kiosk changed and the server has not yet
answered. Only the page's own rows are asked about, and SQLite answers from the waiting
payloads' fields (`json_extract`, in C): a push round of a thousand events asks about
one work order against thousands of waiting events, and decoding every waiting payload
in Python for it cost the kiosk a tenth of its push.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sqlalchemy.orm import Session

from kiosk.domain.events import EVENT_TYPES
from kiosk.domain.sync_events import EntityKey
from kiosk.store.models import OutboxEvent


def _fields_by_entity() -> dict[str, dict[str, list[str]]]:
    """entity -> payload field naming it -> the event kinds whose payloads name it there
    (the same declaration `touched_keys` reads)."""
    fields: dict[str, dict[str, list[str]]] = {}
    for kind, event_type in EVENT_TYPES.items():
        for entity, name in event_type.keys:
            fields.setdefault(entity, {}).setdefault(name, []).append(kind.value)
    return fields


_FIELDS = _fields_by_entity()
_CHUNK = 500  # keys per statement, well under SQLite's limit on parameters


def pending_among(session: Session, keys: Iterable[EntityKey]) -> set[EntityKey]:
    """Those of `keys` that an unanswered event changes (inside the session's transaction).

    A key is the text of the payload's value, as `touched_keys` gives it.
    """
    wanted: dict[str, set[str]] = {}
    for entity, key in keys:
        if entity in _FIELDS:
            wanted.setdefault(entity, set()).add(key)
    if not wanted:
        return set()
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    found: set[EntityKey] = set()
    for entity, values in wanted.items():
        for name, kinds in _FIELDS[entity].items():
            ordered = sorted(values)
            for start in range(0, len(ordered), _CHUNK):
                chunk = ordered[start : start + _CHUNK]
                statement = _statement(len(kinds), len(chunk))
                rows = raw.execute(statement, [f"$.{name}", *kinds, f"$.{name}", *chunk])
                found.update((entity, value) for (value,) in rows)
    return found


def _statement(kinds: int, keys: int) -> str:
    value = "CAST(json_extract(payload, ?) AS TEXT)"
    return (
        f"SELECT DISTINCT {value} FROM {OutboxEvent.__tablename__} "
        f"WHERE acked_at IS NULL AND kind IN ({','.join('?' * kinds)}) "
        f"AND {value} IN ({','.join('?' * keys)})"
    )
