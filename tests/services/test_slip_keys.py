"""Slips signed by each kiosk's own key: what a receiving kiosk refuses, and what it says.

`site` is the Cutting kiosk (CUT-L02 sends), `other_site` the Sewing kiosk (SEW-L03
receives), each on its own copy of the demo site; both know the demo kiosk's public key.
A slip that is forged, signed with the old site key, signed by a revoked or unknown key,
or older than a week is refused, changes nothing, and (but the old one) alerts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kiosk.domain.errors import ErrorCode
from kiosk.domain.slip_keys import SlipSigner
from kiosk.services.container import Policies
from kiosk.services.slip_keys import remember_slip_key
from kiosk.services.transfer_views import PreparedTransfer
from kiosk.store.models import Alert, SlipKey, Transfer, WipMovement
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.messages import describe
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site, copy_site
from tests.helpers.slips import forged, key_id_of_slip

CUTTING_WO = "WO-2026-004217"  # CUT-L02, IN_PROGRESS, R2 (CUT -> SEW), 72 good
STRANGER = SlipSigner(hashlib.sha256(b"a key no server ever saw").digest())
WEEK = 7 * 86_400


@pytest.fixture
def other_site(site_template: Path, tmp_path: Path) -> Iterator[Site]:
    copied = copy_site(site_template, tmp_path / "other-kiosk")
    yield copied
    copied.database.dispose()


def _prepare(site: Site, quantity: str = "50") -> PreparedTransfer:
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    return services.transfers.prepare(rina, site.work_order(CUTTING_WO).id, quantity, "SEW-L03")


def _payload(prepared: PreparedTransfer) -> str:
    assert prepared.document.qr_payload is not None
    return prepared.document.qr_payload


def _refused_at_sewing(site: Site, payload: str, policies: Policies | None = None) -> ErrorCode:
    """Scan and count the slip at SEW-L03; both must be refused alike, changing nothing."""
    sewing = site.services("SEW-L03", policies)
    dewi = site.login(sewing, "E2001")
    checked = refusal_of(lambda: sewing.transfers.check_slip(dewi, payload))
    counted = refusal_of(lambda: sewing.transfers.receive(dewi, payload, "50"))
    assert checked.code is counted.code
    assert site.count(Transfer) == 0 and site.count(WipMovement) == 0
    assert "transfer.accepted" not in site.outbox_kinds()
    return checked.code


def _slip_alerts(site: Site) -> list[str]:
    with site.database.reader() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == "slip_refused")).all()
        return [str(alert.fields["why"]) for alert in alerts if alert.priority == 1]


def test_a_slip_signed_with_a_key_nobody_enrolled_is_refused_with_an_alert(
    site: Site, other_site: Site
) -> None:
    payload = forged(_payload(_prepare(site)), STRANGER)
    assert _refused_at_sewing(other_site, payload) is ErrorCode.SLIP_KEY_UNKNOWN
    assert _slip_alerts(other_site) == ["slip.key_unknown"]  # raised by the scan


def test_a_slip_claiming_the_senders_key_but_signed_by_another_is_a_forgery(
    site: Site, other_site: Site
) -> None:
    genuine = _payload(_prepare(site))
    payload = forged(genuine, STRANGER, claim_key_id=key_id_of_slip(genuine), quantity=5000)
    assert _refused_at_sewing(other_site, payload) is ErrorCode.SLIP_SIGNATURE_INVALID
    assert "slip.signature_invalid" in _slip_alerts(other_site)


def test_a_slip_signed_with_the_old_shared_site_key_is_refused(other_site: Site) -> None:
    """Every device had the demo's HMAC site key: a slip made with it proves nothing now."""
    site_key = hashlib.sha256(b"line-kiosk demo site key: public, not a secret").digest()
    body = (
        "QT09|1|DEMO|TS-ABCDEFGH2345|WO-2026-004217|MO-2026-01100|Teddy bear|20000|"
        f"CUT-L02|SEW-L03|DE-Hamburg|E1001|{int(other_site.clock.now().timestamp())}"
    )
    mac = hmac.new(site_key, body.encode(), hashlib.sha256).digest()[:16]
    payload = f"{body}|{base64.b32encode(mac).decode().rstrip('=')}"
    assert _refused_at_sewing(other_site, payload) is ErrorCode.SLIP_OLD_FORMAT
    assert "slip.old_format" in _slip_alerts(other_site)


def test_a_key_of_another_lines_kiosk_cannot_sign_for_cut_l02(site: Site, other_site: Site) -> None:
    with other_site.database.writer() as session:
        remember_slip_key(session, STRANGER.public_key, device_id=uuid.uuid4(), line_code="CUT-L01")
        session.commit()
    payload = forged(_payload(_prepare(site)), STRANGER)
    assert _refused_at_sewing(other_site, payload) is ErrorCode.SLIP_SIGNER_OTHER_LINE


def test_a_revoked_kiosks_slips_are_refused_from_then_on(site: Site, other_site: Site) -> None:
    payload = _payload(_prepare(site))
    with other_site.database.writer() as session:
        session.execute(update(SlipKey).values(revoked_at=other_site.clock.now()))
        session.commit()
    assert _refused_at_sewing(other_site, payload) is ErrorCode.SLIP_KEY_REVOKED
    assert "slip.key_revoked" in _slip_alerts(other_site)


def test_a_slip_older_than_a_week_is_refused_and_the_operator_is_told_why(
    qapp: object, site: Site, other_site: Site
) -> None:
    payload = _payload(_prepare(site))
    other_site.clock.advance(WEEK + 60)
    code = _refused_at_sewing(other_site, payload)
    assert code is ErrorCode.SLIP_TOO_OLD
    assert _slip_alerts(other_site) == []  # a genuine slip, just old: no alarm
    sewing = other_site.services("SEW-L03")
    refusal = refusal_of(
        lambda: sewing.transfers.check_slip(other_site.login(sewing, "E2001"), payload)
    )
    message = describe(refusal, TimeFormatter("UTC"))
    assert "too old" in message.text and "21 Nov" in message.text
    assert "more than 7 days ago" in message.text
    assert "print the slip again" in message.hint


def test_the_age_limit_is_a_setting(site: Site, other_site: Site) -> None:
    payload = _payload(_prepare(site))
    other_site.clock.advance(2 * 86_400)
    two_days = Policies(slip_max_age=timedelta(days=1))
    assert _refused_at_sewing(other_site, payload, two_days) is ErrorCode.SLIP_TOO_OLD
    sewing = other_site.services("SEW-L03")  # the default week: still good
    dewi = other_site.login(sewing, "E2001")
    assert sewing.transfers.receive(dewi, payload, "50").accepted


def test_a_reprinted_slip_of_an_old_handoff_is_accepted(site: Site, other_site: Site) -> None:
    prepared = _prepare(site)
    site.clock.advance(WEEK * 2)
    other_site.clock.advance(WEEK * 2)
    cutting = site.services("CUT-L02")
    rina = site.login(cutting, "E1001")
    reprint = cutting.transfers.slip_document(rina, prepared.transfer.id, reprint=True)
    assert reprint.qr_payload is not None
    assert _refused_at_sewing(other_site, _payload(prepared)) is ErrorCode.SLIP_TOO_OLD
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    outcome = sewing.transfers.receive(dewi, reprint.qr_payload, "50")
    assert outcome.accepted
    assert outcome.transfer_id == prepared.transfer.id  # one id for the handoff on both kiosks
