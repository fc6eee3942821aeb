"""Site secrets (the badge key) kept in files readable by the kiosk's account only.

The key must not live in the database it protects. Until sync distributes the
site's keys through the system keyring, each site folder keeps them here.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRETS_DIR_NAME = "secrets"
BADGE_KEY_NAME = "badge-key"
_KEY_BYTES = 32


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
        temporary = path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        return key

    def badge_key(self) -> bytes:
        return self.get_or_create(BADGE_KEY_NAME)
