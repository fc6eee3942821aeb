"""Each device's audit chain, anchored centrally at every push.

A push carries the kiosk's audit rows since the last row the server anchored for that
device incarnation. The server recomputes every row's hash, checks that the first row
continues from its anchor (rows it already holds must come back unchanged) and that
every new event names an audit row that names the event in turn, with the same actor.
Rows it has anchored can therefore never change unseen: a kiosk whose chain was
rewritten and re-hashed on its disk no longer continues the anchor. Such a push is
held, not applied and not rejected: a P1 alert, the events kept in `held_event`, each
answered `retry` (reason `audit_chain_broken`) until an admin accepts or rejects them
(`server-sync audit accept|reject DEVICE`).

What the chain cannot tell: rows appended after the last anchor with a correctly
recomputed chain (an attacker with the disk writing a new event and its audit row) look
like any new action. The server's own checks of each event bound what they can do.

A database restored from a backup starts a new incarnation: its chain may continue from
any row the server holds for the device (the backup's last row), not only from the
newest one, once the server has seen that device come back from a backup (its old
incarnation rewound, alerted apart); a branch under a new incarnation without that is
held like any rewritten chain.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from kiosk.domain.audit_chain import AUDIT_EVENTS, GENESIS_HASH, AuditRecord, chain_problem
from kiosk.domain.sync_events import PushedEvent
from server_sync.bulk import COPY_FROM_ROWS
from server_sync.models import DeviceAuditAnchor, DeviceAuditEntry, DeviceIncarnation, HeldEvent
from server_sync.payload_limits import OmittedPayload

CHAIN_BROKEN = "audit_chain_broken"  # the answer's reason for every held event
CHAIN_REJECTED = "audit_chain_rejected"  # held events an admin rejected
DECISION_ACCEPTED = "accepted"
DECISION_REJECTED = "rejected"
_RESEND = "the rows start after the anchor: send them again from it"


@dataclass(frozen=True)
class AuditVerdict:
    """What the push's audit chain allows: apply the events, or hold them (and why)."""

    anchored_seq: int
    held: str | None = None
    detail: str | None = None
    newly_held: bool = False  # the hold starts with this push: alert once
    resend: bool = False  # the rows start past the anchor (this server was restored): resend

    @property
    def applies(self) -> bool:
        return self.held is None and not self.resend


def check_push(
    session: Session,
    state: DeviceIncarnation,
    rows: Sequence[AuditRecord],
    fresh: Sequence[PushedEvent],
    now: datetime,
    *,
    admin_accepted: bool,
) -> AuditVerdict:
    """The verdict on a push's chain; a held push's new events are kept (see `hold_events`)."""
    if admin_accepted:
        return AuditVerdict(0)
    verdict = check_chain(
        session,
        device_id=state.device_id,
        incarnation=state.incarnation,
        rows=rows,
        fresh=fresh,
        now=now,
    )
    if verdict.held is not None:
        hold_events(
            session,
            device_id=state.device_id,
            incarnation=state.incarnation,
            fresh=fresh,
            next_seq=state.next_seq,
            now=now,
        )
    return verdict


