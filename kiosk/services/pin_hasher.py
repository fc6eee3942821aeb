"""PINs are hashed with argon2id, a memory-hard KDF: a stolen database does not give them away."""

from __future__ import annotations

import re

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.domain.errors import ErrorCode, RefusalError

_PIN_FORMAT = re.compile(r"[0-9]{4,8}")


def check_pin_format(pin: str) -> None:
    if not _PIN_FORMAT.fullmatch(pin):
        raise RefusalError(ErrorCode.PIN_FORMAT, min_digits=4, max_digits=8)


class PinHasher:
    """argon2id with the library's RFC 9106 low-memory profile (64 MiB, 3 passes)."""

    def __init__(self, hasher: argon2.PasswordHasher | None = None) -> None:
        self._hasher = hasher or argon2.PasswordHasher()

    def hash(self, pin: str) -> str:
        check_pin_format(pin)
        return self._hasher.hash(pin)

    def verify(self, pin_hash: str, pin: str) -> bool:
        try:
            return self._hasher.verify(pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, pin_hash: str) -> bool:
        return self._hasher.check_needs_rehash(pin_hash)
