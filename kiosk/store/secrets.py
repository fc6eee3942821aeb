"""Secrets: the badge key and this device's own slip-signing key, never in the database.

The badge key (and, while a rotation's grace period lasts, the previous one) lives in a
file readable by the kiosk's account only. The private key that signs this kiosk's QT-09
slips is made at enrolment and never leaves the device: it lives in the system keyring, or
in such a file where the admin chose `secret_store = "file"`. Only its public half goes to
the server.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
from pathlib import Path
from types import ModuleType
from typing import Protocol

SECRETS_DIR_NAME = "secrets"
BADGE_KEY_NAME = "badge-key"
# During a badge-key rotation's grace period: the key the older badge hashes are under.
BADGE_PREVIOUS_KEY_NAME = "badge-key-previous"
BADGE_KEY_NAMES = frozenset({BADGE_KEY_NAME, BADGE_PREVIOUS_KEY_NAME})
SLIP_SIGNING_KEY_NAME = "slip-signing-key"
# The site-wide HMAC slip keys of old (`site-key-<site>`): never handed out any more.
RETIRED_SLIP_KEY_PREFIX = "site-key-"
_KEY_BYTES = 32

log = logging.getLogger(__name__)


class SecretStoreError(Exception):
    """A secret file exists but cannot be used (wrong size, unreadable)."""


class FileSecretStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def beside(cls, database_path: Path) -> FileSecretStore:
        return cls(database_path.parent / SECRETS_DIR_NAME)

    def get_or_create(self, name: str) -> bytes:
        """The named key; made (random, 32 bytes, mode 0600) the first time it is asked for."""
        path = self.folder / name
        if path.exists():
            key = path.read_bytes()
            if len(key) != _KEY_BYTES:
                raise SecretStoreError(f"{path} does not hold a {_KEY_BYTES}-byte key")
            return key
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        key = secrets.token_bytes(_KEY_BYTES)
        _write_private(path, key)
        return key

    def badge_key(self) -> bytes:
        return self.get_or_create(BADGE_KEY_NAME)

    def get(self, name: str) -> bytes | None:
        path = self.folder / name
        if not path.exists():
            return None
        key = path.read_bytes()
        if len(key) != _KEY_BYTES:
            raise SecretStoreError(f"{path} does not hold a {_KEY_BYTES}-byte key")
        return key

    def put(self, name: str, key: bytes) -> None:
        _check_key(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        _write_private(self.folder / name, key)

    def remove(self, name: str) -> None:
        """Forget a key (the previous badge key, once a rotation is finished)."""
        (self.folder / name).unlink(missing_ok=True)

    @property
    def description(self) -> str:
        return f"file ({self.folder})"


class FileBadgeKeys:
    """The badge keys beside the database, read again when a pull has replaced a file.

    A kiosk picks up a rotated key on its next pull without a restart; a file is read
    only when its modification time changed (a tap costs two `stat` calls).
    """

    def __init__(self, store: FileSecretStore) -> None:
        self._store = store
        self._cache: dict[str, tuple[int, bytes | None]] = {}

    def current(self) -> bytes:
        key = self._read(BADGE_KEY_NAME)
        return key if key is not None else self._store.badge_key()

    def previous(self) -> bytes | None:
        return self._read(BADGE_PREVIOUS_KEY_NAME)

    def _read(self, name: str) -> bytes | None:
        path = self._store.folder / name
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        cached = self._cache.get(name)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        key = self._store.get(name)
        self._cache[name] = (stamp, key)
        return key


class KeyringSecretStore:
    """Keys in the system keyring (Secret Service, Windows Credential Locker).

    Each data folder has its own service name (`line-kiosk:` and a hash of the folder), so
    two kiosks under one account keep their own device token and slip key. Entries an older
    kiosk wrote under the shared `line-kiosk` service move to the folder's own name the first
    time they are read (`legacy_service`), and the shared entry is deleted.

    Without a usable backend every call raises `SecretStoreError`: we never fall back
    to plain files silently (PLATFORM pitfall 6); `secret_store = "file"` says so openly.
    """

    SERVICE = "line-kiosk"

    def __init__(self, service: str = SERVICE, *, legacy_service: str | None = None) -> None:
        self.service = service
        self.legacy_service = legacy_service

    @classmethod
    def for_data_dir(cls, data_dir: Path, *, adopt_shared: bool) -> KeyringSecretStore:
        """The store of one data folder; `adopt_shared` for a kiosk that existed before
        entries were named per folder (it takes over the shared entries it finds)."""
        return cls(
            service_for_data_dir(data_dir),
            legacy_service=cls.SERVICE if adopt_shared else None,
        )

    def get(self, name: str) -> bytes | None:
        text = self._read(self.service, name)
        if text is None and self.legacy_service is not None:
            text = self._adopt(self.legacy_service, name)
        if text is None:
            return None
        try:
            key = base64.b64decode(text, validate=True)
        except binascii.Error as error:
            raise SecretStoreError(f"the keyring entry {name} is not a base64 key") from error
        _check_key(key)
        return key

    def put(self, name: str, key: bytes) -> None:
        _check_key(key)
        self._write(self.service, name, base64.b64encode(key).decode("ascii"))

    @property
    def description(self) -> str:
        return f"keyring ({type(_keyring().get_keyring()).__name__}, service {self.service})"

    def _adopt(self, legacy_service: str, name: str) -> str | None:
        """The shared entry of old, moved to this folder's name: written, then deleted."""
        text = self._read(legacy_service, name)
        if text is None:
            return None
        self._write(self.service, name, text)
        keyring = _keyring()
        try:
            keyring.delete_password(legacy_service, name)
        except keyring.errors.KeyringError as error:
            # The copy is made: this kiosk reads its own name from now on.
            log.warning("the old keyring entry %s could not be deleted: %s", name, error)
        log.info("keyring entry %s moved from %s to %s", name, legacy_service, self.service)
        return text

    @staticmethod
    def _read(service: str, name: str) -> str | None:
        keyring = _keyring()
        try:
            text: str | None = keyring.get_password(service, name)
        except keyring.errors.KeyringError as error:
            raise SecretStoreError(f"the system keyring cannot be read: {error}") from error
        return text

    @staticmethod
    def _write(service: str, name: str, text: str) -> None:
        keyring = _keyring()
        try:
            keyring.set_password(service, name, text)
        except keyring.errors.KeyringError as error:
            raise SecretStoreError(f"the system keyring cannot be written: {error}") from error


def service_for_data_dir(data_dir: Path) -> str:
    """`line-kiosk:` and 16 hex digits of the folder's absolute path: short enough for every
    backend, the same on every start, different for every data folder (case folded where the
    file system ignores case, as on Windows)."""
    path = os.path.normcase(str(data_dir.resolve()))
    digest = hashlib.sha256(path.encode("utf-8")).hexdigest()
    return f"{KeyringSecretStore.SERVICE}:{digest[:16]}"


class SecretStore(Protocol):
    def get(self, name: str) -> bytes | None: ...

    def put(self, name: str, key: bytes) -> None: ...

    @property
    def description(self) -> str: ...


def _keyring() -> ModuleType:
    """keyring, imported on first use: a kiosk keeping its keys in files never loads it."""
    import keyring  # noqa: PLC0415  (30 ms of start-up saved where it is not used)
    import keyring.errors  # noqa: PLC0415

    return keyring


def _check_key(key: bytes) -> None:
    if len(key) != _KEY_BYTES:
        raise SecretStoreError(f"a key must be {_KEY_BYTES} bytes, not {len(key)}")


def _write_private(path: Path, key: bytes) -> None:
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
