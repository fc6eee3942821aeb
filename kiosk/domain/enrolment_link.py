"""What a kiosk's setup screen accepts: a server address, a code, and the QR that carries both.

An admin's screen shows an enrolment code as digits and as a QR code. The QR holds one small
URI, so that a new kiosk learns the server, the code and (for a self-signed server) the
certificate to expect from one scan:

    kiosk-enrol:1?server=https://sync.lan:8400&code=123456789012&sha256=<64 hex digits>

`sha256` is left out for a server whose certificate a site CA signs. The scheme and the field
names are read case-insensitively (a keyboard-wedge scanner with Caps Lock on swaps case);
the server's address keeps its case except for the scheme and host. Anything else is refused
with a reason the screen can name, so a damaged or foreign code changes nothing.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, quote, urlsplit

LINK_SCHEME = "kiosk-enrol"
LINK_VERSION = "1"
ENROLMENT_CODE_DIGITS = 12
MAX_LINK_LENGTH = 600  # a long https address, a code and a fingerprint fit in a third of this
_DIGEST_HEX = 64
_LOOPBACK_NAMES = frozenset({"localhost"})


class AddressProblem(StrEnum):
    """Why a server address cannot be used (the screen words each one)."""

    EMPTY = "empty"
    NO_SCHEME = "no_scheme"  # not https:// (nor http://)
    PLAIN_HTTP = "plain_http"  # http:// to another computer: tokens would cross unencrypted
    NO_HOST = "no_host"
    BAD_PORT = "bad_port"
    EXTRA_PARTS = "extra_parts"  # a query, a fragment, a user name: not a server's address


class LinkProblem(StrEnum):
    """Why a scanned text is not a usable enrolment link."""

    NOT_A_LINK = "not_a_link"  # another code altogether (a work order, a product…)
    DAMAGED = "damaged"  # our scheme, but fields missing, repeated or unreadable
    VERSION = "version"  # a newer format than this kiosk reads
    BAD_CODE = "bad_code"
    BAD_FINGERPRINT = "bad_fingerprint"
    BAD_ADDRESS = "bad_address"


class EnrolmentLinkError(ValueError):
    """The text is not an enrolment link this kiosk can use; `problem` says why."""

    def __init__(self, problem: LinkProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.address_problem: AddressProblem | None = None


@dataclass(frozen=True)
class EnrolmentLink:
    """A server, a one-time code and, for a pinned server, its certificate's SHA-256."""

    server_url: str
    code: str  # ENROLMENT_CODE_DIGITS digits
    fingerprint: bytes | None = None


def _is_loopback_host(host: str) -> bool:
    """This computer: the only place plain http:// may go (as kiosk.settings decides it)."""
    name = host.strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def address_problem(url: str) -> AddressProblem | None:
    """Why `url` is not a server address the kiosk may enrol with, or None.

    The same rule as `kiosk enrol`: https://, or http:// only to this computer.
    """
    text = url.strip()
    if not text:
        return AddressProblem.EMPTY
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in {"https", "http"} or not text.lower().startswith(f"{scheme}://"):
        return AddressProblem.NO_SCHEME
    if parts.query or parts.fragment or "@" in parts.netloc:
        return AddressProblem.EXTRA_PARTS
    if not parts.hostname:
        return AddressProblem.NO_HOST
    return _port_or_plain_http_problem(parts.hostname, scheme, text)


def _port_or_plain_http_problem(host: str, scheme: str, text: str) -> AddressProblem | None:
    try:
        port = urlsplit(text).port
    except ValueError:
        port = 0
    if port == 0:
        return AddressProblem.BAD_PORT
    if scheme == "http" and not _is_loopback_host(host):
        return AddressProblem.PLAIN_HTTP
    return None


def normalized_address(url: str) -> str:
    """The address as the kiosk keeps it: trimmed, scheme and host lower case, no final /."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    return f"{parts.scheme.lower()}://{host}{parts.path}".rstrip("/")


def normalized_code(text: str) -> str | None:
    """The code's digits (dashes and spaces as printed are dropped), or None if not a code."""
    cleaned = text.replace("-", "").replace(" ", "")
    if len(cleaned) != ENROLMENT_CODE_DIGITS or not (cleaned.isascii() and cleaned.isdigit()):
        return None
    return cleaned


def grouped_code(code: str) -> str:
    """1234-5678-9012, as the admin's screen and `server-sync enrol-code` show it."""
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


def enrolment_link_text(link: EnrolmentLink) -> str:
    """The text of the QR code an admin's screen shows for this code."""
    problem = address_problem(link.server_url)
    if problem is not None:
        raise ValueError(f"{link.server_url!r} is not a server address ({problem.value})")
    code = normalized_code(link.code)
    if code is None:
        raise ValueError(f"an enrolment code has {ENROLMENT_CODE_DIGITS} digits")
    server = quote(normalized_address(link.server_url), safe=":/[]")
    text = f"{LINK_SCHEME}:{LINK_VERSION}?server={server}&code={code}"
    if link.fingerprint is not None:
        if len(link.fingerprint) * 2 != _DIGEST_HEX:
            raise ValueError("a certificate fingerprint is a SHA-256 (32 bytes)")
        text += f"&sha256={link.fingerprint.hex().upper()}"
    return text


def is_enrolment_link(text: str) -> bool:
    """Whether the text claims to be an enrolment link (it may still be damaged)."""
    return text.strip()[: len(LINK_SCHEME) + 1].lower() == f"{LINK_SCHEME}:"


def parse_enrolment_link(text: str) -> EnrolmentLink:
    """The link in a scanned text; `EnrolmentLinkError` says why it cannot be used."""
    stripped = text.strip()
    if not is_enrolment_link(stripped):
        raise EnrolmentLinkError(LinkProblem.NOT_A_LINK)
    if len(stripped) > MAX_LINK_LENGTH or not stripped.isprintable() or not stripped.isascii():
        raise EnrolmentLinkError(LinkProblem.DAMAGED, "too long or not plain text")
    version, _, query = stripped[len(LINK_SCHEME) + 1 :].partition("?")
    if version.strip() != LINK_VERSION:
        if version.strip().isdigit():
            raise EnrolmentLinkError(LinkProblem.VERSION, version)
        raise EnrolmentLinkError(LinkProblem.DAMAGED, "no version")
    fields = _fields(query)
    server = fields.get("server", "")
    problem = address_problem(server)
    if problem is not None:
        error = EnrolmentLinkError(LinkProblem.BAD_ADDRESS, problem.value)
        error.address_problem = problem
        raise error
    code = normalized_code(fields.get("code", ""))
    if code is None:
        raise EnrolmentLinkError(LinkProblem.BAD_CODE)
    fingerprint = None
    if "sha256" in fields:
        fingerprint = _fingerprint(fields["sha256"])
    return EnrolmentLink(normalized_address(server), code, fingerprint)


def _fields(query: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    except ValueError as error:
        raise EnrolmentLinkError(LinkProblem.DAMAGED, "unreadable fields") from error
    fields: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        if key in fields:
            raise EnrolmentLinkError(LinkProblem.DAMAGED, f"{key} given twice")
        fields[key] = value
    for required in ("server", "code"):
        if required not in fields:
            raise EnrolmentLinkError(LinkProblem.DAMAGED, f"no {required}")
    return fields


def _fingerprint(text: str) -> bytes:
    cleaned = text.replace(":", "")
    if len(cleaned) != _DIGEST_HEX:
        raise EnrolmentLinkError(LinkProblem.BAD_FINGERPRINT)
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise EnrolmentLinkError(LinkProblem.BAD_FINGERPRINT) from None
