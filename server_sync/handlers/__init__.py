"""Each event kind applied to central state with the kiosk's own domain rules and appliers.

The server's own checks (device scope, the actor, permissions, conflicts with central
state by version or status) live here; what an event changes is the shared applier in
`kiosk.services.effects`. Conflicts are decided by central state and commit order,
never by a device's clock; facts that happened on the floor (counts, an offline
handshake) are kept, and a disagreement becomes a dispute for a supervisor.
"""

from __future__ import annotations

from server_sync.handlers import alerts, kanban, lines, people, pins, transfers, work_orders
from server_sync.handlers.context import (
    HANDLERS,
    BatchCache,
    EventContext,
    EventRefusedError,
    LinesByCode,
    NewRow,
    conflict,
    rejected,
)

__all__ = [
    "HANDLERS",
    "BatchCache",
    "EventContext",
    "EventRefusedError",
    "LinesByCode",
    "NewRow",
    "alerts",
    "conflict",
    "kanban",
    "lines",
    "people",
    "pins",
    "rejected",
    "transfers",
    "work_orders",
]
