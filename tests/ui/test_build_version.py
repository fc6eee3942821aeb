"""The health strip says which build runs: the first thing support asks on the phone."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import kiosk.build_info
from kiosk.ui.widgets.health_strip import HealthStrip
from tests.ui.driver import KioskDriver


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
