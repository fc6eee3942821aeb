"""Talking to server_sync below the kiosk's own services: events a kiosk's services would
never write, raw HTTP with a device's token, and what the central database holds.

A kiosk with an old or tampered build can queue any event; `queue_event` writes one into
a real kiosk's outbox with the kiosk's own numbering, so its real sync engine pushes it.
`RawDevice` speaks the wire format directly (a token copied off a kiosk).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import requests
from sqlalchemy import func, select, text

from kiosk.domain.audit_chain import (
    AUDIT_EVENTS,
    GENESIS_HASH,
    AuditRecord,
    record_to_json,
    row_hash,
)
from kiosk.domain.events import EVENT_TYPES, EventKind
from kiosk.domain.ids import new_id
from kiosk.services.audit_log import records_of
from kiosk.store.models import AuditEntry, Base, Line, OutboxEvent, User, WorkOrder
from kiosk.store.unit_of_work import AuditActor, append_audit, append_outbox
from kiosk.sync.enrolment import stored_token
from server_sync.models import AppliedEvent, ChangeRow, DeviceIncarnation, FeedState
from tests.helpers.central import CentralDatabase, KioskNode

# Domain tables whose rows an event may change (the alert table is compared apart).
DOMAIN_TABLES = (
    "work_order",
    "production_entry",
    "kanban_card",
    "transfer",
    "line_clearance",
    "line_occupancy",
    "wip_movement",
    "app_user",
    "user_line",
    "line",
)


def now_text() -> str:
    return datetime.now(UTC).isoformat()


def queue_event(node: KioskNode, kind: str, payload: dict[str, Any]) -> uuid.UUID:
    """An event in the kiosk's outbox, numbered like every other (a tampered kiosk's), with
    an audit row naming it that continues the local chain (as a tampered kiosk would)."""
    with node.database.writer() as session:
        at = node.clock.now()
        event = append_outbox(
            session, kind=kind, payload=payload, at=at, schema_version=_schema_version(kind)
        )
        append_audit(
            session,
            at=at,
            actor=AuditActor(_uuid_or_none(payload.get("actor_id")), "queued"),
            action=kind,
            outcome="ok",
            entity="event",
            entity_id=None,
            details={},
            events=[event],
        )
        session.commit()
        return event.id


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    """The actor an audit row can name (a junk actor id in a payload names nobody)."""
    try:
        return None if value is None else uuid.UUID(str(value))
    except ValueError:
        return None


def outbox_answer(node: KioskNode, event_id: uuid.UUID) -> tuple[str | None, str | None]:
    with node.database.reader() as session:
        row = session.get(OutboxEvent, event_id)
        assert row is not None, event_id
        return row.result, row.result_reason


def user_id(central: CentralDatabase, employee_no: str) -> uuid.UUID:
    with central.session() as session:
        found = session.scalar(select(User.id).where(User.employee_no == employee_no))
    assert found is not None, employee_no
    return found


def line_id(central: CentralDatabase, code: str) -> uuid.UUID:
    with central.session() as session:
        found = session.scalar(select(Line.id).where(Line.code == code))
    assert found is not None, code
    return found


def work_order(central: CentralDatabase, number: str) -> WorkOrder:
    with central.session() as session:
        found = session.scalar(select(WorkOrder).where(WorkOrder.number == number))
    assert found is not None, number
    return found


def work_orders_of(central: CentralDatabase, line: str) -> list[WorkOrder]:
    with central.session() as session:
        return list(
            session.scalars(
                select(WorkOrder)
                .join(Line, Line.id == WorkOrder.line_id)
                .where(Line.code == line)
                .order_by(WorkOrder.number)
            )
        )


def domain_snapshot(central: CentralDatabase) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every domain table an event could change, in a stable order."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with central.session() as session:
        for name in DOMAIN_TABLES:
            table = Base.metadata.tables[name]
            order = list(table.primary_key.columns)
            snapshot[name] = [tuple(row) for row in session.execute(select(table).order_by(*order))]
        alert = Base.metadata.tables["alert"]
        snapshot["alert"] = [
            tuple(row)
            for row in session.execute(
                select(alert)
                .where(alert.c.kind.not_in(["sync_refused", "device_clock_off"]))
                .order_by(alert.c.id)
            )
        ]
    return snapshot


def write_counts(central: CentralDatabase) -> dict[str, int]:
    """What any accepted request writes: applied events, incarnations, the feed."""
    with central.session() as session:
        return {
            "applied_event": central_count(session, AppliedEvent),
            "device_incarnation": central_count(session, DeviceIncarnation),
            "change_feed": central_count(session, ChangeRow),
            "high_water": int(
                session.scalar(select(FeedState.high_water).where(FeedState.id == 1)) or 0
            ),
            "device_seen": int(
                session.scalar(text("SELECT count(*) FROM device WHERE last_seen_at IS NOT NULL"))
                or 0
            ),
        }


def central_count(session: Any, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


class RawDevice:
    """A device token used by hand: requests the kiosk's engine would never send."""

    def __init__(self, server_url: str, token: str, node: KioskNode | None = None) -> None:
        self.server_url = server_url.rstrip("/")
        self.token = token
        self.http = requests.Session()
        self.incarnation = new_id()
        self.seq = 0
        # The audit chain: the kiosk's own on its disk (a token copied off a kiosk, by
        # someone who has the disk too), or one of its own for a token alone.
        self.node = node
        self.chain: list[AuditRecord] = []
        self.anchored = 0 if node is None else node.store.state().audit_anchored_seq

    @classmethod
    def of(cls, node: KioskNode, server_url: str | None = None) -> RawDevice:
        token = stored_token(node.secrets)
        assert token is not None
        return cls(server_url or node.server_url, token, node)

    def __enter__(self) -> RawDevice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def event(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The next numbered event of this raw device's own incarnation, with its audit row."""
        self.seq += 1
        event_id = str(new_id())
        actor = _uuid_or_none(payload.get("actor_id"))
        return {
            "id": event_id,
            "seq": self.seq,
            "kind": kind,
            "schema_version": _schema_version(kind),
            "created_at": now_text(),
            "payload": payload,
            "audit_seq": self.audit_row(
                kind, None if actor is None else str(actor), [event_id]
            ).seq,
        }

    def audit_row(self, action: str, actor_id: str | None, events: list[str]) -> AuditRecord:
        """The next row of this device's chain, naming these events."""
        if self.node is not None:
            with self.node.database.writer() as session:
                entry = append_audit(
                    session,
                    at=datetime.now(UTC),
                    actor=AuditActor(_uuid_or_none(actor_id), "raw"),
                    action=action[:64],
                    outcome="ok",
                    entity="event",
                    entity_id=None,
                    details={AUDIT_EVENTS: events},
                )
                session.commit()
                return next(records_of([entry]))
        prev = self.chain[-1].hash if self.chain else GENESIS_HASH
        record = AuditRecord(
            seq=len(self.chain) + 1,
            id=str(new_id()),
            at=datetime.now(UTC),
            actor_id=actor_id,
            actor_label="raw",
            action=action[:64],
            outcome="ok",
            entity="event",
            entity_id=None,
            details={AUDIT_EVENTS: events},
            prev_hash=prev,
        )
        record = replace(record, hash=row_hash(record, prev))
        self.chain.append(record)
        return record

    def body(self, events: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "incarnation": str(self.incarnation),
            "last_seq": self.seq,
            "acked_through": 0,
            "device_time": now_text(),
            "events": events,
            "cursor": 0,
            "limit": 5000,
            "audit": [record_to_json(row) for row in self.audit_rows()],
        }
        body.update(overrides)
        return body

    def audit_rows(self) -> list[AuditRecord]:
        """The chain after what the server anchored for this raw device."""
        if self.node is None:
            return self.chain[self.anchored :]
        with self.node.database.reader() as session:
            rows = session.scalars(
                select(AuditEntry).where(AuditEntry.seq > self.anchored).order_by(AuditEntry.seq)
            )
            return list(records_of(rows))

    def post(
        self, body: Any, path: str = "/v1/sync", headers: dict[str, str] | None = None
    ) -> requests.Response:
        response = self.http.post(
            self.server_url + path,
            json=body,
            headers=self.headers if headers is None else headers,
            timeout=30,
        )
        if response.status_code == 200 and path == "/v1/sync":
            anchor = response.json().get("audit")
            if anchor and not anchor.get("held"):
                self.anchored = int(anchor["anchored_seq"])
        return response

    def sync(self, events: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
        response = self.post(self.body(events, **overrides))
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def pull_all(self) -> list[dict[str, Any]]:
        """Everything the feed gives this token from the start, page by page."""
        changes: list[dict[str, Any]] = []
        cursor = 0
        while True:
            answer = self.sync([], cursor=cursor, limit=500)
            changes += answer["changes"]
            cursor = answer["cursor"]
            if not answer["has_more"]:
                return changes


def _schema_version(kind: str) -> int:
    """The version the kiosk sends this kind at (1 for a kind no kiosk sends)."""
    try:
        return EVENT_TYPES[EventKind(kind)].schema_version
    except ValueError:
        return 1
