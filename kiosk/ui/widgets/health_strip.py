"""The strip at the bottom of every screen: each input device with its state, in words.

"The scanner does not work" is answered at a glance: the reader's connection and
its count of bad frames, when the scanner was last seen, the camera's state, and
whether slips can be printed, and whether sync is online with how many events wait.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from kiosk.build_info import build_label
from kiosk.sync.status import (
    CERTIFICATE_CHANGED,
    CERTIFICATE_UNTRUSTED,
    INSECURE,
    OFFLINE,
    ONLINE,
    REFUSED,
    SYNCING,
    SyncStatus,
)
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.widgets.elided_label import ElidedLabel
from kiosk.ui.widgets.style import set_style_property

OK, WARN, FAULT, OFF = "ok", "warn", "fault", "off"
_SYMBOL = {OK: "●", WARN: "◐", FAULT: "✕", OFF: "○"}


_TRUST_STATES = frozenset({CERTIFICATE_CHANGED, CERTIFICATE_UNTRUSTED, INSECURE})


def trust_problem_words(state: str) -> str:
    """Why sync stopped before sending anything, in a sentence (the first-start screen, the
    strip's tooltip). Never "offline": the network works, and someone may be in between."""
    if state == CERTIFICATE_CHANGED:
        return QCoreApplication.translate(
            "HealthStrip",
            "Sync stopped: the server's certificate is not the one this kiosk enrolled with. "
            "Ask the admin.",
        )
    if state == CERTIFICATE_UNTRUSTED:
        return QCoreApplication.translate(
            "HealthStrip",
            "Sync stopped: the server's certificate is not trusted (not signed by the site's "
            "CA, or expired). Ask the admin.",
        )
    return QCoreApplication.translate(
        "HealthStrip",
        "Sync stopped: the server address is plain http://, not https://. Ask the admin.",
    )


def _trust_problem_short(state: str) -> str:
    """The same for the strip, short enough to fit beside the other devices."""
    if state == CERTIFICATE_CHANGED:
        return QCoreApplication.translate("HealthStrip", "Sync: certificate changed")
    if state == CERTIFICATE_UNTRUSTED:
        return QCoreApplication.translate("HealthStrip", "Sync: certificate not trusted")
    return QCoreApplication.translate("HealthStrip", "Sync: address not https://")


class HealthStrip(QWidget):
    camera_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("healthStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # Two rows: at 20 px (read at arm's length) the five states do not fit in one.
        layout = QGridLayout(self)
        layout.setContentsMargins(16, 2, 16, 2)
        layout.setHorizontalSpacing(28)
        layout.setVerticalSpacing(0)
        self.reader = self._label()
        self.scanner = self._label()
        self.camera = QPushButton(self)
        self.camera.setObjectName("healthButton")
        self.camera.setFlat(True)
        self.camera.setAutoDefault(False)
        self.camera.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.camera.clicked.connect(self.camera_clicked)
        self.printer = self._label()
        self.sync = self._label()
        # Which build runs here: the first thing support asks for, read out whole on the
        # phone; never cut, its column takes the room it needs (the states' cells end in "…").
        self.version = QLabel(self)
        self.version.setObjectName("healthVersion")
        self.version.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self._show_version()
        layout.addWidget(self.reader, 0, 0)
        layout.addWidget(self.scanner, 0, 1)
        layout.addWidget(self.camera, 0, 2, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.printer, 1, 0)
        layout.addWidget(self.sync, 1, 1)
        layout.addWidget(self.version, 1, 2)
        for column in range(3):
            layout.setColumnStretch(column, 1)
        # Each state's last setter, to say it again when the language is switched.
        self._shown: dict[str, Callable[[], None]] = {}
        self.set_reader("off", 0)
        self.set_scanner(None)
        self.set_camera("off")
        self.set_printer("off")
        self.set_sync(None, None)

    def _show_version(self) -> None:
        self.version.setText(
            QCoreApplication.translate("HealthStrip", "Version {version}").format(
                version=build_label()
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.say_again()

    def say_again(self) -> None:
        """Every state in the language now installed (the window asks at once when it
        switches, before the posted LanguageChange comes)."""
        self._show_version()
        for again in list(self._shown.values()):
            again()

    def _label(self) -> ElidedLabel:
        # A long state ends in "…" in its own cell (a tap shows it whole), never on the next.
        label = ElidedLabel(self)
        label.setObjectName("health")
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        return label

    def set_reader(self, state: str, bad_frames: int) -> None:
        self._shown["reader"] = lambda: self.set_reader(state, bad_frames)
        level, word = {
            "connected": (OK, QCoreApplication.translate("HealthStrip", "connected")),
            "reconnecting": (WARN, QCoreApplication.translate("HealthStrip", "reconnecting…")),
            "error": (FAULT, QCoreApplication.translate("HealthStrip", "error")),
        }.get(state, (OFF, QCoreApplication.translate("HealthStrip", "not set up")))
        text = QCoreApplication.translate("HealthStrip", "Badge reader: {state}").format(state=word)
        if bad_frames:
            text += " · " + QCoreApplication.translate("HealthStrip", "{n} bad reads").format(
                n=bad_frames
            )
        self._show(self.reader, level, text)

    def set_scanner(self, last_seen: str | None) -> None:
        self._shown["scanner"] = lambda: self.set_scanner(last_seen)
        if last_seen is None:
            self._show(
                self.scanner,
                OFF,
                QCoreApplication.translate("HealthStrip", "Scanner: not seen yet"),
            )
        else:
            self._show(
                self.scanner,
                OK,
                QCoreApplication.translate("HealthStrip", "Scanner: seen {time}").format(
                    time=last_seen
                ),
            )

    def set_camera(self, state: str) -> None:
        self._shown["camera"] = lambda: self.set_camera(state)
        level, word = {
            "starting": (WARN, QCoreApplication.translate("HealthStrip", "starting…")),
            "running": (OK, QCoreApplication.translate("HealthStrip", "on")),
            "unplugged": (FAULT, QCoreApplication.translate("HealthStrip", "unplugged - retrying")),
        }.get(state, (OFF, QCoreApplication.translate("HealthStrip", "not set up")))
        self._show(
            self.camera,
            level,
            QCoreApplication.translate("HealthStrip", "Camera: {state}").format(state=word),
        )

    def set_printer(self, state: str, detail: str = "") -> None:
        """A DocumentPrinter state; the detail (folder, printer, why it failed) is the tooltip."""
        self._shown["printer"] = lambda: self.set_printer(state, detail)
        level, word = {
            "pdf": (OK, QCoreApplication.translate("HealthStrip", "PDF to folder")),
            "ready": (OK, QCoreApplication.translate("HealthStrip", "ready")),
            "missing": (WARN, QCoreApplication.translate("HealthStrip", "none found")),
            "error": (FAULT, QCoreApplication.translate("HealthStrip", "error")),
        }.get(state, (OFF, QCoreApplication.translate("HealthStrip", "not set up")))
        self._show(
            self.printer,
            level,
            QCoreApplication.translate("HealthStrip", "Printer: {state}").format(state=word),
        )
        self.printer.setToolTip(detail)

    def set_sync(self, status: SyncStatus | None, times: TimeFormatter | None) -> None:
        """Online (green), offline with the events waiting (amber), refused or failing (red)."""
        self._shown["sync"] = lambda: self.set_sync(status, times)
        if status is None:
            self._show(
                self.sync, OFF, QCoreApplication.translate("HealthStrip", "Sync: not set up")
            )
            self.sync.setToolTip("")
            return
        waiting = QCoreApplication.translate("HealthStrip", "{n} waiting").format(n=status.pending)
        level, text = _sync_words(status, times, waiting)
        self._show(self.sync, level, text)
        last = (
            QCoreApplication.translate("HealthStrip", "never")
            if status.last_success_at is None or times is None
            else times.time(status.last_success_at)
        )
        tip = QCoreApplication.translate("HealthStrip", "Last sync: {time}").format(time=last)
        if status.state in _TRUST_STATES:
            tip += "\n" + trust_problem_words(status.state) + " · " + waiting
        if status.last_error:
            tip += "\n" + status.last_error
        self.sync.setToolTip(tip)

    def _show(self, widget: QLabel | QPushButton, level: str, text: str) -> None:
        widget.setText(f"{_SYMBOL[level]} {text}")
        set_style_property(widget, "level", level)


def _sync_words(status: SyncStatus, times: TimeFormatter | None, waiting: str) -> tuple[str, str]:
    """The strip's level and words for a sync status (set up)."""
    if status.bootstrap is not None:
        level = WARN
        text = QCoreApplication.translate("HealthStrip", "Sync: first download {percent}%").format(
            percent=int(status.bootstrap.fraction * 100)
        )
    elif status.held and status.state in (ONLINE, SYNCING):
        # The server caught a changed audit chain: nothing of this kiosk is applied
        # until an admin decides (the P1 alert says which device).
        level = FAULT
        text = QCoreApplication.translate(
            "HealthStrip", "Sync: held for an admin (audit check) - {waiting}"
        ).format(waiting=waiting)
    elif status.state == ONLINE:
        level = OK if not status.refused else WARN
        text = QCoreApplication.translate("HealthStrip", "Sync: online · {waiting}").format(
            waiting=waiting
        )
        if times is not None and status.last_success_at is not None:
            text += " · " + times.time(status.last_success_at)
        if status.refused:
            # The supervisor has an alert saying which and why.
            text += " · " + QCoreApplication.translate("HealthStrip", "{n} refused").format(
                n=status.refused
            )
    elif status.state == SYNCING:
        level, text = (
            OK,
            QCoreApplication.translate("HealthStrip", "Sync: connecting… · {waiting}").format(
                waiting=waiting
            ),
        )
    elif status.state == OFFLINE:
        level, text = (
            WARN,
            QCoreApplication.translate("HealthStrip", "Sync: offline - {waiting}").format(
                waiting=waiting
            ),
        )
    elif status.state == REFUSED:
        level, text = (
            FAULT,
            QCoreApplication.translate(
                "HealthStrip", "Sync: refused by the server - ask the admin"
            ),
        )
    elif status.state in _TRUST_STATES:
        level, text = FAULT, _trust_problem_short(status.state)
    else:
        level, text = (
            FAULT,
            QCoreApplication.translate("HealthStrip", "Sync: server error - {waiting}").format(
                waiting=waiting
            ),
        )
    return level, text
