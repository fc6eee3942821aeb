"""The kiosk's side of sync in its own database: the outbox to send, answers, pulled rows.

Every change here is one SQLite transaction: the answers to a pushed batch with the
rows pulled after them and the new cursor, so a kiosk killed at any instant resumes
from a consistent point (nothing acknowledged that is not stored, no cursor ahead of
its rows).
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Column,
    CursorResult,
    Result,
    Table,
    Uuid,
    bindparam,
    case,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.domain.sync_events import (
    LINE_OCCUPANCY,
    SITE_KEY,
    TRANSFER,
    USER,
    EntityKey,
    SyncResult,
)
from kiosk.domain.transfer import ORIGIN_PREPARED, ORIGIN_SYNCED
from kiosk.store.database import Database
from kiosk.store.models import Line, OutboxEvent, SyncState, User, UserLine
from kiosk.store.replica import (
    ENTITIES,
    OCCUPANCY_LINE_CODE,
    USER_LINE_IDS,
    ReplicaError,
    ReplicatedEntity,
    by_rank,
    decode_row,
)
from kiosk.store.unit_of_work import SYSTEM_ACTOR, append_audit
from kiosk.sync.messages import AuditAnchor, Change, EventAnswer
from kiosk.sync.pending_keys import pending_among

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStateView:
    incarnation: uuid.UUID
    last_seq: int
    acked_through: int
    device_id: uuid.UUID | None
    device_kind: str | None
    line_code: str | None
    department: Department | None
    server_url: str | None
    cursor: int
    epoch: uuid.UUID | None
    high_water: int
    bootstrapped_at: datetime | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    audit_anchored_seq: int = 0
    audit_held: str | None = None

    @property
    def is_enrolled(self) -> bool:
        return self.device_id is not None


@dataclass(frozen=True)
class PageApplied:
    applied: int
    kept_local: int  # rows skipped because this kiosk has unacknowledged changes to them
    cursor: int
    entities: frozenset[str] = frozenset()  # the kinds of rows stored ("transfer", …)


SiteKeySink = Callable[[str, bytes], None]


# Built once: a round runs each of them, and building a statement costs more than its
# cached compilation does.
_PRUNE_ANSWERED = (
    delete(OutboxEvent)
    .where(OutboxEvent.acked_at.is_not(None))
    .where(OutboxEvent.acked_at < bindparam("before", type_=OutboxEvent.acked_at.type))
)
_NOTE_SUCCESS = (
    update(SyncState)
    .where(SyncState.id == 1)
    .values(
        last_attempt_at=bindparam("attempted", type_=SyncState.last_attempt_at.type),
        last_success_at=bindparam("now", type_=SyncState.last_success_at.type),
        last_error=None,
    )
)
_PENDING_COUNT = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.acked_at.is_(None))
_FIRST_OPEN = (
    select(func.min(OutboxEvent.seq))
    .where(OutboxEvent.incarnation == bindparam("incarnation", type_=Uuid))
    .where(OutboxEvent.acked_at.is_(None))
)


class SyncStore:
    """Sync's reads and writes on the local database."""

    def __init__(self, database: Database) -> None:
        self._database = database

    @property
    def database(self) -> Database:
        return self._database

    # ------------------------------------------------------------------ state
    def state(self) -> SyncStateView:
        with self._database.reader() as session:
            row = session.get(SyncState, 1)
            assert row is not None, "sync_state row missing: run the migrations"
            return _view(row)

    def enrol(
        self,
        *,
        device_id: uuid.UUID,
        device_kind: str,
        line_code: str | None,
        department: Department,
        server_url: str,
        now: datetime,
    ) -> None:
        with self._database.writer() as session:
            row = _state(session)
            row.device_id = device_id
            row.device_kind = device_kind
            row.line_code = line_code
            row.department = department
            row.server_url = server_url
            row.cursor = 0
            row.epoch = None
            row.high_water = 0
            row.bootstrapped_at = None
            row.audit_anchored_seq = 0  # a new device: its whole chain goes to the server
            row.audit_held = None
            _audit(
                session,
                row,
                "sync.enrol",
                now,
                {"line": line_code, "department": department.value, "server": server_url},
            )
            session.commit()

    def note_success(
        self,
        now: datetime,
        attempted_at: datetime | None = None,
        *,
        prune_before: datetime | None = None,
    ) -> None:
        """A round went through (`attempted_at`: when it began); answered events acked before
        `prune_before` go, kept till then to refill a restored server. One commit for both."""
        with self._database.writer() as session:
            if prune_before is not None:
                session.execute(_PRUNE_ANSWERED, {"before": prune_before})
            session.execute(_NOTE_SUCCESS, {"attempted": attempted_at or now, "now": now})
            session.commit()

    def note_error(self, now: datetime, error: str) -> None:
        self._update(last_attempt_at=now, last_error=error[:300])

    def _update(self, **values: Any) -> None:
        with self._database.writer() as session:
            session.execute(update(SyncState).where(SyncState.id == 1).values(**values))
            session.commit()

    # ------------------------------------------------------------------ outbox
    def pending_count(self) -> int:
        with self._database.reader() as session:
            return int(session.scalar(_PENDING_COUNT) or 0)

    def refused_since(self, since: datetime) -> int:
        """Events the server answered rejected or in conflict since then (shown on the strip)."""
        with self._database.reader() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(OutboxEvent)
                    .where(OutboxEvent.acked_at >= since)
                    .where(
                        OutboxEvent.result.in_(
                            [SyncResult.REJECTED.value, SyncResult.CONFLICT.value]
                        )
                    )
                )
                or 0
            )

    def start_new_incarnation(self, now: datetime, *, lost: tuple[int, int] | None) -> uuid.UUID:
        """This database was restored from a backup: its numbers are taken on the server.

        Unanswered events are renumbered 1, 2, … under a fresh incarnation (the server
        answers those it already has as duplicates, by their ids).
        """
        with self._database.writer() as session:
            row = _state(session)
            old = row.incarnation
            fresh = new_id()
            pending = session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.acked_at.is_(None))
                .order_by(OutboxEvent.created_at, OutboxEvent.seq)
            ).all()
            for number, event in enumerate(pending, start=1):
                event.incarnation = fresh
                event.seq = number
                session.flush()
            row.incarnation = fresh
            row.last_seq = len(pending)
            row.acked_through = 0
            _audit(
                session,
                row,
                "sync.new_incarnation",
                now,
                {
                    "previous": str(old),
                    "incarnation": str(fresh),
                    "renumbered": len(pending),
                    "missing_from": None if lost is None else lost[0],
                    "missing_to": None if lost is None else lost[1],
                },
            )
            session.commit()
            log.warning(
                "restored database detected: new incarnation %s, %d events renumbered",
                fresh,
                len(pending),
            )
            return fresh

    def resend_from(self, seq: int, now: datetime) -> int:
        """The server lost our events from `seq` on (it was restored): send them again.

        Returns how many could not be resent because retention had already deleted them.
        """
        with self._database.writer() as session:
            row = _state(session)
            reopened = _rowcount(
                session.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.incarnation == row.incarnation)
                    .where(OutboxEvent.seq >= seq)
                    .where(OutboxEvent.acked_at.is_not(None))
                    .values(acked_at=None, result=None, result_reason=None)
                )
            )
            kept_from = session.scalar(
                select(func.min(OutboxEvent.seq))
                .where(OutboxEvent.incarnation == row.incarnation)
                .where(OutboxEvent.seq >= seq)
            )
            missing = 0 if kept_from is None else max(kept_from - seq, 0)
            row.acked_through = min(row.acked_through, seq - 1)
            _audit(
                session,
                row,
                "sync.resend",
                now,
                {"from_seq": seq, "reopened": reopened, "missing": missing},
            )
            session.commit()
            return missing

    # ------------------------------------------------------------------ one round's answer
    def store_round(
        self,
        *,
        answers: Iterable[EventAnswer],
        changes: list[Change],
        cursor: int,
        high_water: int,
        epoch: uuid.UUID,
        now: datetime,
        line_code: str | None,
        site_keys: SiteKeySink,
        is_bootstrap_done: bool,
        audit: AuditAnchor | None = None,
    ) -> PageApplied:
        """The server's answers, the rows pulled after them, the new cursor and the audit
        anchor the server reported: one transaction (one commit for the whole round).

        Rows this kiosk still has unanswered changes to are skipped; its own version stays
        on top until the server has answered (and re-sent the row with the outcome).
        """
        final = [answer for answer in answers if answer.result.is_final]
        with _writer_without_foreign_keys(self._database) as session:
            state = _state(session)
            if final:
                _store_answers(session, final, now)
                state.acked_through = _acked_through(session, state)
            pending = pending_among(session, ((change.entity, change.key) for change in changes))
            applied, kept = _apply_changes(session, changes, pending, line_code, site_keys)
            entities = frozenset(
                change.entity for change in changes if (change.entity, change.key) not in pending
            )
            state.cursor = cursor
            state.high_water = high_water
            state.epoch = epoch
            if audit is not None:  # where the next push's audit rows start, and any hold
                state.audit_anchored_seq = audit.anchored_seq
                state.audit_held = audit.held
            if is_bootstrap_done and state.bootstrapped_at is None:
                state.bootstrapped_at = now
            session.commit()
        return PageApplied(applied=applied, kept_local=kept, cursor=cursor, entities=entities)

    def store_rows(self, changes: list[Change], line_code: str | None) -> int:
        """Rows the server answered a direct request with, stored as a pulled page's rows
        are (the cursor stays: the feed brings them again, unchanged)."""
        with _writer_without_foreign_keys(self._database) as session:
            pending = pending_among(session, ((change.entity, change.key) for change in changes))
            applied, _kept = _apply_changes(session, changes, pending, line_code, _no_keys)
            session.commit()
        return applied

    def reset_feed(self, epoch: uuid.UUID | None, now: datetime, why: str) -> None:
        """Pull everything again from the start (the server's feed was reset or restored)."""
        with self._database.writer() as session:
            state = _state(session)
            previous = state.cursor
            state.cursor = 0
            state.epoch = epoch
            state.bootstrapped_at = None
            _audit(
                session, state, "sync.rebootstrap", now, {"why": why, "previous_cursor": previous}
            )
            session.commit()


