"""Badge UIDs are stored as keyed hashes: a copied database does not give away the badges.

An EM4100 UID has only 40 bits, so a plain hash could be reversed by trying them
all; a secret key (kept outside the database) makes that useless.
"""

from __future__ import annotations

import hashlib
import hmac

MIN_KEY_BYTES = 16


class BadgeHasher:
    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the badge key must have at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def digest(self, uid: str) -> str:
        """The stored form of a badge: HMAC-SHA256 of the normalized UID, in hex."""
        normalized = normalize_uid(uid)
        return hmac.new(
            self._key, normalized.encode("ascii", "replace"), hashlib.sha256
        ).hexdigest()


def normalize_uid(uid: str) -> str:
    """Readers differ in case and padding; a badge is the same badge however it was typed."""
    return uid.strip().upper()
