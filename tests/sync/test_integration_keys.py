"""Integration keys through the real `server-sync` command and process: made, used, revoked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.helpers.central import CentralDatabase, ServerProcess
from tests.helpers.integration import Erp

LINE = {"code": "CUT-L07", "department": "CUT", "name": "Cutting line 7"}


def _server_sync(central: CentralDatabase, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server_sync", "--database-url", central.url, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def process(central: CentralDatabase) -> Iterator[ServerProcess]:
    running = ServerProcess(central.url)
    running.start()
    yield running
    running.stop()


def test_a_key_is_shown_once_counted_per_use_and_refused_once_revoked(
    central: CentralDatabase, process: ServerProcess
) -> None:
    made = _server_sync(central, "api-key", "create", "erp-prod")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("lk_")
    erp = Erp(process.url, key)
    assert erp.post("lines", [LINE], dry_run=True).status_code == 200
    assert erp.post("lines", [LINE]).status_code == 200

    listed = _server_sync(central, "api-key", "list")
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if line.startswith("erp-prod\t"))
    name, _created, last_use, uses, revoked = row.split("\t")
    assert (name, uses, revoked) == ("erp-prod", "2", "no")
    assert last_use != "never"
    assert key not in listed.stdout

    twice = _server_sync(central, "api-key", "create", "erp-prod")
    assert twice.returncode == 2
    assert "exists already" in twice.stderr

    revoked_now = _server_sync(central, "api-key", "revoke", "erp-prod")
    assert revoked_now.returncode == 0, revoked_now.stderr
    refused = erp.post("lines", [{**LINE, "name": "renamed"}])
    assert refused.status_code == 403
    assert refused.json()["detail"]["code"] == "key_revoked"
    unknown = _server_sync(central, "api-key", "revoke", "nobody")
    assert unknown.returncode == 2