def _no_keys(name: str, key: bytes) -> None:
    """A direct request's answer carries no keys (they come with the feed)."""


def _rowcount(result: Result[Any]) -> int:
    """Rows a DML statement changed (SQLAlchemy types its result generically)."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def _audit(
    session: Session, state: SyncState, action: str, now: datetime, details: dict[str, Any]
) -> None:
    """A sync step in the kiosk's own audit log, by the kiosk, about its device."""
    append_audit(
        session,
        at=now,
        actor=SYSTEM_ACTOR,
        action=action,
        outcome="ok",
        entity="device",
        entity_id=None if state.device_id is None else str(state.device_id),
        details=details,
    )


def _view(row: SyncState) -> SyncStateView:
    return SyncStateView(
        incarnation=row.incarnation,
        last_seq=row.last_seq,
        acked_through=row.acked_through,
        device_id=row.device_id,
        device_kind=row.device_kind,
        line_code=row.line_code,
        department=row.department,
        server_url=row.server_url,
        cursor=row.cursor,
        epoch=row.epoch,
        high_water=row.high_water,
        bootstrapped_at=row.bootstrapped_at,
        last_attempt_at=row.last_attempt_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        audit_anchored_seq=row.audit_anchored_seq,
        audit_held=row.audit_held,
    )


