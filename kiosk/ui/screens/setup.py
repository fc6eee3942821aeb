"""A new kiosk sets itself up on the floor: the server's address, then the enrolment code.

Shown instead of the login when the kiosk has no site and is not enrolled. The code is typed
on the on-screen keys, or the admin's QR code (kiosk.domain.enrolment_link) is shown to the
camera or the scanner: it carries the address, the code and the certificate to expect, and
enrols at once. The calls run on the worker thread (kiosk.sync.setup); each failure has its
own words and a way back, and nothing is stored unless the server said yes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.enrolment_link import (
    ENROLMENT_CODE_DIGITS,
    AddressProblem,
    EnrolmentLinkError,
    LinkProblem,
    address_problem,
    grouped_code,
    normalized_address,
    normalized_code,
    parse_enrolment_link,
)
from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.sync.enrolment import Enrolled, EnrolmentFailure, EnrolmentRefusedError
from kiosk.sync.setup import KioskSetup, ServerSeen
from kiosk.sync.trust import format_fingerprint
from kiosk.ui.scan_router import ScanRouter
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.widgets.digit_entry import DigitEntryPage
from kiosk.ui.widgets.keypad import KEY_BACKSPACE
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.text_keys import TextKeys, apply_text_key

log = logging.getLogger(__name__)

_CAMERA_SIZE = (300, 170)
# What the "again" button does after a failure.
_AGAIN_CODE = "code"  # back to the code, cleared
_AGAIN_RETRY = "retry"  # the same call once more


class SetupScreen(QWidget):
    """The setup steps as pages of one top-level window; `enrolled` ends them."""

    enrolled = Signal(object)  # Enrolled: the start-up goes on to the first download

    def __init__(
        self,
        setup: KioskSetup,
        runner: TaskRunner,
        *,
        address: str = "",
        closable: bool = False,
        scan_repeat_seconds: float = 1.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._setup = setup
        self._runner = runner
        self._closable = closable
        self._address = address.strip() or "https://"
        self._server: ServerSeen | None = None
        self._busy = False
        self._retry: tuple[str, str] = ("look", "")  # the last call: look or enrol, its code
        self._again = _AGAIN_RETRY
        self.problem: EnrolmentFailure | LinkProblem | None = None  # the last one shown
        self.scan_router = ScanRouter(
            self._on_scan, scan_repeat_seconds, self, is_settling=lambda: self._busy
        )
        self.setObjectName("screen")
        self.setWindowTitle(self.tr("Line kiosk - set up"))
        self._build()
        self._show_address()

    # ------------------------------------------------------------------ build
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 20)
        layout.setSpacing(12)
        top = QHBoxLayout()
        words = QVBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        words.addWidget(self.title)
        self.hint = QLabel(self)
        self.hint.setObjectName("subtitle")
        self.hint.setWordWrap(True)
        words.addWidget(self.hint)
        words.addStretch(1)
        top.addLayout(words, 1)
        self.camera_slot = QWidget(self)
        self.camera_slot.setFixedSize(*_CAMERA_SIZE)
        self._camera_layout = QVBoxLayout(self.camera_slot)
        self._camera_layout.setContentsMargins(0, 0, 0, 0)
        self.camera_slot.hide()
        top.addWidget(self.camera_slot, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages, 1)
        self.address_page = self._build_address_page()
        self.code_page = DigitEntryPage(
            self.tr("Type the enrolment code"),
            masked=False,
            max_length=ENROLMENT_CODE_DIGITS,
            prefix="",
            confirm_text=self.tr("Enrol"),
            parent=self.pages,
        )
        self.code_page.submitted.connect(self._on_code_submitted)
        self.code_page.back_requested.connect(self._show_address)
        self.pages.addWidget(self.code_page)
        self.busy_page = QLabel(self.pages)
        self.busy_page.setObjectName("subtitle")
        self.busy_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_page.setWordWrap(True)
        self.pages.addWidget(self.busy_page)
        self.problem_page = self._build_problem_page()

    def _build_address_page(self) -> QWidget:
        page = QWidget(self.pages)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.address_display = QLabel(page)
        self.address_display.setObjectName("entryValue")
        self.address_display.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.address_display)
        self.address_problem_label = QLabel(page)
        self.address_problem_label.setObjectName("setupProblem")
        self.address_problem_label.setWordWrap(True)
        layout.addWidget(self.address_problem_label)
        layout.addStretch(1)
        self.keys = TextKeys(page)
        self.keys.key_pressed.connect(self._on_address_key)
        layout.addWidget(self.keys)
        row = QHBoxLayout()
        row.addStretch(1)
        self.next_button = big_button(self.tr("Next"), "go", page)
        self.next_button.setObjectName("setupChoice")
        self.next_button.clicked.connect(self._on_next_clicked)
        row.addWidget(self.next_button)
        layout.addLayout(row)
        self.pages.addWidget(page)
        return page

    def _build_problem_page(self) -> QWidget:
        page = QWidget(self.pages)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 20, 0, 0)
        layout.setSpacing(20)
        self.problem_detail = QLabel(page)
        self.problem_detail.setObjectName("subtitle")
        self.problem_detail.setWordWrap(True)
        layout.addWidget(self.problem_detail)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.edit_address_button = big_button(self.tr("Edit the address"), "", page)
        self.edit_address_button.setObjectName("setupChoice")
        self.edit_address_button.clicked.connect(self._show_address)
        row.addWidget(self.edit_address_button)
        row.addStretch(1)
        self.again_button = big_button(self.tr("Try again"), "go", page)
        self.again_button.setObjectName("setupChoice")
        self.again_button.clicked.connect(self._on_again_clicked)
        row.addWidget(self.again_button)
        layout.addLayout(row)
        self.pages.addWidget(page)
        return page

    # ------------------------------------------------------------------ devices
    def attach_camera_preview(self, preview: QWidget) -> None:
        """The camera's picture beside the title, so the QR code can be aimed."""
        self._camera_layout.addWidget(preview)
        self.camera_slot.show()

    def show_camera_state(self, state: str, detail: str) -> None:
        log.info("camera %s %s", state, detail)

    def shut_down(self) -> None:
        """Enrolled, or the start ended: close for real."""
        self._closable = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closable:  # on the floor only the start-up closes it
            event.ignore()
            return
        super().closeEvent(event)

    # ------------------------------------------------------------------ pages
    @property
    def address(self) -> str:
        return self._address

    def current_page(self) -> QWidget:
        page = self.pages.currentWidget()
        assert page is not None  # the pages are made with the screen
        return page

    def _show_address(self) -> None:
        self.title.setText(self.tr("Set up this kiosk: the server's address"))
        self.hint.setText(
            self.tr(
                "Type the address the admin gives you, or show the admin's enrolment QR code "
                "to the camera or the scanner."
            )
        )
        self.address_problem_label.setText("")
        self._refresh_address()
        self.pages.setCurrentWidget(self.address_page)
        self.setFocus()

    def _show_code(self) -> None:
        server = self._server
        assert server is not None
        self.title.setText(self.tr("Set up this kiosk: the enrolment code"))
        if server.fingerprint is None:
            self.hint.setText(self.tr("Server {url}").format(url=server.url))
        else:
            self.hint.setText(
                self.tr("Server {url}, certificate SHA-256 {digest}…").format(
                    url=server.url, digest=format_fingerprint(server.fingerprint)[:23]
                )
            )
        self.code_page.set_title(
            self.tr("Type the {digits}-digit code from the admin's screen").format(
                digits=ENROLMENT_CODE_DIGITS
            )
        )
        self.code_page.clear()
        self.pages.setCurrentWidget(self.code_page)
        self.code_page.setFocus()

    def _show_busy(self, text: str) -> None:
        self._busy = True
        self.busy_page.setText(text)
        self.pages.setCurrentWidget(self.busy_page)

    def _show_problem(self, title: str, detail: str, again: str, again_text: str) -> None:
        self._busy = False
        self._again = again
        self.title.setText(title)
        self.hint.setText("")
        self.problem_detail.setText(detail)
        self.again_button.setText(again_text)
        self.pages.setCurrentWidget(self.problem_page)

    def _refresh_address(self) -> None:
        self.address_display.setText(self._address + "▏")

    # ------------------------------------------------------------------ the address
    def _on_address_key(self, key: str) -> None:
        self._address = apply_text_key(self._address, key)
        self.address_problem_label.setText("")
        self._refresh_address()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A desk keyboard types the address too."""
        if self.current_page() is not self.address_page:
            super().keyPressEvent(event)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_next_clicked()
        elif event.key() == Qt.Key.Key_Backspace:
            self._on_address_key(KEY_BACKSPACE)
        elif event.text():
            self._on_address_key(event.text())
        else:
            super().keyPressEvent(event)

    def _on_next_clicked(self) -> None:
        problem = address_problem(self._address)
        if problem is not None:
            self.address_problem_label.setText(self._address_words(problem))
            return
        self._address = normalized_address(self._address)
        self._look()

    def _look(self) -> None:
        url = self._address
        self._retry = ("look", "")
        self._show_busy(self.tr("Looking for the server at {url}…").format(url=url))
        self._runner.run(lambda: self._setup.look_at(url), self._on_server_seen, self._on_failed)

    def _on_server_seen(self, seen: ServerSeen) -> None:
        self._busy = False
        self._server = seen
        self._show_code()

    # ------------------------------------------------------------------ the code
    def _on_code_submitted(self, typed: str) -> None:
        code = normalized_code(typed)
        if code is None:
            self.code_page.set_title(
                self.tr("An enrolment code has {digits} digits; {typed} are typed.").format(
                    digits=ENROLMENT_CODE_DIGITS, typed=len(typed)
                )
            )
            return
        self._enrol(code)

    def _enrol(self, code: str) -> None:
        server = self._server
        assert server is not None
        self._retry = ("enrol", code)
        self._show_busy(
            self.tr("Enrolling this kiosk with code {code}…").format(code=grouped_code(code))
        )
        self._runner.run(
            lambda: self._setup.enrol(server.url, code, server.fingerprint),
            self._on_enrolled,
            self._on_failed,
        )

    def _on_enrolled(self, enrolled: Enrolled) -> None:
        where = enrolled.line_code or enrolled.department.value
        self.problem = None
        self.title.setText(self.tr("Enrolled for {where}").format(where=where))
        self.hint.setText("")
        self.busy_page.setText(self.tr("Getting the line's data ready…"))
        self.enrolled.emit(enrolled)

    # ------------------------------------------------------------------ scans
    def _on_scan(self, payload: ScanPayload) -> None:
        """The admin's QR from the camera or the scanner: address, code and certificate."""
        if self._busy or self.current_page() is self.busy_page:
            return
        text = payload.value if payload.kind is PayloadKind.UNKNOWN else ""
        try:
            link = parse_enrolment_link(text)
        except EnrolmentLinkError as error:
            self._show_link_problem(error)
            return
        self._address = link.server_url
        self._server = ServerSeen(link.server_url, link.fingerprint)
        self._enrol(link.code)

    def _show_link_problem(self, error: EnrolmentLinkError) -> None:
        self.problem = error.problem
        if error.problem is LinkProblem.NOT_A_LINK:
            title = self.tr("This is not an enrolment code")
            detail = self.tr(
                "Show the QR code from the admin's Devices screen, or type the server's "
                "address and the code."
            )
        elif error.problem is LinkProblem.VERSION:
            title = self.tr("This enrolment code is from a newer server")
            detail = self.tr("Update this kiosk's program, or type the address and the code.")
        elif error.problem is LinkProblem.BAD_ADDRESS and error.address_problem is not None:
            title = self.tr("The server address in this code cannot be used")
            detail = self._address_words(error.address_problem)
        else:
            title = self.tr("This enrolment code cannot be read")
            detail = self.tr(
                "The QR code is damaged or incomplete. Ask the admin to show it again, or "
                "type the address and the code."
            )
        self._retry = ("look", "")
        self._show_problem(title, detail, _AGAIN_RETRY, self.tr("Back"))
        self._again = "address"

    # ------------------------------------------------------------------ failures
    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, EnrolmentRefusedError):
            kind = error.kind
        else:
            log.error("kiosk set-up failed: %s", error)
            kind = EnrolmentFailure.OTHER
        self.problem = kind
        title, detail, again, again_text = self._failure_words(kind, error)
        self._show_problem(title, detail, again, again_text)

    def _failure_words(
        self, kind: EnrolmentFailure, error: BaseException
    ) -> tuple[str, str, str, str]:
        """Title, detail, what "again" does and its words, for each kind of failure."""
        url = self._address
        again, retry = self.tr("Try again"), self.tr("Type the code again")
        words = {
            EnrolmentFailure.WRONG_CODE: (
                self.tr("The server refused this code"),
                self.tr(
                    "It is unknown, already used or expired. Check the digits, or ask an "
                    "admin for a new code."
                ),
                _AGAIN_CODE,
                retry,
            ),
            EnrolmentFailure.UNREACHABLE: (
                self.tr("The server cannot be reached"),
                self.tr(
                    "Nothing answered at {url}. Check the address, and that this kiosk's "
                    "network cable is in."
                ).format(url=url),
                _AGAIN_RETRY,
                again,
            ),
            EnrolmentFailure.CERTIFICATE: (
                self.tr("The server's certificate does not match"),
                self.tr(
                    "The server at {url} does not present the certificate the admin's code "
                    "names. Nothing was sent. Check the address, and tell the admin: "
                    "someone may be in between."
                ).format(url=url),
                _AGAIN_RETRY,
                again,
            ),
            EnrolmentFailure.LINE_GONE: (
                self.tr("This code is for a line the server no longer has"),
                self.tr("Ask an admin for a code for one of the site's lines."),
                _AGAIN_CODE,
                self.tr("Type another code"),
            ),
            EnrolmentFailure.LOCKED_OUT: (
                self.tr("Too many wrong codes"),
                self.tr(
                    "The server takes no code from this kiosk for a while. Wait a few "
                    "minutes, then try again."
                ),
                _AGAIN_CODE,
                retry,
            ),
            EnrolmentFailure.INSECURE: (
                self.tr("This address is not encrypted"),
                self._address_words(AddressProblem.PLAIN_HTTP),
                _AGAIN_RETRY,
                again,
            ),
            EnrolmentFailure.ALREADY_SET_UP: (
                self.tr("This kiosk already holds a site"),
                self.tr("Ask the admin: it must be set up with an empty data folder."),
                _AGAIN_RETRY,
                again,
            ),
        }
        return words.get(
            kind,
            (
                self.tr("The kiosk could not be enrolled"),
                self.tr("The server said: {error}").format(error=str(error)[:200]),
                _AGAIN_RETRY,
                again,
            ),
        )

    def _on_again_clicked(self) -> None:
        if self._again == "address":
            self._show_address()
        elif self._again == _AGAIN_CODE and self._server is not None:
            self._show_code()
        elif self._retry[0] == "enrol" and self._server is not None:
            self._enrol(self._retry[1])
        else:
            self._look()

    def _address_words(self, problem: AddressProblem) -> str:
        words = {
            AddressProblem.EMPTY: self.tr("Type the server's address."),
            AddressProblem.NO_SCHEME: self.tr(
                "The address starts with https:// (tap the https:// key)."
            ),
            AddressProblem.PLAIN_HTTP: self.tr(
                "Use https://: over http:// the kiosk's keys would cross the network "
                "unencrypted (http:// only to this computer)."
            ),
            AddressProblem.NO_HOST: self.tr("Type the server's name or number after https://."),
            AddressProblem.BAD_PORT: self.tr(
                "The port after the colon must be a number from 1 to 65535."
            ),
            AddressProblem.EXTRA_PARTS: self.tr("Only the server's address: no ?, # or @ parts."),
        }
        return words[problem]
