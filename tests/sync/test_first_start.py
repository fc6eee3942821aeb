"""A newly enrolled kiosk's first start against a real server: the download, then the login."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import KioskStartup, StartPlan
from kiosk.settings import load_settings
from kiosk.ui.screens.bootstrap import BootstrapScreen
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer

WAIT_MS = 30_000  # the whole line's data comes down on a shared machine


def test_a_new_kiosk_downloads_its_line_on_the_first_start_screen_then_shows_the_login(  # noqa: PLR0917  (fixtures)
    qtbot: QtBot,
    qapp: Any,
    central: CentralDatabase,
    server: ThreadServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the window installs its own
    node = KioskNode(tmp_path / "sew", server.url, central.enrolment_code(line="SEW-L03"))
    assert node.store.state().bootstrapped_at is None  # enrolled, nothing downloaded yet
    startup = KioskStartup(
        qapp,
        load_settings(
            command_line={
                "data_dir": node.folder,
                "secret_store": "file",
                "windowed": True,
                "sounds": False,
                "sync_interval_seconds": "0.2",
                "sync_max_backoff_seconds": "1",
            }
        ),
        node.clock,
        StartPlan(demo=False, reset=False, smoke=False, desktop=False, scratch=tmp_path),
        started=time.perf_counter(),
    )
    shown: list[BootstrapScreen] = []
    try:
        startup.begin()
        qtbot.waitUntil(
            lambda: startup.bootstrap_screen is not None or startup.window is not None,
            timeout=WAIT_MS,
        )
        if startup.bootstrap_screen is not None:
            shown.append(startup.bootstrap_screen)
        qtbot.waitUntil(lambda: startup.window is not None, timeout=WAIT_MS)
        window = startup.window
        assert window is not None
        qtbot.waitUntil(window.isVisible, timeout=WAIT_MS)
        assert window.current_screen() is window.login_screen
        # The roster is read on the worker thread after the login screen is up.
        qtbot.waitUntil(lambda: "E2001" in window.login_screen.tiles, timeout=WAIT_MS)
        assert startup.bootstrap_screen is None
        assert node.store.state().bootstrapped_at is not None
        assert startup.error is None
    finally:
        startup.finish(0)
        if startup.window is not None:
            startup.window.deleteLater()
        qtbot.wait(1)
        node.close()
    assert len(shown) == 1  # the first-download screen came first
