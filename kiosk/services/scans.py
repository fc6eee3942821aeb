"""Scans the kiosk refused: each one leaves an audit entry and changes nothing else."""

from __future__ import annotations

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.services.actor import Actor
from kiosk.store.unit_of_work import SYSTEM_ACTOR, UnitOfWork

SCAN_ACTION = "scan.handle"


class ScanService:
    def __init__(self, uow: UnitOfWork, line_code: str) -> None:
        self._uow = uow
        self._line_code = line_code

    def refuse(self, actor: Actor | None, payload: ScanPayload, screen: str) -> RefusalError:
        """Audit a scan no screen may act on; return the refusal for the UI to show."""
        if payload.kind is PayloadKind.UNKNOWN:
            refusal = RefusalError(
                ErrorCode.SCAN_NOT_RECOGNISED,
                reason=None if payload.reason is None else payload.reason.value,
            )
        else:
            refusal = RefusalError(
                ErrorCode.SCAN_WRONG_KIND, kind=payload.kind.value, screen=screen
            )
        self._uow.record_refusal(
            SYSTEM_ACTOR if actor is None else actor.audit,
            SCAN_ACTION,
            refusal,
            entity="scan",
            entity_id=None,
            attempted={
                "source": payload.source.value,
                "kind": payload.kind.value,
                "text": payload.preview,
                "screen": screen,
                "line": self._line_code,
            },
        )
        return refusal
