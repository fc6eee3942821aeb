"""The JSON the kiosks and the server exchange, validated at the door (pydantic).

A malformed request is answered 422 and writes nothing. A well-formed batch may still
hold an event whose payload breaks the rules: that event alone is answered `rejected`.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

MAX_BATCH = 1000
MAX_PAGE = 5000
MAX_SEQ = 2**62

Seq = Annotated[int, Field(ge=1, le=MAX_SEQ)]
Counter = Annotated[int, Field(ge=0, le=MAX_SEQ)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventIn(Strict):
    id: uuid.UUID
    seq: Seq
    kind: Annotated[str, Field(min_length=1, max_length=64)]
    schema_version: Annotated[int, Field(ge=1, le=1000)]
    created_at: AwareDatetime
    payload: dict[str, Any]


class SyncRequest(Strict):
    """One round: events to push (may be none) and the feed position to pull from."""

    incarnation: uuid.UUID
    last_seq: Counter = Field(description="the highest number this incarnation has given")
    acked_through: Counter = Field(description="every event up to here has its answer")
    device_time: AwareDatetime = Field(description="the kiosk's clock, reported, never trusted")
    events: Annotated[list[EventIn], Field(max_length=MAX_BATCH)] = Field(default_factory=list)
    cursor: Counter = 0
    epoch: uuid.UUID | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1000


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


class EnrolRequest(Strict):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    name: Annotated[str, Field(min_length=1, max_length=100)]


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
