"""The QT-09 handshake through the real screens of two kiosks that share nothing but the slip.

The Cutting kiosk prints the slip to a PDF; the PDF is rasterised and read back with the
project's own decoder; the Sewing kiosk (its own database, never told of the transfer)
takes the QR text from that picture as its camera would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from PySide6.QtCore import Qt

from kiosk.devices.barcode_decoder import decode_file
from kiosk.devices.slip_printer import DocumentPrinter, PrinterConfig
from kiosk.domain.scan import ScanEvent, ScanSource
from kiosk.domain.slip import PREFIX, read_slip
from kiosk.domain.transfer import TransferStatus
from kiosk.store.models import Alert, Transfer, WipMovement
from kiosk.ui.main_window import MainWindow
from tests.helpers.site import Site, copy_site
from tests.helpers.slips import tampered
from tests.ui.conftest import close_window, open_window
from tests.ui.driver import KioskDriver

WORK_ORDER = "WO-2026-004217"  # running on CUT-L02, route R2: Cutting -> Sewing


@dataclass
class Kiosk:
    driver: KioskDriver
    site: Site
    printer: DocumentPrinter

    @property
    def window(self) -> MainWindow:
        return self.driver.window


def _start(qtbot: QtBot, qapp: object, site: Site, line: str, slips: Path) -> Kiosk:
    printer = DocumentPrinter(PrinterConfig(mode="pdf", folder=slips))
    window = open_window(qtbot, qapp, site, line, printer=printer)
    return Kiosk(KioskDriver(window, qtbot), site, printer)


@pytest.fixture
def kiosks(
    qtbot: QtBot, qapp: object, site_template: Path, tmp_path: Path
) -> Iterator[tuple[Kiosk, Kiosk]]:
    cutting_site = copy_site(site_template, tmp_path / "cutting")
    sewing_site = copy_site(site_template, tmp_path / "sewing")
    cutting = _start(qtbot, qapp, cutting_site, "CUT-L02", tmp_path / "cutting-slips")
    sewing = _start(qtbot, qapp, sewing_site, "SEW-L03", tmp_path / "sewing-slips")
    yield cutting, sewing
    for kiosk in (cutting, sewing):
        kiosk.printer.stop()
        close_window(qtbot, kiosk.window)
        kiosk.site.database.dispose()


def _prepare(cutting: Kiosk, quantity: str, line: str) -> Path:
    """Rina hands `quantity` pieces over to `line`; returns the printed slip's PDF."""
    driver = cutting.driver
    window = cutting.window
    if window.actor is None:
        driver.log_in("E1001", "2468")
        driver.open_work_order(WORK_ORDER)
        driver.tap(window.work_order_screen.handoff_button)
    screen = window.handshake.handoff_screen
    assert driver.screen is screen
    screen.type_quantity(quantity)
    driver.tap(screen.line_buttons[line])
    with driver.qtbot.waitSignal(cutting.printer.printed, timeout=10_000) as printed:
        driver.tap(screen.prepare_button)
    return Path(printed.args[1])


