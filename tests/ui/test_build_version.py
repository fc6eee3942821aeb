"""The health strip says which build runs: the first thing support asks on the phone."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

import kiosk.build_info
from kiosk.sync.status import ONLINE, SyncStatus
from kiosk.ui.application import install_translations, language_locale
from kiosk.ui.main_window import MainWindow
from kiosk.ui.widgets.health_strip import HealthStrip
from tests.helpers.site import Site
from tests.ui.conftest import close_window, open_window
from tests.ui.driver import KioskDriver
from tests.ui.text_fit import clipped_texts


def test_the_strip_shows_the_installed_version(kiosk: KioskDriver) -> None:
    shown = kiosk.window.health.version
    assert shown.isVisible()
    assert shown.text() == f"Version {metadata.version('line-kiosk')}"


def test_a_frozen_build_adds_its_build_id(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "build-id").write_text("1a2b3c4 2026-12-07\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(kiosk.build_info, "files", lambda _package: tmp_path)
    strip = HealthStrip()
    qtbot.addWidget(strip)
    version = metadata.version("line-kiosk")
    assert strip.version.text() == f"Version {version} (build 1a2b3c4 2026-12-07)"


def test_not_frozen_a_stray_build_id_is_not_shown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "build-id").write_text("old 2020-01-01\n", encoding="utf-8")
    monkeypatch.setattr(kiosk.build_info, "files", lambda _package: tmp_path)
    assert kiosk.build_info.build_label() == metadata.version("line-kiosk")


LONG_BUILD_ID = "1a2b3c4d5e+ 2026-12-07"  # a dirty build's longer commit id


@pytest.fixture(params=[("en", "Version"), ("id", "Versi")], ids=["en", "id"])
def frozen_window(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    qapp: QApplication,
    *,
    site: Site,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[tuple[MainWindow, str]]:
    """The window of a frozen build with a long build id, in each language; its word for
    "Version" with it."""
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "build-id").write_text(LONG_BUILD_ID + "\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(kiosk.build_info, "files", lambda _package: tmp_path)
    language, word = request.param
    install_translations(qapp, language_locale(language))
    window = open_window(qtbot, qapp, site)
    yield window, word
    close_window(qtbot, window)


def test_a_long_build_id_is_shown_whole_beside_the_longest_states(
    frozen_window: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    """Support reads the whole build off the strip at 1280x800, in either language, beside
    the longest sync state and a printer error in the same row."""
    window, word = frozen_window
    window.health.set_sync(SyncStatus(ONLINE, 1234, None, None, held="KIOSK-CUT-L02"), None)
    window.health.set_printer("error")
    qtbot.wait(40)
    shown = window.health.version
    expected = f"{word} {metadata.version('line-kiosk')} (build {LONG_BUILD_ID})"
    assert shown.text() == expected
    needed = shown.fontMetrics().horizontalAdvance(expected)
    assert needed <= shown.contentsRect().width(), (needed, shown.contentsRect().width())
    place = QRect(shown.mapTo(window, QPoint(0, 0)), shown.size())
    assert QRect(0, 0, 1280, 800).contains(place)
    assert (window.width(), window.height()) == (1280, 800)
    assert clipped_texts(window) == []
