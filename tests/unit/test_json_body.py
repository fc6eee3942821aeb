"""What the server refuses while parsing a body, and what it still takes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from server_sync.json_body import parse_storable, read_body
from server_sync.schemas import SyncRequest


@pytest.mark.parametrize(
    "text",
    [
        '{"x": NaN}',
        '{"x": -Infinity}',
        '{"x": "a\\u0000b"}',
        '{"x": "\\\\\\u0000"}',  # an escaped backslash, then a NUL
        '{"x": "\\ud800"}',  # a lone high surrogate
        '{"\\udfff": 1}',  # a lone low surrogate, as a key
        '{"x": 1e400}',  # too large for a float: it would be stored as Infinity
        '{"x": -1E+999}',
        '{"x": ' + "9" * 400 + ".5}",
    ],
)
def test_what_postgresql_cannot_store_is_a_decode_error(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        parse_storable(text.encode("utf-8"))


def test_utf8_encoded_surrogates_are_refused() -> None:
    with pytest.raises(json.JSONDecodeError):
        parse_storable(b'{"x": "\xed\xa0\x80"}')


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"x": "\\\\u0000"}', {"x": "\\u0000"}),  # the letters u0000 after a backslash
        ('{"x": "\\ud83d\\ude00"}', {"x": "\U0001f600"}),  # an emoji as a surrogate pair
        ('{"x": 1.5, "y": "Infinity"}', {"x": 1.5, "y": "Infinity"}),
    ],
)
def test_what_is_storable_is_parsed_unchanged(text: str, value: object) -> None:
    assert parse_storable(text.encode("utf-8")) == value


def _push(payload: object, details: object = None) -> dict[str, Any]:
    """A push body of one event and its audit row, as a kiosk writes it."""
    event_id = "0b6f1d5e-6d2c-4a36-9a43-3b1f4f0d2a11"
    return {
        "incarnation": "5d6f7a52-1c1e-4c43-8a55-1b7f8c2e9d10",
        "last_seq": 1,
        "acked_through": 0,
        "device_time": "2026-12-01T08:00:00+00:00",
        "events": [
            {
                "id": event_id,
                "seq": 1,
                "kind": "production.recorded",
                "schema_version": 1,
                "created_at": "2026-12-01T08:00:00+00:00",
                "payload": payload,
                "audit_seq": 1,
            }
        ],
        "audit": [
            {
                "seq": 1,
                "id": "7c0f0a8e-2b44-4d0e-bb1a-6f4c9d8e7a21",
                "at": "2026-12-01T08:00:00+00:00",
                "actor_id": None,
                "actor_label": "Rina",
                "action": "production.recorded",
                "outcome": "ok",
                "entity": "work_order",
                "entity_id": None,
                "details": {"events": [event_id]} if details is None else details,
                "prev_hash": "0" * 64,
                "hash": "a" * 64,
            }
        ],
    }


def _usual(raw: bytes) -> SyncRequest | str:
    """The request as the usual parse reads it, or the first error's message."""
    try:
        return SyncRequest.model_validate(parse_storable(raw))
    except ValidationError as error:
        return str(error.errors()[0]["msg"])
    except ValueError as error:  # a JSON decode error (or a number too long to read)
        return f"{type(error).__name__}: {error}"


def _read(raw: bytes) -> SyncRequest | str:
    """The request as the push route reads it (straight from the bytes where it can)."""
    try:
        return SyncRequest.model_validate(read_body(raw, SyncRequest.read_json))
    except ValidationError as error:
        return str(error.errors()[0]["msg"])
    except ValueError as error:  # a JSON decode error (or a number too long to read)
        return f"{type(error).__name__}: {error}"


def _nested(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = {"x": value}
    return value


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(_push({"good": 10, "note": "\u00e9t\u00e9 \U0001f600", "x": 1.5})),
        json.dumps(_push({"good": 10, "note": "été 😀"}), ensure_ascii=False),
        json.dumps(_push({"x": 1.5})).replace("1.5", "NaN"),
        json.dumps(_push({"x": 1.5})).replace("1.5", "-Infinity"),
        json.dumps(_push({"x": 1.5})).replace("1.5", "1e400"),
        json.dumps(_push({"x": 1.5})).replace("1.5", "[1E+999]"),
        json.dumps(_push({"x": 1.5})).replace("1.5", "9" * 400 + ".5"),
        json.dumps(_push({"x": {"y": [2, 1.5]}})).replace("1.5", "-1e400"),  # deep inside
        json.dumps(_push({"x": 1}, details={"y": 2.5})).replace("2.5", "1e400"),  # in the audit
        json.dumps(_push({"x": 1.5})).replace("1.5", "9" * 309),
        json.dumps(_push({"x": 1.5})).replace("1.5", "-" + "9" * 308),
        json.dumps(_push({"x": 1.5})).replace("1.5", "1.5e300"),  # large, but a float
        json.dumps(_push({"x": "Infinity and NaN, as words"})),
        json.dumps(_push({"x": "a\u0000b"})),
        json.dumps(_push({"x": 1.5})).replace("1.5", '"\\ud800"'),
        json.dumps(_push({"x": 1.5})).replace('"x"', '"\\udfff"'),
        json.dumps(_push({"x": 1.5})).replace("1.5", "9" * 4301),
        json.dumps(_push({"x": 1.5})).replace('"seq": 1', '"seq": 1.0', 1),
        json.dumps(_push({"x": 1.5})).replace('"events": [', '"extra": 1, "events": [', 1),
        json.dumps(_push({"x": 1.5}))[:-3],
        json.dumps(_push(_nested(28))),  # 4 levels to the payload, 28 in it: the limit
        json.dumps(_push(_nested(29))),
        json.dumps(_push({"x": 1}, details=_nested(29))),
        json.dumps(_push(_nested(300))),
        "[]",
    ],
)
def test_a_push_read_straight_from_its_bytes_is_the_usual_parse(text: str) -> None:
    """The same request, or the same refusal, whichever way the push route reads it."""
    raw = text.encode("utf-8")
    assert _read(raw) == _usual(raw)
