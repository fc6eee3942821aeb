"""The JSON the kiosks and the server exchange, validated at the door (pydantic).

A malformed request is answered 422 and writes nothing. A well-formed batch may still
hold an event whose payload breaks the rules: that event alone is answered `rejected`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from itertools import chain, compress, repeat
from math import isfinite
from operator import not_
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

MAX_BATCH = 1000
MAX_PAGE = 5000
MAX_SEQ = 2**62
MAX_DEPTH = 32
MAX_AUDIT = 5000


def _iso_text(value: Any) -> Any:
    """A time is ISO 8601 text, as the document says: not a number of seconds, not "802"."""
    if not isinstance(value, str):
        raise ValueError("a time is ISO 8601 text")
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is not None:
            parsed.astimezone(UTC)  # stored in UTC: year 9999 at -05:00 is out of range
    except (ValueError, OverflowError):
        raise ValueError("a time is ISO 8601 text within years 1-9999") from None
    return parsed


# Numbers are JSON integers and times ISO text: no "5", 5.0 or true for a number, which
# pydantic would otherwise take in place of what the OpenAPI document promises.
Seq = Annotated[int, Field(strict=True, ge=1, le=MAX_SEQ)]
Counter = Annotated[int, Field(strict=True, ge=0, le=MAX_SEQ)]
Time = Annotated[AwareDatetime, BeforeValidator(_iso_text)]


def _check_depth(value: Any) -> None:
    """No value nested more than MAX_DEPTH levels deep (walking the containers only).

    Level by level, with the iteration in C (itertools, `map(isinstance, …)`): this walks
    every value of every request, thousands of them in a push (the loop in Python cost a
    push about 3 % of the server's time).
    """
    if _too_deep([value] if isinstance(value, _CONTAINERS) else [], depth=1):
        raise ValueError("nested too deeply")


def _too_deep(level: list[Any], depth: int, *, unusual_numbers: bool = False) -> bool:
    """Whether anything inside these containers, found `depth` levels deep in a body, lies
    more than MAX_DEPTH levels deep in it; with `unusual_numbers`, also whether they hold a
    number the usual parse treats apart (see `_is_unusual`), in the same walk."""
    for _ in range(MAX_DEPTH + 1 - depth):
        is_dict = list(map(isinstance, level, repeat(dict)))
        items = list(
            chain(
                chain.from_iterable(map(dict.values, compress(level, is_dict))),
                chain.from_iterable(compress(level, map(not_, is_dict))),
            )
        )
        if unusual_numbers and _is_unusual(items):
            return True
        level = list(compress(items, map(isinstance, items, repeat(_CONTAINERS))))
        if not level:
            return False
    return any(level)


_CONTAINERS = (dict, list)
# An integer this large is read by pydantic, but the usual parse decides about it (Python's
# own refuses one of more than 4,300 digits): the same answer both ways.
_UNUSUAL_INTEGER = 10**308


def _is_unusual(values: list[Any]) -> bool:
    """A number too large for a float (pydantic reads 1e400 as infinity, the usual parse
    refuses it) or an integer of 309 digits and more, among these values. Checked in C
    (a search of the raw text for such numbers cost a push about 7 % of the server's time).
    """
    if not all(map(isfinite, compress(values, map(isinstance, values, repeat(float))))):
        return True
    integers = compress(values, map(isinstance, values, repeat(int)))
    return any(map(_UNUSUAL_INTEGER.__le__, map(abs, integers)))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Request(Strict):
    """A whole request body, nested no deeper than PostgreSQL and the checks can follow.

    What else PostgreSQL cannot store (NaN, NUL characters, lone surrogates) is refused
    while the body is parsed: see server_sync.json_body.
    """

    @model_validator(mode="before")
    @classmethod
    def _not_too_deep(cls, data: Any) -> Any:
        _check_depth(data)
        return data


class EventIn(Strict):
    id: uuid.UUID
    seq: Seq
    kind: Annotated[str, Field(min_length=1, max_length=64)]
    schema_version: Annotated[int, Field(strict=True, ge=1, le=1000)]
    created_at: Time
    payload: dict[str, Any]
    audit_seq: Seq | None = Field(default=None, description="the audit entry of its action")


Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class AuditEntryIn(Strict):
    """One row of the kiosk's hash-chained audit log: every field its hash covers."""

    seq: Seq
    id: uuid.UUID
    at: Time
    actor_id: uuid.UUID | None
    actor_label: Annotated[str, Field(max_length=100)]
    action: Annotated[str, Field(max_length=64)]
    outcome: Annotated[str, Field(max_length=64)]
    entity: Annotated[str, Field(max_length=32)]
    entity_id: Annotated[str, Field(max_length=64)] | None
    details: dict[str, Any]
    prev_hash: Hash
    hash: Hash


class SyncFields(Strict):
    """A push's fields, without the depth check that reads a whole body first (see
    `SyncRequest.read_json`)."""

    incarnation: uuid.UUID
    last_seq: Counter = Field(description="the highest number this incarnation has given")
    acked_through: Counter = Field(description="every event up to here has its answer")
    device_time: Time = Field(description="the kiosk's clock, reported, never trusted")
    events: Annotated[list[EventIn], Field(max_length=MAX_BATCH)] = Field(default_factory=list)
    cursor: Counter = 0
    epoch: uuid.UUID | None = None
    limit: Annotated[int, Field(strict=True, ge=1, le=MAX_PAGE)] = 1000
    audit: Annotated[list[AuditEntryIn], Field(max_length=MAX_AUDIT)] = Field(
        default_factory=list,
        description="the audit chain after the server's anchor, covering the events' entries",
    )
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z.+_-]{1,40}$")] | None = Field(
        default=None, description="the kiosk's program version, shown to the admin"
    )


