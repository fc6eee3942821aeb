"""The badge screen's list: who has a badge bound.

Binding and unbinding go to the server as direct requests (kiosk.services.identity):
a queued event naming an admin would prove nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.badge_hasher import BadgeHasher
from kiosk.services.views import BadgeHolderView
from kiosk.store.models import User
from kiosk.store.unit_of_work import UnitOfWork


class BadgeService:
    def __init__(self, uow: UnitOfWork, hasher: BadgeHasher) -> None:
        self._uow = uow
        self._hasher = hasher

    def holders(self, actor: Actor) -> list[BadgeHolderView]:
        """Every active user, with whether a badge is bound, for the enrolment list."""
        authorize(actor, Action.BADGE_MANAGE)
        with self._uow.database.reader() as session:
            users = session.scalars(
                select(User).where(User.is_active.is_(True)).order_by(User.employee_no)
            ).all()
            return [holder_view(user) for user in users]


def holder_view(user: User) -> BadgeHolderView:
    """A person as the badge screen lists them."""
    return BadgeHolderView(
        user_id=user.id,
        employee_no=user.employee_no,
        name=user.name,
        role=user.role,
        has_badge=user.badge_hash is not None,
    )
