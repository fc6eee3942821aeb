"""TLS between kiosk and server: a real `server-sync serve --certfile --keyfile` process.

A kiosk enrolled over https pins the certificate it saw (and shows it to the admin);
a server restarted with another certificate, or an impostor on the server's port, is
refused before the token leaves the kiosk, and the health strip says the certificate
is wrong, not "offline". A site with its own CA gives kiosks the CA file instead.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import cli as kiosk_cli
from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.settings import Settings
from kiosk.sync.client import SyncError, SyncErrorKind
from kiosk.sync.enrolment import EnrolmentRefusedError, enrolment_client
from kiosk.sync.runtime import build_sync
from kiosk.sync.status import CERTIFICATE_CHANGED, CERTIFICATE_UNTRUSTED, SyncStatus
from kiosk.sync.trust import SERVER_FINGERPRINT_NAME, parse_fingerprint
from kiosk.ui.widgets.health_strip import HealthStrip
from tests.helpers.central import CentralDatabase, KioskNode, ServerProcess, applied_counts
from tests.helpers.faults import record_counts, wait_until
from tests.helpers.sync_raw import user_id
from tests.helpers.tls import SiteAuthority, self_signed


@pytest.fixture
def servers() -> Iterator[list[ServerProcess]]:
    """Every server a test starts is stopped at its end."""
    started: list[ServerProcess] = []
    yield started
    for server in started:
        server.stop()


def _serve(
    central: CentralDatabase,
    servers: list[ServerProcess],
    tls: tuple[Path, Path],
    port: int | None = None,
) -> ServerProcess:
    for running in servers:
        running.stop()
    server = ServerProcess(central.url, port=port, tls=tls)
    servers.append(server)
    server.start()
    return server


def _status_words(node: KioskNode, url: str, ca_file: Path | None, qtbot: QtBot) -> tuple[str, str]:
    """The kiosk's own sync worker against `url`: the state it reports and the health strip's
    words for it, once it has given up on a round."""
    seen: list[SyncStatus] = []
    settings = Settings(
        data_dir=node.folder,
        server_url=url,
        server_ca_file=ca_file or Path(""),
        sync_max_backoff_seconds=1,
    )
    runtime = build_sync(
        settings,
        node.database,
        node.path,
        node.secrets,
        node.clock,
        on_status=seen.append,
        on_round=lambda report: None,
    )
    assert runtime is not None
    runtime.worker.start()
    try:
        wait_until(lambda: any(s.state not in {"syncing"} for s in seen), "a sync status")
    finally:
        runtime.stop()
    status = next(s for s in seen if s.state != "syncing")
    strip = HealthStrip()
    qtbot.addWidget(strip)
    strip.set_sync(status, None)
    return status.state, strip.sync.text()


class _Impostor:
    """A TLS listener with its own certificate on the server's port: records what it is sent."""

    def __init__(self, port: int, certfile: Path, keyfile: Path) -> None:
        self.received = b""
        self.handshakes = 0
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile)
        self._listener = socket.create_server(("127.0.0.1", port))
        self._listener.settimeout(0.2)
        self._context = context
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                raw, _ = self._listener.accept()
            except TimeoutError:
                continue
            try:
                with self._context.wrap_socket(raw, server_side=True) as tls:
                    self.handshakes += 1
                    tls.settimeout(1.0)
                    while chunk := tls.recv(65536):
                        self.received += chunk
            except (OSError, ssl.SSLError):
                continue

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()


def test_a_kiosk_pins_the_certificate_at_enrolment_and_refuses_another_one(
    central: CentralDatabase, servers: list[ServerProcess], tmp_path: Path, qtbot: QtBot
) -> None:
    first = self_signed(tmp_path / "certs", "first")
    server = _serve(central, servers, first.pair)
    assert server.url.startswith("https://")
    code = central.enrolment_code(line="CUT-L02")

    # The admin typed the fingerprint the server printed, but a wrong one: nothing is sent.
    other = self_signed(tmp_path / "certs", "other")
    with pytest.raises(EnrolmentRefusedError, match="presents the certificate"):
        enrolment_client(server.url, expected_fingerprint=parse_fingerprint(other.fingerprint))

    # Trust on first use: the same code still works (it never left the kiosk).
    node = KioskNode(tmp_path / "CUT-L02", server.url, code)
    try:
        assert node.server_fingerprint == first.fingerprint  # what `kiosk enrol` shows
        assert node.secrets.get(SERVER_FINGERPRINT_NAME) == parse_fingerprint(first.fingerprint)
        assert node.sync().pulled > 0  # the line's data came down over https
        record_counts(node, 3)
        assert node.sync().answers["applied"] == 4  # session.started and three counts
        applied = applied_counts(central)

        # The server comes back with another certificate (or someone took its place).
        second = self_signed(tmp_path / "certs", "second")
        server = _serve(central, servers, second.pair, port=server.port)
        record_counts(node, 2)
        with pytest.raises(SyncError) as refused:
            node.sync()
        assert refused.value.kind is SyncErrorKind.CERTIFICATE_CHANGED
        assert node.pending() == 3  # nothing sent: the login and two counts wait
        assert applied_counts(central) == applied
        state, words = _status_words(node, server.url, None, qtbot)
        assert state == CERTIFICATE_CHANGED
        assert "certificate changed" in words
        assert "offline" not in words.lower()

        # An impostor on the port completes a TLS handshake but never sees the token.
        for running in servers:
            running.stop()
        impostor = _Impostor(server.port, second.certfile, second.keyfile)
        try:
            with pytest.raises(SyncError) as refused:
                node.sync()
            assert refused.value.kind is SyncErrorKind.CERTIFICATE_CHANGED
        finally:
            impostor.close()
        assert impostor.handshakes >= 1
        assert b"Bearer" not in impostor.received and impostor.received == b""

        # The real server back with the enrolled certificate: the waiting events go out.
        _serve(central, servers, first.pair, port=server.port)
        assert node.sync().answers["applied"] == 3
        assert node.pending() == 0
    finally:
        node.close()


