"""HTTP to server_sync: one JSON call per sync round, and the one-time enrolment.

Connection failures are retried a couple of times at once by urllib3 (a push may be
sent twice: the server answers a repeated event from its record, never re-applies
it); longer outages are the sync worker's backoff. Every failure becomes a
`SyncError` whose kind the health strip can name.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kiosk.sync.messages import SyncRequest, SyncResponse

log = logging.getLogger(__name__)

SYNC_PATH = "/v1/sync"
ENROL_PATH = "/v1/enrol"
REWOUND_CODE = "incarnation_rewound"


class SyncErrorKind(StrEnum):
    OFFLINE = "offline"  # no answer: network down, server stopped, timeout
    REFUSED = "refused"  # the token was refused (revoked or unknown): enrol again
    REWOUND = "rewound"  # this database was restored from a backup
    SERVER = "server"  # the server failed (5xx): it is retried
    PROTOCOL = "protocol"  # the server did not accept our request (4xx): a bug to report
    ENROLMENT = "enrolment"  # the enrolment code was refused


class SyncError(Exception):
    # `kind` and `message` are positional-only: the server's error detail, passed on as
    # `fields`, has a "message" of its own.
    def __init__(self, kind: SyncErrorKind, message: str, /, **fields: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.fields = fields


class SyncClient:
    """Talks to one server; `token` is the device's bearer token (None before enrolment)."""

    def __init__(
        self, base_url: str, token: str | None = None, *, timeout_seconds: float = 15.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout_seconds
        self._http = requests.Session()
        retry = Retry(
            total=2,
            connect=2,
            read=1,
            status=0,
            backoff_factor=0.2,
            backoff_jitter=0.2,
            allowed_methods=None,  # POST too: a repeated push is answered, not re-applied
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=2)
        self._http.mount("http://", adapter)
        self._http.mount("https://", adapter)

    def close(self) -> None:
        self._http.close()

    def exchange(self, request: SyncRequest) -> SyncResponse:
        """One typed round trip (through `sync`, the JSON call)."""
        return SyncResponse.from_json(self.sync(request.to_json()))

    def sync(self, request: dict[str, Any]) -> dict[str, Any]:
        if self._token is None:
            raise SyncError(SyncErrorKind.REFUSED, "this kiosk is not enrolled")
        return self._post(SYNC_PATH, request, {"Authorization": f"Bearer {self._token}"})

    def enrol(self, code: str, name: str, slip_public_key: str | None = None) -> dict[str, Any]:
        body = {"code": code, "name": name}
        if slip_public_key is not None:
            body["slip_public_key"] = slip_public_key
        try:
            return self._post(ENROL_PATH, body, {})
        except SyncError as error:
            if error.kind in (SyncErrorKind.REFUSED, SyncErrorKind.PROTOCOL):
                raise SyncError(SyncErrorKind.ENROLMENT, str(error), **error.fields) from error
            raise

    def _post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        url = self.base_url + path
        try:
            response = self._http.post(url, json=body, headers=headers, timeout=self._timeout)
        except requests.RequestException as error:
            raise SyncError(SyncErrorKind.OFFLINE, f"{url}: {_short(error)}") from error
        if response.status_code == 200:
            try:
                answer = response.json()
            except ValueError as error:
                raise SyncError(SyncErrorKind.SERVER, f"{url}: not JSON") from error
            if not isinstance(answer, dict):
                raise SyncError(SyncErrorKind.SERVER, f"{url}: unexpected answer")
            return answer
        detail = _detail(response)
        if response.status_code in (401, 403):
            raise SyncError(SyncErrorKind.REFUSED, detail.get("message", "access refused"))
        if response.status_code == 409 and detail.get("code") == REWOUND_CODE:
            raise SyncError(SyncErrorKind.REWOUND, detail.get("message", "rewound"), **detail)
        if response.status_code >= 500:
            raise SyncError(SyncErrorKind.SERVER, f"server error {response.status_code}")
        raise SyncError(
            SyncErrorKind.PROTOCOL,
            f"{url} answered {response.status_code}: {detail.get('message', '')}"[:300],
            **detail,
        )


def _detail(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        return detail
    if isinstance(detail, str):
        return {"message": detail}
    return {"message": str(detail)[:200]} if detail else {}


def _short(error: Exception) -> str:
    """The last line of a requests error: 'Connection refused', 'Read timed out'."""
    text = str(error)
    for marker in ("Connection refused", "timed out", "Name or service not known", "reset"):
        if marker in text:
            return marker
    return text[-120:]
