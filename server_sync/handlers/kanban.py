"""E-Kanban on the server: a step is taken at the version the kiosk saw, or it conflicts."""

from __future__ import annotations

from kiosk.domain.approval import refuse_own_work
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.events import EventKind, KanbanRequested, KanbanStepped
from kiosk.domain.kanban import COMMAND_ACTIONS, KanbanCommand
from kiosk.domain.reasons import clean_reason
from kiosk.domain.roles import Action, Department
from kiosk.services.effects.kanban import DECISIONS, new_card, step_card
from kiosk.services.kanban import KanbanPolicy
from kiosk.store.models import KanbanCard, KanbanItem, Line
from server_sync.handlers.context import EventContext, conflict, domain_rules, handles, rejected


@handles(EventKind.KANBAN_REQUESTED)
def kanban_requested(ctx: EventContext, event: KanbanRequested) -> None:
    line = ctx.line(event.line)
    ctx.check_device_serves(line)
    actor = ctx.actor()
    ctx.authorize(actor, Action.KANBAN_REQUEST, line)
    item = ctx.session.get(KanbanItem, event.item)
    if item is None:
        raise rejected("kanban.item_unknown", item=event.item)
    if event.quantity > min(item.max_quantity, KanbanPolicy().max_quantity_any_item):
        raise rejected(
            ErrorCode.QUANTITY_ABSURD.value, value=event.quantity, limit=item.max_quantity
        )
    if ctx.session.get(KanbanCard, event.card_id) is not None:
        raise conflict("card_exists", card_id=str(event.card_id))
    ctx.session.add(new_card(event, line_id=line.id, requested_by=actor.user_id))


@handles(*KanbanStepped.kinds)
def kanban_stepped(ctx: EventContext, event: KanbanStepped) -> None:
    """A step taken on a card at the version the kiosk saw; another version is a conflict."""
    command = event.command
    card = ctx.session.get(KanbanCard, event.card_id)
    if card is None:
        raise rejected("kanban.card_not_found", card_id=str(event.card_id))
    line = ctx.session.get(Line, card.line_id)
    assert line is not None
    if command is KanbanCommand.RECEIVE:
        ctx.check_device_serves(line)
        actor = ctx.actor()
        ctx.authorize(actor, COMMAND_ACTIONS[command], line)
    else:
        ctx.check_device_department(Department.WAREHOUSE)
        actor = ctx.actor()
        ctx.authorize(actor, COMMAND_ACTIONS[command])
    if command in DECISIONS:
        with domain_rules():
            refuse_own_work(actor.user_id, card.requested_by, card_no=card.card_no)
    if card.version != event.version - 1:
        raise conflict(
            "kanban_version",
            card_no=card.card_no,
            expected=event.version - 1,
            central=card.version,
            status=card.status.value,
        )
    reason = event.reason if command is KanbanCommand.REJECT else None
    if reason is not None or command is KanbanCommand.REJECT:
        with domain_rules():
            clean_reason(reason or "")
    status = card.status
    try:
        step_card(card, command, by=actor.user_id, at=event.at, reason=reason)
    except RefusalError:
        raise conflict("kanban_state", card_no=card.card_no, status=status.value) from None
