"""HTTP to server_sync: one JSON call per sync round, and the one-time enrolment.

Connection failures are retried a couple of times at once by urllib3 (a push may be
sent twice: the server answers a repeated event from its record, never re-applies
it); longer outages are the sync worker's: it probes `/health` (one cheap GET, no
retries, a short timeout) every few seconds until the server answers. Every failure
becomes a `SyncError` whose kind the health strip can name.
"""

from __future__ import annotations

import json
import logging
import re
from enum import StrEnum
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kiosk.settings import plain_http_refusal
from kiosk.sync.messages import SyncRequest, SyncResponse
from kiosk.sync.trust import PinnedCertificateAdapter, ServerTrust

log = logging.getLogger(__name__)

SYNC_PATH = "/v1/sync"
ENROL_PATH = "/v1/enrol"
BADGE_REHASH_PATH = "/v1/badges/rehash"
HEALTH_PATH = "/health"
REWOUND_CODE = "incarnation_rewound"
TOO_LARGE_CODE = "too_large"  # the request body is over the server's limit (413)


class SyncErrorKind(StrEnum):
    OFFLINE = "offline"  # no answer: network down, server stopped, timeout
    REFUSED = "refused"  # the token was refused (revoked or unknown): enrol again
    REWOUND = "rewound"  # this database was restored from a backup
    SERVER = "server"  # the server failed (5xx): it is retried
    PROTOCOL = "protocol"  # the server did not accept our request (4xx): a bug to report
    ENROLMENT = "enrolment"  # the enrolment code was refused
    INSECURE = "insecure"  # plain http:// to another computer: refused before connecting
    CERTIFICATE_CHANGED = "certificate_changed"  # not the certificate pinned at enrolment
    CERTIFICATE_UNTRUSTED = "certificate_untrusted"  # not signed by the CA file (or expired…)


