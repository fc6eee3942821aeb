"""Texts say what the kiosk knows: a kiosk that does not sync never claims the warehouse saw."""

from __future__ import annotations

from collections.abc import Callable

from tests.ui.test_kanban_screens import (  # noqa: F401  (the fixture, used by name)
    DEWI,
    Kiosk,
    _request_through_the_screens,
    kiosks,
)


def test_a_request_on_a_kiosk_that_does_not_sync_says_only_this_kiosk_shows_it(
    kiosks: Callable[[str], Kiosk],  # noqa: F811
) -> None:
    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    card_no = _request_through_the_screens(line, "thread white", "Thread, white, 5000 m", "10")
    banner = line.banner()
    assert banner.startswith(f"Request {card_no} sent: 10 cone Thread, white, 5000 m.")
    assert "This kiosk does not sync: the warehouse sees it only on this kiosk." in banner
    assert "sees it now" not in banner
