"""A cap on one pushed event's payload: an oversized event is refused alone, and not kept.

The body limit bounds a request; this bounds what one event may make the server store
(`applied_event.payload` keeps every payload it is sent). An event over the cap is
answered `rejected` with reason `payload_too_large` and the rest of its batch goes on;
its record keeps only the size it had.
"""

from __future__ import annotations

import json
from typing import Any

PAYLOAD_TOO_LARGE = "payload_too_large"


class OmittedPayload(dict[str, Any]):
    """Stands in for a payload over the cap: what is stored of it is its size alone."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(omitted=PAYLOAD_TOO_LARGE, bytes=size)
        self.size = size
        self.limit = limit


# Built once: `json.dumps` with its own separators builds an encoder per call (4x slower).
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":")).encode


class EncodedPayload(dict[str, Any]):
    """A payload within the cap, with the compact JSON its size was measured on: the
    event's record is written with that text (bulk.copy_rows), not encoded a second time."""

    def __init__(self, payload: dict[str, Any], text: str) -> None:
        super().__init__(payload)
        self.json_text = text


def payload_size(payload: dict[str, Any]) -> int:
    """The payload's length as compact JSON (non-ASCII text counted as its escapes)."""
    return len(_COMPACT_JSON(payload))


def within_payload_limit(payload: dict[str, Any], limit: int) -> dict[str, Any]:
    """The payload (as an `EncodedPayload`), or an `OmittedPayload` when it is over `limit`."""
    text = _COMPACT_JSON(payload)
    return EncodedPayload(payload, text) if len(text) <= limit else OmittedPayload(len(text), limit)
