"""Every event kind is declared once, reads back what it writes, and is wired end to end.

The wire payloads are those kiosks have always sent (their keys, in their order), so an
upgraded kiosk still pushes the events waiting in its outbox.
"""

from __future__ import annotations

import ast
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain.event_errors import (
    MalformedEventError,
    UnknownKindError,
    UnsupportedSchemaError,
)
from kiosk.domain.events import (
    EVENT_TYPES,
    AlertAcknowledged,
    AlertRaised,
    BadgeEnrolled,
    BadgeUnbound,
    Event,
    EventKind,
    KanbanRequested,
    KanbanStepped,
    LineCleared,
    LineOccupancyChanged,
    PinRefused,
    ProductionCorrected,
    ProductionRecorded,
    SessionEnded,
    SessionStarted,
    TransferCounted,
    TransferDecided,
    TransferPrepared,
    UserLocked,
    UserUnlocked,
    WipMoved,
    WorkOrderStepped,
    parse_event,
    touched_keys,
)
from kiosk.domain.reasons import CorrectionReason, PauseReason
from kiosk.domain.roles import Department
from kiosk.domain.work_order import RejectReason
from server_sync.handlers import HANDLERS

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 3, 2, 7, 30, 15, 123456, tzinfo=UTC)


def _id(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


_TRANSFER = {
    "transfer_id": _id(10),
    "slip_id": "TS-0001-0001",
    "site": "DEMO",
    "work_order_number": "WO-2026-004217",
    "mo_number": "MO-2026-01100",
    "article": "Teddy bear 30 cm, brown",
    "destination": "DE-Hamburg",
    "quantity": 40,
    "from_line": "CUT-L02",
    "to_line": "SEW-L03",
    "from_department": Department.CUT,
    "to_department": Department.SEW,
    "status": "PREPARED",
    "prepared_by": "E1001",
    "prepared_at": AT.replace(microsecond=0),
}
_COUNTED = {**_TRANSFER, "status": "HELD", "counted_qty": 37, "counted_by": "E2001"}
_KANBAN = {"card_id": _id(20), "card_no": "KB-ABCDEFGH", "line": "SEW-L03", "item": "THR"}


def _example(kind: EventKind) -> Event:
    """One full event of each kind, as a kiosk's service builds it."""
    actor = {"actor_id": _id(1)}
    examples: dict[EventKind, Event] = {
        EventKind.PRODUCTION_RECORDED: ProductionRecorded(
            **actor,
            entry_id=_id(2),
            work_order_id=_id(3),
            number="WO-2026-004217",
            line="CUT-L02",
            user_id=_id(1),
            good=12,
            reject=1,
            reject_reason=RejectReason.STAIN,
            recorded_at=AT,
        ),
        EventKind.TRANSFER_PREPARED: TransferPrepared(**actor, **_TRANSFER, version=1),
        EventKind.PRODUCTION_CORRECTED: ProductionCorrected(
            **actor,  # the approving supervisor
            correction_id=_id(4),
            entry_id=_id(2),
            work_order_id=_id(3),
            number="WO-2026-004217",
            line="CUT-L02",
            user_id=_id(5),
            approved_by=_id(1),
            good=10,
            reject=2,
            reject_reason=RejectReason.STAIN,
            reason=CorrectionReason.TYPING_ERROR,
            at=AT,
        ),
        EventKind.PRODUCTION_VOIDED: ProductionCorrected(
            **actor,
            kind=EventKind.PRODUCTION_VOIDED,
            correction_id=_id(4),
            entry_id=_id(2),
            work_order_id=_id(3),
            user_id=_id(1),
            good=0,
            reject=0,
            reason=CorrectionReason.COUNTED_TWICE,
            at=AT,
        ),
        EventKind.TRANSFER_ACCEPTED: TransferCounted(
            **actor,
            **_COUNTED,
            slip="TS-ABCDEFGH2345",
            kind=EventKind.TRANSFER_ACCEPTED,
            counted_at=AT,
            accepted_qty=37,
            version=2,
        ),
        EventKind.TRANSFER_HELD: TransferCounted(
            **actor,
            **_COUNTED,
            kind=EventKind.TRANSFER_HELD,
            counted_at=AT,
            version=2,
            slip="TS-ABCDEFGH2345",
        ),
        EventKind.WIP_MOVED: WipMoved(
            **actor,
            movement_id=_id(4),
            transfer_id=_id(10),
            slip_id="TS-0001-0001",
            work_order_number="WO-2026-004217",
            mo_number="MO-2026-01100",
            article="Teddy bear 30 cm, brown",
            from_stock="WIP_CUT",
            to_stock="WIP_SEW",
            quantity=37,
            at=AT,
        ),
        EventKind.LINE_OCCUPANCY: LineOccupancyChanged(
            **actor,
            line="SEW-L03",
            work_order_number="WO-2026-004217",
            article="Teddy bear 30 cm, brown",
            destination="DE-Hamburg",
            since=AT,
            at=AT,
        ),
        EventKind.LINE_CLEARED: LineCleared(
            **actor,
            clearance_id=_id(5),
            line="SEW-L03",
            by=_id(1),
            at=AT,
            reason="end of shift",
            previous_work_order_number=None,
        ),
        EventKind.ALERT_RAISED: AlertRaised(
            **actor,
            alert_id=_id(6),
            priority=2,
            alert_kind="quantity_mismatch",
            department=Department.SEW,
            line_id=_id(7),
            subject_user_id=None,
            fields={"line": "SEW-L03", "sent": 40, "counted": 37},
            raised_at=AT,
        ),
        EventKind.ALERT_ACKNOWLEDGED: AlertAcknowledged(**actor, alert_id=_id(6), by=_id(1), at=AT),
        EventKind.KANBAN_REQUESTED: KanbanRequested(
            **actor,
            **_KANBAN,
            quantity=10,
            status="REQUESTED",
            by="E2001",
            by_user_id=_id(1),
            at=AT,
            version=1,
        ),
        EventKind.USER_LOCKED: UserLocked(**actor, user_id=_id(8), until=AT, line="CUT-L02"),
        EventKind.USER_UNLOCKED: UserUnlocked(**actor, user_id=_id(8), by=_id(1), at=AT),
        EventKind.PIN_REFUSED: PinRefused(**actor, user_id=_id(8), line="CUT-L02", at=AT),
        EventKind.BADGE_ENROLLED: BadgeEnrolled(
            **actor, user_id=_id(8), badge_hash="a" * 64, at=AT
        ),
        EventKind.BADGE_UNBOUND: BadgeUnbound(**actor, user_id=_id(8), at=AT),
        EventKind.SESSION_STARTED: SessionStarted(
            **actor, user_id=_id(1), line="CUT-L02", at=AT, method="badge"
        ),
        EventKind.SESSION_ENDED: SessionEnded(
            **actor, user_id=_id(1), line="CUT-L02", at=AT, reason="logout"
        ),
    }
    for step in WorkOrderStepped.kinds:
        examples[step] = WorkOrderStepped(
            **actor,
            kind=step,
            work_order_id=_id(3),
            number="WO-2026-004217",
            line="CUT-L02",
            user_id=_id(1),
            status="IN_PROGRESS",
            at=AT,
            pause_reason=PauseReason.CHANGEOVER if step is EventKind.WORK_ORDER_PAUSED else None,
        )
    for step in TransferDecided.kinds:
        examples[step] = TransferDecided(
            **actor,
            **_COUNTED,
            kind=step,
            counted_at=AT,
            decided_by="E5001",
            decided_at=AT,
            decision_reason="recount",
            version=3,
            reason="recount",
            by="E5001",
        )
    for step in KanbanStepped.kinds:
        examples[step] = KanbanStepped(
            **actor,
            **_KANBAN,
            kind=step,
            quantity=10,
            status="APPROVED",
            by="E6001",
            by_user_id=_id(9),
            at=AT,
            version=2,
            reason="Out of stock" if step is EventKind.KANBAN_REJECTED else None,
        )
    return examples[kind]


_TRANSFER_KEYS = [
    "actor_id", "transfer_id", "slip_id", "site", "work_order_number", "mo_number", "article",
    "destination", "quantity", "from_line", "to_line", "from_department", "to_department",
    "status", "prepared_by", "prepared_at", "counted_qty", "counted_by", "counted_at",
    "decided_by", "decided_at", "decision_reason", "accepted_qty", "version",
]  # fmt: skip
_KANBAN_KEYS = [
    "actor_id", "card_id", "card_no", "line", "item", "quantity", "status", "by", "by_user_id",
    "at", "version",
]  # fmt: skip
_WORK_ORDER_KEYS = ["actor_id", "work_order_id", "number", "line", "user_id", "status", "at"]

# The payload keys each kind has always had on the wire, in the order kiosks wrote them.
WIRE_KEYS: dict[EventKind, list[str]] = {
    EventKind.PRODUCTION_RECORDED: [
        "actor_id", "entry_id", "work_order_id", "number", "line", "user_id", "good", "reject",
        "reject_reason", "recorded_at",
    ],
    EventKind.WORK_ORDER_STARTED: _WORK_ORDER_KEYS,
    EventKind.PRODUCTION_CORRECTED: [
        "actor_id", "correction_id", "entry_id", "work_order_id", "number", "line", "user_id",
        "approved_by", "good", "reject", "reject_reason", "reason", "at",
    ],
    EventKind.PRODUCTION_VOIDED: [
        "actor_id", "correction_id", "entry_id", "work_order_id", "number", "line", "user_id",
        "approved_by", "good", "reject", "reject_reason", "reason", "at",
    ],
    EventKind.WORK_ORDER_PAUSED: [*_WORK_ORDER_KEYS, "pause_reason"],
    EventKind.WORK_ORDER_RESUMED: _WORK_ORDER_KEYS,
    EventKind.WORK_ORDER_COMPLETED: _WORK_ORDER_KEYS,
    EventKind.TRANSFER_PREPARED: _TRANSFER_KEYS,
    EventKind.TRANSFER_ACCEPTED: [*_TRANSFER_KEYS, "slip"],
    EventKind.TRANSFER_HELD: [*_TRANSFER_KEYS, "slip"],
    EventKind.TRANSFER_RELEASED: [*_TRANSFER_KEYS, "reason", "by"],
    EventKind.TRANSFER_REJECTED: [*_TRANSFER_KEYS, "reason", "by"],
    EventKind.WIP_MOVED: [
        "actor_id", "movement_id", "transfer_id", "slip_id", "work_order_number", "mo_number",
        "article", "from", "to", "quantity", "at",
    ],
    EventKind.LINE_OCCUPANCY: [
        "actor_id", "line", "work_order_number", "article", "destination", "since", "at",
    ],
    EventKind.LINE_CLEARED: [
        "actor_id", "clearance_id", "line", "by", "at", "reason", "previous_work_order_number",
    ],
    EventKind.ALERT_RAISED: [
        "actor_id", "alert_id", "priority", "kind", "department", "line_id", "subject_user_id",
        "fields", "raised_at",
    ],
    EventKind.ALERT_ACKNOWLEDGED: ["actor_id", "alert_id", "by", "at"],
    EventKind.KANBAN_REQUESTED: _KANBAN_KEYS,
    EventKind.KANBAN_APPROVED: _KANBAN_KEYS,
    EventKind.KANBAN_REJECTED: [*_KANBAN_KEYS, "reason"],
    EventKind.KANBAN_SHIPPED: _KANBAN_KEYS,
    EventKind.KANBAN_RECEIVED: _KANBAN_KEYS,
    EventKind.USER_LOCKED: ["actor_id", "user_id", "until", "line"],
    EventKind.USER_UNLOCKED: ["actor_id", "user_id", "by", "at"],
    EventKind.PIN_REFUSED: ["actor_id", "user_id", "line", "at"],
    EventKind.BADGE_ENROLLED: ["actor_id", "user_id", "badge_hash", "at"],
    EventKind.BADGE_UNBOUND: ["actor_id", "user_id", "at"],
    EventKind.SESSION_STARTED: ["actor_id", "user_id", "line", "at", "method"],
    EventKind.SESSION_ENDED: ["actor_id", "user_id", "line", "at", "reason"],
}  # fmt: skip


@pytest.mark.parametrize("kind", list(EventKind))
def test_every_kind_reads_back_what_it_writes_through_json(kind: EventKind) -> None:
    event = _example(kind)
    payload = json.loads(json.dumps(event.to_payload()))
    assert parse_event(kind.value, type(event).schema_version, payload) == event
    assert type(event).from_payload(kind, event.to_payload()) == event


@pytest.mark.parametrize("kind", list(EventKind))
def test_every_kind_keeps_its_wire_keys(kind: EventKind) -> None:
    payload = _example(kind).to_payload()
    assert list(payload) == WIRE_KEYS[kind]
    assert payload["actor_id"] == str(_id(1))


@pytest.mark.parametrize("kind", list(EventKind))
def test_the_rows_an_event_touches_are_the_same_read_typed_or_raw(kind: EventKind) -> None:
    event = _example(kind)
    assert event.touched_keys() == touched_keys(kind.value, event.to_payload())


# Kinds the server reads (so old outboxes drain) but no kiosk service emits any more: they
# are direct requests verified by the server now (server_sync.identity), never queued.
SERVER_ONLY_KINDS = frozenset(
    {EventKind.USER_UNLOCKED, EventKind.BADGE_ENROLLED, EventKind.BADGE_UNBOUND}
)


def test_every_kind_has_one_class_one_server_handler_and_a_service_that_emits_it() -> None:
    assert set(EVENT_TYPES) == set(EventKind)
    assert set(HANDLERS) == set(EventKind)
    names: set[str] = set()
    for path in (ROOT / "kiosk" / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
    for kind in EventKind:
        cls = EVENT_TYPES[kind]
        if kind in SERVER_ONLY_KINDS:
            continue
        assert cls.__name__ in names, kind
        if len(cls.kinds) > 1:  # a family: the service names the kind, or maps its command
            assert kind.name in names or "kind_of" in names, kind


def test_kind_strings_are_spelled_once_outside_tests_and_migrations() -> None:
    sources = [
        path.read_text(encoding="utf-8")
        for folder in ("kiosk", "server_sync", "bench")
        for path in (ROOT / folder).rglob("*.py")
    ]
    for kind in EventKind:
        spelled = sum(source.count(f'"{kind.value}"') for source in sources)
        assert spelled == 1, (kind, spelled)


def test_an_unknown_kind_a_newer_schema_and_a_bad_field_are_refused_with_a_reason() -> None:
    good = _example(EventKind.PRODUCTION_RECORDED).to_payload()
    with pytest.raises(UnknownKindError) as unknown:
        parse_event("production.teleported", 1, good)
    assert unknown.value.reason == "unknown_kind"
    with pytest.raises(UnsupportedSchemaError) as newer:
        parse_event("production.recorded", 2, good)
    assert newer.value.reason == "schema_version_2"
    for field, value in (
        ("good", -3),
        ("good", "5"),
        ("good", True),
        ("recorded_at", "2026-12-01T10:00:00"),
    ):
        with pytest.raises(MalformedEventError) as bad:
            parse_event("production.recorded", 1, {**good, field: value})
        assert (bad.value.reason, bad.value.detail) == ("malformed", {"field": field})
    missing = {key: value for key, value in good.items() if key != "entry_id"}
    with pytest.raises(MalformedEventError):
        parse_event("production.recorded", 1, missing)
    # Fields the server has never needed may be missing, as kiosks and tests have sent them.
    short = {
        key: good[key] for key in ("entry_id", "work_order_id", "good", "reject", "recorded_at")
    }
    assert parse_event("production.recorded", 1, short).good == 12
    bad_department = {**_example(EventKind.TRANSFER_PREPARED).to_payload(), "to_department": "XX"}
    with pytest.raises(MalformedEventError) as department:
        parse_event("transfer.prepared", 1, bad_department)
    assert department.value.field == "department"
