"""The PIN typed again to confirm a privileged identity action, which the server then checks.

A badge, an unlock or an account change is a request to the server carrying the
person's PIN, like an approver's PIN on someone else's session. Without a server the
kiosk says so before asking for anything; a wrong PIN stays on the PIN page (the server
counts it), any other answer goes back to the screen the action came from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.ui.host import Host
from kiosk.ui.screens.pin_entry import PinEntryScreen
from kiosk.ui.widgets.banner import Banner

# Refusals the person can put right on the PIN page itself.
_TRY_AGAIN = frozenset({ErrorCode.WRONG_PIN, ErrorCode.PIN_FORMAT})

Request = Callable[[str], Any]  # runs on the worker thread with the typed PIN


class ConfirmPinScreen(PinEntryScreen):
    """The logged-in person's PIN, asked again for one request to the server."""

    def ask(self, title: str) -> None:
        self.banner.clear()
        self.entry.clear()
        self.entry.set_title(title)


class PinConfirmation(QObject):
    """One flow's PIN page: ask, send the request off the GUI thread, go back with the answer."""

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.screen = ConfirmPinScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.screen.entry.submitted.connect(self._on_pin)
        self.screen.entry.back_requested.connect(self._go_back)
        self._request: Request | None = None
        self._on_done: Callable[[Any], None] = _ignore
        self._return_to: QWidget | None = None
        self._banner: Banner | None = None

    def ask(
        self,
        title: str,
        request: Request,
        on_done: Callable[[Any], None],
        *,
        banner: Banner | None = None,
    ) -> None:
        """Ask the PIN under `title`, then run `request(pin)`; `on_done` gets its result back
        on the screen the action came from. Refusals show on `banner` (that screen's)."""
        host = self.host
        self._return_to = host.current_screen()
        self._banner = banner
        if not host.services.identity.has_server:
            # Nothing to confirm: the service refuses (and audits) without asking anyone.
            host.call(lambda: request(""), on_done, on_refused=self._show_elsewhere)
            return
        self._request = request
        self._on_done = on_done
        self.screen.ask(title)
        host.stack.setCurrentWidget(self.screen)

    def _on_pin(self, pin: str) -> None:
        request = self._request
        if request is None or not pin:
            return

        def done(result: Any) -> None:
            self._go_back()
            self._on_done(result)

        def refused(error: KnownError) -> None:
            if error.code in _TRY_AGAIN:
                self.host.sounds.error()
                self.screen.entry.clear()
                self.host.show_refusal(error, self.screen.banner)
                return
            self._go_back()
            self._show_elsewhere(error)

        self.host.call(lambda: request(pin), done, on_refused=refused, busy=self.screen)

    def _show_elsewhere(self, error: KnownError) -> None:
        self.host.sounds.error()
        self.host.show_refusal(error, self._banner)

    def _go_back(self) -> None:
        self._request = None
        self.screen.entry.clear()
        if self.host.current_screen() is self.screen and self._return_to is not None:
            self.host.stack.setCurrentWidget(self._return_to)


def _ignore(_result: Any) -> None:
    return None
