"""This kiosk's own slip key, the public ones it knows (pulled from the server), and the
check of a scanned slip against them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.slip import Slip, decode_slip, is_slip_id
from kiosk.domain.slip_keys import (
    SlipKeyError,
    SlipSigner,
    VerifyingKey,
    key_id_of,
    public_key_from_text,
    public_key_text,
)
from kiosk.services.transfer_rows import slip_of
from kiosk.store.models import Line, SlipKey, Transfer

# A forged, foreign or untrusted slip is a P1 alert on the kiosk that was shown it.
UNTRUSTED_SLIP = frozenset(
    {
        ErrorCode.SLIP_SIGNATURE_INVALID,
        ErrorCode.SLIP_OTHER_SITE,
        ErrorCode.SLIP_OLD_FORMAT,
        ErrorCode.SLIP_KEY_UNKNOWN,
        ErrorCode.SLIP_KEY_REVOKED,
        ErrorCode.SLIP_SIGNER_OTHER_LINE,
    }
)


@dataclass(frozen=True)
class SiteKeys:
    """This site's code and this device's own slip-signing key (None: it prints no slips)."""

    site_code: str
    signer: SlipSigner | None = None

    def signing_key(self) -> SlipSigner:
        if self.signer is None:
            raise RefusalError(ErrorCode.SITE_KEY_MISSING, site=self.site_code)
        return self.signer


def slip_scanned(
    session: Session, payload: str, *, site_code: str, now: datetime, max_age: timedelta
) -> Slip:
    """The slip a scan stands for: a QR payload verified with the sender's public key,
    or a slip id this kiosk already knows from the server."""
    if is_slip_id(payload):
        transfer = session.scalar(select(Transfer).where(Transfer.slip_id == payload))
        if transfer is None:
            raise RefusalError(ErrorCode.SLIP_ID_ONLY, slip_id=payload)
        return slip_of(transfer)
    return decode_slip(
        payload,
        site_code=site_code,
        key_of=key_lookup(session),
        now=now,
        max_age=max_age,
        department_of=lambda code: _department_of(session, code),
    ).slip


def _department_of(session: Session, line_code: str) -> str | None:
    department = session.scalar(select(Line.department).where(Line.code == line_code))
    return None if department is None else department.value


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
    return VerifyingKey(row.key_id, public_key, row.line_code, row.revoked_at, row.department)


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
                department=None,
                revoked_at=None,
            )
        )
    return key_id
