"""A kiosk joins a server once: an admin's one-time code becomes a device token in the keyring.

The kiosk makes its own slip-signing key pair here: the private key goes with the token
to the configured secret store (the system keyring by default) and never leaves the
device; the server gets the public key. The badge key goes beside the database.
Over https without a CA file, the server's certificate is pinned here (kiosk.sync.trust):
its SHA-256 is kept beside the token and shown to the admin to compare.
"""

from __future__ import annotations

import base64
import binascii
import logging
import socket
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import func, select

from kiosk.domain.clock import Clock
from kiosk.domain.roles import Department
from kiosk.domain.slip_keys import SlipSigner, public_key_text
from kiosk.settings import plain_http_refusal
from kiosk.store.database import Database
from kiosk.store.models import Line, OutboxEvent
from kiosk.store.secrets import (
    BADGE_KEY_NAMES,
    RETIRED_SLIP_KEY_PREFIX,
    SLIP_SIGNING_KEY_NAME,
    FileSecretStore,
    SecretStore,
)
from kiosk.sync.client import SyncClient, SyncError, SyncErrorKind
from kiosk.sync.local import SyncStore
from kiosk.sync.trust import (
    SERVER_FINGERPRINT_NAME,
    ServerTrust,
    fetch_certificate_fingerprint,
    format_fingerprint,
    is_https,
)

log = logging.getLogger(__name__)

DEVICE_TOKEN_NAME = "device-token"


LINE_GONE_CODE = "enrolment_line_gone"  # the code's line was retired after it was made
LOCKED_OUT_CODE = "enrolment_locked_out"  # too many wrong codes from this address


class EnrolmentFailure(StrEnum):
    """What went wrong, for a screen to word it and offer the right way back."""

    WRONG_CODE = "wrong_code"  # unknown, used or expired
    UNREACHABLE = "unreachable"  # no answer at the address
    CERTIFICATE = "certificate"  # not the certificate expected (or not trusted)
    LINE_GONE = "line_gone"  # the code is for a line the server no longer has
    LOCKED_OUT = "locked_out"  # too many wrong codes: wait
    INSECURE = "insecure"  # plain http:// to another computer
    ALREADY_SET_UP = "already_set_up"  # this database holds a site already
    OTHER = "other"


class EnrolmentRefusedError(Exception):
    """The kiosk cannot be enrolled as asked; the message says why and what to do."""

    def __init__(self, message: str, kind: EnrolmentFailure = EnrolmentFailure.OTHER) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Enrolled:
    device_kind: str
    line_code: str | None
    department: Department
    site_code: str
    server_fingerprint: str | None = None  # the pinned certificate's SHA-256, for the admin


def enrolment_client(
    url: str,
    *,
    ca_file: Path | None = None,
    expected_fingerprint: bytes | None = None,
    timeout_seconds: float = 15.0,
) -> SyncClient:
    """The client an enrolment talks through, its trust decided before the code is sent.

    Plain http:// to another computer is refused here, before connecting. Over https
    without a CA file, the certificate the server presents now is pinned (trust on first
    use); `expected_fingerprint`, when the admin gives it, must match or nothing is sent.
    """
    refusal = plain_http_refusal(url)
    if refusal is not None:
        raise EnrolmentRefusedError(refusal, EnrolmentFailure.INSECURE)
    if ca_file is not None:
        return SyncClient(url, timeout_seconds=timeout_seconds, trust=ServerTrust(ca_file=ca_file))
    if not is_https(url):
        return SyncClient(url, timeout_seconds=timeout_seconds)  # this computer only
    try:
        seen = fetch_certificate_fingerprint(url, timeout_seconds)
    except (OSError, ValueError) as error:
        raise EnrolmentRefusedError(
            f"The server could not be reached: {url}: {error}", EnrolmentFailure.UNREACHABLE
        ) from error
    if expected_fingerprint is not None and seen != expected_fingerprint:
        raise EnrolmentRefusedError(
            f"The server at {url} presents the certificate {format_fingerprint(seen)}, not "
            f"{format_fingerprint(expected_fingerprint)}. Nothing was sent: check the address "
            "and the network before enrolling.",
            EnrolmentFailure.CERTIFICATE,
        )
    return SyncClient(url, timeout_seconds=timeout_seconds, trust=ServerTrust(fingerprint=seen))


def token_text(token: bytes) -> str:
    return base64.urlsafe_b64encode(token).decode("ascii").rstrip("=")


def stored_token(secrets: SecretStore) -> str | None:
    raw = secrets.get(DEVICE_TOKEN_NAME)
    return None if raw is None else token_text(raw)


