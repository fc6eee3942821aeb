"""The signed QT-09 slip payload: what a receiving kiosk verifies offline, with the sender's
public key; a forged, foreign, revoked-key or too old slip is refused, each with its reason."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.errors import ErrorCode
from kiosk.domain.scan import PayloadKind, ScanEvent, ScanSource, classify
from kiosk.domain.slip import (
    ARTICLE_CHARS,
    PREFIX,
    Slip,
    decode_slip,
    encode_slip,
    is_slip_id,
    slip_id_for,
)
from kiosk.domain.slip_keys import SlipSigner, VerifyingKey, key_id_of
from tests.helpers.refusals import refusal_of

SENDER = SlipSigner(hashlib.sha256(b"CUT-L02 kiosk").digest())
STRANGER = SlipSigner(hashlib.sha256(b"a key nobody enrolled").digest())
SENDER_KEY = VerifyingKey(SENDER.key_id, SENDER.public_key, "CUT-L02")
ISSUED = datetime(2026, 11, 21, 10, 41, 0, tzinfo=UTC)
NOW = ISSUED + timedelta(hours=2)
REFUSED_AS_DAMAGED = {
    ErrorCode.SLIP_MALFORMED,
    ErrorCode.SLIP_SIGNATURE_INVALID,
    ErrorCode.SLIP_OTHER_SITE,  # the site field itself was hit
    ErrorCode.SLIP_KEY_UNKNOWN,  # the key id was hit
    ErrorCode.SLIP_SIGNER_OTHER_LINE,  # never reached: the signature breaks first
    ErrorCode.SLIP_TOO_OLD,  # never reached either
    ErrorCode.SLIP_OLD_FORMAT,  # the prefix was changed into the old one
}

SLIP = Slip(
    site_code="DEMO",
    transfer_id=uuid.UUID(int=4217),
    work_order_number="WO-2026-004217",
    mo_number="MO-2026-01100",
    article="Teddy bear 30 cm, brown",
    quantity=300,
    from_line="CUT-L02",
    to_line="SEW-L03",
    destination="DE-Hamburg",
    prepared_by="E1001",
    prepared_at=datetime(2026, 11, 21, 10, 40, 7, tzinfo=UTC),
)
AWKWARD = replace(
    SLIP,
    article="Bär | 100% Baumwolle, groß; 熊 %7C|| %%",
    destination="CN-Shanghai|Pudong, 上海 50%",
    mo_number="MO|%2C,",
)


def _keys(*known: VerifyingKey) -> dict[str, VerifyingKey]:
    return {key.key_id: key for key in known}


def _decode(
    payload: str,
    keys: dict[str, VerifyingKey] | None = None,
    *,
    now: datetime = NOW,
    max_age: timedelta = timedelta(days=7),
) -> Slip:
    known = _keys(SENDER_KEY) if keys is None else keys
    return decode_slip(payload, site_code="DEMO", key_of=known.get, now=now, max_age=max_age).slip


def test_slip_ids_are_short_and_fit_the_grammar() -> None:
    assert is_slip_id(SLIP.slip_id)
    assert SLIP.slip_id == slip_id_for(SLIP.transfer_id.bytes)
    assert len(SLIP.slip_id) == 15
    assert slip_id_for(uuid.UUID(int=1).bytes) != slip_id_for(uuid.UUID(int=2).bytes)
    for wrong in ("TS-123", "ts-ABCDEFGHIJKL", "TS-ABCDEFGHIJKLM", "TS-ABCDEFGHIJK!"):
        assert not is_slip_id(wrong)


def test_a_key_id_is_eight_bytes_of_the_public_keys_hash() -> None:
    assert SENDER.key_id == hashlib.sha256(SENDER.public_key).digest()[:8].hex()
    assert key_id_of(STRANGER.public_key) == STRANGER.key_id != SENDER.key_id
    assert "private" not in repr(SENDER) and SENDER.key_id in repr(SENDER)


@pytest.mark.parametrize("slip", [SLIP, AWKWARD], ids=["plain", "awkward"])
def test_round_trip_carries_the_key_id_and_the_issue_time(slip: Slip) -> None:
    payload = encode_slip(slip, SENDER, ISSUED)
    assert payload.startswith(PREFIX)
    assert payload.isascii() and payload.isprintable()
    signed = decode_slip(payload, site_code="DEMO", key_of=_keys(SENDER_KEY).get, now=NOW)
    assert signed.slip == slip
    assert (signed.key_id, signed.issued_at) == (SENDER.key_id, ISSUED)


def test_the_qr_code_stays_as_small_as_the_site_key_slips_were() -> None:
    """Alphanumeric QR mode (base32), version 10 or less at level M for a usual slip."""
    payload = encode_slip(SLIP, SENDER, ISSUED)
    code = segno.make_qr(payload, error="m")
    assert code.mode == "alphanumeric"
    assert code.version <= 10, (len(payload), code.version)


def test_a_long_article_in_any_script_is_cut_so_the_slip_still_scans() -> None:
    longest = replace(
        SLIP,
        article="🧸" * 100,
        destination="DE-Hamburg-Altona-Ottensen-Bahrenfeld-Othmarschen-Nienstedten",
    )
    payload = encode_slip(longest, SENDER, ISSUED)
    assert classify(ScanEvent(ScanSource.SCANNER, payload)).kind is PayloadKind.SLIP
    decoded = _decode(payload)
    assert decoded.article == "🧸" * ARTICLE_CHARS
    assert decoded.work_order_number == longest.work_order_number


def test_the_scan_grammar_takes_a_real_payload_and_a_slip_id_as_slips() -> None:
    for slip in (SLIP, AWKWARD):
        payload = encode_slip(slip, SENDER, ISSUED)
        for source in (ScanSource.SCANNER, ScanSource.CAMERA):
            scanned = classify(ScanEvent(source, payload))
            assert (scanned.kind, scanned.value) == (PayloadKind.SLIP, payload)
    by_id = classify(ScanEvent(ScanSource.SCANNER, SLIP.slip_id))
    assert (by_id.kind, by_id.value) == (PayloadKind.SLIP, SLIP.slip_id)


def _changes(payload: str) -> list[str]:
    replacements = "AQZ27|a:"
    return [
        payload[:index] + char + payload[index + 1 :]
        for index in range(len(payload))
        for char in replacements
        if char != payload[index]
    ]


@pytest.mark.parametrize("slip", [SLIP, AWKWARD], ids=["plain", "awkward"])
def test_every_single_character_change_is_refused(slip: Slip) -> None:
    payload = encode_slip(slip, SENDER, ISSUED)
    changed = _changes(payload)
    assert len(changed) > 5 * len(payload)
    codes = set()
    for candidate in changed:
        refusal = refusal_of(lambda candidate=candidate: _decode(candidate))
        assert refusal.code in REFUSED_AS_DAMAGED, candidate
        codes.add(refusal.code)
    assert {ErrorCode.SLIP_MALFORMED, ErrorCode.SLIP_SIGNATURE_INVALID} <= codes


@pytest.mark.parametrize("slip", [SLIP, AWKWARD], ids=["plain", "awkward"])
def test_every_truncation_is_refused(slip: Slip) -> None:
    payload = encode_slip(slip, SENDER, ISSUED)
    for length in range(len(payload)):
        refusal = refusal_of(lambda length=length: _decode(payload[:length]))
        assert refusal.code in {ErrorCode.SLIP_MALFORMED, ErrorCode.SLIP_SIGNATURE_INVALID}, length


def test_a_slip_signed_with_a_key_nobody_enrolled_is_refused_as_unknown() -> None:
    payload = encode_slip(SLIP, STRANGER, ISSUED)
    refusal = refusal_of(lambda: _decode(payload))
    assert (refusal.code, refusal.fields["key_id"]) == (ErrorCode.SLIP_KEY_UNKNOWN, STRANGER.key_id)


def test_a_slip_naming_the_senders_key_but_signed_with_another_is_a_forgery() -> None:
    """The attacker copies the sender's key id into a slip they sign themselves."""
    genuine = encode_slip(SLIP, SENDER, ISSUED)
    forged_raw = bytearray(base64.b32decode(_padded(encode_slip(SLIP, STRANGER, ISSUED))))
    forged_raw[1:9] = bytes.fromhex(SENDER.key_id)
    body = bytes(forged_raw[:-64])
    forged = PREFIX + base64.b32encode(body + STRANGER.sign(body)).decode().rstrip("=")
    assert forged != genuine
    assert refusal_of(lambda: _decode(forged)).code is ErrorCode.SLIP_SIGNATURE_INVALID


