"""The signed QT-09 slip payload: what the QR code on the paper carries.

`QT09:2:` and the base32 of a compact binary record: version, the signing key's id, the
issue time, the transfer id, then as varints the seconds from preparing to printing and
the quantity, then the texts (site, WO, MO, article, from, to, destination, sender),
each with its length, and last the Ed25519 signature of the sending device over
everything before it. Base32 keeps the whole code in the QR's alphanumeric mode, the
densest a keyboard-wedge scanner can type: a usual slip fits a version 10 QR code.

A receiver verifies a slip offline with the public key of the device that signed it,
refuses a key it does not know or that was revoked, and a slip older than the site's
limit (a week by default): a paper slip is not a bearer cheque.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.slip_keys import KEY_ID_BYTES, SIGNATURE_BYTES, SlipSigner, VerifyingKey

PREFIX = "QT09:2:"
LEGACY_PREFIX = "QT09|"  # the site-key (HMAC) slips of version 1: never accepted any more
FORMAT_VERSION = 2
_HEADER = struct.Struct(f">B{KEY_ID_BYTES}sI16s")  # version, key id, issued, transfer id
_TEXTS = 8
_MAX_TEXT_BYTES = 255
_MAX_UINT32 = 2**32 - 1
_SLIP_ID = re.compile(r"TS-[0-9A-Z]{12}")
# The article is there for the receiver to read, not to identify the batch (the work order
# does): a long name in another script is cut so the payload always fits the scan grammar.
ARTICLE_CHARS = 40
DEFAULT_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Slip:
    """Everything the receiver needs to accept a batch without having heard of it."""

    site_code: str
    transfer_id: uuid.UUID
    work_order_number: str
    mo_number: str
    article: str
    quantity: int
    from_line: str
    to_line: str
    destination: str
    prepared_by: str  # employee number of the sender
    prepared_at: datetime

    @property
    def slip_id(self) -> str:
        return slip_id_for(self.transfer_id.bytes)


@dataclass(frozen=True)
class SignedSlip:
    """A slip as read off the paper: its content, who signed it and when it was printed."""

    slip: Slip
    key_id: str
    issued_at: datetime


def slip_id_for(transfer_id_bytes: bytes) -> str:
    """A short slip id from the transfer's UUID: 60 bits, base32, fits a small Code128."""
    digest = hashlib.sha256(transfer_id_bytes).digest()
    return "TS-" + base64.b32encode(digest).decode("ascii")[:12]


def is_slip_id(text: str) -> bool:
    return _SLIP_ID.fullmatch(text) is not None


def encode_slip(slip: Slip, signer: SlipSigner, issued_at: datetime) -> str:
    """The signed payload for the QR code; raises ValueError for a value it cannot carry."""
    texts = (
        slip.site_code,
        slip.work_order_number,
        slip.mo_number,
        slip.article[:ARTICLE_CHARS],
        slip.from_line,
        slip.to_line,
        slip.destination,
        slip.prepared_by,
    )
    # Never before the preparing: a clock set back in between would make a negative delta.
    issued = max(_seconds(issued_at), _seconds(slip.prepared_at))
    body = bytearray(
        _HEADER.pack(FORMAT_VERSION, bytes.fromhex(signer.key_id), issued, slip.transfer_id.bytes)
    )
    body += _varint(issued - _seconds(slip.prepared_at))
    body += _varint(_uint32(slip.quantity))
    for value in texts:
        encoded = _cut_utf8(value, _MAX_TEXT_BYTES)
        body.append(len(encoded))
        body += encoded
    signed = bytes(body) + signer.sign(bytes(body))
    return PREFIX + base64.b32encode(signed).decode("ascii").rstrip("=")


