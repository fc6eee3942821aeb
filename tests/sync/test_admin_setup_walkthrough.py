"""Issue 15's "Done when" as an admin does it, on a site imported from CSV with no demo.

The real `server-sync import` fills an empty PostgreSQL, the real `server-sync serve` runs.
The admin, on the department's desktop (real widgets), gets a first PIN with the code from
`server-sync pin-code`, adds a line and a person, binds the person's badge, and creates an
enrolment code on the Devices screen. A new kiosk with an empty data folder shows its setup
screen and receives the QR read back from the Devices screen's pixels, either as a scanner
types it (a key burst) or through the camera pipeline (replayed frames of that QR); it enrols,
downloads its line and shows the login. The new person taps the badge, chooses a PIN twice
and records a count. The admin finds that count in the audit viewer by person, line and kind,
exports it to CSV, and revokes the kiosk from the Devices screen; the kiosk's next sync shows
"refused by the server".
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.devices.barcode_decoder import zxing_decoder
from kiosk.devices.camera import ReplayFrameSource
from kiosk.domain.enrolment_link import parse_enrolment_link
from kiosk.ui.flows.admin_devices import EnrolmentServer
from kiosk.ui.flows.confirm_pin import ConfirmPinScreen
from kiosk.ui.main_window import MainWindow
from server_sync.models import Device
from tests.helpers.central import CentralDatabase, KioskNode, ServerProcess
from tests.helpers.labels import frame_with
from tests.sync.test_kiosk_screens import RunningKiosk
from tests.sync.test_setup_screen import NewKiosk
from tests.sync.test_site_walkthrough import _ok, _write
from tests.ui.driver import KioskDriver

WAIT_MS = 30_000
LINES_CSV = """code;department;name;active
SEW-A1;SEW;Sewing A1;yes
"""
PEOPLE_CSV = """employee_no;name;role;department;lines;active;badge_uid
P0101;Sri Wahyuni;OPERATOR;SEW;SEW-A1;yes;04A1B2C3D4
P0001;Rudi Hartono;ADMIN;;;yes;04A1B2C3D0
"""
ADMIN_NO, ADMIN_PIN = "P0001", "731946"
NEW_LINE, NEW_LINE_NAME = "SEW-A9", "Sewing A9"
NUR_NO, NUR_NAME, NUR_BADGE, NUR_PIN = "P0150", "Nur Aini", "04A1B2C3E7", "5813"
NEW_LINE_ORDER = """number;mo_number;article;destination;department;line;route;target_qty;due
SPK-26-0900;MO-26-0900;Rabbit 20 cm;Japan;SEW;SEW-A9;R1;300;22/12/2026
"""


# ---------------------------------------------------------------------- the admin's hands
def _type_admin_pin(driver: KioskDriver) -> None:
    """The PIN the server checks for every admin request, on the confirmation pad."""
    screen = driver.screen
    assert isinstance(screen, ConfirmPinScreen), type(screen).__name__
    driver.type_digits(screen.entry, ADMIN_PIN)
    driver.tap(screen.entry.confirm_button)


def _keys(driver: KioskDriver, keys: Any, text: str) -> None:
    driver.tap(keys.buttons["clear"])
    for character in text:  # the name keys are capitals, the filter keys small letters
        upper, lower = character.upper(), character.lower()
        driver.tap(keys.buttons[upper if upper in keys.buttons else lower])


def _first_login(driver: KioskDriver, setup_code: str) -> None:
    """The admin's tile, the setup code from `server-sync pin-code`, a PIN chosen twice."""
    window = driver.window
    login = window.login_screen
    driver.tap(login.other_employee_button)
    driver.type_digits(login.number_page, ADMIN_NO[1:])
    driver.tap(login.number_page.confirm_button)
    assert login.pages.currentWidget() is login.code_page
    driver.type_digits(login.code_page, setup_code.replace("-", ""))
    driver.tap(login.code_page.confirm_button)
    choose = window.session.first_pin.screen
    for _ in range(2):
        assert driver.screen is choose
        driver.type_digits(choose.entry, ADMIN_PIN)
        driver.tap(choose.entry.confirm_button)
    assert window.header.user_name.text().startswith("Rudi Hartono")


