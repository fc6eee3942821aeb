"""Success and error feedback: a symbol, a sentence, and what to do next, in a fixed place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRect, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.widgets.elided_label import ElidedLabel
from kiosk.ui.widgets.style import set_style_property

SUCCESS = "success"
ERROR = "error"
WARNING = "warning"
INFO = "info"

_SYMBOLS = {SUCCESS: "✔", ERROR: "✖", WARNING: "⚠", INFO: "ℹ"}
_SUCCESS_VISIBLE_MS = 6000
# The room a message has, shown or not: a headline and a hint of up to two lines. A
# message never takes more, so nothing below it moves when it appears or goes.
MESSAGE_AREA_HEIGHT = 88
# Smaller type for a long message, step by step (kiosk.qss: #bannerText[fit="1"]...).
_FIT_STEPS = ("0", "1", "2")
# A message's words made again in the language now installed: (headline, hint).
Words = Callable[[], tuple[str, str]]


class Banner(QFrame):
    """A message in the screen's reserved message area; errors stay until tapped or replaced.

    Its height is fixed and its room is kept while it is hidden, so it never pushes the
    screen's controls. With an `anchor` it floats instead (in no layout) over the rectangle
    the anchor gives when shown: the idle countdown covers the screen's own message area.

    A message shown with `words` is made again when the language is switched while it is on
    screen (a text filled from a template cannot be looked up by its source, as
    kiosk.ui.language does for fixed texts).
    """

    dismissed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, anchor: Callable[[], QRect] | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._anchor = anchor
        self.setFixedHeight(MESSAGE_AREA_HEIGHT)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)  # long words never widen it
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self._row = layout
        self.symbol = QLabel(self)
        self.symbol.setObjectName("bannerText")
        layout.addWidget(self.symbol)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.text = QLabel(self)
        self.text.setObjectName("bannerText")
        self.text.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("bannerHint")
        self.hint.setWordWrap(True)
        for label in (self.text, self.hint):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        texts.addStretch(1)
        texts.addWidget(self.text)
        texts.addWidget(self.hint)
        texts.addStretch(1)
        layout.addLayout(texts, 1)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.clear)
        self.kind = ""
        self._words: Words | None = None
        # Set where no one may be there to read a message: none stays longer than this.
        self.longest_visible_ms: int | None = None
        self.hide()

    def show_message(
        self,
        kind: str,
        text: str,
        hint: str = "",
        *,
        visible_ms: int | None = None,
        words: Words | None = None,
    ) -> None:
        """Show a message; a success goes by itself after a while, or any after `visible_ms`.
        `words` makes the message again in another language (see the class)."""
        self.kind = kind
        self._words = words
        set_style_property(self, "kind", kind)
        self.symbol.setText(_SYMBOLS[kind])
        self.text.setText(text)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        if self._anchor is not None:
            self.setGeometry(self._anchor())
        self._fit_text()
        self.show()
        if self._anchor is not None:
            self.raise_()
        if visible_ms is None and kind == SUCCESS:
            visible_ms = _SUCCESS_VISIBLE_MS
        if self.longest_visible_ms is not None:
            visible_ms = min(visible_ms or self.longest_visible_ms, self.longest_visible_ms)
        if visible_ms is not None:
            self._hide_timer.start(visible_ms)
        else:
            self._hide_timer.stop()

    def show_whole_on_tap(self, label: ElidedLabel, visible_ms: int) -> None:
        """A tap on `label`, cut, shows its text whole here for a while (in the new language
        if the language is switched meanwhile and the label's text with it)."""

        def words() -> tuple[str, str]:
            return label.text(), ""

        def show(_text: str) -> None:
            self.show_message(INFO, *words(), visible_ms=visible_ms, words=words)

        label.full_text_requested.connect(show)

    def clear(self) -> None:
        self._hide_timer.stop()
        self._words = None
        if not self.kind and self.isHidden():
            return  # cleared already: every login and logout clears every screen's banner
        self.kind = ""
        self.text.clear()
        self.hint.clear()
        self.setToolTip("")
        self.hide()

    def message(self) -> str:
        """The text shown now, headline and hint (empty when hidden)."""
        if self.isHidden():
            return ""
        return f"{self.text.text()} {self.hint.text()}".strip()

    def is_cut(self) -> bool:
        """The message needs more room than the area has, even in the smallest type."""
        return self._text_height() > self._text_room()

    def _fit_text(self) -> None:
        """The largest type in which the message fits the fixed area (a long one gets smaller)."""
        for step in _FIT_STEPS:
            for label in (self.text, self.hint, self.symbol):
                set_style_property(label, "fit", step)
            if self._text_height() <= self._text_room():
                break
        # Past the smallest type the end is cut: the tooltip (a desktop's mouse) has it all.
        self.setToolTip(self.message_text() if self.is_cut() else "")

    def message_text(self) -> str:
        return f"{self.text.text()}\n{self.hint.text()}".strip()

    def _text_width(self) -> int:
        margins = self._row.contentsMargins()
        frame = self.contentsRect().width() - margins.left() - margins.right()
        return max(frame - self.symbol.sizeHint().width() - self._row.spacing(), 1)

    def _text_height(self) -> int:
        width = self._text_width()
        height = self.text.heightForWidth(width)
        if self.hint.text():
            height += 2 + self.hint.heightForWidth(width)
        return height

    def _text_room(self) -> int:
        margins = self._row.contentsMargins()
        return self.contentsRect().height() - margins.top() - margins.bottom()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.kind:
            self._fit_text()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and self._words is not None:
            # After the event has reached every widget: `words` may read another one's text.
            QTimer.singleShot(0, self, self._say_again)

    def _say_again(self) -> None:
        if not self.kind or self._words is None:
            return
        text, hint = self._words()
        self.text.setText(text)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self._fit_text()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clear()
        self.dismissed.emit()
        super().mousePressEvent(event)
