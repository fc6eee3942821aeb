"""Alerts the server raises about a device: refused events, a restore, a clock, a claim.

Each names the device and goes to its department (a line kiosk's line as well); the
server's log line is the admins' view across departments.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.services.alerts import P2, P3
from kiosk.store.models import Alert, Line
from server_sync.feed import feed_row, publish
from server_sync.models import Device, DeviceIncarnation

_DEVICES = cast(Table, Device.__table__)

log = logging.getLogger(__name__)

ALERT_SYNC_REFUSED = "sync_refused"
ALERT_KIOSK_RESTORED = "kiosk_restored"
ALERT_CLOCK_OFF = "device_clock_off"
ALERT_SERVER_BEHIND = "server_behind"


@dataclass(frozen=True)
class ClockReading:
    """The device's clock as its request states it, checked in the batch's transaction, and
    what it says of itself (program version, events waiting), recorded for the admin."""

    device_time: datetime
    tolerance_seconds: float
    program_version: str | None = None


def device_line_id(session: Session, device: Device) -> uuid.UUID | None:
    if device.line_code is None:
        return None
    return session.scalar(select(Line.id).where(Line.code == device.line_code))


def alert_refusals(
    session: Session, device: Device, refusals: Counter[tuple[str, str]], now: datetime
) -> None:
    """One open alert per device and reason, with a count, however many events were refused."""
    open_alerts = session.scalars(
        select(Alert)
        .where(Alert.kind == ALERT_SYNC_REFUSED)
        .where(Alert.acknowledged_at.is_(None))
        .with_for_update()
    ).all()
    mine = {
        (alert.fields.get("event_kind"), alert.fields.get("reason")): alert
        for alert in open_alerts
        if alert.fields.get("device_id") == str(device.id)
    }
    for (kind, reason), count in refusals.items():
        alert = mine.get((kind, reason))
        if alert is not None:
            alert.fields = {**alert.fields, "count": int(alert.fields.get("count", 0)) + count}
            continue
        device_alert(
            session,
            device,
            priority=P2,
            kind=ALERT_SYNC_REFUSED,
            fields={"event_kind": kind, "reason": reason, "count": count},
            now=now,
        )
        # The server's log is the admins' view of every device (an alert goes to the
        # device's department).
        log.warning("device %s (%s): %s refused: %s", device.id, device.name, kind, reason)


def alert_server_behind(
    session: Session, device: Device, state: DeviceIncarnation, acked_through: int, now: datetime
) -> list[Alert]:
    """The device claims answers the server never gave it: one open alert per device.

    Either the central database was restored from a backup (the kiosk sends its retained
    events again; an admin runs `server-sync feed reset`) or the device is not telling
    the truth. Nothing site-wide changes here. Returns the alert raised, for the feed.
    """
    if acked_through <= state.next_seq - 1:
        return []
    already = session.scalars(
        select(Alert.id)
        .where(Alert.kind == ALERT_SERVER_BEHIND)
        .where(Alert.acknowledged_at.is_(None))
        .where(Alert.fields["device_id"].as_string() == str(device.id))
        .limit(1)
    ).first()
    if already is not None:
        return []
    log.warning(
        "device %s (%s) says the server answered up to %d; it holds %d: restored? "
        "(an admin resets the feed with `server-sync feed reset`)",
        device.id,
        device.name,
        acked_through,
        state.next_seq - 1,
    )
    alert = device_alert(
        session,
        device,
        priority=P2,
        kind=ALERT_SERVER_BEHIND,
        fields={
            "incarnation": str(state.incarnation),
            "acked_through": acked_through,
            "server_holds": state.next_seq - 1,
        },
        now=now,
    )
    session.flush()
    return [alert]


def device_alert(
    session: Session,
    device: Device,
    *,
    priority: int,
    kind: str,
    fields: dict[str, Any],
    now: datetime,
) -> Alert:
    """An alert about a device, for its department's supervisor (it names the device)."""
    alert = Alert(
        id=new_id(),
        priority=priority,
        kind=kind,
        department=Department(device.department),
        line_id=device_line_id(session, device),
        subject_user_id=None,
        fields={
            "device_id": str(device.id),
            "device": device.name,
            "line": device.line_code,
            **fields,
        },
        raised_at=now,
        acknowledged_by=None,
        acknowledged_at=None,
    )
    session.add(alert)
    return alert


def alert_rewound(
    session: Session,
    device: Device,
    state: DeviceIncarnation,
    *,
    missing_from: int,
    missing_to: int,
    now: datetime,
) -> None:
    """Once per incarnation: the kiosk came back from a backup; these numbers are not on it."""
    if state.rewind_alerted:
        return
    state.rewind_alerted = True
    alert = device_alert(
        session,
        device,
        priority=P2,
        kind=ALERT_KIOSK_RESTORED,
        fields={
            "incarnation": str(state.incarnation),
            "missing_from": missing_from,
            "missing_to": missing_to,
        },
        now=now,
    )
    session.flush()
    row = feed_row(session, alert)
    assert row is not None
    publish(session, [row])


def note_clock(
    session: Session, device: Device, clock: ClockReading, now: datetime, *, waiting: int = 0
) -> list[Alert]:
    """Record how far the device's clock is off; alert (once a day) when it is beyond tolerance.
    With it, what the admin's device list shows: the version and `waiting`, the events the
    device has numbered that the server has not answered yet.

    The offset is only reported: nothing is ordered by a device's clock. Returns the alert
    raised, for the batch to publish with its other rows.
    """
    device_time, tolerance = clock.device_time, clock.tolerance_seconds
    offset = (device_time - now).total_seconds()
    seen = (
        update(_DEVICES)
        .where(_DEVICES.c.id == device.id)
        .values(
            clock_offset_seconds=offset,
            last_seen_at=now,
            program_version=clock.program_version,
            events_waiting=waiting,
        )
        .returning(_DEVICES.c.clock_alerted_at)
    )
    # One plain statement, past the ORM's bulk-update bookkeeping: this runs on every request.
    alerted_at = session.connection().execute(seen).scalar_one()
    if abs(offset) > tolerance and (
        alerted_at is None or (now - alerted_at).total_seconds() > 86_400
    ):
        row = session.get(Device, device.id)  # locked by the update until commit
        assert row is not None
        row.clock_alerted_at = now
        alert = device_alert(
            session,
            row,
            priority=P3,
            kind=ALERT_CLOCK_OFF,
            fields={"offset_seconds": round(offset)},
            now=now,
        )
        session.flush()
        return [alert]
    return []
