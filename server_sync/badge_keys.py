"""The site's badge-hash key: its id, its rotation, and re-hashing badges during the grace period.

Badge hashes are HMACs of the badge UID under the site's badge key; the server never
holds a UID, so it cannot re-hash anyone by itself. A rotation therefore keeps the
previous key for a grace period: `keys rotate-badge` makes a new key current and keeps
the old one as `badge-key-previous`; both travel to the devices that read badges (line
kiosks, never a desktop). A tap that matches only under the previous key still logs in,
and that kiosk sends the UID once (online, with its token): the server checks that the
UID's hash under the previous key is the hash it holds for a person who may log in on
that device, and stores the hash under the new key; the feed brings it to the kiosks.
A kiosk cannot bind a badge of its choosing this way: only the real UID re-hashes.
`keys finish-badge-rotation` withdraws the previous key; badges not tapped by then must
be bound again by an admin.
"""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.sync_events import SITE_KEY
from kiosk.services.badge_hasher import badge_digest, badge_key_id
from kiosk.store.models import Line, User
from kiosk.store.replica import USER_LINE_IDS
from kiosk.store.secrets import BADGE_KEY_NAME, BADGE_PREVIOUS_KEY_NAME
from server_sync.feed import FeedRow, feed_row, publish, secret_row
from server_sync.models import Device, SiteSecret
from server_sync.scope import BADGE_READERS, may_log_in_on, reads_badges

_KEY_BYTES = 32


class RotationError(Exception):
    """A rotation that would lock people out (one is still in its grace period), or no key."""


def key_ids(session: Session) -> tuple[str | None, str | None]:
    """The ids of the current and the previous badge key (None where there is none)."""
    current = session.get(SiteSecret, BADGE_KEY_NAME)
    previous = session.get(SiteSecret, BADGE_PREVIOUS_KEY_NAME)
    return (
        None if current is None else badge_key_id(current.value),
        None if previous is None else badge_key_id(previous.value),
    )


def rotate(session: Session) -> tuple[str, str]:
    """A new current key; the old one stays as the previous key. Returns (new id, old id)."""
    current = session.get(SiteSecret, BADGE_KEY_NAME, with_for_update=True)
    if current is None:
        raise RotationError("this site has no badge key yet")
    if session.get(SiteSecret, BADGE_PREVIOUS_KEY_NAME) is not None:
        raise RotationError(
            "a badge-key rotation is still in its grace period: finish it first "
            "(server-sync keys finish-badge-rotation), or badges not yet re-hashed "
            "would stop working"
        )
    old = current.value
    previous = SiteSecret(name=BADGE_PREVIOUS_KEY_NAME, value=old)
    session.add(previous)
    current.value = secrets.token_bytes(_KEY_BYTES)
    session.flush()
    publish(session, [secret_row(current), secret_row(previous)])
    return badge_key_id(current.value), badge_key_id(old)


def finish_rotation(session: Session) -> str | None:
    """Withdraw the previous key from the server and from every kiosk; its id, or None."""
    previous = session.get(SiteSecret, BADGE_PREVIOUS_KEY_NAME, with_for_update=True)
    if previous is None:
        return None
    old_id = badge_key_id(previous.value)
    session.delete(previous)
    session.flush()
    publish(session, [FeedRow(SITE_KEY, BADGE_PREVIOUS_KEY_NAME, [BADGE_READERS], {"key": None})])
    return old_id


def rehash(session: Session, device: Device, uid: str) -> bool:
    """Re-hash a badge under the current key if its previous-key hash is someone's here.

    True when the person's badge is (now) under the current key. Nothing changes for a
    UID that is nobody's, a person who may not log in on this device, or a device that
    does not read badges.
    """
    current = session.get(SiteSecret, BADGE_KEY_NAME)
    previous = session.get(SiteSecret, BADGE_PREVIOUS_KEY_NAME)
    if current is None or not reads_badges(device) or not uid.strip():
        return False
    new_hash = badge_digest(current.value, uid)
    candidates = [new_hash] if previous is None else [new_hash, badge_digest(previous.value, uid)]
    user = session.scalar(select(User).where(User.badge_hash.in_(candidates)).with_for_update())
    if user is None or not may_log_in_on(device, _person(user), _line_id(session, device)):
        return False
    if user.badge_hash == new_hash:
        return True  # another kiosk re-hashed it first
    user.badge_hash = new_hash
    session.flush()
    row = feed_row(session, user)
    assert row is not None
    publish(session, [row])
    return True


def _person(user: User) -> dict[str, object]:
    return {
        "role": user.role.value,
        "department": None if user.department is None else user.department.value,
        USER_LINE_IDS: [str(link.line_id) for link in user.lines],
    }


def _line_id(session: Session, device: Device) -> uuid.UUID | None:
    if not device.line_code:
        return None
    return session.scalar(select(Line.id).where(Line.code == device.line_code))
