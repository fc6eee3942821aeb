"""Composition root: settings → logging → store → services → window, in that order.

The slow steps (demo site, migrations, keyring reads, sync set-up, services) run on a
worker thread while the one main loop runs; the window is built on the GUI thread when
they are done. Shutdown runs in reverse. `--smoke` walks the same path off-screen and exits.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app_binding import StartupError, bound_line, desktop_home_line, sync_for
from kiosk.build_info import build_label
from kiosk.demo import DEMO_DEFAULT_LINE, demo_database_path, ensure_demo_site, reset_demo_site
from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.errors import KnownError
from kiosk.domain.idle import IdlePolicy
from kiosk.domain.lockout import LockoutPolicy
from kiosk.domain.slip_keys import SlipKeyError, SlipSigner
from kiosk.domain.transfer import CountPolicy
from kiosk.domain.work_order import QuantityPolicy
from kiosk.logging_setup import configure_logging
from kiosk.services.badge_hasher import BadgeKeys
from kiosk.services.boards import SettingRow
from kiosk.services.container import KioskServices, Policies, build_services
from kiosk.services.kiosk_settings import SYSTEM_PROBE
from kiosk.services.site import site_code
from kiosk.services.slip_keys import SiteKeys
from kiosk.settings import Settings
from kiosk.store import migrate
from kiosk.store.database import DATABASE_FILE_NAME, Database, open_database
from kiosk.store.secrets import (
    SLIP_SIGNING_KEY_NAME,
    FileBadgeKeys,
    FileSecretStore,
    KeyringSecretStore,
    SecretStore,
    SecretStoreError,
)
from kiosk.ui.application import create_application, install_excepthook
from kiosk.ui.sync_relay import SyncRelay
from kiosk.ui.tasks import ImmediateTaskRunner, TaskRunner, ThreadTaskRunner
from kiosk.ui.watchdog import Watchdog

if TYPE_CHECKING:
    from kiosk.devices.slip_printer import PrinterConfig
    from kiosk.input_devices import InputDevices, RunningDevices
    from kiosk.sync.runtime import SyncRuntime
    from kiosk.sync.setup import KioskSetup
    from kiosk.ui.main_window import MainWindow
    from kiosk.ui.screens.bootstrap import BootstrapScreen
    from kiosk.ui.screens.setup import SetupScreen

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 800)
SMOKE_MARKER = "kiosk-smoke: login screen shown"

_P = ParamSpec("_P")


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
        slip_max_age=timedelta(days=settings.slip_max_age_days),
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
    badge_key: bytes | BadgeKeys,
    *,
    site_keys: SiteKeys | None = None,
    sync: SyncRuntime | None = None,
    desktop: bool = False,
) -> KioskServices:
    """The kiosk's services with the policies and the settings view the settings give."""
    built: list[KioskServices] = []  # the Admin screen's table shows changes made at the kiosk
    services = build_services(
        database,
        clock,
        line_code,
        policies_from(settings),
        settings_rows=lambda: [SettingRow(*row) for row in built[0].kiosk_settings.settings.rows()],
        badge_key=badge_key,
        site_keys=site_keys,
        sync_trigger=None if sync is None else sync.worker.sync_now,
        desktop=desktop,
        stale_badge=None if sync is None else sync.rehash_badge,
        identity_server=None if sync is None else sync.identity,
        admin_server=None if sync is None else sync.identity,
        time_zone_fallback=settings.site_timezone,
        settings=settings,
    )
    built.append(services)
    services.kiosk_settings.probe = replace(SYSTEM_PROBE, printers=_system_printers)
    if sync is not None:
        # A committed action's events go out at once while the server answers.
        services.uow.events_committed.append(sync.worker.events_queued)
    return services


def _system_printers() -> list[str]:
    from kiosk.devices.slip_printer import system_printers  # noqa: PLC0415  (loads Qt printing)

    return system_printers()


def printer_config(settings: Settings, database_path: Path) -> PrinterConfig:
    """Slips and cards go to the system printer, or as PDFs to `slip_dir` (default: slips/)."""
    from kiosk.devices.slip_printer import PrinterConfig  # noqa: PLC0415  (loads Qt printing)

    folder = settings.slip_dir
    if str(folder) in {"", "."}:
        folder = database_path.parent / "slips"
    return PrinterConfig(mode=settings.printer, folder=folder, printer_name=settings.printer_name)


