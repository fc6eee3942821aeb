"""Time-ordered UUIDv7 ids: created where the thing is created, unique across kiosks."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """A fresh UUIDv7 as a standard `uuid.UUID`."""
    return uuid.UUID(bytes=uuid6.uuid7().bytes)
