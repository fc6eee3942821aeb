"""Texts that keep to their room: the header never overlaps, codes never break, the strip reads.

The health strip's contrast is computed from kiosk/resources/kiosk.qss, the colours it runs with.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from itertools import combinations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.demo import DEMO_LINES, DEMO_USERS
from kiosk.domain.roles import Department, Role
from kiosk.services.transfer_views import LineHoldSummary, OccupancyView
from kiosk.services.views import LineStatus, RosterEntry
from kiosk.ui import line_status
from kiosk.ui.application import resources_dir
from kiosk.ui.labels import role_label
from kiosk.ui.main_window import MainWindow
from kiosk.ui.widgets.elided_label import ElidedLabel
from kiosk.ui.widgets.health_strip import FAULT, OFF, OK, WARN
from kiosk.ui.widgets.wrap_label import WrapLabel
from tests.ui.driver import KioskDriver

LONGEST_NUMBER = "WO-2026-004219"  # the demo's work orders all have this length
SINCE = datetime(2026, 3, 2, 7, 5, tzinfo=UTC)


def _longest_status() -> str:
    """The header's line status at its longest: held batches, three running, a batch held."""
    line = max(DEMO_LINES, key=lambda demo: len(demo.name))
    occupancy = OccupancyView(
        line.code,
        line.name,
        Department.CUT,
        LONGEST_NUMBER,
        "Teddy bear",
        "DE-Hamburg",
        SINCE,
        SINCE,
    )
    holds = [LineHoldSummary(uuid.uuid4(), "SL-1", LONGEST_NUMBER, SINCE)] * 3
    running = LineStatus(running=[LONGEST_NUMBER] * 3, paused=[])
    return line_status.header_text(running, occupancy, holds, line.name)


def _longest_user() -> str:
    return max((f"{user.name} · {role_label(user.role)}" for user in DEMO_USERS), key=len)


def _texts_of(widget: QWidget) -> list[QWidget]:
    return [
        child
        for child in widget.findChildren(QWidget)
        if child.isVisible() and child.parentWidget() is widget
    ]


def _rect(widget: QWidget, window: MainWindow) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_the_header_never_overlaps_with_the_longest_name_and_status(
    kiosk: KioskDriver, qtbot: QtBot
) -> None:
    window = kiosk.window
    kiosk.log_in("E1001", "2468")
    header = window.header
    status, user = _longest_status(), _longest_user()
    header.set_line_status(status)
    header.show_user(user, may_supervise=True, may_administer=True)  # every button shown
    qtbot.wait(30)
    assert window.width() == 1280
    parts = _texts_of(header)
    assert len(parts) == 8  # line, status, clock, name and four buttons
    for first, second in combinations(parts, 2):
        assert not _rect(first, window).intersects(_rect(second, window)), (first, second)
    for part in parts:
        assert QRect(0, 0, 1280, header.height()).contains(_rect(part, window).translated(0, 0))
    # The status is cut with "…", the name too if it must be; text() keeps all of it.
    assert header.line_status.text() == status
    assert header.line_status.is_elided()
    assert header.line_status.shown_text().endswith("…")
    for label in (header.line_status, header.user_name):
        shown = label.fontMetrics().horizontalAdvance(label.shown_text())
        assert shown <= label.contentsRect().width()
    # A tap shows it whole, over the message area: no control is covered, none moves.
    screen_banner = window.current_banner()
    qtbot.mouseClick(header.line_status, Qt.MouseButton.LeftButton)
    assert window.full_text_banner.message() == status
    assert _rect(window.full_text_banner, window) == _rect(screen_banner, window)
    assert not window.full_text_banner.is_cut()


def test_the_header_is_as_tall_logged_in_as_logged_out(kiosk: KioskDriver, qtbot: QtBot) -> None:
    window = kiosk.window
    tile_before = _rect(window.login_screen.tiles["E1001"], window)
    height = window.header.height()
    kiosk.log_in("E1001", "2468")
    assert window.header.height() == height
    kiosk.tap(window.header.logout_button)
    qtbot.wait(30)
    assert _rect(window.login_screen.tiles["E1001"], window) == tile_before


