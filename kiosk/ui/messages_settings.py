"""The Settings screen's refusals: which value could not be used, and what to do instead."""

from __future__ import annotations

from typing import Any

from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.message_text import Message
from kiosk.ui.message_text import translated as _t


def setting_refused(f: dict[str, Any], _times: TimeFormatter) -> Message:
    """Says what was wrong with the value; nothing was changed either way."""
    value = str(f.get("value", ""))
    problem = f.get("problem")
    if problem == "no_such_port":
        return Message(
            _t("There is no serial port {value} on this kiosk.").format(value=value),
            _t("Plug the badge reader in, or choose one of the ports found. Nothing was changed."),
        )
    if problem == "no_such_camera":
        return Message(
            _t("There is no camera {value} on this kiosk.").format(value=value),
            _t("Plug the camera in, or choose one of the cameras found. Nothing was changed."),
        )
    if problem == "not_here":
        return Message(
            _t("This setting cannot be changed on the kiosk."),
            _t("It is set when the kiosk is installed or enrolled. Nothing was changed."),
        )
    if problem == "not_saved":
        return Message(
            _t("The setting could not be saved: {reason}.").format(reason=f.get("reason", "?")),
            _t("Check the kiosk's disk. Nothing was changed."),
        )
    if problem == "garbage":
        return Message(
            _t("This value has characters a setting cannot hold."),
            _t("Type it again. Nothing was changed."),
        )
    return Message(
        _t("{value} is not one of the choices.").format(value=value or "?"),
        _t("Tap one of the buttons. Nothing was changed."),
    )