def check_chain(
    session: Session,
    *,
    device_id: uuid.UUID,
    incarnation: uuid.UUID,
    rows: Sequence[AuditRecord],
    fresh: Sequence[PushedEvent],
    now: datetime,
) -> AuditVerdict:
    """Check the pushed rows and the new events' links; anchor the rows, or hold the push.

    Runs in the push's transaction, under its lock on the device incarnation.
    """
    anchor = _anchor(session, device_id, incarnation)
    if anchor.held_reason is not None:
        return AuditVerdict(anchor.anchored_seq, anchor.held_reason, anchor.held_detail)
    after_decision = anchor.decision is not None
    problem = chain_problem(list(rows))
    known: set[str] = set()
    if problem is None and rows:
        # Rows the server may hold already: those up to the anchor (sent again after a lost
        # answer), or all of a new incarnation's. Rows past an anchor are new but for rare
        # branches (stored with ON CONFLICT below).
        recheck = (
            rows
            if anchor.anchored_hash is None or after_decision
            else [row for row in rows if row.seq <= anchor.anchored_seq]
        )
        known = _known_hashes(session, device_id, [row.hash for row in recheck])
        if not after_decision:
            problem = _continuation_problem(session, device_id, anchor, rows, known)
        if problem is None and not after_decision and anchor.anchored_hash is None:
            problem = _fork_problem(session, device_id, incarnation, rows, known)
    if problem is None:
        problem = _link_problem(session, device_id, rows, fresh)
    if problem is _RESEND:
        return AuditVerdict(anchor.anchored_seq, resend=True)
    if problem is not None:
        anchor.held_reason = CHAIN_BROKEN
        anchor.held_detail = problem[:300]
        anchor.held_at = now
        return AuditVerdict(anchor.anchored_seq, CHAIN_BROKEN, problem, newly_held=True)
    new = [row for row in rows if row.hash not in known]
    _store(session, device_id, incarnation, new, now, chain_break=after_decision)
    last = rows[-1] if rows else None
    if last is not None and (after_decision or last.seq > anchor.anchored_seq):
        anchor.anchored_seq = last.seq
        anchor.anchored_hash = last.hash
    if after_decision and rows:
        anchor.decision = None  # the chain is anchored again from here
    return AuditVerdict(anchor.anchored_seq)


def _anchor(session: Session, device_id: uuid.UUID, incarnation: uuid.UUID) -> DeviceAuditAnchor:
    anchor = session.get(DeviceAuditAnchor, (device_id, incarnation))
    if anchor is None:
        anchor = DeviceAuditAnchor(
            device_id=device_id, incarnation=incarnation, anchored_seq=0, anchored_hash=None
        )
        session.add(anchor)
    return anchor


def _known_hashes(session: Session, device_id: uuid.UUID, hashes: list[str]) -> set[str]:
    """Which of these rows the server already holds for the device (any incarnation)."""
    if not hashes:
        return set()
    return set(
        session.scalars(
            select(DeviceAuditEntry.hash)
            .where(DeviceAuditEntry.device_id == device_id)
            .where(DeviceAuditEntry.hash.in_(hashes))
        )
    )


def _continuation_problem(
    session: Session,
    device_id: uuid.UUID,
    anchor: DeviceAuditAnchor,
    rows: Sequence[AuditRecord],
    known: set[str],
) -> str | None:
    """Why the rows do not continue what the server holds, or None."""
    if anchor.anchored_hash is None:
        return _first_link_problem(session, device_id, rows[0])
    for row in rows:
        if row.seq <= anchor.anchored_seq and row.hash not in known:
            return f"anchored row {row.seq} was changed on the device"
    first_new = next((row for row in rows if row.seq > anchor.anchored_seq), None)
    if first_new is None:
        return None
    if first_new.seq != anchor.anchored_seq + 1:
        return _RESEND
    if first_new.prev_hash != anchor.anchored_hash:
        return (
            f"row {first_new.seq} does not continue anchored row {anchor.anchored_seq}: "
            "the chain was rewritten on the device"
        )
    return None


def _first_link_problem(session: Session, device_id: uuid.UUID, first: AuditRecord) -> str | None:
    """A new incarnation (or the first push) continues from genesis or any row held."""
    if first.seq == 1 and first.prev_hash == GENESIS_HASH:
        return None
    before = session.scalar(
        select(DeviceAuditEntry.seq)
        .where(DeviceAuditEntry.device_id == device_id)
        .where(DeviceAuditEntry.hash == first.prev_hash)
    )
    if before is None or before != first.seq - 1:
        return f"row {first.seq} does not continue any row the server holds for this device"
    return None


