"""The admin's Settings screen on the real window: change a device at run time and test it.

The badge reader is a pty pair (the reader's port moved to a new pty while the kiosk
runs), the scanner a key burst through the window, the printer a real PDF read back by
poppler and the barcode decoder. Refusals change nothing; only an admin gets in.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.demo import demo_user
from kiosk.devices.barcode_decoder import decode_file
from kiosk.devices.camera import ReplayFrameSource
from kiosk.devices.slip_printer import DocumentPrinter, PrinterConfig
from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.input_devices import RunningDevices
from kiosk.services.kiosk_settings import SYSTEM_PROBE, DeviceProbe
from kiosk.settings import Settings, kiosk_overrides_path, load_settings
from kiosk.sync.status import ONLINE, SyncStatus
from kiosk.ui.sounds import Tone
from tests.helpers.keys import ENTER, key_press
from tests.helpers.labels import frame_with, qr_code
from tests.helpers.serial_pty import PtyPair, rdm6300_frame
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver

WAIT_MS = 5000


@pytest.fixture
def ptys() -> Iterator[tuple[PtyPair, PtyPair]]:
    first, second = PtyPair(), PtyPair()
    yield first, second
    first.close()
    second.close()


@pytest.fixture
def running(
    kiosk: KioskDriver, site: Site, ptys: tuple[PtyPair, PtyPair], qtbot: QtBot, tmp_path: Path
) -> Iterator[RunningDevices]:
    """The window's devices as the program starts them: the reader on the first pty, PDFs."""
    first, second = ptys
    service = kiosk.window.services.kiosk_settings
    # Only the listing of plugged-in ports is faked (ptys are not under /dev/ttyUSB*).
    service.probe = DeviceProbe(
        serial_ports=lambda: [first.slave_path, second.slave_path],
        cameras=list,
        is_device=SYSTEM_PROBE.is_device,
    )
    settings = load_settings(
        command_line={
            "data_dir": str(site.path.parent),
            "rfid_port": first.slave_path,
            "rfid_retry_seconds": 0.05,
        }
    )
    service.settings = settings

    def make_printer(changed: Settings) -> DocumentPrinter:
        return DocumentPrinter(PrinterConfig(changed.printer, tmp_path / "slips"))

    devices = RunningDevices(settings, kiosk.window, make_printer=make_printer)
    qtbot.waitUntil(lambda: "connected" in kiosk.window.health.reader.text(), timeout=WAIT_MS)
    yield devices
    devices.stop()


def _open_settings(kiosk: KioskDriver) -> None:
    kiosk.log_in("E9001", "999999")
    kiosk.tap(kiosk.window.header.admin_button)
    kiosk.tap(kiosk.window.admin_screen.settings_button)
    assert kiosk.screen is kiosk.window.settings_screen


def test_the_reader_moved_to_another_port_reads_there_at_once(
    kiosk: KioskDriver,
    running: RunningDevices,
    ptys: tuple[PtyPair, PtyPair],
    qtbot: QtBot,
    site: Site,
) -> None:
    first, second = ptys
    _open_settings(kiosk)
    screen = kiosk.window.settings_screen
    assert screen.choice_buttons["rfid_port"][first.slave_path].isChecked()
    kiosk.tap(screen.choice_buttons["rfid_port"][second.slave_path])
    words = f"changed from {first.slave_path.removeprefix('/dev/')} to "
    assert f"Badge reader port: {words}" in kiosk.banner_text()
    assert "In use now." in kiosk.banner_text()
    assert screen.choice_buttons["rfid_port"][second.slave_path].isChecked()
    assert site.audit_outcomes()[-1] == ("settings.change", "ok")
    # The test button: a tap on the new port is shown, and logs nobody else in.
    kiosk.tap(screen.test_buttons["reader"])
    assert "Tap a badge" in screen.test_result.text()
    rina = demo_user("E1001").badge
    qtbot.waitUntil(lambda: "connected" in kiosk.window.health.reader.text(), timeout=WAIT_MS)
    second.write(rdm6300_frame(rina))
    qtbot.waitUntil(
        lambda: "Badge read by the reader" in screen.test_result.text(), timeout=WAIT_MS
    )
    assert rina[-4:] in screen.test_result.text()
    assert kiosk.window.actor is not None and kiosk.window.actor.employee_no == "E9001"
    assert kiosk.screen is screen
    # Logged out, a tap on the new port logs in; the old port reads no more. (Other badges:
    # the router drops the same code again within a second, and the test's clock stands.)
    kiosk.window.logout("manual")
    first.write(rdm6300_frame(demo_user("E1003").badge))
    qtbot.wait(400)
    assert kiosk.window.actor is None
    second.write(rdm6300_frame(demo_user("E1002").badge))
    qtbot.waitUntil(lambda: kiosk.window.actor is not None, timeout=WAIT_MS)
    assert kiosk.window.actor is not None and kiosk.window.actor.employee_no == "E1002"
    # The next start reads the port chosen here.
    stored = kiosk_overrides_path(site.path.parent).read_text(encoding="utf-8")
    assert second.slave_path in stored


