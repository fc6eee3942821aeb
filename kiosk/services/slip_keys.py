"""The public slip keys this kiosk knows (pulled from the server), read for verification."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from kiosk.domain.slip_keys import (
    SlipKeyError,
    VerifyingKey,
    key_id_of,
    public_key_from_text,
    public_key_text,
)
from kiosk.store.models import SlipKey


def verifying_key(session: Session, key_id: str) -> VerifyingKey | None:
    """The key named on a slip, as this kiosk knows it; None if unknown or unreadable."""
    row = session.get(SlipKey, key_id)
    if row is None:
        return None
    try:
        public_key = public_key_from_text(row.public_key)
    except SlipKeyError:
        return None
    if key_id_of(public_key) != row.key_id:  # a row whose id does not name its key
        return None
    return VerifyingKey(row.key_id, public_key, row.line_code, row.revoked_at)


def key_lookup(session: Session) -> Callable[[str], VerifyingKey | None]:
    return lambda key_id: verifying_key(session, key_id)


def remember_slip_key(
    session: Session, public_key: bytes, *, device_id: uuid.UUID, line_code: str | None
) -> str:
    """Store a public key this kiosk may verify slips with (the demo's own); returns its id."""
    key_id = key_id_of(public_key)
    row = session.get(SlipKey, key_id)
    if row is None:
        session.add(
            SlipKey(
                key_id=key_id,
                device_id=device_id,
                public_key=public_key_text(public_key),
                line_code=line_code,
                revoked_at=None,
            )
        )
    return key_id
