"""The admin's Integration keys screen: the server's list (the shared admin session), a new key
shown once, and a revoke; each change carries the admin's PIN and is audited centrally.

The new key is in the server's answer only: it goes from the service straight into a card
over the screen that the admin must dismiss ("I have copied it"), and is cleared from that
card when dismissed or when the session ends. It is never logged, never kept in the kiosk's
database nor its audit (which name the key's name only), and no list shows it again.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt

from kiosk.domain.errors import RefusalError
from kiosk.domain.roles import Action
from kiosk.services.admin import AdminSession, ListPage
from kiosk.services.authz import authorize
from kiosk.ui.flows.admin_people import rows_refusal
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host
from kiosk.ui.screens.admin_keys import KeysScreen
from kiosk.ui.widgets.banner import ERROR, SUCCESS

_NAME_REASONS = {
    "exists": QT_TRANSLATE_NOOP(
        "Messages", "A key has this name already (revoked keys keep theirs): choose another."
    ),
    "bad_name": QT_TRANSLATE_NOOP(
        "Messages", "Use letters, digits and - only, starting with a letter or digit."
    ),
    "unknown": QT_TRANSLATE_NOOP("Messages", "There is no key with this name."),
    "already_revoked": QT_TRANSLATE_NOOP("Messages", "This key is revoked already."),
}


class KeysFlow(BaseFlow):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.screen = KeysScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.confirm = PinConfirmation(host, self)
        self.is_showing_key = False  # the new key's card is up
        self.screen.back_requested.connect(host.open_admin_screen)
        self.screen.create_requested.connect(self._on_screen_create_requested)
        self.screen.revoke_requested.connect(self._on_screen_revoke_requested)

    def session_ended(self) -> None:
        self.host.services.admin.end_session()
        self.screen.hide_create()
        self.screen.show_keys([], {})
        self._forget_key()

    # ------------------------------------------------------------------ open and list
    def open(self) -> None:
        host = self.host
        actor = host.require_actor()
        host.call(lambda: authorize(actor, Action.SITE_MANAGE), lambda _none: self._opened())

    def _opened(self) -> None:
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin
        session = admin.live_session(actor, host.services.clock.now())
        if session is not None:  # opened on another admin screen: no second PIN
            host.call(lambda: admin.integration_keys(actor, session), self._show)
            return

        def request(pin: str) -> tuple[AdminSession, ListPage]:
            opened = admin.open_session(actor, pin)
            return opened, admin.integration_keys(actor, opened)

        self.confirm.ask(
            self.tr("{name}: type your PIN to manage the integration keys").format(name=actor.name),
            request,
            lambda result: self._show(result[1]),
        )

    def _show(self, page: ListPage) -> None:
        words = {str(row.get("name", "")): self._row_text(row) for row in page.rows}
        self.screen.show_keys(page.rows, words)
        self.host.stack.setCurrentWidget(self.screen)

    def _reload(self, success_text: str) -> None:
        host = self.host
        actor = host.require_actor()
        session = host.services.admin.live_session(actor, host.services.clock.now())
        if session is None:  # the ticket ran out meanwhile: the words, the list next time
            self.screen.banner.show_message(SUCCESS, success_text)
            return

        def shown(page: ListPage) -> None:
            self._show(page)
            self.screen.banner.show_message(SUCCESS, success_text)

        host.call(lambda: host.services.admin.integration_keys(actor, session), shown)

    def _row_text(self, row: dict[str, Any]) -> str:
        times = self.host.times

        def when(value: Any) -> str:
            return times.date_time(datetime.fromisoformat(str(value)))

        parts = [
            str(row.get("name", "")),
            self.tr("made {when}").format(when=when(row["created_at"]))
            if row.get("created_at")
            else "",
        ]
        used = row.get("last_used_at")
        parts.append(
            self.tr("last used {when} ({count} calls)").format(
                when=when(used), count=int(row.get("use_count") or 0)
            )
            if used
            else self.tr("never used")
        )
        if row.get("revoked_at"):
            parts.append(self.tr("REVOKED {when}").format(when=when(row["revoked_at"])))
        return " · ".join(part for part in parts if part)

    # ------------------------------------------------------------------ a new key
    def _on_screen_create_requested(self, name: str) -> None:
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin
        self.screen.show_name_problem("")

        def request(pin: str) -> Any:
            return rows_refusal(lambda: admin.create_integration_key(actor, pin, name))

        def done(result: Any) -> None:
            if isinstance(result, RefusalError):
                host.sounds.error()
                problems = list(result.fields.get("problems") or [])
                self.screen.show_name_problem(" ".join(_words(p) for p in problems))
                self.screen.banner.show_message(
                    ERROR,
                    self.tr("The server refused this: no key was made."),
                    self.tr("Correct the name marked in red and try again."),
                )
                return
            host.sounds.success()
            self.screen.hide_create()
            self._show_key_once(name, str(result))

        self.confirm.ask(
            self.tr("{name}: type your PIN to create the key {key}").format(
                name=actor.name, key=name
            ),
            request,
            done,
            banner=self.screen.banner,
        )

    def _show_key_once(self, name: str, key: str) -> None:
        """The key in a card over the screen; gone from it once the admin dismisses it."""
        overlay = self.host.overlay
        self.is_showing_key = True
        instructions = html.escape(
            self.tr(
                "Copy it into the ERP now: it is shown this once and never again. "
                "Anyone holding it can send the site's data."
            )
        )
        overlay.ask(
            self.tr("The new key {name}").format(name=name),
            f"<p>{instructions}</p>"
            f'<p style="font-family: monospace; font-size: 20px;">{html.escape(key)}</p>',
            [("done", self.tr("I have copied it"), "go")],
            lambda _choice: self._key_dismissed(name),
        )
        # Selectable on a desktop (copied with the mouse); not editable anywhere.
        overlay.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _key_dismissed(self, name: str) -> None:
        self._forget_key()
        self._reload(
            self.tr("The key {name} was made; the list shows when it is used.").format(name=name)
        )

    def _forget_key(self) -> None:
        """The key leaves the card's label (hidden widgets keep their text otherwise)."""
        if not self.is_showing_key:
            return
        self.is_showing_key = False
        overlay = self.host.overlay
        overlay.text.clear()
        overlay.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        overlay.hide()

    # ------------------------------------------------------------------ revoke
    def _on_screen_revoke_requested(self, name: str) -> None:
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin

        def done(result: Any) -> None:
            if isinstance(result, RefusalError):
                host.sounds.error()
                problems = list(result.fields.get("problems") or [])
                self.screen.banner.show_message(
                    ERROR,
                    self.tr("The server refused this: nothing was changed."),
                    " ".join(_words(p) for p in problems),
                )
                return
            host.sounds.success()
            self._reload(
                self.tr("The key {name} is revoked: the server refuses it from now on.").format(
                    name=name
                )
            )

        def answered(choice: str) -> None:
            if choice != "revoke":
                return
            self.confirm.ask(
                self.tr("{name}: type your PIN to revoke the key {key}").format(
                    name=actor.name, key=name
                ),
                lambda pin: rows_refusal(lambda: admin.revoke_integration_key(actor, pin, name)),
                done,
                banner=self.screen.banner,
            )

        host.overlay.ask(
            self.tr("Revoke the key {name}?").format(name=name),
            self.tr(
                "The ERP using it is refused from its next call; it needs a new key to send "
                "data again. This cannot be undone."
            ),
            [("keep", self.tr("No, keep it"), ""), ("revoke", self.tr("Revoke"), "caution")],
            answered,
        )


def _words(problem: dict[str, Any]) -> str:
    known = _NAME_REASONS.get(str(problem.get("reason")))
    return (
        QCoreApplication.translate("Messages", str(known))
        if known is not None
        else str(problem.get("message", ""))
    )
