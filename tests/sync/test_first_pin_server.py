"""A first PIN is decided by the server: only for a person with none, only where they log in.

Issue 14, item 4: PINs never travel in files. A person with no PIN chooses one at a kiosk,
proved by their badge or by a one-time setup code from `server-sync pin-code`. Every
request here is what a kiosk (honest or hostile) could send with its own device token to
the real server on PostgreSQL; the outcome is read back from the central database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from sqlalchemy import select

from kiosk.demo import demo_user
from kiosk.services.pin_hasher import PinHasher
from kiosk.store.models import AuditEntry, User
from server_sync.first_pin import create_setup_code
from tests.helpers.central import CentralDatabase, ThreadServer
from tests.helpers.central_pins import clear_pin_centrally
from tests.helpers.sync_raw import RawDevice
from tests.sync.conftest import KioskFactory

FIRST_PIN = "/v1/identity/users/first-pin"
DEWI, RINA, HADI = "E2001", "E1001", "E5001"


def _post(device: RawDevice, body: dict[str, Any]) -> requests.Response:
    return device.http.post(
        device.server_url + FIRST_PIN, json=body, headers=device.headers, timeout=10
    )


def _pin_hash(central: CentralDatabase, employee_no: str) -> str:
    with central.session() as session:
        found = session.scalar(select(User.pin_hash).where(User.employee_no == employee_no))
    assert found is not None
    return found


def _failed_count(central: CentralDatabase, employee_no: str) -> int:
    with central.session() as session:
        found = session.scalar(select(User.failed_pin_count).where(User.employee_no == employee_no))
    return int(found or 0)


def _audit_outcomes(central: CentralDatabase) -> list[str]:
    with central.session() as session:
        return list(
            session.scalars(
                select(AuditEntry.outcome)
                .where(AuditEntry.action == "user.first_pin")
                .order_by(AuditEntry.seq)
            )
        )


def _pin_code_command(
    central: CentralDatabase, employee_no: str
) -> subprocess.CompletedProcess[str]:
    """The admin's `server-sync pin-code` as a real process."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "server_sync",
            "--database-url",
            central.url,
            "pin-code",
            employee_no,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ},
    )


