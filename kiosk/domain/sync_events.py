"""A pushed event's envelope and the server's answer to it; the replicated entities' names.

The events themselves, and the rows each one touches, are declared in
`kiosk.domain.events`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

EntityKey = tuple[str, str]


class SyncResult(StrEnum):
    """The server's answer to one pushed event."""

    APPLIED = "applied"  # its effect is now central
    DUPLICATE = "duplicate"  # seen before: the stored answer is repeated, nothing re-applied
    REJECTED = "rejected"  # against the rules (or malformed): no effect, an alert says why
    CONFLICT = "conflict"  # central state disagreed: kept as a dispute or not applied
    RETRY = "retry"  # not looked at yet (an earlier sequence number is missing): send again

    @property
    def is_final(self) -> bool:
        return self is not SyncResult.RETRY


@dataclass(frozen=True)
class PushedEvent:
    """One outbox event as a kiosk pushes it and the server receives it."""

    id: uuid.UUID
    seq: int
    kind: str
    schema_version: int
    created_at: datetime
    payload: dict[str, Any]
    audit_seq: int | None = None  # the audit entry of the action that queued it

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "seq": self.seq,
            "kind": self.kind,
            "schema_version": self.schema_version,
            "created_at": self.created_at.isoformat(),
            "payload": self.payload,
            "audit_seq": self.audit_seq,
        }


# Entities replicated between kiosks and the server (the change feed's `entity` names).
SITE_SETTING = "site_setting"
SITE_KEY = "site_key"
SLIP_KEY = "slip_key"  # a device's public slip-signing key
LINE = "line"
KANBAN_ITEM = "kanban_item"
USER = "user"
WORK_ORDER = "work_order"
PRODUCTION_ENTRY = "production_entry"
PRODUCTION_CORRECTION = "production_correction"
TRANSFER = "transfer"
LINE_OCCUPANCY = "line_occupancy"
LINE_CLEARANCE = "line_clearance"
ALERT = "alert"
KANBAN_CARD = "kanban_card"
