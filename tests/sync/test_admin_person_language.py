"""A person's own screen language set on the admin's People form, against the real server.

The admin chooses "Bahasa Indonesia" for Rina on the form; the server checks, audits and
publishes it; after her line's kiosk pulls, her badge opens the screens in Indonesian and
her logout brings the kiosk's English back. A request naming a language the kiosks do not
have is refused with nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtCore import QLocale

from kiosk.demo import demo_user
from kiosk.store.models import AuditEntry, User
from kiosk.ui.application import install_translations
from kiosk.ui.flows.admin_people import field_words
from kiosk.ui.language import current_translator
from kiosk.ui.screens.admin_people import PeopleScreen
from kiosk.ui.widgets.text_keys import TOUCH
from server_sync.models import CentralAuditEntry
from tests.helpers.central import CentralDatabase, ThreadServer
from tests.helpers.sync_raw import RawDevice, user_id
from tests.sync.test_admin_people_screen import (
    ADMIN,
    RINA,
    _node,
    _open_people,
    _search,
    _type,
    _type_pin,
)
from tests.sync.test_kiosk_screens import RunningKiosk
from tests.ui.text_fit import clipped_texts

WORK_ORDER = "WO-2026-004217"  # running on CUT-L02


@pytest.fixture(autouse=True)
def english_again(qapp: object) -> Iterator[None]:
    """A test that switched the screens' language leaves them in English for the next."""
    yield
    translator = current_translator(qapp)  # type: ignore[arg-type]
    if translator is not None and translator.locale.language() != QLocale.Language.English:
        install_translations(qapp, QLocale(QLocale.Language.English))  # type: ignore[arg-type]


def _central_language(central: CentralDatabase, employee_no: str) -> str | None:
    with central.session() as session:
        return session.scalar(select(User.language).where(User.employee_no == employee_no))


def _language_changes(central: CentralDatabase, employee_no: str) -> list[Any]:
    """What the central audit kept of each admin's change of this person's language."""
    with central.session() as session:
        details = session.scalars(
            select(CentralAuditEntry.details)
            .where(
                CentralAuditEntry.action.in_(["admin.user.created", "admin.user.updated"]),
                CentralAuditEntry.entity_key == employee_no,
            )
            .order_by(CentralAuditEntry.at, CentralAuditEntry.id)
        ).all()
    return [entry["changed"]["language"] for entry in details if "language" in entry["changed"]]


def _identity_changes(central: CentralDatabase, employee_no: str) -> list[list[str]]:
    """The fields each privileged change of this person changed, as the server audited it."""
    with central.session() as session:
        details = session.scalars(
            select(AuditEntry.details)
            .where(AuditEntry.action == "user.manage", AuditEntry.outcome == "ok")
            .order_by(AuditEntry.seq)
        ).all()
    return [
        list(entry["changed"])
        for entry in details
        if entry.get("employee_no") == employee_no and entry.get("operation") == "change"
    ]


def _checked(screen: PeopleScreen) -> list[str]:
    return [value for value, button in screen.language_buttons.items() if button.isChecked()]


