"""What people may ask of sync: a supervisor or admin asks for a round now."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.store.unit_of_work import UnitOfWork


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
