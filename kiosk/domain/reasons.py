"""Reasons given for a decision (required, one line, short) and the sites' lists of reasons."""

from __future__ import annotations

from enum import StrEnum

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


class PauseReason(StrEnum):
    """Why a work order was paused: the site's list, one big button per reason."""

    MACHINE_BREAKDOWN = "MACHINE_BREAKDOWN"
    WAITING_MATERIAL = "WAITING_MATERIAL"
    WAITING_WORK = "WAITING_WORK"
    CHANGEOVER = "CHANGEOVER"
    NO_OPERATOR = "NO_OPERATOR"
    POWER_CUT = "POWER_CUT"
    OTHER = "OTHER"


class CorrectionReason(StrEnum):
    """Why a recorded production entry is corrected or voided."""

    TYPING_ERROR = "TYPING_ERROR"
    WRONG_WORK_ORDER = "WRONG_WORK_ORDER"
    COUNTED_TWICE = "COUNTED_TWICE"
    RECOUNTED = "RECOUNTED"
    OTHER = "OTHER"
