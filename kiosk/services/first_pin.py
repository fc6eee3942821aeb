"""A person's first PIN: chosen twice at the kiosk, decided by the server, never queued.

PINs never travel in files: someone new (or reset) has none. At their first badge tap,
or with the one-time setup code an admin printed, they choose one; the kiosk checks its
form and that it was typed the same twice, then sends it to the server as a direct
request, with the badge's UID or the code as proof. The server takes it only while the
person has no PIN and only from a device where they may log in, and publishes the new
hash to every kiosk that serves them. Without the server nothing is changed: a queued
PIN would prove nothing and could be replayed. Each outcome is audited here (never the
PIN, the badge's UID or the code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.pins import check_pin_format
from kiosk.services.identity import IdentityOperation, IdentityServer
from kiosk.services.views import LineView, RosterEntry
from kiosk.store.unit_of_work import AuditActor, UnitOfWork

FIRST_PIN_ACTION = "user.first_pin"


@dataclass(frozen=True)
class FirstPinProof:
    """What proves the person is at the kiosk: their badge's UID, or their setup code."""

    badge_uid: str | None = None
    setup_code: str | None = None

    @property
    def method(self) -> str:
        return "badge" if self.badge_uid is not None else "setup_code"

    def to_json(self) -> dict[str, str]:
        if self.badge_uid is not None:
            return {"badge": self.badge_uid}
        return {"setup_code": self.setup_code or ""}


class FirstPinService:
    """First PINs on one kiosk; `server` None: a kiosk without a server (it says so)."""

    def __init__(self, uow: UnitOfWork, server: IdentityServer | None, line: LineView) -> None:
        self._uow = uow
        self._server = server
        self._line = line

    @property
    def has_server(self) -> bool:
        """Whether this kiosk can ask a server at all (the demo and a standalone kiosk cannot)."""
        return self._server is not None

    def check_new_pin(self, entry: RosterEntry, pin: str, proof: FirstPinProof) -> None:
        """The first typing: refused (and audited) when it does not fit the person's role."""
        try:
            check_pin_format(pin, entry.role)
        except RefusalError as refusal:
            self._audit_refusal(entry, proof, refusal)
            raise

    def refuse_without_server(self, entry: RosterEntry, proof: FirstPinProof) -> None:
        """Say at once that a first PIN needs the server (audited), before anything is typed."""
        if self._server is None:
            refusal = RefusalError(ErrorCode.FIRST_PIN_NEEDS_SERVER, name=entry.name)
            self._audit_refusal(entry, proof, refusal)
            raise refusal

    def choose(self, entry: RosterEntry, pin: str, repeat: str, proof: FirstPinProof) -> None:
        """Send the chosen PIN to the server; on success its hash is stored here already."""
        try:
            check_pin_format(pin, entry.role)
            if pin != repeat:
                raise RefusalError(ErrorCode.PIN_MISMATCH)
            self._send(entry, pin, proof)
        except RefusalError as refusal:
            self._audit_refusal(entry, proof, refusal)
            raise
        with self._uow.action(_actor(entry), FIRST_PIN_ACTION) as tx:
            tx.about("user", entry.user_id, **self._attempted(proof))
            tx.audit(verified_by="server")

    def _send(self, entry: RosterEntry, pin: str, proof: FirstPinProof) -> None:
        if self._server is None:
            raise RefusalError(ErrorCode.FIRST_PIN_NEEDS_SERVER, name=entry.name)
        body = {"user_id": str(entry.user_id), "new_pin": pin, **proof.to_json()}
        try:
            self._server.submit(IdentityOperation.FIRST_PIN, None, body)
        except RefusalError as refusal:
            if refusal.code is ErrorCode.NEEDS_SERVER:
                raise RefusalError(ErrorCode.FIRST_PIN_NEEDS_SERVER, name=entry.name) from None
            raise

    def _audit_refusal(
        self, entry: RosterEntry, proof: FirstPinProof, refusal: RefusalError
    ) -> None:
        self._uow.record_refusal(
            _actor(entry),
            FIRST_PIN_ACTION,
            refusal,
            entity="user",
            entity_id=str(entry.user_id),
            attempted=self._attempted(proof),
        )

    def _attempted(self, proof: FirstPinProof) -> dict[str, Any]:
        return {"method": proof.method, "line": self._line.code}


def _actor(entry: RosterEntry) -> AuditActor:
    return AuditActor(entry.user_id, f"{entry.employee_no} {entry.name}")