def read_slip(payload: str) -> tuple[SignedSlip, bytes, bytes]:
    """The slip, its signed bytes and its signature, nothing verified yet.

    Refuses a malformed or truncated payload, and a slip of the old site-key format.
    """
    if payload.startswith(LEGACY_PREFIX):
        raise RefusalError(ErrorCode.SLIP_OLD_FORMAT)
    if not payload.startswith(PREFIX):
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="prefix")
    text = payload[len(PREFIX) :]
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="text") from None
    if len(raw) < _HEADER.size + 2 + _TEXTS + SIGNATURE_BYTES:
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="length")
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    version, key_id, issued, transfer_id = _HEADER.unpack_from(body)
    if version != FORMAT_VERSION:
        raise RefusalError(ErrorCode.SLIP_MALFORMED, version=version)
    since_prepared, offset = _read_varint(body, _HEADER.size)
    quantity, offset = _read_varint(body, offset)
    if since_prepared > issued or quantity > _MAX_UINT32:
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="number")
    texts = []
    for _ in range(_TEXTS):
        if offset >= len(body):
            raise RefusalError(ErrorCode.SLIP_MALFORMED, field="texts")
        length = body[offset]
        chunk = body[offset + 1 : offset + 1 + length]
        if len(chunk) != length:
            raise RefusalError(ErrorCode.SLIP_MALFORMED, field="texts")
        try:
            texts.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            raise RefusalError(ErrorCode.SLIP_MALFORMED, field="text") from None
        offset += 1 + length
    if offset != len(body):
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="length")
    site, work_order, mo, article, from_line, to_line, destination, prepared_by = texts
    slip = Slip(
        site_code=site,
        transfer_id=uuid.UUID(bytes=transfer_id),
        work_order_number=work_order,
        mo_number=mo,
        article=article,
        quantity=quantity,
        from_line=from_line,
        to_line=to_line,
        destination=destination,
        prepared_by=prepared_by,
        prepared_at=datetime.fromtimestamp(issued - since_prepared, tz=UTC),
    )
    signed = SignedSlip(slip, key_id.hex(), datetime.fromtimestamp(issued, tz=UTC))
    return signed, body, signature


def decode_slip(
    payload: str,
    *,
    site_code: str,
    key_of: Callable[[str], VerifyingKey | None],
    now: datetime,
    max_age: timedelta = DEFAULT_MAX_AGE,
    department_of: Callable[[str], str | None] = lambda _line: None,
) -> SignedSlip:
    """Parse and verify a scanned payload against the keys this device knows.

    Refused, each with its own code: a malformed payload, a slip of another site, a key
    this device has never heard of, a revoked key, a signature that does not match, a key
    of another line's kiosk (or of another department's desktop: `department_of` names a
    line's department), and a slip issued longer ago than `max_age`.
    """
    signed, body, signature = read_slip(payload)
    slip = signed.slip
    if slip.site_code != site_code:
        raise RefusalError(ErrorCode.SLIP_OTHER_SITE, site=slip.site_code[:16])
    key = key_of(signed.key_id)
    if key is None:
        raise RefusalError(ErrorCode.SLIP_KEY_UNKNOWN, key_id=signed.key_id)
    if key.revoked_at is not None:
        raise RefusalError(
            ErrorCode.SLIP_KEY_REVOKED, key_id=signed.key_id, revoked_at=key.revoked_at
        )
    if not key.verifies(signature, body):
        raise RefusalError(ErrorCode.SLIP_SIGNATURE_INVALID, site=slip.site_code)
    _check_signer_serves(key, slip.from_line, department_of)
    if now - signed.issued_at > max_age:
        raise RefusalError(
            ErrorCode.SLIP_TOO_OLD,
            issued_at=signed.issued_at,
            days=max(1, round(max_age.total_seconds() / 86_400)),
        )
    if not is_slip_id(slip.slip_id) or slip.quantity <= 0:
        raise RefusalError(ErrorCode.SLIP_MALFORMED, field="quantity")
    return signed


def _check_signer_serves(
    key: VerifyingKey, from_line: str, department_of: Callable[[str], str | None]
) -> None:
    """A line kiosk's key signs for its line, a desktop's for its department's lines."""
    if key.line_code is not None:
        if key.line_code != from_line:
            raise RefusalError(
                ErrorCode.SLIP_SIGNER_OTHER_LINE, line=from_line, signer_line=key.line_code
            )
    elif key.department is not None and department_of(from_line) != key.department:
        raise RefusalError(
            ErrorCode.SLIP_SIGNER_OTHER_LINE,
            line=from_line,
            signer_line=f"{key.department} desktop",
        )


def _seconds(moment: datetime) -> int:
    return _uint32(int(moment.timestamp()))


def _varint(value: int) -> bytes:
    """Seven bits a byte, low first (LEB128): a small number costs one byte."""
    if value < 0:
        raise ValueError(f"{value} does not fit a slip")
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(body: bytes, offset: int) -> tuple[int, int]:
    value = shift = 0
    for index in range(offset, min(len(body), offset + 5)):  # at most 35 bits
        byte = body[index]
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, index + 1
    raise RefusalError(ErrorCode.SLIP_MALFORMED, field="number")


def _uint32(value: int) -> int:
    if not 0 <= value <= _MAX_UINT32:
        raise ValueError(f"{value} does not fit a slip")
    return value


def _cut_utf8(value: str, limit: int) -> bytes:
    """The text as UTF-8, cut on a character boundary to at most `limit` bytes."""
    encoded = value.encode("utf-8")
    if len(encoded) <= limit:
        return encoded
    return encoded[:limit].decode("utf-8", errors="ignore").encode("utf-8")
