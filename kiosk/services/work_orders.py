"""Work orders of the kiosk's line: list, find, start, record, pause, resume, complete."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.events import ProductionRecorded, WorkOrderStepped
from kiosk.domain.ids import new_id
from kiosk.domain.pauses import paused_minutes
from kiosk.domain.reasons import PauseReason
from kiosk.domain.roles import Action
from kiosk.domain.work_order import (
    COMMAND_ACTIONS,
    LIST_ORDER,
    WITHDRAWN_STATUSES,
    QuantityPolicy,
    WorkOrderCommand,
    WorkOrderStatus,
    allowed_commands,
    next_status,
    parse_quantity,
    validate_entry,
)
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.effects.work_orders import record_production, step_work_order
from kiosk.services.views import LineStatus, LineView, RecordedEntry, WorkOrderView
from kiosk.store.models import Draft, Line, ProductionEntryRow, WorkOrder
from kiosk.store.unit_of_work import ActionTx, UnitOfWork


class WorkOrderService:
    """Everything an operator does with the work orders of the kiosk's line."""

    def __init__(self, uow: UnitOfWork, line: LineView, quantities: QuantityPolicy) -> None:
        self._uow = uow
        self._line = line
        self._quantities = quantities

    @property
    def quantity_policy(self) -> QuantityPolicy:
        return self._quantities

    # ------------------------------------------------------------------ reading
    def line_status(self) -> LineStatus:
        """What the line is doing, shown to anyone in front of the kiosk (no login needed)."""
        with self._uow.database.reader() as session:
            rows = session.execute(
                select(WorkOrder.number, WorkOrder.status)
                .join(Line)
                .where(Line.code == self._line.code)
                .where(WorkOrder.status.in_([WorkOrderStatus.IN_PROGRESS, WorkOrderStatus.PAUSED]))
                .order_by(WorkOrder.sequence)
            ).all()
        return LineStatus(
            running=[number for number, status in rows if status is WorkOrderStatus.IN_PROGRESS],
            paused=[number for number, status in rows if status is WorkOrderStatus.PAUSED],
        )

    def list_for_line(
        self, actor: Actor, *, include_completed: bool = False
    ) -> list[WorkOrderView]:
        """The line's work orders, what to do next first."""
        self._authorize(actor, Action.WORK_ORDER_VIEW)
        with self._uow.database.reader() as session:
            query = (
                select(WorkOrder)
                .join(Line)
                .where(Line.code == self._line.code)
                .where(WorkOrder.status.not_in(WITHDRAWN_STATUSES))
            )
            if not include_completed:
                query = query.where(WorkOrder.status != WorkOrderStatus.COMPLETED)
            rows = session.scalars(query).all()
            views = [work_order_view(row) for row in rows]
        return sorted(views, key=lambda v: (LIST_ORDER[v.status], v.sequence, v.number))

    def department_output(self, actor: Actor) -> list[WorkOrderView]:
        """Work running or paused on the supervisor's lines, with output against target.

        A line's kiosk knows its own line's work orders; a supervisor's desktop, every
        line of the department.
        """
        authorize(actor, Action.SUPERVISOR_SCREEN)
        with self._uow.database.reader() as session:
            rows = session.scalars(
                select(WorkOrder)
                .join(Line)
                .where(Line.department == actor.department)
                .where(WorkOrder.status.in_([WorkOrderStatus.IN_PROGRESS, WorkOrderStatus.PAUSED]))
                .order_by(Line.code, WorkOrder.sequence)
            ).all()
            now = self._uow.clock.now()
            return [work_order_view(row, now) for row in rows]

    def get(self, actor: Actor, work_order_id: uuid.UUID) -> WorkOrderView:
        self._authorize(actor, Action.WORK_ORDER_VIEW)
        with self._uow.database.reader() as session:
            row = session.get(WorkOrder, work_order_id)
            if row is None:
                raise RefusalError(ErrorCode.WORK_ORDER_NOT_FOUND, work_order_id=str(work_order_id))
            self._check_on_this_line(row)
            return work_order_view(row, self._uow.clock.now())

    def find(self, actor: Actor, text: str) -> WorkOrderView:
        """Open a work order by its number or by the digits at its end (typed on the keypad)."""
        wanted = text.strip().upper()
        try:
            self._authorize(actor, Action.WORK_ORDER_VIEW)
            with self._uow.database.reader() as session:
                row = _find_row(session, wanted, self._line.code)
                if row is None:
                    raise RefusalError(ErrorCode.WORK_ORDER_NOT_FOUND, number=wanted)
                self._check_on_this_line(row)
                return work_order_view(row, self._uow.clock.now())
        except RefusalError as refusal:
            self._uow.record_refusal(
                actor.audit,
                "work_order.find",
                refusal,
                entity="work_order",
                entity_id=None,
                attempted={"text": wanted, "line": self._line.code},
            )
            raise

    # ------------------------------------------------------------------ commands
    def start(
        self, actor: Actor, work_order_id: uuid.UUID, *, alongside: Collection[str] = ()
    ) -> WorkOrderView:
        """Start it; while another work order runs on the line, only if the person confirmed
        it runs beside those (`alongside`: their numbers), else `WORK_ORDER_LINE_RUNNING`
        names them and nothing changes."""
        return self._transition(actor, work_order_id, WorkOrderCommand.START, alongside)

    def pause(self, actor: Actor, work_order_id: uuid.UUID, *, reason: str | None) -> WorkOrderView:
        """Pause with a reason from the site's list; its minutes are kept until resumed."""
        return self._transition(actor, work_order_id, WorkOrderCommand.PAUSE, pause_reason=reason)

    def resume(
        self, actor: Actor, work_order_id: uuid.UUID, *, alongside: Collection[str] = ()
    ) -> WorkOrderView:
        """Run it again; asked first as `start` is when another one runs meanwhile."""
        return self._transition(actor, work_order_id, WorkOrderCommand.RESUME, alongside)

    def complete(self, actor: Actor, work_order_id: uuid.UUID) -> WorkOrderView:
        return self._transition(actor, work_order_id, WorkOrderCommand.COMPLETE)

    def record(
        self,
        actor: Actor,
        work_order_id: uuid.UUID,
        *,
        good: str,
        reject: str,
        reason: str | None,
    ) -> RecordedEntry:
        """Record good and reject pieces as typed; refused quantities change nothing."""
        with self._uow.action(actor.audit, Action.WORK_ORDER_RECORD.value) as tx:
            tx.about("work_order", work_order_id, good=good, reject=reject, reason=reason)
            row = self._load_for(tx, actor, work_order_id, Action.WORK_ORDER_RECORD)
            good_qty = parse_quantity(good, "good")
            reject_qty = parse_quantity(reject, "reject")
            next_status(row.status, WorkOrderCommand.RECORD)
            entry = validate_entry(
                self._quantities,
                target=row.target_qty,
                good_so_far=row.good_qty,
                reject_so_far=row.reject_qty,
                good=good_qty,
                reject=reject_qty,
                reason=reason,
            )
            event = ProductionRecorded(
                entry_id=new_id(),
                work_order_id=row.id,
                number=row.number,
                line=self._line.code,
                user_id=actor.user_id,
                good=entry.good,
                reject=entry.reject,
                reject_reason=entry.reason,
                recorded_at=tx.now,
            )
            entry_row = ProductionEntryRow(**record_production(row, event, actor.user_id))
            tx.session.add(entry_row)
            _drop_draft_for(tx, actor.user_id, row.id)
            tx.session.flush()
            tx.audit(
                number=row.number,
                good_total=row.good_qty,
                reject_total=row.reject_qty,
            )
            tx.emit(event)
            return RecordedEntry(
                entry_id=entry_row.id,
                good=entry.good,
                reject=entry.reject,
                reject_reason=None if entry.reason is None else entry.reason.value,
                work_order=work_order_view(row, tx.now),
            )

    # ------------------------------------------------------------------ internals
    def _transition(
        self,
        actor: Actor,
        work_order_id: uuid.UUID,
        command: WorkOrderCommand,
        alongside: Collection[str] = (),
        *,
        pause_reason: str | None = None,
    ) -> WorkOrderView:
        action = COMMAND_ACTIONS[command]
        with self._uow.action(actor.audit, action.value) as tx:
            tx.about("work_order", work_order_id)
            if command is WorkOrderCommand.PAUSE:
                tx.about("work_order", work_order_id, pause_reason=pause_reason)
            row = self._load_for(tx, actor, work_order_id, action)
            before = row.status
            after = next_status(row.status, command)
            if after is WorkOrderStatus.IN_PROGRESS:
                self._check_line_free(tx.session, row, alongside)
            reason = known_pause_reason(pause_reason) if command is WorkOrderCommand.PAUSE else None
            event = WorkOrderStepped(
                kind=WorkOrderStepped.kind_of(command),
                work_order_id=row.id,
                number=row.number,
                line=self._line.code,
                user_id=actor.user_id,
                status=after.value,
                at=tx.now,
                pause_reason=reason,
            )
            step_work_order(row, event)
            tx.session.flush()
            tx.audit(number=row.number, status_before=before.value, status_after=row.status.value)
            tx.emit(event)
            return work_order_view(row, tx.now)

    def _load_for(
        self, tx: ActionTx, actor: Actor, work_order_id: uuid.UUID, action: Action
    ) -> WorkOrder:
        self._authorize(actor, action)
        row = tx.session.get(WorkOrder, work_order_id)
        if row is None:
            raise RefusalError(ErrorCode.WORK_ORDER_NOT_FOUND, work_order_id=str(work_order_id))
        self._check_on_this_line(row)
        tx.about("work_order", row.id, number=row.number)
        return row

    def _authorize(self, actor: Actor, action: Action) -> None:
        """The role may take the action, and on this kiosk's line."""
        authorize(actor, action, line_code=self._line.code, department=self._line.department)

    def _check_line_free(
        self, session: Session, row: WorkOrder, alongside: Collection[str]
    ) -> None:
        """Another work order running on the line is named, unless confirmed beside it."""
        running = session.scalars(
            select(WorkOrder.number)
            .where(WorkOrder.line_id == row.line_id)
            .where(WorkOrder.status == WorkOrderStatus.IN_PROGRESS)
            .where(WorkOrder.id != row.id)
            .order_by(WorkOrder.sequence)
        ).all()
        unconfirmed = [number for number in running if number not in alongside]
        if unconfirmed:
            raise RefusalError(
                ErrorCode.WORK_ORDER_LINE_RUNNING,
                number=row.number,
                running=", ".join(running),
                running_numbers=list(running),
            )

    def _check_on_this_line(self, row: WorkOrder) -> None:
        if row.line.code != self._line.code:
            raise RefusalError(
                ErrorCode.WORK_ORDER_OTHER_LINE,
                number=row.number,
                line=row.line.code,
                this_line=self._line.code,
            )