def test_a_line_code_never_breaks_at_its_hyphen(qapp: object) -> None:
    text = "Sent 40 to " + " ".join(f"{demo.code} ({LONGEST_NUMBER})" for demo in DEMO_LINES)
    label = WrapLabel()
    label.setObjectName("subtitle")
    label.setText(text)
    assert label.text() == text  # what tests and screen readers see is unchanged
    shown = QLabel.text(label)
    for width in range(120, 700, 7):
        layout = QTextLayout(shown, label.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        ends = []
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            ends.append(shown[line.textStart() : line.textStart() + line.textLength()].rstrip())
        layout.endLayout()
        assert len(ends) > 1
        assert not any(end.endswith(("-", "\u2011")) for end in ends), (width, ends)


def _qss_colour(selector: str, prop: str) -> str:
    qss = (resources_dir() / "kiosk.qss").read_text(encoding="utf-8")
    qss = re.sub(r"/\*.*?\*/", "", qss, flags=re.DOTALL)
    for match in re.finditer(r"([^{}]+)\{([^}]*)\}", qss):
        selectors = [part.strip() for part in match.group(1).split(",")]
        if selector in selectors:
            found = re.search(rf"(?<![-\w]){prop}\s*:\s*(#[0-9A-Fa-f]{{6}})", match.group(2))
            if found:
                return found.group(1)
    raise AssertionError(f"{selector} {{ {prop} }} not in kiosk.qss")


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_ratio_is_the_wcag_one() -> None:
    assert round(contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48


def test_the_health_strip_reads_at_arms_length(kiosk: KioskDriver) -> None:
    window = kiosk.window
    strip = window.health
    background = _qss_colour("#healthStrip", "background")
    for level in (OK, WARN, FAULT, OFF):
        colour = _qss_colour(f'#health[level="{level}"]', "color")
        assert contrast_ratio(colour, background) >= 4.5, (level, colour, background)
    strip.set_reader("error", 3)
    strip.set_camera("unplugged")
    for widget in (strip.reader, strip.scanner, strip.camera, strip.printer, strip.sync):
        assert widget.font().pixelSize() >= 20, widget.text()
        # The colour the widget is drawn in is the style sheet's, checked above.
        drawn = widget.palette().color(widget.foregroundRole()).name().upper()
        level = widget.property("level")
        assert drawn == _qss_colour(f'#health[level="{level}"]', "color").upper()
        assert _rect(widget, window).bottom() < window.height()
    for label in (strip.reader, strip.scanner, strip.printer, strip.sync):
        assert isinstance(label, ElidedLabel)
        shown = label.fontMetrics().horizontalAdvance(label.shown_text())
        assert shown <= label.contentsRect().width()


def test_a_long_name_is_cut_on_its_tile_and_whole_on_the_pin_pad(
    kiosk: KioskDriver, qtbot: QtBot
) -> None:
    window = kiosk.window
    login = window.login_screen
    long_name = "Raden Ayu Siti Nurhaliza Kusumawardhani Prawirodirdjo"
    roster = [
        RosterEntry(uuid.uuid4(), f"E70{index:02d}", name, Role.OPERATOR, is_locked=False)
        for index, name in enumerate([long_name, "Rina Wulandari", long_name + " Putri"])
    ]
    login.set_roster(roster)
    qtbot.wait(30)
    assert window.width() == 1280
    tiles = [login.tiles[entry.employee_no] for entry in roster]
    widths = {tile.width() for tile in tiles}
    assert len(widths) == 1, "columns of one width"
    for first, second in combinations(tiles, 2):
        assert not _rect(first, window).intersects(_rect(second, window))
    long_tile = tiles[0]
    assert long_tile.text().startswith(long_name)
    assert long_tile.shown_lines()[0].endswith("…")
    assert tiles[1].shown_lines()[0] == "Rina Wulandari"
    kiosk.tap(long_tile)
    assert long_name in login.pin_page.title.text()
    qtbot.wait(30)
    assert window.size().toTuple() == (1280, 800)
    assert _rect(window.health, window).bottom() < 800, "a two-line name pushed the strip off"
