"""E-Kanban events applied to the card rows."""

from __future__ import annotations

import uuid
from datetime import datetime

from kiosk.domain.errors import RefusalError
from kiosk.domain.events import KanbanRequested
from kiosk.domain.kanban import KanbanCommand, KanbanStatus, next_kanban_status
from kiosk.store.models import KanbanCard

DECISIONS = (KanbanCommand.APPROVE, KanbanCommand.REJECT)


def new_card(event: KanbanRequested, *, line_id: uuid.UUID, requested_by: uuid.UUID) -> KanbanCard:
    """The requested card (the caller adds it to its session)."""
    return KanbanCard(
        id=event.card_id,
        card_no=event.card_no,
        line_id=line_id,
        item_code=event.item,
        quantity=event.quantity,
        status=KanbanStatus.REQUESTED,
        requested_by=requested_by,
        requested_at=event.at,
        version=1,
    )


def next_card_status(card: KanbanCard, command: KanbanCommand) -> KanbanStatus:
    """The next status, or the domain's refusal with the card's number added."""
    try:
        return next_kanban_status(card.status, command)
    except RefusalError as refusal:
        raise RefusalError(refusal.code, **refusal.fields, card_no=card.card_no) from None


def step_card(
    card: KanbanCard,
    command: KanbanCommand,
    *,
    by: uuid.UUID,
    at: datetime,
    reason: str | None,
) -> KanbanStatus:
    """Take one step: the new status, who took it and when, and the card's next version.

    Raises the domain's `RefusalError` when the step is not allowed from the card's status.
    """
    card.status = next_card_status(card, command)
    if command in DECISIONS:
        card.decided_by = by
        card.decided_at = at
        card.decision_reason = reason
    elif command is KanbanCommand.SHIP:
        card.shipped_by = by
        card.shipped_at = at
    else:
        card.received_by = by
        card.received_at = at
    card.version += 1
    return card.status
