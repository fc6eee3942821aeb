"""A real MainWindow on the demo site copy, off-screen, with service calls run in place."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import services_for
from kiosk.settings import load_settings
from kiosk.ui.application import apply_style
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.tasks import ImmediateTaskRunner
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver


@pytest.fixture
def kiosk(qtbot: QtBot, qapp: object, site: Site) -> Iterator[KioskDriver]:
    apply_style(qapp)  # type: ignore[arg-type]
    services = services_for(
        load_settings(),
        site.database,
        site.clock,
        "CUT-L02",
        site.badge_key,
        site_keys=site.site_keys,
    )
    window = MainWindow(services, ImmediateTaskRunner(), TimeFormatter("UTC"))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.start()
    window.show()
    qtbot.waitExposed(window)
    yield KioskDriver(window, qtbot)
    window.close()
    window.deleteLater()  # a window left alive is re-polished and re-filtered by every later test
    qtbot.wait(1)
