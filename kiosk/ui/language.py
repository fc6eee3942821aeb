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

    def sources_of(self, shown: str, widget: QWidget) -> list[Source]:
        """Where a text on `widget` may have come from, likeliest first: of the widget's own
        class or of a widget it sits in (tr() names its class as the context), the nearest
        first, and of those the most derived class first. PySide's tr() asks under every
        class of the object's MRO while no translation answers, so an English text is known
        under Screen and QWidget as well as under SettingsScreen."""
        candidates = self.sources.get(shown)
        if not candidates:
            return []
        ranked: list[Source] = []
        holder: QWidget | None = widget
        while holder is not None:
            for kind in type(holder).__mro__:
                ranked += [c for c in candidates if c[0] == kind.__name__ and c not in ranked]
            holder = holder.parentWidget()
        return ranked + [c for c in candidates if c not in ranked]


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
    """`shown` from the first of its sources the installed language translates; none does
    (English, the sources' own language): the source text."""
    sources = before.sources_of(shown, widget) if shown else []
    if not sources:
        return 0
    again = sources[0][1]
    for context, text, disambiguation in sources:
        translated = QCoreApplication.translate(context, text, disambiguation)
        if translated != text:
            again = translated
            break
    if again == shown:
        return 0
    put(again)
    return 1
