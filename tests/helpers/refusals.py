"""Catch a refusal and hand it back, so a test can check its code and fields."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.domain.errors import RefusalError


def refusal_of(call: Callable[[], object]) -> RefusalError:
    with pytest.raises(RefusalError) as refused:
        call()
    return refused.value
