"""Alert events applied to the alert rows."""

from __future__ import annotations

import uuid
from datetime import datetime

from kiosk.domain.events import AlertRaised
from kiosk.store.models import Alert


def new_alert(event: AlertRaised) -> Alert:
    """The raised alert (the caller adds it to its session)."""
    return Alert(
        id=event.alert_id,
        priority=event.priority,
        kind=event.alert_kind,
        department=event.department,
        line_id=event.line_id,
        subject_user_id=event.subject_user_id,
        fields=event.fields,
        raised_at=event.raised_at,
        acknowledged_by=None,
        acknowledged_at=None,
    )


def acknowledge(alert: Alert, *, by: uuid.UUID, at: datetime) -> None:
    alert.acknowledged_by = by
    alert.acknowledged_at = at
