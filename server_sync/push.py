"""A pushed batch: each event recorded by id and applied in the same PostgreSQL transaction.

Numbers must arrive gap-free per device incarnation. A repeated event (same id) gets its
stored answer back and changes nothing; an event after a missing number is answered
`retry`; a number already taken by another event means the kiosk's database went back
in time (restored from a backup): the batch is refused with `RewoundError` and the kiosk
starts a new incarnation. One bad event is answered `rejected` and the rest go on.

Fast path: the rows a batch touches are locked once (in a fixed order, so two batches
never deadlock), the handlers change them in memory, and one flush writes it all. A
bug in a handler, or a value the database refuses (a data error), rolls the batch back
and replays it with a savepoint per event: the offending event alone is `rejected`, so
no event's content can stop a line's sync.

A kiosk that claims answers the server never gave (`acked_through` beyond what it holds
for that device) is told so (`server_behind`: it sends its retained events again) and
raises one open alert per device; the site's change feed is never reset by a device,
only by an admin (`server-sync feed reset`, after restoring the central database).
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Table, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from kiosk.domain.audit_chain import AuditRecord
from kiosk.domain.event_errors import (
    UnreadableEventError,
)
from kiosk.domain.events import (
    Event,
)
from kiosk.domain.floor_rules import FloorRules
from kiosk.domain.sync_events import PushedEvent, SyncResult
from kiosk.services.alerts import P1
from kiosk.store.models import (
    Base,
    ProductionEntryRow,
)
from server_sync.audit_anchor import (
    CHAIN_BROKEN,
    CHAIN_REJECTED,
    AuditVerdict,
    check_push,
)
from server_sync.batch import among_ids, load_batch
from server_sync.bulk import insert_rows
from server_sync.device_alerts import (
    ClockReading,
    alert_refusals,
    alert_rewound,
    alert_server_behind,
    device_alert,
    note_clock,
)
from server_sync.feed import feed_row, new_row_feed, publish
from server_sync.handlers import (
    HANDLERS,
    EventContext,
    EventRefusedError,
    NewRow,
)
from server_sync.models import DEVICE_DESKTOP, AppliedEvent, Device, DeviceIncarnation
from server_sync.results import record_events

log = logging.getLogger(__name__)

REASON_DATA_ERROR = "data_error"
ALERT_AUDIT_CHAIN = "audit_chain_broken"
AUDIT_RESEND = "audit_resend"
_ATTEMPTS = 3


@dataclass(frozen=True)
class Answer:
    id: uuid.UUID
    seq: int
    result: SyncResult
    reason: str | None


@dataclass
class PushOutcome:
    answers: list[Answer]
    next_seq: int
    server_behind: bool
    published: int = 0
    results: Counter[str] = field(default_factory=Counter)
    own_entries: list[str] = field(default_factory=list)  # production entries this push added
    audit: AuditVerdict | None = None  # the anchor after this push, or why it is held


class RewoundError(Exception):
    """The kiosk sent numbers the server already holds other events for."""

    def __init__(self, missing_from: int, missing_to: int) -> None:
        super().__init__(f"events {missing_from}-{missing_to} are not in this kiosk's database")
        self.missing_from = missing_from
        self.missing_to = missing_to


class _HandlerBugError(Exception):
    """An unexpected error inside a handler: the batch is replayed event by event."""


def push(
    sessions: sessionmaker[Session],
    device: Device,
    *,
    incarnation: uuid.UUID,
    last_seq: int,
    acked_through: int,
    events: Sequence[PushedEvent],
    now: datetime,
    clock: ClockReading | None = None,
    rules: FloorRules | None = None,
    audit: Sequence[AuditRecord] = (),
    admin_accepted: bool = False,
) -> PushOutcome:
    """Apply a batch and commit; retried on a lost race, replayed safely (a savepoint per
    event) after a handler bug or a data error.

    `audit` is the device's chain since its anchor (see server_sync.audit_anchor);
    `admin_accepted` applies held events an admin accepted, without that check.
    """
    safe = False
    races = 0
    while True:
        with sessions() as session:
            try:
                outcome = _push_once(
                    session,
                    device,
                    incarnation=incarnation,
                    last_seq=last_seq,
                    acked_through=acked_through,
                    events=events,
                    now=now,
                    safe=safe,
                    clock=clock,
                    rules=rules or FloorRules(),
                    retry_races=races == 0,
                    audit=audit,
                    admin_accepted=admin_accepted,
                )
                session.commit()
                return outcome
            except RewoundError:
                session.commit()  # the alert naming the missing range stays
                raise
            except _HandlerBugError:
                session.rollback()
                log.exception("handler failed: replaying the batch one event at a time")
                safe = True
            except DBAPIError as error:  # IntegrityError too
                session.rollback()
                if _is_race(error):
                    races += 1
                    if races > _ATTEMPTS:
                        raise
                    log.info("push raced another transaction (%s); retrying", type(error).__name__)
                    # The same clash twice is an event's own doing (an id reused): one
                    # event at a time finds it, and it alone is refused.
                    safe = safe or races > 1
                    continue
                if safe:
                    raise  # not any one event's doing: the batch's own rows
                log.warning(
                    "the database refused part of a batch (%s): replaying it one event at a time",
                    str(error.orig).splitlines()[0] if error.orig else type(error).__name__,
                )
                safe = True


def _is_race(error: DBAPIError) -> bool:
    """Unique violations (two batches created the same row), deadlocks, serialization."""
    code = getattr(error.orig, "sqlstate", None)
    return code in {"23505", "40P01", "40001"}


def _push_once(
    session: Session,
    device: Device,
    *,
    incarnation: uuid.UUID,
    last_seq: int,
    acked_through: int,
    events: Sequence[PushedEvent],
    now: datetime,
    safe: bool,
    clock: ClockReading | None,
    rules: FloorRules,
    retry_races: bool = True,
    audit: Sequence[AuditRecord] = (),
    admin_accepted: bool = False,
) -> PushOutcome:
    state = _lock_incarnation(session, device.id, incarnation, now)
    ordered = sorted(events, key=lambda item: item.seq)
    known = _known_answers(session, [item.id for item in ordered])
    # Numbers the server holds other events for: from the lowest the kiosk reuses (or,
    # reusing none, from after its last one) up to the server's last, the kiosk lost them.
    reused = [item.seq for item in ordered if item.seq < state.next_seq and item.id not in known]
    if reused or last_seq < state.next_seq - 1:
        _rewound(session, device, state, missing_from=min([*reused, last_seq + 1]), now=now)
    fresh = [item for item in ordered if item.id not in known and item.seq >= state.next_seq]
    if not (
        verdict := check_push(session, state, audit, fresh, now, admin_accepted=admin_accepted)
    ).applies:
        return _not_applied(
            session,
            device,
            state,
            ordered=ordered,
            known=known,
            fresh=fresh,
            verdict=verdict,
            now=now,
        )
    lines = frozenset() if device.kind == DEVICE_DESKTOP else frozenset({device.line_code or ""})
    cache, readings = load_batch(session, fresh, lines)
    changed: list[Base] = []
    listener = _collect_changes(session, changed)
    outcome = PushOutcome(answers=[], next_seq=state.next_seq, server_behind=False, audit=verdict)
    refusals: Counter[tuple[str, str]] = Counter()
    records: list[dict[str, Any]] = []
    try:
        gap = False
        for item in ordered:
            if gap or item.seq > state.next_seq:
                gap = True
                outcome.answers.append(Answer(item.id, item.seq, SyncResult.RETRY, "gap"))
                continue
            if item.id in known:
                result, reason = known[item.id]
                outcome.answers.append(Answer(item.id, item.seq, _repeated(result, reason), reason))
                if item.seq == state.next_seq:
                    state.next_seq += 1
                continue
            context = partial(
                EventContext, session, device, lines, cache, now, item.id, rules=rules
            )
            result, reason, is_alerted = _apply(
                readings[item.id], context, item, safe, retry_races=retry_races
            )
            records.append(
                {
                    "id": item.id,
                    "device_id": device.id,
                    "incarnation": incarnation,
                    "seq": item.seq,
                    "kind": item.kind[:64],
                    "schema_version": item.schema_version,
                    "payload": item.payload,
                    "created_at": item.created_at,
                    "received_at": now,
                    "result": result.value,
                    "reason": reason,
                }
            )
            known[item.id] = (result, reason)
            state.next_seq += 1
            outcome.answers.append(Answer(item.id, item.seq, result, reason))
            outcome.results[result.value] += 1
            if is_alerted:
                refusals[(item.kind, reason or "")] += 1
        if refusals:
            alert_refusals(session, device, refusals, now)
        session.flush()
    finally:
        event.remove(session, "before_flush", listener)
    # In safe mode each event wrote its new rows inside its own savepoint.
    outcome.own_entries = _insert_new_rows(session, cache.new_rows, write=not safe)
    outcome.next_seq, outcome.server_behind = state.next_seq, acked_through >= state.next_seq
    changed += alert_server_behind(session, device, state, acked_through, now)
    if clock is not None:
        waiting = max(0, last_seq - (state.next_seq - 1))  # numbered, not answered
        changed += note_clock(session, device, clock, now, waiting=waiting)
    outcome.published = _publish(session, changed, cache.new_rows)
    # Last, under the feed's lock the publish took (held until commit): the events are
    # numbered for the results feed in commit order. Plain rows, never read back here.
    record_events(session, records)
    return outcome


def _repeated(result: SyncResult, reason: str | None) -> SyncResult:
    """A repeat is answered `duplicate`; held events an admin rejected stay `rejected`."""
    if result is SyncResult.REJECTED and reason == CHAIN_REJECTED:
        return SyncResult.REJECTED
    return SyncResult.DUPLICATE


def _not_applied(
    session: Session,
    device: Device,
    state: DeviceIncarnation,
    *,
    ordered: Sequence[PushedEvent],
    known: Mapping[uuid.UUID, tuple[SyncResult, str | None]],
    fresh: Sequence[PushedEvent],
    verdict: AuditVerdict,
    now: datetime,
) -> PushOutcome:
    """The audit chain holds the push (or asks for its rows again): nothing new is applied.

    Held events are kept for an admin's decision and answered `retry`, so the kiosk keeps
    them; the first held push raises one P1 alert for the device's department and admins.
    """
    if verdict.newly_held:
        alert = device_alert(
            session,
            device,
            priority=P1,
            kind=ALERT_AUDIT_CHAIN,
            fields={"incarnation": str(state.incarnation), "detail": verdict.detail},
            now=now,
        )
        session.flush()
        row = feed_row(session, alert)
        assert row is not None
        publish(session, [row])
        log.error("device %s: audit chain broken (%s); events held", device.id, verdict.detail)
    reason = CHAIN_BROKEN if verdict.held is not None else AUDIT_RESEND
    fresh_ids = {item.id for item in fresh}
    outcome = PushOutcome(answers=[], next_seq=state.next_seq, server_behind=False, audit=verdict)
    for item in ordered:
        if item.id in fresh_ids or item.id not in known:
            outcome.answers.append(Answer(item.id, item.seq, SyncResult.RETRY, reason))
            continue
        result, known_reason = known[item.id]
        outcome.answers.append(
            Answer(item.id, item.seq, _repeated(result, known_reason), known_reason)
        )
    outcome.results[SyncResult.RETRY.value] += len(fresh)
    return outcome


def _publish(session: Session, changed: list[Base], new_rows: list[NewRow]) -> int:
    """The final state of every row the batch wrote, numbered in the change feed."""
    rows = [row for row in (feed_row(session, obj) for obj in _unique(changed)) if row]
    audiences: dict[uuid.UUID, list[str]] = {}
    rows += [new_row_feed(session, row.model, row.values, audiences) for row in new_rows]
    return publish(session, rows)


def _insert_new_rows(session: Session, rows: list[NewRow], *, write: bool = True) -> list[str]:
    """The rows the handlers added, written in bulk per table; returns the production entries'
    ids (the pushing kiosk has them already: they are not sent back to it)."""
    # Entries first: a correction in the same batch refers to its entry.
    by_model: dict[type[Base], list[dict[str, Any]]] = {ProductionEntryRow: []}
    for row in rows:
        by_model.setdefault(row.model, []).append(row.values)
    if write:
        for model, values in by_model.items():
            if values:
                insert_rows(session, _table(model), values)
    return [str(values["id"]) for values in by_model.get(ProductionEntryRow, [])]


def _table(model: type[DeclarativeBase]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _apply(
    reading: Event | UnreadableEventError,
    context: Callable[[Event], EventContext],
    item: PushedEvent,
    safe: bool,
    *,
    retry_races: bool = True,
) -> tuple[SyncResult, str | None, bool]:
    """(result, reason, whether a refusal alert is due) for one new event."""
    if isinstance(reading, UnreadableEventError):
        return SyncResult.REJECTED, _reason(reading.reason, reading.detail), True
    ctx = context(reading)
    handler = HANDLERS[ctx.event.kind]
    new_rows = len(ctx.cache.new_rows)
    try:
        if safe:
            with ctx.session.begin_nested():
                handler(ctx, ctx.event)
                ctx.session.flush()
                _insert_new_rows(ctx.session, ctx.cache.new_rows[new_rows:])
        else:
            handler(ctx, ctx.event)
    except EventRefusedError as refused:
        del ctx.cache.new_rows[new_rows:]  # an event not applied adds nothing
        return refused.result, _reason(refused.reason, refused.detail), True
    except DBAPIError as error:
        del ctx.cache.new_rows[new_rows:]
        if not safe:
            raise _HandlerBugError(item.kind) from error
        if _is_race(error) and retry_races:
            raise  # the whole batch is tried again (once: the same clash again is the event's)
        log.warning(
            "event %s (%s) refused by the database: %s",
            item.id,
            item.kind,
            str(error.orig).splitlines()[0] if error.orig else type(error).__name__,
        )
        code = getattr(error.orig, "sqlstate", None)
        return SyncResult.REJECTED, _reason(REASON_DATA_ERROR, {"sqlstate": code}), True
    except Exception as error:
        del ctx.cache.new_rows[new_rows:]
        if not safe:
            raise _HandlerBugError(item.kind) from error
        log.exception("event %s (%s) failed on the server", item.id, item.kind)
        return SyncResult.REJECTED, "server_error", True
    return ctx.outcome, ctx.outcome_reason, False


def _reason(reason: str, detail: Mapping[str, Any]) -> str:
    if not detail:
        return reason[:200]
    details = ", ".join(f"{key}={value}" for key, value in sorted(detail.items()))
    return f"{reason}: {details}"[:200]


def _lock_incarnation(
    session: Session, device_id: uuid.UUID, incarnation: uuid.UUID, now: datetime
) -> DeviceIncarnation:
    """This incarnation's row, created on first use and locked: one batch per device at a time."""
    locked = (
        select(DeviceIncarnation)
        .where(DeviceIncarnation.device_id == device_id)
        .where(DeviceIncarnation.incarnation == incarnation)
        .with_for_update()
    )
    state = session.execute(locked).scalar_one_or_none()
    if state is not None:
        return state
    session.execute(  # the first batch: two racing ones insert it once, the other waits
        pg_insert(DeviceIncarnation)
        .values(
            device_id=device_id,
            incarnation=incarnation,
            next_seq=1,
            started_at=now,
            rewind_alerted=False,
        )
        .on_conflict_do_nothing()
    )
    return session.execute(locked).scalar_one()