def test_a_slip_signed_with_the_old_site_key_is_refused() -> None:
    """A version 1 slip (HMAC with the site key every device had) is never taken in."""
    site_key = hashlib.sha256(b"line-kiosk demo site key: public, not a secret").digest()
    body = (
        "QT09|1|DEMO|TS-ABCDEFGH2345|WO-2026-004217|MO-2026-0193|Polo|400|CUT-L02|SEW-L03|"
        "rack B|E1001|1795246200"
    )
    mac = hmac.new(site_key, body.encode(), hashlib.sha256).digest()[:16]
    payload = f"{body}|{base64.b32encode(mac).decode().rstrip('=')}"
    assert classify(ScanEvent(ScanSource.SCANNER, payload)).kind is PayloadKind.SLIP
    assert refusal_of(lambda: _decode(payload)).code is ErrorCode.SLIP_OLD_FORMAT


def test_a_revoked_keys_slip_is_refused_even_if_printed_before() -> None:
    payload = encode_slip(SLIP, SENDER, ISSUED)
    revoked = replace(SENDER_KEY, revoked_at=ISSUED + timedelta(hours=1))
    refusal = refusal_of(lambda: _decode(payload, _keys(revoked)))
    assert refusal.code is ErrorCode.SLIP_KEY_REVOKED