def _add_line(qtbot: QtBot, driver: KioskDriver) -> None:
    window = driver.window
    driver.tap(window.header.admin_button)
    driver.tap(window.admin_screen.lines_button)
    screen = window.lines_flow.screen
    assert driver.screen is screen and "SEW-A1" in screen.rows
    driver.tap(screen.add_button)
    driver.tap(screen.field_buttons["code"])
    _keys(driver, screen.keys, NEW_LINE)
    driver.tap(screen.field_buttons["name"])
    _keys(driver, screen.keys, NEW_LINE_NAME)
    driver.tap(screen.department_buttons["SEW"])
    driver.tap(screen.save_button)
    _type_admin_pin(driver)
    assert f"Line {NEW_LINE} was added." in screen.banner.message()
    qtbot.waitUntil(lambda: NEW_LINE in screen.rows, timeout=WAIT_MS)  # the desktop's pull


def _add_person(driver: KioskDriver) -> None:
    window = driver.window
    driver.tap(window.header.admin_button)
    driver.tap(window.admin_screen.people_button)
    _type_admin_pin(driver)  # once, for the lists (the server opens an admin session)
    screen = window.people.screen
    assert driver.screen is screen
    driver.tap(screen.add_button)
    for field, text in (("employee_no", NUR_NO), ("name", NUR_NAME), ("lines", NEW_LINE)):
        driver.tap(screen.field_buttons[field])
        _keys(driver, screen.keys, text)
    driver.tap(screen.role_buttons["OPERATOR"])
    driver.tap(screen.department_buttons["SEW"])
    driver.tap(screen.save_button)
    _type_admin_pin(driver)
    assert f"{NUR_NAME} was added" in screen.banner.message()
    driver.tap(screen.search_field_button)
    _keys(driver, screen.keys, "nur")
    driver.tap(screen.search_button)
    assert list(screen.rows) == [NUR_NO]
    assert "no PIN yet" in screen.rows[NUR_NO].text()


def _bind_badge(qtbot: QtBot, driver: KioskDriver) -> None:
    """The Badges screen: the person's row, then her new badge on the desk's reader."""
    window = driver.window
    driver.tap(window.people.screen.badges_button)
    screen = window.admin.badge_screen
    assert driver.screen is screen
    qtbot.waitUntil(lambda: NUR_NO in screen.bind_buttons, timeout=WAIT_MS)
    driver.tap(screen.bind_buttons[NUR_NO])
    window.scan_router.submit_badge(NUR_BADGE)  # the fake reader the tests use
    qtbot.waitUntil(lambda: isinstance(driver.screen, ConfirmPinScreen), timeout=WAIT_MS)
    _type_admin_pin(driver)
    assert f"Badge bound to {NUR_NAME}." in screen.banner.message()


def _new_code_on_screen(driver: KioskDriver) -> tuple[str, QImage]:
    """An enrolment code for the new line: its digits, and the QR as the screen shows it."""
    window = driver.window
    driver.tap(window.header.admin_button)
    driver.tap(window.admin_screen.devices_button)
    screen = window.devices_flow.screen
    assert driver.screen is screen
    driver.tap(screen.new_code_button)
    driver.tap(screen.target_buttons[NEW_LINE])
    _type_admin_pin(driver)
    assert screen.code_panel.isVisible() and screen.qr_label.isVisible()
    return screen.code_digits.text().replace("-", ""), screen.grab().toImage()


def _gray(image: QImage) -> np.ndarray:
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(gray.constBits(), dtype=np.uint8).reshape(
        gray.height(), gray.bytesPerLine()
    )
    return np.ascontiguousarray(rows[:, : gray.width()])


def _camera_frames(driver: KioskDriver) -> list[np.ndarray]:
    """The QR as the Devices screen paints it, held up to a 1280x720 camera."""
    label = _gray(driver.window.devices_flow.screen.qr_label.grab().toImage())
    return [frame_with(label, bgr=True)]


def _scanner_burst(qtbot: QtBot, kiosk: NewKiosk, text: str) -> None:
    """The text as a keyboard-wedge scanner types it: key after key, then Enter."""
    kiosk.screen.activateWindow()
    qtbot.waitUntil(kiosk.screen.isActiveWindow, timeout=WAIT_MS)
    handle = kiosk.screen.windowHandle()
    for char in text:
        QTest.keyClick(handle, char)
    QTest.keyClick(handle, Qt.Key.Key_Return)