def secret_store_for(settings: Settings, database_path: Path, *, demo: bool) -> SecretStore:
    """The keyring, or files beside the database where the admin (or the demo) chose so.

    Call it before the database is made: a kiosk whose database is already there may be one
    from before keyring entries were named per data folder, and adopts the shared ones.
    """
    use_files = settings.secret_store == "file" or (
        demo and settings.source_of("secret_store") == "default"
    )
    if use_files:
        return FileSecretStore.beside(database_path)
    return KeyringSecretStore.for_data_dir(
        database_path.parent, adopt_shared=database_path.exists()
    )


def load_site_keys(store: SecretStore, database: Database) -> SiteKeys:
    """This kiosk's own slip-signing key; without it handoffs are refused with a message
    (receiving still works: that needs only the senders' public keys, in the database)."""
    code = site_code(database)
    try:
        key = store.get(SLIP_SIGNING_KEY_NAME)
        signer = None if key is None else SlipSigner(key)
    except (SecretStoreError, SlipKeyError) as error:
        log.error("slip-signing key unavailable from %s: %s", store.description, error)
        return SiteKeys(code)
    if signer is None:
        log.warning("no slip-signing key of this kiosk in %s", store.description)
    return SiteKeys(code, signer)


def run_kiosk(
    settings: Settings, *, demo: bool, reset: bool, smoke: bool, desktop: bool = False
) -> int:
    """Start the program; returns the process exit code.

    The one main loop (`app.exec()`) runs from the start: the slow steps go to a worker
    thread and the screens follow their results, so nothing here waits on the GUI thread.
    """
    started = time.perf_counter()
    if smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    configure_logging(settings.log_dir, settings.log_level)
    log.info("Line kiosk %s starting", build_label())
    with tempfile.TemporaryDirectory(prefix="kiosk-smoke-") as scratch:
        app = create_application(sys.argv[:1], language=settings.language)
        startup = KioskStartup(
            app,
            settings,
            SystemClock(),
            StartPlan(demo=demo, reset=reset, smoke=smoke, desktop=desktop, scratch=Path(scratch)),
            started=started,
        )
        startup.ended.connect(app.exit)
        startup.begin()
        startup.load_screens()
        exit_code = app.exec()
        return startup.finish(exit_code)


@dataclass(frozen=True)
class StartPlan:
    """How this start was asked for on the command line."""

    demo: bool
    reset: bool
    smoke: bool
    desktop: bool
    scratch: Path  # the smoke test's throwaway site

    @property
    def syncs(self) -> bool:
        return not (self.demo or self.smoke)


@dataclass
class Prepared:
    """What the start-up's first job hands the GUI thread: an open, migrated database,
    the sync (not started), and the services unless the first download is still to come."""

    database: Database
    database_path: Path
    line_code: str
    desktop: bool
    secrets: SecretStore
    sync: SyncRuntime | None
    services: KioskServices | None
    setup: KioskSetup | None = None  # a new kiosk: the setup screen enrols it first


