"""What people may ask of sync (a round now), and what the screens may truthfully say of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.store.models import OutboxEvent, SyncState
from kiosk.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SyncOutlook:
    """What this kiosk knows of its sync, for a text that must not claim more."""

    is_set_up: bool  # False: this kiosk never syncs (the demo); only it sees its records
    waiting: int  # events the server has not answered yet
    last_success_at: datetime | None  # the last round that reached the server


class SyncControlService:
    """`trigger` wakes the sync worker; None on a kiosk that does not sync."""

    def __init__(self, uow: UnitOfWork, trigger: Callable[[], None] | None) -> None:
        self._uow = uow
        self._trigger = trigger

    @property
    def is_set_up(self) -> bool:
        return self._trigger is not None

    def sync_now(self, actor: Actor) -> None:
        """Audited; refused for roles without the permission and on a kiosk without sync."""
        with self._uow.action(actor.audit, Action.SYNC_NOW.value) as tx:
            tx.about("device", None)
            authorize(actor, Action.SYNC_NOW)
            if self._trigger is None:
                raise RefusalError(ErrorCode.SYNC_NOT_SET_UP)
            tx.audit()
        self._trigger()

    def outlook(self) -> SyncOutlook:
        """Events waiting in the outbox and the last successful round, as stored now."""
        with self._uow.database.reader() as session:
            waiting = session.scalar(
                select(func.count()).select_from(OutboxEvent).where(OutboxEvent.acked_at.is_(None))
            )
            state = session.get(SyncState, 1)
            return SyncOutlook(
                is_set_up=self.is_set_up,
                waiting=int(waiting or 0),
                last_success_at=None if state is None else state.last_success_at,
            )
