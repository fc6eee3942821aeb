"""The audit chain anchored centrally: a chain rewritten on a kiosk's disk is caught at the
next push, the kiosk's new events are held (not applied, not rejected) with a P1 alert, and
an admin's decision ends the hold. Real server, real PostgreSQL, real kiosk files.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kiosk import cli as kiosk_cli
from kiosk.domain.audit_chain import GENESIS_HASH, row_hash
from kiosk.services.audit_log import records_of, verify_audit_log
from kiosk.store.models import Alert, AuditEntry, SyncState, WorkOrder
from server_sync import audit_anchor, cli
from server_sync.models import DeviceAuditEntry, HeldEvent
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer
from tests.helpers.faults import CUTTING_WORK_ORDER, record_counts
from tests.helpers.sync_raw import RawDevice, outbox_answer, queue_event
from tests.sync.conftest import KioskFactory


def _central_rejects(central: CentralDatabase) -> int:
    with central.session() as session:
        found = session.scalar(
            select(WorkOrder.reject_qty).where(WorkOrder.number == CUTTING_WORK_ORDER)
        )
    assert found is not None
    return found


def _chain_alerts(central: CentralDatabase) -> list[Alert]:
    with central.session() as session:
        return list(session.scalars(select(Alert).where(Alert.kind == "audit_chain_broken")))


def _rewrite_and_rehash(node: KioskNode, seq: int) -> None:
    """What an attacker with the disk does: change one row, then re-hash every row after it."""
    with node.database.writer() as session:
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        prev = rows[seq - 2].hash if seq > 1 else GENESIS_HASH
        for row, stored in zip(rows, list(records_of(rows)), strict=True):
            if row.seq < seq:
                continue
            if row.seq == seq:
                row.actor_label = "somebody else"
            record = replace(stored, actor_label=row.actor_label, prev_hash=prev)
            row.prev_hash = prev
            row.hash = row_hash(record, prev)
            prev = row.hash
        session.commit()
    assert verify_audit_log(node.database).is_intact  # locally, nothing shows


def _device_id(node: KioskNode) -> str:
    return str(node.store.state().device_id)


def test_normal_syncing_anchors_every_audit_row_centrally(
    kiosk: KioskFactory, central: CentralDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    node = kiosk("CUT-L02")
    before = _central_rejects(central)
    record_counts(node, 5)
    report = node.sync()
    assert report.answers["applied"] == 6 and report.pending == 0
    assert _central_rejects(central) == before + 5
    with node.database.reader() as session:
        local = {row.seq: row.hash for row in session.scalars(select(AuditEntry))}
    with central.session() as session:
        held = {
            row.seq: row.hash
            for row in session.scalars(
                select(DeviceAuditEntry).where(
                    DeviceAuditEntry.device_id == node.store.state().device_id
                )
            )
        }
    assert held == local  # the central copy is the kiosk's chain, row for row
    state = node.store.state()
    assert state.audit_anchored_seq == max(local) and state.audit_held is None
    assert _chain_alerts(central) == []
    assert kiosk_cli.main(["audit", "verify", "--database", str(node.path)]) == 0
    assert f"rows 1-{max(local)} are anchored on the server" in capsys.readouterr().out


def test_a_rewritten_and_rehashed_row_is_caught_and_the_events_after_it_are_held(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    node = kiosk("CUT-L02")
    record_counts(node, 3)
    node.sync()
    before = _central_rejects(central)
    _rewrite_and_rehash(node, seq=2)
    record_counts(node, 4)  # real actions, on a chain that no longer continues the anchor

    report = node.sync()
    assert report.audit_held == "audit_chain_broken"
    assert _central_rejects(central) == before  # nothing applied silently
    assert node.pending() == 5  # kept on the kiosk: not rejected either
    alerts = _chain_alerts(central)
    assert len(alerts) == 1 and alerts[0].priority == 1
    assert alerts[0].fields["device_id"] == _device_id(node)
    with central.session() as session:
        assert len(session.scalars(select(HeldEvent)).all()) == 5
    assert node.store.state().audit_held == "audit_chain_broken"  # the health strip says so

    node.sync()  # again: still held, one alert
    assert _central_rejects(central) == before and len(_chain_alerts(central)) == 1


def test_an_appended_event_and_audit_row_on_a_rewritten_chain_is_caught(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    node = kiosk("CUT-L02")
    record_counts(node, 2)
    node.sync()
    before = _central_rejects(central)
    _rewrite_and_rehash(node, seq=1)
    rina = str(node.login("E1001").user_id)
    with node.database.reader() as session:
        order = session.scalar(select(WorkOrder).where(WorkOrder.number == CUTTING_WORK_ORDER))
    assert order is not None
    forged = queue_event(  # with its own audit row: the local chain is whole
        node,
        "production.recorded",
        {
            "actor_id": rina,
            "entry_id": "0190a0a0-0000-7000-8000-000000000001",
            "work_order_id": str(order.id),
            "good": 0,
            "reject": 500,
            "reject_reason": "STAIN",
            "recorded_at": node.clock.now().isoformat(),
        },
    )
    assert verify_audit_log(node.database).is_intact

    report = node.sync()
    assert report.audit_held == "audit_chain_broken"
    assert outbox_answer(node, forged) == (None, None)  # held, not applied
    assert _central_rejects(central) == before
    assert len(_chain_alerts(central)) == 1


def test_the_admin_rejects_the_held_events_and_the_kiosk_syncs_again(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    node = kiosk("CUT-L02")
    record_counts(node, 2)
    node.sync()
    before = _central_rejects(central)
    _rewrite_and_rehash(node, seq=2)
    record_counts(node, 3)
    node.sync()
    assert node.pending() == 4

    assert cli.main(["--database-url", central.url, "audit", "reject", _device_id(node)]) == 0
    report = node.sync()
    assert report.audit_held is None and node.pending() == 0
    assert report.answers["rejected"] == 4  # the kiosk is told: refused, not applied
    assert _central_rejects(central) == before
    with central.session() as session:
        assert session.scalars(select(HeldEvent)).all() == []

    record_counts(node, 2)  # life goes on: new actions continue the re-anchored chain
    report = node.sync()
    assert report.answers["applied"] == 3 and report.audit_held is None
    assert _central_rejects(central) == before + 2
    assert node.store.state().audit_held is None
    # A second decision finds nothing held.
    assert cli.main(["--database-url", central.url, "audit", "reject", _device_id(node)]) == 1


def test_the_admin_accepts_the_held_events_and_they_are_applied_once(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    node = kiosk("CUT-L02")
    record_counts(node, 2)
    node.sync()
    before = _central_rejects(central)
    _rewrite_and_rehash(node, seq=3)
    record_counts(node, 3)
    node.sync()
    assert _central_rejects(central) == before

    assert cli.main(["--database-url", central.url, "audit", "accept", _device_id(node)]) == 0
    assert _central_rejects(central) == before + 3
    report = node.sync()
    assert report.audit_held is None and node.pending() == 0
    assert _central_rejects(central) == before + 3  # once
    record_counts(node, 1)
    assert node.sync().answers["applied"] == 2  # her login and the count
    assert _central_rejects(central) == before + 4


@pytest.fixture(params=["insert", "copy"])
def audit_rows_way_in(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A push's few audit rows go in by INSERT, many by COPY: here also COPY for every push."""
    if request.param == "copy":
        monkeypatch.setattr(audit_anchor, "COPY_FROM_ROWS", 1)


