"""The admin's Audit viewer: the central audit read page by page, and its CSV export.

Like the Devices screen it needs an admin session (the PIN once, checked by the server).
Pages go forward by the server's cursor; going back re-reads the cursor kept for that page.
The export is written to `exports/` in the kiosk's data folder, and the screen says where.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from kiosk.domain.roles import Action
from kiosk.services.admin import AdminSession, ListPage
from kiosk.services.authz import authorize
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host
from kiosk.ui.screens.admin_audit import AuditScreen
from kiosk.ui.widgets.banner import SUCCESS

EXPORT_FOLDER = "exports"


class AuditFlow(BaseFlow):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.screen = AuditScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.confirm = PinConfirmation(host, self)
        self._cursors: list[str | None] = [None]  # the cursor of each page shown so far
        self._next: str | None = None
        self.screen.back_requested.connect(host.open_admin_screen)
        self.screen.search_requested.connect(lambda: self._read(0))
        self.screen.next_requested.connect(self._on_screen_next_requested)
        self.screen.previous_requested.connect(self._on_screen_previous_requested)
        self.screen.export_requested.connect(self._on_screen_export_requested)

    def session_ended(self) -> None:
        self.host.services.admin.end_session()
        self.screen.show_page([], [], 1, has_next=False)

    # ------------------------------------------------------------------ open and read
    def open(self) -> None:
        host = self.host
        actor = host.require_actor()
        host.call(lambda: authorize(actor, Action.AUDIT_VIEW), lambda _none: self._opened())

    def _opened(self) -> None:
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin
        if self._live_session() is not None:
            self._read(0)
            return

        def request(pin: str) -> tuple[AdminSession, ListPage]:
            opened = admin.open_session(actor, pin)
            return opened, admin.audit(actor, opened, self.screen.active_filters())

        def done(result: tuple[AdminSession, ListPage]) -> None:
            self._cursors = [None]
            self._shown(0, result[1])

        self.confirm.ask(
            self.tr("{name}: type your PIN to read the audit").format(name=actor.name),
            request,
            done,
        )

    def _live_session(self) -> AdminSession | None:
        host = self.host
        return host.services.admin.live_session(host.require_actor(), host.services.clock.now())

    def _read(self, page_index: int) -> None:
        """Page `page_index` (0: the first) with the filters on the screen."""
        host = self.host
        actor = host.require_actor()
        session = self._live_session()
        if session is None:
            self._opened()  # the ticket ran out: the PIN again
            return
        if page_index == 0:
            self._cursors = [None]
        cursor = self._cursors[page_index]
        filters = self.screen.active_filters()

        def refused(error: Any) -> None:
            host.sounds.error()
            host.show_refusal(error, self.screen.banner)

        host.call(
            lambda: host.services.admin.audit(actor, session, filters, cursor),
            lambda page: self._shown(page_index, page),
            on_refused=refused,
        )

    def _shown(self, page_index: int, page: ListPage) -> None:
        del self._cursors[page_index + 1 :]
        self._next = page.next_cursor
        texts = [self._entry_text(entry) for entry in page.rows]
        shown = [self._in_site_time(entry) for entry in page.rows]
        self.screen.show_page(shown, texts, page_index + 1, has_next=self._next is not None)
        self.host.stack.setCurrentWidget(self.screen)

    def _in_site_time(self, entry: dict[str, Any]) -> dict[str, Any]:
        """The entry as its details show it: its time on the site's clock, with the zone."""
        at = entry.get("at")
        if not at:
            return entry
        return {**entry, "at": self.host.times.stamp(datetime.fromisoformat(at))}

    def _entry_text(self, entry: dict[str, Any]) -> str:
        at = entry.get("at")
        when = self.host.times.date_time(datetime.fromisoformat(at)) if at else "?"
        where = " · ".join(str(entry[key]) for key in ("device", "line") if entry.get(key))
        outcome = entry.get("outcome") or ""
        parts = [when, str(entry.get("actor") or self.tr("the server")), str(entry["action"])]
        if outcome and outcome != "ok":
            parts.append(outcome)
        if where:
            parts.append(where)
        return " · ".join(parts)

    def _on_screen_next_requested(self) -> None:
        if self._next is None:
            return
        self._cursors.append(self._next)
        self._read(len(self._cursors) - 1)

    def _on_screen_previous_requested(self) -> None:
        if len(self._cursors) > 1:
            self._read(len(self._cursors) - 2)

    # ------------------------------------------------------------------ export
    def _on_screen_export_requested(self) -> None:
        host = self.host
        actor = host.require_actor()
        session = self._live_session()
        if session is None:
            self._opened()
            return
        filters = self.screen.active_filters()
        folder = export_folder(host)
        stamp = host.services.clock.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"audit-{stamp}.csv"

        def export() -> int:
            text = host.services.admin.audit_csv(actor, session, filters)
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return max(0, len(list(csv.reader(io.StringIO(text)))) - 1)  # less the header

        def done(count: int) -> None:
            self.screen.banner.show_message(
                SUCCESS,
                self.tr("{count} entries exported.").format(count=count),
                self.tr("The file is {path}").format(path=str(path)),
            )

        def refused(error: Any) -> None:
            host.sounds.error()
            host.show_refusal(error, self.screen.banner)

        host.call(export, done, on_refused=refused)


def export_folder(host: Host) -> Path:
    """`exports/` beside the kiosk's database: its data folder, which the admin backs up."""
    database = host.services.uow.database.engine.url.database
    return Path(database or ".").resolve().parent / EXPORT_FOLDER
