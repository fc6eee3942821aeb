"""The kiosk window: routes what the user asks to the services and shows the outcome.

Screens only show data and emit requests; every service call goes through the
task runner (off the GUI thread); refusals become two-part messages; anything
unexpected becomes the "not recorded" notice with its traceback in the log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

from kiosk.domain.documents import PrintDocument
from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.domain.idle import IdleTimer
from kiosk.domain.roles import Action, Department, is_allowed
from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.domain.work_order import COMMAND_ACTIONS, WorkOrderCommand
from kiosk.services.actor import Actor
from kiosk.services.boards import AdminBoard, SupervisorBoard
from kiosk.services.container import KioskServices
from kiosk.services.drafts import DRAFT_KIND_RECORD
from kiosk.services.transfer_views import LineHoldSummary, OccupancyView
from kiosk.services.views import (
    BadgeHolderView,
    DraftView,
    LineStatus,
    LoginResult,
    PinRequired,
    RecordedEntry,
    RosterEntry,
    WorkOrderView,
)
from kiosk.sync.status import RoundReport, SyncStatus
from kiosk.ui.activity import ActivityFilter
from kiosk.ui.flows.handshake import HandshakeFlow
from kiosk.ui.flows.kanban import KanbanFlow
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.labels import department_label, role_label, status_label
from kiosk.ui.messages import describe, unexpected_error
from kiosk.ui.scan_router import ScanRouter
from kiosk.ui.screens.badges import BadgeScreen
from kiosk.ui.screens.boards import AdminScreen, SupervisorScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.login import LoginScreen
from kiosk.ui.screens.work_order import FIELD_GOOD, FIELD_REJECT, WorkOrderScreen
from kiosk.ui.sounds import Sounds
from kiosk.ui.sync_relay import SyncRelay
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.widgets.banner import ERROR, INFO, SUCCESS, WARNING, Banner
from kiosk.ui.widgets.header import HeaderBar
from kiosk.ui.widgets.health_strip import HealthStrip
from kiosk.ui.widgets.overlay import ChoiceOverlay
from kiosk.ui.widgets.page_stack import PageStack

if TYPE_CHECKING:
    from kiosk.devices.slip_printer import DocumentPrinter

log = logging.getLogger(__name__)

TICK_MS = 250
CAMERA_PANEL_SIZE = (426, 264)  # a 16:9 picture and its caption


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: KioskServices,
        runner: TaskRunner,
        times: TimeFormatter,
        parent: QWidget | None = None,
        *,
        sounds: Sounds | None = None,
        scan_repeat_seconds: float = 1.0,
        printer: DocumentPrinter | None = None,
        desktop: bool = False,
    ) -> None:
        super().__init__(parent)
        self.desktop = desktop  # a supervisor's office PC: the department board is home
        self.printer = printer
        self.line_holds: list[LineHoldSummary] = []
        self.services = services
        self.runner = runner
        self.times = times
        self.sounds = sounds if sounds is not None else Sounds(enabled=False)
        self.actor: Actor | None = None
        self.scan_router = ScanRouter(
            self.handle_scan, scan_repeat_seconds, self, monotonic=services.clock.monotonic
        )
        self._reader_state = "off"
        self._reader_bad_frames = 0
        self._camera_preview: QWidget | None = None
        self.idle = IdleTimer(services.clock, services.policies.idle)
        self.setWindowTitle(
            self.tr("Line kiosk - {department} desktop").format(
                department=services.line.department.value
            )
            if desktop
            else self.tr("Line kiosk - {line}").format(line=services.line.code)
        )
        self._build()
        self._wire()
        self._activity = ActivityFilter(self._on_activity, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._on_tick)
        self._ticker.start()
        self._on_tick()

    # ------------------------------------------------------------------ build
    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = HeaderBar(central)
        if self.desktop:
            department = department_label(self.services.line.department)
            self.header.set_line(department, self.tr("Supervisor's desktop"))
        else:
            self.header.set_line(self.services.line.code, self.services.line.name)
        layout.addWidget(self.header)
        self.idle_banner = Banner(central)
        layout.addWidget(self.idle_banner)
        self.stack = PageStack(central)
        layout.addWidget(self.stack, 1)
        self.login_screen = LoginScreen(self.stack)
        self.home_screen = HomeScreen(self.stack)
        self.work_order_screen = WorkOrderScreen(self.stack)
        self.supervisor_screen = SupervisorScreen(self.times, self.stack)
        self.admin_screen = AdminScreen(self.times, self.stack)
        self.badge_screen = BadgeScreen(self.stack)
        for screen in (
            self.login_screen,
            self.home_screen,
            self.work_order_screen,
            self.supervisor_screen,
            self.admin_screen,
            self.badge_screen,
        ):
            self.stack.addWidget(screen)
        # The preview floats over the bottom-right corner: in the layout it would push the
        # screen's buttons and the health strip off an 800-pixel screen.
        self.camera_panel = QWidget(central)
        self.camera_panel.setObjectName("cameraPanel")
        self.camera_panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.camera_panel_layout = QVBoxLayout(self.camera_panel)
        self.camera_panel_layout.setContentsMargins(3, 3, 3, 3)
        self.camera_panel.hide()
        self.health = HealthStrip(central)
        layout.addWidget(self.health)
        self.setCentralWidget(central)
        self.overlay = ChoiceOverlay(central)
        self.handshake = HandshakeFlow(self)
        self.kanban = KanbanFlow(self)

    def _wire(self) -> None:
        self.login_screen.pin_submitted.connect(self._on_login_pin_submitted)
        self.login_screen.employee_number_submitted.connect(self._on_login_employee_number)
        self.home_screen.work_order_chosen.connect(self.open_work_order)
        self.home_screen.find_requested.connect(self._on_home_find_requested)
        self.home_screen.kanban_button.clicked.connect(self.kanban.open_board)
        self.work_order_screen.command_requested.connect(self._on_work_order_command)
        self.work_order_screen.record_submitted.connect(self._on_work_order_record)
        self.work_order_screen.back_requested.connect(self.show_home)
        self.work_order_screen.handoff_requested.connect(self._on_handoff_requested)
        self.supervisor_screen.hold_chosen.connect(self.handshake.open_hold)
        self.supervisor_screen.clear_requested.connect(self._on_clear_line_requested)
        self.supervisor_screen.sync_now_requested.connect(self._on_sync_now_requested)
        self.header.logout_button.clicked.connect(lambda: self.logout("manual"))
        self.header.home_button.clicked.connect(self.show_home)
        self.header.supervisor_button.clicked.connect(self.open_supervisor_screen)
        self.header.admin_button.clicked.connect(self.open_admin_screen)
        self.supervisor_screen.acknowledge_requested.connect(self._on_supervisor_acknowledge)
        self.supervisor_screen.unlock_requested.connect(self._on_unlock_requested)
        self.admin_screen.unlock_requested.connect(self._on_unlock_requested)
        self.admin_screen.quit_requested.connect(self._on_admin_quit_requested)
        self.admin_screen.badges_requested.connect(self.open_badge_screen)
        self.badge_screen.back_requested.connect(self.open_admin_screen)
        self.badge_screen.unbind_requested.connect(self._on_badge_unbind_requested)
        self.scan_router.seen.connect(self._on_device_seen)
        self.health.camera_clicked.connect(self._toggle_camera_panel)
        if self.printer is not None:
            self.attach_printer(self.printer)

    # ------------------------------------------------------------------ start
    def start(self) -> None:
        """Show the login screen with the line's roster."""
        self.show_login()

    def current_screen(self) -> QWidget:
        return self.stack.currentWidget()

    def current_banner(self) -> Banner:
        banner = getattr(self.current_screen(), "banner", None)
        return banner if isinstance(banner, Banner) else self.idle_banner

    # ------------------------------------------------------------------ running services
    def call(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        *,
        on_refused: Callable[[KnownError], None] | None = None,
        busy: QWidget | None = None,
    ) -> None:
        """Run a service call off the GUI thread; refusals go to the screen's banner."""
        if busy is not None:
            busy.setEnabled(False)

        def done(result: Any) -> None:
            if busy is not None:
                busy.setEnabled(True)
            on_done(result)

        def failed(error: BaseException) -> None:
            if busy is not None:
                busy.setEnabled(True)
            if isinstance(error, KnownError):
                if on_refused is not None:
                    on_refused(error)
                else:
                    self.show_refusal(error)
            else:
                self.show_unexpected_error(error)

        self.runner.run(job, done, failed)

    def show_refusal(self, error: KnownError, banner: Banner | None = None) -> None:
        message = describe(error, self.times)
        (banner or self.current_banner()).show_message(ERROR, message.text, message.hint)

    def show_unexpected_error(self, error: BaseException) -> None:
        reference = uuid.uuid4().hex[:8]
        log.error("unexpected error (reference %s)", reference, exc_info=error)
        message = unexpected_error(reference)
        self.overlay.ask(message.text, message.hint, [("ok", self.tr("OK"), "primary")], _ignore)

    # ------------------------------------------------------------------ login
    def show_login(self) -> None:
        self.stack.setCurrentWidget(self.login_screen)
        self.login_screen.show_roster()
        self.call(self.services.auth.roster, self.login_screen.set_roster)
        self.refresh_line_status()

    def _on_login_employee_number(self, employee_no: str) -> None:
        def shown(entry: RosterEntry) -> None:
            self.login_screen.show_pin_entry(entry)

        self.call(lambda: self.services.auth.find_employee(employee_no), shown)

    def _on_login_pin_submitted(self, user_id: uuid.UUID, pin: str) -> None:
        def refused(error: KnownError) -> None:
            self.login_screen.clear_pin()
            if error.code is ErrorCode.ACCOUNT_LOCKED:
                self.login_screen.show_roster()
                self.call(self.services.auth.roster, self.login_screen.set_roster)
            self.show_refusal(error, self.login_screen.banner)

        after_badge = self.login_screen.pin_after_badge
        self.call(
            lambda: self.services.auth.login_with_pin(user_id, pin, after_badge=after_badge),
            self._begin_session,
            on_refused=refused,
            busy=self.login_screen.pin_page,  # no second submit while argon2 checks the PIN
        )

    def _begin_session(self, result: LoginResult) -> None:
        self.actor = result.actor
        self.idle.touch()
        self.login_screen.reset()
        actor = result.actor
        self.header.show_user(
            f"{actor.name} · {role_label(actor.role)}",
            # On a desktop the department board is home: no second button for it.
            may_supervise=is_allowed(actor.role, Action.SUPERVISOR_SCREEN) and not self.desktop,
            may_administer=is_allowed(actor.role, Action.ADMIN_SCREEN),
        )
        self.header.home_button.setText(
            self.tr("Department")
            if self.desktop
            else self.tr("Kanban board")
            if self.kanban.is_warehouse_user(actor)
            else self.tr("Work orders")
        )
        self.home_screen.kanban_button.setVisible(self.kanban.may_request(actor))
        self.work_order_screen.set_permitted_commands(
            frozenset(
                command
                for command, action in COMMAND_ACTIONS.items()
                if is_allowed(actor.role, action)
            )
        )
        log.info("logged in: %s (%s)", actor.employee_no, actor.role.value)
        self.show_home()
        if result.draft is not None:
            self._offer_draft(result.draft)

    def _offer_draft(self, draft: DraftView) -> None:
        if draft.kind != DRAFT_KIND_RECORD or draft.work_order_id is None:
            return
        good = draft.fields.get(FIELD_GOOD) or "0"
        reject = draft.fields.get(FIELD_REJECT) or "0"
        text = self.tr("You were recording {good} good and {reject} reject for {number}.").format(
            good=good, reject=reject, number=draft.work_order_number or ""
        )
        work_order_id = draft.work_order_id
        actor = self.require_actor()

        def answered(choice: str) -> None:
            if choice == "continue":
                self._continue_draft(work_order_id, draft.fields)
            else:
                self.call(lambda: self.services.drafts.discard(actor), _ignore)

        self.overlay.ask(
            self.tr("Continue where you left off?"),
            text,
            [
                ("discard", self.tr("Discard it"), "caution"),
                ("continue", self.tr("Continue"), "go"),
            ],
            answered,
        )

    def _continue_draft(self, work_order_id: uuid.UUID, fields: dict[str, Any]) -> None:
        actor = self.require_actor()

        def job() -> WorkOrderView:
            view = self.services.work_orders.get(actor, work_order_id)
            self.services.drafts.discard(actor)  # the draft now lives in the open record pad
            return view

        def shown(view: WorkOrderView) -> None:
            self._show_work_order(view)
            if WorkOrderCommand.RECORD in view.allowed:
                self.work_order_screen.open_record({k: str(v) for k, v in fields.items()})
                return
            self.work_order_screen.banner.show_message(
                WARNING,
                self.tr("{number} can no longer take quantities: it is {status}.").format(
                    number=view.number, status=status_label(view.status)
                ),
                self.tr("The quantity you had typed was not recorded."),
            )

        self.call(job, shown)

    # ------------------------------------------------------------------ scans
    def handle_scan(self, payload: ScanPayload) -> None:
        """A classified scan from any device: the active screen takes it, or it is refused."""
        context = self.scan_context()
        if self.actor is not None:
            self.idle.touch()
        if payload.kind is PayloadKind.BADGE:
            if context == "enrol":
                self._enrol_badge(payload.value)
            else:
                self._on_badge(payload.value)
            return
        if payload.kind is PayloadKind.WORK_ORDER and context in _WORK_ORDER_CONTEXTS:
            self._open_scanned_work_order(payload.value)
            return
        if payload.kind is PayloadKind.SLIP and context in _SLIP_CONTEXTS:
            self.handshake.handle_slip(payload.value)
            return
        if payload.kind is PayloadKind.KANBAN_CARD and context in _KANBAN_CONTEXTS:
            self.kanban.handle_card_scan(payload.value)
            return
        self._refuse_scan(payload, context)

    def scan_context(self) -> str:
        """Where a scan lands: the screen (or page) the user is looking at."""
        if self.actor is None:
            on_pin = self.login_screen.pages.currentWidget() is self.login_screen.pin_page
            return "pin" if on_pin else "login"
        if not self.overlay.isHidden():
            return "dialog"
        screen = self.current_screen()
        if screen is self.work_order_screen:
            return "record" if self.work_order_screen.is_recording() else "work_order"
        if screen is self.badge_screen:
            return "enrol" if self.badge_screen.waiting_for is not None else "badges"
        flow_context = self.handshake.context_for(screen) or self.kanban.context_for(screen)
        if flow_context is not None:
            return flow_context
        contexts: dict[QWidget, str] = {
            self.home_screen: "home",
            self.supervisor_screen: "supervisor",
            self.admin_screen: "admin",
        }
        return contexts.get(screen, "other")

    def _refuse_scan(self, payload: ScanPayload, context: str) -> None:
        self.sounds.error()
        actor = self.actor
        banner = self.current_banner()
        self.call(
            lambda: self.services.scans.refuse(actor, payload, context),
            lambda refusal: self.show_refusal(refusal, banner),
        )

    def _open_scanned_work_order(self, number: str) -> None:
        actor = self.require_actor()
        banner = self.current_banner()

        def shown(view: WorkOrderView) -> None:
            self.sounds.success()
            self._show_work_order(view)

        def refused(error: KnownError) -> None:
            self.sounds.error()
            self.show_refusal(error, banner)

        self.call(lambda: self.services.work_orders.find(actor, number), shown, on_refused=refused)

    # ------------------------------------------------------------------ badges
    def _on_badge(self, uid: str) -> None:
        """A badge tap: log in, or switch user (the previous user's draft is kept)."""
        current = self.actor
        if current is None:
            self._login_with_badge(uid)
            return

        def identified(owner: RosterEntry) -> None:
            if self.handshake.wants_approval(owner):
                self.sounds.success()
                self.handshake.start_approval(owner)
                return
            if self.actor is None or owner.user_id != self.actor.user_id:
                self.logout("switch")
                self._login_with_badge(uid)
                return
            self.sounds.success()
            self.current_banner().show_message(
                INFO, self.tr("You are logged in already, {name}.").format(name=owner.name)
            )

        self.call(
            lambda: self.services.auth.badge_owner(uid),
            identified,
            on_refused=self._badge_refused,
        )

    def _login_with_badge(self, uid: str) -> None:
        def done(result: LoginResult | PinRequired) -> None:
            self.sounds.success()
            if isinstance(result, PinRequired):
                self.login_screen.show_pin_entry(result.entry, after_badge=True)
                return
            self._begin_session(result)

        self.call(
            lambda: self.services.auth.login_with_badge(uid), done, on_refused=self._badge_refused
        )

    def _badge_refused(self, error: KnownError) -> None:
        self.sounds.error()
        if self.actor is None and error.code is not ErrorCode.BADGE_UNKNOWN:
            self.login_screen.show_roster()
        self.show_refusal(error)

    def open_badge_screen(self) -> None:
        actor = self.require_actor()

        def shown(holders: list[BadgeHolderView]) -> None:
            self.badge_screen.stop_waiting()
            self.badge_screen.show_holders(holders)
            self.stack.setCurrentWidget(self.badge_screen)

        self.call(lambda: self.services.badges.holders(actor), shown)

    def _enrol_badge(self, uid: str) -> None:
        actor = self.require_actor()
        holder = self.badge_screen.waiting_for
        if holder is None:
            return

        def done(updated: BadgeHolderView) -> None:
            self.sounds.success()
            self.badge_screen.stop_waiting()
            self._reload_badge_holders(self.tr("Badge bound to {name}.").format(name=updated.name))

        def refused(error: KnownError) -> None:
            self.sounds.error()
            self.show_refusal(error, self.badge_screen.banner)

        self.call(
            lambda: self.services.badges.enrol(actor, holder.user_id, uid), done, on_refused=refused
        )

    def _on_badge_unbind_requested(self, user_id: uuid.UUID) -> None:
        actor = self.require_actor()

        def answered(choice: str) -> None:
            if choice != "unbind":
                return
            self.call(
                lambda: self.services.badges.unbind(actor, user_id),
                lambda updated: self._reload_badge_holders(
                    self.tr("The badge of {name} no longer logs in.").format(name=updated.name)
                ),
            )

        self.overlay.ask(
            self.tr("Unbind this badge?"),
            self.tr("The badge stops working at once; the user can still log in with the PIN."),
            [("keep", self.tr("No, keep it"), ""), ("unbind", self.tr("Unbind"), "caution")],
            answered,
        )

    def _reload_badge_holders(self, success_text: str) -> None:
        actor = self.require_actor()

        def shown(holders: list[BadgeHolderView]) -> None:
            self.badge_screen.show_holders(holders)
            self.badge_screen.banner.show_message(SUCCESS, success_text)

        self.call(lambda: self.services.badges.holders(actor), shown)

    # ------------------------------------------------------------------ devices
    def show_reader_state(self, state: str, detail: str) -> None:
        self._reader_state = state
        log.info("badge reader %s: %s", state, detail)
        self.health.set_reader(state, self._reader_bad_frames)

    def show_reader_counters(self, counters: object) -> None:
        bad = sum(
            int(getattr(counters, name, 0)) for name in ("bad_checksum", "malformed", "noise_bytes")
        )
        self._reader_bad_frames = bad
        self.health.set_reader(self._reader_state, bad)

    def show_camera_state(self, state: str, detail: str) -> None:
        log.info("camera %s: %s", state, detail)
        self.health.set_camera(state)

    def attach_camera_preview(self, preview: QWidget) -> None:
        """The camera's preview goes in a panel the health strip's camera item opens."""
        self._camera_preview = preview
        self.camera_panel_layout.addWidget(preview)

    def _toggle_camera_panel(self) -> None:
        if self._camera_preview is not None:
            self._place_camera_panel()
            self.camera_panel.setVisible(self.camera_panel.isHidden())
            self.camera_panel.raise_()

    def _place_camera_panel(self) -> None:
        strip = self.health.geometry()
        width, height = CAMERA_PANEL_SIZE
        self.camera_panel.setGeometry(
            strip.right() - width - 8, strip.top() - height - 8, width, height
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_camera_panel()

    def _on_device_seen(self, source: str) -> None:
        if source == "scanner":
            self.health.set_scanner(self.times.time(self.services.clock.now()))

    # ------------------------------------------------------------------ logout and idle
    def logout(self, reason: str) -> None:
        """End the session now; the unconfirmed entry (if any) is kept as the user's draft."""
        actor = self.actor
        if actor is None:
            return
        draft = (
            self.work_order_screen.current_draft() if self._is_on(self.work_order_screen) else None
        )
        work_order = self.work_order_screen.work_order
        self.actor = None
        self.handshake.forget_approver()
        self.header.show_user(None, False, False)
        self.idle_banner.clear()
        self.overlay.hide()
        self.work_order_screen.show_actions()
        self.show_login()
        if reason == "idle":
            hint = (
                self.tr("Your unfinished entry was kept; log in again to continue it.")
                if draft
                else ""
            )
            self.login_screen.banner.show_message(
                INFO, self.tr("Logged out after a time without activity."), hint
            )

        def job() -> None:
            self.services.auth.logout(
                actor,
                reason=reason,
                draft_kind=DRAFT_KIND_RECORD if draft else None,
                draft_work_order_id=None if work_order is None or not draft else work_order.id,
                draft_fields=draft,
            )

        self.call(job, _ignore)

    def _on_activity(self) -> None:
        if self.actor is not None:
            self.idle.touch()
            if not self.idle_banner.isHidden():
                self.idle_banner.clear()

    def _on_tick(self) -> None:
        self.header.set_clock(self.times.time(self.services.clock.now()))
        if self.actor is None:
            return
        if self.idle.is_expired():
            log.info("idle logout of %s", self.actor.employee_no)
            self.logout("idle")
        elif self.idle.is_warning():
            seconds = int(self.idle.seconds_left() + 0.999)
            self.idle_banner.show_message(
                WARNING,
                self.tr("Logging out in {n} s.").format(n=seconds),
                self.tr("Touch the screen to stay logged in."),
            )

    # ------------------------------------------------------------------ home
    def show_home(self) -> None:
        actor = self.require_actor()
        if self.desktop:
            self.open_supervisor_screen()  # the desktop's home is the department board
            return
        if self.kanban.is_warehouse_user(actor):
            self.kanban.open_board()  # the warehouse's home is the kanban board
            self.refresh_line_status()
            return
        self.stack.setCurrentWidget(self.home_screen)
        self.home_screen.show_list()

        def shown(work_orders: list[WorkOrderView]) -> None:
            self.home_screen.set_work_orders(work_orders)

        self.call(lambda: self.services.work_orders.list_for_line(actor), shown)
        self.refresh_line_status()

    def open_work_order(self, work_order_id: uuid.UUID) -> None:
        actor = self.require_actor()
        self.call(
            lambda: self.services.work_orders.get(actor, work_order_id), self._show_work_order
        )

    def _on_home_find_requested(self, text: str) -> None:
        actor = self.require_actor()

        def refused(error: KnownError) -> None:
            self.home_screen.show_list()
            self.show_refusal(error, self.home_screen.banner)

        self.call(
            lambda: self.services.work_orders.find(actor, text),
            self._show_work_order,
            on_refused=refused,
        )

    def _show_work_order(self, view: WorkOrderView) -> None:
        self.home_screen.show_list()
        self.work_order_screen.show_work_order(view)
        self.work_order_screen.show_actions()
        self.work_order_screen.banner.clear()
        self.stack.setCurrentWidget(self.work_order_screen)

    # ------------------------------------------------------------------ work order actions
    def _on_work_order_command(self, command_value: str) -> None:
        command = WorkOrderCommand(command_value)
        view = self.work_order_screen.work_order
        if view is None:
            return
        if command is WorkOrderCommand.COMPLETE and view.good_qty < view.target_qty:
            self.overlay.ask(
                self.tr("Complete {number}?").format(number=view.number),
                self.tr("Only {good} of {target} good pieces are recorded.").format(
                    good=view.good_qty, target=view.target_qty
                ),
                [
                    ("no", self.tr("No, go back"), ""),
                    ("yes", self.tr("Yes, complete it"), "primary"),
                ],
                lambda choice: self._run_command(command, view) if choice == "yes" else None,
            )
            return
        self._run_command(command, view)

    def _run_command(self, command: WorkOrderCommand, view: WorkOrderView) -> None:
        actor = self.require_actor()
        service = self.services.work_orders
        calls = {
            WorkOrderCommand.START: service.start,
            WorkOrderCommand.PAUSE: service.pause,
            WorkOrderCommand.RESUME: service.resume,
            WorkOrderCommand.COMPLETE: service.complete,
        }
        done_text = {
            WorkOrderCommand.START: self.tr("{number} started."),
            WorkOrderCommand.PAUSE: self.tr("{number} paused."),
            WorkOrderCommand.RESUME: self.tr("{number} running again."),
            WorkOrderCommand.COMPLETE: self.tr("{number} completed."),
        }[command]

        def done(updated: WorkOrderView) -> None:
            self.work_order_screen.show_work_order(updated)
            self.work_order_screen.banner.show_message(
                SUCCESS, done_text.format(number=updated.number)
            )
            self.refresh_line_status()

        self.call(lambda: calls[command](actor, view.id), done, busy=self.work_order_screen.actions)

    def _on_work_order_record(self, good: str, reject: str, reason: object) -> None:
        actor = self.require_actor()
        view = self.work_order_screen.work_order
        if view is None:
            return
        reason_code = reason if isinstance(reason, str) else None

        def done(entry: RecordedEntry) -> None:
            self.work_order_screen.show_work_order(entry.work_order)
            self.work_order_screen.show_actions()
            text = self.tr("Recorded {good} good and {reject} reject on {number}.").format(
                good=entry.good, reject=entry.reject, number=entry.work_order.number
            )
            self.work_order_screen.banner.show_message(SUCCESS, text)

        self.call(
            lambda: self.services.work_orders.record(
                actor, view.id, good=good, reject=reject, reason=reason_code
            ),
            done,
            busy=self.work_order_screen.record_panel,
        )

    # ------------------------------------------------------------------ supervisor and admin
    def open_supervisor_screen(self) -> None:
        actor = self.require_actor()

        def shown(board: SupervisorBoard) -> None:
            self.supervisor_screen.show_board(board)
            self.stack.setCurrentWidget(self.supervisor_screen)

        self.call(lambda: self.services.boards.supervisor_board(actor), shown)

    def open_admin_screen(self) -> None:
        actor = self.require_actor()

        def shown(board: AdminBoard) -> None:
            self.admin_screen.show_board(board)
            self.stack.setCurrentWidget(self.admin_screen)

        self.call(lambda: self.services.boards.admin_board(actor), shown)

    def _refresh_board(self) -> None:
        if self._is_on(self.supervisor_screen):
            self.open_supervisor_screen()
        elif self._is_on(self.admin_screen):
            self.open_admin_screen()

    def _on_sync_now_requested(self) -> None:
        actor = self.require_actor()

        def done(_result: Any) -> None:
            self.current_banner().show_message(
                INFO, self.tr("Syncing now."), self.tr("The strip below shows when it is done.")
            )

        self.call(lambda: self.services.sync.sync_now(actor), done)

    # ------------------------------------------------------------------ sync
    def attach_sync(self, relay: SyncRelay) -> None:
        """Sync's state joins the health strip; new rows from the server refresh the screens."""
        self.supervisor_screen.sync_button.setVisible(self.services.sync.is_set_up)
        relay.status_changed.connect(self._on_sync_status)
        relay.round_finished.connect(self._on_sync_round)

    def _on_sync_status(self, status: SyncStatus) -> None:
        self.health.set_sync(status, self.times)

    def _on_sync_round(self, report: RoundReport) -> None:
        """Rows pulled from the server may change what is on screen: show them."""
        if not report.pulled:
            return
        self.refresh_line_status()
        if self.actor is None or self.runner.is_busy:
            return
        if self._is_on(self.supervisor_screen):
            self.open_supervisor_screen()
        elif self._is_on(self.home_screen) and self.home_screen.is_showing_list():
            self.show_home()
        else:
            self.handshake.refresh_history()

    def _on_supervisor_acknowledge(self, alert_id: uuid.UUID) -> None:
        actor = self.require_actor()

        def done(_result: Any) -> None:
            self._refresh_board()
            self.supervisor_screen.banner.show_message(SUCCESS, self.tr("Alert acknowledged."))

        self.call(lambda: self.services.alerts.acknowledge(actor, alert_id), done)

    def _on_unlock_requested(self, user_id: uuid.UUID) -> None:
        actor = self.require_actor()

        def done(_result: Any) -> None:
            self._refresh_board()
            self.current_banner().show_message(SUCCESS, self.tr("Account unlocked."))

        self.call(lambda: self.services.auth.unlock(actor, user_id), done)

    def _on_admin_quit_requested(self) -> None:
        actor = self.require_actor()

        def answered(choice: str) -> None:
            if choice != "quit":
                return
            log.info("kiosk closed by %s", actor.employee_no)
            self.logout("closed")
            self.close()
            QApplication.quit()

        self.overlay.ask(
            self.tr("Close the kiosk program?"),
            self.tr("The line cannot log in or record until it is started again."),
            [
                ("stay", self.tr("No, keep it running"), ""),
                ("quit", self.tr("Close it"), "caution"),
            ],
            answered,
        )

    # ------------------------------------------------------------------ helpers
    def refresh_line_status(self) -> None:
        """The header's line status: work running, the batch the line holds, held batches."""
        services = self.services

        def job() -> tuple[LineStatus, OccupancyView, list[LineHoldSummary]]:
            return (
                services.work_orders.line_status(),
                services.lines.this_line(),
                services.transfers.line_holds(),
            )

        self.call(job, self._show_line_status)

    def _show_line_status(
        self, result: tuple[LineStatus, OccupancyView, list[LineHoldSummary]]
    ) -> None:
        status, occupancy, holds = result
        self.line_holds = holds
        if self.desktop:  # no line of its own: the board shows every line
            self.header.set_line_status(self.tr("Supervisor's desktop · all lines"))
            self.login_screen.line_state.setText(
                self.tr("Supervisors of the department log in here.")
            )
            return
        if self.services.line.department is Department.WAREHOUSE:
            self.header.set_line_status(self.services.line.name)  # no work orders here
            return
        if status.running:
            text = self.tr("▶ Running {numbers}").format(numbers=", ".join(status.running))
        elif status.paused:
            text = self.tr("❚❚ Paused {numbers}").format(numbers=", ".join(status.paused))
        else:
            text = self.tr("○ No work order running")
        # The header has room for about 60 characters: the line's name gives way to
        # what the line holds.
        parts = [text]
        if occupancy.work_order_number is not None:
            parts.append(self.tr("holds {number}").format(number=occupancy.work_order_number))
        else:
            parts.insert(0, self.services.line.name)
            if occupancy.observed_at is not None:
                parts.append(self.tr("line clear"))
        if holds:
            parts.insert(0, self.tr("⚠ {n} held").format(n=len(holds)))
        self.header.set_line_status(" · ".join(parts))
        state = self._occupancy_sentence(occupancy, len(holds))
        self.login_screen.line_state.setText(state)
        self.home_screen.line_state.setText(state)

    def _occupancy_sentence(self, occupancy: OccupancyView, held: int) -> str:
        """The line's occupancy in full (WO, article, destination, since when)."""
        line = self.services.line.code
        if occupancy.work_order_number is not None:
            text = self.tr("{line} holds {number} · {article} · for {destination} since {time}.")
            text = text.format(
                line=line,
                number=occupancy.work_order_number,
                article=occupancy.article or "",
                destination=occupancy.destination or "",
                time=self.times.time(occupancy.since),
            )
        elif occupancy.observed_at is not None:
            text = self.tr("{line} is clear.").format(line=line)
        else:
            text = self.tr("{line}: what the line holds is not known yet.").format(line=line)
        if held:
            text += " " + self.tr("{n} batch held for a supervisor.").format(n=held)
        return text

    # ------------------------------------------------------------------ printing
    def attach_printer(self, printer: DocumentPrinter) -> None:
        """Slips and cards print here; its state joins the health strip."""
        self.printer = printer
        printer.state_changed.connect(self.health.set_printer)
        printer.printed.connect(self._on_printed)
        printer.failed.connect(self._on_print_failed)
        self.health.set_printer(printer.state, printer.detail)

    def print_document(self, document: PrintDocument, *, copy: int = 1) -> None:
        """Print a slip or a card; the printer reports back through its signals."""
        if self.printer is None:
            self.current_banner().show_message(
                WARNING,
                self.tr("No printer is set up: {id} was not printed.").format(
                    id=document.document_id
                ),
                self.tr("Ask the admin to set the printer; the slip can be reprinted later."),
            )
            return
        self.printer.print_document(document, copy)

    def _on_printed(self, document_id: str, where: str) -> None:
        log.info("printed %s to %s", document_id, where)

    def _on_print_failed(self, document_id: str, reason: str) -> None:
        log.error("printing %s failed: %s", document_id, reason)
        self.current_banner().show_message(
            ERROR,
            self.tr("{id} could not be printed.").format(id=document_id),
            self.tr("Check the printer, then use Reprint. Nothing else was lost."),
        )

    # ------------------------------------------------------------------ handoff and lines
    def _on_handoff_requested(self) -> None:
        view = self.work_order_screen.work_order
        if view is not None:
            self.handshake.open_handoff(view.id)

    def _on_clear_line_requested(self, line_code: str) -> None:
        actor = self.require_actor()
        reasons = [
            self.tr("The batch moved on to the next step"),
            self.tr("The line was emptied and checked"),
            self.tr("The recorded batch was never there"),
        ]

        def answered(choice: str) -> None:
            if not choice.startswith("reason:"):
                return
            reason = reasons[int(choice.split(":", 1)[1])]

            def done(_view: object) -> None:
                self.open_supervisor_screen()
                self.supervisor_screen.banner.show_message(
                    SUCCESS, self.tr("{line} is clear.").format(line=line_code)
                )
                self.refresh_line_status()

            self.call(lambda: self.services.lines.clear(actor, line_code, reason), done)

        self.overlay.ask(
            self.tr("Clear {line}?").format(line=line_code),
            self.tr("Say why. Who, when and why are recorded."),
            [("cancel", self.tr("Cancel"), "")]
            + [(f"reason:{index}", text, "caution") for index, text in enumerate(reasons)],
            answered,
        )

    def _is_on(self, screen: QWidget) -> bool:
        return self.stack.currentWidget() is screen

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("no one is logged in")
        return self.actor

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ticker.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)
        self.runner.shutdown()
        super().closeEvent(event)


def _ignore(_result: object) -> None:
    return None


# Screens on which a scanned work order opens (the role may still refuse it).
_WORK_ORDER_CONTEXTS = frozenset(
    {"home", "work_order", "supervisor", "kanban", "handoff", "received"}
)
# Screens on which a scanned transfer slip opens the count (the role may still refuse it).
_SLIP_CONTEXTS = frozenset({"home", "work_order", "supervisor", "received", "handoff"})
# Screens on which a scanned kanban card is received (line) or opened (warehouse).
_KANBAN_CONTEXTS = frozenset({"home", "work_order", "kanban", "supervisor"})