def test_a_site_ca_file_verifies_the_server_and_refuses_a_certificate_it_did_not_sign(
    central: CentralDatabase, servers: list[ServerProcess], tmp_path: Path, qtbot: QtBot
) -> None:
    authority = SiteAuthority(tmp_path / "ca")
    server = _serve(central, servers, authority.issue("server").pair)
    node = KioskNode(
        tmp_path / "CUT-L02",
        server.url,
        central.enrolment_code(line="CUT-L02"),
        ca_file=authority.ca_file,
    )
    try:
        assert node.server_fingerprint is None  # nothing pinned: the CA decides
        assert node.secrets.get(SERVER_FINGERPRINT_NAME) is None
        assert node.sync().pulled > 0

        # A self-signed certificate (not the site CA's) on the server's port is refused.
        server = _serve(
            central, servers, self_signed(tmp_path / "certs", "rogue").pair, port=server.port
        )
        with pytest.raises(SyncError) as refused:
            node.sync()
        assert refused.value.kind is SyncErrorKind.CERTIFICATE_UNTRUSTED
        state, words = _status_words(node, server.url, authority.ca_file, qtbot)
        assert state == CERTIFICATE_UNTRUSTED
        assert "certificate not trusted" in words

        # A renewed certificate from the same CA needs no new enrolment.
        _serve(central, servers, authority.issue("renewed").pair, port=server.port)
        record_counts(node, 1)
        assert node.sync().answers["applied"] == 2
    finally:
        node.close()


def test_kiosk_enrol_shows_the_pinned_certificate_and_checks_one_given(
    central: CentralDatabase,
    servers: list[ServerProcess],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    certificate = self_signed(tmp_path / "certs", "server")
    server = _serve(central, servers, certificate.pair)
    monkeypatch.setenv("KIOSK_SECRET_STORE", "file")
    code = central.enrolment_code(line="CUT-L02")
    enrol = ["enrol", code, "--server-url", server.url, "--data-dir", str(tmp_path / "kiosk")]
    wrong = self_signed(tmp_path / "certs", "wrong").fingerprint
    assert kiosk_cli.main([*enrol, "--server-fingerprint", wrong]) == 1
    assert "Nothing was sent" in capsys.readouterr().err
    assert kiosk_cli.main([*enrol, "--server-fingerprint", certificate.fingerprint]) == 0
    printed = capsys.readouterr().out
    assert f"Server certificate pinned, SHA-256 {certificate.fingerprint}" in printed


def test_privileged_requests_go_over_the_pinned_certificate_too(
    central: CentralDatabase, servers: list[ServerProcess], tmp_path: Path
) -> None:
    """An admin's PIN reset is a direct request, not a sync round: it trusts the same pin."""
    first = self_signed(tmp_path / "certs", "first")
    server = _serve(central, servers, first.pair)
    node = KioskNode(tmp_path / "CUT-L02", server.url, central.enrolment_code(line="CUT-L02"))
    try:
        node.sync()
        admin = node.login("E9001")
        budi = user_id(central, "E1002")
        node.services.identity.reset_pin(admin, demo_user("E9001").pin, budi, "8080")
        assert node.services.auth.login_with_pin(budi, "8080").actor.employee_no == "E1002"
        # Another certificate in the server's place: refused as such, nothing sent.
        second = self_signed(tmp_path / "certs", "second")
        _serve(central, servers, second.pair, port=server.port)
        with pytest.raises(RefusalError) as refused:
            node.services.identity.reset_pin(admin, demo_user("E9001").pin, budi, "9090")
        assert refused.value.code is not ErrorCode.PIN_FORMAT
        assert node.services.auth.login_with_pin(budi, "8080").actor.employee_no == "E1002"
    finally:
        node.close()
