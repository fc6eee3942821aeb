"""Issue 12's attacks on authority, tried as an attacker would: a token copied off a kiosk
(or a kiosk with a tampered outbox) pushing what its own screens would never let anyone do.

Each runs against the real server on 127.0.0.1 over PostgreSQL with kiosks enrolled by
real one-time codes, and checks what a person would notice: the badge does not log in,
the lock did not happen, nothing moved, the feed did not start over, the other events
of the line still synced.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.ids import new_id
from kiosk.domain.transfer import TransferStatus
from kiosk.services.badge_hasher import BadgeHasher
from kiosk.store.models import Alert, ProductionEntryRow, Transfer, User, WorkOrder
from server_sync.feed import feed_row, publish
from server_sync.models import AppliedEvent, FeedState
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer
from tests.helpers.central_pins import drop_badge_centrally
from tests.helpers.sync_raw import (
    RawDevice,
    domain_snapshot,
    now_text,
    outbox_answer,
    queue_event,
    user_id,
    work_order,
)
from tests.sync.conftest import KioskFactory

CUTTING_RUNNING = "WO-2026-004217"  # CUT-L02, in progress
CUTTING_PAUSED = "WO-2026-004218"  # CUT-L02, paused
SEWING_RUNNING = "WO-2026-004228"  # SEW-L03, in progress
INT4_MAX = 2**31 - 1


def _central_user(central: CentralDatabase, employee_no: str) -> User:
    with central.session() as session:
        user = session.scalar(select(User).where(User.employee_no == employee_no))
    assert user is not None
    return user


def _entry(central: CentralDatabase, number: str, actor: str, good: int) -> dict[str, Any]:
    order = work_order(central, number)
    return {
        "entry_id": str(new_id()),
        "work_order_id": str(order.id),
        "good": good,
        "reject": 0,
        "reject_reason": None,
        "recorded_at": now_text(),
        "actor_id": str(user_id(central, actor)),
    }


def _good_total(central: CentralDatabase, number: str) -> int:
    return work_order(central, number).good_qty


def _open_alerts(central: CentralDatabase, kind: str) -> list[Alert]:
    with central.session() as session:
        return list(
            session.scalars(
                select(Alert).where(Alert.kind == kind).where(Alert.acknowledged_at.is_(None))
            )
        )


@pytest.fixture
def desktop(central: CentralDatabase, server: ThreadServer, tmp_path: Path) -> Iterator[KioskNode]:
    """Sewing's office desktop, enrolled and bootstrapped."""
    node = KioskNode(
        tmp_path / "sewing-office", server.url, central.enrolment_code(department="SEW")
    )
    node.sync()
    yield node
    node.close()


