"""Line occupancy and clearances on the server."""

from __future__ import annotations

from kiosk.domain.events import EventKind, LineCleared, LineOccupancyChanged
from kiosk.domain.reasons import clean_reason
from kiosk.domain.roles import Action
from kiosk.services.effects.lines import clear_line
from kiosk.store.models import LineClearance
from server_sync.handlers.context import EventContext, domain_rules, handles, rejected


@handles(EventKind.LINE_OCCUPANCY)
def line_occupancy(ctx: EventContext, event: LineOccupancyChanged) -> None:
    """Kept as a fact only: central occupancy follows handshakes and clearances in commit order."""
    # It changes nothing centrally, so any line may be named: a sender tells what the
    # receiving line will hold, in another department.
    ctx.line(event.line)


@handles(EventKind.LINE_CLEARED)
def line_cleared(ctx: EventContext, event: LineCleared) -> None:
    line = ctx.line(event.line)
    ctx.check_device_department(line.department)
    actor = ctx.actor()
    ctx.authorize(actor, Action.LINE_CLEAR, line)
    with domain_rules():
        clean_reason(event.reason)
    if ctx.session.get(LineClearance, event.clearance_id) is not None:
        raise rejected("clearance_exists", clearance_id=str(event.clearance_id))
    clear_line(ctx.session, line, event, cleared_by=actor.user_id, now=ctx.now)