def _drop_draft_for(tx: ActionTx, user_id: uuid.UUID, work_order_id: uuid.UUID) -> None:
    """A confirmed entry supersedes the user's draft for the same work order."""
    draft = tx.session.get(Draft, user_id)
    if draft is not None and draft.work_order_id == work_order_id:
        tx.session.delete(draft)


def _find_row(session: Session, wanted: str, line_code: str) -> WorkOrder | None:
    """The exact number, or the one work order whose number ends in the typed digits."""
    exact = session.scalar(select(WorkOrder).where(WorkOrder.number == wanted))
    if exact is not None or not wanted.isdigit():
        return exact
    # Typed digits match the end of the number: "4217" finds WO-2026-004217.
    candidates = session.scalars(
        select(WorkOrder).where(WorkOrder.number.like(f"%{wanted}")).limit(20)
    ).all()
    on_this_line = [row for row in candidates if row.line.code == line_code]
    if len(on_this_line) == 1:
        return on_this_line[0]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise RefusalError(ErrorCode.WORK_ORDER_AMBIGUOUS, digits=wanted, matches=len(candidates))
    return None


def work_order_view(row: WorkOrder, now: datetime | None = None) -> WorkOrderView:
    """The work order as the screens show it; `now` counts a pause still running."""
    return WorkOrderView(
        id=row.id,
        number=row.number,
        mo_number=row.mo_number,
        article=row.article,
        destination=row.destination,
        route=row.route,
        line_code=row.line.code,
        status=row.status,
        target_qty=row.target_qty,
        good_qty=row.good_qty,
        reject_qty=row.reject_qty,
        sequence=row.sequence,
        due_at=row.due_at,
        started_at=row.started_at,
        completed_at=row.completed_at,
        allowed=allowed_commands(row.status),
        pause_reason=None if row.pause_reason is None else row.pause_reason.value,
        paused_minutes=paused_minutes(
            row.paused_seconds or {},
            reason=None if row.pause_reason is None else row.pause_reason.value,
            paused_at=row.paused_at,
            now=now,
        ),
    )


def known_pause_reason(reason: str | None) -> PauseReason:
    """A pause reason from the site's list, or a refusal naming what was given."""
    try:
        return PauseReason(reason or "")
    except ValueError:
        raise RefusalError(ErrorCode.PAUSE_REASON_REQUIRED, reason=reason) from None
