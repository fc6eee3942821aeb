"""The admin's Lines screen: each change confirmed by the admin's PIN and checked by the server.

The list is this kiosk's copy of the site's lines (the server's answer stores the changed
row before the request returns). A refusal of a field shows next to it; nothing changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from PySide6.QtCore import QObject

from kiosk.domain.errors import RefusalError
from kiosk.domain.roles import Action
from kiosk.services.authz import authorize
from kiosk.store.database import Database
from kiosk.store.models import Line
from kiosk.ui.flows.admin_people import field_words, rows_refusal
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host
from kiosk.ui.screens.admin_lines import LineRow, LinesScreen
from kiosk.ui.widgets.banner import ERROR, SUCCESS


def known_lines(database: Database) -> list[LineRow]:
    """Every line this kiosk knows, retired ones too (they say so)."""
    with database.reader() as session:
        return [
            LineRow(line.code, line.name, line.department.value, line.is_active)
            for line in session.scalars(select(Line).order_by(Line.code))
        ]


class LinesFlow(BaseFlow):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.screen = LinesScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.confirm = PinConfirmation(host, self)
        self._focus: str | None = None
        self.screen.back_requested.connect(host.open_admin_screen)
        self.screen.save_requested.connect(self._on_screen_save_requested)
        self.screen.deactivate_requested.connect(self._on_screen_deactivate_requested)

    def open(self) -> None:
        host = self.host
        actor = host.require_actor()
        database = host.services.uow.database

        def job() -> list[LineRow]:
            authorize(actor, Action.SITE_MANAGE)
            return known_lines(database)

        def shown(lines: list[LineRow]) -> None:
            self.screen.show_lines(lines)
            host.stack.setCurrentWidget(self.screen)

        host.call(job, shown)

    def refresh(self) -> None:
        """A pull brought rows: the list shows them (a form being typed is left alone)."""
        if self.screen.is_showing_form():
            return
        database = self.host.services.uow.database
        focus = self._focus
        self.host.call(
            lambda: known_lines(database), lambda rows: self.screen.show_lines(rows, focus)
        )

    def _reload(self, words: str, focus: str) -> None:
        host = self.host
        database = host.services.uow.database

        def shown(lines: list[LineRow]) -> None:
            self.screen.show_lines(lines, focus=focus)
            self.screen.banner.show_message(SUCCESS, words)

        host.call(lambda: known_lines(database), shown)

    def _answered(self, result: Any, words: str, focus: str) -> None:
        if isinstance(result, RefusalError):
            self.host.sounds.error()
            problems = list(result.fields.get("problems") or [])
            self.screen.show_problems([(str(p.get("field")), field_words(p)) for p in problems])
            self.screen.banner.show_message(
                ERROR,
                self.tr("The server refused this: nothing was changed."),
                self.tr("Correct the fields marked in red and save again."),
            )
            return
        self.host.sounds.success()
        self._focus = focus  # the server's row comes with the pull asked for: shown then
        self._reload(words, focus)

    def _on_screen_save_requested(self, form: dict[str, Any]) -> None:
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin
        row: LineRow | None = form["row"]
        code, name = form["code"], form["name"]
        if row is None:
            title = self.tr("{name}: type your PIN to add line {code}")

            def request(pin: str) -> Any:
                return rows_refusal(
                    lambda: admin.add_line(
                        actor, pin, code=code, department=form["department"], name=name
                    )
                )

            words = self.tr("Line {code} was added.")
        else:
            title = self.tr("{name}: type your PIN to rename line {code}")

            def request(pin: str) -> Any:
                return rows_refusal(lambda: admin.rename_line(actor, pin, code=row.code, name=name))

            words = self.tr("Line {code} was renamed.")
        shown_code = code or (row.code if row else "")
        self.confirm.ask(
            title.format(name=actor.name, code=shown_code),
            request,
            lambda result: self._answered(result, words.format(code=shown_code), shown_code),
            banner=self.screen.banner,
        )

    def _on_screen_deactivate_requested(self, row: LineRow | None) -> None:
        if row is None:
            return
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin

        def answered(choice: str) -> None:
            if choice != "deactivate":
                return
            self.confirm.ask(
                self.tr("{name}: type your PIN to deactivate line {code}").format(
                    name=actor.name, code=row.code
                ),
                lambda pin: rows_refusal(lambda: admin.deactivate_line(actor, pin, code=row.code)),
                lambda result: self._answered(
                    result, self.tr("Line {code} was deactivated.").format(code=row.code), row.code
                ),
                banner=self.screen.banner,
            )

        host.overlay.ask(
            self.tr("Deactivate line {code}?").format(code=row.code),
            self.tr("Nobody can log in or record on it from each kiosk's next sync."),
            [
                ("keep", self.tr("No, keep it"), ""),
                ("deactivate", self.tr("Deactivate"), "caution"),
            ],
            answered,
        )
