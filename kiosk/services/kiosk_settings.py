"""The settings an admin may change at the kiosk: devices, sounds, language.

A change is checked (a port that exists, a known protocol, a camera that is there, a
printer mode of the known set, on/off, en/id), written to the kiosk's own override file
beside its database (`kiosk-settings.toml`, read at every start above the settings file
and the environment, below the command line) and audited in the hash-chained log. A
refusal changes nothing but the audit log. No event goes to the server: no event kind
fits a kiosk's local device settings, and the audit chain reaches the server anyway.

Secrets, the server's address and the line never appear here (`KIOSK_SETTINGS`).
"""

from __future__ import annotations

import dataclasses
import glob
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.settings import (
    KIOSK_SETTINGS,
    LANGUAGES,
    PRINTER_MODES,
    RFID_PROTOCOLS,
    SOURCE_COMMAND_LINE,
    SOURCE_KIOSK,
    Settings,
    kiosk_overrides_path,
)
from kiosk.store.unit_of_work import UnitOfWork

MAX_TEXT = 200
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]*$")
_ON = {"on", "true", "yes", "1"}
_OFF = {"off", "false", "no", "0"}
# Settings the running kiosk takes only at its next start (none now: the language too is
# switched on screen at once, kiosk.ui.language).
APPLIED_AT_START: frozenset[str] = frozenset()


class SettingRefusedError(RefusalError):
    """A value that cannot be used; `problem` says why (the UI words it)."""


@dataclass(frozen=True)
class KioskSettingView:
    """One setting as the Settings screen shows it, with the values found on this computer."""

    name: str
    value: str
    source: str
    found: tuple[str, ...] = ()  # serial ports or cameras present now
    applies_now: bool = True

    @property
    def command_line_wins(self) -> bool:
        """Given on the command line: a change holds until the next start only."""
        return self.source == SOURCE_COMMAND_LINE


@dataclass(frozen=True)
class SettingChange:
    name: str
    before: str
    after: str
    applies_now: bool
    command_line_wins: bool


@dataclass(frozen=True)
class DeviceProbe:
    """What is plugged in; replaceable in tests (no hardware there)."""

    serial_ports: Callable[[], list[str]]
    cameras: Callable[[], list[str]]
    is_device: Callable[[str], bool]
    # The system's printers: Qt knows them (CUPS), so the composition root gives this one.
    printers: Callable[[], list[str]] = list


def _glob_sorted(*patterns: str) -> list[str]:
    return sorted({path for pattern in patterns for path in glob.glob(pattern)})


def is_character_device(path: str) -> bool:
    """A serial port or a camera is a character device (a pty in tests too)."""
    try:
        return stat.S_ISCHR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


SYSTEM_PROBE = DeviceProbe(
    serial_ports=lambda: _glob_sorted(
        "/dev/serial/by-id/*", "/dev/ttyUSB*", "/dev/ttyACM*", "/dev/ttyAMA*"
    ),
    cameras=lambda: [path.removeprefix("/dev/video") for path in _glob_sorted("/dev/video[0-9]*")],
    is_device=is_character_device,
)


