"""The Settings screen's refusals: which value could not be used, and what to do instead."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.message_text import Message

# problem -> (what happened, what to do); each says that nothing was changed.
_PROBLEMS = {
    "no_such_port": (
        QT_TRANSLATE_NOOP("Messages", "There is no serial port {value} on this kiosk."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Plug the badge reader in, or choose one of the ports found. Nothing was changed.",
        ),
    ),
    "no_such_camera": (
        QT_TRANSLATE_NOOP("Messages", "There is no camera {value} on this kiosk."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Plug the camera in, or choose one of the cameras found. Nothing was changed.",
        ),
    ),
    "no_such_printer": (
        QT_TRANSLATE_NOOP("Messages", "There is no printer {value} on this kiosk."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Install the printer, or choose one of the printers found. Nothing was changed.",
        ),
    ),
    "not_here": (
        QT_TRANSLATE_NOOP("Messages", "This setting cannot be changed on the kiosk."),
        QT_TRANSLATE_NOOP(
            "Messages", "It is set when the kiosk is installed or enrolled. Nothing was changed."
        ),
    ),
    "not_saved": (
        QT_TRANSLATE_NOOP("Messages", "The setting could not be saved: {reason}."),
        QT_TRANSLATE_NOOP("Messages", "Check the kiosk's disk. Nothing was changed."),
    ),
    "garbage": (
        QT_TRANSLATE_NOOP("Messages", "This value has characters a setting cannot hold."),
        QT_TRANSLATE_NOOP("Messages", "Type it again. Nothing was changed."),
    ),
}
_NOT_A_CHOICE = (
    QT_TRANSLATE_NOOP("Messages", "{value} is not one of the choices."),
    QT_TRANSLATE_NOOP("Messages", "Tap one of the buttons. Nothing was changed."),
)


def setting_refused(f: dict[str, Any], _times: TimeFormatter) -> Message:
    """Says what was wrong with the value; nothing was changed either way."""
    text, hint = _PROBLEMS.get(str(f.get("problem")), _NOT_A_CHOICE)
    words = {"value": str(f.get("value", "")) or "?", "reason": f.get("reason", "?")}
    return Message(
        QCoreApplication.translate("Messages", str(text)).format(**words),
        QCoreApplication.translate("Messages", str(hint)).format(**words),
    )
