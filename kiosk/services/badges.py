"""Badge enrolment: an admin binds a tapped badge to a user, or unbinds it."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.events import BadgeEnrolled, BadgeUnbound
from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.badge_hasher import BadgeHasher
from kiosk.services.effects.people import change_badge
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
            return [_holder(user) for user in users]

    def enrol(self, actor: Actor, user_id: uuid.UUID, uid: str) -> BadgeHolderView:
        """Bind the badge to the user (replacing their old badge); a badge has one owner."""
        digest = self._hasher.digest(uid)
        with self._uow.action(actor.audit, Action.BADGE_MANAGE.value) as tx:
            tx.about("user", user_id, operation="enrol", badge_ref=digest[:12])
            authorize(actor, Action.BADGE_MANAGE)
            user = tx.session.get(User, user_id)
            if user is None or not user.is_active:
                raise RefusalError(ErrorCode.UNKNOWN_EMPLOYEE, user_id=str(user_id))
            # During a badge-key rotation the badge may still be someone's under the old key.
            previous = self._hasher.previous_digest(uid)
            known = [digest] if previous is None else [digest, previous]
            owner = tx.session.scalar(select(User).where(User.badge_hash.in_(known)))
            if owner is not None and owner.id != user.id:
                raise RefusalError(
                    ErrorCode.BADGE_IN_USE, employee_no=owner.employee_no, name=owner.name
                )
            replaced = user.badge_hash is not None and user.badge_hash != digest
            event = BadgeEnrolled(user_id=user.id, badge_hash=digest, at=tx.now)
            change_badge(user, event)
            tx.audit(employee_no=user.employee_no, replaced=replaced)
            tx.emit(event)
            return _holder(user)

    def unbind(self, actor: Actor, user_id: uuid.UUID) -> BadgeHolderView:
        """Remove the user's badge (lost or handed back): it no longer logs anyone in."""
        with self._uow.action(actor.audit, Action.BADGE_MANAGE.value) as tx:
            tx.about("user", user_id, operation="unbind")
            authorize(actor, Action.BADGE_MANAGE)
            user = tx.session.get(User, user_id)
            if user is None:
                raise RefusalError(ErrorCode.UNKNOWN_EMPLOYEE, user_id=str(user_id))
            if user.badge_hash is None:
                raise RefusalError(ErrorCode.BADGE_NOT_BOUND, employee_no=user.employee_no)
            unbound = BadgeUnbound(user_id=user.id, at=tx.now)
            change_badge(user, unbound)
            tx.audit(employee_no=user.employee_no)
            tx.emit(unbound)
            return _holder(user)


def _holder(user: User) -> BadgeHolderView:
    return BadgeHolderView(
        user_id=user.id,
        employee_no=user.employee_no,
        name=user.name,
        role=user.role,
        has_badge=user.badge_hash is not None,
    )
