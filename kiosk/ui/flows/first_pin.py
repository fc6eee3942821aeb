"""A first PIN at the kiosk: choose it twice, the server takes it, then log in with it.

Started by a badge tap of someone with no PIN (the badge proves them to the server), or
by their setup code typed on their tile. A mismatch or a PIN of the wrong length asks
again; any other refusal goes back to the login screen and says why. Without the server
nothing can be chosen: someone who logs in by badge alone is let in by badge (and told),
a privileged person is not (their role needs badge and PIN).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.services.auth import BADGE_TAP_VALID_FOR
from kiosk.services.first_pin import FirstPinProof
from kiosk.services.views import FirstPinRequired, LoginResult, PinRequired, RosterEntry
from kiosk.ui.host import Host
from kiosk.ui.screens.first_pin import ChoosePinScreen
from kiosk.ui.screens.login import LoginScreen
from kiosk.ui.widgets.banner import INFO

# Refusals the person puts right by choosing again.
_CHOOSE_AGAIN = frozenset({ErrorCode.PIN_MISMATCH, ErrorCode.PIN_FORMAT})

BeginSession = Callable[[LoginResult], None]


@dataclass(frozen=True)
class _Choosing:
    entry: RosterEntry
    proof: FirstPinProof
    may_skip: bool


class FirstPinFlow(QObject):
    """The choose-PIN screen and what happens around it."""

    def __init__(
        self,
        host: Host,
        login_screen: LoginScreen,
        begin_session: BeginSession,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self._login_screen = login_screen
        self._begin_session = begin_session
        self.screen = ChoosePinScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.screen.first_typed.connect(self._on_screen_first_typed)
        self.screen.repeat_typed.connect(self._on_screen_repeat_typed)
        self.screen.cancelled.connect(self._on_screen_cancelled)
        self.screen.skipped.connect(self._on_screen_skipped)
        self._choosing: _Choosing | None = None
        self._first_pin = ""
        # Someone who walks away mid-way: the next person must not finish choosing for them.
        self.expiry_timer = QTimer(self)
        self.expiry_timer.setSingleShot(True)
        self.expiry_timer.setInterval(int(BADGE_TAP_VALID_FOR.total_seconds() * 1000))
        self.expiry_timer.timeout.connect(self._on_expiry_timeout)

    # ------------------------------------------------------------------ starting
    def start_after_badge(self, required: FirstPinRequired) -> None:
        proof = FirstPinProof(badge_uid=required.badge_uid)
        self._start(_Choosing(required.entry, proof, required.may_skip))

    def start_with_code(self, entry: RosterEntry, code: str) -> None:
        self._start(_Choosing(entry, FirstPinProof(setup_code=code), may_skip=False))

    def _start(self, choosing: _Choosing) -> None:
        host = self.host
        service = host.services.first_pin
        if not service.has_server:
            # Said at once, before anything is typed (and audited by the service).
            host.call(
                lambda: service.refuse_without_server(choosing.entry, choosing.proof),
                lambda _none: None,
                on_refused=lambda error: self._without_server(choosing, error),
            )
            return
        self._choosing = choosing
        self._first_pin = ""
        self.screen.banner.clear()
        self.screen.ask_first(choosing.entry, may_skip=choosing.may_skip)
        host.stack.setCurrentWidget(self.screen)
        self.expiry_timer.start()

    # ------------------------------------------------------------------ the two typings
    def _on_screen_first_typed(self, pin: str) -> None:
        choosing = self._choosing
        if choosing is None:
            return
        service = self.host.services.first_pin

        def accepted(_none: None) -> None:
            self._first_pin = pin
            self.screen.ask_repeat(choosing.entry)

        self.host.call(
            lambda: service.check_new_pin(choosing.entry, pin, choosing.proof),
            accepted,
            on_refused=self._choose_again,
        )

    def _on_screen_repeat_typed(self, repeat: str) -> None:
        choosing = self._choosing
        if choosing is None:
            return
        pin = self._first_pin
        service = self.host.services.first_pin

        def refused(error: KnownError) -> None:
            if error.code in _CHOOSE_AGAIN:
                self._choose_again(error)
            elif error.code is ErrorCode.FIRST_PIN_NEEDS_SERVER:
                self._without_server(choosing, error)
            else:
                self._back_to_login(error)

        self.host.call(
            lambda: service.choose(choosing.entry, pin, repeat, choosing.proof),
            lambda _none: self._log_in(choosing, pin),
            on_refused=refused,
            busy=self.screen,
        )

    def _choose_again(self, error: KnownError) -> None:
        choosing = self._choosing
        if choosing is None:
            return
        self.host.sounds.error()
        self._first_pin = ""
        self.screen.ask_first(choosing.entry, may_skip=choosing.may_skip)
        self.host.show_refusal(error, self.screen.banner)

    # ------------------------------------------------------------------ after
    def _log_in(self, choosing: _Choosing, pin: str) -> None:
        """The server took the PIN and its hash is stored here: log in with it now."""
        self._finish()
        self.host.sounds.success()
        after_badge = choosing.proof.badge_uid is not None
        auth = self.host.services.auth

        def refused(error: KnownError) -> None:
            if error.code is not ErrorCode.BADGE_BEFORE_PIN:
                self._back_to_login(error)
                return
            # A setup code, a privileged role on a line kiosk: the PIN is saved, the badge
            # comes first at login as always.
            self.host.show_login()
            self._login_screen.banner.show_message(
                INFO,
                self.tr("Your PIN is saved."),
                self.tr("To log in here, tap your badge first, then type your PIN."),
            )

        self.host.call(
            lambda: auth.login_with_pin(choosing.entry.user_id, pin, after_badge=after_badge),
            self._begin_session,
            on_refused=refused,
        )

    def _on_screen_skipped(self) -> None:
        choosing = self._choosing
        if choosing is None or not choosing.may_skip or choosing.proof.badge_uid is None:
            return
        self._finish()
        self._log_in_by_badge(choosing.proof.badge_uid)

    def _log_in_by_badge(self, uid: str, then: Callable[[], None] | None = None) -> None:
        auth = self.host.services.auth

        def done(result: LoginResult | PinRequired | FirstPinRequired) -> None:
            if isinstance(result, LoginResult):
                self._begin_session(result)
                if then is not None:
                    then()

        self.host.call(
            lambda: auth.login_with_badge(uid, skip_first_pin=True),
            done,
            on_refused=self._back_to_login,
        )

    def _without_server(self, choosing: _Choosing, error: KnownError) -> None:
        """No server: a badge-only person is let in by badge and told; anyone else is not."""
        self._finish()
        uid = choosing.proof.badge_uid
        if choosing.may_skip and uid is not None:
            self.host.sounds.error()
            self._log_in_by_badge(
                uid, then=lambda: self.host.show_refusal(error, self.host.current_banner())
            )
            return
        self._back_to_login(error)

    def _on_expiry_timeout(self) -> None:
        if self._choosing is None or self.host.current_screen() is not self.screen:
            return
        self._finish()
        self.host.show_login()
        self._login_screen.banner.show_message(
            INFO,
            self.tr("No PIN was chosen in time; nothing was saved."),
            self.tr("Tap your badge (or type your setup code) again to choose your PIN."),
        )

    def _on_screen_cancelled(self) -> None:
        self._finish()
        self.host.show_login()

    def _back_to_login(self, error: KnownError) -> None:
        self._finish()
        self.host.sounds.error()
        self.host.show_login()
        self.host.show_refusal(error, self._login_screen.banner)

    def _finish(self) -> None:
        self.expiry_timer.stop()
        self._choosing = None
        self._first_pin = ""
        self.screen.entry.clear()
