"""The DocumentPrinter thread writing real PDFs, and the health strip showing its state.

PDF mode is the printer's fake and the kiosks' fallback: it is tested end to end. System
mode is tested as far as a machine without printers allows: it must say so and not crash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QThread
from PySide6.QtPrintSupport import QPrinterInfo

from kiosk.devices import slip_printer
from kiosk.devices.slip_printer import DocumentPrinter, PrinterConfig, PrintError
from kiosk.domain.documents import PrintDocument
from kiosk.ui.widgets.health_strip import HealthStrip
from tests.printing.test_document_renderer import CARD, PAYLOAD, SLIP, SLIP_ID

WAIT_MS = 10_000  # generous: the machine is shared; a job takes tens of milliseconds

MakePrinter = Callable[..., DocumentPrinter]


class Recorder:
    """Everything one printer emitted, in order."""

    def __init__(self, printer: DocumentPrinter) -> None:
        self.printed: list[tuple[str, str]] = []
        self.failed: list[tuple[str, str]] = []
        self.states: list[tuple[str, str]] = []
        printer.printed.connect(lambda doc, where: self.printed.append((doc, where)))
        printer.failed.connect(lambda doc, reason: self.failed.append((doc, reason)))
        printer.state_changed.connect(lambda state, detail: self.states.append((state, detail)))


@pytest.fixture
def make_printer(qtbot: QtBot) -> Iterator[MakePrinter]:
    """Builds printers and stops every one of them after the test."""
    printers: list[DocumentPrinter] = []

    def make(mode: str, folder: Path, printer_name: str = "") -> DocumentPrinter:
        printer = DocumentPrinter(PrinterConfig(mode, folder, printer_name))
        printers.append(printer)
        return printer

    yield make
    for printer in printers:
        printer.stop()


@pytest.fixture
def no_printers() -> None:
    if QPrinterInfo.availablePrinterNames():
        pytest.skip("this machine has printers; the test needs one without")


def _unwritable(tmp_path: Path) -> Path:
    """A folder that cannot exist, even for root: its parent is a regular file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    return blocker / "prints"


def test_pdf_mode_is_ready_from_the_start(make_printer: MakePrinter, tmp_path: Path) -> None:
    folder = tmp_path / "prints"
    printer = make_printer("pdf", folder)
    assert (printer.state, printer.detail) == ("pdf", str(folder))


def test_a_slip_is_written_to_the_folder_which_is_created(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "site" / "prints"
    printer = make_printer("pdf", folder)
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS) as printed:
        printer.print_document(SLIP)
    path = folder / f"slip-{SLIP_ID}.pdf"
    assert printed.args == [SLIP_ID, str(path)]
    assert path.read_bytes().startswith(b"%PDF")
    assert printer.state == "pdf"


def test_a_reprint_is_a_second_file_and_leaves_the_first_alone(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    printer = make_printer("pdf", tmp_path)
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS):
        printer.print_document(SLIP)
    first = (tmp_path / f"slip-{SLIP_ID}.pdf").read_bytes()
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS) as printed:
        printer.print_document(SLIP, copy=2)
    assert printed.args == [SLIP_ID, str(tmp_path / f"slip-{SLIP_ID}-copy2.pdf")]
    assert (tmp_path / f"slip-{SLIP_ID}.pdf").read_bytes() == first
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        f"slip-{SLIP_ID}-copy2.pdf",
        f"slip-{SLIP_ID}.pdf",
    ]


def test_a_kanban_card_is_named_after_its_kind(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    printer = make_printer("pdf", tmp_path)
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS) as printed:
        printer.print_document(CARD)
    assert printed.args == ["KB-7Q2K9M4T", str(tmp_path / "kanban_card-KB-7Q2K9M4T.pdf")]


def test_an_unwritable_folder_is_an_error_state_and_a_failed_job_not_an_exception(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    folder = _unwritable(tmp_path)
    printer = make_printer("pdf", folder)
    recorder = Recorder(printer)
    qtbot.waitUntil(lambda: printer.state == "error", timeout=WAIT_MS)
    assert str(folder) in printer.detail and "Not a directory" in printer.detail
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS) as failed:
        printer.print_document(SLIP)
    document_id, reason = failed.args
    assert document_id == SLIP_ID and str(folder) in reason
    assert printer.state == "error"
    assert recorder.printed == []

    # Once the folder can be made, the next slip prints and the state recovers.
    (tmp_path / "blocker").unlink()
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS):
        printer.print_document(SLIP)
    assert (printer.state, printer.detail) == ("pdf", str(folder))
    assert recorder.states[-1] == ("pdf", str(folder))


def test_a_document_that_cannot_be_drawn_fails_and_the_next_one_prints(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    printer = make_printer("pdf", tmp_path)
    bad_id = PrintDocument("kanban_card", "KB-ÄÖ€", "Card", (("Quantity", "5"),))
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS) as failed:
        printer.print_document(bad_id)
    assert failed.args[0] == "KB-ÄÖ€" and "Code128" in failed.args[1]
    too_long = PrintDocument("slip", SLIP_ID, "Slip", (), qr_payload=PAYLOAD * 30)
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS) as failed:
        printer.print_document(too_long)
    assert failed.args[1] == (
        f"cannot draw slip: a QR payload of {len(PAYLOAD) * 30} characters is too long"
    )
    assert printer.state == "error" and list(tmp_path.iterdir()) == []
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS):
        printer.print_document(SLIP)
    assert printer.state == "pdf"


