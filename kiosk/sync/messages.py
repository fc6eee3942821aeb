"""The sync request and response as typed data: what the kiosk sends and reads back.

Plain dataclasses (the kiosk carries no pydantic); the contract test holds them against
the server's schemas (server_sync/schemas.py), field by field and through JSON.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.domain.sync_events import PushedEvent, SyncResult


@dataclass(frozen=True)
class SyncRequest:
    """One round trip: events to push (may be none) and the feed position to pull from."""

    incarnation: uuid.UUID
    last_seq: int
    acked_through: int
    device_time: datetime
    events: list[PushedEvent] = field(default_factory=list)
    cursor: int = 0
    epoch: uuid.UUID | None = None
    limit: int = 1000
    # The audit chain since the last anchored row, at least every pushed event's entry,
    # each row as `record_to_json` writes it (read so straight from the database).
    audit: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "incarnation": str(self.incarnation),
            "last_seq": self.last_seq,
            "acked_through": self.acked_through,
            "device_time": self.device_time.isoformat(),
            "events": [event.to_json() for event in self.events],
            "cursor": self.cursor,
            "epoch": None if self.epoch is None else str(self.epoch),
            "limit": self.limit,
            "audit": self.audit,
        }


@dataclass(frozen=True)
class EventAnswer:
    """The server's answer to one pushed event."""

    event_id: uuid.UUID
    result: SyncResult
    reason: str | None

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> EventAnswer:
        return cls(uuid.UUID(item["id"]), SyncResult(item["result"]), item.get("reason"))


@dataclass(frozen=True)
class Change:
    """One row of the change feed, in its final state."""

    seq: int
    entity: str
    key: str
    data: Mapping[str, Any]

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Change:
        return cls(int(item["seq"]), str(item["entity"]), str(item["key"]), item["data"])


@dataclass(frozen=True)
class AuditAnchor:
    """How far the server holds this kiosk's audit chain, and why it holds its events."""

    anchored_seq: int
    held: str | None = None  # e.g. "audit_chain_broken": waiting for an admin's decision

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> AuditAnchor:
        held = item.get("held")
        return cls(int(item["anchored_seq"]), str(held) if held else None)


@dataclass(frozen=True)
class SyncResponse:
    """The answers to the pushed events and a page of the change feed."""

    server_time: datetime
    epoch: uuid.UUID
    answers: list[EventAnswer]
    next_seq: int  # the next event number the server expects
    server_behind: bool  # the server lacks answered events: send them again
    changes: list[Change]
    cursor: int
    high_water: int
    has_more: bool
    reset: str | None = None  # why the kiosk must start its feed over, if it must
    audit: AuditAnchor | None = None

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> SyncResponse:
        reset = answer.get("reset")
        audit = answer.get("audit")
        return cls(
            server_time=datetime.fromisoformat(answer["server_time"]),
            epoch=uuid.UUID(str(answer["epoch"])),
            answers=[EventAnswer.from_json(item) for item in answer.get("answers", [])],
            next_seq=int(answer["next_seq"]),
            server_behind=bool(answer.get("server_behind")),
            changes=[Change.from_json(item) for item in answer.get("changes", [])],
            cursor=int(answer["cursor"]),
            high_water=int(answer["high_water"]),
            has_more=bool(answer.get("has_more")),
            reset=str(reset) if reset else None,
            audit=AuditAnchor.from_json(audit) if audit else None,
        )
