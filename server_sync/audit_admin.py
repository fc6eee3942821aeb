"""An admin's decision on a device whose audit chain broke: accept or reject its held events.

Either way the hold ends and the device's chain, as it now stands, is anchored again at
its next push (its rows kept centrally, marked `chain_break`). Rejected events are
recorded as `rejected` (reason `audit_chain_rejected`), so the kiosk is told so; accepted
events are applied now with the server's usual rules, as if pushed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.sync_events import PushedEvent, SyncResult
from server_sync.audit_anchor import CHAIN_REJECTED, DECISION_ACCEPTED, DECISION_REJECTED
from server_sync.models import (
    Device,
    DeviceAuditAnchor,
    DeviceIncarnation,
    HeldEvent,
)
from server_sync.push import push
from server_sync.results import record_events


class NoHoldError(Exception):
    """The device has no held audit chain to decide on."""


@dataclass(frozen=True)
class Decision:
    decision: str
    events: int  # held events rejected, or applied


def reject(session: Session, device_id: uuid.UUID, now: datetime) -> Decision:
    """Reject every held event of the device and end its hold (the caller commits)."""
    anchors = _held(session, device_id)
    rejected = 0
    for anchor in anchors:
        state = session.get(
            DeviceIncarnation, (device_id, anchor.incarnation), with_for_update=True
        )
        records = []
        for event in _held_events(session, device_id, anchor.incarnation):
            if state is None or event.seq != state.next_seq:
                break  # only the gap-free run the kiosk will send again
            records.append(
                {
                    "id": event.id,
                    "device_id": device_id,
                    "incarnation": event.incarnation,
                    "seq": event.seq,
                    "kind": event.kind,
                    "schema_version": event.schema_version,
                    "payload": event.payload,
                    "created_at": event.created_at,
                    "received_at": now,
                    "result": SyncResult.REJECTED.value,
                    "reason": CHAIN_REJECTED,
                }
            )
            state.next_seq += 1
        _decide(session, anchor, DECISION_REJECTED, now)
        session.flush()
        record_events(session, records)  # refusals, numbered for the results feed
        rejected += len(records)
    return Decision(DECISION_REJECTED, rejected)


def accept(sessions: sessionmaker[Session], device_id: uuid.UUID, now: datetime) -> Decision:
    """Apply every held event of the device with the usual rules, and end its hold."""
    with sessions() as session:
        anchors = _held(session, device_id)
        device = session.get(Device, device_id)
        assert device is not None
        session.expunge(device)  # used after this transaction, as the push's device
        held = {
            anchor.incarnation: [
                PushedEvent(
                    event.id,
                    event.seq,
                    event.kind,
                    event.schema_version,
                    event.created_at,
                    event.payload,
                    None if event.audit_seq is None else int(event.audit_seq),
                )
                for event in _held_events(session, device_id, anchor.incarnation)
            ]
            for anchor in anchors
        }
        for anchor in anchors:
            _decide(session, anchor, DECISION_ACCEPTED, now)
        session.commit()
    applied = 0
    for incarnation, events in held.items():
        if not events:
            continue
        outcome = push(
            sessions,
            device,
            incarnation=incarnation,
            last_seq=max(event.seq for event in events),
            acked_through=0,
            events=events,
            now=now,
            admin_accepted=True,
        )
        applied += outcome.results.get(SyncResult.APPLIED.value, 0)
    return Decision(DECISION_ACCEPTED, applied)


def _held(session: Session, device_id: uuid.UUID) -> list[DeviceAuditAnchor]:
    anchors = list(
        session.scalars(
            select(DeviceAuditAnchor)
            .where(DeviceAuditAnchor.device_id == device_id)
            .where(DeviceAuditAnchor.held_reason.is_not(None))
            .with_for_update()
        )
    )
    if not anchors:
        raise NoHoldError(f"device {device_id} has no held audit chain")
    return anchors


def _held_events(session: Session, device_id: uuid.UUID, incarnation: uuid.UUID) -> list[HeldEvent]:
    return list(
        session.scalars(
            select(HeldEvent)
            .where(HeldEvent.device_id == device_id)
            .where(HeldEvent.incarnation == incarnation)
            .order_by(HeldEvent.seq)
        )
    )


def _decide(session: Session, anchor: DeviceAuditAnchor, decision: str, now: datetime) -> None:
    """End the hold; the device's next chain is anchored as it stands."""
    session.execute(
        delete(HeldEvent)
        .where(HeldEvent.device_id == anchor.device_id)
        .where(HeldEvent.incarnation == anchor.incarnation)
    )
    anchor.held_reason = None
    anchor.decision = decision
    anchor.decided_at = now