def test_a_port_unplugged_before_the_tap_is_refused_and_nothing_changes(
    kiosk: KioskDriver,
    running: RunningDevices,
    ptys: tuple[PtyPair, PtyPair],
    qtbot: QtBot,
    site: Site,
) -> None:
    first, second = ptys
    _open_settings(kiosk)
    screen = kiosk.window.settings_screen
    second.close()  # listed on the screen, gone when tapped
    kiosk.tap(screen.choice_buttons["rfid_port"][second.slave_path])
    assert f"There is no serial port {second.slave_path}" in kiosk.banner_text()
    assert "Nothing was changed." in kiosk.banner_text()
    assert kiosk.window.sounds.played[-1] is Tone.ERROR
    assert screen.choice_buttons["rfid_port"][first.slave_path].isChecked()
    assert not screen.choice_buttons["rfid_port"][second.slave_path].isChecked()
    assert kiosk.window.services.kiosk_settings.settings.rfid_port == first.slave_path
    assert site.audit_outcomes()[-1] == ("settings.change", "refused:settings.refused")
    assert not kiosk_overrides_path(site.path.parent).exists()
    # The reader still reads on its port.
    first.write(rdm6300_frame(demo_user("E1001").badge))
    qtbot.waitUntil(
        lambda: "Badge read by the reader" in screen.test_result.text(), timeout=WAIT_MS
    )


def test_the_scanner_test_reads_a_burst_and_opens_nothing(
    kiosk: KioskDriver, running: RunningDevices, qtbot: QtBot
) -> None:
    _open_settings(kiosk)
    screen = kiosk.window.settings_screen
    kiosk.tap(screen.test_buttons["scan"])
    assert "Scan a code" in screen.test_result.text()
    # Stamped 5 ms apart as a scanner's keyboard stamps them (a loaded test machine may
    # read them later than that: the burst is judged by the stamps).
    target = QApplication.focusWidget() or screen
    for index, char in enumerate("WO-2026-004219" + ENTER):
        QApplication.sendEvent(target, key_press(char, 1_000_000 + 5 * index))
    qtbot.waitUntil(lambda: "read by the scanner" in screen.test_result.text(), timeout=WAIT_MS)
    assert "WO-2026-004219" in screen.test_result.text()
    assert kiosk.screen is screen  # the work order was not opened


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is missing: apt-get install -y poppler-utils")
    return found