def _read_slip(pdf: Path, tmp_path: Path) -> dict[str, str]:
    """What a camera would read off the printed page: {symbology: text}."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is needed: .ci/run installs it")
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(prefix)], check=True)
    picture = next(tmp_path.glob(f"{pdf.stem}*.png"))
    return {code.symbology: code.text for code in decode_file(picture)}


def _printed_payload(cutting: Kiosk, quantity: str, tmp_path: Path) -> str:
    """Hand `quantity` over to SEW-L03 and read the QR text off the printed slip."""
    codes = _read_slip(_prepare(cutting, quantity, "SEW-L03"), tmp_path)
    return next(text for text in codes.values() if text.startswith(PREFIX))


def _scan(kiosk: Kiosk, text: str) -> None:
    kiosk.window.scan_router.submit(ScanEvent(ScanSource.CAMERA, text, "QRCode"))


def _visible_texts(widget: object) -> str:
    from PySide6.QtWidgets import QLabel, QWidget

    assert isinstance(widget, QWidget)
    return " ".join(
        label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)
    )


def test_a_printed_slip_carries_the_handoff_to_a_kiosk_that_never_heard_of_it(
    kiosks: tuple[Kiosk, Kiosk], tmp_path: Path
) -> None:
    cutting, sewing = kiosks
    pdf = _prepare(cutting, "40", "SEW-L03")
    assert "locked for SEW-L03" in cutting.driver.banner_text()
    codes = _read_slip(pdf, tmp_path)
    payload = next(text for text in codes.values() if text.startswith(PREFIX))
    slip_id = read_slip(payload)[0].slip.slip_id
    assert slip_id in codes.values()  # the Code128 carries the slip id

    # A torn slip is printed again: a second copy, and the audit log says who asked.
    handoff = cutting.window.handshake.handoff_screen
    transfer_id = next(iter(handoff.reprint_buttons))
    with cutting.driver.qtbot.waitSignal(cutting.printer.printed, timeout=10_000) as again:
        cutting.driver.tap(handoff.reprint_buttons[transfer_id])
    assert Path(again.args[1]).name == f"slip-{slip_id}-copy2.pdf"
    assert ("transfer.print.reprint", "ok") in cutting.site.audit_outcomes()
    assert _read_slip(Path(again.args[1]), tmp_path) == codes

    sewing.driver.log_in("E2001", "8642")
    _scan(sewing, payload)
    receive = sewing.window.handshake.receive_screen
    assert sewing.driver.screen is receive
    shown = _visible_texts(receive)
    assert WORK_ORDER in shown and "CUT-L02" in shown
    assert "40" not in shown  # a blind count: the slip's quantity is not on the screen

    sewing.driver.type_digits(receive.entry, "40")
    sewing.driver.tap(receive.entry.confirm_button)
    assert "Accepted" in receive.result_title.text()
    assert "holds WO-2026-004217" in sewing.window.header.line_status.text()
    # Everyone at the line can read what it holds, for which destination, since when.
    assert sewing.window.home_screen.line_state.text().startswith(
        "SEW-L03 holds WO-2026-004217 · Teddy bear 30 cm, brown · for DE-Hamburg since "
    )
    with sewing.site.database.reader() as session:
        transfer = session.scalar(select(Transfer))
        assert transfer is not None
        assert (transfer.status, transfer.accepted_qty) == (TransferStatus.ACCEPTED, 40)
        movement = session.scalar(select(WipMovement))
        assert movement is not None
        assert (movement.from_stock, movement.to_stock, movement.quantity) == (
            "WIP_CUT",
            "WIP_SEW",
            40,
        )

    # The same slip again (later than a double read): refused, nothing more happens.
    sewing.driver.tap(receive.done_button)
    sewing.site.clock.advance(5)
    _scan(sewing, payload)
    assert "received already" in sewing.driver.banner_text()
    assert sewing.site.count(WipMovement) == 1


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: .ci/run installs it")
    command = ["pdftotext", "-layout", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_the_printed_slip_names_the_batch_but_not_how_many(
    kiosks: tuple[Kiosk, Kiosk], tmp_path: Path
) -> None:
    cutting, sewing = kiosks
    pdf = _prepare(cutting, "40", "SEW-L03")
    text = _pdf_text(pdf)
    for shown in (WORK_ORDER, "Teddy bear 30 cm, brown", "CUT-L02", "SEW-L03", "DE-Hamburg"):
        assert shown in text
    assert "Quantity" not in text
    assert re.search(r"(?<![\d-])40(?![\d-])", text) is None, text  # not even alone
    # The quantity is still in the signed code: the receiving kiosk verifies it and counts.
    payload = next(
        value for value in _read_slip(pdf, tmp_path).values() if value.startswith(PREFIX)
    )
    assert read_slip(payload)[0].slip.quantity == 40
    sewing.driver.log_in("E2001", "8642")
    _scan(sewing, payload)
    receive = sewing.window.handshake.receive_screen
    assert sewing.driver.screen is receive  # the signature checked out
    assert "not printed on the slip and not shown here" in _visible_texts(receive)


def test_a_mismatch_is_counted_again_then_held_and_a_supervisor_releases_it(
    kiosks: tuple[Kiosk, Kiosk], tmp_path: Path
) -> None:
    cutting, sewing = kiosks
    payload = _printed_payload(cutting, "40", tmp_path)
    sewing.driver.log_in("E2001", "8642")
    _scan(sewing, payload)
    receive = sewing.window.handshake.receive_screen
    sewing.driver.type_digits(receive.entry, "39")
    sewing.driver.tap(receive.entry.confirm_button)
    # Asked to count again, on the same page, from an empty field: still blind.
    assert receive.is_counting() and receive.is_recount()
    assert "Count again" in receive.recount_note.text()
    assert receive.entry.value() == ""
    shown = _visible_texts(receive)
    assert "39" not in shown and "40" not in shown
    with sewing.site.database.reader() as session:
        assert session.scalar(select(Alert)) is None  # nobody is alerted by a first count
    sewing.driver.type_digits(receive.entry, "37")
    sewing.driver.tap(receive.entry.confirm_button)
    assert "Held" in receive.result_title.text()
    assert "39 and 37" in receive.result_text.text()
    assert "40" not in _visible_texts(receive)  # still blind after a mismatch
    sewing.driver.tap(receive.done_button)
    assert "⚠ 1 held" in sewing.window.header.line_status.text()

    # Pak Hadi taps his badge on Dewi's kiosk: his PIN, then the held batch.
    sewing.window.scan_router.submit_badge("0A000E5001")
    pin_screen = sewing.window.handshake.approver_pin_screen
    assert sewing.driver.screen is pin_screen
    sewing.driver.type_digits(pin_screen.entry, "505050")
    sewing.driver.tap(pin_screen.entry.confirm_button)
    hold = sewing.window.handshake.hold_screen
    assert sewing.driver.screen is hold
    assert hold.hold_numbers.text() == "sent 40\ncounted 39, recounted 37"
    assert not hold.release_button.isEnabled()  # no reason, no release
    sewing.driver.tap(hold.reason_buttons[0])
    sewing.driver.tap(hold.release_button)

    assert sewing.window.actor is not None and sewing.window.actor.employee_no == "E2001"
    assert "37 pieces accepted by Hadi Gunawan" in sewing.driver.banner_text()
    assert "⚠" not in sewing.window.header.line_status.text()
    with sewing.site.database.reader() as session:
        transfer = session.scalar(select(Transfer))
        assert transfer is not None
        assert transfer.status is TransferStatus.ACCEPTED
        assert (transfer.first_counted_qty, transfer.counted_qty) == (39, 37)
        assert (transfer.accepted_qty, transfer.decided_by) == (37, "E5001")
        alert = session.scalar(select(Alert).where(Alert.kind == "quantity_mismatch"))
        assert alert is not None and alert.acknowledged_at is not None


def test_a_supervisor_types_his_own_reason_on_the_screens_keys(
    qtbot: QtBot, kiosks: tuple[Kiosk, Kiosk], tmp_path: Path
) -> None:
    """Issue 16, item 6: the reason in one's own words needs no physical keyboard."""
    cutting, sewing = kiosks
    payload = _printed_payload(cutting, "40", tmp_path)
    sewing.driver.log_in("E2001", "8642")
    _scan(sewing, payload)
    receive = sewing.window.handshake.receive_screen
    for count in ("39", "37"):
        sewing.driver.type_digits(receive.entry, count)
        sewing.driver.tap(receive.entry.confirm_button)
    sewing.driver.tap(receive.done_button)
    sewing.window.scan_router.submit_badge("0A000E5001")
    pin_screen = sewing.window.handshake.approver_pin_screen
    sewing.driver.type_digits(pin_screen.entry, "505050")
    sewing.driver.tap(pin_screen.entry.confirm_button)
    hold = sewing.window.handshake.hold_screen
    assert sewing.driver.screen is hold and not hold.keys.isVisible()
    qtbot.mouseClick(hold.reason_field, Qt.MouseButton.LeftButton)  # a finger on the field
    assert hold.keys.isVisible() and not hold.reason_buttons[0].isVisible()
    for key in "WET BUNDLE":
        sewing.driver.tap(hold.keys.buttons[key])
    sewing.driver.tap(hold.keys.buttons["back"])  # ⌫
    sewing.driver.tap(hold.keys.buttons["E"])
    assert hold.reason_field.text() == "Wet Bundle"
    assert sewing.window.size().height() == 800  # the keys fit where the reasons were
    # Back to the reasons drops the words; typed again, they are what is sent.
    sewing.driver.tap(hold.reasons_button)
    assert hold.reason_field.text() == "" and not hold.release_button.isEnabled()
    qtbot.mouseClick(hold.reason_field, Qt.MouseButton.LeftButton)
    for key in "WET":
        sewing.driver.tap(hold.keys.buttons[key])
    sewing.driver.tap(hold.reject_button)
    with sewing.site.database.reader() as session:
        transfer = session.scalar(select(Transfer))
        assert transfer is not None and transfer.decision_reason == "Wet"


