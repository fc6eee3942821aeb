"""Composition root: settings → logging → store → services → window, in that order.

Shutdown runs in reverse. `--smoke` walks the same path off-screen and exits.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from kiosk.demo import DEMO_DEFAULT_LINE, demo_database_path, ensure_demo_site, reset_demo_site
from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.errors import KnownError
from kiosk.domain.idle import IdlePolicy
from kiosk.domain.lockout import LockoutPolicy
from kiosk.domain.transfer import CountPolicy
from kiosk.domain.work_order import QuantityPolicy
from kiosk.input_devices import start_input_devices
from kiosk.logging_setup import configure_logging
from kiosk.services.boards import SettingRow
from kiosk.services.container import KioskServices, Policies, build_services
from kiosk.services.site import all_lines, site_code
from kiosk.services.transfers import SiteKeys
from kiosk.settings import Settings
from kiosk.store import migrate
from kiosk.store.database import DATABASE_FILE_NAME, Database, open_database
from kiosk.store.secrets import (
    FileSecretStore,
    KeyringSecretStore,
    SecretStore,
    SecretStoreError,
    site_key_name,
)
from kiosk.sync.status import ONLINE, SyncStatus
from kiosk.ui.application import create_application, install_excepthook
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.sounds import Sounds
from kiosk.ui.sync_relay import SyncRelay
from kiosk.ui.tasks import ImmediateTaskRunner, ThreadTaskRunner

if TYPE_CHECKING:
    from kiosk.devices.slip_printer import PrinterConfig
    from kiosk.sync.runtime import SyncRuntime

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 800)
SMOKE_MARKER = "kiosk-smoke: login screen shown"


class StartupError(Exception):
    """The kiosk cannot start as configured; the message says what to change."""


def policies_from(settings: Settings) -> Policies:
    return Policies(
        lockout=LockoutPolicy(
            max_attempts=settings.pin_max_attempts,
            lock_duration=timedelta(minutes=settings.pin_lockout_minutes),
        ),
        quantities=QuantityPolicy(
            overrun_tolerance_percent=settings.overrun_tolerance_percent,
            max_entry=settings.max_entry_quantity,
        ),
        counts=CountPolicy(max_batch=settings.max_batch_quantity),
        occupancy_stale_after=timedelta(minutes=settings.occupancy_stale_minutes),
        idle=IdlePolicy(
            timeout_seconds=settings.idle_logout_seconds,
            warning_seconds=settings.idle_warning_seconds,
        ),
    )


def services_for(
    settings: Settings,
    database: Database,
    clock: Clock,
    line_code: str,
    badge_key: bytes,
    *,
    site_keys: SiteKeys | None = None,
    sync: SyncRuntime | None = None,
    desktop: bool = False,
) -> KioskServices:
    """The kiosk's services with the policies and the settings view the settings give."""
    services = build_services(
        database,
        clock,
        line_code,
        policies_from(settings),
        settings_rows=lambda: [SettingRow(*row) for row in settings.rows()],
        badge_key=badge_key,
        site_keys=site_keys,
        sync_trigger=None if sync is None else sync.worker.sync_now,
        desktop=desktop,
    )
    if sync is not None:
        # A committed action's events go out at once while the server answers.
        services.uow.events_committed.append(sync.worker.events_queued)
    return services


def printer_config(settings: Settings, database_path: Path) -> PrinterConfig:
    """Slips and cards go to the system printer, or as PDFs to `slip_dir` (default: slips/)."""
    from kiosk.devices.slip_printer import PrinterConfig  # noqa: PLC0415  (loads Qt printing)

    folder = settings.slip_dir
    if str(folder) in {"", "."}:
        folder = database_path.parent / "slips"
    return PrinterConfig(mode=settings.printer, folder=folder, printer_name=settings.printer_name)


def secret_store_for(settings: Settings, database_path: Path, *, demo: bool) -> SecretStore:
    """The keyring, or files beside the database where the admin (or the demo) chose so."""
    use_files = settings.secret_store == "file" or (
        demo and settings.source_of("secret_store") == "default"
    )
    return FileSecretStore.beside(database_path) if use_files else KeyringSecretStore()


def load_site_keys(store: SecretStore, database: Database) -> SiteKeys:
    """The slip-signing key of this site; without it handoffs are refused with a message."""
    code = site_code(database)
    try:
        key = store.get(site_key_name(code))
    except SecretStoreError as error:
        log.error("site key of %s unavailable from %s: %s", code, store.description, error)
        key = None
    if key is None:
        log.warning("no slip-signing key for site %s in %s", code, store.description)
        return SiteKeys(code, {})
    return SiteKeys(code, {code: key})


