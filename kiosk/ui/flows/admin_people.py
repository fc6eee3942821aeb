"""The admin's People screen: the list (a server session), and each change as a PIN'd request.

The list needs the admin's PIN once (`AdminService.open_session`: a 15-minute ticket);
each change (add, edit, deactivate, reset the PIN) asks it again and is checked by the
server, which publishes it to every kiosk. A refusal of the form's fields comes back as
ROWS_REFUSED with `problems`: each is shown next to its field and nothing changes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Action
from kiosk.services.admin import AdminSession, ListPage
from kiosk.ui.flows.admin_paging import ScreenPages, Step
from kiosk.ui.flows.admin_session import live_admin_session, open_admin_session
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host
from kiosk.ui.screens.admin_people import PAGE_SIZE, PeopleScreen
from kiosk.ui.widgets.banner import ERROR, SUCCESS

log = logging.getLogger(__name__)

# The server's reasons for refusing a field, in the screen's words.
_REASONS = {
    "exists": QT_TRANSLATE_NOOP("Messages", "This employee number is taken already."),
    "missing": QT_TRANSLATE_NOOP("Messages", "Required."),
    "too_long": QT_TRANSLATE_NOOP("Messages", "Too long."),
    "unknown": QT_TRANSLATE_NOOP("Messages", "Nobody has this employee number."),
    "unknown_line": QT_TRANSLATE_NOOP("Messages", "There is no such line."),
    "line_retired": QT_TRANSLATE_NOOP("Messages", "This line is retired."),
    "line_other_department": QT_TRANSLATE_NOOP(
        "Messages", "This line belongs to another department."
    ),
    "lines_for_operators_only": QT_TRANSLATE_NOOP("Messages", "Only operators are given lines."),
    "role_not_in_department": QT_TRANSLATE_NOOP(
        "Messages", "This role cannot belong to this department."
    ),
    "own_account": QT_TRANSLATE_NOOP(
        "Messages", "You cannot change your own role or switch yourself off."
    ),
    "bad_code": QT_TRANSLATE_NOOP("Messages", "Not a line code (e.g. CUT-L02)."),
    "unknown_role": QT_TRANSLATE_NOOP("Messages", "Choose a role."),
    "unknown_department": QT_TRANSLATE_NOOP("Messages", "Choose a department."),
    "unknown_language": QT_TRANSLATE_NOOP("Messages", "Choose a language."),
    "line_holds_batch": QT_TRANSLATE_NOOP(
        "Messages", "This line still holds work: finish or move it first."
    ),
    "badge_taken": QT_TRANSLATE_NOOP("Messages", "This badge belongs to someone else."),
    "department_fixed": QT_TRANSLATE_NOOP(
        "Messages", "A line keeps its department: deactivate it and add a new line."
    ),
    "duplicate_key": QT_TRANSLATE_NOOP("Messages", "This was sent twice: save once more."),
    "control_character": QT_TRANSLATE_NOOP(
        "Messages", "Remove the character that cannot be shown."
    ),
    "not_text": QT_TRANSLATE_NOOP("Messages", "Type letters or digits here."),
    "not_a_flag": QT_TRANSLATE_NOOP("Messages", "Choose yes or no."),
    "not_a_list": QT_TRANSLATE_NOOP("Messages", "Type the line codes one after another."),
    "not_a_number": QT_TRANSLATE_NOOP("Messages", "Type a whole number."),
    "out_of_range": QT_TRANSLATE_NOOP("Messages", "This number is too small or too big."),
    "bad_date": QT_TRANSLATE_NOOP("Messages", "Not a date: type it as 2026-12-31."),
    "unknown_field": QT_TRANSLATE_NOOP(
        "Messages", "The server does not know this field: update this kiosk's program."
    ),
    "not_an_object": QT_TRANSLATE_NOOP(
        "Messages", "The server did not understand the form: update this kiosk's program."
    ),
}
# A reason this kiosk does not know yet (a newer server): its words, not the server's English.
_OTHER_REASON = QT_TRANSLATE_NOOP("Messages", "The server refused this value.")


class PeopleFlow(BaseFlow):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.screen = PeopleScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.confirm = PinConfirmation(host, self)
        self._search = ""
        self._pages = ScreenPages(PAGE_SIZE)
        self.screen.back_requested.connect(host.open_admin_screen)
        self.screen.search_requested.connect(self._on_screen_search_requested)
        self.screen.next_requested.connect(self._on_screen_next_requested)
        self.screen.previous_requested.connect(self._on_screen_previous_requested)
        self.screen.edit_requested.connect(self.screen.show_form)
        self.screen.save_requested.connect(self._on_screen_save_requested)
        self.screen.deactivate_requested.connect(self._on_screen_deactivate_requested)
        self.screen.reset_pin_requested.connect(self._on_screen_reset_pin_requested)

    def session_ended(self) -> None:
        self.host.services.admin.end_session()
        self._search = ""
        self._pages.forget()
        self.screen.values = {"search": ""}
        self.screen.search_field_button.setText("")
        self.screen.show_list([], 1, False)

    # ------------------------------------------------------------------ open and list
    def open(self) -> None:
        """The role is checked here first; then the admin's PIN opens the server's list."""

        def opened(_session: AdminSession) -> None:
            self._pages.restart()
            self._load(shown_from=True)

        open_admin_session(
            self.host,
            self.confirm,
            Action.USER_MANAGE,
            lambda actor: self.tr("{name}: type your PIN to open the people list").format(
                name=actor.name
            ),
            opened,
        )

    def _load(self, *, shown_from: bool = False, after: Callable[[], None] | None = None) -> None:
        """Ask the server for the page the stack's top names (a server page is cut in six)."""
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
            lambda: host.services.admin.people(actor, session, search=search, cursor=cursor),
            shown,
        )

    def _show(self) -> None:
        rows, more = self._pages.visible()
        self.screen.show_list(rows, self._pages.number, more)

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

            def request(pin: str) -> Any:
                return rows_refusal(
                    lambda: admin.add_person(
                        actor,
                        pin,
                        employee_no=form["employee_no"],
                        name=form["name"],
                        role=form["role"],
                        department=form["department"],
                        lines=form["lines"],
                        language=form["language"],
                    )
                )

            title = self.tr("{name}: type your PIN to add {person}")
            done_words = self.tr("{person} was added: they choose a PIN at their first tap.")
        else:
            changes: dict[str, Any] = {
                "name": form["name"],
                "role": form["role"],
                "department": form["department"],
                "lines": form["lines"],
            }
            if form["language"] != (row.get("language") or None):  # sent only when changed
                changes["language"] = form["language"]

            def request(pin: str) -> Any:
                return rows_refusal(
                    lambda: admin.edit_person(actor, pin, str(row["employee_no"]), **changes)
                )

            title = self.tr("{name}: type your PIN to change {person}")
            done_words = self.tr("{person} was changed.")
        person = form["name"] or form["employee_no"]
        self.confirm.ask(
            title.format(name=actor.name, person=person),
            request,
            lambda result: self._answered(result, done_words.format(person=person)),
            banner=self.screen.banner,
        )

    def _answered(self, result: Any, done_words: str) -> None:
        """A form's answer: the problems next to their fields, or back to the list."""
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
        self._load(after=lambda: self.screen.banner.show_message(SUCCESS, done_words))

    def _on_screen_deactivate_requested(self, row: dict[str, Any] | None) -> None:
        if row is None:
            return
        host = self.host
        actor = host.require_actor()
        admin = host.services.admin
        employee_no = str(row["employee_no"])

        def answered(choice: str) -> None:
            if choice != "deactivate":
                return
            self.confirm.ask(
                self.tr("{name}: type your PIN to deactivate {person}").format(
                    name=actor.name, person=row["name"]
                ),
                lambda pin: rows_refusal(lambda: admin.deactivate_person(actor, pin, employee_no)),
                lambda result: self._answered(
                    result,
                    self.tr("{person} can no longer log in.").format(person=row["name"]),
                ),
                banner=self.screen.banner,
            )

        host.overlay.ask(
            self.tr("Deactivate {person}?").format(person=row["name"]),
            self.tr("They log in nowhere from each kiosk's next sync; their history stays."),
            [
                ("keep", self.tr("No, keep them"), ""),
                ("deactivate", self.tr("Deactivate"), "caution"),
            ],
            answered,
        )

    def _on_screen_reset_pin_requested(self, row: dict[str, Any] | None) -> None:
        if row is None:
            return
        host = self.host
        actor = host.require_actor()
        identity = host.services.identity
        user_id = uuid.UUID(str(row["user_id"]))

        def done(_result: Any) -> None:
            host.sounds.success()
            self._load(
                after=lambda: self.screen.banner.show_message(
                    SUCCESS,
                    self.tr("The PIN of {person} was reset.").format(person=row["name"]),
                    self.tr("They choose a new PIN at their next badge tap."),
                )
            )

        def answered(choice: str) -> None:
            if choice == "reset":
                self.confirm.ask(
                    self.tr("{name}: type your PIN to reset the PIN of {person}").format(
                        name=actor.name, person=row["name"]
                    ),
                    lambda pin: identity.reset_pin(actor, pin, user_id, None),
                    done,
                    banner=self.screen.banner,
                )

        host.overlay.ask(
            self.tr("Reset the PIN of {person}?").format(person=row["name"]),
            self.tr("Their PIN stops working; they choose a new one at their next badge tap."),
            [("keep", self.tr("No, keep it"), ""), ("reset", self.tr("Reset PIN"), "caution")],
            answered,
        )


def rows_refusal(request: Callable[[], Any]) -> Any:
    """Run `request`; a refusal of the fields comes back as the result (shown on the form)."""
    try:
        return request()
    except RefusalError as refusal:
        if refusal.code is ErrorCode.ROWS_REFUSED:
            return refusal
        raise


def field_words(problem: dict[str, Any]) -> str:
    """The screen's words for a refused field; the server's own English only goes to the log."""
    reason = str(problem.get("reason"))
    known = _REASONS.get(reason)
    if reason == "unknown" and problem.get("field") == "code":
        known = _REASONS["unknown_line"]  # a line's code, not an employee number
    if known is None:
        log.info("unmapped refusal %r: %s", reason, problem.get("message", ""))
        known = _OTHER_REASON
    return QCoreApplication.translate("Messages", str(known))
