"""Checking the audit log's hash chain (`kiosk audit verify`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select

from kiosk.domain.audit_chain import AuditRecord, ChainReport, verify_chain
from kiosk.store.database import Database
from kiosk.store.models import AuditEntry


def verify_audit_log(database: Database, *, batch_size: int = 1000) -> ChainReport:
    """Stream the log in sequence order and report the first broken row."""
    with database.reader() as session:
        rows = session.scalars(
            select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch_size)
        )
        return verify_chain(records_of(rows))


class AuditRow(Protocol):
    """What a row of the chain holds, stored on a kiosk or received by the server."""

    @property
    def seq(self) -> int: ...
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor_id(self) -> uuid.UUID | None: ...
    @property
    def actor_label(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str | None: ...
    @property
    def details(self) -> dict[str, Any]: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


def records_of(rows: Iterable[AuditRow]) -> Iterator[AuditRecord]:
    """Rows (stored, or as a push carries them) as the plain records that are hashed."""
    for row in rows:
        yield AuditRecord(  # positional, in the fields' order: a push converts a thousand
            row.seq,
            str(row.id),
            row.at,
            None if row.actor_id is None else str(row.actor_id),
            row.actor_label,
            row.action,
            row.outcome,
            row.entity,
            row.entity_id,
            row.details,
            row.prev_hash,
            row.hash,
        )
