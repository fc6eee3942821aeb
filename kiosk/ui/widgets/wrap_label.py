"""A word-wrapped label that never breaks a code such as CUT-L02 or WO-2026-004219 at its hyphen."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel, QWidget

# A hyphen between letters or digits, as in line codes and work-order numbers.
_CODE_HYPHEN = re.compile(r"(?<=[0-9A-Za-z])-(?=[0-9A-Za-z])")
NON_BREAKING_HYPHEN = "\u2011"


def keep_codes_whole(text: str) -> str:
    """The text with each hyphen inside a word made non-breaking (drawn the same)."""
    return _CODE_HYPHEN.sub(NON_BREAKING_HYPHEN, text)


class WrapLabel(QLabel):
    """Wraps between words only; `text()` is the text as set, with its ordinary hyphens."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self._text = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._text = text
        super().setText(keep_codes_whole(text))

    def text(self) -> str:
        return self._text
