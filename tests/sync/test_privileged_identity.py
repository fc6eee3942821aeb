"""Privileged identity actions only online, verified by the server (issue 12, item 2).

The attack: the CUT-L02 kiosk's token pushed `badge.enrolled` naming the admin and bound a
new badge to a Sewing operator, which then logged in on SEW-L03 while her real badge was
refused. Now a badge, an unlock, a PIN, a person or a device changes only through a direct
request whose PIN the server checks itself. Everything runs against the real server on
PostgreSQL with kiosks enrolled by real codes; the outcome is what the floor would notice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode
from kiosk.services.badge_hasher import BadgeHasher
from kiosk.services.views import FirstPinRequired, PinRequired
from kiosk.store.models import Alert, AuditEntry, OutboxEvent, User
from server_sync.identity import IdentityDesk, IdentityPolicy, IdentityRefusedError, Proof
from server_sync.models import Device
from tests.helpers.central import CentralDatabase, KioskNode
from tests.helpers.central_pins import drop_badge_centrally, wait_out_the_pin_pad, wrong_pin_on
from tests.helpers.refusals import refusal_of
from tests.helpers.sync_raw import RawDevice, outbox_answer, queue_event, user_id
from tests.sync.conftest import KioskFactory

SPARE_BADGE = "0BADC0FFEE"
DEWI, ADMIN = "E2001", "E9001"
IDENTITY = "/v1/identity"


def _proof(central: CentralDatabase, employee_no: str, pin: str | None = None) -> dict[str, Any]:
    return {
        "user_id": str(user_id(central, employee_no)),
        "pin": pin if pin is not None else demo_user(employee_no).pin,
    }


def _central_user(central: CentralDatabase, employee_no: str) -> User:
    with central.session() as session:
        found = session.scalar(select(User).where(User.employee_no == employee_no))
    assert found is not None
    return found


def _badge_logs_in(node: KioskNode, uid: str) -> str | None:
    """Whose session a tap of this badge opens on the kiosk (None: refused)."""
    try:
        result = node.services.auth.login_with_badge(uid)
    except Exception:  # noqa: BLE001  (any refusal means the badge does not log in)
        return None
    entry = result.entry if isinstance(result, PinRequired) else result.actor
    return entry.employee_no


def _outbox_kinds(node: KioskNode) -> list[str]:
    with node.database.reader() as session:
        return list(session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.seq)))


# ====================================================================== the attack
def test_a_pushed_badge_naming_the_admin_binds_nothing(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    digest = BadgeHasher(cutting.secrets.badge_key()).digest(SPARE_BADGE)
    forged = queue_event(
        cutting,
        "badge.enrolled",
        {
            "user_id": str(user_id(central, DEWI)),
            "badge_hash": digest,
            "actor_id": str(user_id(central, ADMIN)),
        },
    )
    unlocked = queue_event(
        cutting,
        "user.unlocked",
        {"user_id": str(user_id(central, DEWI)), "actor_id": str(user_id(central, ADMIN))},
    )
    cutting.sync()
    for event in (forged, unlocked):
        result, reason = outbox_answer(cutting, event)
        assert result == "rejected" and (reason or "").startswith("needs_server"), reason
    assert _central_user(central, DEWI).badge_hash != digest
    sewing.sync()
    assert _badge_logs_in(sewing, SPARE_BADGE) is None
    assert _badge_logs_in(sewing, demo_user(DEWI).badge) == DEWI


def test_a_pushed_unbind_leaves_the_badge_working(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    event = queue_event(
        cutting,
        "badge.unbound",
        {"user_id": str(user_id(central, DEWI)), "actor_id": str(user_id(central, ADMIN))},
    )
    cutting.sync()
    assert outbox_answer(cutting, event)[0] == "rejected"
    sewing.sync()
    assert _badge_logs_in(sewing, demo_user(DEWI).badge) == DEWI


# ====================================================================== the online path
def test_the_admin_binds_a_badge_through_the_server_and_it_logs_in_on_her_line(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    admin = cutting.login(ADMIN)
    before = _outbox_kinds(cutting)
    view = cutting.services.identity.bind_badge(
        admin, demo_user(ADMIN).pin, user_id(central, DEWI), SPARE_BADGE
    )
    assert view.employee_no == DEWI
    # Nothing was queued: the server applied it, and audited who did it.
    assert _outbox_kinds(cutting) == before
    with central.session() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "badge.manage")).all()
    assert [(row.outcome, row.actor_id) for row in audit] == [("ok", admin.user_id)]
    sewing.sync()
    assert _badge_logs_in(sewing, SPARE_BADGE) == DEWI
    assert _badge_logs_in(sewing, demo_user(DEWI).badge) is None  # her old badge is replaced


def test_the_server_answer_is_on_the_asking_kiosk_at_once(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """Rina's badge on her own line's kiosk: replaced there before any sync round."""
    cutting = kiosk("CUT-L02")
    admin = cutting.login(ADMIN)
    rina = user_id(central, "E1001")
    cutting.services.identity.bind_badge(admin, demo_user(ADMIN).pin, rina, SPARE_BADGE)
    assert _badge_logs_in(cutting, SPARE_BADGE) == "E1001"
    cutting.services.identity.unbind_badge(admin, demo_user(ADMIN).pin, rina)
    assert _badge_logs_in(cutting, SPARE_BADGE) is None


def test_a_badge_in_use_by_another_person_is_a_conflict(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = cutting.login(ADMIN)
    refusal = refusal_of(
        lambda: cutting.services.identity.bind_badge(
            admin, demo_user(ADMIN).pin, user_id(central, DEWI), demo_user("E1001").badge
        )
    )
    assert (refusal.code, refusal.fields["employee_no"]) == (ErrorCode.BADGE_IN_USE, "E1001")
    with RawDevice.of(cutting) as raw:
        answer = raw.post(
            {
                "actor": _proof(central, ADMIN),
                "user_id": str(user_id(central, DEWI)),
                "badge": demo_user("E1001").badge,
            },
            path=f"{IDENTITY}/badges/bind",
        )
    assert answer.status_code == 409
    assert _badge_logs_in(cutting, demo_user("E1001").badge) == "E1001"


def test_a_wrong_pin_is_refused_and_counted_centrally_until_it_locks(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    body = {"actor": _proof(central, ADMIN, "0000"), "user_id": str(user_id(central, DEWI))}
    # Two kiosks, one count: guesses on several kiosks add up.
    with RawDevice.of(cutting) as on_cutting, RawDevice.of(sewing) as on_sewing:
        first = on_cutting.post(body, path=f"{IDENTITY}/badges/unbind")
        assert first.status_code == 403
        assert first.json()["detail"]["code"] == "wrong_pin"
        assert first.json()["detail"]["attempts_left"] == 4
        assert _central_user(central, ADMIN).failed_pin_count == 1
        for raw in (on_sewing, on_cutting, on_sewing):
            assert raw.post(body, path=f"{IDENTITY}/badges/unbind").status_code == 403
        fifth = on_cutting.post(body, path=f"{IDENTITY}/badges/unbind")
        assert fifth.json()["detail"]["code"] == "account_locked"
        # Locked: even the right PIN is refused now.
        right = {**body, "actor": _proof(central, ADMIN)}
        refused = on_sewing.post(right, path=f"{IDENTITY}/badges/unbind")
        assert (refused.status_code, refused.json()["detail"]["code"]) == (403, "account_locked")
    assert _central_user(central, DEWI).badge_hash is not None
    with central.session() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == "pin_lockout")).all()
    assert [alert.fields["employee_no"] for alert in alerts] == [ADMIN]
    # The lock reaches the kiosks with their next pull.
    sewing.sync()
    locked = refusal_of(lambda: sewing.login(ADMIN))
    assert locked.code is ErrorCode.ACCOUNT_LOCKED


def test_an_operator_on_their_own_kiosk_is_refused(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    with RawDevice.of(cutting) as raw:
        for path, extra in (
            ("badges/bind", {"badge": SPARE_BADGE}),
            ("badges/unbind", {}),
            ("users/reset-pin", {"new_pin": "1111"}),
        ):
            answer = raw.post(
                {
                    "actor": _proof(central, "E1001"),
                    "user_id": str(user_id(central, "E1002")),
                    **extra,
                },
                path=f"{IDENTITY}/{path}",
            )
            assert answer.status_code == 403, path
            assert answer.json()["detail"]["code"] == "permission_denied"
    budi = _central_user(central, "E1002")
    assert budi.badge_hash == BadgeHasher(cutting.secrets.badge_key()).digest(
        demo_user("E1002").badge
    )
    assert cutting.login("E1002").employee_no == "E1002"  # the PIN is still his own
    # The kiosk's own service refuses it before asking the server.
    rina = cutting.login("E1001")
    refusal = refusal_of(lambda: cutting.services.identity.unlock(rina, "2468", budi.id))
    assert refusal.code is ErrorCode.PERMISSION_DENIED


def test_a_cutting_supervisor_cannot_unlock_a_sewing_operator(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    # Without a badge her PIN is all she has: wrong PINs lock her (a badge user never is).
    drop_badge_centrally(central, DEWI)
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    dewi = user_id(central, DEWI)
    for _ in range(5):  # five wrong PINs on her kiosk lock her there, and (synced) centrally
        wrong_pin_on(sewing, dewi)
    sewing.sync()
    assert refusal_of(lambda: sewing.login(DEWI)).code is ErrorCode.ACCOUNT_LOCKED
    cutting_supervisor = cutting.login("E5002")
    refusal = refusal_of(
        lambda: cutting.services.identity.unlock(cutting_supervisor, demo_user("E5002").pin, dewi)
    )
    assert refusal.code is ErrorCode.OUT_OF_SCOPE
    # Nor through the Sewing supervisor's PIN typed on the Cutting kiosk.
    with RawDevice.of(cutting) as raw:
        answer = raw.post(
            {"actor": _proof(central, "E5001"), "user_id": str(dewi)},
            path=f"{IDENTITY}/users/unlock",
        )
    assert (answer.status_code, answer.json()["detail"]["code"]) == (403, "not_on_this_device")
    assert _central_user(central, DEWI).locked_until is not None
    # The Sewing supervisor on a Sewing kiosk may; the kiosk has it at once.
    sewing_supervisor = sewing.login("E5001")
    sewing.services.identity.unlock(sewing_supervisor, demo_user("E5001").pin, dewi)
    assert _central_user(central, DEWI).locked_until is None
    wait_out_the_pin_pad(sewing, dewi)
    assert sewing.login(DEWI).employee_no == DEWI
    # Her count of wrong PINs starts over here too: one slip does not lock her again.
    again = refusal_of(lambda: sewing.services.auth.login_with_pin(dewi, "0000"))
    assert again.code is ErrorCode.WRONG_PIN


def test_requests_without_a_token_or_malformed_are_refused(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    body = {
        "actor": _proof(central, ADMIN),
        "user_id": str(user_id(central, DEWI)),
        "badge": SPARE_BADGE,
    }
    with RawDevice.of(cutting) as raw:
        assert raw.post(body, path=f"{IDENTITY}/badges/bind", headers={}).status_code == 401
        stolen = {"Authorization": "Bearer not-a-token"}
        assert raw.post(body, path=f"{IDENTITY}/badges/bind", headers=stolen).status_code == 401
        for broken in (
            {**body, "actor": {**body["actor"], "pin": "12ab"}},
            {**body, "user_id": "nobody"},
            {**body, "extra": 1},
            {key: value for key, value in body.items() if key != "badge"},
        ):
            assert raw.post(broken, path=f"{IDENTITY}/badges/bind").status_code == 422
    assert _central_user(central, DEWI).badge_hash != BadgeHasher(
        cutting.secrets.badge_key()
    ).digest(SPARE_BADGE)


def test_an_admin_resets_a_pin_and_changes_a_person(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = cutting.login(ADMIN)
    pin = demo_user(ADMIN).pin
    agus = user_id(central, "E1003")  # Cutting, line CUT-L01
    identity = cutting.services.identity
    identity.reset_pin(admin, pin, agus, "8080")
    identity.change_person(admin, pin, agus, name="Agus P.", line_codes=["CUT-L02"])
    # Agus now works on CUT-L02, with his new PIN, on the kiosk that asked (no sync round).
    login = cutting.services.auth.login_with_pin(agus, "8080")
    assert (login.actor.name, login.actor.line_codes) == ("Agus P.", {"CUT-L02"})
    refusal = refusal_of(lambda: identity.change_person(admin, pin, admin.user_id, is_active=False))
    assert refusal.code is ErrorCode.SERVER_REFUSED
    refusal = refusal_of(lambda: identity.reset_pin(admin, pin, agus, "123456789"))
    assert refusal.code is ErrorCode.PIN_FORMAT


def test_a_supervisors_pin_reset_keeps_six_digits_and_a_reset_to_none_asks_at_the_next_tap(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = cutting.login(ADMIN)
    pin = demo_user(ADMIN).pin
    ani = user_id(central, "E5002")  # Cutting's supervisor: badge and a 6-digit PIN
    identity = cutting.services.identity
    before = _central_user(central, "E5002").pin_hash
    refusal = refusal_of(lambda: identity.reset_pin(admin, pin, ani, "1234"))
    assert refusal.code is ErrorCode.PIN_FORMAT
    assert _central_user(central, "E5002").pin_hash == before
    identity.reset_pin(admin, pin, ani)  # no PIN: she chooses one at her next tap
    assert _central_user(central, "E5002").pin_hash == ""
    with cutting.database.reader() as session:  # the kiosk that asked knows at once
        local = session.scalar(select(User.pin_hash).where(User.id == ani))
    assert local == ""
    tapped = cutting.services.auth.login_with_badge(demo_user("E5002").badge)
    assert isinstance(tapped, FirstPinRequired)  # she chooses one, as a new person does
    assert (tapped.entry.employee_no, tapped.may_skip) == ("E5002", False)


def test_an_admin_creates_and_revokes_a_device(
    central: CentralDatabase, kiosk: KioskFactory, tmp_path: Any
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    admin = cutting.login(ADMIN)
    pin = demo_user(ADMIN).pin
    code = cutting.services.identity.create_device_code(admin, pin, line="FIN-L01")
    assert len(code) == 12
    finishing = KioskNode(tmp_path / "fin", cutting.server_url, code)
    try:
        finishing.sync()
        with central.session() as session:
            sewing_id = session.scalar(select(Device.id).where(Device.line_code == "SEW-L03"))
        assert isinstance(sewing_id, uuid.UUID)
        cutting.services.identity.revoke_device(admin, pin, sewing_id)
        failed = refusal_of(lambda: cutting.services.identity.revoke_device(admin, pin, sewing_id))
        assert failed.code is ErrorCode.SERVER_REFUSED
        with RawDevice.of(sewing) as raw:
            assert raw.post(raw.body([])).status_code == 401
    finally:
        finishing.close()


def test_a_badge_given_with_the_pin_must_be_the_persons_own(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    body = {"user_id": str(user_id(central, "E1003"))}
    with RawDevice.of(cutting) as raw:
        someone_elses = {**_proof(central, ADMIN), "badge": demo_user("E1001").badge}
        refused = raw.post({**body, "actor": someone_elses}, path=f"{IDENTITY}/badges/unbind")
        assert (refused.status_code, refused.json()["detail"]["code"]) == (403, "wrong_pin")
        assert _central_user(central, ADMIN).failed_pin_count == 1
        own = {**_proof(central, ADMIN), "badge": demo_user(ADMIN).badge.lower()}
        assert raw.post({**body, "actor": own}, path=f"{IDENTITY}/badges/unbind").ok
    assert _central_user(central, "E1003").badge_hash is None


def test_where_the_policy_wants_badge_and_pin_a_pin_alone_is_refused(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """Item 7 turns this on for privileged roles on line kiosks; the desk already obeys it."""
    kiosk("CUT-L02")  # an enrolled line kiosk
    desk = IdentityDesk(
        sessionmaker(central.engine),
        lambda: datetime.now(UTC),
        policy=IdentityPolicy(badge_on_line_kiosks=True),
    )
    with central.session() as session:
        device = session.scalar(select(Device).where(Device.line_code == "CUT-L02"))
    assert device is not None
    agus = user_id(central, "E1003")
    pin = demo_user(ADMIN).pin
    with pytest.raises(IdentityRefusedError) as refused:
        desk.unbind_badge(device, Proof(user_id(central, ADMIN), pin), agus)
    assert (refused.value.status, refused.value.code) == (403, "badge_required")
    desk.unbind_badge(device, Proof(user_id(central, ADMIN), pin, demo_user(ADMIN).badge), agus)
    assert _central_user(central, "E1003").badge_hash is None
