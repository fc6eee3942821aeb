"""Work orders on the server: counts and their corrections are facts, a step is checked
against central status."""

from __future__ import annotations

import uuid

from kiosk.domain.correction import check_approver, corrects_alone, validate_correction
from kiosk.domain.errors import RefusalError
from kiosk.domain.events import (
    EventKind,
    ProductionCorrected,
    ProductionRecorded,
    WorkOrderStepped,
)
from kiosk.domain.roles import Action
from kiosk.domain.work_order import COMMAND_ACTIONS, WorkOrderCommand, validate_entry
from kiosk.services.effects.work_orders import (
    correct_production,
    entry_state,
    record_production,
    step_work_order,
)
from kiosk.store.models import Line, ProductionCorrectionRow, ProductionEntryRow, WorkOrder
from server_sync.handlers.context import (
    EventContext,
    NewRow,
    conflict,
    domain_rules,
    handles,
    rejected,
)


def _work_order(ctx: EventContext, work_order_id: uuid.UUID) -> tuple[WorkOrder, Line]:
    found = ctx.cache.work_orders.get(work_order_id)
    if found is None:
        work_order = ctx.session.get(WorkOrder, work_order_id)
        if work_order is None:
            raise rejected("unknown_work_order", work_order_id=str(work_order_id))
        line = ctx.session.get(Line, work_order.line_id)
        assert line is not None
        found = ctx.cache.work_orders[work_order_id] = (work_order, line)
    ctx.check_device_serves(found[1])
    return found


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


@handles(*ProductionCorrected.kinds)
def production_corrected(ctx: EventContext, event: ProductionCorrected) -> None:
    """A correction or void of an entry of this device's line, by its recorder within the
    window, or approved by a supervisor of the department who did not record it."""
    work_order, line = _work_order(ctx, event.work_order_id)
    actor = ctx.actor()
    pending = [(row.model, row.values) for row in ctx.cache.new_rows]
    entry = entry_state(ctx.session, event.entry_id, pending=pending)
    if entry is None:
        raise rejected("unknown_entry", entry_id=str(event.entry_id))
    if entry.work_order_id != work_order.id:
        raise rejected("entry_work_order_mismatch", entry_id=str(event.entry_id))
    if ctx.session.get(ProductionCorrectionRow, event.correction_id) is not None or any(
        model is ProductionCorrectionRow and values["id"] == event.correction_id
        for model, values in pending
    ):
        raise rejected("correction_exists", correction_id=str(event.correction_id))
    ctx.person_here(event.user_id)
    if event.approved_by is None:
        ctx.authorize(actor, Action.WORK_ORDER_RECORD, line)
        if event.user_id != actor.user_id or not corrects_alone(entry, actor.user_id, event.at):
            raise rejected("entry.correction_needs_approval", entry_id=str(event.entry_id))
    else:
        if event.approved_by != actor.user_id:
            raise rejected("approver_not_actor", approved_by=str(event.approved_by))
        ctx.authorize(actor, Action.CORRECTION_APPROVE, line)
    if event.is_void and (event.good or event.reject or event.reject_reason):
        raise rejected("malformed", field="good")
    with domain_rules():
        if event.approved_by is not None:
            check_approver(actor.user_id, entry)
        new = validate_correction(
            ctx.rules.quantities,
            target=work_order.target_qty,
            good_total=work_order.good_qty,
            reject_total=work_order.reject_qty,
            entry=entry,
            is_void=event.is_void,
            good=event.good,
            reject=event.reject,
            reject_reason=None if event.reject_reason is None else event.reject_reason.value,
        )
    if (new.good, new.reject, new.reason) != (event.good, event.reject, event.reject_reason):
        raise rejected("malformed", field="reject_reason")  # a reason for no rejects
    values = correct_production(work_order, event, entry)
    ctx.cache.new_rows.append(NewRow(ProductionCorrectionRow, values))


@handles(*WorkOrderStepped.kinds)
def work_order_stepped(ctx: EventContext, event: WorkOrderStepped) -> None:
    work_order, line = _work_order(ctx, event.work_order_id)
    actor = ctx.actor()
    ctx.authorize(actor, COMMAND_ACTIONS[event.command], line)
    if event.pause_reason is not None and event.command is not WorkOrderCommand.PAUSE:
        raise rejected("malformed", field="pause_reason")
    status = work_order.status
    try:
        step_work_order(work_order, event)
    except RefusalError:
        raise conflict(
            "work_order_state", status=status.value, command=event.command.value
        ) from None
