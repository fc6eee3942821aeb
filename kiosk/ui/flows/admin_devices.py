"""The admin's Devices screen: list the site's devices, create an enrolment code, revoke one.

The list needs an admin session (the PIN once, checked by the server, then 15 minutes of
pages); a new code and a revoke each carry the PIN again, as every privileged identity
action does. The code's QR holds the enrolment link: this kiosk's own server address and
the certificate it pinned, so that the new kiosk trusts the same server from one scan.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject

from kiosk.domain.enrolment_link import EnrolmentLink, enrolment_link_text
from kiosk.domain.roles import Action, Department
from kiosk.services.admin import AdminSession, ListPage
from kiosk.services.authz import authorize
from kiosk.services.site import all_lines
from kiosk.services.views import LineView
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host
from kiosk.ui.screens.admin_devices import DevicesScreen
from kiosk.ui.widgets.banner import SUCCESS

# What the screen says of a new code's life (the server's CODE_LIFETIME; its answer
# carries the exact moment, which the identity service does not hand on).
CODE_SHOWN_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class EnrolmentServer:
    """The server this kiosk syncs with, as a new kiosk must reach and trust it."""

    url: str
    fingerprint: bytes | None = None  # the pinned certificate's SHA-256; None: a CA signs it
    this_device: uuid.UUID | None = None  # this kiosk: listed, never offered for revoking


class DevicesFlow(BaseFlow):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.screen = DevicesScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.confirm = PinConfirmation(host, self)
        self.enrolment_server: EnrolmentServer | None = None  # set by the shell once synced
        self.screen.back_requested.connect(host.open_admin_screen)
        self.screen.new_code_requested.connect(self._on_screen_new_code_requested)
        self.screen.code_for_line_requested.connect(self._on_code_for_line)
        self.screen.code_for_department_requested.connect(self._on_code_for_department)
        self.screen.revoke_requested.connect(self._on_screen_revoke_requested)

    def session_ended(self) -> None:
        """The admin's list ticket and any code on the screen go with the session."""
        self.host.services.admin.end_session()
        self.screen.hide_code()
        self.screen.targets.hide()

    # ------------------------------------------------------------------ open and list
    def open(self) -> None:
        """The role first, then the PIN once (the server opens an admin session), then the list."""
        host = self.host
        actor = host.require_actor()
        host.call(lambda: authorize(actor, Action.DEVICE_MANAGE), lambda _none: self._opened())

    def _opened(self) -> None:
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin
        session = self._live_session()
        if session is not None:
            host.call(lambda: admin.devices(actor, session), self._show)
            return

        def request(pin: str) -> tuple[AdminSession, ListPage]:
            opened = admin.open_session(actor, pin)
            return opened, admin.devices(actor, opened)

        def done(result: tuple[AdminSession, ListPage]) -> None:
            self._show(result[1])

        self.confirm.ask(
            self.tr("{name}: type your PIN to manage the devices").format(name=actor.name),
            request,
            done,
        )

    def _live_session(self) -> AdminSession | None:
        host = self.host
        return host.services.admin.live_session(host.require_actor(), host.services.clock.now())

    def _show(self, page: ListPage) -> None:
        words = {str(row.get("name", "")): self._row_text(row) for row in page.rows}
        server = self.enrolment_server
        this = None if server is None or server.this_device is None else str(server.this_device)
        for row in page.rows:
            if str(row.get("device_id")) == this:
                name = str(row.get("name", ""))
                words[name] = self.tr("This kiosk: {row}").format(row=words[name])
        # The server refuses a kiosk revoking itself: no button for it.
        self.screen.show_devices(page.rows, words, keep=this)
        self.host.stack.setCurrentWidget(self.screen)

    def _reload(self, success_text: str) -> None:
        host = self.host
        actor = host.require_actor()
        session = self._live_session()
        if session is None:
            self.screen.banner.show_message(SUCCESS, success_text)
            return

        def shown(page: ListPage) -> None:
            self._show(page)
            self.screen.banner.show_message(SUCCESS, success_text)

        host.call(lambda: host.services.admin.devices(actor, session), shown)

    def _row_text(self, row: dict[str, Any]) -> str:
        times = self.host.times
        where = row.get("line") or self.tr("desktop {department}").format(
            department=row.get("department") or "?"
        )
        seen = row.get("last_seen_at")
        parts = [
            f"{row.get('name', '')} · {where}",
            self.tr("last seen {when}").format(
                when=times.date_time(datetime.fromisoformat(seen)) if seen else self.tr("never")
            ),
        ]
        offset = row.get("clock_offset_seconds")
        if offset is not None and abs(float(offset)) < 1:
            parts.append(self.tr("clock in step"))
        elif offset is not None:
            parts.append(self.tr("clock {offset:+.0f} s off").format(offset=float(offset)))
        parts.append(self.tr("{count} events held").format(count=int(row.get("held_events") or 0)))
        if row.get("events_waiting") is not None:
            parts.append(self.tr("{count} events waiting").format(count=int(row["events_waiting"])))
        if row.get("version"):
            parts.append(self.tr("version {version}").format(version=row["version"]))
        revoked = row.get("revoked_at")
        if revoked:
            parts.append(
                self.tr("REVOKED {when}").format(
                    when=times.date_time(datetime.fromisoformat(revoked))
                )
            )
        return " · ".join(parts)

    # ------------------------------------------------------------------ a new code
    def _on_screen_new_code_requested(self) -> None:
        host = self.host
        database = host.services.uow.database

        def shown(lines: list[LineView]) -> None:
            self.screen.choose_target(lines, [department.value for department in Department])

        host.call(lambda: all_lines(database), shown)

    def _on_code_for_line(self, line: str) -> None:
        self._create_code(line, line=line)

    def _on_code_for_department(self, department: str) -> None:
        self._create_code(
            self.tr("a desktop of {department}").format(department=department),
            department=department,
        )

    def _create_code(
        self, target: str, *, line: str | None = None, department: str | None = None
    ) -> None:
        host = self.host
        actor = host.require_actor()
        identity = host.services.identity

        def request(pin: str) -> str:
            return identity.create_device_code(actor, pin, line=line, department=department)

        def done(code: str) -> None:
            expires = host.times.date_time(host.services.clock.now() + CODE_SHOWN_FOR)
            self.screen.show_code(code, target, expires, self.link_text(code))

        self.confirm.ask(
            self.tr("{name}: type your PIN to create an enrolment code").format(name=actor.name),
            request,
            done,
            banner=self.screen.banner,
        )

    def link_text(self, code: str) -> str | None:
        """The QR's text for `code`: None when this kiosk knows no server address to put in it."""
        server = self.enrolment_server
        if server is None:
            return None
        try:
            return enrolment_link_text(EnrolmentLink(server.url, code, server.fingerprint))
        except ValueError:
            return None  # an address a new kiosk could not use: the digits only

    # ------------------------------------------------------------------ revoke
    def _on_screen_revoke_requested(self, device_id: uuid.UUID, name: str) -> None:
        host = self.host
        actor = host.require_actor()
        identity = host.services.identity

        def answered(choice: str) -> None:
            if choice != "revoke":
                return
            self.confirm.ask(
                self.tr("{name}: type your PIN to revoke {device}").format(
                    name=actor.name, device=name
                ),
                lambda pin: identity.revoke_device(actor, pin, device_id),
                lambda _none: self._reload(
                    self.tr("{device} is revoked: the server refuses it from now on.").format(
                        device=name
                    )
                ),
                banner=self.screen.banner,
            )

        host.overlay.ask(
            self.tr("Revoke {device}?").format(device=name),
            self.tr(
                "The server refuses its sync from now on; it must be enrolled again "
                "with a new code to work."
            ),
            [("keep", self.tr("No, keep it"), ""), ("revoke", self.tr("Revoke"), "caution")],
            answered,
        )
