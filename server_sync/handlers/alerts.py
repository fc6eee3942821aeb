"""Alerts raised and acknowledged on kiosks, on the server."""

from __future__ import annotations

from kiosk.domain.events import AlertAcknowledged, AlertRaised, EventKind
from kiosk.domain.roles import Action
from kiosk.services.effects.alerts import acknowledge, new_alert
from kiosk.store.models import Alert, Line, User
from server_sync.handlers.context import EventContext, handles, rejected


@handles(EventKind.ALERT_RAISED)
def alert_raised(ctx: EventContext, event: AlertRaised) -> None:
    """An alert raised on a kiosk (for any department: a blocked line alerts its owner),
    by someone who may act on that kiosk."""
    if event.actor_id is not None:
        ctx.actor()
    if ctx.session.get(Alert, event.alert_id) is not None:
        raise rejected("alert_exists", alert_id=str(event.alert_id))
    if event.line_id is not None and ctx.session.get(Line, event.line_id) is None:
        raise rejected("unknown_line", line_id=str(event.line_id))
    subject = event.subject_user_id
    if subject is not None and ctx.session.get(User, subject) is None:
        raise rejected("unknown_user", user_id=str(subject))
    ctx.session.add(new_alert(event))


@handles(EventKind.ALERT_ACKNOWLEDGED)
def alert_acknowledged(ctx: EventContext, event: AlertAcknowledged) -> None:
    """The first acknowledgement the server commits stands; a later one changes nothing."""
    alert = ctx.session.get(Alert, event.alert_id)
    if alert is None:
        raise rejected("unknown_alert", alert_id=str(event.alert_id))
    ctx.check_device_department(alert.department)
    if alert.fields.get("device_id") == str(ctx.device.id):
        # The server raised it about this very device (refused events, a restore, its
        # clock): acknowledged from another device, never by the one it is about.
        raise rejected("own_device_alert", alert_id=str(alert.id))
    actor = ctx.actor()
    ctx.authorize(actor, Action.ALERT_ACKNOWLEDGE)
    if actor.department != alert.department:
        raise rejected("perm.out_of_scope", department=str(alert.department))
    if alert.acknowledged_at is not None:
        ctx.note("already_acknowledged")
        return
    acknowledge(alert, by=actor.user_id, at=event.at)