def test_a_key_of_another_lines_kiosk_cannot_sign_for_this_line() -> None:
    other_line = VerifyingKey(STRANGER.key_id, STRANGER.public_key, "CUT-L01")
    payload = encode_slip(SLIP, STRANGER, ISSUED)
    refusal = refusal_of(lambda: _decode(payload, _keys(SENDER_KEY, other_line)))
    assert refusal.code is ErrorCode.SLIP_SIGNER_OTHER_LINE
    assert (refusal.fields["line"], refusal.fields["signer_line"]) == ("CUT-L02", "CUT-L01")
    # The demo's shared key (no line) signs for any line.
    shared = VerifyingKey(STRANGER.key_id, STRANGER.public_key, None)
    assert _decode(payload, _keys(shared)) == SLIP


def test_a_slip_older_than_the_limit_is_refused_with_its_age() -> None:
    payload = encode_slip(SLIP, SENDER, ISSUED)
    week = timedelta(days=7)
    assert _decode(payload, now=ISSUED + week) == SLIP  # a week to the second: still good
    refusal = refusal_of(lambda: _decode(payload, now=ISSUED + week + timedelta(seconds=1)))
    assert refusal.code is ErrorCode.SLIP_TOO_OLD
    assert (refusal.fields["issued_at"], refusal.fields["days"]) == (ISSUED, 7)
    three_years = refusal_of(lambda: _decode(payload, now=ISSUED + timedelta(days=3 * 365)))
    assert three_years.code is ErrorCode.SLIP_TOO_OLD
    shorter = refusal_of(lambda: _decode(payload, now=ISSUED + timedelta(days=2), max_age=week / 7))
    assert (shorter.code, shorter.fields["days"]) == (ErrorCode.SLIP_TOO_OLD, 1)


def test_a_reprint_is_a_new_slip_with_a_new_issue_time() -> None:
    later = ISSUED + timedelta(days=10)
    payload = encode_slip(SLIP, SENDER, later)
    assert _decode(payload, now=later + timedelta(hours=1)) == SLIP


def test_a_slip_of_another_site_is_refused_as_foreign() -> None:
    payload = encode_slip(replace(SLIP, site_code="ACME"), SENDER, ISSUED)
    refusal = refusal_of(lambda: _decode(payload))
    assert (refusal.code, refusal.fields["site"]) == (ErrorCode.SLIP_OTHER_SITE, "ACME")


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "QT09",
        PREFIX,
        PREFIX + "AAAA",
        PREFIX + "A" * 300,
        PREFIX + "a" * 300,  # not base32
        PREFIX + "1" * 300,
        "XX09:2:" + "A" * 300,
        "QT09|1|DEMO|TS-AAAAAAAAAAAA|WO|MO|A|1|F|T|D|E|0|SIG",
        PREFIX + "\ud800" * 10,  # a lone surrogate
    ],
)
def test_garbage_is_refused_never_crashes(payload: str) -> None:
    refusal = refusal_of(lambda: _decode(payload))
    assert refusal.code in {*REFUSED_AS_DAMAGED, ErrorCode.SLIP_OLD_FORMAT}


