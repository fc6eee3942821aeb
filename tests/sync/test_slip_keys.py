"""Slip keys per device, through a real server on PostgreSQL with enrolled kiosks.

Each kiosk makes its own Ed25519 key pair at enrolment and keeps the private half; the
server stores the public half and hands it to every device of the site through the feed.
A receiving kiosk checks slips offline with it; the server checks the slip of every
pushed receive again. A forged, old-format, revoked-key, mismatched or week-old slip is
`rejected` (`slip_refused: …`) and changes nothing centrally, while the kiosk's other
events still sync.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kiosk.domain.errors import ErrorCode
from kiosk.domain.events import EventKind, TransferCounted
from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.domain.slip import Slip, encode_slip, read_slip
from kiosk.domain.slip_keys import SlipSigner, key_id_of
from kiosk.domain.transfer import TransferStatus
from kiosk.store.models import Alert, SlipKey, Transfer, WipMovement, WorkOrder
from kiosk.store.secrets import SLIP_SIGNING_KEY_NAME
from server_sync import devices
from server_sync.models import Device, DeviceKey, SiteSecret
from tests.helpers.central import CentralDatabase, KioskNode
from tests.helpers.refusals import refusal_of
from tests.helpers.slips import forged, key_id_of_slip
from tests.helpers.sync_raw import outbox_answer, queue_event, user_id
from tests.sync.conftest import KioskFactory

CUTTING_WO = "WO-2026-004217"  # CUT-L02, IN_PROGRESS, R2 (CUT -> SEW), 72 good
STRANGER = SlipSigner(hashlib.sha256(b"an attacker's own key").digest())


def _prepare(cutting: KioskNode, quantity: str = "40") -> str:
    """A genuine handoff from CUT-L02 to SEW-L03; returns the QR payload of its slip."""
    rina = cutting.login("E1001")
    with cutting.database.reader() as session:
        work_order_id = session.scalar(select(WorkOrder.id).where(WorkOrder.number == CUTTING_WO))
    assert work_order_id is not None
    prepared = cutting.services.transfers.prepare(rina, work_order_id, quantity, "SEW-L03")
    assert prepared.document.qr_payload is not None
    return prepared.document.qr_payload


def _accepted(
    central: CentralDatabase,
    slip: Slip,
    scanned: str,
    *,
    quantity: int | None = None,
    counted_qty: int | None = None,
) -> dict[str, Any]:
    """The count a receiving kiosk sends for `slip`, carrying `scanned`: accepted, or held
    when `counted_qty` differs from the quantity sent."""
    sent = slip.quantity if quantity is None else quantity
    counted = sent if counted_qty is None else counted_qty
    event = TransferCounted(
        kind=EventKind.TRANSFER_ACCEPTED if counted == sent else EventKind.TRANSFER_HELD,
        actor_id=user_id(central, "E2001"),
        transfer_id=slip.transfer_id,
        slip_id=slip.slip_id,
        site=slip.site_code,
        work_order_number=slip.work_order_number,
        mo_number=slip.mo_number,
        article=slip.article,
        destination=slip.destination,
        quantity=sent,
        from_line=slip.from_line,
        to_line=slip.to_line,
        from_department=Department.CUT,
        to_department=Department.SEW,
        status="ACCEPTED" if counted == sent else "HELD",
        prepared_by=slip.prepared_by,
        prepared_at=slip.prepared_at,
        counted_qty=counted,
        counted_by="E2001",
        counted_at=datetime.now(UTC),
        accepted_qty=counted if counted == sent else None,
        version=2,
        slip=scanned,
    )
    return event.to_payload()


def _central_transfers(central: CentralDatabase) -> int:
    with central.session() as session:
        return int(session.scalar(select(func.count()).select_from(Transfer)) or 0)


def _push_raw(sewing: KioskNode, payload: dict[str, Any]) -> tuple[str | None, str | None]:
    """The event in SEW-L03's outbox as a tampered kiosk would put it, pushed by a sync."""
    kind = (
        EventKind.TRANSFER_ACCEPTED if payload["status"] == "ACCEPTED" else EventKind.TRANSFER_HELD
    )
    event_id = queue_event(sewing, kind.value, payload)
    sewing.login("E2001")  # another event of the same batch: it must still be applied
    report = sewing.sync()
    assert report.answers.get("applied", 0) >= 1
    return outbox_answer(sewing, event_id)


