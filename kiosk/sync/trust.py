"""How the kiosk knows its own server: a CA file, or the certificate pinned at enrolment.

With `server_ca_file` set the server's certificate must be signed by that CA (and name the
host). Without it, enrolment fetches the certificate the server presents, shows its SHA-256
to the admin and keeps it beside the device token; every later connection must present that
very certificate (urllib3's `assert_fingerprint`). A kiosk with neither trusts the system's
CAs. Plain http:// is refused before connecting unless the server is on this computer.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter

from kiosk.store.secrets import SecretStore

SERVER_FINGERPRINT_NAME = "server-certificate-sha256"
_DIGEST_BYTES = 32


@dataclass(frozen=True)
class ServerTrust:
    """What the server's certificate is checked against (a CA file wins over a pin)."""

    ca_file: Path | None = None
    fingerprint: bytes | None = None  # SHA-256 of the server's certificate (DER)

    @property
    def requests_verify(self) -> bool | str:
        """requests' `verify`: the CA file, off for a pin (urllib3 checks the pin), or the
        system's CAs."""
        if self.ca_file is not None:
            return str(self.ca_file)
        return self.fingerprint is None

    @property
    def description(self) -> str:
        if self.ca_file is not None:
            return f"signed by the CA in {self.ca_file}"
        if self.fingerprint is not None:
            return f"pinned certificate SHA-256 {format_fingerprint(self.fingerprint)}"
        return "the system's trusted CAs"


class PinnedCertificateAdapter(HTTPAdapter):
    """Every connection (direct or through a proxy) must present the pinned certificate."""

    def __init__(self, fingerprint: bytes, **options: Any) -> None:
        self._fingerprint = fingerprint.hex()  # set before HTTPAdapter builds its pool manager
        super().__init__(**options)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        pool_kwargs["assert_fingerprint"] = self._fingerprint
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["assert_fingerprint"] = self._fingerprint
        return super().proxy_manager_for(proxy, **proxy_kwargs)


def format_fingerprint(digest: bytes) -> str:
    """`AB:CD:…`, as `server-sync serve` prints it and `openssl x509 -fingerprint` shows it."""
    return ":".join(f"{byte:02X}" for byte in digest)


def parse_fingerprint(text: str) -> bytes:
    """A SHA-256 fingerprint typed by an admin, with or without colons."""
    cleaned = text.strip().replace(":", "").replace(" ", "")
    try:
        digest = bytes.fromhex(cleaned)
    except ValueError:
        digest = b""
    if len(digest) != _DIGEST_BYTES:
        raise ValueError(f"{text!r} is not a SHA-256 fingerprint (64 hex digits)")
    return digest


def fetch_certificate_fingerprint(url: str, timeout_seconds: float) -> bytes:
    """SHA-256 of the certificate the server presents now, unverified (trust on first use:
    the admin compares it with the one the server printed). Raises OSError when unreachable."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or 443
    pem = ssl.get_server_certificate((host, port), timeout=timeout_seconds)
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).digest()


def stored_trust(secrets: SecretStore, ca_file: Path | None) -> ServerTrust:
    """The trust an enrolled kiosk syncs with: the CA file if set, else the enrolment's pin."""
    if ca_file is not None:
        return ServerTrust(ca_file=ca_file)
    return ServerTrust(fingerprint=secrets.get(SERVER_FINGERPRINT_NAME))


def is_https(url: str) -> bool:
    return urlsplit(url).scheme.lower() == "https"
