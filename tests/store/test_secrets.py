"""Site secrets: the file store (0600 files in a 0700 folder, written atomically) and the
keyring store (base64 under service "line-kiosk"), which never falls back to files.

The keyring tests run against a tiny in-memory backend, or one that fails, set with
`keyring.set_keyring()` and restored afterwards (PLATFORM pitfall 6).
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from kiosk.store import secrets as secrets_module
from kiosk.store.secrets import (
    BADGE_KEY_NAME,
    SECRETS_DIR_NAME,
    SLIP_SIGNING_KEY_NAME,
    FileSecretStore,
    KeyringSecretStore,
    SecretStoreError,
)
from tests.helpers.keyring import LockedKeyring, MemoryKeyring, UseKeyring

KEY = bytes(range(32))
OTHER_KEY = bytes(range(100, 132))


@pytest.fixture
def no_file_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Work in an empty folder, and fail the test if anything writes a secret file."""
    monkeypatch.chdir(tmp_path)

    def refuse(path: Path, key: bytes) -> None:
        raise AssertionError(f"a secret file was written: {path}")

    monkeypatch.setattr(secrets_module, "_write_private", refuse)
    return tmp_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------ file store
def test_a_file_store_keeps_what_is_put(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path / "secrets")
    assert store.get(SLIP_SIGNING_KEY_NAME) is None
    store.put(SLIP_SIGNING_KEY_NAME, KEY)
    assert store.get(SLIP_SIGNING_KEY_NAME) == KEY
    assert (tmp_path / "secrets" / "slip-signing-key").read_bytes() == KEY
    # Another instance on the same folder (the next start of the kiosk) reads the same.
    assert FileSecretStore(tmp_path / "secrets").get("slip-signing-key") == KEY
    store.put(SLIP_SIGNING_KEY_NAME, OTHER_KEY)
    assert store.get(SLIP_SIGNING_KEY_NAME) == OTHER_KEY
    assert sorted(p.name for p in store.folder.iterdir()) == ["slip-signing-key"]  # no .tmp left
    assert store.description == f"file ({tmp_path / 'secrets'})"


def test_a_file_store_lives_beside_the_database(tmp_path: Path) -> None:
    store = FileSecretStore.beside(tmp_path / "data" / "kiosk.sqlite3")
    assert store.folder == tmp_path / "data" / SECRETS_DIR_NAME


def test_files_are_0600_in_a_0700_folder_whatever_the_umask(tmp_path: Path) -> None:
    old_umask = os.umask(0)  # the most permissive: nothing is masked away
    try:
        store = FileSecretStore(tmp_path / "secrets")
        store.put(SLIP_SIGNING_KEY_NAME, KEY)
        badge_key = store.badge_key()
    finally:
        os.umask(old_umask)
    assert _mode(store.folder) == 0o700
    assert _mode(store.folder / "slip-signing-key") == 0o600
    assert _mode(store.folder / BADGE_KEY_NAME) == 0o600
    assert len(badge_key) == 32


def test_a_key_is_made_once_and_then_kept(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path / "secrets")
    first = store.badge_key()
    assert store.badge_key() == first
    assert store.get_or_create(BADGE_KEY_NAME) == first
    assert FileSecretStore(tmp_path / "secrets").badge_key() == first
    # Random, not derived from anything: another folder gets another key.
    assert FileSecretStore(tmp_path / "elsewhere").badge_key() != first


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_a_wrong_size_file_is_refused_and_left_alone(tmp_path: Path, size: int) -> None:
    store = FileSecretStore(tmp_path / "secrets")
    store.folder.mkdir()
    damaged = b"x" * size
    (store.folder / "slip-signing-key").write_bytes(damaged)
    (store.folder / BADGE_KEY_NAME).write_bytes(damaged)
    with pytest.raises(SecretStoreError, match="32-byte key"):
        store.get("slip-signing-key")
    with pytest.raises(SecretStoreError, match="32-byte key"):
        store.badge_key()
    # Never silently replaced by a fresh key: that would orphan every badge hash.
    assert (store.folder / "slip-signing-key").read_bytes() == damaged
    assert (store.folder / BADGE_KEY_NAME).read_bytes() == damaged


@pytest.mark.parametrize("key", [b"", b"short", KEY + b"!"])
def test_put_refuses_a_key_of_the_wrong_size(tmp_path: Path, key: bytes) -> None:
    store = FileSecretStore(tmp_path / "secrets")
    with pytest.raises(SecretStoreError, match="32 bytes"):
        store.put(SLIP_SIGNING_KEY_NAME, key)
    assert not store.folder.exists()
    store.put(SLIP_SIGNING_KEY_NAME, KEY)
    with pytest.raises(SecretStoreError):
        store.put(SLIP_SIGNING_KEY_NAME, key)
    assert store.get(SLIP_SIGNING_KEY_NAME) == KEY  # the good key is still there


# ------------------------------------------------------------------ keyring store
def test_a_keyring_store_keeps_keys_base64_under_the_kiosk_service(
    memory_keyring: MemoryKeyring, no_file_written: Path
) -> None:
    store = KeyringSecretStore()
    assert store.get(SLIP_SIGNING_KEY_NAME) is None
    store.put(SLIP_SIGNING_KEY_NAME, KEY)
    assert store.get(SLIP_SIGNING_KEY_NAME) == KEY
    assert memory_keyring.passwords == {
        ("line-kiosk", "slip-signing-key"): base64.b64encode(KEY).decode("ascii")
    }
    assert KeyringSecretStore().get(SLIP_SIGNING_KEY_NAME) == KEY  # a new instance, same keyring
    assert KeyringSecretStore(service="other").get(SLIP_SIGNING_KEY_NAME) is None
    assert store.description == "keyring (MemoryKeyring)"
    assert list(no_file_written.iterdir()) == []


def test_a_keyring_store_refuses_wrong_size_keys(
    memory_keyring: MemoryKeyring, no_file_written: Path
) -> None:
    store = KeyringSecretStore()
    with pytest.raises(SecretStoreError, match="32 bytes"):
        store.put(SLIP_SIGNING_KEY_NAME, b"short")
    assert memory_keyring.passwords == {}
    short = base64.b64encode(b"x" * 16).decode()
    memory_keyring.passwords[("line-kiosk", SLIP_SIGNING_KEY_NAME)] = short
    with pytest.raises(SecretStoreError, match="32 bytes"):
        store.get(SLIP_SIGNING_KEY_NAME)


def test_a_keyring_entry_that_is_not_base64_is_refused(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.passwords[("line-kiosk", "slip-signing-key")] = "not base64!!"
    with pytest.raises(SecretStoreError):
        KeyringSecretStore().get(SLIP_SIGNING_KEY_NAME)


@pytest.mark.parametrize(
    "backend",
    [LockedKeyring, keyring.backends.fail.Keyring],
    ids=["locked", "no-backend"],
)
def test_an_unusable_keyring_is_an_error_never_a_file(
    use_keyring: UseKeyring, no_file_written: Path, backend: type[KeyringBackend]
) -> None:
    use_keyring(backend())
    store = KeyringSecretStore()
    with pytest.raises(SecretStoreError, match="cannot be read") as read:
        store.get(SLIP_SIGNING_KEY_NAME)
    assert isinstance(read.value.__cause__, keyring.errors.KeyringError)
    with pytest.raises(SecretStoreError, match="cannot be written") as written:
        store.put(SLIP_SIGNING_KEY_NAME, KEY)
    assert isinstance(written.value.__cause__, keyring.errors.KeyringError)
    assert list(no_file_written.iterdir()) == []
    assert store.description == f"keyring ({backend.__name__})"
