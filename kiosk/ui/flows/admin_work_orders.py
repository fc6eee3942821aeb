"""The admin's Work orders screen: the server's list (the shared admin session) and each change
as a request carrying the admin's PIN, checked by the server with the integration API's rules.

The list opens with the admin session the other admin lists share (the PIN once, then 15
minutes). A new work order, a new target or due date, and a cancel each ask the PIN again;
the server publishes the change to the line's kiosks with the feed. A refusal of the
form's fields comes back as ROWS_REFUSED with `problems`: each shows next to its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from kiosk.domain.errors import RefusalError
from kiosk.domain.roles import Action
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.services.admin import AdminSession, ListPage
from kiosk.ui.flows.admin_paging import ScreenPages, Step
from kiosk.ui.flows.admin_people import rows_refusal
from kiosk.ui.flows.admin_session import live_admin_session, open_admin_session
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host
from kiosk.ui.labels import status_label
from kiosk.ui.screens.admin_work_orders import PAGE_SIZE, WorkOrdersScreen
from kiosk.ui.widgets.banner import ERROR, SUCCESS

# The server's reasons for refusing a field (the integration API's), in the screen's words.
_REASONS = {
    "exists": QT_TRANSLATE_NOOP("Messages", "This work order number is taken already."),
    "unknown": QT_TRANSLATE_NOOP("Messages", "There is no work order with this number."),
    "missing": QT_TRANSLATE_NOOP("Messages", "Required."),
    "too_long": QT_TRANSLATE_NOOP("Messages", "Too long."),
    "control_character": QT_TRANSLATE_NOOP("Messages", "Holds a character that cannot be used."),
    "bad_code": QT_TRANSLATE_NOOP(
        "Messages", "Use letters, digits and . _ / - only (e.g. WO-2026-0042)."
    ),
    "not_a_number": QT_TRANSLATE_NOOP("Messages", "A whole number."),
    "bad_date": QT_TRANSLATE_NOOP("Messages", "Not a date: type it as 2026-12-31."),
    "due_in_past": QT_TRANSLATE_NOOP("Messages", "This date is past: choose today or later."),
    "unknown_line": QT_TRANSLATE_NOOP("Messages", "There is no such line."),
    "line_retired": QT_TRANSLATE_NOOP("Messages", "This line is retired."),
    "line_other_department": QT_TRANSLATE_NOOP(
        "Messages", "This line belongs to another department."
    ),
    "unknown_route": QT_TRANSLATE_NOOP("Messages", "Choose a route."),
    "department_not_on_route": QT_TRANSLATE_NOOP(
        "Messages", "This route does not pass the line's department."
    ),
    "target_below_recorded": QT_TRANSLATE_NOOP(
        "Messages", "Lower than the good pieces recorded already."
    ),
    "work_order_running": QT_TRANSLATE_NOOP(
        "Messages", "It is running on its line: its supervisor completes it first."
    ),
    "work_order_withdrawn": QT_TRANSLATE_NOOP(
        "Messages", "It is cancelled or closed: it changes no more."
    ),
    "status_change_refused": QT_TRANSLATE_NOOP("Messages", "It cannot be cancelled now."),
}
_FIELD_REASONS = {
    ("target_qty", "out_of_range"): QT_TRANSLATE_NOOP("Messages", "From 1 to 10,000,000 pieces."),
}


def field_words(problem: dict[str, Any]) -> str:
    """A problem in the screen's words (the server's own words for a reason not known here)."""
    reason = str(problem.get("reason"))
    known = _FIELD_REASONS.get((str(problem.get("field")), reason)) or _REASONS.get(reason)
    return (
        QCoreApplication.translate("Messages", str(known))
        if known is not None
        else str(problem.get("message", ""))
    )


class WorkOrdersFlow(BaseFlow):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.screen = WorkOrdersScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.confirm = PinConfirmation(host, self)
        self._search = ""
        self._pages = ScreenPages(PAGE_SIZE)
        self.screen.back_requested.connect(host.open_admin_screen)
        self.screen.search_requested.connect(self._on_screen_search_requested)
        self.screen.next_requested.connect(self._on_screen_next_requested)
        self.screen.previous_requested.connect(self._on_screen_previous_requested)
        self.screen.save_requested.connect(self._on_screen_save_requested)
        self.screen.cancel_requested.connect(self._on_screen_cancel_requested)

    def session_ended(self) -> None:
        self.host.services.admin.end_session()
        self._search = ""
        self._pages.forget()
        self.screen.values = {"search": ""}
        self.screen.search_field_button.show_value("")
        self.screen.show_list([], {}, 1, False)

    # ------------------------------------------------------------------ open and list
    def open(self) -> None:
        """The role is checked here first; then the admin session (the PIN once) opens it."""

        def opened(_session: AdminSession) -> None:
            self._pages.restart()
            self._load(shown_from=True)

        open_admin_session(
            self.host,
            self.confirm,
            Action.SITE_MANAGE,
            lambda actor: self.tr("{name}: type your PIN to open the work orders").format(
                name=actor.name
            ),
            opened,
        )

    def _load(self, *, shown_from: bool = False, after: Callable[[], None] | None = None) -> None:
        """Ask the server for the page the stack's top names (a server page is cut in ten)."""
        host = self.host
        live = live_admin_session(host)
        if live is None:  # the ticket ran out: the PIN again
            self.open()
            return
        actor, session = live
        cursor = self._pages.cursor
        search = self._search

        def shown(page: ListPage) -> None:
            self._pages.store(cursor, page)
            self._show()
            if shown_from:
                host.stack.setCurrentWidget(self.screen)
            if after is not None:
                after()

        host.call(
            lambda: host.services.admin.work_orders(actor, session, search=search, cursor=cursor),
            shown,
        )

    def _show(self) -> None:
        rows, more = self._pages.visible()
        words = {str(row["number"]): self._row_words(row) for row in rows}
        self.screen.show_list(rows, words, self._pages.number, more)

    def _row_words(self, row: dict[str, Any]) -> str:
        """Two lines: the number and the item, then line, progress, due date and status."""
        parts = [
            str(row.get("line", "")),
            self.tr("{good} of {target} pieces").format(
                good=row.get("good_qty", 0), target=row.get("target_qty", 0)
            ),
        ]
        if row.get("due"):
            parts.append(self.tr("due {day}").format(day=str(row["due"])[:10]))
        try:
            parts.append(status_label(WorkOrderStatus(str(row.get("status")))))
        except ValueError:
            parts.append(str(row.get("status", "")))
        return f"{row['number']} · {row.get('article', '')}\n" + " · ".join(parts)

    def _on_screen_search_requested(self, text: str) -> None:
        self._search = text
        self._pages.restart()
        self._load()

    def _on_screen_next_requested(self) -> None:
        self._take(self._pages.forward())

    def _on_screen_previous_requested(self) -> None:
        self._take(self._pages.back())

    def _take(self, step: Step) -> None:
        if step is Step.SHOW:
            self._show()
        elif step is Step.LOAD:
            self._load()

    # ------------------------------------------------------------------ changes
    def _on_screen_save_requested(self, form: dict[str, Any]) -> None:
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin
        row = form["row"]
        if row is None:
            number = form["number"]
            fields = {
                key: form[key]
                for key in (
                    "number",
                    "mo_number",
                    "article",
                    "destination",
                    "line",
                    "route",
                    "target_qty",
                    "due",
                )
                if form[key] is not None
            }

            def request(pin: str) -> Any:
                return rows_refusal(lambda: admin.create_work_order(actor, pin, fields))

            title = self.tr("{name}: type your PIN to create work order {number}")
            done = self.tr("Work order {number} was created: its line gets it with the next sync.")
        else:
            number = str(row["number"])
            changes: dict[str, Any] = {"due": form["due"]}
            if form["target_qty"] is not None:
                changes["target_qty"] = form["target_qty"]

            def request(pin: str) -> Any:
                return rows_refusal(lambda: admin.edit_work_order(actor, pin, number, **changes))

            title = self.tr("{name}: type your PIN to change work order {number}")
            done = self.tr("Work order {number} was changed.")
        self.confirm.ask(
            title.format(name=actor.name, number=number),
            request,
            lambda result: self._answered(result, done.format(number=number), number),
            banner=self.screen.banner,
        )

    def _answered(self, result: Any, done_words: str, number: str) -> None:
        """A form's answer: the problems next to their fields, or the list at that order."""
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
        # The list searched for the order just changed: the admin sees what the server holds.
        self._search = number
        self.screen.values["search"] = number
        self.screen.search_field_button.show_value(number)
        self._pages.restart()
        self._load(after=lambda: self.screen.banner.show_message(SUCCESS, done_words))

    def _on_screen_cancel_requested(self, row: dict[str, Any] | None) -> None:
        if row is None:
            return
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin
        number = str(row["number"])

        def answered(choice: str) -> None:
            if choice != "cancel":
                return
            self.confirm.ask(
                self.tr("{name}: type your PIN to cancel work order {number}").format(
                    name=actor.name, number=number
                ),
                lambda pin: rows_refusal(lambda: admin.cancel_work_order(actor, pin, number)),
                lambda result: self._answered(
                    result,
                    self.tr("Work order {number} was cancelled: it leaves its line's list.").format(
                        number=number
                    ),
                    number,
                ),
                banner=self.screen.banner,
            )

        host.overlay.ask(
            self.tr("Cancel work order {number}?").format(number=number),
            self.tr("It leaves its line's list at the next sync; its history stays."),
            [
                ("keep", self.tr("No, keep it"), ""),
                ("cancel", self.tr("Cancel it"), "caution"),
            ],
            answered,
        )
