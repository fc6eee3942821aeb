"""How deep a request body may nest: MAX_DEPTH levels of values, and no deeper."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from server_sync.schemas import MAX_DEPTH, BadgeRehashRequest


def _nested(levels: int, innermost: Any) -> Any:
    """`innermost` inside `levels` containers, lists and objects in turn."""
    value = innermost
    for level in range(levels):
        value = [value, 1] if level % 2 else {"x": value, "y": "z"}
    return value


def _body(levels: int, innermost: Any) -> dict[str, Any]:
    # The body itself is the outermost container: `levels` more inside it.
    return {"uid": "04A1B2", "extra": _nested(levels, innermost)}


@pytest.mark.parametrize("innermost", [1, [], {}])
def test_a_body_nested_to_the_limit_gets_past_the_depth_check(innermost: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        BadgeRehashRequest.model_validate(_body(MAX_DEPTH - 1, innermost))
    # Refused only for its unknown field, not for its depth.
    assert "nested too deeply" not in str(refused.value)
    assert "extra" in str(refused.value)


@pytest.mark.parametrize(
    ("levels", "innermost"),
    [(MAX_DEPTH - 1, [1]), (MAX_DEPTH - 1, {"a": 1}), (MAX_DEPTH, 1), (MAX_DEPTH, [])],
)
def test_a_value_one_level_deeper_is_refused(levels: int, innermost: Any) -> None:
    with pytest.raises(ValidationError, match="nested too deeply"):
        BadgeRehashRequest.model_validate(_body(levels, innermost))
