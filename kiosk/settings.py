"""All settings in one place; each from the command line, `KIOSK_<NAME>`, the TOML file, or default.

Command line beats environment beats file beats default. Every effective value
remembers where it came from, so the admin screen can show it. Secrets never
live here: they go to the keyring.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

APP_NAME = "line-kiosk"
ENV_PREFIX = "KIOSK_"
CONFIG_FILE_NAME = "kiosk.toml"
# The settings an admin changed on the kiosk's own Settings screen, beside its database.
KIOSK_OVERRIDES_FILE_NAME = "kiosk-settings.toml"

RFID_PROTOCOLS = ("rdm6300", "ascii")
PRINTER_MODES = ("pdf", "system")
LANGUAGES = ("", "en", "id")  # "": the system's language

SOURCE_DEFAULT = "default"
SOURCE_COMMAND_LINE = "command line"
SOURCE_KIOSK = "set at the kiosk"


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class Settings:
    """The effective settings of one kiosk run."""

    data_dir: Path = field(
        default=Path(platformdirs.user_data_dir(APP_NAME)),
        metadata=_doc("Folder of the local database."),
    )
    log_dir: Path = field(
        default=Path(platformdirs.user_data_dir(APP_NAME)) / "logs",
        metadata=_doc("Folder of the rotating logs and crash.log (default: logs/ in data_dir)."),
    )
    line: str = field(default="", metadata=_doc("Code of the line this kiosk is bound to."))
    windowed: bool = field(
        default=False, metadata=_doc("Run in a window instead of full screen (development).")
    )
    idle_logout_seconds: float = field(
        default=120.0, metadata=_doc("Idle time before automatic logout; 0 never logs out.")
    )
    idle_warning_seconds: float = field(
        default=10.0, metadata=_doc("Seconds of visible countdown before the idle logout.")
    )
    pin_max_attempts: int = field(
        default=5, metadata=_doc("Wrong PINs in a row that lock an account.")
    )
    pin_lockout_minutes: float = field(
        default=30.0, metadata=_doc("How long a locked account stays locked.")
    )
    overrun_tolerance_percent: float = field(
        default=5.0, metadata=_doc("Good pieces allowed above a work order's target, in percent.")
    )
    max_entry_quantity: int = field(
        default=100_000, metadata=_doc("Largest quantity one entry may record.")
    )
    site_timezone: str = field(
        default="",
        metadata=_doc(
            "IANA zone times are shown in while the site's server names none "
            "(its site_time_zone wins); empty uses the system's."
        ),
    )
    log_level: str = field(default="INFO", metadata=_doc("DEBUG, INFO, WARNING or ERROR."))
    # -------------------------------------------------------------- input devices
    rfid_port: str = field(
        default="",
        metadata=_doc("Serial port of the badge reader (e.g. /dev/ttyUSB0); empty: none."),
    )
    rfid_baud: int = field(default=9600, metadata=_doc("Baud rate of the badge reader."))
    rfid_protocol: str = field(
        default="rdm6300",
        metadata=_doc(
            "Badge reader framing: rdm6300 (STX, 10 hex, 2 hex XOR, ETX) or ascii lines."
        ),
    )
    rfid_retry_seconds: float = field(
        default=2.0, metadata=_doc("Seconds between attempts to reopen an unplugged badge reader.")
    )
    badge_hold_seconds: float = field(
        default=1.0,
        metadata=_doc("The same badge read again within this time is the same tap, not a new one."),
    )
    scanner_key_gap_ms: float = field(
        default=40.0,
        metadata=_doc(
            "Keys closer than this (ms) belong to one scanner burst; people type slower. "
            "One key up to three times as late is forgiven inside a quick burst."
        ),
    )
    scanner_min_length: int = field(
        default=4, metadata=_doc("Shortest burst taken as a scan (before Enter or Tab).")
    )
    scanner_prefix: str = field(
        default="", metadata=_doc("Text the scanner sends before each code; stripped.")
    )
    scanner_suffix: str = field(
        default="", metadata=_doc("Text the scanner sends after each code; stripped.")
    )
    scan_repeat_seconds: float = field(
        default=1.0,
        metadata=_doc("The same code scanned again within this time is dropped as a double read."),
    )
    camera: str = field(
        default="", metadata=_doc("Camera index (0, 1, ...) or device path; empty: no camera.")
    )
    camera_width: int = field(default=1280, metadata=_doc("Camera frame width in pixels."))
    camera_height: int = field(default=720, metadata=_doc("Camera frame height in pixels."))
    camera_retry_seconds: float = field(
        default=3.0, metadata=_doc("Seconds between attempts to reopen an unplugged camera.")
    )
    sounds: bool = field(default=True, metadata=_doc("Play the success and error tones."))
    language: str = field(
        default="",
        metadata=_doc("Language of the screens: en, id (Bahasa Indonesia); empty: the system's."),
    )
    printer: str = field(
        default="pdf",
        metadata=_doc("Where slips and kanban cards print: pdf (files in slip_dir) or system."),
    )
    printer_name: str = field(
        default="", metadata=_doc("System printer to use; empty: the default printer.")
    )
    slip_dir: Path = field(
        default=Path(""), metadata=_doc("Folder of printed PDFs; empty: slips/ in data_dir.")
    )
    secret_store: str = field(
        default="keyring",
        metadata=_doc(
            "Where this kiosk's slip-signing key is kept: keyring, or file (0600 beside the "
            "database)."
        ),
    )
    slip_max_age_days: float = field(
        default=7.0,
        metadata=_doc("A slip printed longer ago than this is refused; the sender reprints it."),
    )
    occupancy_stale_minutes: float = field(
        default=30.0,
        metadata=_doc("Another line's occupancy older than this only warns; it does not block."),
    )
    max_batch_quantity: int = field(
        default=20_000, metadata=_doc("Largest plausible batch in one handoff or count.")
    )
    # -------------------------------------------------------------- sync
    server_url: str = field(
        default="",
        metadata=_doc(
            "URL of server_sync (e.g. https://sync.factory.lan:8400); empty: no sync. "
            "http:// only to this computer (127.0.0.1, ::1, localhost)."
        ),
    )
    server_ca_file: Path = field(
        default=Path(""),
        metadata=_doc(
            "CA certificate(s) (PEM) the server's certificate must be signed by; empty: the "
            "certificate seen at enrolment is pinned by its SHA-256."
        ),
    )
    sync_interval_seconds: float = field(
        default=2.0, metadata=_doc("Seconds between sync rounds while all is well.")
    )
    sync_max_backoff_seconds: float = field(
        default=60.0, metadata=_doc("Longest wait between tries while the server is unreachable.")
    )
    sync_batch_size: int = field(
        default=1000, metadata=_doc("Events pushed per request (the server takes up to 1000).")
    )
    sync_retention_days: float = field(
        default=14.0,
        metadata=_doc("Days answered events are kept, to refill a central database restored."),
    )
    sync_timeout_seconds: float = field(
        default=15.0, metadata=_doc("How long one request to the server may take.")
    )

    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def server_ca_path(self) -> Path | None:
        """The CA file the server is verified against, or None (pinned at enrolment)."""
        return None if str(self.server_ca_file) in {"", "."} else self.server_ca_file

    def source_of(self, name: str) -> str:
        return self.sources.get(name, SOURCE_DEFAULT)

    def rows(self) -> list[tuple[str, str, str]]:
        """(name, effective value, source) for every setting, for the admin screen."""
        return [(name, str(getattr(self, name)), self.source_of(name)) for name in setting_names()]


class SettingsError(Exception):
    """A setting has a value that cannot be used; the message names where it came from."""


def setting_names() -> list[str]:
    return [f.name for f in dataclasses.fields(Settings) if f.name != "sources"]


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE_NAME


def load_settings(
    command_line: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
    *,
    demo: bool = False,
) -> Settings:
    """Merge the four sources; values given as None on the command line are 'not given'.

    `demo`: the demo never talks to a server, so a plain-http server_url is let be.
    """
    environ = os.environ if environ is None else environ
    if config_file is None:
        config_file = (
            Path(environ[f"{ENV_PREFIX}CONFIG"])
            if f"{ENV_PREFIX}CONFIG" in environ
            else default_config_file()
        )
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, raw in _read_file(config_file).items():
        values[name] = _convert(name, raw, f"file {config_file}")
        sources[name] = f"file {config_file}"
    for name in setting_names():
        env_name = f"{ENV_PREFIX}{name.upper()}"
        if env_name in environ:
            values[name] = _convert(name, environ[env_name], f"environment {env_name}")
            sources[name] = f"environment {env_name}"
    given: dict[str, Any] = {}
    for name, raw in (command_line or {}).items():
        if raw is None:
            continue
        if name not in setting_names():
            raise SettingsError(f"unknown setting {name!r} on the command line")
        given[name] = _convert(name, raw, SOURCE_COMMAND_LINE)
    # The admin's changes at the kiosk beat the file and the environment, not the command line.
    data_dir = Path(given.get("data_dir", values.get("data_dir", Settings.data_dir)))
    overrides = data_dir / KIOSK_OVERRIDES_FILE_NAME
    for name, raw in _read_file(overrides, allowed=KIOSK_SETTINGS).items():
        values[name] = _convert(name, raw, f"{SOURCE_KIOSK} ({overrides})")
        sources[name] = SOURCE_KIOSK
    values.update(given)
    sources.update(dict.fromkeys(given, SOURCE_COMMAND_LINE))
    if "log_dir" not in values:  # the logs live with the data they are about
        values["log_dir"] = data_dir / "logs"
    settings = Settings(**values, sources=sources)
    _validate(settings, demo=demo)
    return settings


# What an admin may change on the kiosk's Settings screen: devices, sounds and language.
# Secrets, the server's address and the line stay out of it.
KIOSK_SETTINGS = (
    "rfid_port",
    "rfid_protocol",
    "camera",
    "printer",
    "printer_name",
    "sounds",
    "language",
)


def kiosk_overrides_path(data_dir: Path) -> Path:
    """The file of the admin's changes made at the kiosk (beside its database)."""
    return data_dir / KIOSK_OVERRIDES_FILE_NAME


