"""A real MainWindow on the demo site copy, off-screen, with service calls run in place."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QLocale

from kiosk.app import services_for
from kiosk.settings import load_settings
from kiosk.ui.application import apply_style, install_translations
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.language import current_translator
from kiosk.ui.main_window import MainWindow
from kiosk.ui.tasks import ImmediateTaskRunner
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver


def open_window(
    qtbot: QtBot, qapp: object, site: Site, line: str = "CUT-L02", **window_options: Any
) -> MainWindow:
    """The real window of a kiosk on `line` of the site, shown at 1280×800, login screen up."""
    apply_style(qapp)  # type: ignore[arg-type]
    if current_translator(qapp) is None:  # type: ignore[arg-type]
        # As create_application does: the screens' texts are known by their sources.
        install_translations(qapp, QLocale(QLocale.Language.English))  # type: ignore[arg-type]
    settings = load_settings(command_line={"data_dir": str(site.path.parent)})
    services = services_for(
        settings, site.database, site.clock, line, site.badge_key, site_keys=site.site_keys
    )
    window = MainWindow(services, ImmediateTaskRunner(), TimeFormatter("UTC"), **window_options)
    # pytest-qt closes its widgets after each test: a kiosk window closes only when shut down.
    qtbot.addWidget(window, before_close_func=lambda widget: widget.shut_down())
    window.resize(1280, 800)
    window.start()
    window.show()
    qtbot.waitExposed(window)
    return window


def close_window(qtbot: QtBot, window: MainWindow) -> None:
    window.shut_down()
    window.deleteLater()  # a window left alive is re-polished and re-filtered by every later test
    qtbot.wait(1)


@pytest.fixture
def kiosk(qtbot: QtBot, qapp: object, site: Site) -> Iterator[KioskDriver]:
    window = open_window(qtbot, qapp, site)
    yield KioskDriver(window, qtbot)
    close_window(qtbot, window)


@pytest.fixture(autouse=True)
def english_again(qapp: object) -> Iterator[None]:
    """A test that switched the screens' language leaves them in English for the next."""
    yield
    translator = current_translator(qapp)  # type: ignore[arg-type]
    if translator is not None and translator.locale.language() != QLocale.Language.English:
        install_translations(qapp, QLocale(QLocale.Language.English))  # type: ignore[arg-type]
