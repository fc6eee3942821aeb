"""An admin changes the site's data from a kiosk (issue 15, item 1): the server's side.

Each change is a direct request the server verifies (the admin's PIN against its own
hash) and applies with the integration API's rules; another kiosk gets it with its next
pull. Refusals name each field and reason, and change nothing. Real server, PostgreSQL,
kiosks enrolled by real codes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from kiosk import __version__
from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode
from kiosk.domain.site_time import SITE_TIME_ZONE_KEY
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.services.views import FirstPinRequired
from kiosk.store.models import Line, SiteSetting, User, WorkOrder
from server_sync.central_audit import record
from server_sync.models import CentralAuditEntry
from tests.helpers.central import CentralDatabase, KioskNode
from tests.helpers.refusals import refusal_of
from tests.helpers.sync_raw import RawDevice, user_id
from tests.sync.conftest import KioskFactory

ADMIN, RINA = "E9001", "E1001"
NEW_BADGE = "04A1B2C3D4"
ADMIN_PATH = "/v1/admin"


def _pin(employee_no: str) -> str:
    return demo_user(employee_no).pin


def _proof(central: CentralDatabase, employee_no: str, pin: str | None = None) -> dict[str, Any]:
    return {"user_id": str(user_id(central, employee_no)), "pin": pin or _pin(employee_no)}


def _taps(node: KioskNode, uid: str) -> object:
    try:
        return node.services.auth.login_with_badge(uid)
    except Exception as refused:  # noqa: BLE001  (any refusal: the badge does not log in)
        return refused


def _audit_actions(central: CentralDatabase) -> list[tuple[str, str]]:
    with central.session() as session:
        rows = session.execute(
            select(CentralAuditEntry.action, CentralAuditEntry.actor)
            .where(CentralAuditEntry.action.like("admin.%"))
            .order_by(CentralAuditEntry.at, CentralAuditEntry.id)
        )
        return [(action, actor) for action, actor in rows]


def _counts(central: CentralDatabase) -> tuple[int, int, int]:
    with central.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Line)) or 0,
            session.scalar(select(func.count()).select_from(User)) or 0,
            session.scalar(select(func.count()).select_from(WorkOrder)) or 0,
        )


# ====================================================================== people
def test_a_person_added_on_one_kiosk_taps_in_on_their_line_after_its_pull(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    sewing, cutting = kiosk("SEW-L03"), kiosk("CUT-L02")
    admin = sewing.login(ADMIN)
    admin_services = sewing.services
    admin_services.admin.add_person(
        admin,
        _pin(ADMIN),
        employee_no="E1777",
        name="Sari Wulandari",
        role="OPERATOR",
        department="CUT",
        lines=["CUT-L02"],
    )
    new_id = user_id(central, "E1777")
    admin_services.identity.bind_badge(admin, _pin(ADMIN), new_id, NEW_BADGE)
    cutting.sync()
    tapped = _taps(cutting, NEW_BADGE)
    assert isinstance(tapped, FirstPinRequired)  # no PIN yet: she chooses one now
    assert tapped.entry.employee_no == "E1777"
    # Deactivated on the sewing kiosk: the cutting kiosk refuses her after its pull.
    admin_services.admin.deactivate_person(admin, _pin(ADMIN), "E1777")
    cutting.sync()
    assert not isinstance(_taps(cutting, NEW_BADGE), FirstPinRequired)
    actions = _audit_actions(central)
    assert [action for action, _ in actions] == [
        "admin.user.created",
        "admin.user.updated",
    ]
    assert all(actor.startswith(f"{ADMIN} {admin.name} @ ") for _, actor in actions)


def test_an_admin_assigns_lines_and_the_operator_logs_in_there(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting, other = kiosk("CUT-L02"), kiosk("CUT-L01")
    admin = cutting.login(ADMIN)
    # Agus works on CUT-L01; now on CUT-L02 only.
    cutting.services.admin.assign_lines(admin, _pin(ADMIN), "E1003", ["CUT-L02"])
    cutting.sync()
    other.sync()
    assert cutting.login("E1003").line_codes == {"CUT-L02"}
    refusal = refusal_of(lambda: other.login("E1003"))
    assert refusal.code is ErrorCode.NOT_ASSIGNED_TO_LINE


def test_bad_fields_are_refused_with_field_and_reason_and_change_nothing(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = cutting.login(ADMIN)
    before = _counts(central)
    refusal = refusal_of(
        lambda: cutting.services.admin.add_person(
            admin,
            _pin(ADMIN),
            employee_no="E1778",
            name="Nobody",
            role="OPERATOR",
            department="CUT",
            lines=["NO-SUCH-LINE"],
        )
    )
    assert refusal.code is ErrorCode.ROWS_REFUSED
    assert [(p["field"], p["reason"]) for p in refusal.fields["problems"]] == [
        ("lines", "unknown_line")
    ]
    refusal = refusal_of(
        lambda: cutting.services.admin.add_person(
            admin, _pin(ADMIN), employee_no=RINA, name="Rina", role="OPERATOR", department="CUT"
        )
    )
    assert [(p["field"], p["reason"]) for p in refusal.fields["problems"]] == [
        ("employee_no", "exists")
    ]
    refusal = refusal_of(
        lambda: cutting.services.admin.add_line(
            admin, _pin(ADMIN), code="bad code!", department="CUT", name="x"
        )
    )
    assert [p["field"] for p in refusal.fields["problems"]] == ["code"]
    refusal = refusal_of(
        lambda: cutting.services.admin.edit_person(admin, _pin(ADMIN), ADMIN, active=False)
    )
    assert [p["reason"] for p in refusal.fields["problems"]] == ["own_account"]
    refusal = refusal_of(
        lambda: cutting.services.admin.edit_person(admin, _pin(ADMIN), RINA, role="CHIEF")
    )
    assert [p["field"] for p in refusal.fields["problems"]] == ["role"]
    refusal = refusal_of(
        lambda: cutting.services.admin.edit_work_order(
            admin, _pin(ADMIN), "WO-2026-004219", due="next week"
        )
    )
    assert [p["field"] for p in refusal.fields["problems"]] == ["due"]
    assert _counts(central) == before
    with central.session() as session:
        refused = session.scalar(
            select(func.count())
            .select_from(CentralAuditEntry)
            .where(CentralAuditEntry.action.like("admin.%.refused"))
        )
    assert refused == 6


# ====================================================================== who may ask
def test_a_non_admin_a_wrong_pin_and_an_operators_token_replaying_the_proof_change_nothing(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    before = _counts(central)
    rina = cutting.login(RINA)
    refusal = refusal_of(
        lambda: cutting.services.admin.add_line(
            rina, _pin(RINA), code="CUT-L09", department="CUT", name="Cutting 9"
        )
    )
    assert refusal.code is ErrorCode.PERMISSION_DENIED  # refused here, before the server
    body = {"code": "CUT-L09", "department": "CUT", "name": "Cutting 9"}
    with RawDevice.of(cutting) as raw:
        answer = raw.post({"actor": _proof(central, RINA), **body}, path=f"{ADMIN_PATH}/lines/add")
        assert (answer.status_code, answer.json()["detail"]["code"]) == (403, "permission_denied")
        wrong = {"actor": _proof(central, ADMIN, "0000"), **body}
        answer = raw.post(wrong, path=f"{ADMIN_PATH}/lines/add")
        assert (answer.status_code, answer.json()["detail"]["code"]) == (403, "wrong_pin")
        # A token without the admin's PIN proves nothing; and a malformed body is refused.
        no_pin = {"actor": {"user_id": str(user_id(central, ADMIN))}, **body}
        answer = raw.post(no_pin, path=f"{ADMIN_PATH}/lines/add")
        assert answer.status_code == 422
        assert raw.post(body, path=f"{ADMIN_PATH}/lines/add", headers={}).status_code == 401
    assert _counts(central) == before


def test_offline_it_needs_the_server(central: CentralDatabase, kiosk: KioskFactory) -> None:
    cutting = kiosk("CUT-L02")
    cutting.server_url = "http://127.0.0.1:9"  # nothing listens there: the server is away
    admin = cutting.login(ADMIN)
    refusal = refusal_of(
        lambda: cutting.services.admin.rename_line(
            admin, _pin(ADMIN), code="CUT-L02", name="Cutting two"
        )
    )
    assert refusal.code is ErrorCode.NEEDS_SERVER


# ====================================================================== lines
def test_lines_added_renamed_and_deactivated_reach_the_kiosks(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = cutting.login(ADMIN)
    site = cutting.services.admin
    site.add_line(admin, _pin(ADMIN), code="cut-l09", department="CUT", name="Cutting 9")
    site.rename_line(admin, _pin(ADMIN), code="CUT-L09", name="Cutting nine")
    cutting.sync()
    with cutting.database.reader() as session:
        line = session.scalar(select(Line).where(Line.code == "CUT-L09"))
        assert line is not None and (line.name, line.is_active) == ("Cutting nine", True)
    site.deactivate_line(admin, _pin(ADMIN), code="CUT-L09")
    # A line holding running work cannot be retired: the reason comes with the field.
    refusal = refusal_of(lambda: site.deactivate_line(admin, _pin(ADMIN), code="CUT-L02"))
    assert [(p["field"], p["reason"]) for p in refusal.fields["problems"]] == [
        ("active", "line_holds_batch")
    ]
    cutting.sync()
    with cutting.database.reader() as session:
        assert session.scalar(select(Line.is_active).where(Line.code == "CUT-L09")) is False
        assert session.scalar(select(Line.is_active).where(Line.code == "CUT-L02")) is True


# ====================================================================== work orders
def test_work_orders_created_edited_and_cancelled_reach_the_line(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = cutting.login(ADMIN)
    site = cutting.services.admin
    site.create_work_order(
        admin,
        _pin(ADMIN),
        {
            "number": "WO-ADMIN-0001",
            "mo_number": "MO-1",
            "article": "Bunny plush 25 cm, white",
            "destination": "DE-Hamburg",
            "department": "CUT",
            "line": "CUT-L02",
            "route": "R1",
            "target_qty": 120,
            "due": "2026-12-24",
        },
    )
    site.edit_work_order(admin, _pin(ADMIN), "WO-ADMIN-0001", target_qty=150, due=None)
    cutting.sync()
    with cutting.database.reader() as session:
        made = session.scalar(select(WorkOrder).where(WorkOrder.number == "WO-ADMIN-0001"))
        assert made is not None and (made.target_qty, made.due_at) == (150, None)
    refusal = refusal_of(
        lambda: site.edit_work_order(admin, _pin(ADMIN), "WO-ADMIN-0001", target_qty=0)
    )
    assert [p["field"] for p in refusal.fields["problems"]] == ["target_qty"]
    site.cancel_work_order(admin, _pin(ADMIN), "WO-ADMIN-0001")
    running = "WO-2026-004217"  # in progress on CUT-L02: the floor's, not cancellable
    refusal = refusal_of(lambda: site.cancel_work_order(admin, _pin(ADMIN), running))
    assert [(p["field"], p["reason"]) for p in refusal.fields["problems"]] == [
        ("status", "work_order_running")
    ]
    cutting.sync()
    with cutting.database.reader() as session:
        status = session.scalar(select(WorkOrder.status).where(WorkOrder.number == "WO-ADMIN-0001"))
    assert status is WorkOrderStatus.CANCELLED


# ====================================================================== lists and keys
def _ticket(raw: RawDevice, central: CentralDatabase, employee_no: str = ADMIN) -> dict[str, str]:
    answer = raw.post({"actor": _proof(central, employee_no)}, path=f"{ADMIN_PATH}/session")
    assert answer.status_code == 200, answer.text
    return {**raw.headers, "X-Admin-Ticket": answer.json()["ticket"]}


def _get(raw: RawDevice, path: str, headers: dict[str, str], **query: Any) -> Any:
    return raw.http.get(
        raw.server_url + ADMIN_PATH + path, params=query, headers=headers, timeout=30
    )


def test_the_people_list_pages_and_searches(central: CentralDatabase, kiosk: KioskFactory) -> None:
    cutting = kiosk("CUT-L02")
    with RawDevice.of(cutting) as raw:
        headers = _ticket(raw, central)
        seen: list[str] = []
        cursor = None
        while True:
            query = {"limit": 3} if cursor is None else {"limit": 3, "cursor": cursor}
            page = _get(raw, "/people", headers, **query).json()
            seen += [row["employee_no"] for row in page["rows"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        with central.session() as session:
            everyone = sorted(session.scalars(select(User.employee_no)))
        assert seen == everyone
        found = _get(raw, "/people", headers, search="rina").json()["rows"]
        assert [row["employee_no"] for row in found] == [RINA]
        assert found[0]["lines"] == ["CUT-L02"]
        assert _get(raw, "/people", headers, cursor="garbage").status_code == 422
        # No ticket, another device's ticket, or an operator's: refused.
        assert _get(raw, "/people", raw.headers).status_code == 401
        other = kiosk("SEW-L03")
        with RawDevice.of(other) as elsewhere:
            stolen = {**elsewhere.headers, "X-Admin-Ticket": headers["X-Admin-Ticket"]}
            assert _get(elsewhere, "/people", stolen).status_code == 401
        answer = raw.post({"actor": _proof(central, RINA)}, path=f"{ADMIN_PATH}/session")
        assert answer.status_code == 403


def test_the_devices_list_says_when_each_was_last_seen(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    with RawDevice.of(cutting) as raw:
        rows = _get(raw, "/devices", _ticket(raw, central)).json()["rows"]
    mine = [row for row in rows if row["line"] == "CUT-L02"]
    assert len(mine) == 1 and mine[0]["last_seen_at"] is not None
    assert mine[0]["revoked_at"] is None and mine[0]["held_events"] == 0


def test_the_devices_list_shows_each_kiosks_version_and_the_events_it_still_has_to_send(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    cutting.sync()

    def listed(raw: RawDevice) -> dict[str, Any]:
        rows = _get(raw, "/devices", _ticket(raw, central)).json()["rows"]
        return next(row for row in rows if row["line"] == "CUT-L02")

    with RawDevice.of(cutting) as raw:
        assert listed(raw)["version"] == __version__
        assert listed(raw)["events_waiting"] == 0
        # A kiosk that has numbered four events the server has not seen yet (its network
        # dropped mid-push) is listed with four waiting; what it says is shown, not acted on.
        raw.sync([], last_seq=4, version="0.1.0+site7")
        assert (listed(raw)["version"], listed(raw)["events_waiting"]) == ("0.1.0+site7", 4)
        # A hostile version text or an absurd count changes nothing and breaks nothing.
        for bad in ("x" * 41, "<b>1</b>", ""):
            assert raw.post(raw.body([], version=bad)).status_code == 422
        raw.sync([], last_seq=2**62)
        assert listed(raw)["events_waiting"] == 2**62
        assert listed(raw)["version"] is None


def test_an_integration_key_is_shown_once_listed_with_its_use_and_revoked(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    with RawDevice.of(cutting) as raw:
        made = raw.post(
            {"actor": _proof(central, ADMIN), "name": "erp-prod"},
            path=f"{ADMIN_PATH}/integration-keys/create",
        )
        assert made.status_code == 200, made.text
        key = made.json()["key"]
        used = raw.http.post(
            raw.server_url + "/v1/integration/lines",
            json={"rows": [{"code": "CUT-L09", "department": "CUT", "name": "Cutting 9"}]},
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
        )
        assert used.status_code == 200, used.text
        again = raw.post(
            {"actor": _proof(central, ADMIN), "name": "erp-prod"},
            path=f"{ADMIN_PATH}/integration-keys/create",
        )
        assert again.status_code == 422
        assert again.json()["detail"]["problems"][0]["reason"] == "exists"
        rows = _get(raw, "/integration-keys", _ticket(raw, central)).json()["rows"]
        assert [(row["name"], row["use_count"] >= 1) for row in rows] == [("erp-prod", True)]
        assert all("key" not in row for row in rows)
        revoked = raw.post(
            {"actor": _proof(central, ADMIN), "name": "erp-prod"},
            path=f"{ADMIN_PATH}/integration-keys/revoke",
        )
        assert revoked.status_code == 200, revoked.text
        refused = raw.http.post(
            raw.server_url + "/v1/integration/lines",
            json={"rows": []},
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
        )
        assert refused.status_code == 403  # a revoked key


def test_the_audit_finds_an_action_done_on_another_kiosk_and_exports_it(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    admin = sewing.login(ADMIN)
    sewing.services.admin.rename_line(admin, _pin(ADMIN), code="CUT-L01", name="Cutting one")
    operator = cutting.login(RINA)  # a kiosk's own audit row, pushed with the next sync
    del operator
    cutting.sync()
    with RawDevice.of(cutting) as raw:
        headers = _ticket(raw, central)
        found = _get(raw, "/audit", headers, person=ADMIN, kind="admin.line").json()["rows"]
        assert [(row["action"], row["device"]) for row in found] == [
            ("admin.line.updated", found[0]["device"])
        ]
        assert found[0]["details"]["changed"] == {"name": "Cutting one"}
        on_line = _get(raw, "/audit", headers, person=RINA, line="CUT-L02").json()["rows"]
        assert on_line and all(row["source"] == "device" for row in on_line)
        # Paged through everything with a small page: no row twice, none lost.
        everything = _get(raw, "/audit", headers, limit=200).json()["rows"]
        paged: list[Any] = []
        cursor = None
        while True:
            query = {"limit": 2} if cursor is None else {"limit": 2, "cursor": cursor}
            page = _get(raw, "/audit", headers, **query).json()
            paged += page["rows"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert [(r["at"], r["action"]) for r in paged] == [
            (r["at"], r["action"]) for r in everything
        ]
        export = _get(raw, "/audit.csv", headers, person=ADMIN, kind="admin.line")
        assert export.status_code == 200
        lines = export.text.strip().splitlines()
        assert lines[0].startswith("at,source,actor,action") and len(lines) == 2
        assert "admin.line.updated" in lines[1]


def test_the_audits_day_is_the_sites_day_in_its_time_zone(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """Jakarta is UTC+7: 01:30 on 7 December there is still 6 December in UTC."""
    with central.session() as session:
        session.merge(SiteSetting(key=SITE_TIME_ZONE_KEY, value="Asia/Jakarta"))
        for at, name in (
            (datetime(2026, 12, 6, 16, 59, tzinfo=UTC), "late-on-the-6th"),  # 23:59 WIB, 6th
            (datetime(2026, 12, 6, 18, 30, tzinfo=UTC), "night-shift"),  # 01:30 WIB, 7th
            (datetime(2026, 12, 7, 16, 30, tzinfo=UTC), "evening"),  # 23:30 WIB, 7th
            (datetime(2026, 12, 7, 17, 0, tzinfo=UTC), "next-day"),  # 00:00 WIB, 8th
        ):
            record(session, at, "test", "test.day", "line", name, {"line": "CUT-L02"})
        session.commit()
    with RawDevice.of(kiosk("CUT-L02")) as raw:
        headers = _ticket(raw, central)
        found = _get(raw, "/audit", headers, kind="test.day", day="2026-12-07").json()["rows"]
        assert [row["entity_id"] for row in found] == ["evening", "night-shift"]
        export = _get(raw, "/audit.csv", headers, kind="test.day", day="2026-12-06")
        assert "late-on-the-6th" in export.text and "night-shift" not in export.text


def test_the_ticket_key_never_leaves_the_server(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """A kiosk holding the key could forge an admin's ticket and read the whole audit."""
    cutting = kiosk("CUT-L02")
    with RawDevice.of(cutting) as raw:
        _ticket(raw, central)  # the key is made at the first session
    with central.session() as session:
        from server_sync.models import ADMIN_TICKET_KEY_NAME, SiteSecret

        assert session.get(SiteSecret, ADMIN_TICKET_KEY_NAME) is not None
    later = kiosk("SEW-L03")  # enrolled after it exists, bootstrapped from the feed
    assert later.secrets.get(ADMIN_TICKET_KEY_NAME) is None
    with RawDevice.of(later) as raw:
        keys = [row["key"] for row in raw.pull_all() if row["entity"] == "site_key"]
    assert keys and ADMIN_TICKET_KEY_NAME not in keys


