"""A new kiosk sets itself up on its own screen, against a real `server-sync` over HTTPS.

Real widgets, a real server process with a self-signed certificate (as `server-sync
make-cert` makes) on a real PostgreSQL: the address is tapped on the on-screen keys and the
code on the keypad, or the admin's QR is shown to the camera (replayed frames) or read by the
scanner (a key burst); the kiosk enrols, downloads its line and shows the login. A wrong code,
an unreachable server, a certificate that does not match and a line the server no longer has
each show their own words and a way back, and leave nothing stored.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from kiosk.app import KioskStartup, StartPlan
from kiosk.devices.camera import ReplayFrameSource
from kiosk.domain.enrolment_link import EnrolmentLink, enrolment_link_text
from kiosk.settings import load_settings
from kiosk.store.database import DATABASE_FILE_NAME, open_database
from kiosk.store.models import Line
from kiosk.store.secrets import FileSecretStore
from kiosk.sync.enrolment import DEVICE_TOKEN_NAME, EnrolmentFailure
from kiosk.sync.local import SyncStore
from kiosk.sync.trust import parse_fingerprint
from kiosk.ui.screens.setup import SetupScreen
from kiosk.ui.widgets.text_keys import SCHEME_KEY
from server_sync.models import Device, EnrolmentCode
from tests.helpers.central import CentralDatabase, ServerProcess, free_port
from tests.helpers.labels import frame_with, qr_code
from tests.helpers.tls import ServerCertificate, self_signed

WAIT_MS = 30_000  # the whole line's data comes down on a shared machine


@dataclass
class Site:
    central: CentralDatabase
    server: ServerProcess
    certificate: ServerCertificate

    @property
    def fingerprint(self) -> bytes:
        return parse_fingerprint(self.certificate.fingerprint)

    def devices(self) -> int:
        return self.central.count(Device)


@pytest.fixture(scope="module")
def site(
    postgres_server: str, central_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One central database and one HTTPS `server-sync serve` for the module's kiosks."""
    certificate = self_signed(tmp_path_factory.mktemp("tls"), "server")
    with CentralDatabase.copy_of(postgres_server, central_template) as central:
        server = ServerProcess(central.url, tls=certificate.pair)
        server.start()
        try:
            yield Site(central, server, certificate)
        finally:
            server.stop()


class NewKiosk:
    """A kiosk started on an empty data folder, its start-up driven by the real main loop."""

    def __init__(
        self, qtbot: QtBot, qapp: Any, folder: Path, *, camera: Any = None, **more: str
    ) -> None:
        self.qtbot = qtbot
        self.folder = folder
        settings: dict[str, Any] = {
            "data_dir": folder,
            "secret_store": "file",
            "windowed": True,
            "sounds": False,
            "sync_interval_seconds": "0.2",
            "sync_max_backoff_seconds": "1",
            "sync_timeout_seconds": "5",
        }
        settings.update(more)
        if camera is not None:
            settings["camera"] = "replay"
        self.startup = KioskStartup(
            qapp,
            load_settings(command_line=settings),
            _Clock(),
            StartPlan(demo=False, reset=False, smoke=False, desktop=False, scratch=folder),
            started=time.perf_counter(),
            camera_source=None if camera is None else (lambda: camera),
        )
        self.startup.begin()
        qtbot.waitUntil(lambda: self.startup.setup_screen is not None, timeout=WAIT_MS)

    @property
    def screen(self) -> SetupScreen:
        screen = self.startup.setup_screen
        assert screen is not None
        return screen

    def tap(self, button: QPushButton) -> None:
        assert button.isVisible() and button.isEnabled(), button.text()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def type_address(self, url: str) -> None:
        """Tap the address on the on-screen keys, as a person does."""
        keys = self.screen.keys.buttons
        self.tap(keys["clear"])
        rest = url
        if url.startswith(SCHEME_KEY):
            self.tap(keys[SCHEME_KEY])
            rest = url[len(SCHEME_KEY) :]
        for char in rest:
            self.tap(keys[char])
        assert self.screen.address == url

    def type_code(self, code: str) -> None:
        page = self.screen.code_page
        self.qtbot.waitUntil(lambda: self.screen.current_page() is page, timeout=WAIT_MS)
        for digit in code:
            self.tap(page.keypad.buttons[digit])
        self.tap(page.confirm_button)

    def wait_for_problem(self, kind: EnrolmentFailure) -> None:
        self.qtbot.waitUntil(
            lambda: self.screen.current_page() is self.screen.problem_page, timeout=WAIT_MS
        )
        assert self.screen.problem is kind, self.screen.problem_detail.text()

    def wait_for_login(self) -> None:
        self.qtbot.waitUntil(lambda: self.startup.window is not None, timeout=WAIT_MS)
        window = self.startup.window
        assert window is not None
        self.qtbot.waitUntil(window.isVisible, timeout=WAIT_MS)
        assert window.current_screen() is window.login_screen
        self.qtbot.waitUntil(lambda: "E2001" in window.login_screen.tiles, timeout=WAIT_MS)
        assert self.startup.setup_screen is None
        assert self.startup.bootstrap_screen is None
        assert self.startup.error is None

    def is_enrolled(self) -> bool:
        database = open_database(self.folder / DATABASE_FILE_NAME)
        try:
            return SyncStore(database).state().is_enrolled
        finally:
            database.dispose()

    def stored_token(self) -> bytes | None:
        return FileSecretStore.beside(self.folder / DATABASE_FILE_NAME).get(DEVICE_TOKEN_NAME)

    def close(self) -> None:
        self.startup.finish(0)
        if self.startup.window is not None:
            self.startup.window.deleteLater()
        self.qtbot.wait(1)


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


