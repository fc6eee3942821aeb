"""The supervisor's and the admin's screens: opened only through a permission check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.domain.errors import RefusalError
from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.alerts import AlertService
from kiosk.services.auth import AuthService
from kiosk.services.authz import authorize
from kiosk.services.kanban import KanbanService
from kiosk.services.kanban_views import KanbanCardView
from kiosk.services.lines import LineService
from kiosk.services.transfer_views import HoldView, OccupancyView
from kiosk.services.transfers import TransferService
from kiosk.services.views import AlertView, LockedUserView, WorkOrderView
from kiosk.services.work_orders import WorkOrderService
from kiosk.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SettingRow:
    """One effective setting and where its value came from."""

    name: str
    value: str
    source: str


@dataclass(frozen=True)
class SupervisorBoard:
    alerts: list[AlertView]
    locked_users: list[LockedUserView]
    holds: list[HoldView] = field(default_factory=list)
    lines: list[OccupancyView] = field(default_factory=list)
    acknowledged: list[AlertView] = field(default_factory=list)  # newest first
    kanban_in_flight: list[KanbanCardView] = field(default_factory=list)
    output: list[WorkOrderView] = field(default_factory=list)  # running and paused, by line


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
        kanban: KanbanService,
        work_orders: WorkOrderService,
    ) -> None:
        self._uow = uow
        self._work_orders = work_orders
        self._transfers = transfers
        self._lines = lines
        self._kanban = kanban
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
            output=self._work_orders.department_output(actor),
        )

    def kanban_in_flight(self, actor: Actor) -> list[KanbanCardView]:
        """The department's kanban requests not yet received or rejected."""
        return self._kanban.department_in_flight(actor)

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
