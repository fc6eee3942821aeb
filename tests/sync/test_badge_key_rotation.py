"""Rotating the badge-hash key locks nobody out, and a kiosk cannot abuse the re-hash.

A real server on PostgreSQL, real enrolled kiosks, the real `server-sync keys` command.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.services.badge_hasher import badge_digest, badge_key_id
from kiosk.services.views import LoginResult
from kiosk.store.models import User
from kiosk.store.secrets import BADGE_KEY_NAME, BADGE_PREVIOUS_KEY_NAME
from server_sync.models import SiteSecret
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer
from tests.helpers.sync_raw import RawDevice
from tests.sync.conftest import KioskFactory

RINA = "E1001"  # operator on CUT-L02
AGUS = "E1003"  # operator on CUT-L01 only


def _keys_command(central: CentralDatabase, *action: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server_sync", "--database-url", central.url, "keys", *action],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _central_keys(central: CentralDatabase) -> dict[str, bytes]:
    with central.session() as session:
        return {row.name: row.value for row in session.scalars(select(SiteSecret))}


def _central_badge_hash(central: CentralDatabase, employee_no: str) -> str | None:
    with central.session() as session:
        return session.scalar(select(User.badge_hash).where(User.employee_no == employee_no))


def _local_badge_hash(node: KioskNode, employee_no: str) -> str | None:
    with node.database.reader() as session:
        return session.scalar(select(User.badge_hash).where(User.employee_no == employee_no))


def test_after_a_rotation_a_badge_still_logs_in_and_is_rehashed(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    old_key = _central_keys(central)[BADGE_KEY_NAME]
    rotated = _keys_command(central, "rotate-badge")
    assert rotated.returncode == 0, rotated.stderr
    keys = _central_keys(central)
    new_key = keys[BADGE_KEY_NAME]
    assert keys[BADGE_PREVIOUS_KEY_NAME] == old_key and new_key != old_key
    assert badge_key_id(new_key) in rotated.stdout and badge_key_id(old_key) in rotated.stdout
    # A second rotation inside the grace period would strand the badges not yet re-hashed.
    again = _keys_command(central, "rotate-badge")
    assert again.returncode == 2 and "grace period" in again.stderr

    cutting.sync()  # the kiosk takes both keys on its next pull
    assert cutting.secrets.get(BADGE_KEY_NAME) == new_key
    assert cutting.secrets.get(BADGE_PREVIOUS_KEY_NAME) == old_key
    badge = demo_user(RINA).badge
    assert _central_badge_hash(central, RINA) == badge_digest(old_key, badge)

    login = cutting.services.auth.login_with_badge(badge)  # matches under the previous key
    assert isinstance(login, LoginResult) and login.actor.employee_no == RINA
    cutting.sync()  # the re-hash goes to the server, the new hash comes back
    assert _central_badge_hash(central, RINA) == badge_digest(new_key, badge)
    assert _local_badge_hash(cutting, RINA) == badge_digest(new_key, badge)

    finished = _keys_command(central, "finish-badge-rotation")
    assert finished.returncode == 0, finished.stderr
    cutting.sync()
    assert cutting.secrets.get(BADGE_PREVIOUS_KEY_NAME) is None
    login = cutting.services.auth.login_with_badge(badge)  # under the new key alone
    assert isinstance(login, LoginResult) and login.actor.employee_no == RINA
    # Budi never tapped during the grace period: his old hash is useless now.
    with pytest.raises(RefusalError) as refused:
        cutting.services.auth.login_with_badge(demo_user("E1002").badge)
    assert refused.value.code is ErrorCode.BADGE_UNKNOWN


def test_a_kiosk_can_rehash_only_the_real_badge_of_someone_who_logs_in_there(
    kiosk: KioskFactory, central: CentralDatabase, server: ThreadServer
) -> None:
    cutting = kiosk("CUT-L02")
    assert _keys_command(central, "rotate-badge").returncode == 0
    keys = _central_keys(central)
    with RawDevice.of(cutting) as raw:

        def rehash(uid: str) -> bool:
            answer = raw.post({"uid": uid}, path="/v1/badges/rehash")
            assert answer.status_code == 200, answer.text
            return bool(answer.json()["rehashed"])

        # Agus works on CUT-L01 only: the CUT-L02 token cannot touch his badge.
        assert not rehash(demo_user(AGUS).badge)
        assert _central_badge_hash(central, AGUS) == badge_digest(
            keys[BADGE_PREVIOUS_KEY_NAME], demo_user(AGUS).badge
        )
        # A made-up UID re-hashes nobody (a kiosk cannot bind a badge of its choosing).
        before = {number: _central_badge_hash(central, number) for number in (RINA, "E1002")}
        assert not rehash("0A0BADBAD0")
        assert {number: _central_badge_hash(central, number) for number in before} == before
        assert rehash(demo_user(RINA).badge)
    assert _central_badge_hash(central, RINA) == badge_digest(
        keys[BADGE_KEY_NAME], demo_user(RINA).badge
    )


def test_a_desktop_gets_no_badge_key(
    central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    desk = KioskNode(tmp_path / "desk", server.url, central.enrolment_code(department="SEW"))
    try:
        desk.sync()
        assert desk.secrets.get(BADGE_KEY_NAME) is None
        assert _keys_command(central, "rotate-badge").returncode == 0
        desk.sync()
        assert desk.secrets.get(BADGE_KEY_NAME) is None
        assert desk.secrets.get(BADGE_PREVIOUS_KEY_NAME) is None
    finally:
        desk.close()
