"""The results feed's facts: one flat, documented shape per kind, built from stored events.

A fact is what the floor did, as the server took it: the pushed event's payload read
leniently (it passed the server's checks when it was applied), with people, work orders
and lines resolved to the names and numbers an ERP knows. Every fact has every column of
`COLUMNS` (None where a kind has no such field), so JSON and CSV carry the same set.

Kinds (`kind`):
- `production.recorded`: a count. `entry_id`, `work_order`, `mo_number`, `article`,
  `good`, `reject`, `reject_reason`, `by_*` (who counted).
- `production.corrected`, `production.voided`: an entry's counts replaced or taken back
  (a new fact; the entry stays). `entry_id`, `correction_id`, `good`, `reject`,
  `reject_reason`, `reason` (the correction's), `by_*` (who asked), `approved_by_*`.
- `work_order.started|paused|resumed|completed`: `work_order`, `status` (after the step),
  `reason` (a pause's), `by_*`.
- `transfer.prepared` (sent), `transfer.accepted` / `transfer.held` (counted),
  `transfer.released` / `transfer.rejected` (a supervisor's decision on a held batch):
  `slip_id`, `work_order`, `mo_number`, `article`, `destination`, `from_line`, `to_line`,
  `sent_qty`, `counted_qty`, `counted_by_employee_no`, `first_counted_qty` and
  `first_counted_by_employee_no` (a first count that did not match, before a recount),
  `accepted_qty`, `variance` (counted minus sent), `reason` (the decision's), `by_*`
  (who prepared, counted or decided).
- `wip.moved`: an accepted handoff's pieces moved between WIP stocks: `slip_id`,
  `from_stock`, `to_stock`, `quantity`.
- `line.cleared`: a supervisor declared a line empty: `reason`, `work_order` (what it
  held), `by_*`.
- `kanban.requested|approved|rejected|shipped|received`: `card_no`, `item`, `quantity`,
  `status`, `reason` (a rejection's), `by_*`.
- `alert.raised`, `alert.acknowledged`: `alert_id`, `priority`, `alert_kind`,
  `department`, `by_*` (who raised or acknowledged it).
- `sync.refused`: an event the server answered `rejected`: `event_kind` (what the kiosk
  sent), `sync_reason` (why), `by_*` where the event named its actor.

`result` is `applied`, or `conflict` where central state disagreed (the handshake is
kept as a dispute for a supervisor, or the step was not applied: `sync_reason` says
which); `rejected` only for `sync.refused`. `at` is the device's time of the fact,
`received_at` the server's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, Uuid, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from kiosk.domain.event_base import EventKind
from kiosk.domain.sync_events import SyncResult
from kiosk.store.models import Line

REFUSED = "sync.refused"

# The floor's facts: the event kinds whose applied (or conflicting) events are facts.
FACT_EVENT_KINDS: tuple[str, ...] = tuple(
    kind.value
    for kind in (
        EventKind.PRODUCTION_RECORDED,
        EventKind.PRODUCTION_CORRECTED,
        EventKind.PRODUCTION_VOIDED,
        EventKind.WORK_ORDER_STARTED,
        EventKind.WORK_ORDER_PAUSED,
        EventKind.WORK_ORDER_RESUMED,
        EventKind.WORK_ORDER_COMPLETED,
        EventKind.TRANSFER_PREPARED,
        EventKind.TRANSFER_ACCEPTED,
        EventKind.TRANSFER_HELD,
        EventKind.TRANSFER_RELEASED,
        EventKind.TRANSFER_REJECTED,
        EventKind.WIP_MOVED,
        EventKind.LINE_CLEARED,
        EventKind.KANBAN_REQUESTED,
        EventKind.KANBAN_APPROVED,
        EventKind.KANBAN_REJECTED,
        EventKind.KANBAN_SHIPPED,
        EventKind.KANBAN_RECEIVED,
        EventKind.ALERT_RAISED,
        EventKind.ALERT_ACKNOWLEDGED,
    )
)
FACT_KINDS: tuple[str, ...] = (*FACT_EVENT_KINDS, REFUSED)
# A family names every kind it starts: `--kind transfer` is the five handoff steps.
FAMILIES: frozenset[str] = frozenset(kind.split(".", 1)[0] for kind in FACT_KINDS)

COLUMNS: tuple[str, ...] = (
    "id",
    "cursor",
    "kind",
    "at",
    "received_at",
    "line",
    "device",
    "result",
    "sync_reason",
    "by_employee_no",
    "by_name",
    "work_order",
    "mo_number",
    "article",
    "destination",
    "entry_id",
    "correction_id",
    "good",
    "reject",
    "reject_reason",
    "approved_by_employee_no",
    "approved_by_name",
    "status",
    "reason",
    "slip_id",
    "from_line",
    "to_line",
    "sent_qty",
    "counted_qty",
    "counted_by_employee_no",
    "first_counted_qty",
    "first_counted_by_employee_no",
    "accepted_qty",
    "variance",
    "from_stock",
    "to_stock",
    "card_no",
    "item",
    "quantity",
    "alert_id",
    "priority",
    "alert_kind",
    "department",
    "event_kind",
)
_EMPTY: dict[str, Any] = dict.fromkeys(COLUMNS)


class UnknownKindError(ValueError):
    """A kind filter names no kind of fact."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def expand_kinds(kinds: Iterable[str]) -> tuple[list[str], bool]:
    """(event kinds whose facts are wanted, whether refusals are): from kind or family names."""
    events: list[str] = []
    refused = False
    for name in kinds:
        matched = [kind for kind in FACT_KINDS if kind == name or kind.split(".", 1)[0] == name]
        if not matched:
            raise UnknownKindError(name)
        refused = refused or REFUSED in matched
        events += [kind for kind in matched if kind != REFUSED and kind not in events]
    return events, refused


