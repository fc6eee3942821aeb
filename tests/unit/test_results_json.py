"""The results feed's page text: exactly what `json.dumps` writes, whatever a fact holds."""

from __future__ import annotations

import json

from server_sync.results import ResultsPage, page_json
from server_sync.results_shape import COLUMNS


def _fact(**values: object) -> dict[str, object]:
    return {**dict.fromkeys(COLUMNS), **values}


def test_a_page_is_the_same_text_json_dumps_writes() -> None:
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
    ]
    for has_more in (True, False):
        page = ResultsPage(facts, 2**63 - 1, has_more)
        body = {"facts": facts, "next": page.next_cursor, "has_more": has_more}
        assert page_json(page) == json.dumps(body, separators=(",", ":"))
    assert page_json(ResultsPage([], 0, False)) == '{"facts":[],"next":0,"has_more":false}'
