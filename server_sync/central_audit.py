"""The central audit: what the server itself changed (integration API, admin commands)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from kiosk.domain.ids import new_id
from server_sync.bulk import insert_rows
from server_sync.models import CentralAuditEntry


def record(  # noqa: PLR0917  (one audit row's fields, in their order)
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_key: str | None,
    details: dict[str, Any],
) -> None:
    """One audit row, in the caller's transaction."""
    record_many(session, at, actor, [(action, entity, entity_key, details)])


def record_many(
    session: Session,
    at: datetime,
    actor: str,
    entries: Iterable[tuple[str, str, str | None, dict[str, Any]]],
) -> int:
    """Many rows in one statement (an import's changes); how many."""
    rows = [
        {
            "id": new_id(),
            "at": at,
            "actor": actor[:100],
            "action": action,
            "entity": entity,
            "entity_key": key,
            "details": details,
        }
        for action, entity, key, details in entries
    ]
    table: Table = CentralAuditEntry.__table__  # type: ignore[assignment]
    insert_rows(session, table, rows)  # COPY for many (an import's thousands of rows)
    return len(rows)
