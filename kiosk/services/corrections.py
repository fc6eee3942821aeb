"""Corrections and voids of recorded production entries, with a second person when due.

The person who recorded an entry corrects or voids it alone within the correction
window; any older entry, or someone else's, needs a supervisor of the department
(badge and PIN, `AuthService.authenticate_approver`) who did not record it, and a
reason. The entry stays on record; the correction is a new row and a new event,
applied by the same effect as on the server.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.correction import (
    CORRECTION_WINDOW,
    EntryState,
    check_approver,
    corrects_alone,
    validate_correction,
)
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.events import EventKind, ProductionCorrected
from kiosk.domain.ids import new_id
from kiosk.domain.reasons import CorrectionReason
from kiosk.domain.roles import Action
from kiosk.domain.work_order import QuantityPolicy, parse_quantity
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.effects.work_orders import correct_production, entry_state
from kiosk.services.views import CorrectionDone, EntryView, LineView
from kiosk.services.work_orders import work_order_view
from kiosk.store.models import ProductionCorrectionRow, ProductionEntryRow, User, WorkOrder
from kiosk.store.unit_of_work import UnitOfWork

RECENT_ENTRIES = 6
ACTION_CORRECT = "production.correct"
ACTION_VOID = "production.void"


class CorrectionService:
    """The recent entries of a work order, and their corrections and voids."""

    def __init__(
        self,
        uow: UnitOfWork,
        line: LineView,
        quantities: QuantityPolicy,
        window: timedelta = CORRECTION_WINDOW,
    ) -> None:
        self._uow = uow
        self._line = line
        self._quantities = quantities
        self._window = window

    @property
    def window(self) -> timedelta:
        return self._window

    def recent_entries(
        self, actor: Actor, work_order_id: uuid.UUID, limit: int = RECENT_ENTRIES
    ) -> list[EntryView]:
        """The work order's latest entries, newest first, with what the actor may do alone."""
        self._authorize(actor, Action.WORK_ORDER_VIEW)
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            work_order = self._work_order(session, work_order_id)
            ids = session.scalars(
                select(ProductionEntryRow.id)
                .where(ProductionEntryRow.work_order_id == work_order.id)
                .order_by(ProductionEntryRow.recorded_at.desc())
                .limit(limit)
            ).all()
            views = []
            for entry_id in ids:
                state = entry_state(session, entry_id)
                assert state is not None
                views.append(self._entry_view(session, state, actor, now))
            return views

    def needs_approval(self, actor: Actor, entry_id: uuid.UUID) -> bool:
        """Whether a supervisor must approve the actor's correction of this entry now."""
        with self._uow.database.reader() as session:
            state = entry_state(session, entry_id)
            if state is None:
                raise RefusalError(ErrorCode.ENTRY_NOT_FOUND, entry_id=str(entry_id))
            return not corrects_alone(state, actor.user_id, self._uow.clock.now(), self._window)

    def correct(
        self,
        actor: Actor,
        entry_id: uuid.UUID,
        *,
        good: str,
        reject: str,
        reject_reason: str | None,
        reason: str,
        approver: Actor | None = None,
    ) -> CorrectionDone:
        """Replace the entry's counts with those typed; refusals change nothing."""
        return self._apply(
            actor, entry_id, approver, reason, is_void=False, typed=(good, reject, reject_reason)
        )

    def void(
        self, actor: Actor, entry_id: uuid.UUID, *, reason: str, approver: Actor | None = None
    ) -> CorrectionDone:
        """Take the entry's counts back out of the work order; the entry stays on record."""
        return self._apply(actor, entry_id, approver, reason, is_void=True, typed=None)

    # ------------------------------------------------------------------ internals
    def _apply(
        self,
        actor: Actor,
        entry_id: uuid.UUID,
        approver: Actor | None,
        reason: str,
        *,
        is_void: bool,
        typed: tuple[str, str, str | None] | None,
    ) -> CorrectionDone:
        acting = actor if approver is None else approver
        action = ACTION_VOID if is_void else ACTION_CORRECT
        with self._uow.action(acting.audit, action) as tx:
            attempted: dict[str, object] = {"reason": reason, "requested_by": actor.employee_no}
            if typed is not None:
                attempted.update(good=typed[0], reject=typed[1], reject_reason=typed[2])
            tx.about("production_entry", entry_id, **attempted)
            self._authorize(actor, Action.WORK_ORDER_RECORD)
            state = entry_state(tx.session, entry_id)
            if state is None:
                raise RefusalError(ErrorCode.ENTRY_NOT_FOUND, entry_id=str(entry_id))
            work_order = self._work_order(tx.session, state.work_order_id)
            if approver is None:
                if not corrects_alone(state, actor.user_id, tx.now, self._window):
                    raise RefusalError(
                        ErrorCode.CORRECTION_NEEDS_APPROVAL,
                        entry_id=str(entry_id),
                        minutes=int(self._window.total_seconds() // 60),
                    )
            else:
                self._authorize(approver, Action.CORRECTION_APPROVE)
                check_approver(approver.user_id, state)
            why = _known_reason(reason)
            good, reject, reject_reason = 0, 0, None
            if typed is not None:
                good = parse_quantity(typed[0], "good")
                reject = parse_quantity(typed[1], "reject")
                reject_reason = typed[2]
            new = validate_correction(
                self._quantities,
                target=work_order.target_qty,
                good_total=work_order.good_qty,
                reject_total=work_order.reject_qty,
                entry=state,
                is_void=is_void,
                good=good,
                reject=reject,
                reject_reason=reject_reason,
            )
            event = ProductionCorrected(
                kind=EventKind.PRODUCTION_VOIDED if is_void else EventKind.PRODUCTION_CORRECTED,
                correction_id=new_id(),
                entry_id=state.entry_id,
                work_order_id=work_order.id,
                number=work_order.number,
                line=self._line.code,
                user_id=actor.user_id,
                approved_by=None if approver is None else approver.user_id,
                good=new.good,
                reject=new.reject,
                reject_reason=new.reason,
                reason=why,
                at=tx.now,
            )
            row = ProductionCorrectionRow(**correct_production(work_order, event, state))
            tx.session.add(row)
            tx.session.flush()
            tx.audit(
                number=work_order.number,
                before_good=state.good,
                before_reject=state.reject,
                good=new.good,
                reject=new.reject,
                approved_by=None if approver is None else approver.employee_no,
                good_total=work_order.good_qty,
                reject_total=work_order.reject_qty,
            )
            tx.emit(event)
            after = entry_state(tx.session, entry_id)
            assert after is not None
            return CorrectionDone(
                correction_id=row.id,
                entry=self._entry_view(tx.session, after, actor, tx.now),
                work_order=work_order_view(work_order, tx.now),
                approved_by=None if approver is None else approver.name,
            )

    def _work_order(self, session: Session, work_order_id: uuid.UUID) -> WorkOrder:
        row = session.get(WorkOrder, work_order_id)
        if row is None:
            raise RefusalError(ErrorCode.WORK_ORDER_NOT_FOUND, work_order_id=str(work_order_id))
        if row.line.code != self._line.code:
            raise RefusalError(
                ErrorCode.WORK_ORDER_OTHER_LINE,
                number=row.number,
                line=row.line.code,
                this_line=self._line.code,
            )
        return row

    def _entry_view(
        self, session: Session, state: EntryState, actor: Actor, now: datetime
    ) -> EntryView:
        user = session.get(User, state.user_id)
        return EntryView(
            entry_id=state.entry_id,
            work_order_id=state.work_order_id,
            recorded_at=state.recorded_at,
            recorded_by="" if user is None else user.name,
            good=state.good,
            reject=state.reject,
            reject_reason=state.reject_reason,
            is_void=state.is_void,
            is_corrected=state.corrections > 0 and not state.is_void,
            is_own=state.user_id == actor.user_id,
            corrects_alone=not state.is_void
            and corrects_alone(state, actor.user_id, now, self._window),
            recorded_good=state.recorded_good,
            recorded_reject=state.recorded_reject,
        )

    def _authorize(self, actor: Actor, action: Action) -> None:
        authorize(actor, action, line_code=self._line.code, department=self._line.department)


def _known_reason(reason: str) -> CorrectionReason:
    try:
        return CorrectionReason(reason)
    except ValueError:
        raise RefusalError(ErrorCode.REASON_REQUIRED, reason=reason) from None
