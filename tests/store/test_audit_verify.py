"""`kiosk audit verify` on a real database file: intact, edited, deleted, inserted."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest

from kiosk.domain.errors import RefusalError
from tests.helpers.site import Site


def _verify(site: Site) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "audit", "verify", "--database", str(site.path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def busy_site(site: Site) -> Site:
    """A site with a dozen audited actions, refused ones among them."""
    services = site.services()
    actor = site.login(services, "E1001")
    work_order = site.work_order("WO-2026-004217")
    for good in ("5", "abc", "6", "0", "7"):
        with contextlib.suppress(RefusalError):
            services.work_orders.record(actor, work_order.id, good=good, reject="", reason=None)
    services.work_orders.pause(actor, work_order.id, reason="OTHER")
    services.work_orders.resume(actor, work_order.id)
    site.database.dispose()
    return site


def test_an_untouched_log_verifies(busy_site: Site) -> None:
    result = _verify(busy_site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "intact: 9 rows" in result.stdout


def test_an_edited_row_is_reported(busy_site: Site) -> None:
    with busy_site.raw() as raw:
        raw.execute('UPDATE audit_log SET details = \'{"good": "500"}\' WHERE seq = 4')
    result = _verify(busy_site)
    assert result.returncode == 1
    assert "BROKEN at row 4: edited" in result.stdout


def test_a_deleted_row_is_reported(busy_site: Site) -> None:
    with busy_site.raw() as raw:
        raw.execute("DELETE FROM audit_log WHERE seq = 5")
    result = _verify(busy_site)
    assert result.returncode == 1
    assert "BROKEN at row 5: deleted" in result.stdout


def test_an_inserted_row_is_reported(busy_site: Site) -> None:
    with busy_site.raw() as raw:
        raw.execute(
            "INSERT INTO audit_log (seq, id, at, actor_id, actor_label, action, outcome, entity,"
            " entity_id, details, prev_hash, hash) SELECT 10, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',"
            " at, actor_id, actor_label, action, outcome, entity, entity_id, details, prev_hash,"
            " hash FROM audit_log WHERE seq = 3"
        )
    result = _verify(busy_site)
    assert result.returncode == 1
    assert "BROKEN at row 10" in result.stdout


def test_a_missing_database_is_a_clear_error(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "audit", "verify", "--database", "/nonexistent/k.sqlite3"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no database at /nonexistent/k.sqlite3" in result.stderr
