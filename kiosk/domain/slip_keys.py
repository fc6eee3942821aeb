"""Each device's own slip-signing key (Ed25519): its id, signing on the sender, checking anywhere.

The private key never leaves the device that made it (its secret store); the public key
travels from the server to every device of the site, so a receiver checks a slip offline.
A key is named by its id, the first 8 bytes of the SHA-256 of the public key, in hex.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_ID_BYTES = 8
PUBLIC_KEY_BYTES = 32
PRIVATE_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class SlipKeyError(ValueError):
    """Bytes that are not an Ed25519 key of the expected size."""


def key_id_of(public_key: bytes) -> str:
    """The key's short name: 8 bytes of its SHA-256, as 16 hex digits."""
    return hashlib.sha256(public_key).digest()[:KEY_ID_BYTES].hex()


def public_key_text(public_key: bytes) -> str:
    return base64.b64encode(public_key).decode("ascii")


def public_key_from_text(text: str) -> bytes:
    """A public key as base64 text (the enrol request, the feed) back to its 32 bytes."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SlipKeyError("not base64") from None
    if len(raw) != PUBLIC_KEY_BYTES:
        raise SlipKeyError(f"an Ed25519 public key is {PUBLIC_KEY_BYTES} bytes, not {len(raw)}")
    return raw


class SlipSigner:
    """This device's private key: signs the slips it prints."""

    def __init__(self, private_key: bytes) -> None:
        if len(private_key) != PRIVATE_KEY_BYTES:
            raise SlipKeyError(f"an Ed25519 private key is {PRIVATE_KEY_BYTES} bytes")
        self._key = Ed25519PrivateKey.from_private_bytes(private_key)
        self.public_key = self._key.public_key().public_bytes_raw()
        self.key_id = key_id_of(self.public_key)

    @classmethod
    def generate(cls) -> SlipSigner:
        return cls(Ed25519PrivateKey.generate().private_bytes_raw())

    @property
    def private_key(self) -> bytes:
        """The raw 32 bytes, for the secret store only."""
        return self._key.private_bytes_raw()

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def __repr__(self) -> str:  # never the private key in a log or a traceback
        return f"SlipSigner(key_id={self.key_id!r})"


@dataclass(frozen=True)
class VerifyingKey:
    """A device's public key as a receiver knows it: whose it is, and whether it still counts.

    `line_code` is the line of the kiosk that holds it, `department` the department of a
    desktop's key (both None: the demo's shared key); a slip from a line it does not serve
    is refused.
    """

    key_id: str
    public_key: bytes
    line_code: str | None
    revoked_at: datetime | None = None
    department: str | None = None

    def verifies(self, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True
