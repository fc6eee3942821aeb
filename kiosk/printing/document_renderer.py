"""Slips and kanban cards on paper: one A6 page painted with QPainter, as PDF or image.

One painting function serves the PDF (what the printer adapter writes or prints) and the
image (previews and tests), so what a test decodes is what the printer gets. The codes are
drawn as filled rectangles on whole device pixels: a PDF stays vector and crisp at any
zoom, and a raster copy has no blurred module edges for a camera to misread.

Everything here works on a worker thread (QPdfWriter, QImage and QPainter may be used off
the GUI thread; no QWidget, no QPixmap), but a QGuiApplication must exist: fonts need it.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import barcode
import segno
from barcode.errors import BarcodeError

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QPointF,
    QRect,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from kiosk.domain.documents import PrintDocument

#: Printer-class resolution of the PDF: modules land on whole dots of a 300 dpi printer.
PDF_DPI = 300
PAGE_SIZE = QPageSize.PageSizeId.A6
PAGE_MM = (105.0, 148.0)

_FONT_FAMILIES = ["DejaVu Sans", "Sans Serif"]
_MARGIN_MM = 5.0
_GAP_MM = 2.5

# Code128: a module of about 0.33 mm (a 4-dot bar at 300 dpi), 10-module quiet zones
# (ISO/IEC 15417 asks for 10), bars 12 mm tall (a handheld scanner's line easily crosses it).
_BAR_MODULE_MM = 0.34
_BAR_QUIET_MODULES = 10
_BAR_HEIGHT_MM = 12.0

# QR: a 4-module quiet zone and a symbol at least 38 mm wide, so that a kiosk camera reads
# a version 10-11 code (a signed slip: 300-340 alphanumeric characters) from a hand-held slip.
_QR_QUIET_MODULES = 4
_QR_MIN_SYMBOL_MM = 38.0

# Point sizes: the text is read by operators standing at a trolley.
_TITLE_PT = (15.0, 11.0)  # largest, smallest before the title wraps
_ROW_PT = (13.0, 8.0)  # largest, smallest before rows are cut off at the bottom
_ID_PT = 11.0
_FOOTER_PT = 8.5
_STUB_PT = 10.0


#: QR modules by row, dark True, no quiet zone.
QrMatrix = tuple[tuple[bool, ...], ...]


class RenderError(ValueError):
    """The document cannot be drawn as asked (an id Code128 cannot carry, a payload too big).

    The message never contains the QR payload: it ends up in logs.
    """


def render_pdf(document: PrintDocument, path: Path) -> None:
    """Write the page as a one-page A6 PDF at `path`, atomically.

    The PDF is built in memory, written to a temporary file in the same folder, synced and
    renamed over `path`: a reader (a print spooler, a person opening the folder) never sees
    half a file. Raises OSError when the folder cannot be written.
    """
    path = Path(path)
    data = pdf_bytes(document)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def pdf_bytes(document: PrintDocument) -> bytes:
    """The one-page PDF in memory (no file I/O, so no Qt warning can stand in for an error)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZE),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(document.title)
    writer.setCreator("line-kiosk")
    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("Qt could not start painting the PDF")
    try:
        paint_document(painter, QRect(0, 0, writer.width(), writer.height()), PDF_DPI, document)
    finally:
        painter.end()
    buffer.close()
    data: QByteArray = buffer.data()
    return bytes(data.data())


def render_image(document: PrintDocument, dpi: int = 200) -> QImage:
    """The same A6 page on a white image of `dpi` dots per inch (previews, tests)."""
    width = round(PAGE_MM[0] / 25.4 * dpi)
    height = round(PAGE_MM[1] / 25.4 * dpi)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    dots_per_meter = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    painter = QPainter(image)
    try:
        paint_document(painter, QRect(0, 0, width, height), dpi, document)
    finally:
        painter.end()
    return image


def code128_modules(text: str) -> str:
    """The Code128 of `text` as '1' (bar) and '0' (space) modules, quiet zones not included.

    python-barcode 0.15/0.16 `build()` returns a one-element list: start code, data (it
    switches to code set C for digit pairs on its own), check symbol and stop pattern.
    """
    if not text:
        raise RenderError("an empty id cannot be a Code128")  # python-barcode: IndexError
    try:
        return str(barcode.get_barcode_class("code128")(text).build()[0])
    except BarcodeError as error:  # characters outside Code128's set
        raise RenderError(f"{text!r} cannot be a Code128: {error}") from error