def test_a_second_work_order_is_blocked_from_a_line_already_receiving_one(
    kiosks: tuple[Kiosk, Kiosk], tmp_path: Path
) -> None:
    cutting, _sewing = kiosks
    _prepare(cutting, "10", "SEW-L03")
    driver = cutting.driver
    driver.tap(cutting.window.handshake.handoff_screen.back_button)
    driver.tap(cutting.window.work_order_screen.back_button)
    # Another work order of the line going to Sewing too (route R2): start it, record, hand over.
    other = "WO-2026-004220"
    assert cutting.site.work_order(other).route == "R2"
    driver.open_work_order(other)
    driver.tap(cutting.window.work_order_screen.command_buttons["START"])
    driver.tap(cutting.window.overlay.buttons["yes"])  # beside WO-2026-004217
    driver.record("12")
    driver.tap(cutting.window.work_order_screen.handoff_button)
    screen = cutting.window.handshake.handoff_screen
    assert "blocked" in screen.line_buttons["SEW-L03"].text()
    screen.type_quantity("5")
    driver.tap(screen.line_buttons["SEW-L03"])
    driver.tap(screen.prepare_button)
    assert "SEW-L03 is not clear: it holds WO-2026-004217" in driver.banner_text()
    with cutting.site.database.reader() as session:
        assert len(session.scalars(select(Transfer)).all()) == 1
        assert session.scalar(select(Alert).where(Alert.kind == "line_blocked")) is not None


