"""What each outbox event is about: the replicated rows it changes, and the line it acts on.

The kiosk uses `touched_keys` to keep its own unacknowledged changes on top of what it
pulls; the server uses the same function to lock the rows a batch will change, and
`acting_line` to refuse events of a line the pushing device does not serve.
"""

from __future__ import annotations

from collections.abc import Mapping
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


# Entities replicated between kiosks and the server (the change feed's `entity` names).
SITE_SETTING = "site_setting"
SITE_KEY = "site_key"
LINE = "line"
KANBAN_ITEM = "kanban_item"
USER = "user"
WORK_ORDER = "work_order"
PRODUCTION_ENTRY = "production_entry"
TRANSFER = "transfer"
LINE_OCCUPANCY = "line_occupancy"
LINE_CLEARANCE = "line_clearance"
ALERT = "alert"
KANBAN_CARD = "kanban_card"

_WORK_ORDER_KINDS = frozenset(
    {"work_order.started", "work_order.paused", "work_order.resumed", "work_order.completed"}
)
_TRANSFER_KINDS = frozenset(
    {
        "transfer.prepared",
        "transfer.accepted",
        "transfer.held",
        "transfer.released",
        "transfer.rejected",
    }
)
_KANBAN_KINDS = frozenset(
    {"kanban.requested", "kanban.approved", "kanban.rejected", "kanban.shipped", "kanban.received"}
)
_FACT_ONLY_KINDS = frozenset({"session.started", "session.ended", "wip.moved"})
_USER_KINDS = frozenset({"user.locked", "user.unlocked", "badge.enrolled", "badge.unbound"})

EVENT_KINDS: frozenset[str] = (
    _WORK_ORDER_KINDS
    | _TRANSFER_KINDS
    | _KANBAN_KINDS
    | _FACT_ONLY_KINDS
    | _USER_KINDS
    | frozenset(
        {
            "production.recorded",
            "line.occupancy",
            "line.cleared",
            "alert.raised",
            "alert.acknowledged",
        }
    )
)


def touched_keys(kind: str, payload: Mapping[str, Any]) -> set[EntityKey]:
    """The replicated rows an event changes, as (entity, key); empty for unknown kinds."""
    keys: set[EntityKey] = set()

    def add(entity: str, field: str) -> None:
        value = payload.get(field)
        if value is not None:
            keys.add((entity, str(value)))

    if kind == "production.recorded":
        add(PRODUCTION_ENTRY, "entry_id")
        add(WORK_ORDER, "work_order_id")
    elif kind in _WORK_ORDER_KINDS:
        add(WORK_ORDER, "work_order_id")
    elif kind in _TRANSFER_KINDS:
        add(TRANSFER, "slip_id")
    elif kind == "line.occupancy":
        add(LINE_OCCUPANCY, "line")
    elif kind == "line.cleared":
        add(LINE_CLEARANCE, "clearance_id")
        add(LINE_OCCUPANCY, "line")
    elif kind in {"alert.raised", "alert.acknowledged"}:
        add(ALERT, "alert_id")
    elif kind in _KANBAN_KINDS:
        add(KANBAN_CARD, "card_id")
    elif kind in _USER_KINDS:
        add(USER, "user_id")
    return keys


def acting_line(kind: str, payload: Mapping[str, Any]) -> str | None:
    """The line whose kiosk (or department) may send this event; None: decided by the handler."""
    if kind in _TRANSFER_KINDS:
        field = "from_line" if kind == "transfer.prepared" else "to_line"
        value = payload.get(field)
    else:
        value = payload.get("line")
    return None if value is None else str(value)
