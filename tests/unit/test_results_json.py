"""The results feed's page text: compact UTF-8 JSON holding exactly the page's values."""

from __future__ import annotations

import json

from server_sync.results import ResultsPage, _payload, page_json
from server_sync.results_shape import COLUMNS


def _fact(**values: object) -> dict[str, object]:
    return {**dict.fromkeys(COLUMNS), **values}


def test_a_page_reads_back_as_the_same_values_whatever_a_fact_holds() -> None:
    facts = [
        _fact(
            id="0190a0d6-0000-7000-8000-000000000001",
            cursor=7,
            kind="transfer.released",
            reason='Recounted: "37" is right,\n\tsays Hadi \\ Dewi',
            by_name="Dédé Ñoño 王 \U0001f9f5",
            variance=-3,
            sent_qty=40,
        ),
        # What a payload read leniently may hold: flags, fractions, lists, objects.
        _fact(cursor=8, kind="sync.refused", good=True, reject=1.5, quantity=[1, "a"]),
        _fact(cursor=9, status={"nested": None}, line="\x00\x1f\x7f"),
        {"cursor": 10, "kind": "a fact of other columns"},
        # An integer past 64 bits (orjson cannot write it): still exact.
        _fact(cursor=11, good=2**70),
    ]
    for has_more in (True, False):
        page = ResultsPage(facts, 2**63 - 1, has_more)
        text = page_json(page).decode("utf-8")
        assert json.loads(text) == {"facts": facts, "next": 2**63 - 1, "has_more": has_more}
    assert page_json(ResultsPage([], 0, False)) == b'{"facts":[],"next":0,"has_more":false}'


def test_a_stored_payload_is_read_exactly_long_numbers_too() -> None:
    for text in (
        '{"good": 12, "note": "é \\u0000", "f": 1.5}',
        '{"big": 123456789012345678901234567890, "neg": -9223372036854775809}',
    ):
        assert _payload(text) == json.loads(text)