def _fork_problem(
    session: Session,
    device_id: uuid.UUID,
    incarnation: uuid.UUID,
    rows: Sequence[AuditRecord],
    known: set[str],
) -> str | None:
    """A new incarnation that branches off rows the server holds needs a detected restore.

    A kiosk restored from a backup continues from the backup's last row, where the server
    may already hold the lost rows: that branch is expected after the server saw the
    kiosk come back (a rewound incarnation). Without that, a second branch is a rewritten
    chain sent under a new incarnation.
    """
    branch = next((row for row in rows if row.hash not in known), None)
    if branch is None:
        return None
    sibling = session.scalar(
        select(DeviceAuditEntry.seq)
        .where(DeviceAuditEntry.device_id == device_id)
        .where(DeviceAuditEntry.seq == branch.seq)
        .where(DeviceAuditEntry.prev_hash == branch.prev_hash)
        .limit(1)
    )
    if sibling is None:
        return None
    restored = session.scalar(
        select(DeviceIncarnation.incarnation)
        .where(DeviceIncarnation.device_id == device_id)
        .where(DeviceIncarnation.incarnation != incarnation)
        .where(DeviceIncarnation.rewind_alerted.is_(True))
        .limit(1)
    )
    if restored is not None:
        return None
    return (
        f"row {branch.seq} branches off the anchored chain under a new incarnation, "
        "with no restore seen: the chain was rewritten on the device"
    )


def _link_problem(
    session: Session,
    device_id: uuid.UUID,
    rows: Sequence[AuditRecord],
    fresh: Sequence[PushedEvent],
) -> str | None:
    """Why a new event has no audit row naming it, with its actor, or None."""
    links: dict[int, list[tuple[str | None, Any]]] = {
        row.seq: [(row.actor_id, row.details)] for row in rows
    }
    wanted = {event.audit_seq for event in fresh if event.audit_seq is not None} - set(links)
    if wanted:  # entries anchored by an earlier push (the event was answered `retry`)
        for stored in session.execute(
            select(DeviceAuditEntry.seq, DeviceAuditEntry.actor_id, DeviceAuditEntry.details)
            .where(DeviceAuditEntry.device_id == device_id)
            .where(DeviceAuditEntry.seq.in_(sorted(wanted)))
        ):
            actor = None if stored.actor_id is None else str(stored.actor_id)
            links.setdefault(stored.seq, []).append((actor, stored.details))
    actors: dict[str, str | None] = {}  # an actor id as sent -> as an audit row names it
    for event in fresh:
        if event.audit_seq is None:
            return f"event {event.seq} ({event.kind}) has no audit entry"
        named = [
            row_actor
            for row_actor, details in links.get(event.audit_seq, [])
            if str(event.id) in _named_events(details)
        ]
        if not named:
            return f"event {event.seq} ({event.kind}) is not named by audit row {event.audit_seq}"
        if isinstance(event.payload, OmittedPayload):
            continue  # too large to read: the event is refused for that, not the device held
        if not _same_actor(event.payload.get("actor_id"), named, actors):
            return f"event {event.seq} ({event.kind}) names another actor than its audit row"
    return None


def _named_events(details: Any) -> list[str]:
    named = details.get(AUDIT_EVENTS) if isinstance(details, Mapping) else None
    return [str(item) for item in named] if isinstance(named, list) else []


def _same_actor(value: Any, named: list[str | None], known: dict[str, str | None]) -> bool:
    """The event's actor is its audit row's (an unreadable actor id is the rules' refusal).

    `known` remembers each actor id as sent, read (a batch names the same few people).
    """
    if value is None:
        return None in named
    text = str(value)
    if text not in known:
        try:
            known[text] = str(uuid.UUID(text))
        except ValueError:
            known[text] = None
    read = known[text]
    return read is None or read in named


_COLUMNS = (
    "device_id",
    "hash",
    "incarnation",
    "seq",
    "entry_id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "outcome",
    "entity",
    "entity_id",
    "details",
    "prev_hash",
    "received_at",
    "chain_break",
)


