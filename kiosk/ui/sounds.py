"""The success and error tones: an operator hears the outcome of a scan without looking.

PySide6-Essentials has no QtMultimedia, so the tones are played by the system's
command-line player when there is one (aplay, paplay, pw-play), detached so the
GUI never waits; without one, the X bell.
"""

from __future__ import annotations

import logging
import shutil
from enum import StrEnum

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication

from kiosk.ui.application import resources_dir

log = logging.getLogger(__name__)

_PLAYERS = ("aplay", "paplay", "pw-play")


class Tone(StrEnum):
    SUCCESS = "success"
    ERROR = "error"


class Sounds:
    """Plays tones; remembers the last ones so a test (and the log) can tell what was heard."""

    def __init__(self, *, enabled: bool = True, player: str | None = None) -> None:
        self.enabled = enabled
        self.player = player if player is not None else _find_player()
        self.played: list[Tone] = []

    @property
    def backend(self) -> str:
        if not self.enabled:
            return "off"
        return self.player or "bell"

    def success(self) -> None:
        self.play(Tone.SUCCESS)

    def error(self) -> None:
        self.play(Tone.ERROR)

    def play(self, tone: Tone) -> None:
        self.played.append(tone)
        del self.played[:-20]
        if not self.enabled:
            return
        if self.player:
            path = resources_dir() / "sounds" / f"{tone.value}.wav"
            arguments = ["-q", str(path)] if self.player.endswith("aplay") else [str(path)]
            started, _pid = QProcess.startDetached(self.player, arguments)
            if started:
                return
            log.warning("cannot start %s; falling back to the bell", self.player)
            self.player = ""
        QApplication.beep()


def _find_player() -> str:
    for name in _PLAYERS:
        found = shutil.which(name)
        if found:
            return found
    return ""