@dataclass(frozen=True)
class StoredEvent:
    """One `applied_event` row as the results feed reads it."""

    id: str
    cursor: int
    kind: str
    payload: Mapping[str, Any]
    created_at: str  # ISO 8601 in UTC, as the query writes it
    received_at: str
    result: str
    reason: str | None
    device_name: str
    device_line: str | None


@dataclass(frozen=True)
class Person:
    employee_no: str
    name: str


@dataclass
class Lookup:
    """What a page of facts resolves: people, work orders, lines, devices, alerts.

    Keyed by an id's text as payloads carry it (`str(uuid)`): no id is parsed per fact.
    """

    people_by_id: dict[str, Person] = field(default_factory=dict)
    names_by_employee_no: dict[str, str] = field(default_factory=dict)
    work_orders: dict[str, tuple[str, str, str, str, str]] = field(
        default_factory=dict
    )  # number, mo number, article, destination, line code
    lines: dict[str, str] = field(default_factory=dict)
    alerts: dict[str, tuple[int, str, str | None, str | None]] = field(
        default_factory=dict
    )  # priority, kind, department, line code

    def person(self, value: Any) -> Person | None:
        return self.people_by_id.get(value) if isinstance(value, str) else None

    def line(self, line_id: Any) -> str | None:
        return self.lines.get(line_id) if isinstance(line_id, str) else None


_ID_KEYS = ("actor_id", "user_id", "by_user_id", "approved_by", "by")
_EMPLOYEE_KEYS = ("prepared_by", "counted_by", "first_counted_by", "decided_by", "by")


@dataclass
class _Wanted:
    user_ids: set[str] = field(default_factory=set)
    employee_nos: set[str] = field(default_factory=set)
    work_orders: set[str] = field(default_factory=set)
    alerts: set[str] = field(default_factory=set)
    lines: bool = False  # a fact names a line by its id


