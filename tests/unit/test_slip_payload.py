"""The signed QT-09 slip payload: what a receiving kiosk verifies offline, with only the key."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.errors import ErrorCode
from kiosk.domain.scan import PayloadKind, ScanEvent, ScanSource, classify
from kiosk.domain.slip import (
    ARTICLE_CHARS,
    Slip,
    decode_slip,
    encode_slip,
    is_slip_id,
    slip_id_for,
)
from tests.helpers.refusals import refusal_of

KEY = hashlib.sha256(b"test site key").digest()
OTHER_KEY = hashlib.sha256(b"another key").digest()
KEYS = {"DEMO": KEY}
REFUSED_AS_DAMAGED = {
    ErrorCode.SLIP_MALFORMED,
    ErrorCode.SLIP_SIGNATURE_INVALID,
    ErrorCode.SLIP_OTHER_SITE,  # the site field itself was hit
}

SLIP = Slip(
    site_code="DEMO",
    slip_id=slip_id_for(uuid.UUID(int=4217).bytes),
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


def test_slip_ids_are_short_and_fit_the_grammar() -> None:
    assert is_slip_id(SLIP.slip_id)
    assert len(SLIP.slip_id) == 15
    assert slip_id_for(uuid.UUID(int=1).bytes) != slip_id_for(uuid.UUID(int=2).bytes)
    for wrong in ("TS-123", "ts-ABCDEFGHIJKL", "TS-ABCDEFGHIJKLM", "TS-ABCDEFGHIJK!"):
        assert not is_slip_id(wrong)


def test_a_long_article_in_any_script_is_cut_so_the_slip_still_scans() -> None:
    longest = replace(
        SLIP,
        article="🧸" * 100,  # 100 four-byte characters: 1,200 escaped
        destination="DE-Hamburg-Altona-Ottensen-Bahrenfeld-Othmarschen-Nienstedten",
    )
    payload = encode_slip(longest, KEY)
    assert classify(ScanEvent(ScanSource.SCANNER, payload)).kind is PayloadKind.SLIP
    decoded = decode_slip(payload, {"DEMO": KEY})
    assert decoded.article == "🧸" * ARTICLE_CHARS
    assert decoded.work_order_number == longest.work_order_number


@pytest.mark.parametrize("slip", [SLIP, AWKWARD], ids=["plain", "awkward"])
def test_round_trip(slip: Slip) -> None:
    payload = encode_slip(slip, KEY)
    assert payload.startswith("QT09|1|DEMO|")
    assert payload.count("|") == 13  # separators inside fields are escaped
    assert payload.isascii() and payload.isprintable()
    assert decode_slip(payload, KEYS) == slip


def test_the_scan_grammar_takes_a_real_payload_and_a_slip_id_as_slips() -> None:
    for slip in (SLIP, AWKWARD):
        payload = encode_slip(slip, KEY)
        for source in (ScanSource.SCANNER, ScanSource.CAMERA):
            scanned = classify(ScanEvent(source, payload))
            assert (scanned.kind, scanned.value) == (PayloadKind.SLIP, payload)
    by_id = classify(ScanEvent(ScanSource.SCANNER, SLIP.slip_id))
    assert (by_id.kind, by_id.value) == (PayloadKind.SLIP, SLIP.slip_id)


def _changes(payload: str) -> list[str]:
    replacements = "019AZaz|%-: ,é\x00"
    return [
        payload[:index] + char + payload[index + 1 :]
        for index in range(len(payload))
        for char in replacements
        if char != payload[index]
    ]


@pytest.mark.parametrize("slip", [SLIP, AWKWARD], ids=["plain", "awkward"])
def test_every_single_character_change_is_refused(slip: Slip) -> None:
    payload = encode_slip(slip, KEY)
    changed = _changes(payload)
    assert len(changed) > 10 * len(payload)
    codes = set()
    for candidate in changed:
        refusal = refusal_of(lambda candidate=candidate: decode_slip(candidate, KEYS))
        assert refusal.code in REFUSED_AS_DAMAGED, candidate
        codes.add(refusal.code)
    assert codes == REFUSED_AS_DAMAGED


def test_a_changed_quantity_digit_breaks_the_signature() -> None:
    payload = encode_slip(SLIP, KEY)
    assert "|300|" in payload
    refusal = refusal_of(lambda: decode_slip(payload.replace("|300|", "|900|"), KEYS))
    assert refusal.code is ErrorCode.SLIP_SIGNATURE_INVALID


@pytest.mark.parametrize("slip", [SLIP, AWKWARD], ids=["plain", "awkward"])
def test_every_truncation_is_refused(slip: Slip) -> None:
    payload = encode_slip(slip, KEY)
    for length in range(len(payload)):
        refusal = refusal_of(lambda length=length: decode_slip(payload[:length], KEYS))
        assert refusal.code in {ErrorCode.SLIP_MALFORMED, ErrorCode.SLIP_SIGNATURE_INVALID}, length


def test_a_slip_of_another_site_is_refused_as_foreign() -> None:
    payload = encode_slip(replace(SLIP, site_code="ACME"), OTHER_KEY)
    refusal = refusal_of(lambda: decode_slip(payload, KEYS))
    assert refusal.code is ErrorCode.SLIP_OTHER_SITE
    assert refusal.fields["site"] == "ACME"
    # With that site's key installed it would be read.
    assert decode_slip(payload, {**KEYS, "ACME": OTHER_KEY}).site_code == "ACME"


def test_a_slip_signed_with_another_key_is_refused() -> None:
    payload = encode_slip(SLIP, OTHER_KEY)
    refusal = refusal_of(lambda: decode_slip(payload, KEYS))
    assert refusal.code is ErrorCode.SLIP_SIGNATURE_INVALID
    assert refusal_of(lambda: decode_slip(encode_slip(SLIP, KEY), {})).code is (
        ErrorCode.SLIP_OTHER_SITE
    )


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "QT09",
        "QT09|2|DEMO|TS-AAAAAAAAAAAA|WO|MO|A|1|F|T|D|E|0|SIG",  # a version we cannot read
        "XX09|1|DEMO|TS-AAAAAAAAAAAA|WO|MO|A|1|F|T|D|E|0|SIG",
        "QT09|1|%FF|TS-AAAAAAAAAAAA|WO|MO|A|1|F|T|D|E|0|SIG",  # not UTF-8 once unescaped
        "QT09|1|%C3|TS-AAAAAAAAAAAA|WO|MO|A|1|F|T|D|E|0|SIG",
        "QT09|1|DEMO|TS-AAAAAAAAAAAA|WO|MO|A|1|F|T|D|E|0|SIGNATURE\u00e9",
        "QT09|1|DEMO|TS-AAAAAAAAAAAA|WO|MO|A|1|F|T|D|E|0|\ud800",  # a lone surrogate
        "QT09|1|DEMO|TS-AAAAAAAAAAAA|WO|MO|A|1|F|T|D|E|0|SIG|extra",
    ],
)
def test_garbage_is_refused_never_crashes(payload: str) -> None:
    refusal = refusal_of(lambda: decode_slip(payload, KEYS))
    assert refusal.code in REFUSED_AS_DAMAGED


@pytest.mark.parametrize(
    ("field", "value"),
    [("quantity", 0), ("quantity", -300), ("slip_id", "TS-short"), ("slip_id", "")],
)
def test_a_signed_slip_with_impossible_content_is_malformed(field: str, value: object) -> None:
    # Only a key holder could sign these: still, the receiver does not take them in.
    payload = encode_slip(replace(SLIP, **{field: value}), KEY)
    assert refusal_of(lambda: decode_slip(payload, KEYS)).code is ErrorCode.SLIP_MALFORMED


_TEXT = st.text(max_size=40)
_CODE = st.text(min_size=1, max_size=16)


@st.composite
def _slips(draw: st.DrawFn) -> Slip:
    return Slip(
        site_code=draw(_CODE),
        slip_id="TS-"
        + draw(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=12, max_size=12)),
        work_order_number=draw(_TEXT),
        mo_number=draw(_TEXT),
        article=draw(st.text(max_size=ARTICLE_CHARS)),
        quantity=draw(st.integers(min_value=1, max_value=10**12)),
        from_line=draw(_TEXT),
        to_line=draw(_TEXT),
        destination=draw(_TEXT),
        prepared_by=draw(_TEXT),
        prepared_at=draw(
            st.datetimes(
                min_value=datetime(1971, 1, 1),
                max_value=datetime(2200, 1, 1),
                timezones=st.just(UTC),
            )
        ).replace(microsecond=0),
    )


@given(_slips(), st.binary(min_size=16, max_size=64))
def test_any_slip_survives_the_round_trip(slip: Slip, key: bytes) -> None:
    payload = encode_slip(slip, key)
    assert payload.count("|") == 13
    assert payload.isascii()
    assert decode_slip(payload, {slip.site_code: key}) == slip
    other = bytes([key[0] ^ 1]) + key[1:]
    assert refusal_of(lambda: decode_slip(payload, {slip.site_code: other})).code is (
        ErrorCode.SLIP_SIGNATURE_INVALID
    )
