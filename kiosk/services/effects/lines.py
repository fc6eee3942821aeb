"""Line events applied to occupancy and clearance rows."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from kiosk.domain.events import LineCleared
from kiosk.domain.transfer import Batch
from kiosk.store.models import Line, LineClearance, LineOccupancy


def hold(
    session: Session,
    line: Line,
    batch: Batch | None,
    *,
    transfer_id: uuid.UUID | None,
    now: datetime,
) -> LineOccupancy:
    """The line's occupancy row now holds `batch` (None: free); `since` stays while the same
    work order keeps arriving. The kiosk and the server keep occupancy by this one rule."""
    row = session.get(LineOccupancy, line.id)
    if row is None:
        row = LineOccupancy(line_id=line.id, observed_at=now)
        session.add(row)
    same_batch = (
        batch is not None
        and row.work_order_number == batch.work_order_number
        and row.since is not None
    )
    row.work_order_number = None if batch is None else batch.work_order_number
    row.article = None if batch is None else batch.article
    row.destination = None if batch is None else batch.destination
    if not same_batch:
        row.since = None if batch is None else now
    row.transfer_id = transfer_id
    row.observed_at = now
    return row


def clear_line(
    session: Session, line: Line, event: LineCleared, *, cleared_by: uuid.UUID, now: datetime
) -> tuple[LineClearance, LineOccupancy]:
    """Record the clearance with what the line held before, and free the line."""
    occupancy = session.get(LineOccupancy, line.id)
    clearance = LineClearance(
        id=event.clearance_id,
        line_id=line.id,
        cleared_by=cleared_by,
        cleared_at=event.at,
        reason=event.reason,
        previous_work_order_number=None if occupancy is None else occupancy.work_order_number,
        previous_article=None if occupancy is None else occupancy.article,
        previous_destination=None if occupancy is None else occupancy.destination,
    )
    session.add(clearance)
    return clearance, hold(session, line, None, transfer_id=None, now=now)