def _wanted(events: list[StoredEvent], lookup: Lookup) -> _Wanted:
    """What `events` refer to that `lookup` does not hold yet."""
    people: set[Any] = set()
    numbers: set[Any] = set()
    work_orders: set[Any] = set()
    alerts: set[Any] = set()
    lines = False
    for stored in events:
        get = stored.payload.get
        people.update(map(get, _ID_KEYS))
        numbers.update(map(get, _EMPLOYEE_KEYS))
        work_orders.add(get("work_order_id"))
        if stored.kind == _ACKNOWLEDGED:
            alerts.add(get("alert_id"))
        elif stored.kind == _RAISED:
            lines = True
    return _Wanted(
        user_ids=_ids(people - lookup.people_by_id.keys()),
        employee_nos={value for value in numbers if isinstance(value, str)}
        - lookup.names_by_employee_no.keys(),
        work_orders=_ids(work_orders - lookup.work_orders.keys()),
        alerts=_ids(alerts - lookup.alerts.keys()),
        lines=lines and not lookup.lines,
    )


_ACKNOWLEDGED = EventKind.ALERT_ACKNOWLEDGED.value
_RAISED = EventKind.ALERT_RAISED.value


def _ids(values: set[Any]) -> set[str]:
    """The values that are ids (each parsed once here, not per fact)."""
    return {value for value in values if isinstance(value, str) and _uuid(value) is not None}


def load_lookup(session: Session, events: list[StoredEvent], lookup: Lookup) -> None:
    """Fill `lookup` with what `events` refer to that it does not hold yet."""
    wanted = _wanted(events, lookup)
    if wanted.lines:
        lookup.lines = {
            str(line_id): code for line_id, code in session.execute(select(Line.id, Line.code))
        }
    if wanted.user_ids or wanted.employee_nos:
        ids = [uuid.UUID(value) for value in wanted.user_ids]
        for user_id, employee_no, name in session.execute(
            _PEOPLE, {"ids": ids, "numbers": list(wanted.employee_nos)}
        ):
            lookup.people_by_id[str(user_id)] = Person(employee_no, name)
            lookup.names_by_employee_no[employee_no] = name
    if wanted.work_orders:
        ids = [uuid.UUID(value) for value in wanted.work_orders]
        for row in session.execute(_WORK_ORDERS, {"ids": ids}):
            lookup.work_orders[str(row[0])] = (row[1], row[2], row[3], row[4], row[5])
    if wanted.alerts:
        ids = [uuid.UUID(value) for value in wanted.alerts]
        for alert_id, priority, kind, department, line_code in session.execute(
            _ALERTS, {"ids": ids}
        ):
            lookup.alerts[str(alert_id)] = (priority, kind, department, line_code)


_IDS = bindparam("ids", type_=ARRAY(Uuid()))
_PEOPLE = text(
    "SELECT id, employee_no, name FROM app_user WHERE id = ANY(:ids) OR employee_no = ANY(:numbers)"
).bindparams(_IDS, bindparam("numbers", type_=ARRAY(String())))
_WORK_ORDERS = text(
    "SELECT work_order.id, number, mo_number, article, destination, line.code "
    "FROM work_order JOIN line ON line.id = work_order.line_id WHERE work_order.id = ANY(:ids)"
).bindparams(_IDS)
_ALERTS = text(
    "SELECT alert.id, priority, kind, alert.department, line.code "
    "FROM alert LEFT JOIN line ON line.id = alert.line_id WHERE alert.id = ANY(:ids)"
).bindparams(_IDS)


def shape(stored: StoredEvent, lookup: Lookup) -> dict[str, Any]:
    """The fact a stored event is, with every column of `COLUMNS`."""
    payload = stored.payload
    fact = _EMPTY.copy()
    fact["id"] = stored.id
    fact["cursor"] = stored.cursor
    fact["received_at"] = stored.received_at
    fact["device"] = stored.device_name
    fact["result"] = stored.result
    fact["sync_reason"] = stored.reason
    builder = None if stored.result == _REJECTED else _BUILDERS.get(stored.kind)
    if builder is None:
        fact["kind"] = REFUSED
        fact["event_kind"] = stored.kind
        fact["line"] = _str(payload.get("line"))
        _who(fact, lookup, payload.get("actor_id"))
    else:
        fact["kind"] = stored.kind
        builder(fact, payload, lookup)
    fact["line"] = fact["line"] or stored.device_line
    fact["at"] = _device_time(fact["at"], stored.created_at)
    return fact


