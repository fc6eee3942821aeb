"""Checking the audit log's hash chain (`kiosk audit verify`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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


def records_of(rows: Iterable[AuditEntry]) -> Iterator[AuditRecord]:
    """Stored rows as the plain records that are hashed (and pushed to the server)."""
    for row in rows:
        yield AuditRecord(
            seq=row.seq,
            id=str(row.id),
            at=row.at,
            actor_id=None if row.actor_id is None else str(row.actor_id),
            actor_label=row.actor_label,
            action=row.action,
            outcome=row.outcome,
            entity=row.entity,
            entity_id=row.entity_id,
            details=row.details,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