def test_rina_given_bahasa_indonesia_on_the_form_reads_it_after_her_badge_tap(
    qtbot: QtBot, qapp: object, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    cutting = _node(central, server.url, tmp_path / "cut", "CUT-L02")
    admin_node = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    admin_kiosk = RunningKiosk(qtbot, qapp, admin_node)
    try:
        driver = admin_kiosk.driver
        screen = _open_people(driver)
        assert _search(driver, screen, "rina") == [RINA.employee_no]
        driver.tap(screen.rows[RINA.employee_no])
        assert _checked(screen) == [""]  # the kiosk's language, as everyone starts
        driver.tap(screen.language_buttons["id"])
        assert _checked(screen) == ["id"]
        driver.tap(screen.save_button)
        _type_pin(driver)
        assert "Rina" in screen.banner.message() and "was changed" in screen.banner.message()
        assert _central_language(central, RINA.employee_no) == "id"
        assert _language_changes(central, RINA.employee_no) == ["id"]
        # Her form opened again shows her language; saving another field leaves it.
        driver.tap(screen.rows[RINA.employee_no])
        assert _checked(screen) == ["id"]
        _type(driver, screen, "name", "Rina Wati")
        driver.tap(screen.save_button)
        _type_pin(driver)
        assert _central_language(central, RINA.employee_no) == "id"
        assert _language_changes(central, RINA.employee_no) == ["id"]  # not sent again
    finally:
        admin_kiosk.close(qtbot)
        admin_node.close()
    cutting.sync()
    with cutting.database.reader() as session:
        local = session.scalar(select(User.language).where(User.employee_no == RINA.employee_no))
    assert local == "id"
    line_kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = line_kiosk.driver, line_kiosk.window
        login = window.login_screen
        assert login.other_employee_button.text() == "Not listed? Type your employee number"
        window.scan_router.submit_badge(RINA.badge)
        qtbot.waitUntil(lambda: window.actor is not None)
        assert window.header.logout_button.text() == "Keluar"
        driver.open_work_order(WORK_ORDER)
        assert window.work_order_screen.command_buttons["RECORD"].text() == "✚  Catat jumlah"
        driver.tap(window.header.logout_button)
        qtbot.waitUntil(lambda: window.actor is None)
        assert login.other_employee_button.text() == "Not listed? Type your employee number"
    finally:
        line_kiosk.close(qtbot)
        cutting.close()


def test_a_new_person_gets_her_language_and_the_kiosks_language_clears_it(
    central: CentralDatabase, server: ThreadServer, qtbot: QtBot, qapp: object, tmp_path: Path
) -> None:
    node = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    kiosk = RunningKiosk(qtbot, qapp, node)
    try:
        driver = kiosk.driver
        screen = _open_people(driver)
        driver.tap(screen.add_button)
        assert _checked(screen) == [""]
        _type(driver, screen, "employee_no", "E1779")
        _type(driver, screen, "name", "Made Sutrisno")
        driver.tap(screen.department_buttons["CUT"])
        driver.tap(screen.language_buttons["en"])
        driver.tap(screen.save_button)
        _type_pin(driver)
        assert not screen.is_showing_form()
        assert _central_language(central, "E1779") == "en"
        assert _search(driver, screen, "E1779") == ["E1779"]
        driver.tap(screen.rows["E1779"])
        assert _checked(screen) == ["en"]
        driver.tap(screen.language_buttons[""])  # back to the kiosk's
        driver.tap(screen.save_button)
        _type_pin(driver)
        assert _central_language(central, "E1779") is None
        node.sync()
        with node.database.reader() as session:
            local = session.scalar(select(User.language).where(User.employee_no == "E1779"))
        assert local is None
    finally:
        kiosk.close(qtbot)
        node.close()


@pytest.mark.parametrize(
    ("locale", "kiosks"),
    [(QLocale.Language.English, "Kiosk's language"), (QLocale.Language.Indonesian, "Bahasa kios")],
)
def test_the_form_with_its_languages_fits_the_window_in_english_and_indonesian(  # noqa: PLR0917
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    server: ThreadServer,
    tmp_path: Path,
    locale: QLocale.Language,
    kiosks: str,
) -> None:
    node = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    install_translations(qapp, QLocale(locale))  # type: ignore[arg-type]
    kiosk = RunningKiosk(qtbot, qapp, node)  # a kiosk in this language
    try:
        driver, window = kiosk.driver, kiosk.window
        screen = _open_people(driver)
        _search(driver, screen, "rina")
        driver.tap(screen.rows[RINA.employee_no])  # a person's form: every button shown
        screen.show_problems(
            [
                ("employee_no", field_words({"reason": "exists"})),  # three lines
                ("language", field_words({"reason": "unknown_language"})),
            ]
        )
        qtbot.wait(40)  # posted layout requests run
        words = {value: button.text() for value, button in screen.language_buttons.items()}
        assert words == {"": kiosks, "en": "English", "id": "Bahasa Indonesia"}
        assert screen.problem_text("language") in {"Choose a language.", "Pilih bahasa."}
        assert (window.width(), window.height()) == (1280, 800)
        assert window.centralWidget().minimumSizeHint().height() <= 800
        assert clipped_texts(window) == []
        assert screen.form_actions.geometry().bottom() < screen.height()
        # Every button keeps its touch size, and the role's two rows do not overlap.
        buttons = [*screen.field_buttons.values()]
        buttons += [b for group in screen.choice_buttons.values() for b in group.values()]
        assert min(button.height() for button in buttons) >= TOUCH
        first, second = screen.role_buttons["OPERATOR"], screen.role_buttons["WAREHOUSE_STAFF"]
        assert second.geometry().top() > first.geometry().bottom()
    finally:
        kiosk.close(qtbot)
        node.close()


# ====================================================================== hostile requests
@pytest.mark.parametrize("language", ["xx", "i" * 500, 7, ["id"]])
def test_a_language_the_kiosks_do_not_have_is_refused_and_changes_nothing(
    central: CentralDatabase, server: ThreadServer, tmp_path: Path, language: object
) -> None:
    node = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    proof = {"user_id": str(user_id(central, ADMIN.employee_no)), "pin": ADMIN.pin}
    rina = str(user_id(central, RINA.employee_no))
    agus = demo_user("E1003")
    try:
        with RawDevice.of(node) as raw:
            answers = [
                raw.post(
                    {"actor": proof, "employee_no": RINA.employee_no, "language": language},
                    path="/v1/admin/people/edit",
                ),
                raw.post(
                    {
                        "actor": proof,
                        "employee_no": "E1780",
                        "name": "Nobody",
                        "role": "OPERATOR",
                        "department": "CUT",
                        "language": language,
                    },
                    path="/v1/admin/people/add",
                ),
                raw.post(
                    {"actor": proof, "user_id": rina, "language": language},
                    path="/v1/identity/users/change",
                ),
                raw.post(  # with a good change beside it: that one is not made either
                    {
                        "actor": proof,
                        "employee_no": agus.employee_no,
                        "name": "Agus Changed",
                        "language": language,
                    },
                    path="/v1/admin/people/edit",
                ),
            ]
        assert [answer.status_code for answer in answers] == [422, 422, 422, 422]
        if language == "xx":  # a well-formed word: named next to its field on the form
            problems = answers[0].json()["detail"]["problems"]
            assert [(p["field"], p["reason"]) for p in problems] == [
                ("language", "unknown_language")
            ]
        assert _central_language(central, RINA.employee_no) is None
        with central.session() as session:
            assert session.scalar(select(User).where(User.employee_no == "E1780")) is None
            agus_name = session.scalar(
                select(User.name).where(User.employee_no == agus.employee_no)
            )
        assert agus_name == "Agus Pratama"
        assert _language_changes(central, RINA.employee_no) == []
    finally:
        node.close()


def test_the_identity_request_sets_and_clears_a_language_and_the_kiosk_has_it_at_once(
    central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    node = _node(central, server.url, tmp_path / "cut", "CUT-L02")
    try:
        admin = node.login(ADMIN.employee_no)
        rina = user_id(central, RINA.employee_no)
        identity = node.services.identity
        identity.change_person(admin, ADMIN.pin, rina, language="id")
        assert _central_language(central, RINA.employee_no) == "id"
        assert node.services.auth.login_with_badge(RINA.badge).actor.language == "id"
        identity.change_person(admin, ADMIN.pin, rina, name="Rina S.")  # the language stays
        assert _central_language(central, RINA.employee_no) == "id"
        identity.change_person(admin, ADMIN.pin, rina, language=None)
        assert _central_language(central, RINA.employee_no) is None
        assert _identity_changes(central, RINA.employee_no) == [
            ["language"],
            ["name"],
            ["language"],
        ]
        with node.database.reader() as session:
            local = session.scalar(select(User.language).where(User.id == rina))
        assert local is None
    finally:
        node.close()