def test_the_printer_test_prints_a_slip_that_reads_back(
    kiosk: KioskDriver, running: RunningDevices, qtbot: QtBot, tmp_path: Path
) -> None:
    _open_settings(kiosk)
    screen = kiosk.window.settings_screen
    kiosk.tap(screen.test_buttons["print"])
    qtbot.waitUntil(lambda: "test slip was printed" in screen.test_result.text(), timeout=WAIT_MS)
    pdfs = list((tmp_path / "slips").glob("test-TEST-*.pdf"))
    assert len(pdfs) == 1 and str(pdfs[0]) in screen.test_result.text()
    text = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(pdfs[0]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Test slip" in text and "CUT-L02" in text
    stem = pdfs[0].with_suffix("")
    subprocess.run(
        [_poppler("pdftoppm"), "-r", "200", "-png", "-singlefile", str(pdfs[0]), str(stem)],
        check=True,
    )
    codes = decode_file(stem.with_suffix(".png"))
    assert [code.text for code in codes] == [pdfs[0].stem.removeprefix("test-")]


def test_the_printer_mode_sounds_and_language_apply_at_once(
    kiosk: KioskDriver, running: RunningDevices, qtbot: QtBot, site: Site
) -> None:
    _open_settings(kiosk)
    screen = kiosk.window.settings_screen
    old_printer = running.printer
    kiosk.tap(screen.choice_buttons["printer"]["system"])
    assert "In use now." in kiosk.banner_text()
    assert running.printer is not old_printer and running.printer.config.mode == "system"
    # Which system printer is asked now (none is installed here: the default one).
    assert screen.choice_buttons["printer_name"][""].isChecked()
    kiosk.tap(screen.choice_buttons["sounds"]["off"])
    assert kiosk.window.sounds.enabled is False
    kiosk.tap(screen.test_buttons["tone"])
    assert "Sounds are off" in screen.test_result.text()
    kiosk.tap(screen.choice_buttons["language"]["id"])
    # The screens switch at once: the message, the screen's own words and the header's.
    assert "Sedang dipakai." in kiosk.banner_text()
    assert screen.test_buttons["tone"].text() == "Bunyikan nada"
    assert kiosk.window.header.logout_button.text() == "Keluar"
    again = load_settings(command_line={"data_dir": str(site.path.parent)})
    assert (again.printer, again.sounds, again.language) == ("system", False, "id")
    kiosk.tap(screen.choice_buttons["language"]["en"])
    assert "In use now." in kiosk.banner_text()
    assert kiosk.window.header.logout_button.text() == "Log out"


@pytest.mark.parametrize(("employee_no", "pin"), [("E1001", "2468"), ("E5002", "")])
def test_an_operator_or_supervisor_cannot_open_the_settings(
    kiosk: KioskDriver, site: Site, employee_no: str, pin: str
) -> None:
    kiosk.log_in(employee_no, pin or demo_user(employee_no).pin)
    assert kiosk.window.header.admin_button.isHidden()
    kiosk.window.settings_flow.open()  # as if the screen were reached some other way
    assert "Your role cannot do this." in kiosk.banner_text()
    assert kiosk.screen is not kiosk.window.settings_screen
    assert site.audit_outcomes()[-1] == ("settings.view", "refused:perm.denied")


def test_a_camera_chosen_here_starts_at_once_and_its_read_is_shown(
    kiosk: KioskDriver, site: Site, qtbot: QtBot, tmp_path: Path
) -> None:
    """No camera at start; the admin picks camera 0 (replayed frames of a work order's QR)."""
    service = kiosk.window.services.kiosk_settings
    service.probe = DeviceProbe(
        serial_ports=list, cameras=lambda: ["0"], is_device=lambda path: path == "/dev/video0"
    )
    settings = load_settings(command_line={"data_dir": str(site.path.parent)})
    service.settings = settings
    replay = ReplayFrameSource([frame_with(qr_code("WO-2026-004219", scale=6), bgr=True)], fps=30)
    devices = RunningDevices(settings, kiosk.window, camera_source=lambda: replay)
    try:
        assert "Camera: not set up" in kiosk.window.health.camera.text()
        _open_settings(kiosk)
        screen = kiosk.window.settings_screen
        kiosk.tap(screen.choice_buttons["camera"]["0"])
        assert "In use now." in kiosk.banner_text()
        qtbot.waitUntil(lambda: "read by the camera" in screen.test_result.text(), timeout=WAIT_MS)
        assert "WO-2026-004219" in screen.test_result.text()
        assert kiosk.screen is screen  # shown, not opened
        assert "Camera: on" in kiosk.window.health.camera.text()
        kiosk.tap(screen.choice_buttons["camera"][""])
        assert devices.devices.camera is None
        assert "Camera: not set up" in kiosk.window.health.camera.text()
    finally:
        devices.stop()


def test_a_test_slip_that_cannot_print_says_so(
    kiosk: KioskDriver, running: RunningDevices, qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "slips"
    qtbot.waitUntil(folder.is_dir, timeout=WAIT_MS)  # the printer's first look made it
    folder.rmdir()
    folder.write_text("a file where the slip folder should be", encoding="utf-8")
    _open_settings(kiosk)
    screen = kiosk.window.settings_screen
    kiosk.tap(screen.test_buttons["print"])
    qtbot.waitUntil(lambda: "Not printed" in screen.test_result.text(), timeout=WAIT_MS)
    assert "The test slip could not be printed." in kiosk.banner_text()


def test_messages_on_screen_switch_language_with_the_screens(
    kiosk: KioskDriver, qtbot: QtBot
) -> None:
    """A message on screen when the admin switches the language is said again in the new
    one: a cut strip text shown whole over the Settings screen, and a refusal."""
    window = kiosk.window
    _open_settings(kiosk)
    screen = window.settings_screen
    window.health.set_sync(SyncStatus(ONLINE, 3, None, None, held="KIOSK-CUT-L02"), None)
    sync = window.health.sync
    qtbot.wait(30)
    assert sync.is_elided()  # too long for its cell: a tap shows it whole
    qtbot.mouseClick(sync, Qt.MouseButton.LeftButton)
    whole = window.full_text_banner
    assert whole.message() == "✕ Sync: held for an admin (audit check) - 3 waiting"
    kiosk.tap(screen.choice_buttons["language"]["id"])
    qtbot.waitUntil(lambda: "Sinkron" in whole.message(), timeout=WAIT_MS)
    assert whole.message() == "✕ Sinkron: ditahan untuk admin (cek audit) - 3 menunggu"
    assert whole.isVisible()
    assert sync.text() == whole.message()  # the strip itself says it in the new language
    # The screen's own fixed words too (a text tr() looked up under several classes).
    title = screen.findChild(QLabel, "title")
    assert (title.text(), screen.back_button.text()) == ("Pengaturan kiosk", "Kembali")
    kiosk.tap(screen.choice_buttons["language"]["en"])
    qtbot.waitUntil(lambda: "Sync: held" in whole.message(), timeout=WAIT_MS)
    # A refusal filled from a template (the switch as the Settings screen makes it).
    whole.clear()
    window.show_refusal(KnownError(ErrorCode.WORK_ORDER_AMBIGUOUS, matches=2, digits="17"))
    assert kiosk.banner_text().startswith("2 work orders end in 17.")
    window.set_site_language("id")
    qtbot.waitUntil(lambda: "SPK" in kiosk.banner_text(), timeout=WAIT_MS)
    assert kiosk.banner_text().startswith("Ada 2 SPK yang berakhir 17.")
