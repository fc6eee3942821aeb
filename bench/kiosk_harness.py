"""The real kiosk window, off-screen, on a fresh demo site, with the real worker thread.

Shared by the input benchmarks: everything is as in production (ThreadTaskRunner,
the devices wired by `start_input_devices`), only the screen is off-screen.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from kiosk.app import load_site_keys, services_for
from kiosk.demo import ensure_demo_site
from kiosk.domain.clock import SystemClock
from kiosk.input_devices import InputDevices, start_input_devices
from kiosk.settings import load_settings
from kiosk.store.database import open_database
from kiosk.store.secrets import FileSecretStore
from kiosk.ui.application import apply_style, create_application
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.tasks import ThreadTaskRunner


@dataclass
class Harness:
    app: QApplication
    window: MainWindow
    devices: InputDevices

    def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Spin the event loop (as the real one would) until the condition holds."""
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError("the kiosk did not get there in time")
            self.app.processEvents()
            time.sleep(0.0001)

    def close(self) -> None:
        self.devices.stop()
        self.window.shut_down()


def start_kiosk(folder: Path, *, line: str = "CUT-L02", **setting_values: Any) -> Harness:
    clock = SystemClock()
    database_path = ensure_demo_site(folder, clock)
    settings = load_settings(command_line={"data_dir": str(folder), **setting_values})
    database = open_database(database_path)
    secrets = FileSecretStore.beside(database_path)
    services = services_for(
        settings,
        database,
        clock,
        line,
        secrets.badge_key(),
        site_keys=load_site_keys(secrets, database),
    )
    app = create_application(["bench"])
    apply_style(app)
    window = MainWindow(
        services,
        ThreadTaskRunner(),
        TimeFormatter("UTC"),
        scan_repeat_seconds=settings.scan_repeat_seconds,
    )
    window.resize(1280, 800)
    window.start()
    window.show()
    devices = start_input_devices(settings, window)
    harness = Harness(app, window, devices)
    harness.wait_until(lambda: bool(window.login_screen.tiles))
    return harness


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]