def test_the_kiosks_admin_service_lists_pages_and_exports(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    admin_there = sewing.login(ADMIN)
    sewing.services.admin.rename_line(admin_there, _pin(ADMIN), code="SEW-L03", name="Sewing 3")
    admin = cutting.login(ADMIN)
    service = cutting.services.admin
    key = service.create_integration_key(admin, _pin(ADMIN), "erp-test")
    assert key.startswith("lk_")
    session = service.open_session(admin, _pin(ADMIN))
    first = service.people(admin, session, search="santoso")
    assert first.rows and all("santoso" in row["name"].lower() for row in first.rows)
    assert [row["name"] for row in service.integration_keys(admin, session).rows] == ["erp-test"]
    assert any(row["line"] == "SEW-L03" for row in service.devices(admin, session).rows)
    found = service.audit(admin, session, {"line": "SEW-L03", "kind": "admin.line"})
    assert [row["action"] for row in found.rows] == ["admin.line.updated"]
    exported = service.audit_csv(admin, session, {"line": "SEW-L03", "kind": "admin.line"})
    assert len(exported.strip().splitlines()) == 2
    # An operator is refused here, before the server; a wrong ticket by the server.
    rina = cutting.login(RINA)
    assert refusal_of(lambda: service.audit(rina, session)).code is ErrorCode.PERMISSION_DENIED
    forged = type(session)("x.y", session.expires_at)
    assert refusal_of(lambda: service.audit(admin, forged)).code is ErrorCode.SERVER_REFUSED


def test_a_huge_value_a_huge_body_and_a_replay_change_nothing_more(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """Tried as a hostile kiosk holding the admin's proof would."""
    cutting = kiosk("CUT-L02")
    before = _counts(central)
    work_order = {
        "number": "WO-2027-000777",
        "mo_number": "MO-1",
        "article": "TB-30",
        "destination": "JP",
        "department": "CUT",
        "line": "CUT-L02",
        "route": "R2",
    }
    path = f"{ADMIN_PATH}/work-orders/create"
    with RawDevice.of(cutting) as raw:
        for huge in (10**12, 2**70):  # past the rules' bound, past any integer column
            body = {"actor": _proof(central, ADMIN), **work_order, "target_qty": huge}
            answer = raw.post(body, path=path)
            assert answer.status_code == 422, answer.text
        padded = {"actor": _proof(central, ADMIN), **work_order, "article": "x" * 3_000_000}
        assert raw.post(padded, path=path).status_code == 413
        assert _counts(central) == before
        line = {"actor": _proof(central, ADMIN), "code": "CUT-L09", "department": "CUT"}
        line["name"] = "Cutting 9"
        first = raw.post(line, path=f"{ADMIN_PATH}/lines/add")
        assert first.status_code == 200, first.text
        replayed = raw.post(line, path=f"{ADMIN_PATH}/lines/add")  # the same request again
        assert replayed.status_code == 422  # "exists already": nothing is added twice
        assert replayed.json()["detail"]["problems"][0]["reason"] == "exists"
    with central.session() as session:
        codes = session.scalars(select(Line.code).where(Line.code == "CUT-L09")).all()
    assert codes == ["CUT-L09"]  # one line, however often it is sent
