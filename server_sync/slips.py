"""The server checks the slip of every pushed receive, as the receiving kiosk did.

A receiving kiosk's `transfer.accepted` / `transfer.held` carries the slip as scanned.
The server verifies it with the public key the sending device sent at enrolment: the key
must be known and not revoked (nor its device), the signature must match, the key's
device must serve the line the slip comes from, the slip must not be older than the
site's limit, and what it says (transfer, work order, quantity, from, to, and the
article and destination the clearance checks read) must be what the event says.
Anything else raises `SlipRefusedError`, which the handler answers as `rejected` with
`slip_refused: …`; nothing changes.

A slip id alone is accepted only for a transfer the server already has from the sending
kiosk's own `transfer.prepared`: the receiver learned it from the feed, not the paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.errors import RefusalError
from kiosk.domain.events import TransferCounted
from kiosk.domain.slip import ARTICLE_CHARS, DEFAULT_MAX_AGE, Slip, decode_slip, is_slip_id
from kiosk.domain.slip_keys import VerifyingKey
from kiosk.domain.transfer import ORIGIN_PREPARED
from kiosk.services.transfer_rows import slip_of
from kiosk.store.models import Line, SiteSetting, Transfer
from server_sync.models import DEVICE_DESKTOP, Device, DeviceKey

SLIP_REFUSED = "slip_refused"


class SlipRefusedError(Exception):
    """The pushed slip does not hold: `why` is the slip refusal's code, `detail` its fields."""

    reason = SLIP_REFUSED

    def __init__(self, why: str, **detail: Any) -> None:
        super().__init__(f"{SLIP_REFUSED}: {why}")
        self.why = why
        self.detail: dict[str, Any] = {
            key: value if isinstance(value, int | str | None) else str(value)
            for key, value in detail.items()
        }


@dataclass(frozen=True)
class SlipPolicy:
    """How old a slip may be (the kiosks' `slip_max_age_days`, mirrored on the server)."""

    max_age: timedelta = DEFAULT_MAX_AGE


_policy = SlipPolicy()


def set_slip_policy(policy: SlipPolicy) -> None:
    """Set once at start from the server's settings (`slip_max_age_days`)."""
    global _policy  # noqa: PLW0603  (a setting read once per process, never request state)
    _policy = policy


def slip_policy() -> SlipPolicy:
    return _policy


def verify_pushed_slip(
    session: Session, event: TransferCounted, *, now: datetime, policy: SlipPolicy | None = None
) -> Slip:
    """The verified slip behind a pushed receive; raises `SlipRefusedError`.

    The age is judged at the count (the receiver may have been offline), but never at a
    time before `now - max_age`: a device clock set back buys a slip one more week at most.
    """
    policy = policy or _policy
    scanned = event.slip
    if is_slip_id(scanned):
        slip = _known_transfer_slip(session, event, scanned)
    else:
        counted_at = max(min(event.counted_at, now), now - policy.max_age)
        try:
            signed = decode_slip(
                scanned,
                site_code=_site_code(session),
                key_of=lambda key_id: _verifying_key(session, key_id),
                now=counted_at,
                max_age=policy.max_age,
                department_of=lambda code: _department_of(session, code),
            )
        except RefusalError as refusal:
            raise SlipRefusedError(refusal.code.value, **refusal.fields) from None
        slip = signed.slip
    _check_content(slip, event)
    return slip


def _site_code(session: Session) -> str:
    row = session.get(SiteSetting, "site_code")
    return "SITE" if row is None else row.value


def _verifying_key(session: Session, key_id: str) -> VerifyingKey | None:
    """The stored key and its device; revoked if either was revoked."""
    found = session.execute(
        select(DeviceKey, Device)
        .join(Device, Device.id == DeviceKey.device_id)
        .where(DeviceKey.key_id == key_id)
    ).first()
    if found is None:
        return None
    key, device = found
    desktop = device.kind == DEVICE_DESKTOP
    return VerifyingKey(
        key.key_id,
        key.public_key,
        None if desktop else device.line_code,
        key.revoked_at or device.revoked_at,
        device.department if desktop else None,
    )


def _department_of(session: Session, line_code: str) -> str | None:
    department = session.scalar(select(Line.department).where(Line.code == line_code))
    return None if department is None else department.value


def _known_transfer_slip(session: Session, event: TransferCounted, slip_id: str) -> Slip:
    transfer = session.scalar(select(Transfer).where(Transfer.slip_id == slip_id))
    if transfer is None or transfer.origin != ORIGIN_PREPARED:
        raise SlipRefusedError("slip.id_only", slip_id=slip_id)
    return slip_of(transfer)


def _check_content(slip: Slip, event: TransferCounted) -> None:
    """The event describes the very batch the slip does."""
    pairs = {
        "transfer_id": (slip.transfer_id, event.transfer_id),
        "slip_id": (slip.slip_id, event.slip_id),
        "work_order": (slip.work_order_number, event.work_order_number),
        "quantity": (slip.quantity, event.quantity),
        "from_line": (slip.from_line, event.from_line),
        "to_line": (slip.to_line, event.to_line),
        # What the server's clearance and segregation checks read from the event.
        "article": (slip.article, event.article[:ARTICLE_CHARS]),
        "destination": (slip.destination, event.destination),
        "mo_number": (slip.mo_number, event.mo_number),
        "site": (slip.site_code, event.site),
    }
    for name, (on_slip, in_event) in pairs.items():
        if on_slip != in_event:
            raise SlipRefusedError("content_mismatch", field=name)
