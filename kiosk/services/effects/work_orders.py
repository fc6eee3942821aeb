"""Work-order events applied to their rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.correction import EntryState
from kiosk.domain.events import ProductionCorrected, ProductionRecorded, WorkOrderStepped
from kiosk.domain.pauses import add_paused_time
from kiosk.domain.work_order import WorkOrderCommand, WorkOrderStatus, next_status
from kiosk.store.models import ProductionCorrectionRow, ProductionEntryRow, WorkOrder


def record_production(
    work_order: WorkOrder, event: ProductionRecorded, user_id: uuid.UUID
) -> dict[str, Any]:
    """Add the counts to the work order; returns the new production entry's column values.

    The caller writes the entry: the kiosk as an ORM row, the server in bulk with its batch.
    """
    work_order.good_qty += event.good
    work_order.reject_qty += event.reject
    work_order.version += 1
    return {
        "id": event.entry_id,
        "work_order_id": work_order.id,
        "user_id": user_id,
        "good": event.good,
        "reject": event.reject,
        "reject_reason": event.reject_reason,
        "recorded_at": event.recorded_at,
    }


def entry_state(
    session: Session,
    entry_id: uuid.UUID,
    *,
    pending: Iterable[tuple[type[Any], Mapping[str, Any]]] = (),
) -> EntryState | None:
    """The entry as it counts now: its own counts, or those of its latest correction.

    `pending` are rows written but not yet in the session (the server writes a batch's
    entries and corrections in bulk after its handlers), as (model, column values).
    """
    entry: Mapping[str, Any] | None = None
    row = session.get(ProductionEntryRow, entry_id)
    if row is not None:
        entry = _entry_values(row)
    corrections: list[Mapping[str, Any]] = [
        _correction_values(correction)
        for correction in session.scalars(
            select(ProductionCorrectionRow)
            .where(ProductionCorrectionRow.entry_id == entry_id)
            .order_by(ProductionCorrectionRow.corrected_at)
        )
    ]
    for model, values in pending:
        if model is ProductionEntryRow and values["id"] == entry_id:
            entry = values
        elif model is ProductionCorrectionRow and values["entry_id"] == entry_id:
            corrections.append(values)
    if entry is None:
        return None
    latest = max(corrections, key=lambda values: values["corrected_at"], default=None)
    counts = entry if latest is None else latest
    reason = counts["reject_reason"]
    return EntryState(
        entry_id=entry_id,
        work_order_id=entry["work_order_id"],
        user_id=entry["user_id"],
        recorded_at=entry["recorded_at"],
        good=counts["good"],
        reject=counts["reject"],
        reject_reason=None if reason is None else str(getattr(reason, "value", reason)),
        is_void=latest is not None and bool(latest["is_void"]),
        corrections=len(corrections),
        recorded_good=entry["good"],
        recorded_reject=entry["reject"],
    )


def correct_production(
    work_order: WorkOrder, event: ProductionCorrected, entry: EntryState
) -> dict[str, Any]:
    """Replace the entry's counts in the work order's totals; returns the correction's
    column values (the caller writes the row, as for an entry)."""
    work_order.good_qty += event.good - entry.good
    work_order.reject_qty += event.reject - entry.reject
    work_order.version += 1
    return {
        "id": event.correction_id,
        "entry_id": entry.entry_id,
        "work_order_id": work_order.id,
        "user_id": event.user_id,
        "approved_by": event.approved_by,
        "good": event.good,
        "reject": event.reject,
        "reject_reason": event.reject_reason,
        "is_void": event.is_void,
        "reason": event.reason,
        "corrected_at": event.at,
    }


def step_work_order(work_order: WorkOrder, event: WorkOrderStepped) -> WorkOrderStatus:
    """Move the work order on, stamping when it started and completed, and keeping the
    time it stood paused per reason.

    Raises the domain's `RefusalError` when the step is not allowed from its status.
    """
    after = next_status(work_order.status, event.command)
    if work_order.paused_at is not None:  # a pause ends (resumed or completed)
        work_order.paused_seconds = add_paused_time(
            work_order.paused_seconds or {},
            None if work_order.pause_reason is None else work_order.pause_reason.value,
            work_order.paused_at,
            event.at,
        )
        work_order.paused_at = None
        work_order.pause_reason = None
    if after is WorkOrderStatus.PAUSED:
        work_order.paused_at = event.at
        work_order.pause_reason = event.pause_reason
    work_order.status = after
    if event.command is WorkOrderCommand.START and work_order.started_at is None:
        work_order.started_at = event.at
    if after is WorkOrderStatus.COMPLETED:
        work_order.completed_at = event.at
    work_order.version += 1
    return after


def _entry_values(row: ProductionEntryRow) -> dict[str, Any]:
    return {
        "work_order_id": row.work_order_id,
        "user_id": row.user_id,
        "recorded_at": row.recorded_at,
        "good": row.good,
        "reject": row.reject,
        "reject_reason": row.reject_reason,
    }


def _correction_values(row: ProductionCorrectionRow) -> dict[str, Any]:
    return {
        "entry_id": row.entry_id,
        "good": row.good,
        "reject": row.reject,
        "reject_reason": row.reject_reason,
        "is_void": row.is_void,
        "corrected_at": row.corrected_at,
    }
