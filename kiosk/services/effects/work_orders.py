"""Work-order events applied to their rows."""

from __future__ import annotations

import uuid
from typing import Any

from kiosk.domain.events import ProductionRecorded, WorkOrderStepped
from kiosk.domain.work_order import WorkOrderCommand, WorkOrderStatus, next_status
from kiosk.store.models import WorkOrder


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


def step_work_order(work_order: WorkOrder, event: WorkOrderStepped) -> WorkOrderStatus:
    """Move the work order on, stamping when it started and completed.

    Raises the domain's `RefusalError` when the step is not allowed from its status.
    """
    after = next_status(work_order.status, event.command)
    work_order.status = after
    if event.command is WorkOrderCommand.START and work_order.started_at is None:
        work_order.started_at = event.at
    if after is WorkOrderStatus.COMPLETED:
        work_order.completed_at = event.at
    work_order.version += 1
    return after
