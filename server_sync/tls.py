"""The server's certificate: its fingerprint (what kiosks pin) and a self-signed one for a site.

A kiosk enrolled without a CA file pins the SHA-256 of the server's certificate; the
admin compares what `kiosk enrol` shows with what `server-sync serve` prints at start.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

_PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


class CertificateError(Exception):
    """The certificate or key cannot be used; the message says which file and why."""


def format_fingerprint(digest: bytes) -> str:
    """`AB:CD:…`, the form browsers and `openssl x509 -fingerprint -sha256` show."""
    return ":".join(f"{byte:02X}" for byte in digest)


def certificate_fingerprint(certfile: Path) -> str:
    """SHA-256 of the first (the server's own) certificate in a PEM file."""
    try:
        text = certfile.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise CertificateError(f"cannot read the certificate {certfile}: {error}") from error
    found = _PEM_CERTIFICATE.search(text)
    if found is None:
        raise CertificateError(f"{certfile} holds no PEM certificate")
    der = ssl.PEM_cert_to_DER_cert(found.group(0))
    return format_fingerprint(hashlib.sha256(der).digest())


def check_certificate_pair(certfile: Path, keyfile: Path) -> str:
    """The certificate's fingerprint once the pair is known to load together (else an error)."""
    fingerprint = certificate_fingerprint(certfile)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as error:
        raise CertificateError(
            f"the key {keyfile} does not load with the certificate {certfile}: {error}"
        ) from error
    return fingerprint


def make_self_signed(certfile: Path, keyfile: Path, names: list[str], *, days: int = 825) -> str:
    """A new key (0600) and a self-signed certificate for `names` (host names or IP addresses);
    returns the certificate's fingerprint. Needs the `cryptography` package."""
    from cryptography import x509  # noqa: PLC0415  (only this command needs it)
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415
    from cryptography.x509.oid import NameOID  # noqa: PLC0415

    if not names:
        raise CertificateError("name the server: at least one host name or IP address")
    alternatives: list[x509.GeneralName] = []
    for name in names:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternatives.append(x509.DNSName(name))
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    os.chmod(keyfile, 0o600)
    certfile.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return format_fingerprint(certificate.fingerprint(hashes.SHA256()))
