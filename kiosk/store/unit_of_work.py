"""One user action = one transaction: state change, audit entry and outbox event together.

A refused attempt rolls its transaction back and is then audited on its own, so
nothing but the audit entry of the attempt is written. The audit entry of an action
names the events it queued (`details["events"]`, inside the hash) and each event names
its audit entry (`audit_seq`): the server checks both when the chain is anchored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.domain.audit_chain import AUDIT_EVENTS, GENESIS_HASH, AuditRecord, row_hash
from kiosk.domain.clock import Clock
from kiosk.domain.errors import RefusalError
from kiosk.domain.event_fields import jsonable
from kiosk.domain.events import SUPPORTED_SCHEMA_VERSION, Event
from kiosk.domain.ids import new_id
from kiosk.store.database import Database
from kiosk.store.models import AuditEntry, OutboxEvent, SyncState

log = logging.getLogger(__name__)

OUTCOME_OK = "ok"
OUTCOME_REFUSED = "refused"


@dataclass(frozen=True)
class AuditActor:
    """Who the audit log names: a user, or the kiosk itself (`id` None)."""

    id: uuid.UUID | None
    label: str


SYSTEM_ACTOR = AuditActor(None, "kiosk")


class ActionTx:
    """The open transaction of one action, with its audit and outbox writers."""

    def __init__(self, session: Session, now: datetime, actor: AuditActor, action: str) -> None:
        self.session = session
        self.now = now
        self.actor = actor
        self.action = action
        self.attempted: dict[str, Any] = {}
        self.entity = "none"
        self.entity_id: str | None = None
        self._audits: list[tuple[str, dict[str, Any]]] = []
        self._events: list[OutboxEvent] = []
        self.emitted = 0

    def about(self, entity: str, entity_id: object | None = None, **attempted: Any) -> None:
        """Name what the action is about and what was asked, for the audit of a refusal too."""
        self.entity = entity
        self.entity_id = None if entity_id is None else str(entity_id)
        self.attempted.update(attempted)

    def audit(self, outcome: str = OUTCOME_OK, **details: Any) -> None:
        """Record the action's audit entry; written at commit, naming the events it queued."""
        self._audits.append((outcome, {**self.attempted, **details}))

    def write_audit(self) -> None:
        """Append the audit entries; the last one names (and is named by) every emitted event."""
        last = len(self._audits) - 1
        for index, (outcome, details) in enumerate(self._audits):
            append_audit(
                self.session,
                at=self.now,
                actor=self.actor,
                action=self.action,
                outcome=outcome,
                entity=self.entity,
                entity_id=self.entity_id,
                details=details,
                events=self._events if index == last else (),
            )

    def emit(self, event: Event) -> None:
        """Queue an event; it names who acted, so the server can check the same permissions."""
        self.emitted += 1
        payload = event.to_payload()
        payload["actor_id"] = None if self.actor.id is None else str(self.actor.id)
        queued = append_outbox(
            self.session,
            kind=event.kind.value,
            payload=payload,
            at=self.now,
            schema_version=event.schema_version,
        )
        self._events.append(queued)

    @property
    def is_audited(self) -> bool:
        return bool(self._audits)


class UnitOfWork:
    """Opens action transactions on the local database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock
        # Called after a commit that queued events (the sync worker sends them at once).
        self.events_committed: list[Callable[[], None]] = []

    @contextmanager
    def action(self, actor: AuditActor, action: str) -> Iterator[ActionTx]:
        """Run one action; commit state + audit + outbox together, or nothing.

        A `RefusalError` raised inside is audited in a transaction of its own and
        re-raised; any other exception leaves no trace in the database.
        """
        session = self.database.writer()
        tx = ActionTx(session, self.clock.now(), actor, action)
        try:
            yield tx
            if not tx.is_audited:
                raise RuntimeError(f"action {action} finished without an audit entry")
            tx.write_audit()
            session.commit()
        except RefusalError as refusal:
            session.rollback()
            self.audit_refusal(tx, refusal)
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        if tx.emitted:
            for listener in self.events_committed:
                listener()

    def audit_refusal(self, tx: ActionTx, refusal: RefusalError) -> None:
        self.record_refusal(
            tx.actor,
            tx.action,
            refusal,
            entity=tx.entity,
            entity_id=tx.entity_id,
            attempted=tx.attempted,
            at=tx.now,
        )

    def record_refusal(
        self,
        actor: AuditActor,
        action: str,
        refusal: RefusalError,
        *,
        entity: str,
        entity_id: str | None,
        attempted: dict[str, Any],
        at: datetime | None = None,
    ) -> None:
        """Audit a refused attempt in a transaction that writes nothing else."""
        with self.database.writer() as session:
            append_audit(
                session,
                at=at or self.clock.now(),
                actor=actor,
                action=action,
                outcome=f"{OUTCOME_REFUSED}:{refusal.code.value}",
                entity=entity,
                entity_id=entity_id,
                details={**attempted, "refusal": jsonable(refusal.fields)},
            )
            session.commit()
        log.info("refused %s by %s: %s", action, actor.label, refusal)


# Built once: every action runs them, and building a statement costs more than its
# cached compilation does.
_CHAIN_HEAD = select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
_NEXT_SEQ = (
    update(SyncState)
    .where(SyncState.id == 1)
    .values(last_seq=SyncState.last_seq + 1)
    .returning(SyncState.incarnation, SyncState.last_seq)
)


def append_audit(
    session: Session,
    *,
    at: datetime,
    actor: AuditActor,
    action: str,
    outcome: str,
    entity: str,
    entity_id: str | None,
    details: dict[str, Any],
    events: Sequence[OutboxEvent] = (),
) -> AuditEntry:
    """Append one row to the hash chain; the caller's transaction holds the write lock.

    `events` are the outbox events the action queued: the row names them (inside its hash)
    and each of them is given this row's number.
    """
    if events:
        details = {**details, AUDIT_EVENTS: [str(event.id) for event in events]}
    head = session.execute(_CHAIN_HEAD).first()
    seq, prev_hash = (1, GENESIS_HASH) if head is None else (head.seq + 1, head.hash)
    record = AuditRecord(
        seq=seq,
        id=str(new_id()),
        at=at,
        actor_id=None if actor.id is None else str(actor.id),
        actor_label=actor.label,
        action=action,
        outcome=outcome,
        entity=entity,
        entity_id=entity_id,
        details=jsonable(details),
        prev_hash=prev_hash,
    )
    entry = AuditEntry(
        seq=record.seq,
        id=uuid.UUID(record.id),
        at=record.at,
        actor_id=actor.id,
        actor_label=record.actor_label,
        action=record.action,
        outcome=record.outcome,
        entity=record.entity,
        entity_id=record.entity_id,
        details=record.details,
        prev_hash=record.prev_hash,
        hash=row_hash(record, prev_hash),
    )
    session.add(entry)
    for event in events:
        event.audit_seq = seq
    session.flush()
    return entry


def append_outbox(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    at: datetime,
    schema_version: int = SUPPORTED_SCHEMA_VERSION,
) -> OutboxEvent:
    """Queue one domain event for the server with the next gap-free sequence number.

    The number comes from the one sync_state row, inside the action's write transaction:
    numbers are never skipped or reused, whatever the outbox retention has deleted.
    """
    incarnation, seq = session.execute(_NEXT_SEQ).one()
    event = OutboxEvent(
        id=new_id(),
        incarnation=incarnation,
        seq=seq,
        kind=kind,
        schema_version=schema_version,
        payload=jsonable(payload),
        created_at=at,
        acked_at=None,
    )
    session.add(event)
    session.flush()
    return event
