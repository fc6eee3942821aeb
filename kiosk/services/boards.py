"""The supervisor's and the admin's screens: opened only through a permission check."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from kiosk.domain.errors import RefusalError
from kiosk.domain.kanban import OPEN_STATUSES, KanbanStatus
from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.alerts import AlertService
from kiosk.services.auth import AuthService
from kiosk.services.authz import authorize
from kiosk.services.lines import LineService
from kiosk.services.transfer_views import HoldView, OccupancyView
from kiosk.services.transfers import TransferService
from kiosk.services.views import AlertView, LockedUserView
from kiosk.store.models import KanbanCard, Line
from kiosk.store.unit_of_work import UnitOfWork

# A kanban request is in flight until it is received or rejected.


@dataclass(frozen=True)
class SettingRow:
    """One effective setting and where its value came from."""

    name: str
    value: str
    source: str


@dataclass(frozen=True)
class KanbanInFlightView:
    """A kanban request of one of the department's lines, not yet received or rejected."""

    card_id: uuid.UUID
    card_no: str
    line_code: str
    item_code: str
    item_name: str
    unit: str
    quantity: int
    status: KanbanStatus
    step_since: datetime  # when the current step began
    age: timedelta  # how long the card has been in it when the board was made


@dataclass(frozen=True)
class SupervisorBoard:
    alerts: list[AlertView]
    locked_users: list[LockedUserView]
    holds: list[HoldView] = field(default_factory=list)
    lines: list[OccupancyView] = field(default_factory=list)
    acknowledged: list[AlertView] = field(default_factory=list)  # newest first
    kanban_in_flight: list[KanbanInFlightView] = field(default_factory=list)


@dataclass(frozen=True)
class AdminBoard:
    settings: list[SettingRow]
    locked_users: list[LockedUserView]


class BoardService:
    def __init__(
        self,
        uow: UnitOfWork,
        auth: AuthService,
        alerts: AlertService,
        settings_rows: Callable[[], list[SettingRow]],
        *,
        transfers: TransferService,
        lines: LineService,
    ) -> None:
        self._uow = uow
        self._transfers = transfers
        self._lines = lines
        self._auth = auth
        self._alerts = alerts
        self._settings_rows = settings_rows

    def supervisor_board(self, actor: Actor) -> SupervisorBoard:
        self._check(actor, Action.SUPERVISOR_SCREEN)
        return SupervisorBoard(
            alerts=self._alerts.open_alerts(actor),
            locked_users=self._auth.locked_users(actor),
            holds=self._transfers.holds(actor),
            lines=self._lines.department_lines(actor),
            acknowledged=self._alerts.recently_acknowledged(actor),
            kanban_in_flight=self.kanban_in_flight(actor),
        )

    def kanban_in_flight(self, actor: Actor) -> list[KanbanInFlightView]:
        """The department's kanban requests not yet received or rejected.

        By line, then the longest waiting in its current step first.
        """
        authorize(actor, Action.SUPERVISOR_SCREEN)
        if actor.department is None:
            return []
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            cards = session.scalars(
                select(KanbanCard)
                .join(Line, KanbanCard.line_id == Line.id)
                .where(Line.department == actor.department, KanbanCard.status.in_(OPEN_STATUSES))
            ).all()
            views = [_in_flight_view(card, now) for card in cards]
        return sorted(views, key=lambda view: (view.line_code, view.step_since, view.card_no))

    def admin_board(self, actor: Actor) -> AdminBoard:
        self._check(actor, Action.ADMIN_SCREEN)
        return AdminBoard(
            settings=self._settings_rows(),
            locked_users=self._auth.locked_users(actor),
        )

    def _check(self, actor: Actor, action: Action) -> None:
        """Refuse, and audit the attempt, unless the role may open this screen."""
        try:
            authorize(actor, action)
        except RefusalError as refusal:
            self._uow.record_refusal(
                actor.audit, action.value, refusal, entity="screen", entity_id=None, attempted={}
            )
            raise


def _in_flight_view(card: KanbanCard, now: datetime) -> KanbanInFlightView:
    # The current step began at the card's latest stamp (approved, then shipped).
    since = card.shipped_at or card.decided_at or card.requested_at
    return KanbanInFlightView(
        card_id=card.id,
        card_no=card.card_no,
        line_code=card.line.code,
        item_code=card.item.code,
        item_name=card.item.name,
        unit=card.item.unit,
        quantity=card.quantity,
        status=card.status,
        step_since=since,
        age=max(now - since, timedelta(0)),
    )
