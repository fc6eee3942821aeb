"""What the floor sees when the server holds a kiosk's events over its audit chain."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from server_sync import cli
from tests.helpers.central import CentralDatabase, ThreadServer
from tests.sync.test_audit_anchor import _rewrite_and_rehash
from tests.sync.test_kiosk_screens import RunningKiosk, _node


def test_the_strip_says_sync_is_held_for_an_admin_until_the_admin_decides(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    server: ThreadServer,
    tmp_path: Path,
) -> None:
    node = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    _rewrite_and_rehash(node, seq=1)
    kiosk = RunningKiosk(qtbot, qapp, node)
    try:
        kiosk.driver.log_in("E2001", "8642")  # an event on a chain the server no longer vouches
        qtbot.waitUntil(lambda: "held for an admin" in kiosk.sync_text, timeout=15_000)
        assert "1 waiting" in kiosk.sync_text
        device = str(node.store.state().device_id)
        assert cli.main(["--database-url", central.url, "audit", "reject", device]) == 0
        kiosk.runtime.worker.sync_now()
        qtbot.waitUntil(lambda: "Sync: online" in kiosk.sync_text, timeout=15_000)
        assert "held" not in kiosk.sync_text
    finally:
        kiosk.close(qtbot)
