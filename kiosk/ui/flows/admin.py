"""The admin's board and the badge screen: unlock accounts, bind badges, close the program."""

from __future__ import annotations

import logging
import uuid
from typing import Any, ClassVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.services.boards import AdminBoard
from kiosk.services.views import BadgeHolderView
from kiosk.ui.flows.base import BaseFlow, ScanClaims
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host
from kiosk.ui.scan_context import ScanContext
from kiosk.ui.screens.badges import BadgeScreen
from kiosk.ui.screens.boards import AdminScreen
from kiosk.ui.widgets.banner import SUCCESS

log = logging.getLogger(__name__)


class AdminFlow(BaseFlow):
    # A badge tapped while the badge screen waits for one is bound, not logged in.
    scan_claims: ClassVar[ScanClaims] = {PayloadKind.BADGE: frozenset({ScanContext.ENROL})}

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.admin_screen = AdminScreen(host.times, host.stack)
        self.badge_screen = BadgeScreen(host.stack)
        host.stack.addWidget(self.admin_screen)
        host.stack.addWidget(self.badge_screen)
        self.admin_screen.unlock_requested.connect(self._on_admin_unlock_requested)
        self.admin_screen.quit_requested.connect(self._on_admin_quit_requested)
        self.admin_screen.badges_requested.connect(self.open_badge_screen)
        self.badge_screen.back_requested.connect(self.open_board)
        self.badge_screen.unbind_requested.connect(self._on_badge_unbind_requested)
        self.confirm = PinConfirmation(host, self)

    def context_for(self, widget: QWidget) -> ScanContext | None:
        if widget is self.admin_screen:
            return ScanContext.ADMIN
        if widget is self.badge_screen:
            waiting = self.badge_screen.waiting_for is not None
            return ScanContext.ENROL if waiting else ScanContext.BADGES
        return None

    def handle_scan(self, payload: ScanPayload, context: ScanContext) -> None:
        self._enrol_badge(payload.value)

    # ------------------------------------------------------------------ board
    def open_board(self) -> None:
        host = self.host
        actor = host.require_actor()

        def shown(board: AdminBoard) -> None:
            self.admin_screen.show_board(board)
            host.stack.setCurrentWidget(self.admin_screen)

        host.call(lambda: host.services.boards.admin_board(actor), shown)

    def _on_admin_unlock_requested(self, user_id: uuid.UUID) -> None:
        host = self.host
        actor = host.require_actor()
        identity = host.services.identity

        def done(_result: Any) -> None:
            if host.current_screen() is self.admin_screen:
                self.open_board()
            host.current_banner().show_message(SUCCESS, self.tr("Account unlocked."))

        self.confirm.ask(
            self.tr("{name}: type your PIN to unlock the account").format(name=actor.name),
            lambda pin: identity.unlock(actor, pin, user_id),
            done,
        )

    def _on_admin_quit_requested(self) -> None:
        host = self.host
        actor = host.require_actor()

        def answered(choice: str) -> None:
            if choice != "quit":
                return
            log.info("kiosk closed by %s", actor.employee_no)
            host.logout("closed")
            host.quit_program()

        host.overlay.ask(
            self.tr("Close the kiosk program?"),
            self.tr("The line cannot log in or record until it is started again."),
            [
                ("stay", self.tr("No, keep it running"), ""),
                ("quit", self.tr("Close it"), "caution"),
            ],
            answered,
        )

    # ------------------------------------------------------------------ badges
    def open_badge_screen(self) -> None:
        host = self.host
        actor = host.require_actor()

        def shown(holders: list[BadgeHolderView]) -> None:
            self.badge_screen.stop_waiting()
            self.badge_screen.show_holders(holders)
            host.stack.setCurrentWidget(self.badge_screen)

        host.call(lambda: host.services.badges.holders(actor), shown)

    def _enrol_badge(self, uid: str) -> None:
        """The tapped badge is bound by the server once the admin's PIN is confirmed."""
        host = self.host
        actor = host.require_actor()
        identity = host.services.identity
        holder = self.badge_screen.waiting_for
        if holder is None:
            return
        self.badge_screen.stop_waiting()

        def done(updated: BadgeHolderView) -> None:
            host.sounds.success()
            self._reload_holders(self.tr("Badge bound to {name}.").format(name=updated.name))

        self.confirm.ask(
            self.tr("{name}: type your PIN to bind the badge to {holder}").format(
                name=actor.name, holder=holder.name
            ),
            lambda pin: identity.bind_badge(actor, pin, holder.user_id, uid),
            done,
            banner=self.badge_screen.banner,
        )

    def _on_badge_unbind_requested(self, user_id: uuid.UUID) -> None:
        host = self.host
        actor = host.require_actor()
        identity = host.services.identity

        def unbound(updated: BadgeHolderView) -> None:
            self._reload_holders(
                self.tr("The badge of {name} no longer logs in.").format(name=updated.name)
            )

        def answered(choice: str) -> None:
            if choice == "unbind":
                self.confirm.ask(
                    self.tr("{name}: type your PIN to unbind the badge").format(name=actor.name),
                    lambda pin: identity.unbind_badge(actor, pin, user_id),
                    unbound,
                    banner=self.badge_screen.banner,
                )

        host.overlay.ask(
            self.tr("Unbind this badge?"),
            self.tr("The badge stops working at once; the user can still log in with the PIN."),
            [("keep", self.tr("No, keep it"), ""), ("unbind", self.tr("Unbind"), "caution")],
            answered,
        )

    def _reload_holders(self, success_text: str) -> None:
        host = self.host
        actor = host.require_actor()

        def shown(holders: list[BadgeHolderView]) -> None:
            self.badge_screen.show_holders(holders)
            self.badge_screen.banner.show_message(SUCCESS, success_text)

        host.call(lambda: host.services.badges.holders(actor), shown)
