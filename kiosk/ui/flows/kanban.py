"""E-Kanban on the kiosk: a line requests and receives, the warehouse approves and delivers.

Every service call runs through the host's task call (off the GUI thread); each
step is one tap (or one scan of the card on arrival) and answers with a sound and a
message on the screen where it happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.domain.documents import PrintDocument
from kiosk.domain.errors import KnownError
from kiosk.domain.kanban import KanbanCommand
from kiosk.domain.roles import Action, is_allowed
from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.services.actor import Actor
from kiosk.services.kanban import KanbanService
from kiosk.services.kanban_views import KanbanBoardView, KanbanCardView, KanbanItemView
from kiosk.services.sync_control import SyncOutlook
from kiosk.sync.status import ONLINE, RoundReport
from kiosk.ui.flows.base import BaseFlow, ScanClaims
from kiosk.ui.host import Host
from kiosk.ui.scan_context import ScanContext
from kiosk.ui.screens.kanban import KanbanBoardScreen, KanbanRequestScreen, reason_label
from kiosk.ui.widgets.banner import INFO, SUCCESS, Banner

log = logging.getLogger(__name__)

# Screens on which a scanned kanban card is received (line) or opened (warehouse).
KANBAN_CONTEXTS = frozenset(
    {ScanContext.HOME, ScanContext.WORK_ORDER, ScanContext.KANBAN, ScanContext.SUPERVISOR}
)
REFRESH_MS = 30_000  # ages on the board move on; other kiosks change cards too


def is_warehouse_user(actor: Actor) -> bool:
    """Warehouse roles see every line's cards; line users their own line's."""
    return is_allowed(actor.role, Action.KANBAN_APPROVE) or is_allowed(
        actor.role, Action.KANBAN_DELIVER
    )


def may_request_kanban(actor: Actor) -> bool:
    return is_allowed(actor.role, Action.KANBAN_REQUEST)


class KanbanFlow(BaseFlow):
    """The kanban screens of one window and what their buttons and scans do."""

    scan_claims: ClassVar[ScanClaims] = {PayloadKind.KANBAN_CARD: KANBAN_CONTEXTS}

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.board_screen = KanbanBoardScreen(host.times, host.stack)
        self.request_screen = KanbanRequestScreen(host.stack)
        host.stack.addWidget(self.board_screen)
        host.stack.addWidget(self.request_screen)
        self.board_screen.request_clicked.connect(self.open_request)
        self.board_screen.refresh_clicked.connect(self.refresh)
        self.board_screen.command_requested.connect(self._on_command_requested)
        self.board_screen.print_requested.connect(self._on_print_requested)
        self.request_screen.search_changed.connect(self._on_search_changed)
        self.request_screen.send_requested.connect(self._on_send_requested)
        self.request_screen.back_requested.connect(self.open_board)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_tick)
        self._refresh_timer.start()
        self._awaiting_sync: str | None = None  # a request's headline, until a round sends it

    # ================================================================== public
    @property
    def service(self) -> KanbanService:
        return self.host.services.kanban

    is_warehouse_user = staticmethod(is_warehouse_user)
    may_request = staticmethod(may_request_kanban)

    def context_for(self, widget: QWidget) -> ScanContext | None:
        if widget is self.board_screen or widget is self.request_screen:
            return ScanContext.KANBAN
        return None

    def handle_scan(self, payload: ScanPayload, context: ScanContext) -> None:
        self.handle_card_scan(payload.value)

    def session_ended(self) -> None:
        self._awaiting_sync = None  # the request's message belonged to that session

    def open_board(self) -> None:
        """The line's board, or for a warehouse role the board of every line."""
        actor = self.host.actor
        if actor is None:
            return

        def shown(board: KanbanBoardView) -> None:
            self._show_board(actor, board)
            self.board_screen.show_board_page()
            self.host.stack.setCurrentWidget(self.board_screen)

        self.host.call(self._board_job(actor), shown)

    def refresh(self) -> None:
        """Load the board again where it is (the open card is refreshed too)."""
        actor = self.host.actor
        if actor is None:
            return
        self.host.call(self._board_job(actor), lambda board: self._show_board(actor, board))

    def handle_card_scan(self, card_no: str) -> None:
        """A scanned KB- card: received on a line's kiosk, opened on the warehouse's."""
        actor = self.host.actor
        if actor is None:
            return
        banner = self.host.current_banner()
        if self.is_warehouse_user(actor):
            self._open_scanned_card(actor, card_no, banner)
        else:
            self._receive_scanned_card(actor, card_no, banner)

    def open_request(self) -> None:
        actor = self.host.actor
        if actor is None:
            return
        self.request_screen.reset(self.host.services.line.code)
        self.host.stack.setCurrentWidget(self.request_screen)
        self._load_items(actor, "")

    # ================================================================== board
    def _board_job(self, actor: Actor) -> Callable[[], KanbanBoardView]:
        service = self.service
        if self.is_warehouse_user(actor):
            return lambda: service.warehouse_board(actor)
        return lambda: service.line_board(actor)

    def _show_board(self, actor: Actor, board: KanbanBoardView) -> None:
        may_request = self.may_request(actor) and not board.is_warehouse
        self.board_screen.show_board(board, may_request=may_request)

    def _after_change(self, text: str, *, hint: str = "") -> None:
        """A step was recorded: say so, play the tone, show the board as it is now."""
        self.host.sounds.success()
        self.board_screen.banner.show_message(SUCCESS, text, hint)
        self.open_board()

    def _on_command_requested(self, card: object, command_value: str, reason: object) -> None:
        if not isinstance(card, KanbanCardView):
            return
        command = KanbanCommand(command_value)
        if command is not KanbanCommand.REJECT:
            self._run_command(card, command, None)
            return
        text = str(reason or "")

        def answered(choice: str) -> None:
            if choice == "reject":
                self._run_command(card, command, text)
            else:
                self.board_screen.show_card(card)

        self.host.overlay.ask(
            self.tr("Reject {card_no}?").format(card_no=card.card_no),
            (
                self.tr("Reason: {reason}. Line {line} sees it on its board after the next sync.")
                if self.host.services.sync.is_set_up
                else self.tr("Reason: {reason}. Line {line} sees it on its board.")
            ).format(reason=reason_label(text), line=card.line_code),
            [
                ("back", self.tr("No, go back"), ""),
                ("reject", self.tr("Yes, reject it"), "caution"),
            ],
            answered,
        )

    def _run_command(
        self, card: KanbanCardView, command: KanbanCommand, reason: str | None
    ) -> None:
        actor = self.host.actor
        if actor is None:
            return
        service = self.service
        calls: dict[KanbanCommand, Callable[[], KanbanCardView]] = {
            KanbanCommand.APPROVE: lambda: service.approve(actor, card.id),
            KanbanCommand.REJECT: lambda: service.reject(actor, card.id, reason or ""),
            KanbanCommand.SHIP: lambda: service.ship(actor, card.id),
            KanbanCommand.RECEIVE: lambda: service.receive(actor, card.id),
        }

        def done(updated: KanbanCardView) -> None:
            self._after_change(self._done_text(command, updated))

        self.host.call(
            calls[command],
            done,
            on_refused=lambda error: self._refused(error, self.board_screen.banner, reload=True),
            busy=self.board_screen.card_page,
        )

    def _done_text(self, command: KanbanCommand, card: KanbanCardView) -> str:
        what = self.tr("{quantity} {unit} {item}").format(
            quantity=card.quantity, unit=card.unit, item=card.item_name
        )
        return {
            KanbanCommand.APPROVE: self.tr("{card_no} approved: {what} for {line}."),
            KanbanCommand.REJECT: self.tr("{card_no} rejected: {reason}."),
            KanbanCommand.SHIP: self.tr("{card_no} is on its way to {line}: {what}."),
            KanbanCommand.RECEIVE: self.tr("{card_no} received: {what}."),
        }[command].format(
            card_no=card.card_no,
            what=what,
            line=card.line_code,
            reason=reason_label(card.decision_reason),
        )

    def _on_print_requested(self, card: object) -> None:
        actor = self.host.actor
        if actor is None or not isinstance(card, KanbanCardView):
            return
        service = self.service

        def printed(document: PrintDocument) -> None:
            self.board_screen.banner.show_message(
                INFO, self.tr("{card_no} sent to the printer.").format(card_no=card.card_no)
            )
            self.host.print_document(document)

        self.host.call(
            lambda: service.card_document(actor, card.id),
            printed,
            on_refused=lambda error: self._refused(error, self.board_screen.banner),
        )

    def _on_refresh_tick(self) -> None:
        host = self.host
        if (
            host.actor is not None
            and host.stack.currentWidget() is self.board_screen
            and host.overlay.isHidden()
            and not host.is_busy
        ):
            self.refresh()

    # ================================================================== scans
    def _receive_scanned_card(self, actor: Actor, card_no: str, banner: Banner) -> None:
        service = self.service

        def received(card: KanbanCardView) -> None:
            self._after_change(
                self.tr("{card_no} received: {quantity} {unit} {item}.").format(
                    card_no=card.card_no,
                    quantity=card.quantity,
                    unit=card.unit,
                    item=card.item_name,
                )
            )

        self.host.call(
            lambda: service.receive_scanned(actor, card_no),
            received,
            on_refused=lambda error: self._refused(error, banner, reload=self._is_on_board()),
        )

    def _open_scanned_card(self, actor: Actor, card_no: str, banner: Banner) -> None:
        service = self.service

        def job() -> tuple[KanbanBoardView, KanbanCardView]:
            card = service.find_card(actor, card_no)
            return service.warehouse_board(actor), card

        def opened(result: tuple[KanbanBoardView, KanbanCardView]) -> None:
            board, card = result
            self.host.sounds.success()
            self._show_board(actor, board)
            self.board_screen.banner.clear()
            self.board_screen.show_card(card)
            self.host.stack.setCurrentWidget(self.board_screen)

        self.host.call(job, opened, on_refused=lambda error: self._refused(error, banner))

    # ================================================================== request
    def _load_items(self, actor: Actor, search: str) -> None:
        service = self.service

        def shown(items: list[KanbanItemView]) -> None:
            # A slower answer for older text must not replace the list of the newer one.
            if self.request_screen.search.text() == search:
                self.request_screen.set_items(items)

        self.host.call(lambda: service.items(actor, search), shown)

    def _on_search_changed(self, text: str) -> None:
        actor = self.host.actor
        if actor is not None:
            self._load_items(actor, text)

    def _on_send_requested(self, item_code: str, quantity: str) -> None:
        actor = self.host.actor
        if actor is None:
            return
        service = self.service

        outlook = self.host.services.sync.outlook

        def job() -> tuple[KanbanCardView, SyncOutlook]:
            return service.request(actor, item_code, quantity), outlook()

        def sent(result: tuple[KanbanCardView, SyncOutlook]) -> None:
            card, known = result
            text = self.tr("Request {card_no} sent: {quantity} {unit} {item}.").format(
                card_no=card.card_no,
                quantity=card.quantity,
                unit=card.unit,
                item=card.item_name,
            )
            self._after_change(text, hint=self._sent_hint(known))
            # Said until a sync round answers it; then the hint says what the round did.
            self._awaiting_sync = text if known.is_set_up and known.waiting else None

        self.host.call(
            job,
            sent,
            on_refused=lambda error: self._refused(error, self.request_screen.banner),
            busy=self.request_screen.quantity_page,
        )

    def _sent_hint(self, known: SyncOutlook) -> str:
        """What the kiosk knows of the request's way to the warehouse, and no more."""
        if not known.is_set_up:
            return self.tr("This kiosk does not sync: the warehouse sees it only on this kiosk.")
        if not known.waiting:
            return self.tr("The warehouse has it. It shows here when it is on its way.")
        status = self.host.sync_status
        if status is not None and status.state == ONLINE:
            return self.tr(
                "The warehouse sees it after the next sync, in a few seconds ({n} waiting)."
            ).format(n=known.waiting)
        if known.last_success_at is None:
            return self.tr(
                "The warehouse will see it at the next sync ({n} waiting; "
                "this kiosk has not synced yet)."
            ).format(n=known.waiting)
        return self.tr(
            "The warehouse will see it at the next sync ({n} waiting; last sync {time})."
        ).format(n=known.waiting, time=self.host.times.date_time(known.last_success_at))

    def round_finished(self, report: RoundReport) -> None:
        """A sync round reached the server: a request's hint says so once nothing waits,
        and the open board is loaded again if the round brought rows (cards moved)."""
        if self.host.actor is None or self.host.stack.currentWidget() is not self.board_screen:
            return
        awaiting = self._awaiting_sync
        banner = self.board_screen.banner
        if awaiting is not None and banner.message().startswith(awaiting):

            def answered(known: SyncOutlook) -> None:
                if known.waiting or not banner.message().startswith(awaiting):
                    return
                self._awaiting_sync = None
                banner.show_message(
                    SUCCESS,
                    awaiting,
                    self.tr(
                        "The warehouse has it (synced {time}). It shows here when it is on its way."
                    ).format(time=self.host.times.time(known.last_success_at)),
                )

            self.host.call(self.host.services.sync.outlook, answered)
        if report.pulled:
            self.refresh()

    # ================================================================== helpers
    def _refused(self, error: KnownError, banner: Banner, *, reload: bool = False) -> None:
        self.host.sounds.error()
        self.host.show_refusal(error, banner)
        if reload:
            self.refresh()  # the card may have moved on at another kiosk

    def _is_on_board(self) -> bool:
        return self.host.stack.currentWidget() is self.board_screen
