"""A short-lived read ticket for the admin's lists, after one PIN check.

Paging through a list must not cost a PIN hash (argon2) per page, nor make the admin type
their PIN again: `POST /v1/admin/session` verifies them once (as every admin action does)
and answers a ticket bound to that device and person, valid for `LIFETIME`. Each list
request carries it beside the device token; the person's role is read again at each use,
so an admin switched off or demoted loses the lists at once. The HMAC key is a row of
`site_secret` kept from devices (`SERVER_ONLY_SECRETS`: not in the feed, not enrolled).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from kiosk.domain.roles import Action, is_allowed
from kiosk.store.models import User
from server_sync.identity import IdentityRefusedError
from server_sync.models import ADMIN_TICKET_KEY_NAME, Device, SiteSecret

TICKET_KEY_NAME = ADMIN_TICKET_KEY_NAME  # server-only: never in the feed nor an enrolment
LIFETIME = timedelta(minutes=15)
HEADER = "X-Admin-Ticket"


def _key(session: Session) -> bytes:
    secret = session.get(SiteSecret, TICKET_KEY_NAME)
    if secret is not None:
        return secret.value
    statement = pg_insert(SiteSecret).values(name=TICKET_KEY_NAME, value=secrets.token_bytes(32))
    session.execute(statement.on_conflict_do_nothing(index_elements=["name"]))  # caller commits
    made = session.get(SiteSecret, TICKET_KEY_NAME)
    assert made is not None
    return made.value


def _sign(key: bytes, body: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def issue(session: Session, device: Device, user_id: uuid.UUID, now: datetime) -> str:
    """A ticket for this device and person until `now + LIFETIME`."""
    expires = int((now + LIFETIME).timestamp())
    body = json.dumps([str(device.id), str(user_id), expires]).encode()
    encoded = base64.urlsafe_b64encode(body).decode()
    return f"{encoded}.{_sign(_key(session), body)}"


def _refused(code: str, message: str) -> IdentityRefusedError:
    return IdentityRefusedError(401, code, message)


def holder(
    session: Session, device: Device, ticket: str | None, action: Action, now: datetime
) -> User:
    """The admin a ticket names, if it is this device's, unexpired, and their role allows
    `action` today; otherwise a 401/403 refusal."""
    if not ticket or "." not in ticket:
        raise _refused("no_ticket", f"open the admin session first (the {HEADER} header)")
    encoded, signature = ticket.rsplit(".", 1)
    try:
        body = base64.urlsafe_b64decode(encoded.encode())
        device_id, user_id, expires = json.loads(body)
    except (ValueError, TypeError):
        raise _refused("bad_ticket", "this admin ticket is not one of ours") from None
    if not hmac.compare_digest(signature, _sign(_key(session), body)):
        raise _refused("bad_ticket", "this admin ticket is not one of ours")
    if device_id != str(device.id):
        raise _refused("bad_ticket", "this admin ticket belongs to another device")
    if int(expires) < now.timestamp():
        raise _refused("ticket_expired", "the admin session has ended: type the PIN again")
    user = session.get(User, uuid.UUID(user_id))
    if user is None or not user.is_active:
        raise _refused("unknown_actor", "this person is unknown here or switched off")
    if not is_allowed(user.role, action):
        raise IdentityRefusedError(
            403,
            "permission_denied",
            "this role may not do this",
            role=user.role.value,
            action=action.value,
        )
    return user
