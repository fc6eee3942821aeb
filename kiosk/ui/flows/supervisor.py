"""The supervisor's board: alerts, accounts to unlock, lines to clear, sync on demand."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.services.boards import SupervisorBoard
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host
from kiosk.ui.scan_context import ScanContext
from kiosk.ui.screens.boards import SupervisorScreen
from kiosk.ui.widgets.banner import INFO, SUCCESS


class SupervisorFlow(BaseFlow):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.supervisor_screen = SupervisorScreen(host.times, host.stack)
        host.stack.addWidget(self.supervisor_screen)
        screen = self.supervisor_screen
        screen.clear_requested.connect(self._on_supervisor_clear_requested)
        screen.sync_now_requested.connect(self._on_supervisor_sync_now_requested)
        screen.acknowledge_requested.connect(self._on_supervisor_acknowledge_requested)
        screen.unlock_requested.connect(self._on_supervisor_unlock_requested)
        self.confirm = PinConfirmation(host, self)

    def context_for(self, widget: QWidget) -> ScanContext | None:
        return ScanContext.SUPERVISOR if widget is self.supervisor_screen else None

    def is_showing(self) -> bool:
        return self.host.current_screen() is self.supervisor_screen

    def open_board(self) -> None:
        host = self.host
        actor = host.require_actor()

        def shown(board: SupervisorBoard) -> None:
            self.supervisor_screen.show_board(board)
            host.stack.setCurrentWidget(self.supervisor_screen)

        host.call(lambda: host.services.boards.supervisor_board(actor), shown)

    def _refresh(self) -> None:
        if self.is_showing():
            self.open_board()

    def _on_supervisor_sync_now_requested(self) -> None:
        host = self.host
        actor = host.require_actor()

        def done(_result: Any) -> None:
            host.current_banner().show_message(
                INFO, self.tr("Syncing now."), self.tr("The strip below shows when it is done.")
            )

        host.call(lambda: host.services.sync.sync_now(actor), done)

    def _on_supervisor_acknowledge_requested(self, alert_id: uuid.UUID) -> None:
        host = self.host
        actor = host.require_actor()

        def done(_result: Any) -> None:
            self._refresh()
            self.supervisor_screen.banner.show_message(SUCCESS, self.tr("Alert acknowledged."))

        host.call(lambda: host.services.alerts.acknowledge(actor, alert_id), done)

    def _on_supervisor_unlock_requested(self, user_id: uuid.UUID) -> None:
        """The server unlocks the account once the supervisor's PIN is confirmed."""
        host = self.host
        actor = host.require_actor()
        identity = host.services.identity

        def done(_result: Any) -> None:
            self._refresh()
            host.current_banner().show_message(SUCCESS, self.tr("Account unlocked."))

        self.confirm.ask(
            self.tr("{name}: type your PIN to unlock the account").format(name=actor.name),
            lambda pin: identity.unlock(actor, pin, user_id),
            done,
        )

    def _on_supervisor_clear_requested(self, line_code: str) -> None:
        host = self.host
        actor = host.require_actor()
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
                self.open_board()
                self.supervisor_screen.banner.show_message(
                    SUCCESS, self.tr("{line} is clear.").format(line=line_code)
                )
                host.refresh_line_status()

            host.call(lambda: host.services.lines.clear(actor, line_code, reason), done)

        host.overlay.ask(
            self.tr("Clear {line}?").format(line=line_code),
            self.tr("Say why. Who, when and why are recorded."),
            [("cancel", self.tr("Cancel"), "")]
            + [(f"reason:{index}", text, "caution") for index, text in enumerate(reasons)],
            answered,
        )
