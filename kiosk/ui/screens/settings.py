"""The admin's kiosk settings: badge reader, camera, printer, sounds, language, each with a test.

One row a setting: its name, value and where the value comes from; big choice buttons
for a gloved finger (the ports and cameras found on this computer, the known protocols
and modes); a test button where there is something to try. A tap asks for the change
(`change_requested`); the flow checks it in the service and says what happened.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.services.kiosk_settings import KioskSettingView
from kiosk.settings import SOURCE_COMMAND_LINE, SOURCE_DEFAULT, SOURCE_KIOSK
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.style import big_button

MAX_FOUND = 4  # choice buttons of found ports / cameras that fit a 1280 px row
CHOICE_HEIGHT = 64  # the kiosk's touch size (kiosk.qss): six rows fit 800 px

# Tests a row offers: the key the flow receives, and the button's words.
TEST_READER, TEST_SCAN, TEST_PRINT, TEST_TONE = "reader", "scan", "print", "tone"


class SettingsScreen(Screen):
    back_requested = Signal()
    change_requested = Signal(str, str)  # setting name, value
    test_requested = Signal(str)  # one of the TEST_ keys

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        top = QHBoxLayout()
        top.setSpacing(24)
        title = QLabel(self.tr("Kiosk settings"), self)
        title.setObjectName("title")
        top.addWidget(title)
        # What a test read or printed, beside the title: six rows of big buttons need the rest.
        self.test_result = QLabel(self)
        self.test_result.setObjectName("subtitle")
        self.test_result.setWordWrap(True)
        self.test_result.setText(self.tr("Tap a choice to change it; tap a test to try it."))
        top.addWidget(self.test_result, 1)
        self.back_button = big_button(self.tr("Back"), "", self)
        self.back_button.clicked.connect(self.back_requested.emit)
        top.addWidget(self.back_button)
        self.body.addLayout(top)
        # Six rows fit 800 px; the system printer's row (seventh) scrolls, under a finger.
        self._scroll, column = scroll_column(self, spacing=0)
        column.setContentsMargins(0, 0, 0, 0)
        holder = QWidget(self._scroll)
        self._grid = QGridLayout(holder)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(8)
        self._grid.setColumnStretch(1, 1)
        column.addWidget(holder)
        self.body.addWidget(self._scroll, 1)
        self.value_labels: dict[str, QLabel] = {}
        self.choice_buttons: dict[str, dict[str, QPushButton]] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        self._row_widgets: list[QWidget] = []
        self.views: dict[str, KioskSettingView] = {}

    # ------------------------------------------------------------------ showing
    def show_settings(self, views: list[KioskSettingView]) -> None:
        """(Re)build the rows; the current value's button is the one pressed in."""
        for widget in self._row_widgets:
            self._grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        self.value_labels, self.choice_buttons, self.test_buttons = {}, {}, {}
        self.views = {view.name: view for view in views}
        row = 0
        system = self.views.get("printer") is not None and self.views["printer"].value == "system"
        for view in views:
            if view.name == "printer_name" and not system:
                continue  # which system printer: asked only when slips go to one
            self._add_row(row, view)
            row += 1

    def _add_row(self, row: int, view: KioskSettingView) -> None:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setMinimumWidth(300)
        label.setText(self._describe(view))
        self._add(label, row, 0)
        self.value_labels[view.name] = label
        choices = QWidget(self)
        line = QHBoxLayout(choices)
        line.setContentsMargins(0, 0, 0, 0)
        buttons: dict[str, QPushButton] = {}
        for value, words in self._choices(view):
            button = big_button(words, "", choices)
            button.setCheckable(True)
            button.setChecked(value == view.value)
            button.setMinimumHeight(CHOICE_HEIGHT)
            button.clicked.connect(
                lambda _checked=False, name=view.name, value=value: self._on_choice(name, value)
            )
            line.addWidget(button)
            buttons[value] = button
        line.addStretch(1)
        self.choice_buttons[view.name] = buttons
        self._add(choices, row, 1)
        test = _TESTS.get(view.name)
        if test is not None:
            key, test_words = test
            button = big_button(
                QCoreApplication.translate("Messages", str(test_words)), "primary", self
            )
            button.setMinimumHeight(CHOICE_HEIGHT)
            button.setMinimumWidth(230)
            button.clicked.connect(lambda _checked=False, key=key: self.test_requested.emit(key))
            self._add(button, row, 2)
            self.test_buttons[key] = button

    def _add(self, widget: QWidget, row: int, column: int) -> None:
        self._grid.addWidget(widget, row, column)
        widget.show()  # rebuilt while on screen: shown now, not at the layout's next pass
        self._row_widgets.append(widget)

    def _on_choice(self, name: str, value: str) -> None:
        # The button shows the stored value until the service has said yes.
        for choice, button in self.choice_buttons.get(name, {}).items():
            button.setChecked(choice == self.views[name].value)
        self.change_requested.emit(name, value)

    def _describe(self, view: KioskSettingView) -> str:
        name = setting_words(view.name)
        where = {
            SOURCE_DEFAULT: self.tr("default"),
            SOURCE_KIOSK: self.tr("set here"),
            SOURCE_COMMAND_LINE: self.tr("command line: wins at the next start"),
        }.get(view.source, "")
        if not where:
            is_environment = view.source.startswith("environment")
            where = self.tr("environment") if is_environment else self.tr("settings file")
        shown = view.value or self.tr("none")
        if view.name == "language":
            shown = {"en": self.tr("English"), "id": self.tr("Bahasa Indonesia")}.get(
                view.value, self.tr("the system's")
            )
        if view.name == "printer" and view.value == "system":
            shown = self.tr("system printer")
        if view.name == "printer_name" and not view.value:
            shown = self.tr("the default printer")
        text = f"<b>{name}</b><br>{shown} · {where}"
        if not view.applies_now:
            text += "<br>" + self.tr("applies at the next start")
        return text

    def _choices(self, view: KioskSettingView) -> list[tuple[str, str]]:
        """(value, words) of the buttons a row offers."""
        if view.name in {"rfid_port", "camera", "printer_name"}:
            # The value in use stays a choice even while its device is not plugged in.
            current = [view.value] if view.value and view.value not in view.found else []
            values = [*current, *view.found][:MAX_FOUND]
            if view.name == "rfid_port":
                shown = [(port, _port_words(port)) for port in values]
                return [("", self.tr("No reader")), *shown]
            if view.name == "printer_name":
                return [("", self.tr("The default printer")), *((name, name) for name in values)]
            shown = [(index, self.tr("Camera {n}").format(n=index)) for index in values]
            return [("", self.tr("No camera")), *shown]
        fixed = {
            "rfid_protocol": [("rdm6300", self.tr("RDM6300")), ("ascii", self.tr("Text lines"))],
            "printer": [("pdf", self.tr("PDF files")), ("system", self.tr("System printer"))],
            "sounds": [("on", self.tr("On")), ("off", self.tr("Off"))],
            "language": [
                ("", self.tr("System")),
                ("en", self.tr("English")),
                ("id", self.tr("Bahasa Indonesia")),
            ],
        }
        return fixed.get(view.name, [(view.value, view.value)])

    def value_words(self, name: str, value: str) -> str:
        """A value as its button says it ("Bahasa Indonesia", "No reader"), else as it is."""
        button = self.choice_buttons.get(name, {}).get(value)
        if button is not None:
            return button.text()
        return value or self.tr("none")

    # ------------------------------------------------------------------ tests
    def show_test_result(self, text: str) -> None:
        self.test_result.setText(text)