def enrol_kiosk(
    database: Database,
    database_path: Path,
    *,
    secrets: SecretStore,
    client: SyncClient,
    code: str,
    clock: Clock,
    name: str | None = None,
) -> Enrolled:
    """Exchange the code, keep the token and keys, and remember the device in sync_state."""
    store = SyncStore(database)
    if not store.state().is_enrolled and _has_local_site(database):
        raise EnrolmentRefusedError(
            "This kiosk's database already holds a site that did not come from a server "
            "(a demo?). Enrol with an empty data folder.",
            EnrolmentFailure.ALREADY_SET_UP,
        )
    signer = SlipSigner.generate()
    try:
        answer = client.enrol(
            code, name or socket.gethostname(), slip_public_key=public_key_text(signer.public_key)
        )
    except SyncError as error:
        raise _refusal(error) from error
    try:
        token = base64.urlsafe_b64decode(str(answer["token"]) + "==")
        keys = {name: base64.b64decode(value) for name, value in answer["keys"].items()}
        department = Department(answer["department"])
    except (KeyError, ValueError, binascii.Error) as error:
        raise EnrolmentRefusedError(f"The server's answer cannot be used: {error}") from error
    secrets.put(DEVICE_TOKEN_NAME, token)
    pinned = client.trust.fingerprint if client.trust.ca_file is None else None
    if pinned is not None:
        secrets.put(SERVER_FINGERPRINT_NAME, pinned)
    secrets.put(SLIP_SIGNING_KEY_NAME, signer.private_key)
    badge_store = FileSecretStore.beside(database_path)
    for key_name, key in keys.items():
        if key_name.startswith(RETIRED_SLIP_KEY_PREFIX):
            continue  # an old server's site slip key: slips are signed per device now
        (badge_store if key_name in BADGE_KEY_NAMES else secrets).put(key_name, key)
    if _outbox_size(database):
        # Events of an earlier enrolment: numbered afresh for the new device identity.
        store.start_new_incarnation(clock.now(), lost=None)
    store.enrol(
        device_id=uuid.UUID(str(answer["device_id"])),
        device_kind=str(answer["kind"]),
        line_code=answer.get("line"),
        department=department,
        server_url=client.base_url,
        now=clock.now(),
    )
    log.info("enrolled as device %s for %s", answer["device_id"], answer.get("line") or department)
    return Enrolled(
        device_kind=str(answer["kind"]),
        line_code=answer.get("line"),
        department=department,
        site_code=str(answer.get("site_code", "")),
        server_fingerprint=None if pinned is None else format_fingerprint(pinned),
    )


def _refusal(error: SyncError) -> EnrolmentRefusedError:
    """The server's (or the network's) no, named for the CLI and the setup screen."""
    if error.kind is SyncErrorKind.ENROLMENT:
        code, said = error.fields.get("code"), error.fields.get("message", str(error))
        if code == LINE_GONE_CODE:
            message = f"The server refused: {said}. Ask an admin for a code for an active line."
            return EnrolmentRefusedError(message, EnrolmentFailure.LINE_GONE)
        if code == LOCKED_OUT_CODE:
            return EnrolmentRefusedError(f"The server refused: {said}", EnrolmentFailure.LOCKED_OUT)
        return EnrolmentRefusedError(
            "The server refused this code: it is unknown, used or expired. "
            "Ask an admin for a new one.",
            EnrolmentFailure.WRONG_CODE,
        )
    kind = _FAILURE_OF.get(error.kind)
    if kind is EnrolmentFailure.UNREACHABLE:
        return EnrolmentRefusedError(f"The server could not be reached: {error}", kind)
    if kind is not None:
        return EnrolmentRefusedError(str(error), kind)
    return EnrolmentRefusedError(f"The server could not enrol this kiosk: {error}")


_FAILURE_OF = {
    SyncErrorKind.OFFLINE: EnrolmentFailure.UNREACHABLE,
    SyncErrorKind.INSECURE: EnrolmentFailure.INSECURE,
    SyncErrorKind.CERTIFICATE_CHANGED: EnrolmentFailure.CERTIFICATE,
    SyncErrorKind.CERTIFICATE_UNTRUSTED: EnrolmentFailure.CERTIFICATE,
}


def _has_local_site(database: Database) -> bool:
    with database.reader() as session:
        return session.scalar(select(Line.id).limit(1)) is not None


def _outbox_size(database: Database) -> int:
    with database.reader() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxEvent)) or 0)
