"""PINs are hashed with argon2id, a memory-hard KDF: a stolen database does not give them away."""

from __future__ import annotations

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.domain.pins import check_pin_format
from kiosk.domain.roles import Role


class PinHasher:
    """argon2id with the library's RFC 9106 low-memory profile (64 MiB, 3 passes)."""

    def __init__(self, hasher: argon2.PasswordHasher | None = None) -> None:
        self._hasher = hasher or argon2.PasswordHasher()

    def hash(self, pin: str, role: Role | None = None) -> str:
        """The stored form of a new PIN; refused when it does not fit its owner's role."""
        check_pin_format(pin, role)
        return self._hasher.hash(pin)

    def verify(self, pin_hash: str, pin: str) -> bool:
        try:
            return self._hasher.verify(pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, pin_hash: str) -> bool:
        return self._hasher.check_needs_rehash(pin_hash)
