"""Reasons supervisors and the warehouse give for a decision: required, one line, short."""

from __future__ import annotations

from kiosk.domain.errors import ErrorCode, RefusalError

MAX_REASON_LENGTH = 200


def clean_reason(reason: str) -> str:
    """The reason on one line with single spaces, or a refusal when empty or too long."""
    text = " ".join(reason.split())
    if not text:
        raise RefusalError(ErrorCode.REASON_REQUIRED)
    if len(text) > MAX_REASON_LENGTH:
        raise RefusalError(ErrorCode.REASON_TOO_LONG, length=len(text), limit=MAX_REASON_LENGTH)
    return text
