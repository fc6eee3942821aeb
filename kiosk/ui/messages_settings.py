"""The Settings screen's refusals: which value could not be used, and what to do instead."""

from __future__ import annotations

from typing import Any

from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.message_text import N_, Message
from kiosk.ui.message_text import translated as _t

# problem -> (what happened, what to do); each says that nothing was changed.
_PROBLEMS = {
    "no_such_port": (
        N_("There is no serial port {value} on this kiosk."),
        N_("Plug the badge reader in, or choose one of the ports found. Nothing was changed."),
    ),
    "no_such_camera": (
        N_("There is no camera {value} on this kiosk."),
        N_("Plug the camera in, or choose one of the cameras found. Nothing was changed."),
    ),
    "no_such_printer": (
        N_("There is no printer {value} on this kiosk."),
        N_("Install the printer, or choose one of the printers found. Nothing was changed."),
    ),
    "not_here": (
        N_("This setting cannot be changed on the kiosk."),
        N_("It is set when the kiosk is installed or enrolled. Nothing was changed."),
    ),
    "not_saved": (
        N_("The setting could not be saved: {reason}."),
        N_("Check the kiosk's disk. Nothing was changed."),
    ),
    "garbage": (
        N_("This value has characters a setting cannot hold."),
        N_("Type it again. Nothing was changed."),
    ),
}
_NOT_A_CHOICE = (
    N_("{value} is not one of the choices."),
    N_("Tap one of the buttons. Nothing was changed."),
)


def setting_refused(f: dict[str, Any], _times: TimeFormatter) -> Message:
    """Says what was wrong with the value; nothing was changed either way."""
    text, hint = _PROBLEMS.get(str(f.get("problem")), _NOT_A_CHOICE)
    words = {"value": str(f.get("value", "")) or "?", "reason": f.get("reason", "?")}
    return Message(_t(text).format(**words), _t(hint).format(**words))
