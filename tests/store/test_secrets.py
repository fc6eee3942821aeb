"""Site secrets: the file store (0600 files in a 0700 folder, written atomically) and the
keyring store (base64 under a service named for the data folder, "line-kiosk:<hash>"), which
never falls back to files, and the move of a shared "line-kiosk" entry of old to that name.

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

from kiosk.app import secret_store_for
from kiosk.settings import load_settings
from kiosk.store import secrets as secrets_module
from kiosk.store.database import DATABASE_FILE_NAME
from kiosk.store.secrets import (
    BADGE_KEY_NAME,
    SECRETS_DIR_NAME,
    SLIP_SIGNING_KEY_NAME,
    FileSecretStore,
    KeyringSecretStore,
    SecretStoreError,
    service_for_data_dir,
)
from kiosk.sync.enrolment import DEVICE_TOKEN_NAME, stored_token
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
    assert store.description == "keyring (MemoryKeyring, service line-kiosk)"
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
    assert store.description == f"keyring ({backend.__name__}, service line-kiosk)"


# ------------------------------------------------------------------ one keyring, two kiosks
TOKEN_A = bytes(range(200, 232))
TOKEN_B = bytes(range(1, 33))


def _kiosk_store(data_dir: Path) -> KeyringSecretStore:
    """The store a real kiosk with this data folder uses (settings in their defaults)."""
    settings = load_settings({"data_dir": str(data_dir)})
    store = secret_store_for(settings, data_dir / DATABASE_FILE_NAME, demo=False)
    assert isinstance(store, KeyringSecretStore)
    return store


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def test_two_kiosks_on_one_keyring_keep_their_own_tokens(
    tmp_path: Path, memory_keyring: MemoryKeyring, no_file_written: Path
) -> None:
    """Two kiosks under one account (two data folders): each enrols, each keeps its token."""
    first, second = _kiosk_store(tmp_path / "a"), _kiosk_store(tmp_path / "b")
    first.put(DEVICE_TOKEN_NAME, TOKEN_A)
    second.put(DEVICE_TOKEN_NAME, TOKEN_B)
    first.put(SLIP_SIGNING_KEY_NAME, KEY)
    second.put(SLIP_SIGNING_KEY_NAME, OTHER_KEY)
    # The next start of each (new store objects, the same folders) reads its own.
    again_a, again_b = _kiosk_store(tmp_path / "a"), _kiosk_store(tmp_path / "b")
    assert stored_token(again_a) != stored_token(again_b)
    assert (again_a.get(DEVICE_TOKEN_NAME), again_b.get(DEVICE_TOKEN_NAME)) == (TOKEN_A, TOKEN_B)
    assert again_a.get(SLIP_SIGNING_KEY_NAME) == KEY
    assert again_b.get(SLIP_SIGNING_KEY_NAME) == OTHER_KEY
    # Four entries under two services, neither the shared name of old.
    services = {service for service, _name in memory_keyring.passwords}
    assert services == {service_for_data_dir(tmp_path / "a"), service_for_data_dir(tmp_path / "b")}
    assert len(memory_keyring.passwords) == 4
    assert all(service.startswith("line-kiosk:") for service in services)
    assert first.description.endswith(f"service {service_for_data_dir(tmp_path / 'a')})")


def test_the_same_folder_written_another_way_is_the_same_kiosk(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    _kiosk_store(tmp_path / "a").put(DEVICE_TOKEN_NAME, TOKEN_A)
    monkeypatch.chdir(tmp_path)
    assert _kiosk_store(Path("a")).get(DEVICE_TOKEN_NAME) == TOKEN_A
    assert _kiosk_store(tmp_path / "b" / ".." / "a").get(DEVICE_TOKEN_NAME) == TOKEN_A


def test_an_existing_kiosk_moves_its_shared_entries_to_its_own_name(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """A kiosk from before per-folder names (its database is there, its token under the
    shared "line-kiosk" service) reads its token, which then lives under its own name only."""
    data_dir = tmp_path / "kiosk"
    data_dir.mkdir()
    (data_dir / DATABASE_FILE_NAME).write_bytes(b"")  # the kiosk existed before this start
    memory_keyring.passwords[("line-kiosk", DEVICE_TOKEN_NAME)] = _b64(TOKEN_A)
    memory_keyring.passwords[("line-kiosk", SLIP_SIGNING_KEY_NAME)] = _b64(KEY)

    store = _kiosk_store(data_dir)
    assert store.get(DEVICE_TOKEN_NAME) == TOKEN_A
    own = service_for_data_dir(data_dir)
    assert memory_keyring.passwords == {
        (own, DEVICE_TOKEN_NAME): _b64(TOKEN_A),
        ("line-kiosk", SLIP_SIGNING_KEY_NAME): _b64(KEY),  # moved when it is first read
    }
    assert store.get(SLIP_SIGNING_KEY_NAME) == KEY
    assert memory_keyring.passwords == {
        (own, DEVICE_TOKEN_NAME): _b64(TOKEN_A),
        (own, SLIP_SIGNING_KEY_NAME): _b64(KEY),
    }
    # The next start reads its own name; a key it never had is still missing.
    again = _kiosk_store(data_dir)
    assert (again.get(DEVICE_TOKEN_NAME), again.get(SLIP_SIGNING_KEY_NAME)) == (TOKEN_A, KEY)
    assert again.get(BADGE_KEY_NAME) is None


def test_a_new_kiosk_leaves_the_shared_entries_to_the_kiosk_they_belong_to(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """A second kiosk set up in a new folder must not take the old kiosk's token."""
    memory_keyring.passwords[("line-kiosk", DEVICE_TOKEN_NAME)] = _b64(TOKEN_A)
    fresh = _kiosk_store(tmp_path / "new")
    assert fresh.get(DEVICE_TOKEN_NAME) is None
    assert memory_keyring.passwords == {("line-kiosk", DEVICE_TOKEN_NAME): _b64(TOKEN_A)}
    # The old kiosk still finds it afterwards.
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / DATABASE_FILE_NAME).write_bytes(b"")
    assert _kiosk_store(tmp_path / "old").get(DEVICE_TOKEN_NAME) == TOKEN_A


class _UndeletableKeyring(MemoryKeyring):
    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("this backend deletes nothing")


def test_a_shared_entry_that_cannot_be_deleted_is_still_moved(
    tmp_path: Path, use_keyring: UseKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    backend = _UndeletableKeyring()
    use_keyring(backend)
    backend.passwords[("line-kiosk", DEVICE_TOKEN_NAME)] = _b64(TOKEN_A)
    (tmp_path / DATABASE_FILE_NAME).write_bytes(b"")
    assert _kiosk_store(tmp_path).get(DEVICE_TOKEN_NAME) == TOKEN_A
    assert backend.passwords[(service_for_data_dir(tmp_path), DEVICE_TOKEN_NAME)] == _b64(TOKEN_A)
    assert "could not be deleted" in caplog.text