def qr_matrix(payload: str) -> QrMatrix:
    """The QR code of `payload` (error level M or better), dark modules True, no quiet zone.

    `segno.make_qr`, never `segno.make`: that one picks a Micro QR for short data, which
    most decoders cannot read (PLATFORM pitfall 5).
    """
    try:
        code = segno.make_qr(payload, error="m")
    except segno.DataOverflowError as error:
        raise RenderError(f"a QR payload of {len(payload)} characters is too long") from error
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)


def document_codes(document: PrintDocument) -> tuple[str, QrMatrix | None]:
    """The Code128 modules of the id and the QR matrix of the payload (None without one).

    Raises RenderError: call it before starting a print job, so a bad document never
    leaves a blank or half-drawn page in a printer queue.
    """
    modules = code128_modules(document.document_id)
    matrix = qr_matrix(document.qr_payload) if document.qr_payload else None
    return modules, matrix


@dataclass(frozen=True)
class _Units:
    """Millimetres and points in device pixels of the page being painted."""

    dpi: float

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def font(self, points: float, *, bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(_FONT_FAMILIES)
        font.setStyleHint(QFont.StyleHint.SansSerif)
        # Pixel sizes, not point sizes: the same on a PDF writer and on an image whatever
        # logical DPI the device reports.
        font.setPixelSize(max(1, round(points * self.dpi / 72.0)))
        font.setBold(bold)
        return font


def paint_document(painter: QPainter, page: QRect, dpi: float, document: PrintDocument) -> None:
    """Paint the page into `page` (device pixels at `dpi`): the one layout of every output.

    From the top: the title, the rows as "label: value" (their font shrinks when there are
    many), then at the bottom the footer, the QR code (slips) and the Code128 of the id with
    the id in words, and below a dashed cut line the stub, where there is one. The codes get
    their size first; the text takes the space that is left.
    Raises RenderError before anything is drawn when a code cannot be made.
    """
    document = _translated(document)
    modules, matrix = document_codes(document)
    units = _Units(dpi)
    margin = units.mm(_MARGIN_MM)
    gap = units.mm(_GAP_MM)
    content = QRectF(page).adjusted(margin, margin, -margin, -margin)
    painter.save()
    try:
        painter.setPen(QColor("black"))
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

        bottom = content.bottom()
        if document.stub_rows:
            bottom = _paint_stub(painter, units, page, content, document) - gap
        if document.footer:
            footer_font = units.font(_FOOTER_PT)
            height = _text_height(footer_font, content.width(), document.footer)
            bottom -= height
            painter.setFont(footer_font)
            painter.drawText(
                QRectF(content.left(), bottom, content.width(), height),
                _WRAP | Qt.AlignmentFlag.AlignHCenter,
                document.footer,
            )
            bottom -= gap

        top = content.top()
        top = _paint_title(painter, units, content, top, document.title) + gap
        _rule(painter, units, content, top - gap / 2)

        barcode_height = units.mm(_BAR_HEIGHT_MM) + _text_height(
            units.font(_ID_PT), content.width(), document.document_id
        )
        text_budget = units.mm(30)  # rows keep at least this much above the codes
        if matrix is not None:
            room = bottom - top - text_budget - barcode_height - 2 * gap
            qr_side = _paint_qr(painter, units, content, matrix, bottom=bottom, room=room)
            bottom -= qr_side + gap
        barcode_top = bottom - barcode_height
        _paint_code128(painter, units, content, modules, top=barcode_top, text=document.document_id)
        rows_area = QRectF(content.left(), top, content.width(), barcode_top - gap - top)
        _paint_rows(painter, units, rows_area, document.rows)
    finally:
        painter.restore()


_WRAP = Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap


# The fixed texts the services write on a page (in English: they import no Qt), marked here so
# pyside6-lupdate finds them; a test checks that every page the services make uses only these.
PRINTED_TEXTS = (
    QT_TRANSLATE_NOOP("PrintDocument", "QT-09 transfer slip"),
    QT_TRANSLATE_NOOP("PrintDocument", "Work order"),
    QT_TRANSLATE_NOOP("PrintDocument", "MO"),
    QT_TRANSLATE_NOOP("PrintDocument", "Article"),
    QT_TRANSLATE_NOOP("PrintDocument", "From"),
    QT_TRANSLATE_NOOP("PrintDocument", "To"),
    QT_TRANSLATE_NOOP("PrintDocument", "Destination"),
    QT_TRANSLATE_NOOP("PrintDocument", "Prepared"),
    QT_TRANSLATE_NOOP(
        "PrintDocument",
        "The quantity is only in the code. Receiver: scan it, then count every piece.",
    ),
    QT_TRANSLATE_NOOP("PrintDocument", "Sender's stub: tear off and keep"),
    QT_TRANSLATE_NOOP("PrintDocument", "Slip"),
    QT_TRANSLATE_NOOP("PrintDocument", "Sent"),
    QT_TRANSLATE_NOOP("PrintDocument", "E-Kanban card"),
    QT_TRANSLATE_NOOP("PrintDocument", "Line"),
    QT_TRANSLATE_NOOP("PrintDocument", "Item"),
    QT_TRANSLATE_NOOP("PrintDocument", "Quantity"),
    QT_TRANSLATE_NOOP("PrintDocument", "Requested"),
    QT_TRANSLATE_NOOP("PrintDocument", "Approved"),
    QT_TRANSLATE_NOOP("PrintDocument", "Rejected"),
    QT_TRANSLATE_NOOP("PrintDocument", "On arrival at {line}: scan this card at the line's kiosk."),
)


def _translated(document: PrintDocument) -> PrintDocument:
    """The page in the language on screen, unless it was put in another already."""
    if document.translated:
        return document
    return translated_document(
        document, lambda text: QCoreApplication.translate("PrintDocument", text)
    )


def translated_document(document: PrintDocument, translate: Callable[[str], str]) -> PrintDocument:
    """The page with its fixed texts through `translate`: the services write them in English
    (they import no Qt); titles, labels and the footer are translated, values never."""

    def tr(text: str) -> str:
        return translate(text) if text else text

    return dataclasses.replace(
        document,
        title=tr(document.title),
        rows=tuple((tr(label), value) for label, value in document.rows),
        footer=tr(document.footer).format(**dict(document.footer_values))
        if document.footer_values
        else tr(document.footer),
        stub_title=tr(document.stub_title),
        stub_rows=tuple((tr(label), value) for label, value in document.stub_rows),
        translated=True,
    )


def _text_height(font: QFont, width: float, text: str) -> float:
    metrics = QFontMetricsF(font)
    return metrics.boundingRect(QRectF(0, 0, width, 1e6), _WRAP, text).height()


def _paint_title(
    painter: QPainter, units: _Units, content: QRectF, top: float, title: str
) -> float:
    """The title on one line if it fits at a readable size, else wrapped; returns its bottom."""
    largest, smallest = _TITLE_PT
    points = largest
    font = units.font(points, bold=True)
    while points > smallest and QFontMetricsF(font).horizontalAdvance(title) > content.width():
        points -= 0.5
        font = units.font(points, bold=True)
    height = _text_height(font, content.width(), title)
    painter.setFont(font)
    painter.drawText(QRectF(content.left(), top, content.width(), height), _WRAP, title)
    return top + height


def _paint_stub(
    painter: QPainter, units: _Units, page: QRect, content: QRectF, document: PrintDocument
) -> float:
    """The stub at the foot of the page under a dashed cut line across the whole sheet;
    returns the cut line's height on the page."""
    title_font = units.font(_STUB_PT, bold=True)
    row_font = units.font(_STUB_PT)
    lines = [f"{label}: {value}" for label, value in document.stub_rows]
    heights = [_text_height(row_font, content.width(), line) for line in lines]
    title_height = _text_height(title_font, content.width(), document.stub_title)
    top = content.bottom() - sum(heights) - title_height
    cut = top - units.mm(_GAP_MM)
    pen = QPen(QColor("black"), max(1.0, round(units.mm(0.3))), Qt.PenStyle.DashLine)
    painter.save()
    painter.setPen(pen)
    painter.drawLine(QPointF(page.left(), cut), QPointF(page.right(), cut))
    painter.restore()
    painter.setFont(title_font)
    painter.drawText(
        QRectF(content.left(), top, content.width(), title_height), _WRAP, document.stub_title
    )
    y = top + title_height
    painter.setFont(row_font)
    for line, height in zip(lines, heights, strict=True):
        painter.drawText(QRectF(content.left(), y, content.width(), height), _WRAP, line)
        y += height
    return cut


def _rule(painter: QPainter, units: _Units, content: QRectF, y: float) -> None:
    thickness = max(1.0, round(units.mm(0.3)))
    painter.fillRect(QRectF(content.left(), y, content.width(), thickness), QColor("black"))


def _paint_rows(
    painter: QPainter, units: _Units, area: QRectF, rows: tuple[tuple[str, str], ...]
) -> None:
    """Labels in a bold column, values wrapped beside them; the font shrinks until all fit."""
    if not rows:
        return
    top, bottom = area.top(), area.bottom()
    largest, smallest = _ROW_PT
    points = largest
    while True:
        layout = _row_layout(units, area.width(), rows, points)
        if layout.height <= bottom - top or points <= smallest:
            break
        points -= 0.5
    y = top
    label_x = area.left()
    value_x = label_x + layout.label_width + layout.spacing
    value_width = area.right() - value_x
    ellipsis_height = QFontMetricsF(layout.label_font).height()
    for index, ((label, value), height) in enumerate(zip(rows, layout.row_heights, strict=True)):
        last = index == len(rows) - 1
        if y + height + (0 if last else ellipsis_height) > bottom:
            # Whole rows only, and a visible sign that some are missing.
            painter.setFont(layout.label_font)
            painter.drawText(QRectF(label_x, y, area.width(), ellipsis_height), _WRAP, "…")
            return
        painter.setFont(layout.label_font)
        painter.drawText(QRectF(label_x, y, layout.label_width, height), _WRAP, f"{label}:")
        painter.setFont(layout.value_font)
        painter.drawText(QRectF(value_x, y, value_width, height), _WRAP, value)
        y += height + layout.row_gap


@dataclass(frozen=True)
class _RowLayout:
    label_font: QFont
    value_font: QFont
    label_width: float
    spacing: float
    row_gap: float
    row_heights: tuple[float, ...]

    @property
    def height(self) -> float:
        return sum(self.row_heights) + self.row_gap * (len(self.row_heights) - 1)


def _row_layout(
    units: _Units, width: float, rows: tuple[tuple[str, str], ...], points: float
) -> _RowLayout:
    label_font = units.font(points, bold=True)
    value_font = units.font(points)
    label_metrics = QFontMetricsF(label_font)
    # A long label wraps rather than squeezing every value into a narrow column.
    label_width = min(
        max(label_metrics.horizontalAdvance(f"{label}:") for label, _ in rows) + 1,
        width * 0.42,
    )
    spacing = label_metrics.horizontalAdvance("  ")
    value_width = width - label_width - spacing
    heights = tuple(
        max(
            _text_height(label_font, label_width, f"{label}:"),
            _text_height(value_font, value_width, value),
        )
        for label, value in rows
    )
    return _RowLayout(
        label_font, value_font, label_width, spacing, label_metrics.height() * 0.18, heights
    )


def _paint_code128(
    painter: QPainter, units: _Units, content: QRectF, modules: str, *, top: float, text: str
) -> None:
    """Bars on whole device pixels, centred with their quiet zones, the text beneath."""
    total = len(modules) + 2 * _BAR_QUIET_MODULES
    module = max(1, min(round(units.mm(_BAR_MODULE_MM)), int(content.width() // total)))
    left = round(content.center().x() - len(modules) * module / 2)
    top_px = round(top)
    bar_height = round(units.mm(_BAR_HEIGHT_MM))
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for start, length in _runs(modules, "1"):
        path.addRect(QRectF(left + start * module, top_px, length * module, bar_height))
    painter.fillPath(path, QColor("black"))
    font = units.font(_ID_PT)
    painter.setFont(font)
    text_top = top_px + bar_height + units.mm(0.8)
    painter.drawText(
        QRectF(content.left(), text_top, content.width(), QFontMetricsF(font).height() * 2),
        _WRAP | Qt.AlignmentFlag.AlignHCenter,
        text,
    )


def _paint_qr(
    painter: QPainter,
    units: _Units,
    content: QRectF,
    matrix: QrMatrix,
    *,
    bottom: float,
    room: float,
) -> float:
    """The QR code centred above `bottom`; returns the height used, quiet zone included.

    A module is a whole number of device pixels: the smallest that makes the symbol at
    least `_QR_MIN_SYMBOL_MM` wide, fewer only when the page has no room left for it.
    """
    count = len(matrix)
    span = count + 2 * _QR_QUIET_MODULES
    wanted = -(-units.mm(_QR_MIN_SYMBOL_MM) // count)  # ceiling division
    fits = min(content.width(), max(room, 0.0)) // span
    module = int(max(1, min(wanted, fits)))
    side = span * module
    left = round(content.center().x() - count * module / 2)
    top = round(bottom - side + _QR_QUIET_MODULES * module)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for y, row in enumerate(matrix):
        line = "".join("1" if dark else "0" for dark in row)
        for start, length in _runs(line, "1"):
            path.addRect(QRectF(left + start * module, top + y * module, length * module, module))
    painter.fillPath(path, QColor("black"))
    return float(side)


def _runs(pattern: str, mark: str) -> list[tuple[int, int]]:
    """(start, length) of each run of `mark`: one rectangle per run, no seams inside a bar."""
    runs = []
    start = None
    for index, char in enumerate(pattern + ("0" if mark == "1" else "1")):
        if char == mark and start is None:
            start = index
        elif char != mark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs
