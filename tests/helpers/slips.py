"""Slips as an attacker makes them: a genuine slip changed, or a slip signed with another key."""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any

from kiosk.domain.slip import PREFIX, encode_slip, read_slip
from kiosk.domain.slip_keys import KEY_ID_BYTES, SlipSigner

THROWAWAY = SlipSigner(bytes(range(32)))


def tampered(payload: str, **changes: Any) -> str:
    """The genuine slip with fields changed and its original key id and signature kept."""
    signed, _body, signature = read_slip(payload)
    other = encode_slip(replace(signed.slip, **changes), THROWAWAY, signed.issued_at)
    _, body, _ = read_slip(other)
    body = body[:1] + bytes.fromhex(signed.key_id) + body[1 + KEY_ID_BYTES :]
    return _payload(body + signature)


def forged(
    payload: str, signer: SlipSigner, *, claim_key_id: str | None = None, **changes: Any
) -> str:
    """The slip re-signed by `signer`, naming `claim_key_id` (e.g. the real sender's key)."""
    signed, _body, _signature = read_slip(payload)
    other = encode_slip(replace(signed.slip, **changes), signer, signed.issued_at)
    if claim_key_id is None:
        return other
    _, body, _ = read_slip(other)
    body = body[:1] + bytes.fromhex(claim_key_id) + body[1 + KEY_ID_BYTES :]
    return _payload(body + signer.sign(body))


def key_id_of_slip(payload: str) -> str:
    return read_slip(payload)[0].key_id


def _payload(raw: bytes) -> str:
    return PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=")