def _wait_for_login(qtbot: QtBot, kiosk: NewKiosk) -> MainWindow:
    def set_up() -> bool:
        if kiosk.startup.window is not None:
            return True
        setup = kiosk.startup.setup_screen  # None once enrolled: the download's progress
        if setup is not None:
            assert setup.current_page() is not setup.problem_page, setup.problem_detail.text()
        return False

    qtbot.waitUntil(set_up, timeout=2 * WAIT_MS)  # the enrolment and the line's download
    window = kiosk.startup.window
    assert window is not None
    qtbot.waitUntil(window.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: NUR_NO in window.login_screen.tiles, timeout=WAIT_MS)
    assert window.current_screen() is window.login_screen
    assert kiosk.startup.setup_screen is None and kiosk.startup.error is None
    return window


def _count_on_the_new_kiosk(qtbot: QtBot, window: MainWindow) -> None:
    """Nur taps her badge, chooses her PIN twice, starts the order and records 24 good."""
    driver = KioskDriver(window, qtbot)  # this window's work runs on worker threads: waits
    window.scan_router.submit_badge(NUR_BADGE)
    choose = window.session.first_pin.screen
    qtbot.waitUntil(lambda: driver.screen is choose, timeout=WAIT_MS)
    assert NUR_NAME in choose.entry.title.text()
    driver.type_digits(choose.entry, NUR_PIN)
    driver.tap(choose.entry.confirm_button)
    qtbot.waitUntil(lambda: choose.is_repeat, timeout=WAIT_MS)
    driver.type_digits(choose.entry, NUR_PIN)
    driver.tap(choose.entry.confirm_button)
    qtbot.waitUntil(
        lambda: window.header.user_name.text() == f"{NUR_NAME} · Operator", timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: "SPK-26-0900" in window.home_screen.rows, timeout=WAIT_MS)
    driver.open_work_order("SPK-26-0900")
    screen = window.work_order_screen
    qtbot.waitUntil(lambda: driver.screen is screen, timeout=WAIT_MS)
    start = screen.command_buttons["START"]
    qtbot.waitUntil(lambda: start.isVisible() and start.isEnabled(), timeout=WAIT_MS)
    driver.tap(start)
    record = screen.command_buttons["RECORD"]
    qtbot.waitUntil(lambda: record.isVisible() and record.isEnabled(), timeout=WAIT_MS)
    driver.record("24")
    qtbot.waitUntil(lambda: "24" in screen.banner.message(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "· 0 waiting" in window.health.sync.text(), timeout=WAIT_MS)


def _find_in_audit(driver: KioskDriver, export_folder: Path) -> None:
    """Audit viewer: person, line and kind typed on its keys; the entry opened; CSV out."""
    window = driver.window
    driver.tap(window.header.admin_button)
    driver.tap(window.admin_screen.audit_button)
    screen = window.audit_flow.screen
    assert driver.screen is screen
    for name, value in (("person", NUR_NO), ("line", NEW_LINE), ("kind", "work_order.record")):
        driver.tap(screen.filter_buttons[name])
        _keys(driver, screen.keys, value.lower())
    assert screen.filters == {
        "person": NUR_NO,
        "line": NEW_LINE,
        "kind": "work_order.record",
        "day": "",
    }
    driver.tap(screen.search_button)
    assert len(screen.row_texts) == 1, screen.row_texts
    assert "work_order.record" in screen.row_texts[0]
    assert NUR_NAME in screen.row_texts[0] or NUR_NO in screen.row_texts[0]
    driver.tap(screen.open_buttons[0])
    assert screen.details.isVisible()
    assert '"good": "24"' in screen.details.text()
    assert "SPK-26-0900" in screen.details.text()
    assert "+00:00" not in screen.details.text()  # its time as the site reads it, zone named
    driver.tap(screen.export_button)
    exported = sorted(export_folder.glob("audit-*.csv"))
    assert len(exported) == 1, exported
    assert str(exported[0]) in driver.banner_text()
    rows = list(csv.DictReader(io.StringIO(exported[0].read_text(encoding="utf-8"))))
    assert [row["action"] for row in rows] == ["work_order.record"]
    assert NUR_NO in rows[0]["actor"] and rows[0]["line"] == NEW_LINE
    at = window.times.stamp(datetime.fromisoformat(rows[0]["at"]))
    assert f"at: {at}" in screen.details.text()


def _revoke(driver: KioskDriver, device_name: str) -> None:
    window = driver.window
    driver.tap(window.header.admin_button)
    driver.tap(window.admin_screen.devices_button)
    screen = window.devices_flow.screen
    assert driver.screen is screen
    assert device_name in screen.row_texts and NEW_LINE in screen.row_texts[device_name]
    driver.tap(screen.revoke_buttons[device_name])
    driver.tap(window.overlay.buttons["revoke"])
    _type_admin_pin(driver)
    assert f"{device_name} is revoked" in driver.banner_text()
    assert "REVOKED" in screen.row_texts[device_name]


# ---------------------------------------------------------------------- the walk
@pytest.fixture
def no_excepthook_leak(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # each window installs its own
    yield


@pytest.mark.parametrize("reader", ["scanner", "camera"])
def test_an_admin_sets_up_a_line_a_person_and_a_kiosk_and_finds_the_count_in_the_audit(  # noqa: PLR0917
    qtbot: QtBot,
    qapp: object,
    empty_central: CentralDatabase,
    tmp_path: Path,
    no_excepthook_leak: None,
    reader: str,
) -> None:
    url = empty_central.url
    _ok(url, "migrate")
    _ok(url, "import", "lines", str(_write(tmp_path, "lines.csv", LINES_CSV)))
    _ok(url, "import", "people", str(_write(tmp_path, "people.csv", PEOPLE_CSV)))
    desk_code = _ok(url, "enrol-code", "--department", "SEW").split()[-1]
    setup_code = _ok(url, "pin-code", ADMIN_NO).splitlines()[0].strip()

    server = ServerProcess(url)
    desk: KioskNode | None = None
    office: RunningKiosk | None = None
    new: NewKiosk | None = None
    try:
        server.start()
        desk = KioskNode(tmp_path / "office-desk", server.url, desk_code)
        desk.sync()
        office = RunningKiosk(qtbot, qapp, desk, desktop=True)
        sync = office.runtime
        office.window.devices_flow.enrolment_server = EnrolmentServer(  # as the shell does
            sync.client.base_url, sync.client.trust.fingerprint, sync.state.device_id
        )
        driver = office.driver
        _first_login(driver, setup_code)
        _add_line(qtbot, driver)
        _add_person(driver)
        _bind_badge(qtbot, driver)
        # The site has no ERP and this checkout no Work orders screen: IT's spreadsheet.
        _ok(url, "import", "work-orders", str(_write(tmp_path, "wo.csv", NEW_LINE_ORDER)))
        code, painted = _new_code_on_screen(driver)
        assert len(code) == 12
        found = zxing_decoder().decode(_gray(painted))
        assert [symbol.symbology for symbol in found] == ["qrcode"]
        link = parse_enrolment_link(found[0].text)
        assert (link.code, link.server_url) == (code, server.url)

        # The desk and the new kiosk share this process: the desk's sync thread would hold
        # the GIL between the scanner's keys, which a real scanner's computer never shares.
        # Its requests from here on (audit, revoke) go straight to the server.
        office.runtime.worker.stop()
        # A new kiosk, an empty data folder: the setup screen, and the QR.
        before = empty_central.count(Device)
        if reader == "camera":
            camera = ReplayFrameSource(_camera_frames(driver), fps=15)
            new = NewKiosk(qtbot, qapp, tmp_path / "new-kiosk", camera=camera)
            qtbot.waitUntil(lambda: camera.frames_read > 0, timeout=WAIT_MS)  # it looks
        else:
            # A loaded test machine may pause this process mid-burst: a slow scanner's gap.
            new = NewKiosk(qtbot, qapp, tmp_path / "new-kiosk", scanner_key_gap_ms="150")
            assert new.screen.current_page() is new.screen.address_page
            _scanner_burst(qtbot, new, found[0].text)
        window = _wait_for_login(qtbot, new)
        assert empty_central.count(Device) == before + 1
        assert new.is_enrolled()
        assert window.header.line_code.text().startswith(NEW_LINE)

        _count_on_the_new_kiosk(qtbot, window)
        _find_in_audit(driver, desk.path.parent / "exports")
        with empty_central.session() as session:
            name = session.scalar(select(Device.name).where(Device.line_code == NEW_LINE))
        assert name is not None
        _revoke(driver, name)
        qtbot.waitUntil(
            lambda: "refused by the server" in window.health.sync.text(), timeout=WAIT_MS
        )
    finally:
        if new is not None:
            new.close()
        if office is not None:
            office.close(qtbot)
        if desk is not None:
            desk.close()
        server.stop()
