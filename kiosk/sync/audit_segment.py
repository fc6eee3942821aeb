"""The audit chain a push carries: the rows since the server's anchor, up to the events' own.

The server recomputes every row's hash and checks that the first continues from the last
row it anchored, so a row rewritten (and the chain re-hashed) on this disk is caught at
the next push. A push carries at most `AUDIT_ROWS_PER_REQUEST` rows; events whose entry
lies beyond them wait for the next request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, func, select, type_coerce

from kiosk.domain.sync_events import PushedEvent
from kiosk.store.database import Database
from kiosk.store.models import AuditEntry

AUDIT_ROWS_PER_REQUEST = 2000


@dataclass(frozen=True)
class AuditSegment:
    """What one push carries of the audit chain, and how far the chain went when it was read."""

    events: list[PushedEvent]
    rows: list[dict[str, Any]]
    head: int  # the newest audit row then: rows past the server's anchor mean another push

    def more_after(self, anchored_seq: int) -> bool:
        return self.head > anchored_seq


def push_segment(database: Database, events: list[PushedEvent], anchored_seq: int) -> AuditSegment:
    """The events that fit and the audit rows after `anchored_seq` that cover them.

    With no events the rows go up to the head (refusals and logins are anchored too).
    """
    limit = anchored_seq + AUDIT_ROWS_PER_REQUEST
    kept: list[PushedEvent] = []
    for event in events:
        if event.audit_seq is not None and event.audit_seq > limit:
            break  # numbered in order: the rest are further still
        kept.append(event)
    linked = [event.audit_seq for event in kept if event.audit_seq is not None]
    with database.reader() as session:
        head = session.scalar(select(func.max(AuditEntry.seq))) or 0
        until = max(linked) if linked else min(head, limit)
        if until <= anchored_seq:
            return AuditSegment(kept, [], head)
        rows = session.execute(  # stored text, not typed values: this runs for every batch
            select(*_COLUMNS)
            .where(AuditEntry.seq > anchored_seq)
            .where(AuditEntry.seq <= until)
            .order_by(AuditEntry.seq)
        )
        return AuditSegment(kept, [_wire_row(row) for row in rows], head)


def _as_text(column: Any) -> Any:
    return type_coerce(column, String)


_COLUMNS = (
    AuditEntry.seq,
    _as_text(AuditEntry.id).label("id"),
    _as_text(AuditEntry.at).label("at"),
    _as_text(AuditEntry.actor_id).label("actor_id"),
    AuditEntry.actor_label,
    AuditEntry.action,
    AuditEntry.outcome,
    AuditEntry.entity,
    AuditEntry.entity_id,
    _as_text(AuditEntry.details).label("details"),
    AuditEntry.prev_hash,
    AuditEntry.hash,
)


def _wire_row(row: Any) -> dict[str, Any]:
    """One stored row as it travels (`record_to_json`'s shape), read from SQLite's own text:
    UUIDs as 32 hex digits, times in UTC as "YYYY-MM-DD HH:MM:SS.ffffff"."""
    return {
        "seq": row.seq,
        "id": _uuid_text(row.id),
        "at": _utc_text(row.at),
        "actor_id": None if row.actor_id is None else _uuid_text(row.actor_id),
        "actor_label": row.actor_label,
        "action": row.action,
        "outcome": row.outcome,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "details": json.loads(row.details),
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


def _uuid_text(stored: str) -> str:
    hexa = stored.replace("-", "")
    return f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}"


def _utc_text(stored: str) -> str:
    if len(stored) == 26 and stored[10] == " " and not stored.endswith(".000000"):
        # How SQLite holds every UtcDateTime: UTC, no zone, microseconds always written;
        # isoformat's text for it without parsing it (this runs for every row pushed).
        return f"{stored[:10]}T{stored[11:]}+00:00"
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()
