"""The signed QT-09 slip payload: what the QR code on the paper carries.

`QT09|1|site|slip|wo|mo|article|qty|from|to|destination|by|time|signature`, fields
percent-escaped so no field can contain a separator. The signature is HMAC-SHA256
with the site key over everything before it, truncated to 128 bits and written in
base32: a receiving kiosk verifies a slip offline, with nothing but the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, unquote

from kiosk.domain.errors import ErrorCode, RefusalError

PREFIX = "QT09"
VERSION = "1"
_SEPARATOR = "|"
_FIELD_COUNT = 14
_SIGNATURE_BYTES = 16
_SLIP_ID = re.compile(r"TS-[0-9A-Z]{12}")
_SAFE = " ,.-_/:()#+&'"  # kept readable in the QR; everything else is %-escaped
# The article is there for the receiver to read, not to identify the batch (the work order
# does): a long name in another script is cut so the payload always fits the scan grammar.
ARTICLE_CHARS = 40


@dataclass(frozen=True)
class Slip:
    """Everything the receiver needs to accept a batch without having heard of it."""

    site_code: str
    slip_id: str
    work_order_number: str
    mo_number: str
    article: str
    quantity: int
    from_line: str
    to_line: str
    destination: str
    prepared_by: str  # employee number of the sender
    prepared_at: datetime


def slip_id_for(transfer_id_bytes: bytes) -> str:
    """A short slip id from the transfer's UUID: 60 bits, base32, fits a small Code128."""
    digest = hashlib.sha256(transfer_id_bytes).digest()
    return "TS-" + base64.b32encode(digest).decode("ascii")[:12]


def is_slip_id(text: str) -> bool:
    return _SLIP_ID.fullmatch(text) is not None


def encode_slip(slip: Slip, key: bytes) -> str:
    """The signed payload for the QR code."""
    body = _SEPARATOR.join(
        [
            PREFIX,
            VERSION,
            _escape(slip.site_code),
            _escape(slip.slip_id),
            _escape(slip.work_order_number),
            _escape(slip.mo_number),
            _escape(slip.article[:ARTICLE_CHARS]),
            str(slip.quantity),
            _escape(slip.from_line),
            _escape(slip.to_line),
            _escape(slip.destination),
            _escape(slip.prepared_by),
            str(int(slip.prepared_at.timestamp())),
        ]
    )
    return f"{body}{_SEPARATOR}{_signature(body, key)}"


def decode_slip(payload: str, keys: dict[str, bytes]) -> Slip:
    """Parse and verify a scanned payload; `keys` maps site codes to their keys.

    Refuses a malformed or truncated payload, a slip of another site and a slip whose
    signature does not match (tampered, or signed with another key).
    """
    if not payload.isascii():  # every payload we sign is ASCII: anything else is damage
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="text")
    parts = payload.split(_SEPARATOR)
    if len(parts) != _FIELD_COUNT or parts[0] != PREFIX:
        raise RefusalError(ErrorCode.SLIP_MALFORMED, fields=len(parts))
    if parts[1] != VERSION:
        raise RefusalError(ErrorCode.SLIP_MALFORMED, version=parts[1][:8])
    site = _unescape(parts[2])
    key = keys.get(site)
    if key is None:
        raise RefusalError(ErrorCode.SLIP_OTHER_SITE, site=site[:16])
    body, signature = payload.rsplit(_SEPARATOR, 1)
    if not hmac.compare_digest(signature, _signature(body, key)):
        raise RefusalError(ErrorCode.SLIP_SIGNATURE_INVALID, site=site)
    try:
        quantity = int(parts[7], 10)
        prepared_at = datetime.fromtimestamp(int(parts[12], 10), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="number") from None
    slip = Slip(
        site_code=site,
        slip_id=_unescape(parts[3]),
        work_order_number=_unescape(parts[4]),
        mo_number=_unescape(parts[5]),
        article=_unescape(parts[6]),
        quantity=quantity,
        from_line=_unescape(parts[8]),
        to_line=_unescape(parts[9]),
        destination=_unescape(parts[10]),
        prepared_by=_unescape(parts[11]),
        prepared_at=prepared_at,
    )
    if not is_slip_id(slip.slip_id) or slip.quantity <= 0:
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="slip_id")
    return slip


def _signature(body: str, key: bytes) -> str:
    mac = hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.b32encode(mac).decode("ascii").rstrip("=")


def _escape(value: str) -> str:
    return quote(value, safe=_SAFE)


def _unescape(value: str) -> str:
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:  # a %-escape that is not UTF-8: not written by encode_slip
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="escape") from None