def _old_site_key_slip() -> str:
    site_key = hashlib.sha256(b"line-kiosk demo site key: public, not a secret").digest()
    body = (
        "QT09|1|DEMO|TS-ABCDEFGH2345|WO-2026-004217|MO-2026-01100|Teddy bear|20000|"
        f"CUT-L02|SEW-L03|DE-Hamburg|E1001|{int(datetime.now(UTC).timestamp())}"
    )
    mac = hmac.new(site_key, body.encode(), hashlib.sha256).digest()[:16]
    return f"{body}|{base64.b32encode(mac).decode().rstrip('=')}"


# ---------------------------------------------------------------------- enrolment and the feed
def test_each_kiosk_has_its_own_key_and_every_kiosk_of_the_site_learns_the_public_ones(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    cutting.sync()
    keys = {}
    for node in (cutting, sewing):
        private = node.secrets.get(SLIP_SIGNING_KEY_NAME)
        assert private is not None
        keys[node.line_code] = SlipSigner(private)
    assert keys["CUT-L02"].key_id != keys["SEW-L03"].key_id
    with central.session() as session:
        stored = {
            device.line_code: key
            for key, device in session.execute(
                select(DeviceKey, Device).join(Device, Device.id == DeviceKey.device_id)
            ).all()
        }
        # The site's shared slip key is gone: nobody is handed one any more.
        names = set(session.scalars(select(SiteSecret.name)))
    assert not any(name.startswith("site-key-") for name in names)
    for line, signer in keys.items():
        assert stored[line].public_key == signer.public_key
        assert stored[line].key_id == key_id_of(signer.public_key) == signer.key_id
    for node in (cutting, sewing):
        assert not any(path.name.startswith("site-key-") for path in node.secrets.folder.iterdir())
        with node.database.reader() as session:
            known = {row.key_id: row.line_code for row in session.scalars(select(SlipKey))}
        assert known == {keys["CUT-L02"].key_id: "CUT-L02", keys["SEW-L03"].key_id: "SEW-L03"}


def test_a_handoff_between_two_enrolled_kiosks_still_works_end_to_end(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    payload = _prepare(cutting)
    sewing.sync()  # knows Cutting's public key; Cutting itself has not synced (offline)
    dewi = sewing.login("E2001")
    outcome = sewing.services.transfers.receive(dewi, payload, "40")
    assert outcome.accepted
    report = sewing.sync()
    assert report.answers.get("rejected", 0) == 0
    cutting.sync()
    with central.session() as session:
        row = session.scalar(select(Transfer).where(Transfer.slip_id == outcome.slip_id))
        assert row is not None
        assert (row.status, row.accepted_qty, row.id) == (
            TransferStatus.ACCEPTED,
            40,
            read_slip(payload)[0].slip.transfer_id,
        )


def test_a_slip_id_alone_works_once_the_server_has_the_senders_transfer(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    slip_id = read_slip(_prepare(cutting, "30"))[0].slip.slip_id
    cutting.sync()
    sewing.sync()
    dewi = sewing.login("E2001")
    checked = sewing.services.transfers.check_slip_id(dewi, slip_id)
    assert sewing.services.transfers.receive(dewi, checked.payload, "30").accepted
    assert sewing.sync().answers.get("rejected", 0) == 0
    with central.session() as session:
        status = session.scalar(select(Transfer.status).where(Transfer.slip_id == slip_id))
    assert status is TransferStatus.ACCEPTED


# ---------------------------------------------------------------------- forged slips, pushed raw
def test_forged_and_old_format_slips_pushed_raw_are_rejected_by_the_server(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    genuine = _prepare(cutting)
    slip = read_slip(genuine)[0].slip
    before = _central_transfers(central)
    attempts = {
        "slip.key_unknown": forged(genuine, STRANGER),
        "slip.signature_invalid": forged(
            genuine, STRANGER, claim_key_id=key_id_of_slip(genuine), quantity=5000
        ),
        "slip.old_format": _old_site_key_slip(),
    }
    for why, scanned in attempts.items():
        quantity = read_slip(scanned)[0].slip.quantity if scanned.startswith("QT09:") else None
        result, reason = _push_raw(sewing, _accepted(central, slip, scanned, quantity=quantity))
        assert result == "rejected", why
        assert reason is not None and reason.startswith("slip_refused:"), reason
        assert f"why={why}" in reason
    # The genuine slip with the count it does not say is refused too.
    result, reason = _push_raw(sewing, _accepted(central, slip, genuine, quantity=20_000))
    assert (result, reason) == ("rejected", "slip_refused: field=quantity, why=content_mismatch")
    assert _central_transfers(central) == before  # no handoff was invented
    with central.session() as session:
        assert session.scalar(select(func.count()).select_from(WipMovement)) == 0
    # The same kiosk scanning the forgeries refuses them too.
    dewi = sewing.login("E2001")
    for why, scanned in attempts.items():
        refusal = refusal_of(lambda s=scanned: sewing.services.transfers.check_slip(dewi, s))
        assert refusal.code.value == why
    # And the genuine slip, honestly counted, still goes through.
    assert sewing.services.transfers.receive(dewi, genuine, "40").accepted
    assert sewing.sync().answers.get("rejected", 0) == 0


def test_a_slip_older_than_a_week_is_refused_by_the_kiosk_and_by_the_server(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    genuine = _prepare(cutting)
    signed = read_slip(genuine)[0]
    private = cutting.secrets.get(SLIP_SIGNING_KEY_NAME)
    assert private is not None
    eight_days_ago = datetime.now(UTC) - timedelta(days=8)
    old = encode_slip(
        Slip(**{**signed.slip.__dict__, "prepared_at": eight_days_ago.replace(microsecond=0)}),
        SlipSigner(private),
        eight_days_ago,
    )
    sewing.sync()
    dewi = sewing.login("E2001")
    refusal = refusal_of(lambda: sewing.services.transfers.check_slip(dewi, old))
    assert refusal.code is ErrorCode.SLIP_TOO_OLD
    result, reason = _push_raw(sewing, _accepted(central, read_slip(old)[0].slip, old))
    assert result == "rejected" and reason is not None
    assert reason.startswith("slip_refused:") and "why=slip.too_old" in reason
    assert _central_transfers(central) == 0


def test_a_revoked_kiosks_slips_are_refused_after_the_feed_tells_the_receiver(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    before_revocation = _prepare(cutting, "20")
    sewing.sync()
    dewi = sewing.login("E2001")
    assert sewing.services.transfers.check_slip(dewi, before_revocation).work_order_number
    device_id = cutting.store.state().device_id
    assert device_id is not None
    with central.session() as session:
        assert devices.revoke(session, device_id, datetime.now(UTC))
        session.commit()
    # Until the revocation reaches the receiver through the feed, it still trusts the key.
    assert sewing.services.transfers.check_slip(dewi, before_revocation).work_order_number
    sewing.sync()  # now it has
    with sewing.database.reader() as session:
        revoked = session.scalar(
            select(SlipKey.revoked_at).where(SlipKey.key_id == key_id_of_slip(before_revocation))
        )
    assert revoked is not None
    refusal = refusal_of(lambda: sewing.services.transfers.check_slip(dewi, before_revocation))
    assert refusal.code is ErrorCode.SLIP_KEY_REVOKED
    # Pushed raw, the server refuses the revoked key's slip as well.
    slip = read_slip(before_revocation)[0].slip
    result, reason = _push_raw(sewing, _accepted(central, slip, before_revocation))
    assert result == "rejected" and reason is not None
    assert "why=slip.key_revoked" in reason
    assert _central_transfers(central) == 0


def test_a_hold_for_a_slip_that_never_existed_is_rejected(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """The attack of the issue: a Sewing token pushes `transfer.held` for 20,000 pieces of a
    slip no kiosk printed, by its id alone or with a QR code of its own making."""
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    genuine = read_slip(_prepare(cutting))[0].slip
    invented = replace(genuine, transfer_id=new_id(), quantity=20_000)
    own_qr = encode_slip(invented, STRANGER, datetime.now(UTC))
    for scanned, why in ((invented.slip_id, "slip.id_only"), (own_qr, "slip.key_unknown")):
        result, reason = _push_raw(
            sewing, _accepted(central, invented, scanned, counted_qty=19_000)
        )
        assert result == "rejected" and reason is not None, why
        assert reason.startswith("slip_refused:") and f"why={why}" in reason
    assert _central_transfers(central) == 0
    with central.session() as session:
        alerts = session.scalars(
            select(Alert.fields).where(Alert.kind == "quantity_mismatch")
        ).all()
    assert alerts == []  # no hold, no mismatch for a supervisor to chase


def test_a_desktops_key_reaches_the_kiosks_as_its_departments(
    kiosk: KioskFactory, central: CentralDatabase, tmp_path: Path
) -> None:
    sewing = kiosk("SEW-L03")
    desktop = KioskNode(
        tmp_path / "sewing-desktop", sewing.server_url, central.enrolment_code(department="SEW")
    )
    try:
        private = desktop.secrets.get(SLIP_SIGNING_KEY_NAME)
        assert private is not None
        sewing.sync()
        with sewing.database.reader() as session:
            row = session.get(SlipKey, SlipSigner(private).key_id)
        assert row is not None and (row.line_code, row.department) == (None, "SEW")
    finally:
        desktop.close()
