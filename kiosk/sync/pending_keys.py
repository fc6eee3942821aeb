"""Which rows this kiosk has unanswered changes to: a pulled row for them waits its turn.

A pulled page must not overwrite a row the kiosk changed and the server has not yet
answered; these keep, per waiting event, the rows it touches.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping

from sqlalchemy.orm import Session

from kiosk.domain.events import touched_keys
from kiosk.domain.sync_events import EntityKey
from kiosk.store.models import OutboxEvent

# How SQLAlchemy's JSON type reads a stored payload, without its per-row processing.
_loads = json.JSONDecoder().decode
_TABLE = OutboxEvent.__tablename__
_WAITING = f"SELECT id FROM {_TABLE} WHERE acked_at IS NULL"
_PAYLOADS = f"SELECT id, kind, payload FROM {_TABLE} WHERE id IN ({{}})"


class PendingKeys:
    """The rows this kiosk has unanswered changes to: `(entity, key) in pending`.

    Answered from an index of each waiting event's rows, so a pulled page asks only
    about its own rows instead of gathering every row every waiting event touches.
    """

    def __init__(self, by_key: Mapping[EntityKey, set[str]], waiting: frozenset[str]) -> None:
        self._by_key = by_key
        self._waiting = waiting

    def __contains__(self, key: object) -> bool:
        events = self._by_key.get(key)  # type: ignore[call-overload]
        return events is not None and not events.isdisjoint(self._waiting)

    def keys(self) -> set[EntityKey]:
        return {key for key in list(self._by_key) if key in self}


class TouchedKeys:
    """The rows each unanswered event changes, worked out once per event.

    Which events are unanswered is read from the database every time; what an event
    touches depends only on its payload, which never changes, so it is remembered by
    event id instead of re-reading every waiting payload for every pulled page.
    """

    _BATCH = 500

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_event: dict[str, frozenset[EntityKey]] = {}
        self._by_key: dict[EntityKey, set[str]] = {}

    def pending(self, session: Session) -> PendingKeys:
        # Straight on the session's sqlite3 connection (inside its transaction): this reads
        # every waiting id, thousands, for each pulled page, and row objects cost a push
        # round a tenth of its time. Ids and payloads as stored (text).
        raw = session.connection().connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        waiting = frozenset(id_ for (id_,) in raw.execute(_WAITING).fetchall())
        with self._lock:
            unknown = [item for item in waiting if item not in self._by_event]
            for start in range(0, len(unknown), self._BATCH):
                chunk = unknown[start : start + self._BATCH]
                marks = ",".join("?" * len(chunk))
                for item, kind, text in raw.execute(_PAYLOADS.format(marks), chunk):
                    self._remember(item, frozenset(touched_keys(kind, _loads(text))))
            for item in [item for item in self._by_event if item not in waiting]:
                self._forget(item)  # answered (or pruned) since
        return PendingKeys(self._by_key, waiting)

    def _remember(self, event: str, keys: frozenset[EntityKey]) -> None:
        self._by_event[event] = keys
        for key in keys:
            self._by_key.setdefault(key, set()).add(event)

    def _forget(self, event: str) -> None:
        for key in self._by_event.pop(event):
            events = self._by_key[key]
            events.discard(event)
            if not events:
                del self._by_key[key]
