"""The server's privileged identity requests over HTTP (`kiosk.services.identity.IdentityServer`).

Each request is sent once (a PIN it carries must count once on the server). No answer,
or a server error, is "this needs the server": nothing was changed and nothing is queued.
The server's refusal becomes the kiosk's own refusal code, so the screen says what
happened in its words; the changed rows of an applied request are stored at once, and a
sync round is asked for (an alert or another row may have changed with them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.services.admin import AdminList, AdminOperation
from kiosk.services.identity import IdentityOperation, Proof, ServerAnswer
from kiosk.sync.client import SyncClient, SyncError
from kiosk.sync.local import SyncStore
from kiosk.sync.messages import Change

log = logging.getLogger(__name__)

IDENTITY_PATH = "/v1/identity/"
ADMIN_PATH = "/v1/admin/"
ADMIN_TICKET_HEADER = "X-Admin-Ticket"  # server_sync.admin_ticket.HEADER

# The server's refusal codes, as the kiosk's own (with the fields its messages use).
_REFUSALS: dict[str, tuple[ErrorCode, tuple[str, ...]]] = {
    "wrong_pin": (ErrorCode.WRONG_PIN, ("attempts_left",)),
    "account_locked": (ErrorCode.ACCOUNT_LOCKED, ("until", "just_locked")),
    "permission_denied": (ErrorCode.PERMISSION_DENIED, ("role", "action")),
    "out_of_scope": (ErrorCode.OUT_OF_SCOPE, ("department",)),
    "not_on_this_device": (ErrorCode.NOT_ASSIGNED_TO_LINE, ("employee_no", "line")),
    "unknown_actor": (ErrorCode.UNKNOWN_EMPLOYEE, ()),
    "unknown_user": (ErrorCode.UNKNOWN_EMPLOYEE, ()),
    "badge_in_use": (ErrorCode.BADGE_IN_USE, ("employee_no", "name")),
    "badge_not_bound": (ErrorCode.BADGE_NOT_BOUND, ("employee_no",)),
    "not_locked": (ErrorCode.NOT_LOCKED, ("employee_no",)),
    "pin_format": (ErrorCode.PIN_FORMAT, ("min_digits", "max_digits")),
    "pin_already_set": (ErrorCode.PIN_ALREADY_SET, ("employee_no",)),
    "badge_mismatch": (ErrorCode.BADGE_UNKNOWN, ()),
    "wrong_setup_code": (ErrorCode.SETUP_CODE_WRONG, ("attempts_left",)),
    "setup_code_expired": (ErrorCode.SETUP_CODE_EXPIRED, ()),
    # An admin's form: each problem names its field and reason (the integration API's).
    "rows_refused": (ErrorCode.ROWS_REFUSED, ("problems", "message")),
}


# Refusals whose cause the kiosk has not pulled yet: a sync round is asked for at once.
_PULL_NOW = frozenset({ErrorCode.ACCOUNT_LOCKED, ErrorCode.PIN_ALREADY_SET})


class HttpIdentityServer:
    """Talks to the kiosk's own server with its device token; stores what it answers."""

    def __init__(
        self,
        client: SyncClient,
        store: SyncStore,
        line_code: str | None,
        *,
        changed: Callable[[], None] | None = None,
    ) -> None:
        self._client = client
        self._store = store
        self._line_code = line_code
        self._changed = changed

    def submit(
        self, operation: IdentityOperation, proof: Proof | None, body: Mapping[str, Any]
    ) -> ServerAnswer:
        sent = dict(body) if proof is None else {"actor": proof.to_json(), **body}
        return self._post(IDENTITY_PATH + operation.value, sent)

    def submit_admin(
        self, operation: AdminOperation, proof: Proof, body: Mapping[str, Any]
    ) -> ServerAnswer:
        """An admin's site change: the rows come with the pull asked for at once."""
        return self._post(ADMIN_PATH + operation.value, {"actor": proof.to_json(), **body})

    def read_admin(
        self, view: AdminList, ticket: str, params: Mapping[str, Any]
    ) -> dict[str, Any] | str:
        """An admin's list page or CSV, with the session's ticket."""
        try:
            status, answer = self._client.get_once(
                ADMIN_PATH + view.value, dict(params), {ADMIN_TICKET_HEADER: ticket}
            )
        except SyncError as error:
            log.warning("%s needs the server, which did not answer: %s", view.value, error)
            raise RefusalError(ErrorCode.NEEDS_SERVER) from None
        if status != 200:
            raise refusal_of(status, answer if isinstance(answer, dict) else {})
        return answer

    def _post(self, path: str, sent: dict[str, Any]) -> ServerAnswer:
        try:
            status, answer = self._client.post_once(path, sent)
        except SyncError as error:
            log.warning("%s needs the server, which did not answer: %s", path, error)
            raise RefusalError(ErrorCode.NEEDS_SERVER) from None
        if status != 200:
            refusal = refusal_of(status, answer)
            if refusal.code in _PULL_NOW and self._changed is not None:
                self._changed()  # the lock (or a PIN set elsewhere) comes with the next pull
            raise refusal
        changes = [
            Change(0, str(row["entity"]), str(row["key"]), row["data"])
            for row in answer.get("changes") or []
        ]
        self._store.store_rows(changes, self._line_code)
        if self._changed is not None:
            self._changed()
        return ServerAnswer(
            {key: value for key, value in answer.items() if key not in {"changes", "result"}}
        )


def refusal_of(status: int, detail: Mapping[str, Any]) -> RefusalError:
    """The server's refusal as the kiosk's own refusal code."""
    code = str(detail.get("code", ""))
    known = _REFUSALS.get(code)
    if known is None:  # also a refused token (401): the server's message says so
        message = str(detail.get("message") or code or status)
        return RefusalError(ErrorCode.SERVER_REFUSED, message=message[:200])
    error_code, names = known
    fields = {name: detail.get(name) for name in names}
    if error_code is ErrorCode.ACCOUNT_LOCKED and isinstance(fields["until"], str):
        fields["until"] = datetime.fromisoformat(fields["until"])
    if error_code is ErrorCode.OUT_OF_SCOPE:
        fields["action"] = ""
    return RefusalError(error_code, **fields)