def _state(session: Session) -> SyncState:
    row = session.get(SyncState, 1)
    assert row is not None, "sync_state row missing: run the migrations"
    return row


def _store_answers(session: Session, answers: list[EventAnswer], now: datetime) -> None:
    """One UPDATE by id, executed for each answer (a thousand a batch) by the driver: the
    values bound as the columns' types bind them, the shared time once, not per row."""
    connection = session.connection()
    outbox = cast(Table, OutboxEvent.__table__)

    def binder(column: Column[Any]) -> Callable[[Any], Any]:
        process = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        return process or (lambda value: value)

    bind_id = binder(outbox.c.id)
    acked_at = binder(outbox.c.acked_at)(now)
    connection.exec_driver_sql(
        f"UPDATE {outbox.name} SET acked_at = ?, result = ?, result_reason = ? WHERE id = ?",
        [
            (
                acked_at,
                answer.result.value,
                None if answer.reason is None else answer.reason[:200],
                bind_id(answer.event_id),
            )
            for answer in answers
        ],
    )


def _acked_through(session: Session, state: SyncState) -> int:
    """The highest number of this incarnation below which every event has its answer."""
    first_open = session.scalar(_FIRST_OPEN, {"incarnation": state.incarnation})
    return state.last_seq if first_open is None else int(first_open) - 1


