"""PIN login, lockout with its alert, unlock by a supervisor or admin, and drafts at logout."""

from __future__ import annotations

from kiosk.domain.errors import ErrorCode
from kiosk.store.models import Alert, OutboxEvent
from tests.helpers.pins import drop_badge, wrong_pin_after_the_wait
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site


def test_the_right_pin_logs_in_and_is_audited(site: Site) -> None:
    services = site.services()
    result = services.auth.login_with_pin(site.user_id("E1001"), "2468")
    assert (result.actor.name, result.actor.line_codes) == ("Rina Wulandari", {"CUT-L02"})
    assert result.draft is None
    assert site.audit_outcomes()[-1] == ("session.login", "ok")
    assert site.outbox_kinds()[-1] == "session.started"


def test_a_wrong_pin_says_how_many_tries_are_left(site: Site) -> None:
    """Only where wrong PINs can lock: Rina has no badge here."""
    drop_badge(site.database, "E1001")
    services = site.services()
    refusal = refusal_of(lambda: services.auth.login_with_pin(site.user_id("E1001"), "1111"))
    assert refusal.code is ErrorCode.WRONG_PIN
    assert refusal.fields == {"attempts_left": 4}
    assert site.audit_outcomes()[-1] == ("session.login", "refused:auth.wrong_pin")


def test_five_wrong_pins_lock_the_account_and_alert_the_supervisor(site: Site) -> None:
    """Budi without a badge: his PIN is all he has, so guesses lock (after the waits)."""
    drop_badge(site.database, "E1002")
    services = site.services()
    budi = site.user_id("E1002")
    for _ in range(4):
        assert wrong_pin_after_the_wait(services, site.clock, budi).code is ErrorCode.WRONG_PIN
    fifth = wrong_pin_after_the_wait(services, site.clock, budi)
    assert fifth.code is ErrorCode.ACCOUNT_LOCKED
    assert fifth.fields["just_locked"] is True
    # Even the right PIN is refused while locked, and does not extend the lock.
    sixth = refusal_of(lambda: services.auth.login_with_pin(budi, "1357"))
    assert (sixth.code, sixth.fields["until"]) == (ErrorCode.ACCOUNT_LOCKED, fifth.fields["until"])
    assert [entry.is_locked for entry in services.auth.roster() if entry.user_id == budi] == [True]
    supervisor = site.login(services, "E5002")  # Cutting supervisor
    alerts = services.alerts.open_alerts(supervisor)
    assert [(a.priority, a.kind, a.fields["employee_no"]) for a in alerts] == [
        (2, "pin_lockout", "E1002")
    ]
    assert "user.locked" in site.outbox_kinds()
    assert site.count(Alert) == 1


def test_the_lock_runs_out_after_thirty_minutes(site: Site) -> None:
    drop_badge(site.database, "E1002")
    services = site.services()
    budi = site.user_id("E1002")
    for _ in range(5):
        wrong_pin_after_the_wait(services, site.clock, budi)
    site.clock.advance(29 * 60)
    assert refusal_of(lambda: services.auth.login_with_pin(budi, "1357")).code is (
        ErrorCode.ACCOUNT_LOCKED
    )
    site.clock.advance(60)
    assert services.auth.login_with_pin(budi, "1357").actor.employee_no == "E1002"


def test_a_supervisor_sees_who_is_locked_but_unlocking_needs_the_server(site: Site) -> None:
    """Unlocking is a request to the server (tests/sync/test_privileged_identity.py)."""
    drop_badge(site.database, "E1002")
    services = site.services()
    budi = site.user_id("E1002")
    for _ in range(5):
        wrong_pin_after_the_wait(services, site.clock, budi)
    site.clock.advance(60)  # past the PIN pad's wait
    supervisor = site.login(services, "E5002")
    assert [u.employee_no for u in services.auth.locked_users(supervisor)] == ["E1002"]
    events = site.outbox_kinds()
    refusal = refusal_of(lambda: services.identity.unlock(supervisor, "606060", budi))
    assert refusal.code is ErrorCode.NEEDS_SERVER
    assert site.outbox_kinds() == events
    assert site.audit_outcomes()[-1] == ("user.unlock", "refused:sync.needs_server")
    assert [u.employee_no for u in services.auth.locked_users(supervisor)] == ["E1002"]
    operator = site.login(services, "E1001")
    assert refusal_of(lambda: services.identity.unlock(operator, "2468", budi)).code is (
        ErrorCode.PERMISSION_DENIED
    )


def test_operators_log_in_only_at_their_own_lines(site: Site) -> None:
    services = site.services("CUT-L02")
    dewi = site.user_id("E2001")  # a Sewing operator
    events_before = site.count(OutboxEvent)
    refusal = refusal_of(lambda: services.auth.login_with_pin(dewi, "8642"))
    assert refusal.code is ErrorCode.NOT_ASSIGNED_TO_LINE
    assert site.count(OutboxEvent) == events_before
    assert site.audit_outcomes()[-1] == ("session.login", "refused:auth.not_assigned_to_line")


def test_the_roster_shows_the_lines_operators_first_then_supervisors(site: Site) -> None:
    roster = site.services("CUT-L02").auth.roster()
    assert [entry.employee_no for entry in roster] == ["E1002", "E1001", "E5002"]


def test_an_unknown_employee_number_is_refused_and_audited(site: Site) -> None:
    services = site.services()
    refusal = refusal_of(lambda: services.auth.find_employee("E7777"))
    assert refusal.code is ErrorCode.UNKNOWN_EMPLOYEE
    assert site.audit_outcomes()[-1] == ("session.login", "refused:auth.unknown_employee")
    assert services.auth.find_employee(" e9001 ").name == "Andi Firmansyah"
    assert services.auth.find_employee("9001").name == "Andi Firmansyah"


def test_a_draft_kept_at_logout_is_offered_to_the_same_user_only(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order("WO-2026-004217")
    services.auth.logout(
        rina,
        reason="idle",
        draft_kind="record",
        draft_work_order_id=work_order.id,
        draft_fields={"good": "120", "reject": ""},
    )
    budi = services.auth.login_with_pin(site.user_id("E1002"), "1357")
    assert budi.draft is None
    again = services.auth.login_with_pin(site.user_id("E1001"), "2468")
    assert again.draft is not None
    assert (again.draft.work_order_number, again.draft.fields["good"]) == (
        "WO-2026-004217",
        "120",
    )
    services.drafts.discard(again.actor)
    assert services.auth.login_with_pin(site.user_id("E1001"), "2468").draft is None
