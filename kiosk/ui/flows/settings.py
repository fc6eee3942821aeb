"""The admin's Settings screen: change a device, sound or language setting and try it.

Every change goes through `KioskSettingsService` (checked, stored, audited; admins only);
once stored, the running device is restarted with it where the device allows, and the
screen says whether it is in use now or at the next start. On this screen a badge tap or
a scan logs nobody in and opens nothing: it is shown, as the test of the device.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.domain.documents import PrintDocument
from kiosk.domain.errors import KnownError
from kiosk.domain.scan import PayloadKind, ScanPayload, ScanSource
from kiosk.services.kiosk_settings import KioskSettingView, SettingChange
from kiosk.ui.device_control import DeviceControl
from kiosk.ui.device_status import DeviceStatus
from kiosk.ui.flows.base import BaseFlow, ScanClaims
from kiosk.ui.host import Host
from kiosk.ui.scan_context import ScanContext
from kiosk.ui.screens.settings import (
    TEST_PRINT,
    TEST_READER,
    TEST_SCAN,
    TEST_TONE,
    SettingsScreen,
    setting_words,
)
from kiosk.ui.widgets.banner import ERROR, SUCCESS

TEST_SLIP_PREFIX = "TEST-"


class SettingsFlow(BaseFlow):
    scan_claims: ClassVar[ScanClaims] = {
        kind: frozenset({ScanContext.SETTINGS}) for kind in PayloadKind
    }

    def __init__(self, host: Host, devices: DeviceStatus, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.screen = SettingsScreen(host.stack)
        host.stack.addWidget(self.screen)
        self.control: DeviceControl | None = None  # the running devices (kiosk.input_devices)
        self._test_slip: str | None = None
        self.screen.back_requested.connect(host.open_admin_screen)
        self.screen.change_requested.connect(self._on_screen_change_requested)
        self.screen.test_requested.connect(self._on_screen_test_requested)
        devices.printed.connect(self._on_devices_printed)
        devices.print_failed.connect(self._on_devices_print_failed)

    def context_for(self, widget: QWidget) -> ScanContext | None:
        return ScanContext.SETTINGS if widget is self.screen else None

    def handle_scan(self, payload: ScanPayload, context: ScanContext) -> None:
        """A read on the Settings screen is the device's test: say what came in, act on nothing."""
        self.host.sounds.success()
        if payload.source is ScanSource.READER:
            # The UID is a credential: its last four characters are enough to recognise it.
            text = self.tr("Badge read by the reader: …{end} ({n} characters).").format(
                end=payload.value[-4:], n=len(payload.value)
            )
        elif payload.source is ScanSource.CAMERA:
            text = self.tr("Code read by the camera: {code}").format(code=payload.preview)
        else:
            text = self.tr("Code read by the scanner: {code}").format(code=payload.preview)
        self.screen.show_test_result(text)

    def session_ended(self) -> None:
        self._test_slip = None
        self.screen.show_test_result(self.tr("Tap a choice to change it; tap a test to try it."))

    # ------------------------------------------------------------------ open and change
    def open(self) -> None:
        host = self.host
        actor = host.require_actor()

        def shown(views: list[KioskSettingView]) -> None:
            self.screen.show_settings(views)
            host.stack.setCurrentWidget(self.screen)

        host.call(lambda: host.services.kiosk_settings.view(actor), shown)

    def _reload(self) -> None:
        host = self.host
        actor = host.require_actor()
        host.call(lambda: host.services.kiosk_settings.view(actor), self.screen.show_settings)

    def _on_screen_change_requested(self, name: str, value: str) -> None:
        host = self.host
        actor = host.require_actor()
        service = host.services.kiosk_settings

        def refused(error: KnownError) -> None:
            host.sounds.error()
            host.show_refusal(error, self.screen.banner)

        host.call(lambda: service.change(actor, name, value), self._changed, on_refused=refused)

    def _changed(self, change: SettingChange) -> None:
        settings = self.host.services.kiosk_settings.settings
        applied = False
        if change.name == "sounds":
            self.host.sounds.enabled = settings.sounds
            applied = True
        elif change.name == "language":
            # Before the message below, so that it is in the new language too.
            self.host.set_site_language(settings.language)
            applied = True
        elif change.applies_now and self.control is not None:
            applied = self.control.apply(settings, change.name)
        when = self.tr("In use now.") if applied else self.tr("It applies at the next start.")
        if change.command_line_wins:
            when += " " + self.tr("The command line sets it again at the next start.")
        self.screen.banner.show_message(
            SUCCESS,
            self.tr("{setting}: changed from {before} to {after}.").format(
                setting=setting_words(change.name),
                before=self.screen.value_words(change.name, change.before),
                after=self.screen.value_words(change.name, change.after),
            ),
            when,
        )
        self._reload()

    # ------------------------------------------------------------------ tests
    def _on_screen_test_requested(self, key: str) -> None:
        host = self.host
        if key == TEST_READER:
            self.screen.show_test_result(self.tr("Tap a badge on the reader now."))
        elif key == TEST_SCAN:
            self.screen.show_test_result(
                self.tr("Scan a code with the scanner, or hold one in front of the camera.")
            )
        elif key == TEST_TONE:
            host.sounds.success()
            if host.sounds.enabled:
                self.screen.show_test_result(self.tr("A tone was played."))
            else:
                self.screen.show_test_result(self.tr("Sounds are off: nothing was played."))
        elif key == TEST_PRINT:
            self._print_test_slip()

    def _print_test_slip(self) -> None:
        host = self.host
        now = host.services.clock.now()
        document_id = TEST_SLIP_PREFIX + now.strftime("%Y%m%d%H%M%S")
        self._test_slip = document_id
        settings = host.services.kiosk_settings.settings
        document = PrintDocument(
            kind="test",
            document_id=document_id,
            title=self.tr("Test slip"),
            rows=(
                (self.tr("Line"), host.services.line.code),
                (self.tr("Printer"), settings.printer_name or settings.printer),
                (self.tr("Printed"), host.times.date_time(now)),
            ),
            footer=self.tr("This slip is a test: it moves no goods."),
        )
        self.screen.show_test_result(self.tr("Printing a test slip…"))
        host.print_document(document)

    def _on_devices_printed(self, document_id: str, where: str) -> None:
        if document_id == self._test_slip:
            self.screen.show_test_result(
                self.tr("The test slip was printed: {where}").format(where=where)
            )

    def _on_devices_print_failed(self, document_id: str, _reason: str) -> None:
        """The reason is the device's words for the log; the strip shows the printer's state."""
        if document_id == self._test_slip:
            self.screen.banner.show_message(
                ERROR,
                self.tr("The test slip could not be printed."),
                self.tr("Check the printer and its setting, then try again."),
            )
            self.screen.show_test_result(
                self.tr("Not printed: the printer's state is on the strip below.")
            )
