"""The kiosk window: a shell (stack, header, overlay, health strip, session, task call) of flows.

The flows (kiosk/ui/flows) hold the screens and see the shell only as `kiosk.ui.host.Host`.
A result that arrives after its session ended is dropped, never shown to the next person.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QTimer, QTranslator
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

from kiosk.domain.documents import PrintDocument
from kiosk.domain.errors import KnownError
from kiosk.domain.roles import Action, is_allowed
from kiosk.domain.scan import ScanPayload
from kiosk.domain.sync_events import SITE_SETTING, USER
from kiosk.printing.document_renderer import translated_document
from kiosk.services.actor import Actor
from kiosk.services.container import KioskServices
from kiosk.services.transfer_views import LineHoldSummary, OccupancyView
from kiosk.services.views import LineStatus
from kiosk.sync.status import RoundReport, SyncStatus
from kiosk.ui import line_status
from kiosk.ui.application import install_translations, language_locale, translation_for
from kiosk.ui.busy import BusyHold
from kiosk.ui.device_control import DeviceControl
from kiosk.ui.device_status import DeviceStatus
from kiosk.ui.flows.admin import AdminFlow
from kiosk.ui.flows.admin_audit import AuditFlow
from kiosk.ui.flows.admin_devices import DevicesFlow
from kiosk.ui.flows.admin_keys import KeysFlow
from kiosk.ui.flows.admin_lines import LinesFlow
from kiosk.ui.flows.admin_people import PeopleFlow
from kiosk.ui.flows.admin_work_orders import WorkOrdersFlow
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.corrections import ApprovalRouter, CorrectionFlow
from kiosk.ui.flows.handshake import HandshakeFlow
from kiosk.ui.flows.kanban import KanbanFlow
from kiosk.ui.flows.session import SessionFlow
from kiosk.ui.flows.settings import SettingsFlow
from kiosk.ui.flows.supervisor import SupervisorFlow
from kiosk.ui.flows.work_orders import WorkOrderFlow
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.language import current_translator
from kiosk.ui.messages import refusal_words, unexpected_error
from kiosk.ui.scan_context import ScanContext
from kiosk.ui.scan_router import ScanRouter
from kiosk.ui.sounds import Sounds
from kiosk.ui.sync_relay import SyncRelay
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.widgets.banner import ERROR, MESSAGE_AREA_HEIGHT, WARNING, Banner
from kiosk.ui.widgets.elided_label import ElidedLabel
from kiosk.ui.widgets.header import HeaderBar
from kiosk.ui.widgets.health_strip import HealthStrip
from kiosk.ui.widgets.overlay import ChoiceOverlay
from kiosk.ui.widgets.page_stack import PageStack

if TYPE_CHECKING:
    from kiosk.devices.slip_printer import DocumentPrinter

log = logging.getLogger(__name__)

TICK_MS = 250
FULL_TEXT_VISIBLE_MS = 8000
FOLLOW_RETRY_MS = 100  # a screen to re-read waits for the task in flight, this often


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
        closable: bool = False,
        site_language: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.desktop = desktop  # a supervisor's office PC: the department board is home
        # On the floor a close request (the window manager's X, Alt+F4) is ignored: only an
        # admin's "Close the kiosk program" (or the program's own shutdown) ends it. A window
        # on an office desktop or a developer's screen closes like any other (`closable`).
        self.closable = closable
        self._is_shutting_down = False
        self.line_holds: list[LineHoldSummary] = []
        self.sync_status: SyncStatus | None = None  # the sync worker's last report
        self.services = services
        self.runner = runner
        self.times = times
        self.sounds = sounds if sounds is not None else Sounds(enabled=False)
        self._actor: Actor | None = None
        # The kiosk's language (its setting; by default the one installed at start), shown
        # whenever nobody with a language of their own is logged in.
        self._site_language = _installed_language() if site_language is None else site_language
        self._print_translation: tuple[str, QTranslator | None] = ("", None)  # locale, texts
        # Bumped at every login and logout: a result is shown only to the session that asked.
        self._generation = 0
        # A scan waits while a service call is in flight: its answer may change the screen.
        self.scan_router = ScanRouter(
            self.handle_scan,
            scan_repeat_seconds,
            self,
            monotonic=services.clock.monotonic,
            is_settling=lambda: self.runner.is_busy,
        )
        self.setWindowTitle(line_status.window_title(services.line, desktop=desktop))
        self._build()
        self._wire(printer)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._on_ticker_timeout)
        self._ticker.start()
        self._on_ticker_timeout()
        self._follow_timer = QTimer(self)  # a sync round changed data: re-read the screen
        self._follow_timer.setSingleShot(True)
        self._follow_timer.timeout.connect(self._on_follow_timer_timeout)
        self._changed: set[str] = set()  # kinds of rows pulled since the screen was re-read

    # ------------------------------------------------------------------ build
    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = HeaderBar(central)
        self.header.set_line(*line_status.header_line(self.services.line, desktop=self.desktop))
        layout.addWidget(self.header)
        self.stack = PageStack(central)
        layout.addWidget(self.stack, 1)
        # The idle countdown floats over the message area of the screen in front, in no
        # layout: it covers that screen's own message for as long as it counts, moves nothing.
        self.idle_banner = Banner(central, anchor=self._message_area)
        # A cut text of the header or the strip, tapped, shown whole there too for a while.
        self.full_text_banner = Banner(central, anchor=self._message_area)
        self.health = HealthStrip(central)
        layout.addWidget(self.health)
        clock = self.services.clock
        self.devices = DeviceStatus(self.health, central, self.times, clock, self.current_banner)
        self.camera_panel = self.devices.camera_panel
        # The device adapters report here (kiosk/input_devices.py, kiosk/app.py).
        self.show_reader_state = self.devices.show_reader_state
        self.show_reader_counters = self.devices.show_reader_counters
        self.show_camera_state = self.devices.show_camera_state
        self.attach_camera_preview = self.devices.attach_camera_preview
        self.attach_printer = self.devices.attach_printer
        self.setCentralWidget(central)
        self.overlay = ChoiceOverlay(central)
        self.work_orders = WorkOrderFlow(self, self)
        self.handshake = HandshakeFlow(self, self)
        self.corrections = CorrectionFlow(self, self)
        self.session = SessionFlow(
            self,
            self,
            drafts=self.work_orders,
            approvals=ApprovalRouter(self.corrections, self.handshake),
        )
        self.kanban = KanbanFlow(self, self)
        self.supervisor = SupervisorFlow(self, self)
        self.admin = AdminFlow(self, self)
        self.settings_flow = SettingsFlow(self, self.devices, self)
        self.devices_flow = DevicesFlow(self, self)
        self.audit_flow = AuditFlow(self, self)
        self.people = PeopleFlow(self, self)
        self.lines_flow = LinesFlow(self, self)
        self.work_orders_flow = WorkOrdersFlow(self, self)
        self.keys_flow = KeysFlow(self, self)
        self._flows: tuple[BaseFlow, ...] = (
            self.session,
            self.work_orders,
            self.handshake,
            self.corrections,
            self.kanban,
            self.supervisor,
            self.admin,
            self.settings_flow,
            self.devices_flow,
            self.audit_flow,
            self.people,
            self.lines_flow,
            self.work_orders_flow,
            self.keys_flow,
        )
        # The screens tests and the composition root reach by name.
        self.login_screen = self.session.login_screen
        self.home_screen = self.work_orders.home_screen
        self.work_order_screen = self.work_orders.work_order_screen
        self.supervisor_screen = self.supervisor.supervisor_screen
        self.admin_screen = self.admin.admin_screen
        self.badge_screen = self.admin.badge_screen
        self.settings_screen = self.settings_flow.screen
        self.stack.setCurrentWidget(self.login_screen)

    def _wire(self, printer: DocumentPrinter | None) -> None:
        """Buttons of the shell, and the few taps that lead from one flow to another."""
        self.home_screen.kanban_button.clicked.connect(self.kanban.open_board)
        self.work_order_screen.handoff_requested.connect(self._on_work_order_handoff_requested)
        self.work_order_screen.entries_requested.connect(self._on_work_order_entries_requested)
        self.supervisor_screen.hold_chosen.connect(self.handshake.open_hold)
        self.header.logout_button.clicked.connect(lambda: self.logout("manual"))
        self.header.home_button.clicked.connect(self.show_home)
        self.header.supervisor_button.clicked.connect(self.open_supervisor_screen)
        self.header.admin_button.clicked.connect(self.open_admin_screen)
        self.admin_screen.settings_requested.connect(self.settings_flow.open)
        self.admin_screen.devices_requested.connect(self.devices_flow.open)
        self.admin_screen.audit_requested.connect(self.audit_flow.open)
        self.admin_screen.people_requested.connect(self.people.open)
        self.admin_screen.lines_requested.connect(self.lines_flow.open)
        self.admin_screen.work_orders_requested.connect(self.work_orders_flow.open)
        self.admin_screen.keys_requested.connect(self.keys_flow.open)
        self.people.screen.badges_requested.connect(self.admin.open_badge_screen)
        self.scan_router.seen.connect(self.devices.show_scanner_seen)
        for label in (
            *self.header.findChildren(ElidedLabel),
            *self.health.findChildren(ElidedLabel),
        ):
            self.full_text_banner.show_whole_on_tap(label, FULL_TEXT_VISIBLE_MS)
        if printer is not None:
            self.attach_printer(printer)

    # ------------------------------------------------------------------ start
    def start(self) -> None:
        """Show the login screen with the line's roster."""
        self.show_login()

    def current_screen(self) -> QWidget:
        screen = self.stack.currentWidget()
        assert screen is not None  # the stack is filled in _build
        return screen

    def current_banner(self) -> Banner:
        banner = _banner_of(self.current_screen())
        return banner if banner is not None else self.idle_banner

    def _message_area(self) -> QRect:
        """Where the screen in front keeps its messages, in the central widget's coordinates."""
        central = self.centralWidget()
        assert central is not None  # set in _build
        banner = _banner_of(self.current_screen())
        if banner is None:  # every screen has one; the stack's top edge otherwise
            return QRect(self.stack.mapTo(central, QPoint(0, 0)), self.stack.size()).adjusted(
                0, 0, 0, MESSAGE_AREA_HEIGHT - self.stack.height()
            )
        return QRect(banner.mapTo(central, QPoint(0, 0)), banner.size())

    def _clear_messages(self) -> None:
        """A message belongs to the session that caused it: none outlives a login or logout."""
        for index in range(self.stack.count()):
            banner = _banner_of(self.stack.widget(index))
            if banner is not None:
                banner.clear()
        self.idle_banner.clear()
        self.full_text_banner.clear()

    # ------------------------------------------------------------------ running services
    @property
    def is_busy(self) -> bool:
        return self.runner.is_busy

    def call(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        *,
        on_refused: Callable[[KnownError], None] | None = None,
        busy: QWidget | None = None,
    ) -> None:
        """Run a service call off the GUI thread; refusals go to the screen's banner.

        The outcome is shown only if the session that asked is still the one on screen: what
        the service committed stays committed, but the next person never sees it.
        """
        generation = self._generation
        hold = None if busy is None else BusyHold(busy)

        def is_current() -> bool:
            if hold is not None:
                hold.end()
            if generation == self._generation:
                return True
            log.info("dropped for an ended session: %s", getattr(on_done, "__qualname__", "?"))
            return False

        def done(result: Any) -> None:
            if is_current():
                on_done(result)

        def failed(error: BaseException) -> None:
            if not is_current():
                if not isinstance(error, KnownError):  # still a bug: keep its traceback
                    log.error("unexpected error of an ended session", exc_info=error)
            elif not isinstance(error, KnownError):
                self.show_unexpected_error(error)
            elif on_refused is not None:
                on_refused(error)
            else:
                self.show_refusal(error)

        self.runner.run(job, done, failed)

    def show_refusal(self, error: KnownError, banner: Banner | None = None) -> None:
        words = refusal_words(error, self.times)  # made again if the language is switched
        (banner or self.current_banner()).show_message(ERROR, *words(), words=words)

    def show_unexpected_error(self, error: BaseException) -> None:
        reference = uuid.uuid4().hex[:8]
        log.error("unexpected error (reference %s)", reference, exc_info=error)
        message = unexpected_error(reference)
        self.overlay.ask(message.text, message.hint, [("ok", self.tr("OK"), "primary")], _ignore)

    # ------------------------------------------------------------------ the session
    @property
    def actor(self) -> Actor | None:
        return self._actor

    def require_actor(self) -> Actor:
        if self._actor is None:
            raise RuntimeError("no one is logged in")
        return self._actor

    def begin_session(self, actor: Actor) -> None:
        """Someone logged in: a new session generation; each flow shows what the role may do,
        in the person's own language when they have one."""
        self._actor = actor
        self._generation += 1
        self._clear_messages()
        self._show_language()
        for flow in self._flows:
            flow.session_began(actor)

    def end_session(self) -> None:
        """The session ended: a new (logged-out) generation; nothing of it stays on screen."""
        self._actor = None
        self._generation += 1
        self._clear_messages()
        self._show_language()  # the site's again, before the login screen shows
        for flow in self._flows:
            flow.session_ended()
        self.overlay.hide()

    def set_site_language(self, language: str) -> None:
        """The admin chose the kiosk's language (en, id; "": the system's): it shows at once."""
        self._site_language = language
        self._show_language()

    def _show_language(self) -> None:
        language = (self._actor.language if self._actor else "") or self._site_language
        app = QCoreApplication.instance()
        current = current_translator(app) if app is not None else None
        locale = language_locale(language)
        if app is None or (current is not None and current.locale.name() == locale.name()):
            return
        install_translations(app, locale)
        self.health.say_again()
        self.refresh_line_status()

    def logout(self, reason: str) -> None:
        self.session.logout(reason)

    def quit_program(self) -> None:
        """An admin chose "Close the kiosk program": the window closes and the program ends."""
        self.shut_down()
        QApplication.quit()

    def shut_down(self) -> None:
        """Close for real: the admin's choice, or the program ending (the start-up's finish)."""
        self._is_shutting_down = True
        self.close()

    # ------------------------------------------------------------------ navigation
    def show_login(self) -> None:
        self.session.show_login()

    def show_home(self) -> None:
        actor = self.require_actor()
        if self.desktop and is_allowed(actor.role, Action.SUPERVISOR_SCREEN):
            self.open_supervisor_screen()  # the desktop's home is the department board
        elif self.desktop and is_allowed(actor.role, Action.ADMIN_SCREEN):
            self.open_admin_screen()  # an admin at a desk sees no board: the Admin screen
        elif self.kanban.is_warehouse_user(actor):
            self.kanban.open_board()  # the warehouse's home is the kanban board
            self.refresh_line_status()
        else:
            self.work_orders.show_home()

    def open_work_order(self, work_order_id: uuid.UUID) -> None:
        self.work_orders.open_work_order(work_order_id)

    def open_supervisor_screen(self) -> None:
        self.supervisor.open_board()

    def open_admin_screen(self) -> None:
        self.admin.open_board()

    def reopen(self, screen: QWidget | None) -> None:
        """Back to a screen left for a moment (a count, a decision), loaded afresh."""
        work_order = self.work_order_screen.work_order
        if screen is self.work_order_screen and work_order is not None:
            self.open_work_order(work_order.id)
        elif screen is self.supervisor_screen:
            self.open_supervisor_screen()
        else:
            self.show_home()

    def _on_work_order_entries_requested(self) -> None:
        view = self.work_order_screen.work_order
        if view is not None:
            self.corrections.open(view)

    def _on_work_order_handoff_requested(self) -> None:
        view = self.work_order_screen.work_order
        if view is not None:
            self.handshake.open_handoff(view.id)

    # ------------------------------------------------------------------ scans
    def handle_scan(self, payload: ScanPayload) -> None:
        """A classified scan from any device: the flow that claims it takes it, or it is refused."""
        context = self.scan_context()
        if self._actor is not None:
            self.session.idle.touch()
        for flow in self._flows:
            if context in flow.scan_claims.get(payload.kind, frozenset()):
                flow.handle_scan(payload, context)
                return
        self.sounds.error()
        actor = self._actor
        banner = self.current_banner()
        self.call(  # the audit keeps the context's word ("home", "record"…), as it always has
            lambda: self.services.scans.refuse(actor, payload, context.value),
            lambda refusal: self.show_refusal(refusal, banner),
        )

    def scan_context(self) -> ScanContext:
        """Where a scan lands: the screen (or page) the user is looking at."""
        if self._actor is None:
            return self.session.login_context()
        if not self.overlay.isHidden():
            return ScanContext.DIALOG
        screen = self.current_screen()
        for flow in self._flows:
            context = flow.context_for(screen)
            if context is not None:
                return context
        return ScanContext.OTHER

    # ------------------------------------------------------------------ sync
    def attach_sync(self, relay: SyncRelay) -> None:
        """Sync's state joins the health strip; new rows from the server refresh the screens."""
        self.supervisor_screen.sync_button.setVisible(self.services.sync.is_set_up)
        relay.status_changed.connect(self._on_relay_status_changed)
        relay.round_finished.connect(self._on_relay_round_finished)

    def _on_relay_status_changed(self, status: SyncStatus) -> None:
        self.sync_status = status
        self.health.set_sync(status, self.times)

    def _on_relay_round_finished(self, report: RoundReport) -> None:
        """A round reached the server: the screen on show re-reads what it changed.

        Queued behind the task in flight, never dropped for it: the Hand-over screen open
        when the receiver's count arrives stops saying "on its way" within a second.
        """
        if SITE_SETTING in report.changed:
            self.call(self.services.site_zone.reload, self._on_site_zone_loaded)
        self.kanban.round_finished(report)
        if not report.pulled:
            return
        self._changed |= report.changed
        self._follow_timer.start(0)

    def _on_site_zone_loaded(self, zone: tzinfo | None) -> None:
        self.times.set_zone(zone)
        self._on_ticker_timeout()

    def _on_follow_timer_timeout(self) -> None:
        """Re-read the current screen's view, once the task in flight (if any) has answered."""
        if self.runner.is_busy:
            self._follow_timer.start(FOLLOW_RETRY_MS)
            return
        changed, self._changed = self._changed, set()
        self.refresh_line_status()
        if self._actor is None:
            login = self.login_screen
            if USER in changed and login.pages.currentWidget() is login.roster_page:
                self.call(self.services.auth.roster, login.set_roster)  # who works here now
            return
        screen = self.current_screen()
        if self.supervisor.is_showing():
            self.open_supervisor_screen()
        elif screen is self.home_screen and self.home_screen.is_showing_list():
            self.show_home()
        elif screen is self.work_order_screen and not self.work_order_screen.is_recording():
            self.work_orders.refresh_work_order()
        elif screen is self.lines_flow.screen:
            self.lines_flow.refresh()
        else:
            self.handshake.refresh_history()
            self.handshake.refresh_hold()

    # ------------------------------------------------------------------ line status
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
        texts = line_status.texts(
            status, occupancy, holds, self.services.line, self.times, desktop=self.desktop
        )
        self.header.set_line_status(texts.header)
        if texts.login is not None:
            self.login_screen.line_state.setText(texts.login)
        if texts.home is not None:
            self.home_screen.line_state.setText(texts.home)

    # ------------------------------------------------------------------ printer
    def attach_device_control(self, control: DeviceControl) -> None:
        """The running devices, which the Settings screen restarts with a changed setting."""
        self.settings_flow.control = control

    def print_document(self, document: PrintDocument, *, copy: int = 1) -> None:
        """In the kiosk's language, whoever is logged in: the next line reads the slip."""
        self.devices.print_document(self._in_site_language(document), copy)

    def _in_site_language(self, document: PrintDocument) -> PrintDocument:
        locale = language_locale(self._site_language)
        if self._print_translation[0] != locale.name():
            self._print_translation = (locale.name(), translation_for(locale))
        translation = self._print_translation[1]

        def translate(text: str) -> str:
            return (translation.translate("PrintDocument", text) if translation else "") or text

        return translated_document(document, translate)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.devices.place_camera_panel()

    # ------------------------------------------------------------------ clock and close
    def _on_ticker_timeout(self) -> None:
        self.header.set_clock(self.times.time(self.services.clock.now()))
        self.session.tick()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not (self.closable or self._is_shutting_down):
            event.ignore()
            log.warning("close request ignored: only an admin closes the kiosk program")
            self.current_banner().show_message(
                WARNING,
                self.tr("The kiosk keeps running."),
                self.tr("Only an admin can close it, from the Admin screen."),
            )
            return
        self._ticker.stop()
        self._follow_timer.stop()
        self.session.stop()
        self.runner.shutdown()
        super().closeEvent(event)


def _ignore(_result: object) -> None:
    return None


def _banner_of(screen: QWidget | None) -> Banner | None:
    banner = getattr(screen, "banner", None)
    return banner if isinstance(banner, Banner) else None


def _installed_language() -> str:
    """The language the screens were started in (create_application installed it)."""
    app = QCoreApplication.instance()
    installed = current_translator(app) if app is not None else None
    return installed.locale.name() if installed is not None else ""
