"""A two-part message and the two ways its words are marked for translation."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


@dataclass(frozen=True)
class Message:
    text: str
    hint: str


def translated(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


def N_(text: str) -> str:
    """Mark a string for translation where it is defined; `translated` turns it where used."""
    return str(QT_TRANSLATE_NOOP("Messages", text))
