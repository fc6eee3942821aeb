"""The results feed: every fact the floor produced, in commit order, for the ERP to read.

The source is `applied_event`: every pushed event with the server's answer and receive
time, kept for ever. Each row gets a number, `result_seq`, when it is recorded: taken
from `feed_state.results_high_water` under that row's lock, which the push holds until
it commits (the change feed numbers its rows under the same lock). A transaction that
took 11 therefore commits before any other can take 12, so a reader never sees 12
while 11 is still to come: a cursor never skips a fact, however many pushes commit at
once, and a fact's cursor never changes. A rolled-back push gives its numbers back.

An ERP stores `next` after it has posted a page and asks again from there: it gets each
fact at least once (a page whose answer is lost is read again) and posts it
idempotently by its `id`, the event's id. The shapes are in server_sync.results_shape.
"""

# No `from __future__ import annotations`: FastAPI reads the route's signature at run time.

import json
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from kiosk.domain.sync_events import SyncResult
from server_sync.bulk import insert_rows
from server_sync.models import AppliedEvent
from server_sync.results_shape import (
    FACT_EVENT_KINDS,
    FAMILIES,
    Lookup,
    StoredEvent,
    UnknownKindError,
    expand_kinds,
    load_lookup,
    shape,
)
from server_sync.schemas import ErrorOut

MAX_PAGE = 5000
DEFAULT_PAGE = 1000

_TAKE = text(
    "UPDATE feed_state SET results_high_water = results_high_water + :count WHERE id = 1 "
    "RETURNING results_high_water - :count"
)


_HIGH_WATER = text("SELECT results_high_water FROM feed_state WHERE id = 1")


def take_result_numbers(session: Session, count: int) -> range:
    """`count` new results-feed numbers; the feed's row stays locked until commit.

    Call it as late in the transaction as possible: every other push waits for it.
    """
    base = session.execute(_TAKE, {"count": count}).scalar_one()
    return range(base + 1, base + count + 1)


def record_events(session: Session, records: Sequence[dict[str, Any]]) -> None:
    """Insert `applied_event` rows (every column but `result_seq`), numbered in this order."""
    if not records:
        return
    for record, number in zip(records, take_result_numbers(session, len(records)), strict=True):
        record["result_seq"] = number
    table = AppliedEvent.__table__
    assert isinstance(table, Table)
    insert_rows(session, table, records)


class CursorAheadError(Exception):
    """A cursor past every number this database gave: it came from another (or a lost) one."""

    def __init__(self, cursor: int, high_water: int) -> None:
        super().__init__(f"cursor {cursor} is past the feed's last fact {high_water}")
        self.cursor = cursor
        self.high_water = high_water


@dataclass(frozen=True)
class ResultsPage:
    facts: list[dict[str, Any]]
    next_cursor: int
    has_more: bool


def results_high_water(session: Session) -> int:
    """The last number given (every number up to it is committed once it is read)."""
    return int(session.execute(_HIGH_WATER).scalar_one())