@pytest.mark.parametrize(("field", "value"), [("quantity", 0)])
def test_a_signed_slip_with_impossible_content_is_malformed(field: str, value: object) -> None:
    # Only a key holder could sign these: still, the receiver does not take them in.
    payload = encode_slip(replace(SLIP, **{field: value}), SENDER, ISSUED)
    assert refusal_of(lambda: _decode(payload)).code is ErrorCode.SLIP_MALFORMED


def test_values_a_slip_cannot_carry_are_refused_when_signing() -> None:
    for bad in (replace(SLIP, quantity=-1), replace(SLIP, quantity=2**32)):
        with pytest.raises(ValueError, match="does not fit a slip"):
            encode_slip(bad, SENDER, ISSUED)


def _padded(payload: str) -> str:
    text = payload[len(PREFIX) :]
    return text + "=" * (-len(text) % 8)


_TEXT = st.text(max_size=40)
_CODE = st.text(min_size=1, max_size=16)


@st.composite
def _slips(draw: st.DrawFn) -> Slip:
    return Slip(
        site_code=draw(_CODE),
        transfer_id=uuid.UUID(int=draw(st.integers(min_value=0, max_value=2**128 - 1))),
        work_order_number=draw(_TEXT),
        mo_number=draw(_TEXT),
        article=draw(st.text(max_size=ARTICLE_CHARS)),
        quantity=draw(st.integers(min_value=1, max_value=2**32 - 1)),
        from_line=draw(_TEXT),
        to_line=draw(_TEXT),
        destination=draw(_TEXT),
        prepared_by=draw(_TEXT),
        prepared_at=draw(
            st.datetimes(
                min_value=datetime(1971, 1, 1),
                max_value=datetime(2100, 1, 1),
                timezones=st.just(UTC),
            )
        ).replace(microsecond=0),
    )


@given(_slips(), st.binary(min_size=32, max_size=32))
def test_any_slip_survives_the_round_trip(slip: Slip, seed: bytes) -> None:
    signer = SlipSigner(seed)
    payload = encode_slip(slip, signer, ISSUED)
    assert payload.isascii()
    key = VerifyingKey(signer.key_id, signer.public_key, None)
    signed = decode_slip(payload, site_code=slip.site_code, key_of={key.key_id: key}.get, now=NOW)
    assert signed.slip == slip
    other = SlipSigner(bytes([seed[0] ^ 1]) + seed[1:])
    impostor = VerifyingKey(signer.key_id, other.public_key, None)  # same id, another key
    refusal = refusal_of(
        lambda: decode_slip(
            payload, site_code=slip.site_code, key_of={key.key_id: impostor}.get, now=NOW
        )
    )
    assert refusal.code is ErrorCode.SLIP_SIGNATURE_INVALID


def test_a_desktops_key_signs_only_for_its_departments_lines() -> None:
    desktop = VerifyingKey(STRANGER.key_id, STRANGER.public_key, None, department="CUT")
    payload = encode_slip(SLIP, STRANGER, ISSUED)
    lines = {"CUT-L02": "CUT", "SEW-L01": "SEW"}

    def decode(slip_payload: str) -> Slip:
        return decode_slip(
            slip_payload,
            site_code="DEMO",
            key_of=_keys(desktop).get,
            now=NOW,
            department_of=lines.get,
        ).slip

    assert decode(payload) == SLIP
    from_sewing = encode_slip(replace(SLIP, from_line="SEW-L01"), STRANGER, ISSUED)
    refusal = refusal_of(lambda: decode(from_sewing))
    assert refusal.code is ErrorCode.SLIP_SIGNER_OTHER_LINE
    assert refusal.fields["signer_line"] == "CUT desktop"
