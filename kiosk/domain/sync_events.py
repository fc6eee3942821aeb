"""The server's answer to a pushed event, and the names of the replicated entities.

The events themselves, and the rows each one touches, are declared in
`kiosk.domain.events`.
"""

from __future__ import annotations

from enum import StrEnum

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
