"""The sync request and response as typed data: what the kiosk sends and reads back.

Plain dataclasses (the kiosk carries no pydantic); the contract test holds them against
the server's schemas (server_sync/schemas.py), field by field and through JSON.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.domain.sync_events import PushedEvent, SyncResult


class JsonText(str):
    """One JSON value already encoded (the kiosk's database wrote it): sent as it is."""


@dataclass(frozen=True)
class WireEvent:
    """An outbox event as its push carries it, written by the database (see audit_segment)."""

    seq: int
    audit_seq: int | None
    text: JsonText


# What requests' `json=` sends, without the spaces and \u escapes: a push of a thousand
# events and their audit rows is about a tenth smaller, encoded with one encoder built once.
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


@dataclass(frozen=True)
class SyncRequest:
    """One round trip: events to push (may be none) and the feed position to pull from."""

    incarnation: uuid.UUID
    last_seq: int
    acked_through: int
    device_time: datetime
    events: Sequence[PushedEvent | WireEvent] = field(default_factory=list)
    cursor: int = 0
    epoch: uuid.UUID | None = None
    limit: int = 1000
    # The audit chain since the last anchored row, at least every pushed event's entry,
    # each row as `record_to_json` writes it (read so straight from the database).
    audit: Sequence[dict[str, Any] | JsonText] = field(default_factory=list)
    version: str | None = None  # the program's, for the admin's device list

    def _head(self) -> dict[str, Any]:
        version = {} if self.version is None else {"version": self.version}
        return version | {
            "incarnation": str(self.incarnation),
            "last_seq": self.last_seq,
            "acked_through": self.acked_through,
            "device_time": self.device_time.isoformat(),
            "cursor": self.cursor,
            "epoch": None if self.epoch is None else str(self.epoch),
            "limit": self.limit,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **self._head(),
            "events": [
                json.loads(event.text) if isinstance(event, WireEvent) else event.to_json()
                for event in self.events
            ],
            "audit": [json.loads(row) if isinstance(row, JsonText) else row for row in self.audit],
        }

    def to_body(self) -> bytes:
        """The request as the client sends it (`to_json`'s value, encoded): events and rows
        the database wrote as JSON go in as they are, never decoded and encoded again."""
        events = ",".join(
            event.text if isinstance(event, WireEvent) else _encode(event.to_json())
            for event in self.events
        )
        audit = ",".join(row if isinstance(row, JsonText) else _encode(row) for row in self.audit)
        head = _encode(self._head())  # an object with fields: ends in "}"
        return f'{head[:-1]},"events":[{events}],"audit":[{audit}]}}'.encode()


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