class _ForeignKeysOff:
    """A write session on a connection with foreign keys off, switched back on afterwards.

    Pulled rows arrive in the server's commit order, not parent-first: a card may come
    before the user it names. The server's database keeps the references whole.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def __enter__(self) -> Session:
        self._connection = self._database.engine.connect()
        raw = self._connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction
        self._session = Session(
            bind=self._connection.execution_options(kiosk_write=True), expire_on_commit=False
        )
        return self._session

    def __exit__(self, *exc: object) -> None:
        try:
            self._session.rollback()
            self._session.close()
            raw = self._connection.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=ON")
        finally:
            self._connection.close()


def _writer_without_foreign_keys(database: Database) -> _ForeignKeysOff:
    return _ForeignKeysOff(database)


def _apply_changes(
    session: Session,
    changes: list[Change],
    pending: Container[EntityKey],
    line_code: str | None,
    site_keys: SiteKeySink,
) -> tuple[int, int]:
    applied = kept = 0
    by_entity: dict[str, list[Mapping[str, Any]]] = {}
    for change in changes:
        if (change.entity, change.key) in pending:
            kept += 1
            continue
        if change.entity == SITE_KEY:
            key = change.data.get("key")  # None: the server withdrew this key
            site_keys(change.key, b"" if key is None else base64.b64decode(str(key)))
            applied += 1
            continue
        if change.entity not in ENTITIES:
            log.warning("pulled a row of unknown kind %r: skipped", change.entity)
            continue
        by_entity.setdefault(change.entity, []).append(change.data)
    for entity_name, rows in by_rank(by_entity.items()):
        entity = ENTITIES[entity_name]
        try:
            values = [decode_row(entity, data) for data in rows]
        except ReplicaError:
            log.exception("pulled %s rows cannot be stored", entity_name)
            raise
        if entity_name == TRANSFER:
            for value in values:
                value["origin"] = (
                    ORIGIN_PREPARED if value["from_line"] == line_code else ORIGIN_SYNCED
                )
        if entity_name == USER:
            _free_moved_badges(session, values)
        if entity_name == LINE_OCCUPANCY:
            _match_occupancy_lines(session, rows, values)
        _upsert(session, entity_name, values)
        if entity_name == USER:
            _replace_user_lines(session, rows)
        applied += len(values)
    return applied, kept


def _upsert(session: Session, entity_name: str, values: list[dict[str, Any]]) -> None:
    statement = _UPSERTS.get(entity_name)
    if statement is None:  # built once per entity: a pulled page runs it for each of them
        entity = ENTITIES[entity_name]
        statement = sqlite_insert(entity.table)
        statement = _UPSERTS[entity_name] = statement.on_conflict_do_update(
            index_elements=list(entity.conflict_columns),
            set_={name: _pulled_value(entity, statement, name) for name in entity.update_columns},
        )
    session.execute(statement, values)


_UPSERTS: dict[str, SqliteInsert] = {}


def _pulled_value(entity: ReplicatedEntity, statement: SqliteInsert, name: str) -> Any:
    """What an upsert writes into `name`: the pulled value, or for a pending column the
    local one while the pulled row has neither it nor its guard column."""
    pulled = statement.excluded[name]
    guard = entity.keep_pending.get(name)
    if guard is None:
        return pulled
    local = entity.table.c[name]
    return case((statement.excluded[guard].is_(None), func.coalesce(pulled, local)), else_=pulled)


def _free_moved_badges(session: Session, values: list[dict[str, Any]]) -> None:
    """A badge that moved to another person leaves its old holder first (hashes are unique)."""
    moved = {value["badge_hash"]: value["id"] for value in values if value["badge_hash"]}
    if not moved:
        return
    holders = session.execute(
        select(User.id, User.badge_hash).where(User.badge_hash.in_(list(moved)))
    ).all()
    stale = [user_id for user_id, badge in holders if moved[badge] != user_id]
    if stale:
        session.execute(update(User).where(User.id.in_(stale)).values(badge_hash=None))


def _replace_user_lines(session: Session, rows: list[Mapping[str, Any]]) -> None:
    user_ids = [uuid.UUID(str(row["id"])) for row in rows]
    session.execute(delete(UserLine).where(UserLine.user_id.in_(user_ids)))
    links = [
        {"user_id": uuid.UUID(str(row["id"])), "line_id": uuid.UUID(str(line_id))}
        for row in rows
        for line_id in row.get(USER_LINE_IDS) or ()
    ]
    if links:
        session.execute(sqlite_insert(UserLine).on_conflict_do_nothing(), links)


def _match_occupancy_lines(
    session: Session, rows: list[Mapping[str, Any]], values: list[dict[str, Any]]
) -> None:
    """Occupancy is keyed by line code on the wire; the table by the local line's id."""
    codes = {str(row[OCCUPANCY_LINE_CODE]) for row in rows}
    ids = dict(session.execute(select(Line.code, Line.id).where(Line.code.in_(codes))).all())
    for row, value in zip(rows, values, strict=True):
        line_id = ids.get(str(row[OCCUPANCY_LINE_CODE]))
        if line_id is not None:
            value["line_id"] = line_id


def retention_cutoff(now: datetime, days: float) -> datetime:
    return now - timedelta(days=days)
