"""Line occupancy and clearance: what each line holds, and a supervisor clearing it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.events import LineCleared, LineOccupancyChanged
from kiosk.domain.ids import new_id
from kiosk.domain.reasons import clean_reason
from kiosk.domain.roles import Action, Department
from kiosk.domain.transfer import Batch, Occupancy
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.effects.lines import clear_line, hold
from kiosk.services.transfer_views import ClearanceView, OccupancyView
from kiosk.services.views import LineView
from kiosk.store.models import Line, LineClearance, LineOccupancy, SyncState, User
from kiosk.store.unit_of_work import ActionTx, UnitOfWork


def occupancy_of(
    row: LineOccupancy | None, confirmed_at: datetime | None = None
) -> Occupancy | None:
    """What the row says a line holds, known as of its change or the last sync that confirmed it."""
    if row is None:
        return None
    batch = (
        None
        if row.work_order_number is None
        else Batch(row.work_order_number, row.article or "", row.destination or "")
    )
    return Occupancy(row.line.code, batch, row.since, _known_at(row, confirmed_at))


def _known_at(row: LineOccupancy, confirmed_at: datetime | None) -> datetime:
    """A row unchanged for hours is fresh knowledge if the server confirmed it a minute ago."""
    if confirmed_at is None:
        return row.observed_at
    return max(row.observed_at, confirmed_at)


def sync_confirmed_at(session: Session) -> datetime | None:
    """When this kiosk last pulled the server's state successfully (None: it does not sync)."""
    return session.scalar(select(SyncState.last_success_at).where(SyncState.id == 1))


def occupancy_view(
    line: Line,
    row: LineOccupancy | None,
    *,
    now: datetime,
    stale_after: timedelta | None,
    confirmed_at: datetime | None = None,
) -> OccupancyView:
    is_stale = (
        row is not None
        and stale_after is not None
        and now - _known_at(row, confirmed_at) > stale_after
    )
    return OccupancyView(
        line_code=line.code,
        line_name=line.name,
        department=line.department,
        work_order_number=None if row is None else row.work_order_number,
        article=None if row is None else row.article,
        destination=None if row is None else row.destination,
        since=None if row is None else row.since,
        observed_at=None if row is None else _known_at(row, confirmed_at),
        is_stale=is_stale,
    )


def set_occupancy(
    tx: ActionTx, line: Line, batch: Batch | None, *, transfer_id: uuid.UUID | None = None
) -> None:
    """Record what a line holds now; the caller's action emits the event."""
    emit_occupancy(tx, line, hold(tx.session, line, batch, transfer_id=transfer_id, now=tx.now))


def emit_occupancy(tx: ActionTx, line: Line, row: LineOccupancy) -> None:
    """Tell the server what the line holds now."""
    tx.emit(
        LineOccupancyChanged(
            line=line.code,
            work_order_number=row.work_order_number,
            article=row.article,
            destination=row.destination,
            since=row.since,
            at=tx.now,
        )
    )


def line_row(session: Session, code: str) -> Line | None:
    return session.scalar(select(Line).where(Line.code == code))


class LineService:
    """Occupancy as every kiosk shows it; clearance as a supervisor does it."""

    def __init__(self, uow: UnitOfWork, line: LineView, stale_after: timedelta) -> None:
        self._uow = uow
        self._line = line
        self._stale_after = stale_after

    def this_line(self) -> OccupancyView:
        """This kiosk's own line: it is authoritative, never stale. No login needed."""
        with self._uow.database.reader() as session:
            line = line_row(session, self._line.code)
            assert line is not None
            row = session.get(LineOccupancy, line.id)
            return occupancy_view(line, row, now=self._uow.clock.now(), stale_after=None)

    def department_lines(self, actor: Actor) -> list[OccupancyView]:
        """The lines of the supervisor's department with what each holds."""
        authorize(actor, Action.LINE_CLEAR)
        department = actor.department
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            lines = session.scalars(
                select(Line).where(Line.department == department).order_by(Line.code)
            ).all()
            confirmed_at = sync_confirmed_at(session)
            return [
                occupancy_view(
                    line,
                    session.get(LineOccupancy, line.id),
                    now=now,
                    stale_after=None if line.code == self._line.code else self._stale_after,
                    confirmed_at=confirmed_at,
                )
                for line in lines
            ]

    def clear(self, actor: Actor, line_code: str, reason: str) -> OccupancyView:
        """A supervisor of the line's department declares it empty (who, when, why)."""
        with self._uow.action(actor.audit, Action.LINE_CLEAR.value) as tx:
            tx.about("line", line_code, reason=reason)
            line = line_row(tx.session, line_code)
            if line is None:
                raise RefusalError(ErrorCode.LINE_NOT_FOUND, line=line_code, known=[])
            authorize(actor, Action.LINE_CLEAR, line_code=line.code, department=line.department)
            text = clean_reason(reason)
            row = tx.session.get(LineOccupancy, line.id)
            if row is not None and row.work_order_number is None:
                raise RefusalError(ErrorCode.LINE_ALREADY_CLEAR, line=line.code)
            event = LineCleared(
                clearance_id=new_id(),
                line=line.code,
                by=actor.user_id,
                at=tx.now,
                reason=text,
                previous_work_order_number=None if row is None else row.work_order_number,
            )
            clearance, freed = clear_line(
                tx.session, line, event, cleared_by=actor.user_id, now=tx.now
            )
            emit_occupancy(tx, line, freed)
            tx.audit(line=line.code, previous=clearance.previous_work_order_number)
            tx.emit(event)
            tx.session.flush()
            return occupancy_view(
                line, tx.session.get(LineOccupancy, line.id), now=tx.now, stale_after=None
            )

    def clearances(self, actor: Actor, line_code: str, limit: int = 10) -> list[ClearanceView]:
        authorize(actor, Action.LINE_CLEAR)
        with self._uow.database.reader() as session:
            rows = session.execute(
                select(LineClearance, Line.code, User.name)
                .join(Line, Line.id == LineClearance.line_id)
                .join(User, User.id == LineClearance.cleared_by)
                .where(Line.code == line_code)
                .order_by(LineClearance.cleared_at.desc())
                .limit(limit)
            ).all()
            return [
                ClearanceView(
                    line_code=code,
                    cleared_by=name,
                    cleared_at=row.cleared_at,
                    reason=row.reason,
                    previous_work_order_number=row.previous_work_order_number,
                )
                for row, code, name in rows
            ]


def department_of(session: Session, line_code: str) -> Department | None:
    line = line_row(session, line_code)
    return None if line is None else line.department
