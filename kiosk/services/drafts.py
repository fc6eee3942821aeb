"""Drafts: what a user typed but did not confirm, offered back at their next login."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from kiosk.services.actor import Actor
from kiosk.services.views import DraftView
from kiosk.store.models import Draft, WorkOrder
from kiosk.store.unit_of_work import ActionTx, UnitOfWork

DRAFT_KIND_RECORD = "record"


def store_draft(
    tx: ActionTx,
    user_id: uuid.UUID,
    kind: str,
    work_order_id: uuid.UUID | None,
    fields: dict[str, str],
) -> None:
    """Keep one draft per user: the newest replaces the older."""
    existing = tx.session.get(Draft, user_id)
    if existing is None:
        tx.session.add(
            Draft(
                user_id=user_id,
                kind=kind,
                work_order_id=work_order_id,
                fields=dict(fields),
                saved_at=tx.now,
            )
        )
    else:
        existing.kind = kind
        existing.work_order_id = work_order_id
        existing.fields = dict(fields)
        existing.saved_at = tx.now
    tx.session.flush()


def draft_view(session: Session, draft: Draft) -> DraftView:
    number = None
    if draft.work_order_id is not None:
        work_order = session.get(WorkOrder, draft.work_order_id)
        number = None if work_order is None else work_order.number
    return DraftView(
        kind=draft.kind,
        work_order_id=draft.work_order_id,
        work_order_number=number,
        fields=dict(draft.fields),
        saved_at=draft.saved_at,
    )


class DraftService:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def discard(self, actor: Actor) -> None:
        """The user declined the draft (or confirmed the entry it held)."""
        with self._uow.action(actor.audit, "draft.discard") as tx:
            tx.about("draft", actor.user_id)
            draft = tx.session.get(Draft, actor.user_id)
            if draft is not None:
                tx.session.delete(draft)
            tx.audit(existed=draft is not None)