def _known_answers(
    session: Session, ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[SyncResult, str | None]]:
    if not ids:
        return {}
    rows = session.execute(
        select(AppliedEvent.id, AppliedEvent.result, AppliedEvent.reason).where(
            among_ids(AppliedEvent.id, ids)
        )
    ).all()
    return {row.id: (SyncResult(row.result), row.reason) for row in rows}


def _collect_changes(session: Session, changed: list[Base]) -> Any:
    """Remember every row a flush writes, so the feed can publish its final state."""

    def before_flush(flushing: Session, _context: object, _instances: object) -> None:
        changed.extend(flushing.new)
        changed.extend(flushing.dirty)

    event.listen(session, "before_flush", before_flush)
    return before_flush


def _unique(rows: Iterable[Base]) -> list[Base]:
    seen: set[int] = set()
    unique = []
    for row in rows:
        if id(row) not in seen:
            seen.add(id(row))
            unique.append(row)
    return unique


def _rewound(
    session: Session, device: Device, state: DeviceIncarnation, *, missing_from: int, now: datetime
) -> None:
    """Alert (once) and refuse the batch: the kiosk lost the numbers up to the server's last."""
    missing_to = state.next_seq - 1
    alert_rewound(session, device, state, missing_from=missing_from, missing_to=missing_to, now=now)
    raise RewoundError(missing_from, missing_to)
