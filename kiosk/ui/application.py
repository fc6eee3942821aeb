"""The QApplication: style sheet, translations, and the last-resort error handler."""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from kiosk.ui.language import install_screen_translator

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
    install_translations(app, language_locale(language))
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


def language_locale(language: str) -> QLocale:
    """The locale of a language setting (en, id); empty: the system's."""
    return QLocale(language) if language else QLocale.system()


def install_translations(app: QCoreApplication, locale: QLocale) -> None:
    """Qt's own strings and ours (kiosk/resources/translations/kiosk_<lang>.qm) in `locale`'s
    language, in place of the ones installed before, with the texts on screen set again
    (kiosk.ui.language); `QLocale.setDefault` makes dates and numbers follow."""
    QLocale.setDefault(locale)
    for translator in app.findChildren(QTranslator, _TRANSLATOR):
        app.removeTranslator(translator)
        translator.deleteLater()
    english = locale.language() in (QLocale.Language.English, QLocale.Language.C)
    ours = None
    if not english:  # the source texts are English
        qt_translator = QTranslator(app)
        qt_translator.setObjectName(_TRANSLATOR)
        if qt_translator.load(
            locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            app.installTranslator(qt_translator)
        ours = translation_for(locale)
    install_screen_translator(app, ours, locale)


def translation_for(locale: QLocale) -> QTranslator | None:
    """Our texts in `locale`'s language, not installed; None: English, the sources."""
    if locale.language() in (QLocale.Language.English, QLocale.Language.C):
        return None
    ours = QTranslator()
    for folder in (translations_dir(), *_compiled_dirs()):
        if ours.load(locale, "kiosk", "_", str(folder)):
            return ours
    log.warning("no translation of the screens for %s", locale.name())
    return None


_TRANSLATOR = "kioskTranslator"


def translations_dir() -> Path:
    """The .ts sources and, once built (scripts/build-translations), the .qm files."""
    return resources_dir() / "translations"


def _compiled_dirs() -> list[Path]:
    """A .ts without its .qm beside it (a wheel built from a checkout that never ran
    scripts/build-translations) compiled with PySide6's own lrelease into a folder named
    by the .ts's content, so a changed .ts is compiled again and two checkouts never mix."""
    lrelease = Path(PySide6.__file__).parent / (
        "lrelease.exe" if sys.platform == "win32" else "lrelease"
    )
    folders = []
    for source in sorted(translations_dir().glob("kiosk_*.ts")):
        if source.with_suffix(".qm").is_file():
            continue
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
        folder = Path(tempfile.gettempdir()) / "line-kiosk-translations" / digest
        compiled = folder / source.with_suffix(".qm").name
        if not compiled.is_file():
            if not lrelease.is_file():
                log.warning("%s has no .qm and there is no lrelease to build it", source.name)
                continue
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / (compiled.name + ".part")
            result = subprocess.run(
                [str(lrelease), "-silent", str(source), "-qm", str(partial)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0 or not partial.is_file():
                log.warning("could not build %s: %s", compiled.name, result.stderr.strip())
                continue
            partial.replace(compiled)
        folders.append(folder)
    return folders


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
