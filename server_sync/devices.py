"""Devices: one-time enrolment codes, the tokens they are exchanged for, and revocation.

Only hashes of codes and tokens are stored. A code is twelve digits (typed on a kiosk's
number pad), valid for a day and for one device; a token is 32 random bytes, shown
to the kiosk once.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.domain.slip_keys import SlipKeyError, key_id_of, public_key_from_text
from kiosk.store.models import Line, SiteSetting
from kiosk.store.secrets import BADGE_KEY_NAMES, RETIRED_SLIP_KEY_PREFIX
from server_sync.feed import publish, slip_key_rows
from server_sync.models import (
    DEVICE_DESKTOP,
    DEVICE_LINE,
    SERVER_ONLY_SECRETS,
    Device,
    DeviceKey,
    EnrolmentCode,
    SiteSecret,
)

CODE_DIGITS = 12
CODE_LIFETIME = timedelta(hours=24)


class EnrolmentError(Exception):
    """A code that is unknown, used or expired, or a line that does not exist."""


class EnrolmentLineGoneError(EnrolmentError):
    """A valid code for a line retired (or removed) since the code was made: the kiosk is
    told so, not that its code is wrong, and the code is not used up."""


@dataclass(frozen=True)
class Enrolment:
    device_id: uuid.UUID
    token: str
    kind: str
    line_code: str | None
    department: str
    site_code: str
    site_name: str
    keys: dict[str, str]  # secret name -> base64 key
    slip_key_id: str | None  # the id of the public slip key the device sent


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(character for character in code if character.isdigit())


def create_code(
    session: Session,
    now: datetime,
    *,
    line_code: str | None = None,
    department: str | None = None,
    created_by: str = "admin",
) -> str:
    """A new code for a line's kiosk, or (department only) for a supervisor's desktop."""
    if line_code is not None:
        line = session.scalar(select(Line).where(Line.code == line_code.strip().upper()))
        if line is None:
            raise EnrolmentError(f"no line {line_code} in the central database")
        if not line.is_active:
            raise EnrolmentError(f"line {line.code} is retired: enrol a kiosk for an active line")
        kind, line_code, department = DEVICE_LINE, line.code, line.department.value
    else:
        if department is None or department.upper() not in {d.value for d in Department}:
            raise EnrolmentError("name a line, or a department for a desktop")
        kind, department = DEVICE_DESKTOP, department.upper()
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    session.add(
        EnrolmentCode(
            code_hash=_digest(code),
            kind=kind,
            line_code=line_code,
            department=department,
            created_by=created_by,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            used_at=None,
            device_id=None,
        )
    )
    return code


def enrol(
    session: Session,
    code: str,
    name: str,
    now: datetime,
    slip_public_key: str | None = None,
) -> Enrolment:
    """Exchange a code for a device and its token, once.

    The device's public slip key is stored and published to every device of the site;
    a device that sent none prints no slip anyone accepts. No site slip key is handed
    out: each device signs with its own.
    """
    row = session.get(EnrolmentCode, _digest(normalize_code(code)), with_for_update=True)
    if row is None or row.used_at is not None or row.expires_at < now:
        raise EnrolmentError("this enrolment code is unknown, used or expired")
    if row.kind == DEVICE_LINE:
        line = session.scalar(select(Line).where(Line.code == row.line_code))
        if line is None or not line.is_active:
            raise EnrolmentLineGoneError(
                f"this code is for line {row.line_code}, which the server no longer has"
            )
    token = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    device = Device(
        id=new_id(),
        name=name.strip()[:100] or "kiosk",
        kind=row.kind,
        line_code=row.line_code,
        department=row.department,
        token_hash=_digest(token),
        enrolled_at=now,
        revoked_at=None,
        last_seen_at=None,
        clock_offset_seconds=None,
        clock_alerted_at=None,
    )
    session.add(device)
    row.used_at = now
    row.device_id = device.id
    slip_key_id = None
    if slip_public_key is not None:
        try:
            public_key = public_key_from_text(slip_public_key)
        except SlipKeyError as error:
            raise EnrolmentError(f"the slip key sent is not usable: {error}") from None
        slip_key_id = key_id_of(public_key)
        if session.get(DeviceKey, slip_key_id) is not None:
            raise EnrolmentError("this slip key belongs to another device: make a new one")
        session.add(
            DeviceKey(
                key_id=slip_key_id,
                device_id=device.id,
                public_key=public_key,
                created_at=now,
                revoked_at=None,
            )
        )
        session.flush()
        publish(session, slip_key_rows(session, device.id))
    settings = {row.key: row.value for row in session.scalars(select(SiteSetting))}
    keys = {  # a desktop reads no badges: no badge key for it (server_sync.scope)
        secret.name: base64.b64encode(secret.value).decode("ascii")
        for secret in session.scalars(select(SiteSecret))
        if not secret.name.startswith(RETIRED_SLIP_KEY_PREFIX)
        and secret.name not in SERVER_ONLY_SECRETS
        and (device.kind != DEVICE_DESKTOP or secret.name not in BADGE_KEY_NAMES)
    }
    return Enrolment(
        device_id=device.id,
        token=token,
        kind=device.kind,
        line_code=device.line_code,
        department=device.department,
        site_code=settings.get("site_code", "SITE"),
        site_name=settings.get("site_name", ""),
        keys=keys,
        slip_key_id=slip_key_id,
    )


def device_for_token(session: Session, token: str) -> Device | None:
    """The enrolled, not revoked device a bearer token belongs to."""
    device = session.scalar(select(Device).where(Device.token_hash == _digest(token)))
    if device is None or device.revoked_at is not None:
        return None
    return device


def revoke(session: Session, device_id: uuid.UUID, now: datetime) -> bool:
    """Revoke the device's token and its slip keys; every device hears of the keys' revocation
    through the feed and refuses the slips they signed from then on."""
    result = session.execute(
        update(Device)
        .where(Device.id == device_id)
        .where(Device.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if not cast(CursorResult[Any], result).rowcount:
        return False
    session.execute(
        update(DeviceKey)
        .where(DeviceKey.device_id == device_id)
        .where(DeviceKey.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.expire_all()
    publish(session, slip_key_rows(session, device_id))
    return True