def _read_file(path: Path, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"cannot read settings file {path}: {error}") from error
    unknown = sorted(set(data) - set(setting_names() if allowed is None else allowed))
    if unknown:
        raise SettingsError(f"unknown setting(s) {', '.join(unknown)} in {path}")
    return data


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _convert(name: str, raw: Any, source: str) -> Any:
    kind = {f.name: f.type for f in dataclasses.fields(Settings)}[name]
    try:
        if kind == "Path":
            return Path(str(raw)).expanduser()
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError("expected true or false")
        if kind == "int":
            if isinstance(raw, bool):
                raise ValueError("expected a whole number")
            return int(raw)
        if kind == "float":
            return float(raw)
        return str(raw)
    except (TypeError, ValueError) as error:
        raise SettingsError(
            f"setting {name} from {source}: {raw!r} is not valid ({error})"
        ) from None


_NOT_NEGATIVE = (
    "idle_logout_seconds",
    "idle_warning_seconds",
    "overrun_tolerance_percent",
    "rfid_retry_seconds",
    "badge_hold_seconds",
    "scanner_key_gap_ms",
    "scan_repeat_seconds",
    "camera_retry_seconds",
    "occupancy_stale_minutes",
    "sync_retention_days",
)
_AT_LEAST_ONE = (
    "pin_max_attempts",
    "max_entry_quantity",
    "rfid_baud",
    "scanner_min_length",
    "max_batch_quantity",
    "sync_batch_size",
)


LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: traffic that never leaves this computer."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plain_http_refusal(url: str) -> str | None:
    """Why this server URL may not be used, or None: tokens, keys and PIN hashes travel on it,
    so plain http:// is only for a server on this same computer."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "http":
        return None
    if is_loopback_host(parts.hostname or ""):
        return None
    return (
        f"server_url {url} is plain http://: the device token and keys would cross the network "
        "unencrypted. Use https:// (http:// only to 127.0.0.1, ::1 or localhost)"
    )


def _server_problems(settings: Settings, *, demo: bool) -> list[str]:
    problems: list[str] = []
    if settings.server_url and not settings.server_url.startswith(("http://", "https://")):
        problems.append("server_url must start with http:// or https://")
    elif settings.server_url and not demo:
        refusal = plain_http_refusal(settings.server_url)
        if refusal is not None:
            problems.append(refusal)
    ca_file = settings.server_ca_path
    if ca_file is not None and not ca_file.is_file():
        problems.append(f"server_ca_file {ca_file} is not a file")
    return problems


def _validate(settings: Settings, *, demo: bool = False) -> None:
    problems = [
        f"{name} cannot be negative" for name in _NOT_NEGATIVE if getattr(settings, name) < 0
    ]
    problems += [
        f"{name} must be at least 1" for name in _AT_LEAST_ONE if getattr(settings, name) < 1
    ]
    if settings.pin_lockout_minutes <= 0:
        problems.append("pin_lockout_minutes must be positive")
    if settings.slip_max_age_days <= 0:
        problems.append("slip_max_age_days must be positive")
    if settings.rfid_protocol not in RFID_PROTOCOLS:
        problems.append("rfid_protocol must be rdm6300 or ascii")
    if settings.language not in LANGUAGES:
        problems.append("language must be en, id or empty (the system's)")
    if settings.camera_width < 160 or settings.camera_height < 120:
        problems.append("camera_width and camera_height must be at least 160 x 120")
    if settings.printer not in PRINTER_MODES:
        problems.append("printer must be pdf or system")
    if settings.secret_store not in {"keyring", "file"}:
        problems.append("secret_store must be keyring or file")
    if settings.sync_interval_seconds <= 0 or settings.sync_timeout_seconds <= 0:
        problems.append("sync_interval_seconds and sync_timeout_seconds must be positive")
    if settings.sync_max_backoff_seconds < 1:
        problems.append("sync_max_backoff_seconds must be at least 1")
    problems += _server_problems(settings, demo=demo)
    if settings.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        problems.append("log_level must be DEBUG, INFO, WARNING or ERROR")
    if problems:
        details = "; ".join(
            f"{problem} (from {settings.source_of(problem.split()[0])})" for problem in problems
        )
        raise SettingsError(details)
