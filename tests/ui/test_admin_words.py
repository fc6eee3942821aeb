"""What the admin screens say is the kiosk's own, translatable words.

A refused field on the People or Lines form shows words that go through the translator,
whatever the server's reason, never the server's English message. The audit filter's keys
type filters, not addresses: no "https://" key there (the setup screen keeps it), and a "_"
for kinds such as work_order.record.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.demo import demo_user
from kiosk.domain.roles import Action
from kiosk.ui.flows.admin_people import field_words
from kiosk.ui.screens.admin_audit import AuditScreen
from kiosk.ui.widgets.keypad import KEY_CLEAR
from kiosk.ui.widgets.text_keys import SCHEME_KEY, TextKeys
from tests.ui.driver import KioskDriver
from tests.ui.text_fit import clipped_texts

MARK = "«id»"

# Every reason the server's site rules give a field (server_sync/site_rows.py, site_people.py,
# site_data.py, admin_desk.py), and one it may give some day.
SERVER_REASONS = [
    ("employee_no", "exists"),
    ("name", "missing"),
    ("name", "too_long"),
    ("name", "not_text"),
    ("name", "control_character"),
    ("employee_no", "unknown"),
    ("code", "unknown"),
    ("code", "bad_code"),
    ("lines", "unknown_line"),
    ("lines", "line_retired"),
    ("lines", "line_other_department"),
    ("lines", "lines_for_operators_only"),
    ("lines", "not_a_list"),
    ("role", "role_not_in_department"),
    ("role", "own_account"),
    ("role", "unknown_role"),
    ("department", "unknown_department"),
    ("department", "department_fixed"),
    ("language", "unknown_language"),
    ("active", "line_holds_batch"),
    ("active", "not_a_flag"),
    ("badge_uid", "badge_taken"),
    ("employee_no", "duplicate_key"),
    ("target_qty", "not_a_number"),
    ("target_qty", "out_of_range"),
    ("due", "bad_date"),
    ("colour", "unknown_field"),
    ("", "not_an_object"),
    ("name", "a_reason_from_a_newer_server"),
]


class _Marking(QTranslator):
    """A translation that marks every kiosk message it is asked for."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        del disambiguation, n
        return f"{MARK}{source}" if context == "Messages" else ""


@pytest.fixture
def marking(qapp: QCoreApplication) -> Iterator[None]:
    translator = _Marking()
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.mark.parametrize(("field", "reason"), SERVER_REASONS)
def test_a_refused_field_is_told_in_translated_words_not_the_servers(
    marking: None, field: str, reason: str
) -> None:
    english = f"{field} {reason}: the server's own sentence"
    words = field_words({"field": field, "reason": reason, "message": english})
    assert words.startswith(MARK), words  # it went through the translator
    assert english not in words


def test_a_line_code_the_server_does_not_know_is_not_called_an_employee_number(
    qapp: QCoreApplication,
) -> None:
    assert field_words({"field": "code", "reason": "unknown"}) == "There is no such line."
    assert field_words({"field": "employee_no", "reason": "unknown"}) == (
        "Nobody has this employee number."
    )


def test_the_audit_filters_keys_have_no_https_key_and_type_a_kind_and_a_day(qtbot: QtBot) -> None:
    screen = AuditScreen()
    qtbot.addWidget(screen)
    assert SCHEME_KEY not in screen.keys.buttons
    assert KEY_CLEAR in screen.keys.buttons
    screen.edit_filter("kind")
    for key in "work_order.record":  # a kind as the audit writes it
        screen.keys.buttons[key].click()
    screen.edit_filter("day")
    for key in "2026-12-07":
        screen.keys.buttons[key].click()
    assert screen.filters["kind"] == "work_order.record"
    assert screen.filters["day"] == "2026-12-07"
    address_keys = TextKeys()
    qtbot.addWidget(address_keys)
    assert SCHEME_KEY in address_keys.buttons  # the setup screen's address keeps it


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_longest_kind_in_the_audit_filter_is_cut_at_one_end_only(
    kiosk: KioskDriver, language: str
) -> None:
    """The Kind button of the real window at 1280x800: while typed, the value's end (where
    the typing is) shows; searched, its start; whatever is cut is in the tooltip, whole."""
    window = kiosk.window
    kiosk.log_in("E9001", demo_user("E9001").pin)
    window.set_site_language(language)
    screen = window.audit_flow.screen
    window.stack.setCurrentWidget(screen)
    longest = max((str(action) for action in Action), key=len)
    button = screen.filter_buttons["kind"]
    kiosk.tap(button)
    for key in longest:
        screen.keys.buttons[key].click()
    kiosk.qtbot.wait(40)
    assert screen.filters["kind"] == longest
    name, typed = button.text().split("\n")
    assert name == screen.filter_words("kind")
    assert typed == longest or (typed.startswith("…") and longest.endswith(typed[1:]))
    assert clipped_texts(window) == []
    kiosk.tap(screen.search_button)
    kiosk.qtbot.wait(40)
    name, shown = button.text().split("\n")
    assert shown == longest or (shown.endswith("…") and longest.startswith(shown[:-1]))
    assert len(shown) > len("production.") + 1  # a cut at one end keeps most of it
    if shown != longest:
        assert button.toolTip() == longest
    assert clipped_texts(window) == []