def read_results(
    session: Session,
    after: int,
    limit: int,
    kinds: Collection[str] | None = None,
    *,
    lookup: Lookup | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The facts after cursor `after` (at most `limit`), and the cursor to ask from next.

    `kinds` keeps only these kinds (or families: `production`, `transfer`, …); unknown
    names raise `UnknownKindError`. The next cursor passes over rows that are no fact
    (logins, badge events) and, on a last page, up to the newest committed number.
    """
    page = read_page(session, after, limit, kinds, lookup=lookup)
    return page.facts, page.next_cursor


def read_page(
    session: Session,
    after: int,
    limit: int,
    kinds: Collection[str] | None = None,
    *,
    lookup: Lookup | None = None,
) -> ResultsPage:
    """`read_results` with whether more facts are waiting."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if after < 0:
        raise ValueError("a cursor is 0 or more")
    if kinds:
        event_kinds, refused = expand_kinds(kinds)
    else:
        event_kinds, refused = list(FACT_EVENT_KINDS), True
    rows = session.execute(
        _PAGE,
        {
            "after": after,
            "kinds": event_kinds,
            "refused": refused,
            "rejected": SyncResult.REJECTED.value,
            "limit": limit,
            "iso": _ISO_UTC,
        },
    ).all()
    if not rows:
        high_water = results_high_water(session)
        if after > high_water:
            raise CursorAheadError(after, high_water)
        return ResultsPage([], high_water, has_more=False)
    high_water = rows[0][-1]
    stored = [StoredEvent(row[0], row[1], row[2], _payload(row[3]), *row[4:-1]) for row in rows]
    lookup = lookup if lookup is not None else Lookup()
    load_lookup(session, stored, lookup)
    facts = [shape(item, lookup) for item in stored]
    has_more = len(rows) == limit
    return ResultsPage(facts, stored[-1].cursor if has_more else high_water, has_more)


# One statement, one snapshot: the high-water mark and the rows under it. Every number up
# to a committed mark has committed (numbers are taken under the lock the mark's update
# holds until commit), so nothing below it can still appear. PostgreSQL writes the times
# as ISO 8601 text in UTC, and leaves out a counted slip's QR text (no fact needs it).
# Payloads come as text, decoded here by one decoder: the same values as the driver's
# JSON loader gives, without its work per value (a third of a page's time).
# (orjson would read an integer past 64 bits as a float, and telling such a payload apart
# costs what it saves.)
_DECODER = json.JSONDecoder()


def _payload(text: str) -> Any:
    return _DECODER.raw_decode(text)[0]


_ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'
_PAGE = text(
    """
    SELECT CAST(event.id AS varchar), event.result_seq, event.kind,
           CAST(event.payload - 'slip' AS text),
           to_char(event.created_at AT TIME ZONE 'UTC', :iso),
           to_char(event.received_at AT TIME ZONE 'UTC', :iso),
           event.result, event.reason, device.name, device.line_code, state.results_high_water
    FROM feed_state AS state
    JOIN applied_event AS event
      ON event.result_seq > :after AND event.result_seq <= state.results_high_water
    JOIN device ON device.id = event.device_id
    WHERE state.id = 1
      AND ((event.result <> :rejected AND event.kind = ANY(CAST(:kinds AS varchar[])))
           OR (:refused AND event.result = :rejected))
    ORDER BY event.result_seq
    LIMIT :limit
    """
)


def iter_results(
    session: Session, after: int, kinds: Collection[str] | None = None, page: int = DEFAULT_PAGE
) -> Iterator[dict[str, Any]]:
    """Every fact after `after`, page by page, to the newest committed one."""
    lookup = Lookup()
    cursor = after
    while True:
        found = read_page(session, cursor, page, kinds, lookup=lookup)
        yield from found.facts
        cursor = found.next_cursor
        session.rollback()  # each page on a fresh snapshot; nothing is written here
        if not found.has_more:
            return


# ---------------------------------------------------------------------- HTTP
_LAST_CURSOR = 2**63 - 1  # a PostgreSQL bigint


class ResultsPageOut(BaseModel):
    """A page of the results feed (the columns of each fact: docs/results-feed.md)."""

    facts: list[dict[str, str | int | None]] = Field(
        description="facts in commit order, each with every column (null where a kind has none)"
    )
    next: int = Field(description="store it once the page is posted; ask `after` it next time")
    has_more: bool = Field(description="more facts are waiting: ask again at once")


def add_results_route(router: APIRouter, auth_dependency: Callable[..., Any]) -> None:
    """Mount `GET <router prefix>/events?after=&limit=&kind=` behind `auth_dependency`.

    Answers `{facts, next, has_more}`. A kind that names no fact is a 400, a cursor past
    the last fact a 409, each with what happened and what to do.
    """

    @router.get(
        "/events",
        dependencies=[Depends(auth_dependency)],
        response_model=None,
        responses={
            200: {"model": ResultsPageOut, "description": "the facts after the cursor"},
            400: {"model": ErrorOut, "description": "a kind that names no fact"},
            409: {"model": ErrorOut, "description": "the cursor is past the last fact"},
        },
    )
    def integration_events(
        request: Request,
        after: Annotated[
            int, Query(ge=0, le=_LAST_CURSOR, description="the `next` of the previous page")
        ] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
        kind: Annotated[
            list[str] | None, Query(description="kinds or families (production, transfer, ...)")
        ] = None,
    ) -> Response:
        """The floor's facts after a cursor, in commit order; post each by its `id`."""
        with request.app.state.backend.readers() as session:
            try:
                page = read_page(session, after, limit, kind)
            except UnknownKindError as error:
                raise HTTPException(400, _unknown_kind(error.kind)) from None
            except CursorAheadError as error:
                raise HTTPException(409, _cursor_ahead(error)) from None
        return Response(page_json(page), media_type="application/json")


def page_json(page: ResultsPage) -> bytes:
    """A page as the route answers it: compact UTF-8 JSON, written by orjson (a tenth of the
    standard encoder's time on a page of a thousand facts); a value orjson cannot write (an
    integer past 64 bits, read leniently from an old payload) falls back to `json`."""
    body = {"facts": page.facts, "next": int(page.next_cursor), "has_more": page.has_more}
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _unknown_kind(kind: str) -> dict[str, Any]:
    return {
        "code": "unknown_kind",
        "message": f"No fact is of kind {kind!r}. Ask for a kind or family the results "
        f"feed lists: {', '.join(sorted(FAMILIES))}.",
    }


def _cursor_ahead(error: CursorAheadError) -> dict[str, Any]:
    return {
        "code": "cursor_ahead",
        "message": f"Cursor {error.cursor} is past the last fact ({error.high_water}): this "
        "central database is not the one that cursor came from (restored or replaced). "
        "Read again from an older cursor; post facts idempotently by their id.",
    }