class SyncError(Exception):
    # `kind` and `message` are positional-only: the server's error detail, passed on as
    # `fields`, has a "message" of its own.
    def __init__(self, kind: SyncErrorKind, message: str, /, **fields: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.fields = fields


class SyncClient:
    """Talks to one server; `token` is the device's bearer token (None before enrolment).

    `trust` says how the server's certificate is checked (see kiosk.sync.trust).
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout_seconds: float = 15.0,
        trust: ServerTrust | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.trust = trust or ServerTrust()
        self._token = token
        self._timeout = timeout_seconds
        self._insecure = plain_http_refusal(self.base_url)
        self._http = requests.Session()
        retry = Retry(
            total=2,
            connect=2,
            read=1,
            other=0,  # a TLS failure (a certificate not trusted) does not heal in 0.2 s
            status=0,
            backoff_factor=0.2,
            backoff_jitter=0.2,
            allowed_methods=None,  # POST too: a repeated push is answered, not re-applied
            raise_on_status=False,
        )
        adapter = self._adapter(retry)
        self._http.mount("http://", adapter)
        self._http.mount("https://", adapter)
        # The reachability probe: no retries, so one probe is one short try.
        self._probe = requests.Session()
        probe_adapter = self._adapter(Retry(0, read=False))
        self._probe.mount("http://", probe_adapter)
        self._probe.mount("https://", probe_adapter)

    def _adapter(self, retry: Retry) -> HTTPAdapter:
        """Connections checked as `trust` says (a pinned certificate has its own adapter)."""
        options: dict[str, Any] = {"max_retries": retry, "pool_connections": 1, "pool_maxsize": 2}
        if self.trust.fingerprint is None or self.trust.ca_file is not None:
            return HTTPAdapter(**options)
        return PinnedCertificateAdapter(self.trust.fingerprint, **options)

    def close(self) -> None:
        self._http.close()
        self._probe.close()

    def is_reachable(self, timeout_seconds: float = 2.0) -> bool:
        """Whether the server answers at all (its health page, any status): the network is
        back. Who the server is and what it says is the next round's business."""
        if self._insecure is not None:
            return False
        try:
            self._probe.get(
                self.base_url + HEALTH_PATH,
                timeout=timeout_seconds,
                verify=self.trust.requests_verify,
            )
        except requests.exceptions.SSLError:
            return True  # it answered; the round names the certificate problem
        except requests.RequestException:
            return False
        return True

    def exchange(self, request: SyncRequest) -> SyncResponse:
        """One typed round trip (the body as `request.to_body` writes it)."""
        return SyncResponse.from_json(self.sync(request.to_body()))

    def sync(self, request: dict[str, Any] | bytes) -> dict[str, Any]:
        """The JSON call: a body as a value, or already encoded."""
        if self._token is None:
            raise SyncError(SyncErrorKind.REFUSED, "this kiosk is not enrolled")
        return self._post(SYNC_PATH, request, {"Authorization": f"Bearer {self._token}"})

    def rehash_badge(self, uid: str) -> bool:
        """Ask the server to re-hash a badge that matched only under the previous badge key."""
        answer = self._post(
            BADGE_REHASH_PATH, {"uid": uid}, {"Authorization": f"Bearer {self._token}"}
        )
        return bool(answer.get("rehashed"))

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

    def post_once(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """One request with this device's token, never repeated (a PIN it carries must count
        once): the status and the JSON answer, or the error's detail. No answer at all (or a
        5xx) raises `SyncError`."""
        status, answer = self._once(
            "POST", path, data=_body_text(body), headers={"Content-Type": "application/json"}
        )
        return status, answer if isinstance(answer, dict) else {}

    def get_once(
        self, path: str, params: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any] | str]:
        """A read with this device's token (an admin's list): the status and the JSON answer
        (or its text, for CSV), or the error's detail. No answer (or a 5xx): `SyncError`."""
        return self._once("GET", path, params=params, headers=headers)

    def _once(
        self, method: str, path: str, *, headers: dict[str, str], **request: Any
    ) -> tuple[int, dict[str, Any] | str]:
        """A direct request (not a sync round) with the device's token, over the same trust
        as every request: the pinned certificate or the site's CA."""
        if self._token is None:
            raise SyncError(SyncErrorKind.REFUSED, "this kiosk is not enrolled")
        if self._insecure is not None:
            raise SyncError(SyncErrorKind.INSECURE, self._insecure)
        url = self.base_url + path
        try:
            response = self._http.request(
                method,
                url,
                headers={**headers, "Authorization": f"Bearer {self._token}"},
                timeout=self._timeout,
                verify=self.trust.requests_verify,
                **request,
            )
        except requests.exceptions.SSLError as error:
            raise _certificate_error(url, error, self.trust) from error
        except requests.RequestException as error:
            raise SyncError(SyncErrorKind.OFFLINE, f"{url}: {_short(error)}") from error
        if response.status_code >= 500:
            raise SyncError(SyncErrorKind.SERVER, f"server error {response.status_code}")
        if response.status_code != 200:
            return response.status_code, _detail(response)
        if response.headers.get("content-type", "").startswith("text/csv"):
            return 200, response.text
        try:
            answer = response.json()
        except ValueError as error:
            raise SyncError(SyncErrorKind.SERVER, f"{url}: not JSON") from error
        return 200, answer if isinstance(answer, dict) else {}

    def _post(
        self, path: str, body: dict[str, Any] | bytes, headers: dict[str, str]
    ) -> dict[str, Any]:
        url = self.base_url + path
        if self._insecure is not None:
            raise SyncError(SyncErrorKind.INSECURE, self._insecure)
        try:
            response = self._http.post(
                url,
                data=body if isinstance(body, bytes) else _body_text(body),
                headers={**headers, "Content-Type": "application/json"},
                timeout=self._timeout,
                verify=self.trust.requests_verify,  # explicit: REQUESTS_CA_BUNDLE never wins
            )
        except requests.exceptions.SSLError as error:
            raise _certificate_error(url, error, self.trust) from error
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
            raise SyncError(
                SyncErrorKind.REFUSED, detail.get("message", "access refused"), **detail
            )
        if response.status_code == 409 and detail.get("code") == REWOUND_CODE:
            raise SyncError(SyncErrorKind.REWOUND, detail.get("message", "rewound"), **detail)
        if response.status_code >= 500:
            raise SyncError(SyncErrorKind.SERVER, f"server error {response.status_code}")
        raise SyncError(
            SyncErrorKind.PROTOCOL,
            f"{url} answered {response.status_code}: {detail.get('message', '')}"[:300],
            **detail,
        )


# What requests' `json=` sends, without the spaces and \u escapes: a push of a thousand
# events and their audit rows is about a tenth smaller, encoded with one encoder built once.
_json_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _body_text(body: dict[str, Any]) -> bytes:
    return _json_encoder.encode(body).encode("utf-8")


def _certificate_error(url: str, error: Exception, trust: ServerTrust) -> SyncError:
    """A TLS failure, named: the pinned certificate changed, or the certificate is not trusted."""
    text = str(error)
    if "Fingerprints did not match" in text:
        return SyncError(
            SyncErrorKind.CERTIFICATE_CHANGED,
            f"{url}: the server's certificate is not the one this kiosk enrolled with "
            f"({trust.description}); someone may be in between, or the server has a new "
            "certificate: ask the admin",
        )
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate" in text.lower():
        return SyncError(
            SyncErrorKind.CERTIFICATE_UNTRUSTED,
            f"{url}: the server's certificate is not trusted ({trust.description}): "
            f"{_verify_failure(text)}",
        )
    return SyncError(SyncErrorKind.OFFLINE, f"{url}: TLS handshake failed: {_short(error)}")


def _verify_failure(text: str) -> str:
    """OpenSSL's reason ('self-signed certificate', 'Hostname mismatch, …') from a long error."""
    found = re.search(r"certificate verify failed: ([^(')]+)", text)
    return found.group(1).strip() if found else text[-120:]


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
