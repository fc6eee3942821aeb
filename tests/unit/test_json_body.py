"""What the server refuses while parsing a body, and what it still takes."""

from __future__ import annotations

import json

import pytest

from server_sync.json_body import parse_storable


@pytest.mark.parametrize(
    "text",
    [
        '{"x": NaN}',
        '{"x": -Infinity}',
        '{"x": "a\\u0000b"}',
        '{"x": "\\\\\\u0000"}',  # an escaped backslash, then a NUL
        '{"x": "\\ud800"}',  # a lone high surrogate
        '{"\\udfff": 1}',  # a lone low surrogate, as a key
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