def setting_words(name: str) -> str:
    """A setting's name as the screen says it."""
    return QCoreApplication.translate("Messages", str(_NAMES.get(name, name)))


def _port_words(port: str) -> str:
    """ttyUSB0, pts/3; a long /dev/serial/by-id/ name by its end (the device's name)."""
    if port.startswith("/dev/serial/"):
        return port.rsplit("/", 1)[-1][-28:]
    return port.removeprefix("/dev/")


_NAMES = {
    "rfid_port": QT_TRANSLATE_NOOP("Messages", "Badge reader port"),
    "rfid_protocol": QT_TRANSLATE_NOOP("Messages", "Badge reader protocol"),
    "camera": QT_TRANSLATE_NOOP("Messages", "Camera"),
    "printer": QT_TRANSLATE_NOOP("Messages", "Printer"),
    "printer_name": QT_TRANSLATE_NOOP("Messages", "System printer"),
    "sounds": QT_TRANSLATE_NOOP("Messages", "Sounds"),
    "language": QT_TRANSLATE_NOOP("Messages", "Language"),
}
_TESTS = {
    "rfid_port": (TEST_READER, QT_TRANSLATE_NOOP("Messages", "Test: tap a badge")),
    "camera": (TEST_SCAN, QT_TRANSLATE_NOOP("Messages", "Test: scan a code")),
    "printer": (TEST_PRINT, QT_TRANSLATE_NOOP("Messages", "Print a test slip")),
    "sounds": (TEST_TONE, QT_TRANSLATE_NOOP("Messages", "Play a tone")),
}