# ====================================================================== people
def test_a_cutting_token_cannot_bind_a_badge_to_a_sewing_operator_in_the_admins_name(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    forged_uid = "0A000FORGED1"
    forged = BadgeHasher(cutting.secrets.badge_key()).digest(forged_uid)
    dewi = _central_user(central, "E2001")
    attack = queue_event(
        cutting,
        "badge.enrolled",
        {
            "user_id": str(dewi.id),
            "badge_hash": forged,
            "at": now_text(),
            "actor_id": str(user_id(central, "E9001")),  # the admin, who was never there
        },
    )
    before = domain_snapshot(central)

    cutting.sync()

    # Badges are bound only through the server's identity requests (a PIN it checks).
    assert outbox_answer(cutting, attack) == ("rejected", "needs_server: kind=badge.enrolled")
    assert domain_snapshot(central) == before
    assert _central_user(central, "E2001").badge_hash == dewi.badge_hash
    # On Dewi's own line the forged badge opens nothing and her real one still works.
    sewing.sync()
    with pytest.raises(RefusalError) as refused:
        sewing.services.auth.login_with_badge(forged_uid)
    assert refused.value.code is ErrorCode.BADGE_UNKNOWN
    assert sewing.services.auth.login_with_badge(demo_user("E2001").badge).actor.employee_no == (
        "E2001"
    )


def test_a_cutting_token_cannot_lock_the_admin_for_ever_nor_a_sewing_supervisor(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    drop_badge_centrally(central, "E1001")  # a badge user is never locked by PIN guesses
    cutting = kiosk("CUT-L02")
    admin, hadi, rina = (user_id(central, who) for who in ("E9001", "E5001", "E1001"))
    soon = (datetime.now(UTC) + timedelta(minutes=20)).isoformat()
    attacks = {
        "the admin until 9999": queue_event(
            cutting,
            "user.locked",
            {"user_id": str(admin), "until": "9999-12-31T23:59:00+00:00", "line": "CUT-L02"},
        ),
        "Sewing's supervisor": queue_event(
            cutting, "user.locked", {"user_id": str(hadi), "until": soon, "line": "CUT-L02"}
        ),
        "Rina until next year": queue_event(
            cutting,
            "user.locked",
            {
                "user_id": str(rina),
                "until": (datetime.now(UTC) + timedelta(days=365)).isoformat(),
                "line": "CUT-L02",
            },
        ),
    }
    # A lock the policy gives (five wrong PINs on her own line) still locks Rina everywhere.
    real_lock = queue_event(
        cutting, "user.locked", {"user_id": str(rina), "until": soon, "line": "CUT-L02"}
    )

    cutting.sync()

    answers = {name: outbox_answer(cutting, event_id) for name, event_id in attacks.items()}
    assert answers["the admin until 9999"][0] == "rejected"
    assert (answers["the admin until 9999"][1] or "").startswith("lock_beyond_policy")
    assert answers["Sewing's supervisor"] == (
        "rejected",
        "subject_out_of_device_scope: employee_no=E5001",
    )
    assert answers["Rina until next year"][0] == "rejected"
    assert outbox_answer(cutting, real_lock) == ("applied", None)
    assert _central_user(central, "E9001").locked_until is None
    assert _central_user(central, "E5001").locked_until is None
    rina_until = _central_user(central, "E1001").locked_until
    assert rina_until is not None and rina_until < datetime.now(UTC) + timedelta(hours=1)
    # The admin and Hadi still log in where they work.
    sewing = kiosk("SEW-L03")
    assert sewing.login("E9001").employee_no == "E9001"
    assert sewing.login("E5001").employee_no == "E5001"


def test_a_cutting_token_cannot_unlock_a_sewing_operator_in_the_admins_name(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    dewi = user_id(central, "E2001")
    locked_until = datetime.now(UTC) + timedelta(minutes=25)
    with central.session() as session:  # five wrong PINs on her own line, synced
        row = session.get(User, dewi)
        assert row is not None
        row.locked_until = locked_until
        row.badge_hash = None  # a badge user is never locked by PIN guesses
        session.flush()
        published = feed_row(session, row)
        assert published is not None
        publish(session, [published])
        session.commit()
    attack = queue_event(
        cutting,
        "user.unlocked",
        {"user_id": str(dewi), "at": now_text(), "actor_id": str(user_id(central, "E9001"))},
    )

    cutting.sync()

    assert outbox_answer(cutting, attack) == ("rejected", "needs_server: kind=user.unlocked")
    assert _central_user(central, "E2001").locked_until == locked_until
    sewing = kiosk("SEW-L03")
    with pytest.raises(RefusalError) as refused:
        sewing.login("E2001")
    assert refused.value.code is ErrorCode.ACCOUNT_LOCKED


# ====================================================================== handshakes
def _slip(central: CentralDatabase, slip_id: str, actor: str, **extra: Any) -> dict[str, Any]:
    order = work_order(central, CUTTING_RUNNING)
    return {
        "transfer_id": str(new_id()),
        "slip_id": slip_id,
        "site": "DEMO",
        "work_order_number": order.number,
        "mo_number": order.mo_number,
        "article": order.article,
        "destination": order.destination,
        "quantity": 20_000,
        "from_line": "CUT-L02",
        "to_line": "SEW-L03",
        "from_department": "CUT",
        "to_department": "SEW",
        "prepared_by": "E1001",
        "prepared_at": now_text(),
        "counted_qty": 19_000,
        "counted_by": actor,
        "counted_at": now_text(),
        "actor_id": str(user_id(central, actor)),
        **extra,
    }


def test_a_hold_and_a_release_for_a_slip_that_never_existed_are_refused(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    sewing = kiosk("SEW-L03")
    # No kiosk printed it: the attacker can only make up the slip's text.
    held = queue_event(
        sewing,
        "transfer.held",
        _slip(central, "TS-NEVER-0001", "E2001", slip="QT09:2:" + "A" * 120),
    )
    released = queue_event(
        sewing,
        "transfer.released",
        _slip(
            central,
            "TS-NEVER-0001",
            "E5001",
            status="ACCEPTED",
            decided_by="E5001",
            decided_at=now_text(),
            reason="count was right",
            by="E5001",
        ),
    )
    before = domain_snapshot(central)

    report = sewing.sync()

    assert report.pending == 0
    held_result, held_reason = outbox_answer(sewing, held)
    assert held_result == "rejected" and (held_reason or "").startswith("slip_refused"), held_reason
    assert outbox_answer(sewing, released) == (
        "rejected",
        "unknown_transfer: slip_id=TS-NEVER-0001",
    )
    # No 20,000 pieces appeared anywhere: no transfer, no hold on the line, no movement.
    assert domain_snapshot(central) == before
    assert central.count(Transfer, Transfer.slip_id == "TS-NEVER-0001") == 0


def test_a_cutting_token_cannot_release_sewings_hold_in_sewings_supervisors_name(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    rina = cutting.login("E1001")
    prepared = cutting.services.transfers.prepare(
        rina, work_order(central, CUTTING_RUNNING).id, "40", "SEW-L03"
    )
    cutting.sync()
    sewing.sync()
    dewi = sewing.login("E2001")
    slip = sewing.services.transfers.check_slip(dewi, prepared.document.qr_payload or "")
    assert sewing.services.transfers.receive(dewi, slip.payload, "37").needs_recount
    assert not sewing.services.transfers.receive(dewi, slip.payload, "37").accepted
    sewing.sync()
    release = queue_event(
        cutting,
        "transfer.released",
        _slip(
            central,
            prepared.transfer.slip_id,
            "E5001",
            decided_at=now_text(),
            reason="looks fine to me",
            to_line="SEW-L03",
        ),
    )
    before = domain_snapshot(central)

    cutting.sync()

    result, reason = outbox_answer(cutting, release)
    assert result == "rejected" and (reason or "").startswith("out_of_device_scope"), reason
    assert domain_snapshot(central) == before
    with central.session() as session:
        transfer = session.scalar(
            select(Transfer).where(Transfer.slip_id == prepared.transfer.slip_id)
        )
    assert transfer is not None and transfer.status is TransferStatus.HELD


def test_another_lines_kiosk_cannot_take_in_a_batch_sent_to_sewing_line_three(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing_one = kiosk("CUT-L02"), kiosk("SEW-L01")
    rina = cutting.login("E1001")
    prepared = cutting.services.transfers.prepare(
        rina, work_order(central, CUTTING_RUNNING).id, "40", "SEW-L03"
    )
    cutting.sync()
    slip_id = prepared.transfer.slip_id
    attack = queue_event(
        sewing_one,
        "transfer.accepted",
        _slip(
            central,
            slip_id,
            "E2002",
            quantity=40,
            counted_qty=40,
            to_line="SEW-L01",
            slip=prepared.document.qr_payload,  # the real slip, picked up from the floor
        ),
    )
    before = domain_snapshot(central)

    sewing_one.sync()

    result, reason = outbox_answer(sewing_one, attack)
    assert result == "rejected" and (reason or "").startswith("slip_refused"), reason
    assert domain_snapshot(central) == before
    with central.session() as session:
        transfer = session.scalar(select(Transfer).where(Transfer.slip_id == slip_id))
    assert transfer is not None and transfer.status is TransferStatus.PREPARED


def test_a_handoff_from_another_line_or_a_made_up_one_is_refused_and_a_real_one_goes_through(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """The server reads the lines a push names as it meets them: another real line is out
    of this kiosk's scope, a made-up one is unknown, and the kiosk's own handoff applies."""
    cutting = kiosk("CUT-L02")
    other_line = queue_event(
        cutting,
        "transfer.prepared",
        _slip(central, "TS-OTHER-0001", "E1001", quantity=40, from_line="SEW-L01"),
    )
    made_up = queue_event(
        cutting,
        "transfer.prepared",
        _slip(central, "TS-MADEUP-0001", "E1001", quantity=40, from_line="CUT-L99"),
    )
    rina = cutting.login("E1001")
    real = cutting.services.transfers.prepare(
        rina, work_order(central, CUTTING_RUNNING).id, "40", "SEW-L03"
    )

    report = cutting.sync()

    assert report.pending == 0
    result, reason = outbox_answer(cutting, other_line)
    assert result == "rejected" and (reason or "").startswith("out_of_device_scope"), reason
    assert outbox_answer(cutting, made_up) == ("rejected", "unknown_line: line=CUT-L99")
    with central.session() as session:
        slips = set(session.scalars(select(Transfer.slip_id)))
    assert real.transfer.slip_id in slips
    assert not {"TS-OTHER-0001", "TS-MADEUP-0001"} & slips


def test_a_batch_naming_hundreds_of_made_up_lines_is_refused_event_by_event_and_the_line_syncs(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    before = _good_total(central, CUTTING_RUNNING)
    made_up = [
        queue_event(
            cutting,
            "transfer.prepared",
            _slip(central, f"TS-FAKE-{n:04d}", "E1001", quantity=40, from_line=f"X-{n:04d}"),
        )
        for n in range(300)
    ]
    rina = cutting.login("E1001")
    cutting.services.work_orders.record(
        rina, work_order(central, CUTTING_RUNNING).id, good="5", reject="0", reason=None
    )

    report = cutting.sync()

    assert report.pending == 0
    for n, event_id in enumerate(made_up):
        assert outbox_answer(cutting, event_id) == ("rejected", f"unknown_line: line=X-{n:04d}")
    assert central.count(Transfer, Transfer.slip_id.like("TS-FAKE-%")) == 0
    assert _good_total(central, CUTTING_RUNNING) == before + 5


# ====================================================================== alerts
def test_a_cutting_token_cannot_put_a_sewing_operator_nor_a_made_up_person_on_its_line(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """A login is a fact of the central record (who worked on which line): only someone who
    may log in on the kiosk is taken, whoever the event names as actor or as the person."""
    cutting = kiosk("CUT-L02")
    dewi, rina = str(user_id(central, "E2001")), str(user_id(central, "E1001"))
    nobody = str(new_id())
    session = {"line": "CUT-L02"}
    as_dewi = queue_event(
        cutting, "session.started", {**session, "actor_id": dewi, "user_id": dewi}
    )
    as_nobody = queue_event(
        cutting, "session.started", {**session, "actor_id": nobody, "user_id": nobody}
    )
    dewi_by_rina = queue_event(
        cutting, "session.started", {**session, "actor_id": rina, "user_id": dewi}
    )
    cutting.login("E1001")  # her real login

    report = cutting.sync()

    assert report.pending == 0
    result, reason = outbox_answer(cutting, as_dewi)
    assert result == "rejected" and (reason or "").startswith("actor_out_of_device_scope"), reason
    result, reason = outbox_answer(cutting, as_nobody)
    assert result == "rejected" and (reason or "").startswith("unknown_actor"), reason
    result, reason = outbox_answer(cutting, dewi_by_rina)
    assert result == "rejected" and (reason or "").startswith("subject_out_of_device_scope"), reason
    with central.session() as session_:
        logged_in = [
            payload.get("user_id")
            for payload in session_.scalars(
                select(AppliedEvent.payload)
                .where(AppliedEvent.kind == "session.started")
                .where(AppliedEvent.result == "applied")
            )
        ]
    assert logged_in == [rina]  # the central record has her login only


def test_a_device_cannot_acknowledge_the_alerts_raised_about_itself(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    queue_event(cutting, "production.teleported", {"line": "CUT-L02"})
    cutting.sync()
    [alert] = _open_alerts(central, "sync_refused")
    # The kiosk's own screen refuses it; a tampered kiosk queues it anyway.
    supervisor_here = cutting.login("E5002")
    with pytest.raises(RefusalError) as refused:
        cutting.services.alerts.acknowledge(supervisor_here, alert.id)
    assert refused.value.code is ErrorCode.ALERT_ABOUT_THIS_DEVICE
    ani = user_id(central, "E5002")
    attack = queue_event(
        cutting,
        "alert.acknowledged",
        {"alert_id": str(alert.id), "at": now_text(), "actor_id": str(ani)},
    )

    cutting.sync()

    assert outbox_answer(cutting, attack) == ("rejected", f"own_device_alert: alert_id={alert.id}")
    assert alert.id in {still.id for still in _open_alerts(central, "sync_refused")}
    # Cutting's supervisor still finds it open on another of Cutting's kiosks, and can close it.
    other = kiosk("CUT-L01")
    supervisor = other.login("E5002")
    open_here = {view.id for view in other.services.alerts.open_alerts(supervisor)}
    assert alert.id in open_here
    other.services.alerts.acknowledge(supervisor, alert.id)
    other.sync()
    assert alert.id not in {still.id for still in _open_alerts(central, "sync_refused")}


# ====================================================================== desktops
def test_a_department_desktop_cannot_record_production_as_an_operator(
    desktop: KioskNode, central: CentralDatabase
) -> None:
    before = _good_total(central, SEWING_RUNNING)
    as_dewi = queue_event(
        desktop, "production.recorded", _entry(central, SEWING_RUNNING, "E2001", 50)
    )
    as_hadi = queue_event(
        desktop, "production.recorded", _entry(central, SEWING_RUNNING, "E5001", 3)
    )

    desktop.sync()

    assert outbox_answer(desktop, as_dewi) == (
        "rejected",
        "actor_out_of_device_scope: employee_no=E2001",
    )
    assert outbox_answer(desktop, as_hadi) == ("applied", None)  # a supervisor may, there
    assert _good_total(central, SEWING_RUNNING) == before + 3


# ====================================================================== the feed
def test_a_device_claiming_answers_never_given_does_not_reset_the_sites_feed(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    with central.session() as session:
        epoch = session.scalar(select(FeedState.epoch))
    with RawDevice.of(cutting) as raw:
        for _ in range(3):
            answer = raw.sync([], acked_through=2**62, epoch=str(cutting.store.state().epoch))
            assert answer["server_behind"] is True
            assert answer["reset"] is None

    with central.session() as session:
        assert session.scalar(select(FeedState.epoch)) == epoch
    # Another kiosk's next sync carries on from its cursor: it re-downloads nothing.
    report = sewing.sync()
    assert report.resets == []
    assert report.pulled < 10
    # One open alert names the device, for its department, however often it claims.
    [alert] = _open_alerts(central, "server_behind")
    assert alert.fields["device_id"] == str(cutting.store.state().device_id)
    assert alert.department == "CUT"
    assert alert.fields["acked_through"] == 2**62


# ====================================================================== values
def test_an_absurd_count_is_refused_and_the_lines_later_events_still_sync(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    before = _good_total(central, CUTTING_RUNNING)
    absurd = queue_event(
        cutting, "production.recorded", _entry(central, CUTTING_RUNNING, "E1001", 10**9)
    )
    over_entry = queue_event(
        cutting, "production.recorded", _entry(central, CUTTING_RUNNING, "E1001", 100_001)
    )
    first = cutting.sync()
    rina = cutting.login("E1001")
    cutting.services.work_orders.record(
        rina, work_order(central, CUTTING_RUNNING).id, good="7", reject="0", reason=None
    )

    later = cutting.sync()

    assert first.pending == 0 and later.pending == 0
    for event_id in (absurd, over_entry):
        result, reason = outbox_answer(cutting, event_id)
        assert result == "rejected" and (reason or "").startswith(
            ErrorCode.QUANTITY_ABSURD.value
        ), reason
    assert later.answers == {"applied": 2}  # the login and the count
    assert _good_total(central, CUTTING_RUNNING) == before + 7


def test_a_count_beyond_the_overrun_tolerance_is_refused(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    order = work_order(central, CUTTING_RUNNING)
    allowed = order.target_qty + order.target_qty * 5 // 100 - order.good_qty
    too_many = queue_event(
        cutting, "production.recorded", _entry(central, CUTTING_RUNNING, "E1001", allowed + 1)
    )
    cutting.sync()
    result, reason = outbox_answer(cutting, too_many)
    assert result == "rejected" and (reason or "").startswith(
        ErrorCode.QUANTITY_ABOVE_OPEN.value
    ), reason
    assert _good_total(central, CUTTING_RUNNING) == order.good_qty


def _set_work_order(central: CentralDatabase, number: str, **values: int) -> None:
    with central.session() as session:
        session.execute(update(WorkOrder).where(WorkOrder.number == number).values(**values))
        session.commit()


def test_a_total_past_the_integer_column_is_that_events_refusal_and_the_next_batch_syncs(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    # A work order near the top of its columns (a huge imported target; a row changed two
    # billion times): the total refuses by rule, the version by the database itself.
    _set_work_order(central, CUTTING_RUNNING, target_qty=INT4_MAX, good_qty=INT4_MAX - 50)
    _set_work_order(central, CUTTING_PAUSED, version=INT4_MAX)
    paused_before = work_order(central, CUTTING_PAUSED)
    entries = {
        "past the total": _entry(central, CUTTING_RUNNING, "E1001", 100),
        "past the version": _entry(central, CUTTING_PAUSED, "E1001", 1),
        "fits": _entry(central, CUTTING_RUNNING, "E1001", 50),
    }
    queued = {
        name: queue_event(cutting, "production.recorded", payload)
        for name, payload in entries.items()
    }

    report = cutting.sync()  # an HTTP 500 would raise here and keep every event waiting

    assert report.pending == 0
    answers = {name: outbox_answer(cutting, event_id) for name, event_id in queued.items()}
    assert answers["past the total"][0] == "rejected"
    assert (answers["past the total"][1] or "").startswith(ErrorCode.QUANTITY_ABSURD.value)
    assert answers["past the version"] == ("rejected", "data_error: sqlstate=22003")
    assert answers["fits"] == ("applied", None)
    assert _good_total(central, CUTTING_RUNNING) == INT4_MAX
    after = work_order(central, CUTTING_PAUSED)
    assert (after.good_qty, after.version) == (paused_before.good_qty, INT4_MAX)
    refused_entries = [
        uuid.UUID(entries[name]["entry_id"]) for name in ("past the total", "past the version")
    ]
    assert central.count(ProductionEntryRow, ProductionEntryRow.id.in_(refused_entries)) == 0
    # The next batch of the same line syncs as ever.
    _set_work_order(central, CUTTING_RUNNING, good_qty=0, target_qty=1000)
    later = queue_event(
        cutting, "production.recorded", _entry(central, CUTTING_RUNNING, "E1001", 5)
    )
    assert cutting.sync().answers == {"applied": 1}
    assert outbox_answer(cutting, later) == ("applied", None)
    assert _good_total(central, CUTTING_RUNNING) == 5
