"""Work orders on the server: counts are facts, a step is checked against central status."""

from __future__ import annotations

import uuid

from kiosk.domain.errors import RefusalError
from kiosk.domain.events import EventKind, ProductionRecorded, WorkOrderStepped
from kiosk.domain.roles import Action
from kiosk.domain.work_order import COMMAND_ACTIONS, validate_entry
from kiosk.services.effects.work_orders import record_production, step_work_order
from kiosk.store.models import Line, ProductionEntryRow, WorkOrder
from server_sync.handlers.context import (
    EventContext,
    NewRow,
    conflict,
    domain_rules,
    handles,
    rejected,
)


def _work_order(ctx: EventContext, work_order_id: uuid.UUID) -> tuple[WorkOrder, Line]:
    work_order = ctx.session.get(WorkOrder, work_order_id)
    if work_order is None:
        raise rejected("unknown_work_order", work_order_id=str(work_order_id))
    line = ctx.session.get(Line, work_order.line_id)
    assert line is not None
    ctx.check_device_serves(line)
    return work_order, line


@handles(EventKind.PRODUCTION_RECORDED)
def production_recorded(ctx: EventContext, event: ProductionRecorded) -> None:
    """Counts are append-only facts: added whatever the work order's state is now."""
    work_order, line = _work_order(ctx, event.work_order_id)
    actor = ctx.actor()
    ctx.authorize(actor, Action.WORK_ORDER_RECORD, line)
    if event.entry_id in ctx.cache.existing_entries:
        raise rejected("entry_exists", entry_id=str(event.entry_id))
    with domain_rules():
        validate_entry(
            ctx.rules.quantities,
            target=work_order.target_qty,
            good_so_far=work_order.good_qty,
            reject_so_far=work_order.reject_qty,
            good=event.good,
            reject=event.reject,
            reason=None if event.reject_reason is None else event.reject_reason.value,
        )
    ctx.cache.existing_entries.add(event.entry_id)
    values = record_production(work_order, event, actor.user_id)
    ctx.cache.new_rows.append(NewRow(ProductionEntryRow, values))


@handles(*WorkOrderStepped.kinds)
def work_order_stepped(ctx: EventContext, event: WorkOrderStepped) -> None:
    work_order, line = _work_order(ctx, event.work_order_id)
    actor = ctx.actor()
    ctx.authorize(actor, COMMAND_ACTIONS[event.command], line)
    status = work_order.status
    try:
        step_work_order(work_order, event)
    except RefusalError:
        raise conflict(
            "work_order_state", status=status.value, command=event.command.value
        ) from None