@pytest.fixture
def new_kiosk(qtbot: QtBot, qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the window installs its own
    made: list[NewKiosk] = []

    def make(camera: Any = None) -> NewKiosk:
        kiosk = NewKiosk(qtbot, qapp, tmp_path / f"kiosk{len(made)}", camera=camera)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


def _link(site: Site, code: str, fingerprint: bytes | None = None) -> str:
    return enrolment_link_text(
        EnrolmentLink(site.server.url, code, fingerprint or site.fingerprint)
    )


def _assert_nothing_stored(kiosk: NewKiosk, site: Site, devices_before: int) -> None:
    assert not kiosk.is_enrolled()
    assert kiosk.stored_token() is None
    assert site.devices() == devices_before


# ---------------------------------------------------------------------- enrolled
def test_the_address_and_code_typed_on_the_screen_enrol_the_kiosk_and_show_the_login(
    site: Site, new_kiosk: Any
) -> None:
    code = site.central.enrolment_code(line="SEW-L03")
    kiosk = new_kiosk()
    screen = kiosk.screen
    assert screen.current_page() is screen.address_page
    kiosk.type_address(site.server.url)
    kiosk.tap(screen.next_button)
    kiosk.qtbot.waitUntil(lambda: screen.current_page() is screen.code_page, timeout=WAIT_MS)
    # The certificate the server presents is shown, to compare with the admin's screen.
    assert site.certificate.fingerprint[:23] in screen.hint.text()
    kiosk.type_code(code)
    kiosk.wait_for_login()
    assert kiosk.is_enrolled() and kiosk.stored_token() is not None
    assert _is_used(site, code)


def test_the_admins_qr_shown_to_the_camera_enrols_the_kiosk(site: Site, new_kiosk: Any) -> None:
    code = site.central.enrolment_code(line="SEW-L03")
    label = frame_with(qr_code(_link(site, code), scale=5), bgr=True)
    kiosk = new_kiosk(camera=ReplayFrameSource([label], fps=15))
    assert kiosk.screen.camera_slot.isVisible()  # the picture, to aim the code
    kiosk.wait_for_login()
    assert kiosk.is_enrolled()


def test_the_admins_qr_read_by_the_scanner_enrols_the_kiosk(
    site: Site, new_kiosk: Any, qtbot: QtBot
) -> None:
    code = site.central.enrolment_code(line="SEW-L03")
    kiosk = new_kiosk()
    kiosk.screen.activateWindow()
    qtbot.waitUntil(kiosk.screen.isActiveWindow, timeout=WAIT_MS)
    handle = kiosk.screen.windowHandle()
    for char in _link(site, code):  # back to back, as a scanner sends them
        QTest.keyClick(handle, char)
    QTest.keyClick(handle, Qt.Key.Key_Return)
    kiosk.wait_for_login()
    assert kiosk.is_enrolled()


# ---------------------------------------------------------------------- refused
def test_a_wrong_code_is_named_and_the_code_can_be_typed_again(site: Site, new_kiosk: Any) -> None:
    before = site.devices()
    kiosk = new_kiosk()
    kiosk.type_address(site.server.url)
    kiosk.tap(kiosk.screen.next_button)
    kiosk.type_code("000000000000")
    kiosk.wait_for_problem(EnrolmentFailure.WRONG_CODE)
    assert kiosk.screen.title.text() == "The server refused this code"
    _assert_nothing_stored(kiosk, site, before)
    kiosk.tap(kiosk.screen.again_button)
    assert kiosk.screen.current_page() is kiosk.screen.code_page
    assert kiosk.screen.code_page.value() == ""


def test_an_unreachable_server_is_named_and_the_address_can_be_edited(
    site: Site, new_kiosk: Any
) -> None:
    before = site.devices()
    kiosk = new_kiosk()
    kiosk.type_address(f"https://127.0.0.1:{free_port()}")
    kiosk.tap(kiosk.screen.next_button)
    kiosk.wait_for_problem(EnrolmentFailure.UNREACHABLE)
    assert kiosk.screen.title.text() == "The server cannot be reached"
    _assert_nothing_stored(kiosk, site, before)
    kiosk.tap(kiosk.screen.edit_address_button)
    assert kiosk.screen.current_page() is kiosk.screen.address_page
    kiosk.type_address(site.server.url)  # the right one: on to the code
    kiosk.tap(kiosk.screen.next_button)
    kiosk.qtbot.waitUntil(
        lambda: kiosk.screen.current_page() is kiosk.screen.code_page, timeout=WAIT_MS
    )


def test_a_certificate_that_is_not_the_codes_is_named_and_nothing_is_sent(
    site: Site, new_kiosk: Any, tmp_path: Path
) -> None:
    code = site.central.enrolment_code(line="SEW-L03")
    before = site.devices()
    other = parse_fingerprint(self_signed(tmp_path / "other", "other").fingerprint)
    kiosk = new_kiosk(camera=ReplayFrameSource([_qr_frame(_link(site, code, other))], fps=15))
    kiosk.wait_for_problem(EnrolmentFailure.CERTIFICATE)
    assert kiosk.screen.title.text() == "The server's certificate does not match"
    _assert_nothing_stored(kiosk, site, before)
    assert not _is_used(site, code)  # the code never left the kiosk
    kiosk.tap(kiosk.screen.edit_address_button)
    assert kiosk.screen.current_page() is kiosk.screen.address_page
    assert kiosk.screen.address == site.server.url


def test_a_code_for_a_line_the_server_no_longer_has_is_named(site: Site, new_kiosk: Any) -> None:
    code = site.central.enrolment_code(line="EMB-L01")
    with site.central.session() as session:  # the ERP retired the line since
        session.execute(update(Line).where(Line.code == "EMB-L01").values(is_active=False))
        session.commit()
    before = site.devices()
    kiosk = new_kiosk()
    kiosk.type_address(site.server.url)
    kiosk.tap(kiosk.screen.next_button)
    kiosk.type_code(code)
    kiosk.wait_for_problem(EnrolmentFailure.LINE_GONE)
    assert kiosk.screen.title.text() == "This code is for a line the server no longer has"
    _assert_nothing_stored(kiosk, site, before)
    assert not _is_used(site, code)  # not used up: the admin may reactivate the line
    kiosk.tap(kiosk.screen.again_button)
    assert kiosk.screen.current_page() is kiosk.screen.code_page


def test_a_qr_that_is_not_an_enrolment_code_changes_nothing(site: Site, new_kiosk: Any) -> None:
    before = site.devices()
    kiosk = new_kiosk(camera=ReplayFrameSource([_qr_frame("WO-2026-004219")], fps=15))
    kiosk.qtbot.waitUntil(
        lambda: kiosk.screen.current_page() is kiosk.screen.problem_page, timeout=WAIT_MS
    )
    assert kiosk.screen.title.text() == "This is not an enrolment code"
    _assert_nothing_stored(kiosk, site, before)
    kiosk.tap(kiosk.screen.again_button)
    assert kiosk.screen.current_page() is kiosk.screen.address_page


def _qr_frame(text: str) -> Any:
    return frame_with(qr_code(text, scale=5), bgr=True)


def _is_used(site: Site, code: str) -> bool:
    """Whether the server used the code up (it keeps only the code's SHA-256)."""
    digest = hashlib.sha256(code.encode("ascii")).hexdigest()
    with site.central.session() as session:
        used_at = session.scalar(
            select(EnrolmentCode.used_at).where(EnrolmentCode.code_hash == digest)
        )
    return used_at is not None


# ---------------------------------------------------------------------- kiosk enrol
def test_kiosk_enrol_stays_for_scripts_and_names_a_retired_lines_code(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    monkeypatch.setenv("KIOSK_SECRET_STORE", "file")
    code = site.central.enrolment_code(line="FIN-L01")
    with site.central.session() as session:
        session.execute(update(Line).where(Line.code == "FIN-L01").values(is_active=False))
        session.commit()
    arguments = ["--server-url", site.server.url, "--data-dir", str(tmp_path / "cli")]
    assert main(["enrol", code, *arguments]) == 1
    said = capsys.readouterr().err
    assert "this code is for line FIN-L01, which the server no longer has" in said
    assert "Ask an admin for a code for an active line." in said
    good = site.central.enrolment_code(line="CUT-L01")
    assert main(["enrol", good, *arguments]) == 0
    assert f"Server certificate pinned, SHA-256 {site.certificate.fingerprint}" in (
        capsys.readouterr().out
    )
