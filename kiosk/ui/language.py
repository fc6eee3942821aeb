"""The screens' language, switched while the kiosk runs: the site's, or the operator's own.

Screens set their fixed texts once, when they are built, through tr(). Rather than build
the window again, the translator remembers which source text each text it handed out came
from; a switch installs the new language and sets every fixed text on screen again from its
source. A text filled from a template ("{name}, type your PIN") is set again by its screen
the next time the screen shows it: the switch comes at login and logout, before the next
screen is shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

log = logging.getLogger(__name__)

Source = tuple[str, str, str | None]  # context, source text, disambiguation


class ScreenTranslator(QTranslator):
    """Our translation (None: the English sources), remembering where each text came from."""

    def __init__(self, parent: QObject, translation: QTranslator | None, locale: QLocale) -> None:
        super().__init__(parent)
        self.setObjectName(SCREEN_TRANSLATOR)
        self._translation = translation
        self.locale = locale
        self.sources: dict[str, list[Source]] = {}

    def translate(
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        text = None
        if self._translation is not None:
            text = self._translation.translate(context, source_text, disambiguation, n) or None
        shown = text or source_text
        known = self.sources.setdefault(shown, [])
        if (context, source_text, disambiguation) not in known:
            known.append((context, source_text, disambiguation))
        return text  # None: Qt asks the next translator, then shows the source

    def isEmpty(self) -> bool:
        return False

    def source_of(self, shown: str, widget: QWidget) -> Source | None:
        """Where a text on `widget` came from; of several, the one of the widget's own class or
        of a widget it sits in (tr() names its class as the context)."""
        candidates = self.sources.get(shown)
        if not candidates:
            return None
        if len(candidates) > 1:
            classes: set[str] = set()
            holder: QWidget | None = widget
            while holder is not None:
                classes.update(kind.__name__ for kind in type(holder).__mro__)
                holder = holder.parentWidget()
            for candidate in candidates:
                if candidate[0] in classes:
                    return candidate
        return candidates[0]


SCREEN_TRANSLATOR = "kioskScreenTranslator"


def current_translator(app: QCoreApplication) -> ScreenTranslator | None:
    found = app.findChildren(ScreenTranslator, SCREEN_TRANSLATOR)
    alive = [translator for translator in found if translator.property("installed")]
    return alive[-1] if alive else None


def install_screen_translator(
    app: QCoreApplication, translation: QTranslator | None, locale: QLocale
) -> None:
    """Put `translation` in place of the screens' current one and set the shown texts again."""
    before = current_translator(app)
    translator = ScreenTranslator(app, translation, locale)
    if translation is not None:
        translation.setParent(translator)
    if before is not None:
        app.removeTranslator(before)
        before.setProperty("installed", False)
        before.deleteLater()
    app.installTranslator(translator)
    translator.setProperty("installed", True)
    if before is not None and isinstance(app, QApplication):
        changed = retranslate_widgets(before)
        log.info("screens in %s: %d texts set again", locale.name(), changed)


def retranslate_widgets(before: ScreenTranslator) -> int:
    """Every fixed text on every window, from its source in the language now installed."""
    changed = 0
    for window in QApplication.topLevelWidgets():
        for widget in (window, *window.findChildren(QWidget)):
            if isinstance(widget, QLabel | QAbstractButton):
                changed += _again(before, widget, widget.text(), widget.setText)
            elif isinstance(widget, QLineEdit):
                changed += _again(
                    before, widget, widget.placeholderText(), widget.setPlaceholderText
                )
            if widget.toolTip():
                changed += _again(before, widget, widget.toolTip(), widget.setToolTip)
            if widget.isWindow() and widget.windowTitle():
                changed += _again(before, widget, widget.windowTitle(), widget.setWindowTitle)
    return changed


def _again(
    before: ScreenTranslator, widget: QWidget, shown: str, put: Callable[[str], None]
) -> int:
    source = before.source_of(shown, widget) if shown else None
    if source is None:
        return 0
    context, text, disambiguation = source
    again = QCoreApplication.translate(context, text, disambiguation)
    if again == shown:
        return 0
    put(again)
    return 1