def run_kiosk(
    settings: Settings, *, demo: bool, reset: bool, smoke: bool, desktop: bool = False
) -> int:
    """Start the program; returns the process exit code."""
    started = time.perf_counter()
    if smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    configure_logging(settings.log_dir, settings.log_level)
    clock = SystemClock()
    with tempfile.TemporaryDirectory(prefix="kiosk-smoke-") as scratch:
        if demo or smoke:
            data_dir = settings.data_dir if demo else Path(scratch)
            if reset:
                reset_demo_site(data_dir)
            demo_path = demo_database_path(data_dir)
            try:
                database_path = ensure_demo_site(
                    data_dir, clock, secrets=secret_store_for(settings, demo_path, demo=True)
                )
            except SecretStoreError as error:
                raise StartupError(
                    f"The demo's site key cannot be stored: {str(error).rstrip('.')}. "
                    "Unlock the system keyring, or set secret_store = file."
                ) from error
            line_code = settings.line or DEMO_DEFAULT_LINE
        else:
            database_path = settings.data_dir / DATABASE_FILE_NAME
            line_code = settings.line
        return _run_gui(
            settings,
            database_path,
            line_code,
            clock,
            smoke=smoke,
            started=started,
            secrets=secret_store_for(settings, database_path, demo=demo or smoke),
            syncs=not (demo or smoke),
            desktop=desktop,
        )


def _run_gui(
    settings: Settings,
    database_path: Path,
    line_code: str,
    clock: Clock,
    *,
    smoke: bool,
    started: float,
    secrets: SecretStore,
    syncs: bool,
    desktop: bool,
) -> int:
    database = open_database(database_path)
    sync: SyncRuntime | None = None
    try:
        migrate.upgrade(database.engine)
        app = create_application(sys.argv[:1])
        relay = SyncRelay()
        if syncs:
            sync = _sync_for(
                settings, database, database_path, secrets=secrets, clock=clock, relay=relay
            )
        line_code, desktop = _bound_line(settings, sync, line_code, desktop=desktop)
        if sync is not None:
            sync.worker.start()
            if sync.state.bootstrapped_at is None:
                _wait_for_first_download(relay, line_code or str(sync.state.department))
            if desktop:
                line_code = _desktop_home_line(database, sync)
        try:
            badge_key = FileSecretStore.beside(database_path).badge_key()
            services = services_for(
                settings,
                database,
                clock,
                line_code,
                badge_key,
                site_keys=load_site_keys(secrets, database),
                sync=sync,
                desktop=desktop,
            )
        except KnownError as error:
            known = ", ".join(error.fields.get("known", [])) or "none"
            raise StartupError(
                f"Line {line_code} is not set up in {database_path} (known lines: {known})."
            ) from error
        runner = ImmediateTaskRunner() if smoke else ThreadTaskRunner()
        window = MainWindow(
            services,
            runner,
            TimeFormatter(settings.site_timezone),
            sounds=Sounds(enabled=settings.sounds and not smoke),
            scan_repeat_seconds=settings.scan_repeat_seconds,
            desktop=desktop,
        )
        window.attach_sync(relay)
        install_excepthook(window.show_unexpected_error)
        window.start()
        if smoke:
            return _smoke(app, window, started)
        devices = start_input_devices(settings, window)
        # QtPrintSupport, python-barcode and segno load after the login screen is up.
        from kiosk.devices.slip_printer import DocumentPrinter  # noqa: PLC0415

        printer = DocumentPrinter(printer_config(settings, database_path))
        window.attach_printer(printer)
        if settings.windowed or desktop:
            window.resize(*WINDOWED_SIZE)
            window.show()
        else:
            # Without a window manager (a bare kiosk X session) full screen alone
            # keeps the window's own size: give it the screen's geometry first.
            window.setGeometry(app.primaryScreen().geometry())
            window.showFullScreen()
        log.info("kiosk started on line %s in %.2f s", line_code, time.perf_counter() - started)
        exit_code = app.exec()
        devices.stop()
        window.close()
        printer.stop()
        return int(exit_code)
    finally:
        if sync is not None:
            sync.stop()
        database.dispose()


def _sync_for(
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


def _bound_line(
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


def _desktop_home_line(database: Database, sync: SyncRuntime) -> str:
    """A desktop serves a department: its services are anchored on the department's first line."""
    department = sync.state.department
    codes = [line.code for line in all_lines(database) if line.department == department]
    if not codes:
        raise StartupError(f"The server sent no line of department {department}.")
    return codes[0]


def _wait_for_first_download(relay: SyncRelay, where: str) -> None:
    """A new kiosk shows the download's progress until its line's data is here."""
    from kiosk.ui.screens.bootstrap import BootstrapScreen  # noqa: PLC0415

    screen = BootstrapScreen(where)
    screen.resize(*WINDOWED_SIZE)
    screen.show()
    loop = QEventLoop()

    def shown(status: SyncStatus) -> None:
        screen.show_status(status)
        if status.state == ONLINE:
            loop.quit()

    relay.status_changed.connect(shown)
    loop.exec()
    relay.status_changed.disconnect(shown)
    screen.close()
    screen.deleteLater()


def _smoke(app: QApplication, window: MainWindow, started: float) -> int:
    """Show the login screen off-screen, check it is there, and exit."""
    window.resize(*WINDOWED_SIZE)
    window.show()
    app.processEvents()
    is_ok = window.isVisible() and window.current_screen() is window.login_screen
    tiles = len(window.login_screen.tiles)
    elapsed = time.perf_counter() - started
    print(f"{SMOKE_MARKER} ({tiles} tiles) after {elapsed:.3f} s", flush=True)  # noqa: T201
    window.close()
    return 0 if is_ok and tiles > 0 else 1
