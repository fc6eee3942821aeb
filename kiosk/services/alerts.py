"""Alerts a supervisor must see: raised inside other actions, listed and acknowledged here."""

from __future__ import annotations

import uuid
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.events import AlertAcknowledged, AlertRaised
from kiosk.domain.ids import new_id
from kiosk.domain.roles import Action, Department, Role
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.effects.alerts import acknowledge, new_alert
from kiosk.services.views import AlertView
from kiosk.store.models import Alert, Line, SyncState, User
from kiosk.store.unit_of_work import ActionTx, UnitOfWork


class AlertKind(StrEnum):
    PIN_LOCKOUT = "pin_lockout"
    PIN_GUESSING = "pin_guessing"  # wrong PINs made a kiosk's PIN pad wait
    LINE_BLOCKED = "line_blocked"  # a handoff met an occupied receiving line
    QUANTITY_MISMATCH = "quantity_mismatch"  # a blind count did not match: batch held
    SLIP_REFUSED = "slip_refused"  # a tampered or foreign slip was scanned


P1, P2, P3 = 1, 2, 3


def raise_alert(
    tx: ActionTx,
    *,
    priority: int,
    kind: AlertKind,
    department: Department | None,
    line_id: uuid.UUID | None = None,
    subject_user_id: uuid.UUID | None = None,
    fields: dict[str, Any],
) -> Alert:
    """Add an alert to the action's transaction, with its outbox event."""
    event = AlertRaised(
        alert_id=new_id(),
        priority=priority,
        alert_kind=kind.value,
        department=department,
        line_id=line_id,
        subject_user_id=subject_user_id,
        fields=fields,
        raised_at=tx.now,
    )
    alert = new_alert(event)
    tx.session.add(alert)
    tx.session.flush()
    tx.emit(event)
    return alert


def acknowledged(alert: Alert, tx: ActionTx) -> AlertAcknowledged:
    """The event of an acknowledgement just applied in this action."""
    assert alert.acknowledged_by is not None
    return AlertAcknowledged(alert_id=alert.id, by=alert.acknowledged_by, at=tx.now)


class AlertService:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def open_alerts(self, actor: Actor) -> list[AlertView]:
        """Unacknowledged alerts: a supervisor's department, or all for an admin."""
        authorize(actor, Action.ALERT_VIEW)
        with self._uow.database.reader() as session:
            query = _in_scope(select(Alert).where(Alert.acknowledged_at.is_(None)), actor)
            rows = session.scalars(query.order_by(Alert.priority, Alert.raised_at.desc())).all()
            return [_alert_view(session, row) for row in rows]

    def recently_acknowledged(self, actor: Actor, hours: int = 12) -> list[AlertView]:
        """Alerts acknowledged in the last `hours`, newest first: who did it and when.

        The same scope as `open_alerts`: a supervisor's department, or all for an admin.
        """
        authorize(actor, Action.ALERT_VIEW)
        if hours <= 0:
            raise ValueError(f"hours must be positive, not {hours}")
        since = self._uow.clock.now() - timedelta(hours=hours)
        with self._uow.database.reader() as session:
            query = _in_scope(
                select(Alert).where(
                    Alert.acknowledged_at.is_not(None), Alert.acknowledged_at >= since
                ),
                actor,
            )
            rows = session.scalars(
                query.order_by(Alert.acknowledged_at.desc(), Alert.priority)
            ).all()
            return [_alert_view(session, row) for row in rows]

    def acknowledge(self, actor: Actor, alert_id: uuid.UUID) -> AlertView:
        with self._uow.action(actor.audit, Action.ALERT_ACKNOWLEDGE.value) as tx:
            tx.about("alert", alert_id)
            authorize(actor, Action.ALERT_ACKNOWLEDGE)
            alert = tx.session.get(Alert, alert_id)
            if alert is None:
                raise RefusalError(ErrorCode.ALERT_NOT_FOUND, alert_id=str(alert_id))
            if actor.department != alert.department:
                raise RefusalError(
                    ErrorCode.OUT_OF_SCOPE,
                    role=actor.role.value,
                    action=Action.ALERT_ACKNOWLEDGE.value,
                    department=None if alert.department is None else alert.department.value,
                )
            if alert.acknowledged_at is not None:
                raise RefusalError(ErrorCode.ALERT_ALREADY_ACKNOWLEDGED, alert_id=str(alert_id))
            state = tx.session.get(SyncState, 1)
            device_id = None if state is None or state.device_id is None else str(state.device_id)
            if device_id is not None and alert.fields.get("device_id") == device_id:
                # The server raised it about this kiosk: it refuses an acknowledgement from here.
                raise RefusalError(ErrorCode.ALERT_ABOUT_THIS_DEVICE, alert_id=str(alert_id))
            acknowledge(alert, by=actor.user_id, at=tx.now)
            tx.audit(kind=alert.kind, priority=alert.priority)
            tx.emit(acknowledged(alert, tx))
            tx.session.flush()
            return _alert_view(tx.session, alert)


def _in_scope(query: Select[Alert], actor: Actor) -> Select[Alert]:
    """A supervisor sees their department's alerts; an admin sees every alert."""
    if actor.role is Role.ADMIN:
        return query
    return query.where(Alert.department == actor.department)


def _alert_view(session: Session, alert: Alert) -> AlertView:
    line_code = None
    if alert.line_id is not None:
        line = session.get(Line, alert.line_id)
        line_code = None if line is None else line.code
    acknowledged_by = None
    if alert.acknowledged_by is not None:
        user = session.get(User, alert.acknowledged_by)
        acknowledged_by = None if user is None else user.name
    return AlertView(
        id=alert.id,
        priority=alert.priority,
        kind=alert.kind,
        department=alert.department,
        line_code=line_code,
        fields=dict(alert.fields),
        raised_at=alert.raised_at,
        acknowledged_by=acknowledged_by,
        acknowledged_at=alert.acknowledged_at,
    )
