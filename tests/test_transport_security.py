"""Plain http:// to another computer is refused before anything connects; the server's TLS
options are checked before it serves. No network and no database server needed."""

from __future__ import annotations

import hashlib
import ssl
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import cli as kiosk_cli
from kiosk.domain.roles import Department
from kiosk.settings import Settings, SettingsError, load_settings
from kiosk.store import migrate
from kiosk.store.database import open_database
from kiosk.store.secrets import FileSecretStore
from kiosk.sync.client import SyncClient, SyncError, SyncErrorKind
from kiosk.sync.enrolment import DEVICE_TOKEN_NAME, EnrolmentRefusedError, enrolment_client
from kiosk.sync.local import SyncStore
from kiosk.sync.runtime import build_sync
from kiosk.sync.status import INSECURE, SyncStatus
from kiosk.ui.widgets.health_strip import HealthStrip
from server_sync import cli as server_cli
from tests.helpers.central import OffsetClock
from tests.helpers.faults import wait_until

# TEST-NET-1: never routed. A client that tried to connect would wait or fail as "offline".
FAR_SERVER = "http://192.0.2.7:8400"


def _settings(tmp_path: Path, url: str, *, demo: bool = False) -> Settings:
    return load_settings(
        environ={"KIOSK_SERVER_URL": url}, config_file=tmp_path / "none.toml", demo=demo
    )


@pytest.mark.parametrize(
    "url", [FAR_SERVER, "http://sync.factory.lan:8400", "http://[2001:db8::5]:8400"]
)
def test_plain_http_to_another_computer_is_a_settings_error(tmp_path: Path, url: str) -> None:
    with pytest.raises(SettingsError, match="https://") as refused:
        _settings(tmp_path, url)
    assert "environment KIOSK_SERVER_URL" in str(refused.value)  # where to fix it


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8400",
        "http://127.10.0.3:8400",
        "http://[::1]:8400",
        "http://localhost:8400",
        "https://sync.factory.lan:8400",
        "https://192.0.2.7",
    ],
)
def test_https_and_http_on_this_computer_are_allowed(tmp_path: Path, url: str) -> None:
    assert _settings(tmp_path, url).server_url == url


def test_the_demo_never_syncs_so_a_plain_http_setting_does_not_stop_it(tmp_path: Path) -> None:
    assert _settings(tmp_path, FAR_SERVER, demo=True).server_url == FAR_SERVER


def test_a_missing_ca_file_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="server_ca_file"):
        load_settings(
            environ={"KIOSK_SERVER_CA_FILE": str(tmp_path / "nowhere.pem")},
            config_file=tmp_path / "none.toml",
        )


def test_kiosk_enrol_refuses_plain_http_and_sends_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "kiosk"
    code = kiosk_cli.main(
        ["enrol", "1234-5678-9012", "--server-url", FAR_SERVER, "--data-dir", str(data)]
    )
    assert code == 2
    assert "https://" in capsys.readouterr().err
    assert not data.exists()  # no database, no token: nothing happened
    with pytest.raises(EnrolmentRefusedError, match="https://"):
        enrolment_client(FAR_SERVER)


def test_the_sync_client_refuses_plain_http_before_connecting() -> None:
    client = SyncClient(FAR_SERVER, "a-device-token", timeout_seconds=5)
    started = time.monotonic()
    try:
        with pytest.raises(SyncError) as refused:
            client.sync({"events": []})
    finally:
        client.close()
    assert refused.value.kind is SyncErrorKind.INSECURE  # not OFFLINE: it never tried
    assert time.monotonic() - started < 0.5


def test_a_kiosk_enrolled_over_plain_http_says_why_sync_stopped(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """A database enrolled before the rule (its URL plain http://) syncs no more; the health
    strip says the address is not https://, not 'offline'."""
    path = tmp_path / "kiosk.sqlite3"
    database = open_database(path)
    migrate.upgrade(database.engine)
    secrets = FileSecretStore.beside(path)
    secrets.put(DEVICE_TOKEN_NAME, bytes(32))
    SyncStore(database).enrol(
        device_id=uuid.uuid4(),
        device_kind="line",
        line_code="CUT-L02",
        department=Department.CUT,
        server_url=FAR_SERVER,
        now=datetime.now(UTC),
    )
    seen: list[SyncStatus] = []
    runtime = build_sync(
        Settings(data_dir=tmp_path, sync_max_backoff_seconds=1),
        database,
        path,
        secrets,
        OffsetClock(),
        on_status=seen.append,
        on_round=lambda report: None,
    )
    assert runtime is not None
    runtime.worker.start()
    try:
        wait_until(lambda: any(status.state == INSECURE for status in seen), "the refusal")
    finally:
        runtime.stop()
        database.dispose()
    strip = HealthStrip()
    qtbot.addWidget(strip)
    strip.set_sync(next(status for status in seen if status.state == INSECURE), None)
    assert "not https://" in strip.sync.text()
    assert "offline" not in strip.sync.text().lower()


# ---------------------------------------------------------------------- the server's side
def test_server_sync_make_cert_prints_the_fingerprint_kiosks_pin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    certfile, keyfile = tmp_path / "server.pem", tmp_path / "server.key"
    code = server_cli.main(
        ["make-cert", "sync.factory.lan", "10.0.0.5", "--certfile", str(certfile),
         "--keyfile", str(keyfile)]
    )  # fmt: skip
    assert code == 0
    der = ssl.PEM_cert_to_DER_cert(certfile.read_text())
    expected = ":".join(f"{byte:02X}" for byte in hashlib.sha256(der).digest())
    assert expected in capsys.readouterr().out
    assert keyfile.stat().st_mode & 0o077 == 0  # the key is the server account's only
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile, keyfile)  # a pair uvicorn can serve


def test_server_sync_serve_refuses_half_a_tls_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVER_SYNC_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    certfile, keyfile = tmp_path / "a.pem", tmp_path / "a.key"
    server_cli.main(
        ["make-cert", "127.0.0.1", "--certfile", str(certfile), "--keyfile", str(keyfile)]
    )
    other_cert, other_key = tmp_path / "b.pem", tmp_path / "b.key"
    server_cli.main(
        ["make-cert", "127.0.0.1", "--certfile", str(other_cert), "--keyfile", str(other_key)]
    )
    capsys.readouterr()
    # A certificate without its key: no server that quietly speaks plain HTTP.
    assert server_cli.main(["serve", "--certfile", str(certfile)]) == 2
    assert "--keyfile" in capsys.readouterr().err
    # A key that is not the certificate's: refused before serving, naming both files.
    assert server_cli.main(["serve", "--certfile", str(certfile), "--keyfile", str(other_key)]) == 2
    assert str(other_key) in capsys.readouterr().err
    # The same from the environment, as a service unit sets it.
    monkeypatch.setenv("SERVER_SYNC_CERTFILE", str(certfile))
    monkeypatch.setenv("SERVER_SYNC_KEYFILE", str(other_key))
    assert server_cli.main(["serve"]) == 2
    assert str(other_key) in capsys.readouterr().err
