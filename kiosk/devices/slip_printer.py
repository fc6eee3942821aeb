"""The printer: slips and kanban cards as PDFs in a folder or on a system printer.

Rendering and spooling run on one dedicated QThread, so jobs leave in the order they were
asked for and a slow spooler never freezes the screen. Results come back as queued
signals. A missing printer or an unwritable folder is an environment problem, reported as
a state and a `failed` signal, never as an exception on the GUI thread.

Logs name the document id only: the QR payload of a slip is a signed credential.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, QRect, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.domain.documents import PrintDocument
from kiosk.printing.document_renderer import (
    PAGE_SIZE,
    PDF_DPI,
    RenderError,
    document_codes,
    paint_document,
    render_pdf,
)

log = logging.getLogger(__name__)

MODES = ("pdf", "system")
#: How long stop() lets queued jobs finish before giving up on the thread.
STOP_WAIT_MS = 10_000

# States, as the health strip shows them.
PDF, READY, MISSING, ERROR = "pdf", "ready", "missing", "error"


@dataclass(frozen=True)
class PrinterConfig:
    """`mode` "pdf" writes into `folder`; "system" prints on `printer_name` or the default."""

    mode: str
    folder: Path
    printer_name: str = ""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"printer mode must be one of {', '.join(MODES)}, not {self.mode!r}")


class PrintError(Exception):
    """A job that did not print; `state` is the printer state it leaves behind."""

    def __init__(self, reason: str, state: str = ERROR) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state = state


def pdf_path(folder: Path, document: PrintDocument, copy: int = 1) -> Path:
    """`<kind>-<id>.pdf`, reprints `<kind>-<id>-copy<N>.pdf`: a reprint never hides the first."""
    suffix = "" if copy == 1 else f"-copy{copy}"
    return Path(folder) / f"{document.kind}-{document.document_id}{suffix}.pdf"


def check_printer(config: PrinterConfig) -> tuple[str, str]:
    """(state, detail) now: the folder can be written, or the system printer exists.

    Blocking (a file is created and removed; CUPS may be asked): call it off the GUI thread.
    """
    if config.mode == "pdf":
        try:
            _writable_folder(config.folder)
        except PrintError as error:
            return error.state, error.reason
        return PDF, str(config.folder)
    try:
        info = _find_printer(config.printer_name)
    except PrintError as error:
        return error.state, error.reason
    return READY, info.printerName()


def print_job(config: PrinterConfig, document: PrintDocument, copy: int = 1) -> str:
    """Print one copy on the calling thread; returns where it went (a PDF path or a printer).

    Raises PrintError with a reason for the log and the state the printer is in after it.
    """
    if copy < 1:
        raise ValueError(f"copy numbers start at 1, not {copy}")
    if config.mode == "pdf":
        _writable_folder(config.folder, probe=False)
        path = pdf_path(config.folder, document, copy)
        try:
            render_pdf(document, path)
        except OSError as error:
            raise PrintError(f"cannot write {path}: {error.strerror or error}") from error
        except RenderError as error:
            raise PrintError(f"cannot draw {document.kind}: {error}") from error
        return str(path)
    try:
        return _print_on_system_printer(config, document, copy)
    except RenderError as error:
        raise PrintError(f"cannot draw {document.kind}: {error}") from error


def _writable_folder(folder: Path, *, probe: bool = True) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if probe:  # a real file is the honest test (root, ACLs, network shares fool os.access)
            with tempfile.TemporaryFile(dir=folder):
                pass
    except OSError as error:
        raise PrintError(f"cannot write to {folder}: {error.strerror or error}") from error


def system_printers() -> list[str]:
    """The names of the system's printers (CUPS), for the admin's choice."""
    return list(QPrinterInfo.availablePrinterNames())


def _find_printer(name: str) -> QPrinterInfo:
    if name:
        info = QPrinterInfo.printerInfo(name)
        if info.isNull():
            known = ", ".join(QPrinterInfo.availablePrinterNames()) or "none"
            raise PrintError(f"no printer named {name!r} (installed: {known})", MISSING)
        return info
    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        known = ", ".join(QPrinterInfo.availablePrinterNames())
        if known:
            raise PrintError(f"no default printer (installed: {known}); name one", MISSING)
        raise PrintError("no printer installed", MISSING)
    return info


def _print_on_system_printer(config: PrinterConfig, document: PrintDocument, copy: int) -> str:
    document_codes(document)  # a bad document fails here, not as a blank page in the queue
    info = _find_printer(config.printer_name)
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    # With no such printer Qt quietly switches a QPrinter to PDF output to no file at all:
    # the job would vanish. Only a native printer counts.
    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        raise PrintError(f"printer {info.printerName()!r} is not available", MISSING)
    printer.setResolution(PDF_DPI)
    copy_note = "" if copy == 1 else f" copy {copy}"
    printer.setDocName(f"{document.kind} {document.document_id}{copy_note}")
    if not printer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZE),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    ):
        log.warning("printer %s refused an A6 page; printing on its default", info.printerName())
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(f"printer {info.printerName()!r} did not accept the job")
    try:
        # The painter's origin is the top left of the printable area.
        area = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
        paint_document(
            painter, QRect(0, 0, area.width(), area.height()), printer.resolution(), document
        )
    finally:
        painter.end()
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintError(f"printer {info.printerName()!r} reported an error spooling the job")
    return info.printerName()


def _job_state(config: PrinterConfig, where: str) -> tuple[str, str]:
    return (PDF, str(config.folder)) if config.mode == "pdf" else (READY, where)


class _PrintWorker(QObject):
    """Lives on the printer thread; one job or check at a time, in the order asked."""

    job_done = Signal(str, str, str, str)  # document_id, where, state, detail
    job_failed = Signal(str, str, str)  # document_id, reason, state
    checked = Signal(str, str)  # state, detail

    def __init__(self, config: PrinterConfig) -> None:
        super().__init__()
        self._config = config

    @Slot(object, int)
    def print_document(self, document: PrintDocument, copy: int) -> None:
        try:
            where = print_job(self._config, document, copy)
        except PrintError as error:
            self.job_failed.emit(document.document_id, error.reason, error.state)
        except Exception as error:
            # A bug: keep the traceback, tell the GUI, keep the thread alive for the next job.
            log.exception("rendering %s %s failed", document.kind, document.document_id)
            reason = f"cannot render {document.kind}: {type(error).__name__} (see the log)"
            self.job_failed.emit(document.document_id, reason, ERROR)
        else:
            self.job_done.emit(document.document_id, where, *_job_state(self._config, where))

    @Slot()
    def check(self) -> None:
        self.checked.emit(*check_printer(self._config))

    @Slot()
    def finish(self) -> None:
        """Queued after every job already asked for: those print before the thread ends."""
        QThread.currentThread().quit()


class DocumentPrinter(QObject):
    """The printer as the GUI sees it: ask for a page, hear back through signals.

    Call `stop()` before dropping it (Qt aborts when a running QThread is destroyed).
    """

    printed = Signal(str, str)  # document_id, where: the PDF path or the printer name
    failed = Signal(str, str)  # document_id, reason (for the log; the UI says it its own way)
    state_changed = Signal(str, str)  # "pdf" | "ready" | "missing" | "error", detail

    _job_requested = Signal(object, int)
    _check_requested = Signal()
    _finish_requested = Signal()

    def __init__(self, config: PrinterConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        # Until the first check answers: a folder is assumed usable (it is created on the
        # first job), a system printer is not assumed to exist.
        if config.mode == "pdf":
            self._state, self._detail = PDF, str(config.folder)
        else:
            self._state, self._detail = MISSING, "looking for the printer"
        self._thread: QThread | None = QThread(self)
        self._thread.setObjectName("printer")
        self._worker = _PrintWorker(config)
        self._worker.moveToThread(self._thread)
        self._job_requested.connect(self._worker.print_document)
        self._check_requested.connect(self._worker.check)
        self._finish_requested.connect(self._worker.finish)
        self._worker.job_done.connect(self._on_done)
        self._worker.job_failed.connect(self._on_failed)
        self._worker.checked.connect(self._on_checked)
        self._thread.start()
        self.check()

    @property
    def config(self) -> PrinterConfig:
        return self._config

    @property
    def state(self) -> str:
        return self._state

    @property
    def detail(self) -> str:
        return self._detail

    def print_document(self, document: PrintDocument, copy: int = 1) -> None:
        """Queue one copy (1 = the original, 2.. = reprints); answers with printed or failed."""
        if copy < 1:
            raise ValueError(f"copy numbers start at 1, not {copy}")
        if self._thread is None:
            reason = "the printer was stopped"
            QTimer.singleShot(0, self, lambda: self.failed.emit(document.document_id, reason))
            return
        log.info("print %s %s copy %d queued", document.kind, document.document_id, copy)
        self._job_requested.emit(document, copy)

    def print_now(self, document: PrintDocument, copy: int = 1) -> str:
        """The same job on the calling thread (benchmarks, tests); raises PrintError."""
        return print_job(self._config, document, copy)

    def check(self) -> None:
        """Look again (folder writable, printer present); state_changed answers, queued."""
        if self._thread is not None:
            self._check_requested.emit()

    def stop(self) -> None:
        """Let queued jobs finish, then end the thread (called once, at shutdown)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._finish_requested.emit()
        if not thread.wait(STOP_WAIT_MS):
            # A spooler stuck in the OS. The thread is a child of this object, so it is not
            # destroyed while running as long as the printer lives; its job may still print.
            log.error("printer thread still busy after %d ms; leaving it", STOP_WAIT_MS)

    @Slot(str, str, str, str)
    def _on_done(self, document_id: str, where: str, state: str, detail: str) -> None:
        log.info("printed %s to %s", document_id, where)
        self._set_state(state, detail, always=False)
        self.printed.emit(document_id, where)

    @Slot(str, str, str)
    def _on_failed(self, document_id: str, reason: str, state: str) -> None:
        log.warning("could not print %s: %s", document_id, reason)
        self._set_state(state, reason, always=False)
        self.failed.emit(document_id, reason)

    @Slot(str, str)
    def _on_checked(self, state: str, detail: str) -> None:
        self._set_state(state, detail, always=True)

    def _set_state(self, state: str, detail: str, *, always: bool) -> None:
        if not always and (state, detail) == (self._state, self._detail):
            return
        if (state, detail) != (self._state, self._detail):
            log.info("printer %s: %s", state, detail)
        self._state, self._detail = state, detail
        self.state_changed.emit(state, detail)
