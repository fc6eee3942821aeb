"""Integration keys for the site's ERP: made, listed and revoked by an admin; checked per request.

A key is `lk_<key_id>.<secret>`. Only the SHA-256 of the secret is kept (the secret is 32
random bytes, so no slow hash is needed); the check compares it in constant time. Each
use is counted and logged by the key's name, never by the key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.models import IntegrationKey

log = logging.getLogger(__name__)

KEY_PREFIX = "lk_"
_KEY_ID_BYTES = 6  # 12 hex digits: finds the row; the secret proves the key
_SECRET_BYTES = 32
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_KEY = re.compile(r"^lk_([0-9a-f]{12})\.([A-Za-z0-9_-]{20,100})$")


class ApiKeyError(Exception):
    """A name that cannot be used (malformed, taken, or unknown when revoking)."""


@dataclass(frozen=True)
class KeyHolder:
    """Who called the integration API: the key's id and the name the admin gave it."""

    key_id: str
    name: str

    @property
    def actor(self) -> str:
        """How the central audit names this caller."""
        return f"key:{self.name}"


@dataclass(frozen=True)
class KeyCheck:
    """A presented key's verdict: the holder, or why not (`unknown`, `revoked`)."""

    holder: KeyHolder | None
    refusal: str | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(session: Session, name: str, now: datetime) -> str:
    """A new key named `name`; the caller commits and shows the key once."""
    if not _NAME.match(name):
        raise ApiKeyError(
            "a key's name is 1-64 letters, digits, '.', '_' or '-', starting with a letter "
            "or digit, e.g. erp-prod"
        )
    if session.scalar(select(IntegrationKey.key_id).where(IntegrationKey.name == name)):
        raise ApiKeyError(f"a key named {name} exists already (revoked keys keep their name)")
    key_id = secrets.token_hex(_KEY_ID_BYTES)
    secret = secrets.token_urlsafe(_SECRET_BYTES)
    session.add(
        IntegrationKey(
            key_id=key_id,
            name=name,
            secret_hash=_digest(secret),
            created_at=now,
            last_used_at=None,
            use_count=0,
            revoked_at=None,
        )
    )
    try:
        session.flush()
    except IntegrityError:
        raise ApiKeyError(f"a key named {name} exists already") from None
    return f"{KEY_PREFIX}{key_id}.{secret}"


def listing(session: Session) -> list[IntegrationKey]:
    """Every key, oldest first (revoked ones too: their history stays)."""
    return list(session.scalars(select(IntegrationKey).order_by(IntegrationKey.created_at)))


def revoke(session: Session, name: str, now: datetime) -> bool:
    """Refuse the key from now on; False when it was revoked already."""
    key = session.scalar(
        select(IntegrationKey).where(IntegrationKey.name == name).with_for_update()
    )
    if key is None:
        raise ApiKeyError(f"no key named {name} (see `server-sync api-key list`)")
    if key.revoked_at is not None:
        return False
    key.revoked_at = now
    return True


def check(session: Session, presented: str) -> KeyCheck:
    """Whether `presented` is a live key; its use is counted (the caller commits)."""
    found = _KEY.match(presented)
    if found is None:
        return KeyCheck(None, "unknown")
    key_id, secret = found.groups()
    key = session.get(IntegrationKey, key_id)
    # The digest is compared even for an unknown id, so both take the same time.
    stored = key.secret_hash if key is not None else _digest("")
    matches = hmac.compare_digest(stored, _digest(secret))
    if key is None or not matches:
        return KeyCheck(None, "unknown")
    if key.revoked_at is not None:
        log.warning("integration key %s refused: revoked", key.name)
        return KeyCheck(None, "revoked")
    return KeyCheck(KeyHolder(key.key_id, key.name))


def count_use(session: Session, holder: KeyHolder, now: datetime, what: str) -> None:
    """One more use of the key, logged by its name (the caller commits).

    The count is a statistic, not a fact of the floor: its commit does not wait for the
    disk (PostgreSQL's `synchronous_commit` off for this transaction only), which saves a
    flush on every call; a server crash may lose the last few counts, never a fact.
    """
    session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    session.execute(
        update(IntegrationKey)
        .where(IntegrationKey.key_id == holder.key_id)
        .values(use_count=IntegrationKey.use_count + 1, last_used_at=now)
    )
    log.info("integration key %s: %s", holder.name, what)