class KioskSettingsService:
    """Reads and changes this kiosk's device, sound and language settings (admin only)."""

    def __init__(
        self, uow: UnitOfWork, settings: Settings, probe: DeviceProbe = SYSTEM_PROBE
    ) -> None:
        self._uow = uow
        self.settings = settings
        self.probe = probe

    @property
    def overrides_path(self) -> Path:
        return kiosk_overrides_path(self.settings.data_dir)

    def view(self, actor: Actor) -> list[KioskSettingView]:
        """Each changeable setting with its value, its source and what is plugged in."""
        try:
            authorize(actor, Action.SETTINGS_CHANGE)
        except RefusalError as refusal:
            self._uow.record_refusal(
                actor.audit, "settings.view", refusal, entity="screen", entity_id=None, attempted={}
            )
            raise
        found = {
            "rfid_port": self.probe.serial_ports(),
            "camera": self.probe.cameras(),
            "printer_name": self.probe.printers(),
        }
        return [
            KioskSettingView(
                name=name,
                value=_text(getattr(self.settings, name)),
                source=self.settings.source_of(name),
                found=tuple(found.get(name, ())),
                applies_now=name not in APPLIED_AT_START,
            )
            for name in KIOSK_SETTINGS
        ]

    def change(self, actor: Actor, name: str, value: str) -> SettingChange:
        """Check, store and audit one change; a refusal stores nothing and is audited."""
        with self._uow.action(actor.audit, Action.SETTINGS_CHANGE.value) as tx:
            tx.about("setting", name, value=str(value)[:MAX_TEXT])
            authorize(actor, Action.SETTINGS_CHANGE)
            if name not in KIOSK_SETTINGS:
                raise SettingRefusedError(
                    ErrorCode.SETTING_REFUSED, name=name, value=value, problem="not_here"
                )
            converted = self._checked(name, str(value))
            before = _text(getattr(self.settings, name))
            self._store(name, converted)
            tx.audit(before=before, after=_text(converted), file=str(self.overrides_path))
        command_line_wins = self.settings.source_of(name) == SOURCE_COMMAND_LINE
        sources = {**self.settings.sources}
        if not command_line_wins:
            sources[name] = SOURCE_KIOSK
        self.settings = dataclasses.replace(self.settings, **{name: converted}, sources=sources)
        return SettingChange(
            name, before, _text(converted), name not in APPLIED_AT_START, command_line_wins
        )

    # ------------------------------------------------------------------ checks
    def _checked(self, name: str, raw: str) -> Any:
        value = raw.strip()

        def refuse(problem: str) -> SettingRefusedError:
            return SettingRefusedError(
                ErrorCode.SETTING_REFUSED, name=name, value=value[:60], problem=problem
            )

        if len(value) > MAX_TEXT or not _PRINTABLE.match(value):
            raise refuse("garbage")
        if name == "rfid_port":
            if value and not self.probe.is_device(value):
                raise refuse("no_such_port")
            return value
        if name == "camera":
            path = f"/dev/video{value}" if value.isdigit() else value
            if value and not self.probe.is_device(path):
                raise refuse("no_such_camera")
            return value
        if name == "printer_name":
            if value and value not in self.probe.printers():
                raise refuse("no_such_printer")
            return value
        if name == "sounds":
            if value.lower() not in _ON | _OFF:
                raise refuse("not_on_off")
            return value.lower() in _ON
        known = {"rfid_protocol": RFID_PROTOCOLS, "printer": PRINTER_MODES, "language": LANGUAGES}
        if name in known and value not in known[name]:
            raise refuse("unknown_choice")
        return value

    def _store(self, name: str, value: Any) -> None:
        """Rewrite the override file atomically (a power cut leaves the old or the new one)."""
        path = self.overrides_path
        current = _read_overrides(path)
        current[name] = value
        text = "".join(f"{key} = {_toml_value(current[key])}\n" for key in sorted(current))
        temporary = path.with_suffix(".tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(
                "# Changed by an admin on the kiosk's Settings screen (audited).\n" + text,
                encoding="utf-8",
            )
            os.replace(temporary, path)
        except OSError as error:
            raise SettingRefusedError(
                ErrorCode.SETTING_REFUSED,
                name=name,
                value=_text(value),
                problem="not_saved",
                reason=error.strerror or str(error),
            ) from error


def _read_overrides(path: Path) -> dict[str, Any]:
    import tomllib  # noqa: PLC0415  (only when an admin changes something)

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # a broken file is replaced by the admin's values
    return {key: value for key, value in data.items() if key in KIOSK_SETTINGS}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # A JSON string is a TOML basic string (same escapes); non-ASCII stays as it is.
    return json.dumps(str(value), ensure_ascii=False)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