def test_a_kiosk_restored_from_a_backup_continues_its_chain_without_an_alarm(
    kiosk: KioskFactory, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    node = kiosk("CUT-L02")
    record_counts(node, 3)
    node.sync()
    node.copy_files_to(tmp_path / "backup")
    record_counts(node, 4)  # anchored centrally, then lost with the disk
    node.sync()
    before = _central_rejects(central)
    node.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{node.path}{suffix}").unlink(missing_ok=True)
    for item in (tmp_path / "backup").iterdir():
        if item.is_dir():
            shutil.rmtree(node.folder / item.name)
            shutil.copytree(item, node.folder / item.name)
        else:
            shutil.copyfile(item, node.folder / item.name)
    restored = KioskNode.reopen(node.folder, server.url)
    try:
        record_counts(restored, 2)  # a new branch of the chain, from the backup's last row
        report = restored.sync()
        assert report.new_incarnation is not None and report.audit_held is None
        assert restored.pending() == 0
        assert _central_rejects(central) == before + 2
        assert _chain_alerts(central) == []
        record_counts(restored, 1)
        assert restored.sync().answers["applied"] == 2  # her login and the count
    finally:
        restored.close()


@pytest.mark.usefixtures("audit_rows_way_in")  # rows sent again are skipped either way
def test_rows_appended_after_the_anchor_with_a_whole_chain_pass_the_chain_check(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """The limit of the chain, kept honest: someone with the disk and the token appends an
    action after the last anchor and re-hashes nothing (the chain is whole). The chain cannot
    tell it from a real action; the server's own rules bound what it does. The kiosk's own
    pushes afterwards continue the same chain (its rows already held are kept once)."""
    node = kiosk("CUT-L02")
    record_counts(node, 1)
    node.sync()
    rina = str(node.login("E1001").user_id)
    with RawDevice.of(node) as raw:
        answer = raw.sync([raw.event("session.started", {"actor_id": rina, "line": "CUT-L02"})])
    assert answer["audit"]["held"] is None
    assert [item["result"] for item in answer["answers"]] == ["applied"]
    record_counts(node, 2)
    report = node.sync()  # rows the raw push anchored come again with the kiosk's own
    assert report.audit_held is None and report.pending == 0
    assert _chain_alerts(central) == []
    with node.database.reader() as session:
        local = {row.hash for row in session.scalars(select(AuditEntry))}
    with central.session() as session:
        held = set(
            session.scalars(
                select(DeviceAuditEntry.hash).where(
                    DeviceAuditEntry.device_id == node.store.state().device_id
                )
            )
        )
    assert held == local


def test_a_rewritten_chain_sent_under_a_new_incarnation_without_a_restore_is_held(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """A new incarnation may branch off the anchored chain only after the server saw the
    kiosk come back from a backup; otherwise it is a rewritten chain in disguise."""
    node = kiosk("CUT-L02")
    record_counts(node, 2)
    node.sync()
    before = _central_rejects(central)
    _rewrite_and_rehash(node, seq=2)
    node.store.start_new_incarnation(node.clock.now(), lost=None)  # no rewind on the server
    with node.database.writer() as session:  # and send the whole chain from its first row
        session.execute(update(SyncState).values(audit_anchored_seq=0))
        session.commit()
    record_counts(node, 1)

    report = node.sync()
    assert report.audit_held == "audit_chain_broken"
    assert _central_rejects(central) == before
    alerts = _chain_alerts(central)
    assert len(alerts) == 1 and "branches off" in alerts[0].fields["detail"]