class KioskStartup(QObject):
    """The kiosk's start, step by step, driven by the one main loop.

    The slow steps (the demo site, migrations, keyring reads, the sync set-up and the
    services) run as jobs on a worker thread; each result comes back on the GUI thread,
    which only builds and shows widgets. A new kiosk waits for its first download on a
    screen that follows the sync's status signal, not in a nested event loop.
    """

    ended = Signal(int)  # the start failed, or the smoke test is done: the loop ends with this

    def __init__(
        self,
        app: QApplication,
        settings: Settings,
        clock: Clock,
        plan: StartPlan,
        *,
        started: float,
        runner: TaskRunner | None = None,
        camera_source: Callable[[], object] | None = None,
    ) -> None:
        """`camera_source` replaces the OpenCV camera (tests replay frames)."""
        super().__init__()
        self._app = app
        self._settings = settings
        self._clock = clock
        self._plan = plan
        self._started = started
        self._runner: TaskRunner = runner or ThreadTaskRunner()
        self.relay = SyncRelay(self)
        self.watchdog = Watchdog(self)  # systemd's READY=1 and WATCHDOG=1 (installer/linux)
        self._camera_source = camera_source
        self.setup_screen: SetupScreen | None = None
        self._setup_devices: InputDevices | None = None
        self.bootstrap_screen: BootstrapScreen | None = None
        self.window: MainWindow | None = None
        self.error: BaseException | None = None
        self._prepared: Prepared | None = None
        self._devices: RunningDevices | None = None

    def begin(self) -> None:
        """Hand the first steps to the worker thread; the results arrive once the loop runs."""
        self._runner.run(self._prepare, self._guarded(self._on_prepared), self._fail)

    def load_screens(self) -> None:
        """Import the window's modules while the worker runs the first job.

        Both wait on the disk on a cold start; done one after the other they add up.
        """
        import kiosk.input_devices  # noqa: PLC0415
        import kiosk.ui.main_window  # noqa: PLC0415
        import kiosk.ui.screens.bootstrap  # noqa: PLC0415
        import kiosk.ui.screens.setup  # noqa: F401, PLC0415

    def finish(self, exit_code: int) -> int:
        """Stop what was started, in reverse; a start-up error is raised here, after the loop."""
        if self._devices is not None:
            self._devices.stop()
        self._close_setup_screen()
        if self.window is not None:
            self.window.shut_down()
        if self.bootstrap_screen is not None:
            self.bootstrap_screen.shut_down()
        self._runner.shutdown()
        prepared = self._prepared
        if prepared is not None:
            if prepared.sync is not None:
                prepared.sync.stop()
            prepared.database.dispose()
        if self.error is not None:
            raise self.error
        return exit_code

    # ------------------------------------------------------------ worker thread
    def _prepare(self) -> Prepared:
        """Demo site, database and migrations, secrets, sync set-up (worker thread)."""
        settings, plan = self._settings, self._plan
        database_path, line_code = self._site()
        secrets = secret_store_for(settings, database_path, demo=not plan.syncs)
        database = open_database(database_path)
        try:
            migrate.upgrade(database.engine)
            if plan.syncs:
                # A new kiosk (no site, not enrolled) shows its setup screen first.
                from kiosk.sync.setup import KioskSetup, needs_setup  # noqa: PLC0415

                if needs_setup(database):
                    setup = KioskSetup.for_settings(
                        settings, database, database_path, secrets, self._clock
                    )
                    return Prepared(
                        database, database_path, line_code, plan.desktop, secrets, None, None, setup
                    )
            return self._prepare_sync(database, database_path, secrets, line_code)
        except BaseException:
            database.dispose()
            raise

    def _prepare_sync(
        self, database: Database, database_path: Path, secrets: SecretStore, line_code: str
    ) -> Prepared:
        """The sync set-up and, once the line's data is here, the services (worker thread)."""
        settings, plan = self._settings, self._plan
        sync: SyncRuntime | None = None
        try:
            if plan.syncs:
                sync = sync_for(
                    settings,
                    database,
                    database_path,
                    secrets=secrets,
                    clock=self._clock,
                    relay=self.relay,
                )
            line_code, desktop = bound_line(settings, sync, line_code, desktop=plan.desktop)
            prepared = Prepared(database, database_path, line_code, desktop, secrets, sync, None)
            if sync is None or sync.state.bootstrapped_at is not None:
                prepared.line_code, prepared.services = self._compose(prepared)
        except BaseException:
            if sync is not None:
                sync.stop()
            raise
        return prepared

    def _site(self) -> tuple[Path, str]:
        """The database this start runs on and the line asked for (the demo's is made here)."""
        settings, plan = self._settings, self._plan
        if not (plan.demo or plan.smoke):
            return settings.data_dir / DATABASE_FILE_NAME, settings.line
        data_dir = settings.data_dir if plan.demo else plan.scratch
        if plan.reset:
            reset_demo_site(data_dir)
        demo_path = demo_database_path(data_dir)
        try:
            database_path = ensure_demo_site(
                data_dir, self._clock, secrets=secret_store_for(settings, demo_path, demo=True)
            )
        except SecretStoreError as error:
            raise StartupError(
                f"The demo's slip-signing key cannot be stored: {str(error).rstrip('.')}. "
                "Unlock the system keyring, or set secret_store = file."
            ) from error
        return database_path, settings.line or DEMO_DEFAULT_LINE

    def _compose(self, prepared: Prepared) -> tuple[str, KioskServices]:
        """The line served and its services, with the keys read from their stores (worker)."""
        line_code = prepared.line_code
        if prepared.desktop and prepared.sync is not None:
            line_code = desktop_home_line(prepared.database, prepared.sync)
        try:
            # Read again after each pull: a rotated badge key is used without a restart.
            badge_keys = FileBadgeKeys(FileSecretStore.beside(prepared.database_path))
            services = services_for(
                self._settings,
                prepared.database,
                self._clock,
                line_code,
                badge_keys,
                site_keys=load_site_keys(prepared.secrets, prepared.database),
                sync=prepared.sync,
                desktop=prepared.desktop,
            )
        except KnownError as error:
            known = ", ".join(error.fields.get("known", [])) or "none"
            path = prepared.database_path
            raise StartupError(
                f"Line {line_code} is not set up in {path} (known lines: {known})."
            ) from error
        return line_code, services

    # ------------------------------------------------------------ GUI thread
    def _on_prepared(self, prepared: Prepared) -> None:
        self._prepared = prepared
        sync = prepared.sync
        if prepared.setup is not None:
            self._show_setup(prepared.setup)
            return
        if prepared.services is not None:
            self._show_login(prepared.line_code, prepared.services)
            return
        assert sync is not None  # only a kiosk that syncs waits for a download
        from kiosk.ui.screens.bootstrap import BootstrapScreen  # noqa: PLC0415  (load_screens)

        screen = BootstrapScreen(
            prepared.line_code or str(sync.state.department),
            closable=self._settings.windowed or prepared.desktop,
        )
        self.bootstrap_screen = screen
        self.relay.status_changed.connect(screen.show_status)
        screen.download_finished.connect(self._on_bootstrap_download_finished)
        screen.resize(*WINDOWED_SIZE)
        screen.show()
        self.watchdog.ready()
        sync.worker.start()

    def _show_setup(self, setup: KioskSetup) -> None:
        """A new kiosk: the setup screen, with the scanner and the camera for the admin's QR."""
        from kiosk.input_devices import start_setup_devices  # noqa: PLC0415  (load_screens)
        from kiosk.ui.screens.setup import SetupScreen  # noqa: PLC0415

        settings = self._settings
        screen = SetupScreen(
            setup,
            self._runner,
            address=settings.server_url,
            closable=settings.windowed or self._plan.desktop,
            scan_repeat_seconds=settings.scan_repeat_seconds,
        )
        self.setup_screen = screen
        screen.enrolled.connect(self._guarded(self._on_setup_enrolled))
        self._present(screen, windowed=settings.windowed or self._plan.desktop)
        self._setup_devices = start_setup_devices(
            settings, screen, camera_source=self._camera_source
        )
        log.info("not enrolled and no site: the setup screen is shown")

    def _on_setup_enrolled(self, _enrolled: object) -> None:
        """Enrolled: the sync is built (worker), then the first download as on any first start."""
        prepared = self._prepared
        assert prepared is not None
        self._runner.run(
            lambda: self._prepare_sync(
                prepared.database, prepared.database_path, prepared.secrets, prepared.line_code
            ),
            self._guarded(self._on_enrolled_prepared),
            self._fail,
        )

    def _on_enrolled_prepared(self, prepared: Prepared) -> None:
        self._close_setup_screen()
        self._on_prepared(prepared)

    def _close_setup_screen(self) -> None:
        if self._setup_devices is not None:
            self._setup_devices.stop()
            self._setup_devices = None
        screen = self.setup_screen
        if screen is not None:
            self.setup_screen = None
            screen.shut_down()
            screen.deleteLater()

    def _on_bootstrap_download_finished(self) -> None:
        prepared = self._prepared
        assert prepared is not None and self.bootstrap_screen is not None
        self.relay.status_changed.disconnect(self.bootstrap_screen.show_status)
        self._runner.run(
            lambda: self._compose(prepared),
            self._guarded(lambda composed: self._show_login(*composed)),
            self._fail,
        )

    def _show_login(self, line_code: str, services: KioskServices) -> None:
        """The main window on its login screen; the first-download screen, if any, goes."""
        prepared = self._prepared
        assert prepared is not None
        # Imported by load_screens while the first job ran.
        from kiosk.input_devices import RunningDevices  # noqa: PLC0415
        from kiosk.ui.flows.admin_devices import EnrolmentServer  # noqa: PLC0415
        from kiosk.ui.formatting import TimeFormatter  # noqa: PLC0415
        from kiosk.ui.main_window import MainWindow  # noqa: PLC0415
        from kiosk.ui.sounds import Sounds  # noqa: PLC0415

        settings, smoke = self._settings, self._plan.smoke
        window = MainWindow(
            services,
            ImmediateTaskRunner() if smoke else ThreadTaskRunner(),
            TimeFormatter(zone=services.site_zone.zone),  # read with the services (worker)
            sounds=Sounds(enabled=settings.sounds and not smoke),
            scan_repeat_seconds=settings.scan_repeat_seconds,
            desktop=prepared.desktop,
            # Windowed (a supervisor's desktop, a developer) a close request closes, as any
            # program's window does; full screen on the floor only an admin closes it.
            closable=settings.windowed or prepared.desktop,
            site_language=settings.language,  # create_application installed it already
        )
        self.window = window
        window.attach_sync(self.relay)
        install_excepthook(window.show_unexpected_error)
        window.start()
        sync = prepared.sync
        if sync is not None:  # a new kiosk's QR on the Devices screen names this server
            window.devices_flow.enrolment_server = EnrolmentServer(
                sync.client.base_url, sync.client.trust.fingerprint, sync.state.device_id
            )
        if sync is not None and not sync.worker.is_running:
            sync.worker.start()  # after attach_sync: the strip sees its first status
        if smoke:
            window.resize(*WINDOWED_SIZE)
            window.show()
            QTimer.singleShot(0, self._guarded(self._check_smoke))
            return
        # QtPrintSupport, python-barcode and segno load after the login screen is up.
        from kiosk.devices.slip_printer import DocumentPrinter  # noqa: PLC0415

        path = prepared.database_path
        self._devices = RunningDevices(
            settings,
            window,
            make_printer=lambda changed: DocumentPrinter(printer_config(changed, path)),
        )
        self._present(window, windowed=settings.windowed or prepared.desktop)
        self._close_bootstrap_screen()
        log.info(
            "kiosk started on line %s in %.2f s", line_code, time.perf_counter() - self._started
        )

    def _present(self, widget: QWidget, *, windowed: bool) -> None:
        """Windowed at 1280x800, or full screen on the floor; then systemd hears it is up."""
        if windowed:
            widget.resize(*WINDOWED_SIZE)
            widget.show()
            self.watchdog.ready()
            return
        # Without a window manager (a bare kiosk X session) full screen alone
        # keeps the window's own size: give it the screen's geometry first.
        widget.setGeometry(self._app.primaryScreen().geometry())
        widget.showFullScreen()
        self.watchdog.ready()

    def _check_smoke(self) -> None:
        """The login screen is up off-screen: say so and end the loop."""
        window = self.window
        assert window is not None
        is_ok = window.isVisible() and window.current_screen() is window.login_screen
        tiles = len(window.login_screen.tiles)
        elapsed = time.perf_counter() - self._started
        print(f"{SMOKE_MARKER} ({tiles} tiles) after {elapsed:.3f} s", flush=True)  # noqa: T201
        self.ended.emit(0 if is_ok and tiles > 0 else 1)

    def _close_bootstrap_screen(self) -> None:
        screen = self.bootstrap_screen
        if screen is not None:
            self.bootstrap_screen = None
            screen.shut_down()
            screen.deleteLater()

    def _fail(self, error: BaseException) -> None:
        """A start-up step failed: end the loop; `finish` raises it again, after the loop.

        A StartupError reaches the CLI, which prints it; anything else ends the program with
        its traceback, as an error on the GUI thread did before.
        """
        self.error = error
        self._close_setup_screen()
        self._close_bootstrap_screen()
        self.ended.emit(2)

    def _guarded(self, slot: Callable[_P, None]) -> Callable[_P, None]:
        """A start-up slot whose failure ends the start instead of leaving no window at all."""

        def run(*args: _P.args, **kwargs: _P.kwargs) -> None:
            try:
                slot(*args, **kwargs)
            except Exception as error:  # noqa: BLE001  (raised again by finish, after the loop)
                self._fail(error)

        return run