def test_a_new_person_sets_a_first_pin_with_her_badge_once_and_a_replay_changes_nothing(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    dewi = clear_pin_centrally(central, DEWI)
    sewing = kiosk("SEW-L03")
    body = {"user_id": str(dewi), "new_pin": "4455", "badge": demo_user(DEWI).badge}
    with RawDevice.of(sewing) as device:
        first = _post(device, body)
        assert first.status_code == 200, first.text
        stored = _pin_hash(central, DEWI)
        assert PinHasher().verify(stored, "4455")
        # The answer carries her row as this kiosk's feed gives it: with her new hash.
        rows = [row for row in first.json()["changes"] if row["key"] == str(dewi)]
        assert rows and rows[0]["data"]["pin_hash"] == stored
        # The same request again (a replay, or a second kiosk racing) is refused.
        replay = _post(device, {**body, "new_pin": "9999"})
    assert replay.status_code == 409
    assert replay.json()["detail"]["code"] == "pin_already_set"
    assert _pin_hash(central, DEWI) == stored
    assert _audit_outcomes(central) == ["ok", "refused:pin_already_set"]


def test_a_hostile_kiosk_cannot_set_the_first_pin_of_someone_it_does_not_serve(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """CUT-L02's token, Dewi's badge UID (copied): Dewi never logs in on CUT-L02."""
    dewi = clear_pin_centrally(central, DEWI)
    cutting = kiosk("CUT-L02")
    with RawDevice.of(cutting) as device:
        answer = _post(
            device, {"user_id": str(dewi), "new_pin": "4455", "badge": demo_user(DEWI).badge}
        )
    assert answer.status_code == 403
    assert answer.json()["detail"]["code"] == "not_on_this_device"
    assert _pin_hash(central, DEWI) == ""
    assert _audit_outcomes(central) == ["refused:not_on_this_device"]


def test_a_kiosk_where_she_logs_in_cannot_set_her_pin_without_her_badge(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """Her own line's kiosk has only her badge's hash, never its UID: a guess is refused."""
    dewi = clear_pin_centrally(central, DEWI)
    sewing = kiosk("SEW-L03")
    with RawDevice.of(sewing) as device:
        other_badge = _post(
            device, {"user_id": str(dewi), "new_pin": "4455", "badge": demo_user(RINA).badge}
        )
        no_proof = _post(device, {"user_id": str(dewi), "new_pin": "4455"})
    assert other_badge.status_code == 403
    assert other_badge.json()["detail"]["code"] == "badge_mismatch"
    assert no_proof.status_code == 422
    assert _pin_hash(central, DEWI) == ""


def test_a_person_who_has_a_pin_keeps_it(central: CentralDatabase, kiosk: KioskFactory) -> None:
    cutting = kiosk("CUT-L02")
    before = _pin_hash(central, RINA)
    with central.session() as session:
        rina = session.scalar(select(User.id).where(User.employee_no == RINA))
    with RawDevice.of(cutting) as device:
        answer = _post(
            device, {"user_id": str(rina), "new_pin": "1111", "badge": demo_user(RINA).badge}
        )
    assert answer.status_code == 409
    assert answer.json()["detail"]["code"] == "pin_already_set"
    assert _pin_hash(central, RINA) == before


def test_a_supervisor_first_pin_has_six_digits(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    hadi = clear_pin_centrally(central, HADI)
    sewing = kiosk("SEW-L03")
    with RawDevice.of(sewing) as device:
        short = _post(
            device, {"user_id": str(hadi), "new_pin": "4455", "badge": demo_user(HADI).badge}
        )
        right = _post(
            device, {"user_id": str(hadi), "new_pin": "445566", "badge": demo_user(HADI).badge}
        )
    assert short.status_code == 422
    assert short.json()["detail"]["min_digits"] == 6
    assert right.status_code == 200
    assert PinHasher().verify(_pin_hash(central, HADI), "445566")


# ====================================================================== setup codes
def test_a_setup_code_from_the_command_works_once(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    dewi = clear_pin_centrally(central, DEWI)
    printed = _pin_code_command(central, DEWI)
    assert printed.returncode == 0, printed.stderr
    code = printed.stdout.strip()
    assert len(code.replace("-", "")) == 8
    sewing = kiosk("SEW-L03")
    with RawDevice.of(sewing) as device:
        used = _post(device, {"user_id": str(dewi), "new_pin": "4455", "setup_code": code})
        assert used.status_code == 200, used.text
        clear_pin_centrally(central, DEWI)  # reset again: the old code stays spent
        again = _post(device, {"user_id": str(dewi), "new_pin": "7788", "setup_code": code})
    assert again.status_code == 403
    assert again.json()["detail"]["code"] == "setup_code_expired"
    assert _pin_hash(central, DEWI) == ""


def test_the_command_refuses_a_person_who_has_a_pin(central: CentralDatabase) -> None:
    printed = _pin_code_command(central, RINA)
    assert printed.returncode == 2
    assert "has a PIN already" in printed.stderr
    assert printed.stdout == ""


def test_an_expired_setup_code_is_refused(central: CentralDatabase, kiosk: KioskFactory) -> None:
    dewi = clear_pin_centrally(central, DEWI)
    with central.session() as session:
        code, _ = create_setup_code(session, datetime.now(UTC) - timedelta(hours=25), DEWI)
        session.commit()
    sewing = kiosk("SEW-L03")
    with RawDevice.of(sewing) as device:
        answer = _post(device, {"user_id": str(dewi), "new_pin": "4455", "setup_code": code})
    assert answer.status_code == 403
    assert answer.json()["detail"]["code"] == "setup_code_expired"
    assert _pin_hash(central, DEWI) == ""


def test_wrong_setup_codes_count_and_lock_and_void_the_code(
    central: CentralDatabase, server: ThreadServer, kiosk: KioskFactory
) -> None:
    dewi = clear_pin_centrally(central, DEWI)
    with central.session() as session:
        code, _ = create_setup_code(session, datetime.now(UTC), DEWI)
        session.commit()
    wrong = "00000000" if code != "00000000" else "11111111"
    sewing = kiosk("SEW-L03")
    answers = []
    with RawDevice.of(sewing) as device:
        for _ in range(5):
            answer = _post(device, {"user_id": str(dewi), "new_pin": "4455", "setup_code": wrong})
            answers.append((answer.status_code, answer.json()["detail"]["code"]))
        assert _failed_count(central, DEWI) == 5
        right = _post(device, {"user_id": str(dewi), "new_pin": "4455", "setup_code": code})
    assert answers[:4] == [(403, "wrong_setup_code")] * 4
    assert answers[4] == (403, "account_locked")
    assert right.status_code == 403  # locked, and the code is spent
    assert _pin_hash(central, DEWI) == ""
