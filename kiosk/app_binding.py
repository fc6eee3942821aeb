"""Which line a start serves and the sync it runs with, or why it cannot start.

Split from kiosk.app (the composition root): the checks between the settings, the
enrolment remembered in the database and the line asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.domain.clock import Clock
from kiosk.services.site import all_lines
from kiosk.settings import Settings
from kiosk.store.database import Database
from kiosk.store.secrets import SecretStore
from kiosk.ui.sync_relay import SyncRelay

if TYPE_CHECKING:
    from kiosk.sync.runtime import SyncRuntime


class StartupError(Exception):
    """The kiosk cannot start as configured; the message says what to change."""


def sync_for(
    settings: Settings,
    database: Database,
    database_path: Path,
    *,
    secrets: SecretStore,
    clock: Clock,
    relay: SyncRelay,
) -> SyncRuntime | None:
    """The kiosk's sync, reporting to the screens; None when it is not enrolled."""
    # HTTP and the sync machinery load only on a kiosk that syncs.
    from kiosk.sync.runtime import SyncSetupError, build_sync  # noqa: PLC0415

    try:
        return build_sync(
            settings,
            database,
            database_path,
            secrets,
            clock,
            on_status=relay.report_status,
            on_round=relay.report_round,
        )
    except SyncSetupError as error:
        raise StartupError(str(error)) from error


def bound_line(
    settings: Settings, sync: SyncRuntime | None, line_code: str, *, desktop: bool
) -> tuple[str, bool]:
    """The line this kiosk serves: the setting, or the one it was enrolled for."""
    if sync is None:
        if desktop:
            raise StartupError(
                "A desktop is enrolled with the server for a department: ask an admin for a "
                "desktop code (server-sync enrol-code --department SEW), then kiosk enrol CODE."
            )
        if not line_code:
            raise StartupError(
                "This kiosk is not bound to a line. Start it with --line CODE, set "
                "KIOSK_LINE, or try the demo with --demo."
            )
        return line_code, False
    state = sync.state
    if state.device_kind == "desktop":
        return "", True
    if desktop:
        raise StartupError(f"This kiosk is enrolled for line {state.line_code}, not as a desktop.")
    enrolled = state.line_code or ""
    if line_code and enrolled and line_code.strip().upper() != enrolled:
        raise StartupError(
            f"This kiosk is enrolled for line {enrolled}, not {line_code}: "
            "remove the line setting, or enrol it again for the other line."
        )
    return enrolled, False


def desktop_home_line(database: Database, sync: SyncRuntime) -> str:
    """A desktop serves a department: its services are anchored on the department's first line."""
    department = sync.state.department
    codes = [line.code for line in all_lines(database) if line.department == department]
    if not codes:
        raise StartupError(f"The server sent no line of department {department}.")
    return codes[0]
