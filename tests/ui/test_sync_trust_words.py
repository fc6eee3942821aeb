"""The health strip names a server it does not trust in words, on a real window that still fits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from kiosk.sync.status import CERTIFICATE_CHANGED, CERTIFICATE_UNTRUSTED, INSECURE, SyncStatus
from tests.ui.driver import KioskDriver

WORDS = {
    CERTIFICATE_CHANGED: ("certificate changed", "not the one this kiosk enrolled"),
    CERTIFICATE_UNTRUSTED: ("certificate not trusted", "not signed by the site's CA"),
    INSECURE: ("address not https://", "plain http://"),
}


@pytest.mark.parametrize("state", list(WORDS))
def test_a_server_not_trusted_is_named_and_the_kiosk_still_fits_its_screen(
    kiosk: KioskDriver, qtbot: QtBot, state: str
) -> None:
    status = SyncStatus(
        state=state,
        pending=7,
        last_success_at=datetime(2026, 12, 6, 7, 30, tzinfo=UTC),
        last_error="https://sync.factory.lan:8400/v1/sync: …",
    )
    kiosk.window.health.set_sync(status, kiosk.window.times)
    label = kiosk.window.health.sync
    short, sentence = WORDS[state]
    assert short in label.text() and "offline" not in label.text().lower()
    assert sentence in label.toolTip() and "7 waiting" in label.toolTip()
    # A long word on the strip must not push the window past a 1280-pixel kiosk screen,
    # nor squeeze the other devices' states out of sight.
    assert kiosk.window.minimumSizeHint().width() <= 1280
    qtbot.wait(10)
    strip = kiosk.window.health
    for widget in (strip.reader, strip.scanner, strip.camera, strip.printer, strip.sync):
        assert widget.width() >= widget.sizeHint().width(), widget.text()
