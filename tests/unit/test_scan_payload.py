"""The payload grammar: what a scanned text is, and what can never become an action."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.scan import (
    MAX_PAYLOAD_LENGTH,
    PayloadKind,
    RepeatFilter,
    ScanEvent,
    ScanSource,
    UnknownReason,
    classify,
    has_valid_gtin_check_digit,
)


def kind_of(text: str, source: ScanSource = ScanSource.SCANNER) -> PayloadKind:
    return classify(ScanEvent(source, text)).kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("0A000E1001", PayloadKind.BADGE),
        ("0a000e1001", PayloadKind.BADGE),
        ("WO-2026-004217", PayloadKind.WORK_ORDER),
        ("wo-2026-004217", PayloadKind.WORK_ORDER),
        (" WO-2026-004217\r\n", PayloadKind.WORK_ORDER),
        ("TS-8F3A2C91", PayloadKind.SLIP),
        ("QT09|TS-8F3A2C91|WO-2026-004217|300|sig", PayloadKind.SLIP),
        ("KB-THR-WHT-5000", PayloadKind.KANBAN_CARD),
        ("4006381333931", PayloadKind.PRODUCT),  # EAN-13 with a valid check digit
        ("036000291452", PayloadKind.PRODUCT),  # UPC-A
        ("4006381333932", PayloadKind.UNKNOWN),  # wrong check digit: not even a product
        ("WO-2026-04217", PayloadKind.UNKNOWN),  # five digits: a misread, not a near match
        ("WO-2026-004217X", PayloadKind.UNKNOWN),
        ("'; DROP TABLE app_user; --", PayloadKind.UNKNOWN),
        ("https://other-factory.example/lot/1", PayloadKind.UNKNOWN),
        ("", PayloadKind.UNKNOWN),
    ],
)
def test_each_kind_is_recognised_and_near_misses_are_not(text: str, kind: PayloadKind) -> None:
    assert kind_of(text) is kind


def test_the_reader_only_delivers_badges() -> None:
    assert kind_of("96385074", ScanSource.READER) is PayloadKind.BADGE
    assert kind_of("96385074", ScanSource.SCANNER) is PayloadKind.PRODUCT


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", UnknownReason.EMPTY),
        ("A" * (MAX_PAYLOAD_LENGTH + 1), UnknownReason.TOO_LONG),
        ("WO-2026-004217\x00", UnknownReason.CONTROL_CHARACTERS),
        ("WO\x1b[2J-2026-004217", UnknownReason.CONTROL_CHARACTERS),
        ("0A000\x1dE1001", UnknownReason.CONTROL_CHARACTERS),
    ],
)
def test_hostile_text_is_unknown_with_a_reason(text: str, reason: UnknownReason) -> None:
    payload = classify(ScanEvent(ScanSource.CAMERA, text))
    assert (payload.kind, payload.reason) == (PayloadKind.UNKNOWN, reason)
    assert len(payload.preview) <= 40 and "\x00" not in payload.preview


def test_an_enrolment_links_code_never_appears_in_its_preview() -> None:
    link = "KIOSK-ENROL:1?server=https://sync.lan:8400&code=123456789012"
    for source in (ScanSource.SCANNER, ScanSource.CAMERA):
        preview = classify(ScanEvent(source, link)).preview
        assert preview == "enrolment link"


def test_a_badge_uid_never_appears_in_its_preview() -> None:
    assert classify(ScanEvent(ScanSource.READER, "0A000E1001")).preview == "badge"


@given(st.text(max_size=600))
def test_any_text_classifies_without_error_and_previews_printably(text: str) -> None:
    payload = classify(ScanEvent(ScanSource.SCANNER, text))
    assert payload.preview.isprintable() or payload.preview == ""
    if payload.kind is not PayloadKind.UNKNOWN:
        assert payload.value.isprintable()


def test_gtin_check_digits() -> None:
    assert has_valid_gtin_check_digit("96385074")  # EAN-8
    assert not has_valid_gtin_check_digit("96385075")


def test_a_repeat_within_the_window_is_dropped_and_later_taken() -> None:
    repeats = RepeatFilter(1.0)
    payload = classify(ScanEvent(ScanSource.SCANNER, "WO-2026-004217"))
    other = classify(ScanEvent(ScanSource.SCANNER, "WO-2026-004219"))
    assert repeats.is_repeat(payload, 10.0) is False
    assert repeats.is_repeat(payload, 10.5) is True
    assert repeats.is_repeat(other, 10.6) is False
    assert repeats.is_repeat(payload, 10.7) is False  # another code came in between
    assert repeats.is_repeat(payload, 11.8) is False
