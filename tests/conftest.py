"""Shared fixtures. Qt runs off-screen; the settings of the developer's machine never leak in."""

from __future__ import annotations

import os

# Before anything imports Qt (PLATFORM pitfall 1).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.helpers.keyring import MemoryKeyring, UseKeyring
from tests.helpers.postgres import admin_url, fresh_database, sqlalchemy_url
from tests.helpers.site import Site, build_template, copy_site


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No KIOSK_* variable or settings file of this machine reaches a test."""
    for name in list(os.environ):
        if name.startswith("KIOSK_") and name != "KIOSK_TEST_PG_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "no-such-kiosk.toml"))
    monkeypatch.setenv("KIOSK_LOG_DIR", str(tmp_path / "logs"))


@pytest.fixture(scope="session")
def site_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site migrated and seeded once (argon2 makes seeding take a second or two)."""
    return build_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def site(site_template: Path, tmp_path: Path) -> Iterator[Site]:
    """A fresh copy of the demo site on a real SQLite file, with a fake clock."""
    copied = copy_site(site_template, tmp_path / "site")
    yield copied
    copied.database.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    with admin_url() as url:
        if url is None:
            message = (
                "no PostgreSQL server: set KIOSK_TEST_PG_URL, run one at 127.0.0.1:5432, "
                "or install the server binaries for a throwaway one"
            )
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A SQLAlchemy URL of a fresh, empty PostgreSQL database, dropped afterwards."""
    with fresh_database(postgres_server) as url:
        yield sqlalchemy_url(url)


@pytest.fixture
def use_keyring() -> Iterator[UseKeyring]:
    """Set a keyring backend for one test; the process's own one comes back afterwards."""
    previous = keyring.get_keyring()

    def use(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(use_keyring: UseKeyring) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(backend)
    return backend
