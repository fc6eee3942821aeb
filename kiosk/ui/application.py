"""The QApplication: style sheet, translations, and the last-resort error handler."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def resources_dir() -> Path:
    """`kiosk/resources`, package data: style sheet, sounds, translations."""
    return Path(str(files("kiosk") / "resources"))


def create_application(argv: list[str], *, language: str = "") -> QApplication:
    """`language` (en, id) is the admin's choice on the Settings screen; empty: the system's."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("Line kiosk")
    app.setOrganizationName("line-kiosk")
    apply_style(app)
    install_translations(app, QLocale(language) if language else QLocale.system())
    return app


def apply_style(app: QApplication) -> None:
    style_file = resources_dir() / "kiosk.qss"
    try:
        style = style_file.read_text(encoding="utf-8")
    except OSError:
        log.warning("style sheet %s not found; running unstyled", style_file)
        return
    if app.styleSheet() != style:  # setting it again re-polishes every widget there is
        app.setStyleSheet(style)


def install_translations(app: QApplication, locale: QLocale) -> None:
    """Qt's own strings and ours (kiosk/resources/translations/kiosk_<lang>.qm) when present."""
    translators = []
    qt_translator = QTranslator(app)
    if qt_translator.load(
        locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        translators.append(qt_translator)
    ours = QTranslator(app)
    if ours.load(locale, "kiosk", "_", str(resources_dir() / "translations")):
        translators.append(ours)
    for translator in translators:
        app.installTranslator(translator)


def install_excepthook(on_error: Callable[[BaseException], None]) -> None:
    """An exception escaping a Qt slot is logged and shown, not silently printed."""

    def hook(
        kind: type[BaseException], error: BaseException, traceback: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        on_error(error.with_traceback(traceback))

    sys.excepthook = hook