# Where a payload or an audit row's details sit in a push body: the body, its `events` or
# `audit` list, one event or row, then the free-form object (every other value is typed).
_FREE_FORM_DEPTH = 4


class SyncRequest(Request, SyncFields):
    """One round: events to push (may be none) and the feed position to pull from."""

    @classmethod
    def read_json(cls, body: bytes) -> SyncRequest | None:
        """The request as pydantic's JSON parser reads it straight from the body's bytes,
        or None where it does not take it as it is (the usual parse then decides, with
        its own messages).

        The same request as the usual path (`json.loads`, then validating the objects,
        which cost a push a third of the server's time), checked the same way: a valid
        body's only free-form values are its payloads and details, so they alone are
        walked for the depth check. The caller leaves bodies that may hold what
        PostgreSQL cannot store to the usual parse (server_sync.json_body).
        """
        try:
            fields = SyncFields.model_validate_json(body)
        except ValidationError:
            return None
        free_form: list[Any] = [event.payload for event in fields.events]
        free_form += [entry.details for entry in fields.audit]
        if _too_deep(free_form, depth=_FREE_FORM_DEPTH, unusual_numbers=True):
            return None
        # Validated above, field by field: the instance is built without a second pass.
        return cls.model_construct(fields.model_fields_set, **dict(fields))


ResultName = Literal["applied", "duplicate", "rejected", "conflict", "retry"]


class AnswerOut(BaseModel):
    id: uuid.UUID
    seq: int
    result: ResultName
    reason: str | None = None


class ChangeOut(BaseModel):
    seq: int
    entity: str
    key: str
    data: dict[str, Any]


class AuditAnchorOut(BaseModel):
    anchored_seq: int = Field(description="the last audit row the server holds for this kiosk")
    held: Literal["audit_chain_broken"] | None = Field(
        default=None, description="this kiosk's events wait for an admin's decision"
    )


class SyncResponse(BaseModel):
    server_time: AwareDatetime
    epoch: uuid.UUID
    answers: list[AnswerOut]
    next_seq: int = Field(description="the next event number the server expects")
    server_behind: bool = Field(description="the server lacks answered events: send them again")
    changes: list[ChangeOut]
    cursor: int
    high_water: int
    has_more: bool
    reset: Literal["cursor_too_old", "epoch_changed"] | None = None
    audit: AuditAnchorOut | None = None


class BadgeRehashRequest(Request):
    """A badge that matched only under the previous badge key, by its UID (never stored)."""

    uid: Annotated[str, Field(min_length=1, max_length=64)]


class BadgeRehashResponse(BaseModel):
    rehashed: bool


class EnrolRequest(Request):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    slip_public_key: Annotated[
        str | None,
        Field(
            default=None,
            min_length=44,
            max_length=44,
            pattern=r"^[A-Za-z0-9+/]{43}=$",
            description="the device's own Ed25519 slip-signing public key, base64 (32 bytes)",
        ),
    ] = None


class EnrolResponse(BaseModel):
    device_id: uuid.UUID
    token: str
    kind: Literal["line", "desktop"]
    line: str | None
    department: str
    site_code: str
    site_name: str
    keys: dict[str, str] = Field(description="site keys by name, base64")


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    database: bool
    high_water: int | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str
    missing_from: int | None = None
    missing_to: int | None = None


class ErrorOut(BaseModel):
    detail: ErrorDetail
