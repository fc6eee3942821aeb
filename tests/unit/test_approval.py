"""Segregation of duties is one rule for the kiosk and the server."""

from __future__ import annotations

import pytest

from kiosk.domain.approval import refuse_own_work
from kiosk.domain.errors import ErrorCode, RefusalError


def test_nobody_decides_what_they_requested_prepared_or_counted() -> None:
    refuse_own_work("E5001", "E1001", "E2001", slip_id="TS-1")  # a third person: allowed
    refuse_own_work("E5001", "E1001", None)  # not counted yet
    for own in ("E1001", "E2001"):
        with pytest.raises(RefusalError) as refused:
            refuse_own_work(own, "E1001", "E2001", slip_id="TS-1")
        assert refused.value.code is ErrorCode.SELF_APPROVAL
        assert refused.value.fields == {"slip_id": "TS-1"}
