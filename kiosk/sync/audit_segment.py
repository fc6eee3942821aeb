"""What one push carries: the oldest unanswered events and the audit chain that covers them.

The server recomputes every audit row's hash and checks that the first continues from the
last row it anchored, so a row rewritten (and the chain re-hashed) on this disk is caught
at the next push. A push carries at most `AUDIT_ROWS_PER_REQUEST` rows; events whose entry
lies beyond them wait for the next request.

Events and rows travel as SQLite writes them (`json_object` over the stored text): this
runs for every batch, a thousand events and their rows, and decoding their JSON only to
encode it again cost the kiosk about a third of its push. The text is what
`PushedEvent.to_json` and `record_to_json` write; a row whose stored time is not in
SQLite's usual form is written by them instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, func, select, text, type_coerce

from kiosk.domain.sync_events import PushedEvent
from kiosk.store.database import Database
from kiosk.store.models import AuditEntry, OutboxEvent, SyncState
from kiosk.sync.messages import JsonText, WireEvent

AUDIT_ROWS_PER_REQUEST = 2000


@dataclass(frozen=True)
class AuditSegment:
    """What one push carries of the outbox and the audit chain, and how far the chain went
    when it was read."""

    events: list[WireEvent]
    rows: list[JsonText]
    head: int  # the newest audit row then: rows past the server's anchor mean another push
    until: int  # the last audit row carried (the anchor it started from, if none)

    def more_after(self, anchored_seq: int) -> bool:
        return self.head > anchored_seq


def push_segment(
    database: Database, batch_size: int, anchored_seq: int, after_seq: int = 0
) -> AuditSegment:
    """The oldest unanswered events numbered after `after_seq` (at most `batch_size`) that
    fit, and the audit rows after `anchored_seq` that cover them.

    With no events the rows go up to the head (refusals and logins are anchored too).
    """
    limit = anchored_seq + AUDIT_ROWS_PER_REQUEST
    with database.reader() as session:
        connection = session.connection()
        events = [
            WireEvent(seq, audit_seq, JsonText(wire) if plain else _event_text(session, seq))
            for seq, audit_seq, wire, plain in connection.execute(
                _EVENTS, {"limit": batch_size, "after": after_seq}
            )
        ]
        kept: list[WireEvent] = []
        for event in events:
            if event.audit_seq is not None and event.audit_seq > limit:
                break  # numbered in order: the rest are further still
            kept.append(event)
        linked = [event.audit_seq for event in kept if event.audit_seq is not None]
        head = session.scalar(select(func.max(AuditEntry.seq))) or 0
        until = max(linked) if linked else min(head, limit)
        if until <= anchored_seq:
            return AuditSegment(kept, [], head, anchored_seq)
        rows = connection.execute(_AUDIT_ROWS, {"after": anchored_seq, "until": until})
        return AuditSegment(
            kept,
            [JsonText(wire) if plain else _audit_text(session, seq) for seq, wire, plain in rows],
            head,
            until,
        )


def _uuid(column: str) -> str:
    """SQL: a stored UUID (32 hex digits, or already with dashes) as str(uuid) writes it."""
    hexa = f"replace({column}, '-', '')"
    parts = ((1, 8), (9, 4), (13, 4), (17, 4))
    return " || '-' || ".join(
        [*(f"substr({hexa}, {start}, {size})" for start, size in parts), f"substr({hexa}, 21)"]
    )


def _time(column: str) -> str:
    """SQL: a stored UtcDateTime ("YYYY-MM-DD HH:MM:SS.ffffff", UTC) as isoformat writes the
    aware time (no fraction when it is zero); NULL for any other stored form."""
    return (
        f"CASE WHEN length({column}) = 26 AND substr({column}, 11, 1) = ' ' "
        f"AND substr({column}, 20, 1) = '.' THEN substr({column}, 1, 10) || 'T' || "
        f"CASE WHEN substr({column}, 21) = '000000' THEN substr({column}, 12, 8) "
        f"ELSE substr({column}, 12) END || '+00:00' END"
    )


# Keys in `PushedEvent.to_json`'s order; the incarnation is the sync state's (one row).
_EVENTS = text(
    f"""
    SELECT e.seq, e.audit_seq,
        json_object(
            'id', {_uuid("e.id")}, 'seq', e.seq, 'kind', e.kind,
            'schema_version', e.schema_version, 'created_at', {_time("e.created_at")},
            'payload', json(e.payload), 'audit_seq', e.audit_seq
        ),
        {_time("e.created_at")} IS NOT NULL
    FROM {OutboxEvent.__tablename__} AS e
    WHERE e.acked_at IS NULL AND e.seq > :after
        AND e.incarnation = (SELECT incarnation FROM {SyncState.__tablename__} WHERE id = 1)
    ORDER BY e.seq
    LIMIT :limit
    """
)

# Keys in `record_to_json`'s order.
_AUDIT_ROWS = text(
    f"""
    SELECT a.seq,
        json_object(
            'seq', a.seq, 'id', {_uuid("a.id")}, 'at', {_time("a.at")},
            'actor_id', CASE WHEN a.actor_id IS NULL THEN NULL ELSE {_uuid("a.actor_id")} END,
            'actor_label', a.actor_label, 'action', a.action, 'outcome', a.outcome,
            'entity', a.entity, 'entity_id', a.entity_id, 'details', json(a.details),
            'prev_hash', a.prev_hash, 'hash', a.hash
        ),
        {_time("a.at")} IS NOT NULL
    FROM {AuditEntry.__tablename__} AS a
    WHERE a.seq > :after AND a.seq <= :until
    ORDER BY a.seq
    """
)

# json.dumps as the sync client sends a body, its encoder built once.
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


def _event_text(session: Any, seq: int) -> JsonText:
    """One event written by `PushedEvent.to_json` (a stored time in an unusual form)."""
    row = session.execute(
        select(
            OutboxEvent.id,
            OutboxEvent.seq,
            OutboxEvent.kind,
            OutboxEvent.schema_version,
            OutboxEvent.created_at,
            OutboxEvent.payload,
            OutboxEvent.audit_seq,
        )
        .where(OutboxEvent.acked_at.is_(None))
        .where(OutboxEvent.seq == seq)
        .where(OutboxEvent.incarnation == select(SyncState.incarnation).scalar_subquery())
    ).one()
    return JsonText(_encode(PushedEvent(*row).to_json()))


def _audit_text(session: Any, seq: int) -> JsonText:
    """One audit row written as `record_to_json` writes it (a stored time in an unusual form)."""
    row = session.execute(select(*_COLUMNS).where(AuditEntry.seq == seq)).one()
    return JsonText(_encode(_wire_row(row)))


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
    """One stored row as it travels (`record_to_json`'s shape), read from SQLite's own text."""
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
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()