def test_a_tampered_slip_is_refused_with_a_p1_alert_on_the_kiosk(
    kiosks: tuple[Kiosk, Kiosk], tmp_path: Path
) -> None:
    cutting, sewing = kiosks
    payload = _printed_payload(cutting, "20", tmp_path)
    forged = tampered(payload, quantity=2)  # someone "fixes" the quantity on the QR
    assert forged != payload
    sewing.driver.log_in("E2001", "8642")
    home = sewing.driver.screen
    _scan(sewing, forged)
    assert sewing.driver.screen is home  # no count screen for a forged slip
    overlay = sewing.window.overlay
    assert overlay.isVisible()
    assert "P1 alert" in _visible_texts(overlay)
    with sewing.site.database.reader() as session:
        alert = session.scalar(select(Alert).where(Alert.kind == "slip_refused"))
        assert alert is not None and alert.priority == 1
        assert session.scalar(select(Transfer)) is None


def test_an_approver_is_forgotten_when_the_operator_is_logged_out(
    kiosks: tuple[Kiosk, Kiosk], tmp_path: Path
) -> None:
    cutting, sewing = kiosks
    payload = _printed_payload(cutting, "12", tmp_path)
    sewing.driver.log_in("E2001", "8642")
    _scan(sewing, payload)
    receive = sewing.window.handshake.receive_screen
    for _count in range(2):  # a first count and the recount, both 11
        sewing.driver.type_digits(receive.entry, "11")
        sewing.driver.tap(receive.entry.confirm_button)
    sewing.driver.tap(receive.done_button)
    sewing.window.scan_router.submit_badge("0A000E5001")
    pin_screen = sewing.window.handshake.approver_pin_screen
    sewing.driver.type_digits(pin_screen.entry, "505050")
    sewing.driver.tap(pin_screen.entry.confirm_button)
    assert sewing.driver.screen is sewing.window.handshake.hold_screen

    sewing.window.logout("idle")  # Dewi's session ends while the hold screen is open
    assert sewing.driver.screen is sewing.window.login_screen
    hold = sewing.window.handshake.hold_screen
    assert hold.hold is not None
    # A late tap on the page left behind decides nothing: the approver is gone.
    hold.release_requested.emit(hold.hold.transfer_id, "late tap")
    with sewing.site.database.reader() as session:
        transfer = session.scalar(select(Transfer))
        assert transfer is not None and transfer.status is TransferStatus.HELD


def test_the_hand_over_screen_says_since_when_and_refuses_a_slip_for_a_received_batch(
    kiosks: tuple[Kiosk, Kiosk], tmp_path: Path
) -> None:
    cutting, _sewing = kiosks
    _prepare(cutting, "40", "SEW-L03")
    handoff = cutting.window.handshake.handoff_screen
    prepared_at = cutting.window.times.time(cutting.site.clock.now())
    history = _visible_texts(handoff)
    assert f"sent at {prepared_at}, not received yet" in history
    # A sync round says SEW-L03 accepted the batch; the screen still offers a reprint.
    with cutting.site.database.writer() as session:
        session.execute(
            update(Transfer).values(status=TransferStatus.ACCEPTED, counted_qty=40, accepted_qty=40)
        )
        session.commit()
    [reprint] = handoff.reprint_buttons.values()
    printed = len(list((tmp_path / "cutting-slips").iterdir()))
    cutting.driver.tap(reprint)
    assert "cannot be printed" in cutting.driver.banner_text()
    assert len(list((tmp_path / "cutting-slips").iterdir())) == printed  # nothing printed
    # The list follows: the handoff shows as accepted, with no Reprint button.
    cutting.driver.qtbot.waitUntil(lambda: "accepted" in _visible_texts(handoff), timeout=5_000)
    assert handoff.reprint_buttons == {}
    assert "not received yet" not in _visible_texts(handoff)
