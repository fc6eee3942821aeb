"""The floor's screens in Bahasa Indonesia at 1280×800: every text whole, nothing cut.

Real windows off-screen on the demo site, with the translation built from
kiosk/resources/translations/kiosk_id.ts installed as the kiosk installs it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication

from kiosk.demo import demo_user
from kiosk.devices.slip_printer import DocumentPrinter, PrinterConfig
from kiosk.store.models import User
from kiosk.ui.application import install_translations
from kiosk.ui.flows.admin_work_orders import _REASONS as WORK_ORDER_REASONS
from kiosk.ui.flows.admin_work_orders import field_words
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens.admin_work_orders import FORM_FIELDS
from tests.helpers.site import Site
from tests.ui.conftest import close_window, open_window
from tests.ui.driver import KioskDriver
from tests.ui.text_fit import clipped_texts

WORK_ORDER = "WO-2026-004217"  # running on CUT-L02, route R2: Cutting -> Sewing


def _indonesian(qapp: QApplication) -> None:
    install_translations(qapp, QLocale(QLocale.Language.Indonesian))
    assert QCoreApplication.translate("Messages", "Wrong PIN.") == "PIN salah."


@pytest.fixture
def indonesian_kiosk(qtbot: QtBot, qapp: QApplication, site: Site) -> Iterator[KioskDriver]:
    """A kiosk started in Indonesian (KIOSK_LANGUAGE=id); English again afterwards."""
    _indonesian(qapp)
    window = open_window(qtbot, qapp, site)
    yield KioskDriver(window, qtbot)
    close_window(qtbot, window)


def _settle(driver: KioskDriver) -> None:
    driver.qtbot.wait(40)  # posted layout requests run


def _assert_nothing_cut(window: MainWindow) -> None:
    assert (window.width(), window.height()) == (1280, 800)
    assert window.centralWidget().minimumSizeHint().height() <= 800
    assert clipped_texts(window) == []


def test_the_login_screen_in_indonesian_shows_every_text_whole(
    indonesian_kiosk: KioskDriver,
) -> None:
    window = indonesian_kiosk.window
    _settle(indonesian_kiosk)
    login = window.login_screen
    assert login.other_employee_button.text() == "Tidak ada di daftar? Ketik nomor karyawan"
    _assert_nothing_cut(window)
    indonesian_kiosk.tap(login.tiles["E1001"])
    _settle(indonesian_kiosk)
    _assert_nothing_cut(window)
    indonesian_kiosk.type_digits(login.pin_page, "1111")
    indonesian_kiosk.tap(login.pin_page.confirm_button)
    assert indonesian_kiosk.banner_text().startswith("PIN salah.")
    _assert_nothing_cut(window)


def test_the_work_order_and_record_screens_in_indonesian_show_every_text_whole(
    indonesian_kiosk: KioskDriver,
) -> None:
    window = indonesian_kiosk.window
    indonesian_kiosk.log_in("E1001", "2468")
    _settle(indonesian_kiosk)
    _assert_nothing_cut(window)  # the home screen: this line's work orders
    indonesian_kiosk.open_work_order(WORK_ORDER)
    screen = window.work_order_screen
    _settle(indonesian_kiosk)
    assert screen.command_buttons["RECORD"].text() == "✚  Catat jumlah"
    _assert_nothing_cut(window)
    indonesian_kiosk.tap(screen.command_buttons["RECORD"])
    _settle(indonesian_kiosk)
    _assert_nothing_cut(window)
    indonesian_kiosk.type_digits(screen.record_panel, "3")
    indonesian_kiosk.tap(screen.record_panel.field_buttons["reject"])
    indonesian_kiosk.type_digits(screen.record_panel, "2")
    indonesian_kiosk.tap(screen.record_panel.confirm_button)
    assert "Barang reject perlu alasan." in indonesian_kiosk.banner_text()
    _settle(indonesian_kiosk)
    _assert_nothing_cut(window)


def test_the_handoff_screen_in_indonesian_shows_every_text_whole(
    indonesian_kiosk: KioskDriver,
) -> None:
    window = indonesian_kiosk.window
    indonesian_kiosk.log_in("E1001", "2468")
    indonesian_kiosk.open_work_order(WORK_ORDER)
    indonesian_kiosk.tap(window.work_order_screen.handoff_button)
    screen = window.handshake.handoff_screen
    assert indonesian_kiosk.screen is screen
    _settle(indonesian_kiosk)
    assert screen.prepare_button.text() == "Siapkan dan cetak slip"
    _assert_nothing_cut(window)
    screen.type_quantity("9999")
    indonesian_kiosk.tap(screen.line_buttons["SEW-L03"])
    indonesian_kiosk.tap(screen.prepare_button)
    assert "lebih dari yang bisa dikirim" in indonesian_kiosk.banner_text()
    _settle(indonesian_kiosk)
    _assert_nothing_cut(window)


def test_the_screens_switch_language_while_the_kiosk_runs(
    kiosk: KioskDriver, qapp: QApplication
) -> None:
    window = kiosk.window
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(WORK_ORDER)
    screen = window.work_order_screen
    assert screen.command_buttons["RECORD"].text() == "✚  Record quantity"
    assert window.header.logout_button.text() == "Log out"
    window.set_site_language("id")
    assert screen.command_buttons["RECORD"].text() == "✚  Catat jumlah"
    assert window.header.logout_button.text() == "Keluar"
    _settle(kiosk)
    _assert_nothing_cut(window)
    window.set_site_language("en")
    assert screen.command_buttons["RECORD"].text() == "✚  Record quantity"
    assert window.header.logout_button.text() == "Log out"


def test_an_operators_own_language_follows_their_badge_and_logout_brings_the_kiosks_back(
    kiosk: KioskDriver, site: Site
) -> None:
    with site.database.writer() as session:  # as the server's people import sends it
        session.execute(update(User).where(User.employee_no == "E1001").values(language="id"))
        session.commit()
    window = kiosk.window
    login = window.login_screen
    assert login.other_employee_button.text() == "Not listed? Type your employee number"
    window.scan_router.submit_badge(demo_user("E1001").badge)
    kiosk.qtbot.waitUntil(lambda: window.actor is not None)
    assert window.header.logout_button.text() == "Keluar"
    kiosk.open_work_order(WORK_ORDER)
    assert window.work_order_screen.command_buttons["RECORD"].text() == "✚  Catat jumlah"
    kiosk.tap(window.header.logout_button)
    kiosk.qtbot.waitUntil(lambda: window.actor is None)
    assert login.other_employee_button.text() == "Not listed? Type your employee number"
    assert window.work_order_screen.command_buttons["RECORD"].text() == "✚  Record quantity"
    # Someone without a language of their own sees the kiosk's.
    kiosk.log_in("E1002", "1357")
    assert window.header.logout_button.text() == "Log out"


@pytest.fixture
def printing_kiosk(
    qtbot: QtBot, qapp: QApplication, site: Site, tmp_path: Path
) -> Iterator[tuple[KioskDriver, DocumentPrinter]]:
    """An English kiosk whose slips are PDF files."""
    printer = DocumentPrinter(PrinterConfig(mode="pdf", folder=tmp_path / "slips"))
    window = open_window(qtbot, qapp, site, printer=printer)
    yield KioskDriver(window, qtbot), printer
    printer.stop()
    close_window(qtbot, window)


def test_a_slip_prints_in_the_kiosks_language_whoever_prints_it(
    printing_kiosk: tuple[KioskDriver, DocumentPrinter], site: Site
) -> None:
    """Rina reads Indonesian; the kiosk and the next line's people read English."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: .ci/run installs it")
    driver, printer = printing_kiosk
    window = driver.window
    with site.database.writer() as session:
        session.execute(update(User).where(User.employee_no == "E1001").values(language="id"))
        session.commit()
    driver.log_in("E1001", "2468")
    driver.open_work_order(WORK_ORDER)
    driver.tap(window.work_order_screen.handoff_button)
    screen = window.handshake.handoff_screen
    assert screen.prepare_button.text() == "Siapkan dan cetak slip"
    screen.type_quantity("10")
    driver.tap(screen.line_buttons["SEW-L03"])
    with driver.qtbot.waitSignal(printer.printed, timeout=10_000) as printed:
        driver.tap(screen.prepare_button)
    assert "dikunci untuk SEW-L03" in driver.banner_text()
    text = subprocess.run(
        ["pdftotext", "-layout", str(printed.args[1]), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "QT-09 transfer slip" in text and "Work order" in text
    assert "Slip serah terima" not in text and "SPK" not in text


def test_dates_use_the_languages_month_names(qapp: QApplication) -> None:
    times = TimeFormatter("Asia/Jakarta")
    moment = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    install_translations(qapp, QLocale(QLocale.Language.English))
    assert times.date_time(moment) == "07 Dec 10:00"
    assert times.number(12500) == "12,500"
    _indonesian(qapp)
    assert times.date_time(moment) == "07 Des 10:00"
    assert times.number(12500) == "12.500"
    assert times.time(moment) == "10:00"


def test_the_admin_screen_in_indonesian_shows_all_eight_buttons_whole(
    indonesian_kiosk: KioskDriver,
) -> None:
    window = indonesian_kiosk.window
    indonesian_kiosk.log_in("E9001", demo_user("E9001").pin)
    indonesian_kiosk.tap(window.header.admin_button)
    _settle(indonesian_kiosk)
    assert indonesian_kiosk.screen is window.admin_screen
    screen = window.admin_screen
    buttons = [
        screen.people_button,
        screen.lines_button,
        screen.work_orders_button,
        screen.badges_button,
        screen.devices_button,
        screen.keys_button,
        screen.audit_button,
        screen.settings_button,
    ]
    assert all(button.isVisibleTo(window) for button in buttons)
    assert "Kunci integrasi" in [button.text() for button in buttons]
    _assert_nothing_cut(window)


def _check_work_order_form(driver: KioskDriver, due_hint: str) -> None:
    """The admin's work order form at 1280x800: the due field's form of a date, the widest
    item the field takes, and the longest refusal beside every field, nothing cut."""
    window = driver.window
    driver.log_in("E9001", demo_user("E9001").pin)
    screen = window.work_orders_flow.screen
    window.stack.setCurrentWidget(screen)
    screen.show_form(None)
    _settle(driver)
    assert screen.field_buttons["due"].text() == due_hint
    for key in "QWERTYUIOPASDFGHJKLZXCVBNM0123456789-":  # as wide as 100 of a key can be
        screen.type_text("article", key * 100)
        assert clipped_texts(window) == [], key
    reasons = [field_words({"field": "", "reason": reason}) for reason in WORK_ORDER_REASONS]
    longest = max(reasons, key=len)
    # Every field refused at once; a problem of a field not on the form joins Number's.
    screen.show_problems([(field, longest) for field in FORM_FIELDS] + [("status", longest)])
    _settle(driver)
    _assert_nothing_cut(window)
    for field, label in screen.problem_labels.items():
        whole = f"{longest} {longest}" if field == "number" else longest
        assert screen.problem_text(field) == whole
        assert label.text() == whole or (label.text().endswith("…") and label.toolTip() == whole), (
            field
        )
    cut = screen.problem_labels["number"]
    assert cut.text().endswith("…")  # two reasons are more than the heading holds
    driver.qtbot.mouseClick(cut, Qt.MouseButton.LeftButton)
    assert driver.banner_text() == f"{longest} {longest}"  # a tap shows it whole
    # Each reason alone beside its field is shown whole, the date's beside Due too.
    for reason in reasons:
        screen.show_problems([(field, reason) for field in FORM_FIELDS])
        _settle(driver)
        assert all(label.text() == reason for label in screen.problem_labels.values()), reason
        assert clipped_texts(window) == [], reason


def test_the_work_order_form_in_indonesian_shows_every_refusal_and_hint_whole(
    indonesian_kiosk: KioskDriver,
) -> None:
    _check_work_order_form(indonesian_kiosk, "TTTT-BB-HH")


def test_the_work_order_form_in_english_shows_every_refusal_and_hint_whole(
    kiosk: KioskDriver,
) -> None:
    _check_work_order_form(kiosk, "YYYY-MM-DD")
