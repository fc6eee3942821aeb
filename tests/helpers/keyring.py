"""Keyring backends for tests: one in memory, one locked; never picked by keyring itself.

The `use_keyring` and `memory_keyring` fixtures (tests/conftest.py) set them for one test
and put the process's own backend back afterwards (PLATFORM pitfall 6).
"""

from __future__ import annotations

from collections.abc import Callable

import keyring.errors
from keyring.backend import KeyringBackend
from keyring.compat import properties


class _TestBackend(KeyringBackend):
    """Never picked by keyring's own detection (not viable): only set by a test."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805  (a class property, as in keyring's backends)
        raise RuntimeError("a test backend: set it with keyring.set_keyring()")


class MemoryKeyring(_TestBackend):
    """A keyring in a dict."""

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.passwords[(service, username)]


class LockedKeyring(_TestBackend):
    """A keyring that is there but refuses every call (a locked Secret Service)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("the collection is locked")


UseKeyring = Callable[[KeyringBackend], KeyringBackend]