def test_check_reports_the_state_again(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    printer = make_printer("pdf", tmp_path / "prints")
    with qtbot.waitSignal(printer.state_changed, timeout=WAIT_MS) as changed:
        printer.check()
    assert changed.args == ["pdf", str(tmp_path / "prints")]


def test_the_work_runs_off_the_gui_thread(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[QThread] = []
    real_render = slip_printer.render_pdf

    def render(document: PrintDocument, path: Path) -> None:
        threads.append(QThread.currentThread())
        real_render(document, path)

    monkeypatch.setattr(slip_printer, "render_pdf", render)
    printer = make_printer("pdf", tmp_path)
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS):
        printer.print_document(SLIP)
    assert threads and threads[0] is not QThread.currentThread()


def test_stop_lets_queued_jobs_finish_in_order(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    printer = make_printer("pdf", tmp_path)
    recorder = Recorder(printer)
    for copy in (1, 2, 3):
        printer.print_document(SLIP, copy)
    printer.stop()
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        f"slip-{SLIP_ID}-copy2.pdf",
        f"slip-{SLIP_ID}-copy3.pdf",
        f"slip-{SLIP_ID}.pdf",
    ]
    qtbot.waitUntil(lambda: len(recorder.printed) == 3, timeout=WAIT_MS)
    assert [Path(where).name for _, where in recorder.printed] == [
        f"slip-{SLIP_ID}.pdf",
        f"slip-{SLIP_ID}-copy2.pdf",
        f"slip-{SLIP_ID}-copy3.pdf",
    ]
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS) as failed:
        printer.print_document(SLIP, 4)
    assert failed.args == [SLIP_ID, "the printer was stopped"]
    assert not (tmp_path / f"slip-{SLIP_ID}-copy4.pdf").exists()


def test_print_now_does_the_job_on_the_calling_thread(
    make_printer: MakePrinter, tmp_path: Path
) -> None:
    printer = make_printer("pdf", tmp_path)
    assert printer.print_now(SLIP, copy=2) == str(tmp_path / f"slip-{SLIP_ID}-copy2.pdf")
    broken = make_printer("pdf", _unwritable(tmp_path))
    with pytest.raises(PrintError, match="Not a directory"):
        broken.print_now(SLIP)


def test_the_signed_payload_never_reaches_the_log(
    make_printer: MakePrinter,
    qtbot: QtBot,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    printer = make_printer("pdf", tmp_path)
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS):
        printer.print_document(SLIP)
    broken = make_printer("pdf", _unwritable(tmp_path))
    with qtbot.waitSignal(broken.failed, timeout=WAIT_MS):
        broken.print_document(SLIP)
    assert SLIP_ID in caplog.text
    signature = PAYLOAD[-100:]  # base32 of the last 62 of the signature's 64 bytes
    assert signature not in caplog.text
    assert PAYLOAD[:40] not in caplog.text


@pytest.mark.usefixtures("no_printers")
def test_system_mode_without_a_printer_says_so_and_fails_the_job(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    printer = make_printer("system", tmp_path)
    with qtbot.waitSignal(printer.state_changed, timeout=WAIT_MS) as changed:
        printer.check()
    assert changed.args == ["missing", "no printer installed"]
    # Qt would quietly turn the job into a PDF written nowhere; the printer must refuse.
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS) as failed:
        printer.print_document(SLIP)
    assert failed.args == [SLIP_ID, "no printer installed"]
    assert printer.state == "missing"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("no_printers")
def test_a_named_printer_that_is_not_installed_is_missing(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    printer = make_printer("system", tmp_path, "Zebra_ZD421")
    qtbot.waitUntil(lambda: "Zebra_ZD421" in printer.detail, timeout=WAIT_MS)
    assert printer.state == "missing"


def test_an_unknown_mode_is_refused_at_configuration() -> None:
    with pytest.raises(ValueError, match="printer mode"):
        PrinterConfig("fax", Path("/tmp"))


@pytest.mark.parametrize(
    ("state", "detail", "text", "level"),
    [
        ("pdf", "/var/lib/kiosk/prints", "Printer: PDF to folder", "ok"),
        ("ready", "Zebra_ZD421", "Printer: ready", "ok"),
        ("missing", "no printer installed", "Printer: none found", "warn"),
        ("error", "cannot write to /mnt/prints", "Printer: error", "fault"),
    ],
)
def test_the_health_strip_shows_the_printer_state(
    qtbot: QtBot, state: str, detail: str, text: str, level: str
) -> None:
    strip = HealthStrip()
    qtbot.addWidget(strip)
    assert strip.printer.text().endswith("Printer: not set up")
    strip.set_printer(state, detail)
    assert strip.printer.text().endswith(text)
    assert strip.printer.property("level") == level
    assert strip.printer.toolTip() == detail


def test_the_health_strip_follows_a_real_printer(
    make_printer: MakePrinter, qtbot: QtBot, tmp_path: Path
) -> None:
    strip = HealthStrip()
    qtbot.addWidget(strip)
    printer = make_printer("pdf", _unwritable(tmp_path))
    printer.state_changed.connect(strip.set_printer)
    qtbot.waitUntil(lambda: strip.printer.text().endswith("Printer: error"), timeout=WAIT_MS)
