"""The admin's Devices screen against a real server: a code shown as a QR enrols a new kiosk,
a device revoked there is refused by the server, an operator never gets the list.

The QR is read back from the screen's own pixels by the kiosk's barcode decoder, as a new
kiosk's camera would read it, and that text enrols the new kiosk.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.demo import demo_user
from kiosk.devices.barcode_decoder import zxing_decoder
from kiosk.domain.enrolment_link import parse_enrolment_link
from kiosk.store.models import SyncState
from kiosk.ui.flows.admin_devices import EnrolmentServer
from server_sync.models import Device
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer, free_port
from tests.sync.test_kiosk_screens import RunningKiosk
from tests.sync.test_setup_screen import NewKiosk

ADMIN = demo_user("E9001")
OPERATOR = demo_user("E2001")
WAIT_MS = 30_000


def _node(central: CentralDatabase, url: str, folder: Path, line: str) -> KioskNode:
    node = KioskNode(folder, url, central.enrolment_code(line=line))
    node.sync()
    return node


def _gray(image: QImage) -> np.ndarray:
    """The widget's pixels as the decoder takes them (a gray camera frame)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(gray.constBits(), dtype=np.uint8).reshape(
        gray.height(), gray.bytesPerLine()
    )
    return np.ascontiguousarray(rows[:, : gray.width()])


def _open_devices(kiosk: RunningKiosk) -> None:
    driver, window = kiosk.driver, kiosk.window
    driver.log_in(ADMIN.employee_no, ADMIN.pin)  # badge and PIN on a line kiosk
    driver.tap(window.header.admin_button)
    driver.tap(window.admin_screen.devices_button)
    _type_pin(kiosk)
    assert driver.screen is window.devices_flow.screen


def _type_pin(kiosk: RunningKiosk) -> None:
    pin_screen = kiosk.window.devices_flow.confirm.screen
    assert kiosk.driver.screen is pin_screen
    kiosk.driver.type_digits(pin_screen.entry, ADMIN.pin)
    kiosk.driver.tap(pin_screen.entry.confirm_button)


