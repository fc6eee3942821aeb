"""Badge UIDs are stored as keyed hashes: a copied database does not give away the badges.

An EM4100 UID has only 40 bits, so a plain hash could be reversed by trying them
all; a secret key (kept outside the database) makes that useless.

The key can be rotated (`server-sync keys rotate-badge`): for a grace period kiosks hold
the new key and the previous one. A badge whose stored hash is still under the previous
key logs in as before, and the kiosk asks the server to re-hash it under the new key
(the server checks the UID against the hash it holds; see server_sync.badge_keys).
Each key has an id, a short fingerprint that names it without giving it away.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Protocol

MIN_KEY_BYTES = 16
_KEY_ID_LABEL = b"line-kiosk badge key id"


class BadgeKeys(Protocol):
    """Where the badge keys come from (a kiosk re-reads its files: keys change on a pull)."""

    def current(self) -> bytes: ...

    def previous(self) -> bytes | None: ...


@dataclass(frozen=True)
class FixedBadgeKeys:
    key: bytes
    previous_key: bytes | None = None

    def current(self) -> bytes:
        return self.key

    def previous(self) -> bytes | None:
        return self.previous_key


def badge_key_id(key: bytes) -> str:
    """A key's id: 8 hex characters of a labelled SHA-256 (not an HMAC of anything)."""
    return hashlib.sha256(_KEY_ID_LABEL + key).hexdigest()[:8]


def badge_digest(key: bytes, uid: str) -> str:
    """The stored form of a badge under one key: HMAC-SHA256 of the normalized UID, in hex."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the badge key must have at least {MIN_KEY_BYTES} bytes")
    normalized = normalize_uid(uid)
    return hmac.new(key, normalized.encode("ascii", "replace"), hashlib.sha256).hexdigest()


class BadgeHasher:
    def __init__(self, key: bytes | BadgeKeys) -> None:
        keys = FixedBadgeKeys(key) if isinstance(key, bytes) else key
        if isinstance(key, bytes) and len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the badge key must have at least {MIN_KEY_BYTES} bytes")
        self._keys = keys

    @property
    def key_id(self) -> str:
        return badge_key_id(self._keys.current())

    def digest(self, uid: str) -> str:
        """The stored form of a badge under the current key."""
        return badge_digest(self._keys.current(), uid)

    def previous_digest(self, uid: str) -> str | None:
        """The badge's hash under the previous key, during a rotation's grace period."""
        previous = self._keys.previous()
        return None if previous is None else badge_digest(previous, uid)


def normalize_uid(uid: str) -> str:
    """Readers differ in case and padding; a badge is the same badge however it was typed."""
    return uid.strip().upper()
