"""Going back in time: a kiosk restored from a backup, a reset change feed, a central database
restored from an older backup. Each is detected at the next sync and healed without losing an
event or applying one twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, select, update

from kiosk.store.models import Alert, OutboxEvent, SyncState, WorkOrder
from kiosk.sync.engine import RESET_CURSOR_TOO_OLD, RESET_EPOCH_CHANGED, SyncEngine
from kiosk.sync.status import RoundReport, SyncProgress
from server_sync.models import FeedState
from tests.helpers.central import (
    ROOT,
    CentralDatabase,
    KioskNode,
    ThreadServer,
    applied_counts,
    drop_database,
)
from tests.helpers.faults import CUTTING_WORK_ORDER, record_counts
from tests.helpers.postgres import sqlalchemy_url
from tests.helpers.sync_checks import (
    assert_applied_exactly,
    assert_counts_once,
    assert_healed,
)
from tests.helpers.tcp_proxy import TcpProxy
from tests.sync.conftest import KioskFactory


def _healed(
    central: CentralDatabase, nodes: list[KioskNode], events: int, *, kept: int | None = None
) -> dict[str, int]:
    """`events` recorded centrally, each once; the kiosks still hold `kept` of them."""
    for node in nodes:
        node.sync()  # the rows the other kiosks' last rounds published
    assert assert_healed(central, nodes) == (events if kept is None else kept)
    counts = assert_applied_exactly(central, events)
    assert_counts_once(central, nodes)
    return counts


# ====================================================================== 7. a kiosk's backup
def _restore_files(node: KioskNode, backup: Path) -> None:
    """Put the backed-up database and secrets back, as an admin would after a disk failure."""
    node.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{node.path}{suffix}").unlink(missing_ok=True)
    for item in backup.iterdir():
        if item.is_dir():
            shutil.rmtree(node.folder / item.name)
            shutil.copytree(item, node.folder / item.name)
        else:
            shutil.copyfile(item, node.folder / item.name)


@pytest.mark.parametrize("made_after_restore", [0, 5, 20])
def test_a_kiosk_restored_from_a_backup_starts_anew_and_duplicates_nothing(
    kiosk: KioskFactory,
    central: CentralDatabase,
    server: ThreadServer,
    tmp_path: Path,
    made_after_restore: int,
) -> None:
    node = kiosk("CUT-L02")
    record_counts(node, 10)  # events 1-11
    node.sync()
    node.copy_files_to(tmp_path / "backup")
    record_counts(node, 15)  # events 12-27: on the server, lost with the disk
    node.sync()
    old_incarnation = node.store.state().incarnation
    _restore_files(node, tmp_path / "backup")
    node = KioskNode.reopen(node.folder, server.url)
    try:
        assert (node.store.state().last_seq, node.pending()) == (11, 0)
        if made_after_restore:
            record_counts(node, made_after_restore - 1)  # numbered 12… again, other events

        report = node.sync()
        fresh = node.store.state().incarnation
        assert report.new_incarnation == fresh != old_incarnation
        with node.database.reader() as session:
            renumbered = session.scalars(
                select(OutboxEvent.seq).where(OutboxEvent.incarnation == fresh)
            ).all()
        assert sorted(renumbered) == list(range(1, made_after_restore + 1))
        with central.session() as session:
            restored = session.scalars(select(Alert).where(Alert.kind == "kiosk_restored")).all()
        assert len(restored) == 1
        fields = restored[0].fields
        assert (fields["missing_from"], fields["missing_to"]) == (12, 27)
        assert fields["incarnation"] == str(old_incarnation)
        # The kiosk's own department sees it too.
        with node.database.reader() as session:
            assert session.get(Alert, restored[0].id) is not None

        counts = _healed(central, [node], 27 + made_after_restore, kept=11 + made_after_restore)
        assert counts == {"applied": 27 + made_after_restore}
    finally:
        node.close()


# ====================================================================== 9. the feed starts over
def _walk(
    node: KioskNode,
    *,
    batch_size: int = 40,
    page_size: int = 20,
    progress: Callable[[SyncProgress], None] | None = None,
) -> RoundReport:
    """A round with small batches and pages: pushing and a page-by-page pull interleave."""
    client = node.client()
    try:
        engine = SyncEngine(
            node.store,
            client,
            node.clock,
            site_keys=node.secrets.put,
            batch_size=batch_size,
            page_size=page_size,
        )
        return engine.run_round(progress)
    finally:
        client.close()


def reject_qty(node: KioskNode, number: str = CUTTING_WORK_ORDER) -> int:
    with node.database.reader() as session:
        found = session.scalar(select(WorkOrder.reject_qty).where(WorkOrder.number == number))
    assert found is not None
    return found


def _admin_resets_the_feed(central: CentralDatabase) -> None:
    """What an admin runs after restoring the central database (no device can do it)."""
    done = subprocess.run(
        [sys.executable, "-m", "server_sync", "--database-url", central.url, "feed", "reset"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "new feed epoch" in done.stdout


def _start_feed_over(central: CentralDatabase, nodes: list[KioskNode], how: str) -> str:
    if how == "reset-feed":
        _admin_resets_the_feed(central)
        return RESET_EPOCH_CHANGED
    # Changes below the floor are no longer served, and these kiosks (an older build)
    # kept their cursor without the feed's epoch: the server cannot vouch for it.
    with central.session() as session:
        session.execute(update(FeedState).values(floor=FeedState.high_water))
        session.commit()
    for node in nodes:
        with node.database.writer() as session:
            session.execute(update(SyncState).values(epoch=None))
            session.commit()
    return RESET_CURSOR_TOO_OLD


@pytest.mark.parametrize("how", ["reset-feed", "cursor-too-old"])
def test_a_feed_started_over_makes_kiosks_pull_everything_again_keeping_their_unsent_events(
    kiosk: KioskFactory, central: CentralDatabase, how: str
) -> None:
    cutting, other = kiosk("CUT-L02"), kiosk("CUT-L01")
    record_counts(cutting, 20)
    record_counts(other, 5, employee="E1003", number="WO-2026-004224")
    other.sync()
    cutting.sync()
    sewing = kiosk("SEW-L03")  # changes after theirs: both cursors are behind the feed
    record_counts(sewing, 1, employee="E2001", number="WO-2026-004228")
    sewing.sync()
    record_counts(cutting, 130)  # not sent yet
    why = _start_feed_over(central, [cutting, other], how)

    # Pushing in batches of 5 outlasts the pull: its own newer counts must stay on top of
    # the rows the server sends back until each is answered; what the operator sees of
    # her work order never goes back.
    counted = reject_qty(cutting)
    seen: list[int] = []
    report = _walk(cutting, batch_size=5, progress=lambda _page: seen.append(reject_qty(cutting)))
    assert report.resets == [why]
    assert report.answers == {"applied": 131}
    assert report.kept_local > 0
    assert seen and min(seen) == counted == reject_qty(cutting)
    assert report.requests < 40  # 27 pushes; the pull went through to the end, once
    assert cutting.store.state().bootstrapped_at is not None
    again = _walk(other)
    assert again.resets == [why] and again.requests < 30
    # A kiosk enrolled after the reset bootstraps page by page past the floor, too.
    late = kiosk("CUT-L02", "CUT-L02-new", bootstrap=False)
    first = _walk(late)
    assert first.resets == [] and first.requests > 3
    assert late.store.state().bootstrapped_at is not None
    assert _healed(central, [cutting, other, late, sewing], 21 + 131 + 6 + 2) == {"applied": 160}


# ====================================================================== 10. the server's backup
@contextmanager
def _restored_copy(server_url: str, dump: Path) -> Iterator[CentralDatabase]:
    """A new database filled from a pg_dump file: the central database as it was then."""
    name = f"kiosk_restored_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server_url.rsplit('/', 1)[0]}/{name}"
    engine = create_engine(sqlalchemy_url(url))
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", url, str(dump)],
            check=True,
            capture_output=True,
        )
        yield CentralDatabase(url, engine)
    finally:
        engine.dispose()
        drop_database(server_url, name)


class _RestorableSite:
    """The kiosks' one address (our proxy) before a server on the central database, which is
    backed up with pg_dump and, after a disaster, restored into a new database that a new
    server serves at the same address."""

    def __init__(self, central: CentralDatabase, postgres_server: str, folder: Path) -> None:
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump and pg_restore are needed to back up and restore the database")
        self.central = central
        self.postgres_server = postgres_server
        self.folder = folder
        self.dump = folder / "central.dump"
        self.server = ThreadServer(central.url)
        self.server.start()
        self.proxy = TcpProxy(self.server.url)
        self.nodes: list[KioskNode] = []

    def enrol(self, line: str, name: str | None = None) -> KioskNode:
        code = self.central.enrolment_code(line)
        self.nodes.append(KioskNode(self.folder / (name or line), self.proxy.url, code))
        self.nodes[-1].sync()
        return self.nodes[-1]

    def back_up(self) -> None:
        subprocess.run(
            ["pg_dump", "-Fc", "-f", str(self.dump), self.central.url],
            check=True,
            capture_output=True,
        )

    @contextmanager
    def restored(self) -> Iterator[CentralDatabase]:
        self.server.stop()  # the disaster
        with _restored_copy(self.postgres_server, self.dump) as restored:
            after = ThreadServer(restored.url)
            after.start()
            self.proxy.retarget(after.url)
            try:
                yield restored
            finally:
                after.stop()

    def close(self) -> None:
        for node in self.nodes:
            node.close()
        self.proxy.close()
        self.server.stop()


@pytest.fixture
def site(
    central: CentralDatabase, postgres_server: str, tmp_path: Path
) -> Iterator[_RestorableSite]:
    running = _RestorableSite(central, postgres_server, tmp_path)
    yield running
    running.close()


def test_a_central_database_restored_from_an_older_backup_is_refilled_by_the_kiosks(
    site: _RestorableSite, central: CentralDatabase
) -> None:
    cutting, other = site.enrol("CUT-L02"), site.enrol("CUT-L01")
    record_counts(cutting, 20)  # 1-21
    record_counts(other, 10, employee="E1003", number="WO-2026-004224")  # 1-11
    for node in (cutting, other):
        node.sync()
    site.back_up()
    record_counts(cutting, 30)  # 22-52: acknowledged, then lost with the database
    record_counts(other, 25, employee="E1003", number="WO-2026-004224")  # 12-37
    for node in (cutting, other):
        node.sync()
    assert sum(applied_counts(central).values()) == 52 + 37

    with site.restored() as restored:
        assert sum(applied_counts(restored).values()) == 21 + 11
        # Each kiosk hears "server behind" and sends again what it acknowledged since.
        assert cutting.sync().resent_from == 22
        assert other.sync().resent_from == 12
        assert _healed(restored, [cutting, other], 52 + 37) == {"applied": 89}


def test_after_a_central_restore_every_kiosk_gets_the_rows_made_again(
    site: _RestorableSite, central: CentralDatabase
) -> None:
    """Re-sent events make some rows anew (a refusal's alert gets a new id and number):
    every kiosk must get them, whatever cursor it kept from the lost database."""
    sewing = site.enrol("SEW-L03")
    dewi = sewing.login("E2001")
    card_id = sewing.services.kanban.request(dewi, "THR-WHT-5000", "12").id
    sewing.sync()
    approving, rejecting = site.enrol("WH-L01", "WH-L01-a"), site.enrol("WH-L01", "WH-L01-b")
    watching = site.enrol("WH-L01", "WH-L01-c")  # the warehouse's third kiosk
    site.back_up()
    approving.services.kanban.approve(approving.login("E6002"), card_id)
    approving.sync()
    rejecting.services.kanban.reject(rejecting.login("E6002"), card_id, "Out of stock")
    rejecting.sync()
    watching.sync()  # it saw the refusal's alert; then it is switched off for a while
    with central.session() as session:
        lost = session.scalars(select(Alert).where(Alert.kind == "sync_refused")).one()

    with site.restored() as restored:
        assert approving.sync().resent_from == 1
        assert rejecting.sync().resent_from == 1
        with restored.session() as session:
            again = session.scalars(select(Alert).where(Alert.kind == "sync_refused")).one()
        assert again.id != lost.id and again.fields["event_kind"] == "kanban.rejected"
        # The kiosks' claims alone change nothing site-wide: the third kiosk's cursor
        # still stands, and an alert names each device that found its events missing …
        assert watching.sync().resets == []
        with restored.session() as session:
            behind = session.scalars(select(Alert).where(Alert.kind == "server_behind")).all()
        assert sorted(alert.fields["device"] for alert in behind) == ["WH-L01-a", "WH-L01-b"]
        # … and the admin who restored the database starts the feed over for every kiosk.
        _admin_resets_the_feed(restored)
        assert watching.sync().resets == [RESET_EPOCH_CHANGED]
        with watching.database.reader() as session:
            assert session.get(Alert, again.id) is not None
        assert _healed(restored, [sewing, approving, rejecting, watching], 6) == {
            "applied": 5,
            "conflict": 1,
        }