def _store(
    session: Session,
    device_id: uuid.UUID,
    incarnation: uuid.UUID,
    rows: Sequence[AuditRecord],
    now: datetime,
    *,
    chain_break: bool,
) -> None:
    """The new rows into the central copy: a few in one INSERT … ON CONFLICT DO NOTHING
    (a push's two or three rows: a savepoint and a COPY take three round trips), many by
    COPY (a thousand rows a batch), and that INSERT again where a row is held already (a
    branch shared by two incarnations)."""
    if not rows:
        return
    # The values every row shares as COPY's text, once (not a dumper call for each row).
    device, incarnation_text, received = str(device_id), str(incarnation), now.isoformat()
    values = [
        (
            device,
            row.hash,
            incarnation_text,
            row.seq,
            row.id,
            row.at,
            row.actor_id,
            row.actor_label,
            row.action,
            row.outcome,
            row.entity,
            row.entity_id,
            _details_text(row.details),
            row.prev_hash,
            received,
            chain_break,
        )
        for row in rows
    ]
    if len(values) < COPY_FROM_ROWS:
        _insert_new(session, values)
        return
    try:
        with session.begin_nested():
            _copy(session, values)
    except IntegrityError:
        _insert_new(session, values)


def _insert_new(session: Session, values: list[tuple[Any, ...]]) -> None:
    """The rows not held yet (a row held already is left as it is)."""
    table = DeviceAuditEntry.__table__
    assert isinstance(table, Table)
    session.execute(
        pg_insert(table).on_conflict_do_nothing(),
        [dict(zip(_COLUMNS, _typed(value), strict=True)) for value in values],
    )


# json.dumps(details, ensure_ascii=False) with its encoder built once, not per row.
_details_text = json.JSONEncoder(ensure_ascii=False).encode


def _copy(session: Session, values: list[tuple[Any, ...]]) -> None:
    """COPY through psycopg's `write_row`: its C formatter escapes and joins the cells at a
    fraction of what formatting them in Python costs (measured: about half the COPY's time)."""
    statement = f"COPY device_audit_entry ({', '.join(_COLUMNS)}) FROM STDIN"
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection), "COPY needs the psycopg driver"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            write_row = copy.write_row
            for value in values:
                write_row(value)
    except psycopg.Error as error:
        raise DBAPIError.instance(statement, None, error, psycopg.Error) from error


def _typed(value: tuple[Any, ...]) -> tuple[Any, ...]:
    """A COPY row (ids, details and the time received as text) as the model's column types
    take it."""
    as_list = list(value)
    as_list[0] = uuid.UUID(as_list[0])
    as_list[2] = uuid.UUID(as_list[2])
    as_list[4] = uuid.UUID(as_list[4])
    as_list[6] = None if as_list[6] is None else uuid.UUID(as_list[6])
    as_list[12] = json.loads(as_list[12])
    as_list[14] = datetime.fromisoformat(as_list[14])
    return tuple(as_list)


def hold_events(
    session: Session,
    *,
    device_id: uuid.UUID,
    incarnation: uuid.UUID,
    fresh: Sequence[PushedEvent],
    next_seq: int,
    now: datetime,
) -> None:
    """Keep the held run of events (gap-free from `next_seq`) for the admin's decision."""
    run: list[PushedEvent] = []
    for event in sorted(fresh, key=lambda item: item.seq):
        if event.seq != next_seq + len(run):
            break
        run.append(event)
    if not run:
        return
    session.execute(
        pg_insert(HeldEvent)
        .values(
            [
                {
                    "id": event.id,
                    "device_id": device_id,
                    "incarnation": incarnation,
                    "seq": event.seq,
                    "kind": event.kind[:64],
                    "schema_version": event.schema_version,
                    "payload": event.payload,
                    "created_at": event.created_at,
                    "audit_seq": event.audit_seq,
                    "received_at": now,
                }
                for event in run
            ]
        )
        .on_conflict_do_nothing()
    )