_REJECTED = SyncResult.REJECTED.value


# ---------------------------------------------------------------------- one builder per kind
Builder = Callable[[dict[str, Any], Mapping[str, Any], Lookup], None]


def _production(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    _work_order(fact, payload, lookup)
    fact.update(
        entry_id=payload.get("entry_id"),
        good=payload.get("good"),
        reject=payload.get("reject"),
        reject_reason=payload.get("reject_reason"),
        at=payload.get("recorded_at") or payload.get("at"),
    )
    _who(fact, lookup, payload.get("user_id") or payload.get("actor_id"))


def _correction(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    _production(fact, payload, lookup)
    fact.update(correction_id=payload.get("correction_id"), reason=payload.get("reason"))
    approver = lookup.person(payload.get("approved_by"))
    if approver is not None:
        fact.update(approved_by_employee_no=approver.employee_no, approved_by_name=approver.name)


def _work_order_step(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    _work_order(fact, payload, lookup)
    fact.update(
        status=payload.get("status"), reason=payload.get("pause_reason"), at=payload.get("at")
    )
    _who(fact, lookup, payload.get("user_id") or payload.get("actor_id"))


def _transfer(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    kind = fact["kind"]
    sent = payload.get("quantity")
    counted = payload.get("counted_qty")
    fact.update(
        slip_id=payload.get("slip_id"),
        work_order=payload.get("work_order_number"),
        mo_number=payload.get("mo_number"),
        article=payload.get("article"),
        destination=payload.get("destination"),
        from_line=payload.get("from_line"),
        to_line=payload.get("to_line"),
        line=payload.get("from_line" if kind == EventKind.TRANSFER_PREPARED else "to_line"),
        status=payload.get("status"),
        sent_qty=sent,
        counted_qty=counted,
        counted_by_employee_no=payload.get("counted_by"),
        first_counted_qty=payload.get("first_counted_qty"),
        first_counted_by_employee_no=payload.get("first_counted_by"),
        accepted_qty=payload.get("accepted_qty"),
        variance=counted - sent if isinstance(counted, int) and isinstance(sent, int) else None,
    )
    if kind == EventKind.TRANSFER_PREPARED:
        fact["at"] = payload.get("prepared_at")
        _by_employee(fact, lookup, payload.get("prepared_by"))
    elif kind in (EventKind.TRANSFER_ACCEPTED, EventKind.TRANSFER_HELD):
        fact["at"] = payload.get("counted_at")
        if kind == EventKind.TRANSFER_ACCEPTED and fact["accepted_qty"] is None:
            fact["accepted_qty"] = counted
        _by_employee(fact, lookup, payload.get("counted_by"))
    else:
        fact.update(at=payload.get("decided_at"), reason=payload.get("reason"))
        decided_by = payload.get("decided_by") or payload.get("by")
        if isinstance(decided_by, str) and decided_by:
            _by_employee(fact, lookup, decided_by)
        else:
            _who(fact, lookup, payload.get("actor_id"))


def _wip(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    fact.update(
        slip_id=payload.get("slip_id"),
        work_order=payload.get("work_order_number"),
        mo_number=payload.get("mo_number"),
        article=payload.get("article"),
        from_stock=payload.get("from"),
        to_stock=payload.get("to"),
        quantity=payload.get("quantity"),
        at=payload.get("at"),
    )
    _who(fact, lookup, payload.get("actor_id"))


def _line_cleared(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    fact.update(
        line=payload.get("line"),
        reason=payload.get("reason"),
        work_order=payload.get("previous_work_order_number"),
        at=payload.get("at"),
    )
    _who(fact, lookup, payload.get("by") or payload.get("actor_id"))


def _kanban(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    fact.update(
        card_no=payload.get("card_no"),
        line=payload.get("line"),
        item=payload.get("item"),
        quantity=payload.get("quantity"),
        status=payload.get("status"),
        reason=payload.get("reason"),
        at=payload.get("at"),
    )
    if not _who(fact, lookup, payload.get("by_user_id") or payload.get("actor_id")):
        _by_employee(fact, lookup, payload.get("by"))


def _alert_raised(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    fact.update(
        alert_id=payload.get("alert_id"),
        priority=payload.get("priority"),
        alert_kind=payload.get("kind"),
        department=payload.get("department"),
        line=lookup.line(payload.get("line_id")),
        at=payload.get("raised_at"),
    )
    _who(fact, lookup, payload.get("actor_id"))


def _alert_acknowledged(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    alert_id = payload.get("alert_id")
    fact.update(alert_id=alert_id, at=payload.get("at"))
    known = lookup.alerts.get(alert_id) if isinstance(alert_id, str) else None
    if known is not None:
        priority, alert_kind, department, line_code = known
        fact.update(
            priority=priority,
            alert_kind=alert_kind,
            department=department,
            line=line_code,
        )
    _who(fact, lookup, payload.get("by") or payload.get("actor_id"))


def _work_order(fact: dict[str, Any], payload: Mapping[str, Any], lookup: Lookup) -> None:
    work_order_id = payload.get("work_order_id")
    known = lookup.work_orders.get(work_order_id) if isinstance(work_order_id, str) else None
    if known is None:
        fact.update(work_order=payload.get("number"), line=payload.get("line"))
        return
    number, mo_number, article, destination, line_code = known
    fact.update(
        work_order=number,
        mo_number=mo_number,
        article=article,
        destination=destination,
        line=payload.get("line") or line_code,
    )


def _who(fact: dict[str, Any], lookup: Lookup, user_id: Any) -> bool:
    person = lookup.person(user_id)
    if person is None:
        return False
    fact.update(by_employee_no=person.employee_no, by_name=person.name)
    return True


def _by_employee(fact: dict[str, Any], lookup: Lookup, employee_no: Any) -> None:
    if isinstance(employee_no, str) and employee_no:
        fact.update(
            by_employee_no=employee_no, by_name=lookup.names_by_employee_no.get(employee_no)
        )


_BUILDERS: dict[str, Builder] = {
    EventKind.PRODUCTION_RECORDED.value: _production,
    EventKind.PRODUCTION_CORRECTED.value: _correction,
    EventKind.PRODUCTION_VOIDED.value: _correction,
    **{
        kind.value: _work_order_step
        for kind in (
            EventKind.WORK_ORDER_STARTED,
            EventKind.WORK_ORDER_PAUSED,
            EventKind.WORK_ORDER_RESUMED,
            EventKind.WORK_ORDER_COMPLETED,
        )
    },
    **{
        kind.value: _transfer
        for kind in (
            EventKind.TRANSFER_PREPARED,
            EventKind.TRANSFER_ACCEPTED,
            EventKind.TRANSFER_HELD,
            EventKind.TRANSFER_RELEASED,
            EventKind.TRANSFER_REJECTED,
        )
    },
    EventKind.WIP_MOVED.value: _wip,
    EventKind.LINE_CLEARED.value: _line_cleared,
    **{
        kind.value: _kanban
        for kind in (
            EventKind.KANBAN_REQUESTED,
            EventKind.KANBAN_APPROVED,
            EventKind.KANBAN_REJECTED,
            EventKind.KANBAN_SHIPPED,
            EventKind.KANBAN_RECEIVED,
        )
    },
    EventKind.ALERT_RAISED.value: _alert_raised,
    EventKind.ALERT_ACKNOWLEDGED.value: _alert_acknowledged,
}
assert set(_BUILDERS) == set(FACT_EVENT_KINDS)


def _uuid(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _device_time(value: Any, created_at: str) -> str:
    """The fact's own time as the device stamped it, in UTC (the event's time otherwise)."""
    if isinstance(value, str):
        if value.endswith("+00:00"):
            return value  # UTC already, as kiosks write it
        try:
            return _iso(datetime.fromisoformat(value))
        except ValueError:
            pass
    return created_at
