"""Drives the real kiosk window the way a finger would: taps on the real buttons."""

from __future__ import annotations

from dataclasses import dataclass

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.demo import demo_user, demo_user_id
from kiosk.domain.roles import PIN_AFTER_BADGE_ROLES
from kiosk.ui.main_window import MainWindow
from tests.helpers.fakes import FakeClock


@dataclass
class KioskDriver:
    window: MainWindow
    qtbot: QtBot

    def tap(self, button: QPushButton) -> None:
        assert button.isVisible(), f"{button.text()!r} is not visible"
        assert button.isEnabled(), f"{button.text()!r} is disabled"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def type_digits(self, keypad_owner: QWidget, digits: str) -> None:
        keypad = keypad_owner.keypad  # type: ignore[attr-defined]
        for digit in digits:
            self.tap(keypad.buttons[digit])

    def log_in(self, employee_no: str, pin: str) -> None:
        """A tile and the PIN; a supervisor or admin on a line kiosk taps the badge instead."""
        login = self.window.login_screen
        if demo_user(employee_no).role in PIN_AFTER_BADGE_ROLES and not self.window.desktop:
            self.window.scan_router.submit_badge(demo_user(employee_no).badge)
            self.qtbot.waitUntil(lambda: login.pin_after_badge)
        else:
            self.tap(login.tiles[employee_no])
        self.type_digits(login.pin_page, pin)
        self.tap(login.pin_page.confirm_button)

    def type_wrong_pins(
        self, employee_no: str, times: int, clock: FakeClock, pin: str = "0000"
    ) -> None:
        """Wrong PINs on a tile, each once the PIN pad's wait has run out on the fake clock."""
        login = self.window.login_screen
        services = self.window.services
        user_id = demo_user_id(services.uow.database, employee_no)
        for _ in range(times):
            clock.advance(services.auth.pin_wait_seconds(user_id))
            if login.pages.currentWidget() is not login.pin_page:
                self.tap(login.tiles[employee_no])
            self.qtbot.waitUntil(login.pin_page.keypad.isEnabled)
            self.type_digits(login.pin_page, pin)
            self.tap(login.pin_page.confirm_button)

    def log_in_by_number(self, digits: str, pin: str) -> None:
        """Someone not on the roster: "Not listed?", the employee number, then the PIN."""
        login = self.window.login_screen
        self.tap(login.other_employee_button)
        self.type_digits(login.number_page, digits)
        self.tap(login.number_page.confirm_button)
        self.type_digits(login.pin_page, pin)
        self.tap(login.pin_page.confirm_button)

    def open_work_order(self, number: str) -> None:
        self.tap(self.window.home_screen.rows[number])

    def record(self, good: str, reject: str = "", reason: str | None = None) -> None:
        screen = self.window.work_order_screen
        self.tap(screen.command_buttons["RECORD"])
        panel = screen.record_panel
        self.type_digits(panel, good)
        if reject:
            self.tap(panel.field_buttons["reject"])
            self.type_digits(panel, reject)
        if reason:
            self.tap(panel.reason_buttons[reason])
        self.tap(panel.confirm_button)

    @property
    def screen(self) -> QWidget:
        return self.window.current_screen()

    def banner_text(self) -> str:
        return self.window.current_banner().message()
