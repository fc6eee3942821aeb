"""installer/server as an IT person uses it: the units pass `systemd-analyze verify`, the
settings they name exist, the nginx site is valid, and the server started as the unit starts
it, behind that site with a certificate of `server-sync make-cert`, answers over TLS."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from server_sync.settings import ENV_PREFIX, ServerSettings
from tests.helpers.central import free_port, wait_until_healthy
from tests.helpers.installed_server import (
    BACKUP_SCRIPT_PATH,
    INSTALLER,
    Nginx,
    env_file,
    exec_start,
    nginx_binary,
    unit_value,
    venv_bin,
)

UNITS = ("server-sync.service", "server-sync-backup.service", "server-sync-backup.timer")
SETTINGS = {f"{ENV_PREFIX}{field.name.upper()}" for field in dataclasses.fields(ServerSettings)}
OTHER_VARIABLES = {
    "PROMETHEUS_MULTIPROC_DIR",  # prometheus_client's multiprocess mode
    "FORWARDED_ALLOW_IPS",  # uvicorn: whose X-Forwarded-For is believed
    "BACKUP_DIR",  # backup-database
    "BACKUP_RETENTION_DAYS",
    "PGPASSWORD",  # libpq (compose.yaml)
    "POSTGRES_USER",  # the postgres image (compose.yaml)
    "POSTGRES_DB",
    "POSTGRES_PASSWORD",
}


def _verifiable_units(folder: Path) -> list[Path]:
    """The units with their programs where this checkout has them (verify checks they run)."""
    copies = []
    for name in UNITS:
        text = (INSTALLER / name).read_text(encoding="utf-8")
        text = text.replace("/opt/server-sync/bin/", f"{venv_bin()}/")
        text = text.replace(BACKUP_SCRIPT_PATH, str(INSTALLER / "backup-database"))
        (folder / name).write_text(text, encoding="utf-8")
        copies.append(folder / name)
    return copies


def test_the_units_pass_systemd_analyze_verify_without_a_warning(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    done = subprocess.run(
        ["systemd-analyze", "verify", *map(str, _verifiable_units(tmp_path))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")


def test_a_unit_with_a_mistake_is_caught_by_the_same_check(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    unit = _verifiable_units(tmp_path)[0]
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("Restart=always", "Restart=sometimes"),
        encoding="utf-8",
    )
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert "sometimes" in done.stderr


def test_the_service_and_the_backup_read_the_same_environment_file() -> None:
    service, backup = INSTALLER / "server-sync.service", INSTALLER / "server-sync-backup.service"
    assert unit_value(service, "EnvironmentFile") == unit_value(backup, "EnvironmentFile")
    assert unit_value(service, "EnvironmentFile") == "/etc/line-kiosk/server-sync.env"
    assert exec_start(service)[1:] == ["serve"]
    # The runtime folder is where the workers' counts go; it is new at every start.
    assert unit_value(service, "RuntimeDirectory") == "server-sync"
    settings = env_file(INSTALLER / "server-sync.env")
    assert settings["PROMETHEUS_MULTIPROC_DIR"].startswith("/run/server-sync/")
    assert unit_value(backup, "ReadWritePaths") == settings["BACKUP_DIR"]
    assert int(settings["SERVER_SYNC_WORKERS"]) > 1


@pytest.mark.parametrize("name", ["server-sync.env", "compose.yaml"])
def test_every_variable_the_install_files_set_is_one_something_reads(name: str) -> None:
    """server-sync ignores a SERVER_SYNC_ name it does not know: a typo would do nothing."""
    text = (INSTALLER / name).read_text(encoding="utf-8")
    named = set()
    for raw in text.splitlines():
        line = raw.strip().lstrip("#").strip()
        key = line.partition("=")[0] if "=" in line else line.partition(":")[0]
        if key.isupper() and key.replace("_", "").isalnum():
            named.add(key)
    assert named
    assert named - SETTINGS - OTHER_VARIABLES == set()


def test_the_nginx_site_is_valid_for_nginx(tmp_path: Path) -> None:
    if nginx_binary() is None:
        pytest.skip("nginx is not installed here (apt-get install nginx)")
    from tests.helpers.tls import self_signed

    certificate = self_signed(tmp_path / "tls", "server")
    nginx = Nginx(tmp_path, free_port(), 8400, *certificate.pair)
    nginx.write()
    done = subprocess.run(nginx.command("-t"), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


# ---------------------------------------------------------------------- the whole install
@pytest.fixture
def installed(tmp_path: Path, postgres_url: str) -> Iterator[tuple[str, Path, Path]]:
    """server-sync started as its unit starts it (ExecStart, the environment file) on a fresh
    database, nginx with the site in front, and a certificate from `server-sync make-cert`.
    Yields the proxy's https URL, the certificate, and the server's log."""
    if nginx_binary() is None:
        pytest.skip("nginx is not installed here (apt-get install nginx)")
    tls = tmp_path / "tls"
    tls.mkdir()
    certfile, keyfile = tls / "server.pem", tls / "server.key"
    subprocess.run(
        [
            str(venv_bin() / "server-sync"),
            *("make-cert", "localhost", "127.0.0.1"),
            *("--certfile", str(certfile), "--keyfile", str(keyfile)),
        ],
        check=True,
        capture_output=True,
    )
    environment = env_file(INSTALLER / "server-sync.env")
    port = free_port()
    environment.update(
        SERVER_SYNC_DATABASE_URL=postgres_url.replace("+psycopg", ""),
        SERVER_SYNC_PORT=str(port),
        SERVER_SYNC_WORKERS="2",  # the machine's cores are shared
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "run" / "metrics"),
    )
    keep = {"PATH", "LANG", "HOME", "PYTHONPATH"}
    base = {key: value for key, value in os.environ.items() if key in keep}
    log = tmp_path / "server-sync.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            exec_start(INSTALLER / "server-sync.service"),
            env={**base, **environment},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    nginx = Nginx(tmp_path, free_port(), port, certfile, keyfile)
    try:
        # The parent listens at once; its workers answer once they have started.
        wait_until_healthy(f"http://127.0.0.1:{port}", 90, server)
        nginx.start()
        yield f"https://127.0.0.1:{nginx.port}", certfile, log
    finally:
        nginx.stop()
        if server.poll() is None:
            os.killpg(server.pid, 15)
            server.wait(15)


@pytest.mark.postgres
def test_the_installed_server_answers_health_over_tls_behind_the_proxy(
    installed: tuple[str, Path, Path],
) -> None:
    url, certfile, log = installed
    health = requests.get(f"{url}/health", verify=str(certfile), timeout=10)
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    # The kiosks' trust: a client that does not trust the certificate is refused.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{url}/health", timeout=10)
    # The counters are read from this computer only, through the proxy as well.
    assert requests.get(f"{url}/metrics", verify=str(certfile), timeout=10).status_code == 200

    # A kiosk's own X-Forwarded-For does not become its address (the enrolment lock-out
    # counts wrong codes per address): the proxy sets it to the connection's.
    refused = requests.post(
        f"{url}/v1/enrol",
        json={"code": "000000000000", "name": "hostile"},
        headers={"X-Forwarded-For": "10.66.66.66"},
        verify=str(certfile),
        timeout=10,
    )
    assert refused.status_code == 403, refused.text
    deadline = time.monotonic() + 5
    while "answered 403" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    logged = [line for line in log.read_text().splitlines() if "answered 403" in line]
    assert logged and all("from 127.0.0.1 " in line for line in logged), logged
    assert "10.66.66.66" not in log.read_text()
