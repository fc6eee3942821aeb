"""A two-part message: what happened, then what to do.

Its words are marked where they are written, as literal `QCoreApplication.translate(
"Messages", "...")` or `QT_TRANSLATE_NOOP("Messages", "...")`, so `pyside6-lupdate` finds
every one (scripts/update-translations); a wrapper function would hide them from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    text: str
    hint: str