def test_the_qr_on_the_screen_enrols_a_new_kiosk_and_a_revoke_there_gets_it_refused(
    qtbot: QtBot, qapp: object, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    admin_node = _node(central, server.url, tmp_path / "admin-sew", "SEW-L03")
    admin = RunningKiosk(qtbot, qapp, admin_node)
    this_device = admin_node.store.state().device_id
    admin.window.devices_flow.enrolment_server = EnrolmentServer(server.url, None, this_device)
    new_node: KioskNode | None = None
    new_running: RunningKiosk | None = None
    try:
        _open_devices(admin)
        screen = admin.window.devices_flow.screen
        assert "admin-sew" in screen.row_texts
        assert "last seen" in screen.row_texts["admin-sew"]
        assert screen.row_texts["admin-sew"].startswith("This kiosk")
        assert "admin-sew" not in screen.revoke_buttons  # the server refuses a self-revoke
        # A code for a line: big digits and a QR code, read back from the screen's pixels.
        admin.driver.tap(screen.new_code_button)
        admin.driver.tap(screen.target_buttons["CUT-L02"])
        _type_pin(admin)
        assert admin.driver.screen is screen
        assert screen.code_panel.isVisible() and screen.qr_label.isVisible()
        digits = screen.code_digits.text()
        assert len(digits.replace("-", "")) == 12
        found = zxing_decoder().decode(_gray(screen.grab().toImage()))
        assert [code.symbology for code in found] == ["qrcode"]
        link = parse_enrolment_link(found[0].text)
        assert link.code == digits.replace("-", "")
        assert link.server_url == server.url
        # The new kiosk enrols with what the QR says and shows its line's login.
        new_node = KioskNode(tmp_path / "new-cut", link.server_url, link.code)
        new_node.sync()
        assert new_node.line_code == "CUT-L02"
        new_running = RunningKiosk(qtbot, qapp, new_node)
        assert new_running.window.current_screen() is new_running.window.login_screen
        assert new_running.window.login_screen.tiles  # the cutting line's people
        qtbot.waitUntil(lambda: "online" in new_running.sync_text, timeout=WAIT_MS)
        # It is on the list; the admin revokes it, after saying so twice (a choice, the PIN).
        admin.driver.tap(screen.done_button)
        assert not screen.code_panel.isVisible()
        admin.window.devices_flow.open()  # the list again (the session's ticket: no PIN)
        assert admin.driver.screen is screen
        assert "new-cut" in screen.row_texts
        admin.driver.tap(screen.revoke_buttons["new-cut"])
        overlay = admin.window.overlay
        admin.driver.tap(overlay.buttons["revoke"])
        _type_pin(admin)
        assert admin.driver.screen is screen
        assert "new-cut is revoked" in admin.driver.banner_text()
        assert "REVOKED" in screen.row_texts["new-cut"]
        assert "new-cut" not in screen.revoke_buttons
        with central.session() as session:
            revoked = session.scalar(select(Device.revoked_at).where(Device.name == "new-cut"))
        assert revoked is not None
        # Its next sync is refused: its strip says so.
        qtbot.waitUntil(lambda: "refused by the server" in new_running.sync_text, timeout=WAIT_MS)
    finally:
        if new_running is not None:
            new_running.close(qtbot)
        if new_node is not None:
            new_node.close()
        admin.close(qtbot)
        admin_node.close()


def test_an_operator_cannot_open_the_devices_screen(
    qtbot: QtBot, qapp: object, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    node = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    kiosk = RunningKiosk(qtbot, qapp, node)
    try:
        kiosk.driver.log_in(OPERATOR.employee_no, OPERATOR.pin)
        window = kiosk.window
        assert not window.header.admin_button.isVisible()
        before = window.current_screen()
        window.devices_flow.open()  # as a stray signal would
        assert window.current_screen() is before
        assert window.current_screen() is not window.devices_flow.confirm.screen
        assert "Your role cannot do this." in kiosk.driver.banner_text()
    finally:
        kiosk.close(qtbot)
        node.close()


def _type_filter(kiosk: RunningKiosk, name: str, value: str) -> None:
    screen = kiosk.window.audit_flow.screen
    kiosk.driver.tap(screen.filter_buttons[name])
    for char in value:
        kiosk.driver.tap(screen.keys.buttons[char])


def test_the_audit_viewer_finds_an_action_done_on_another_kiosk_and_exports_it(
    qtbot: QtBot, qapp: object, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    sewing = _node(central, server.url, tmp_path / "sew-kiosk", "SEW-L03")
    cutting = _node(central, server.url, tmp_path / "cut-kiosk", "CUT-L02")
    # On the cutting kiosk, an admin renames a line (the server audits it centrally).
    on_cutting = cutting.login(ADMIN.employee_no)
    cutting.services.admin.rename_line(on_cutting, ADMIN.pin, code="CUT-L01", name="Cutting one")
    kiosk = RunningKiosk(qtbot, qapp, sewing)
    try:
        driver, window = kiosk.driver, kiosk.window
        driver.log_in(ADMIN.employee_no, ADMIN.pin)
        driver.tap(window.header.admin_button)
        driver.tap(window.admin_screen.audit_button)
        pin_screen = window.audit_flow.confirm.screen
        driver.type_digits(pin_screen.entry, ADMIN.pin)
        driver.tap(pin_screen.entry.confirm_button)
        screen = window.audit_flow.screen
        assert driver.screen is screen
        assert screen.row_texts  # newest first, unfiltered
        assert not screen.previous_button.isEnabled()
        _type_filter(kiosk, "person", "e9001")
        _type_filter(kiosk, "kind", "admin.line")
        assert screen.filters == {"person": "E9001", "line": "", "kind": "admin.line", "day": ""}
        driver.tap(screen.search_button)
        assert len(screen.row_texts) == 1, screen.row_texts
        assert "admin.line.updated" in screen.row_texts[0]
        assert "cut-kiosk" in screen.row_texts[0]  # done on the other kiosk
        driver.tap(screen.open_buttons[0])
        assert screen.details.isVisible()
        assert "Cutting one" in screen.details.text()
        # A filter that finds nothing says so.
        _type_filter(kiosk, "line", "fin-l01")
        driver.tap(screen.search_button)
        assert screen.row_texts == []
        driver.tap(screen.clear_button)
        _type_filter(kiosk, "kind", "admin.line")
        driver.tap(screen.search_button)
        driver.tap(screen.export_button)
        exported = sorted((sewing.path.parent / "exports").glob("audit-*.csv"))
        assert len(exported) == 1
        assert str(exported[0]) in driver.banner_text()
        lines = exported[0].read_text(encoding="utf-8").strip().splitlines()
        assert lines[0].startswith("at,source,actor,action") and len(lines) == 2
        assert "admin.line.updated" in lines[1]
    finally:
        kiosk.close(qtbot)
        sewing.close()
        cutting.close()


def test_one_pin_opens_every_admin_list_until_the_admin_logs_out(
    qtbot: QtBot, qapp: object, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    sewing = _node(central, server.url, tmp_path / "sew-kiosk", "SEW-L03")
    kiosk = RunningKiosk(qtbot, qapp, sewing)
    try:
        driver, window = kiosk.driver, kiosk.window
        driver.log_in(ADMIN.employee_no, ADMIN.pin)
        driver.tap(window.header.admin_button)
        driver.tap(window.admin_screen.audit_button)
        pin_screen = window.audit_flow.confirm.screen
        assert driver.screen is pin_screen
        driver.type_digits(pin_screen.entry, ADMIN.pin)
        driver.tap(pin_screen.entry.confirm_button)
        assert driver.screen is window.audit_flow.screen
        # Devices and People open at once: the server's ticket is the kiosk's, not a screen's.
        driver.tap(window.header.admin_button)
        driver.tap(window.admin_screen.devices_button)
        qtbot.waitUntil(lambda: driver.screen is window.devices_flow.screen)
        driver.tap(window.header.admin_button)
        driver.tap(window.admin_screen.people_button)
        qtbot.waitUntil(lambda: driver.screen is window.people.screen)
        admin, services = sewing.login(ADMIN.employee_no), window.services
        assert services.admin.live_session(admin, services.clock.now()) is not None
        # Logged out: the ticket goes with the session; the next admin types a PIN again.
        driver.tap(window.header.logout_button)
        assert services.admin.live_session(admin, services.clock.now()) is None
    finally:
        kiosk.close(qtbot)
        sewing.close()


def test_the_qr_on_the_screen_read_by_a_new_kiosks_scanner_sets_it_up(  # noqa: PLR0917
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    server: ThreadServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin_node = _node(central, server.url, tmp_path / "admin-sew", "SEW-L03")
    admin = RunningKiosk(qtbot, qapp, admin_node)
    admin.window.devices_flow.enrolment_server = EnrolmentServer(server.url)
    started: list[NewKiosk] = []
    try:
        _open_devices(admin)
        screen = admin.window.devices_flow.screen
        admin.driver.tap(screen.new_code_button)
        admin.driver.tap(screen.target_buttons["SEW-L03"])
        _type_pin(admin)
        found = zxing_decoder().decode(_gray(screen.grab().toImage()))
        assert len(found) == 1
        # The new kiosk's setup screen gets the QR's text as a scanner types it.
        monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the new window installs its own
        kiosk = NewKiosk(qtbot, qapp, tmp_path / "new-sew")
        started.append(kiosk)
        kiosk.screen.activateWindow()
        qtbot.waitUntil(kiosk.screen.isActiveWindow, timeout=WAIT_MS)
        handle = kiosk.screen.windowHandle()
        for char in found[0].text:
            QTest.keyClick(handle, char)
        QTest.keyClick(handle, Qt.Key.Key_Return)
        kiosk.wait_for_login()
        assert kiosk.is_enrolled()
    finally:
        for kiosk in started:
            kiosk.close()
        admin.close(qtbot)
        admin_node.close()


def test_out_of_reach_the_devices_screen_says_it_needs_the_server(
    qtbot: QtBot, qapp: object, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    node = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    with node.database.writer() as session:  # the server moved away: nothing answers
        session.execute(update(SyncState).values(server_url=f"http://127.0.0.1:{free_port()}"))
        session.commit()
    kiosk = RunningKiosk(qtbot, qapp, node)
    try:
        driver, window = kiosk.driver, kiosk.window
        driver.log_in(ADMIN.employee_no, ADMIN.pin)
        driver.tap(window.header.admin_button)
        driver.tap(window.admin_screen.devices_button)
        _type_pin(kiosk)
        assert driver.screen is window.admin_screen  # back where the admin asked
        assert "This needs the server" in driver.banner_text()
    finally:
        kiosk.close(qtbot)
        node.close()
