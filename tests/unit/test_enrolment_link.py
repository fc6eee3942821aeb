"""The enrolment QR's text: what the admin's screen makes, the setup screen reads back, and
every kind of garbage refused with its reason."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.enrolment_link import (
    AddressProblem,
    EnrolmentLink,
    EnrolmentLinkError,
    LinkProblem,
    address_problem,
    enrolment_link_text,
    grouped_code,
    normalized_code,
    parse_enrolment_link,
)

DIGEST = hashlib.sha256(b"a server certificate").digest()


def test_a_link_made_for_a_code_reads_back_as_the_same_server_code_and_certificate() -> None:
    link = EnrolmentLink("https://Sync.LAN:8400/", "123456789012", DIGEST)
    text = enrolment_link_text(link)
    assert text.startswith("kiosk-enrol:1?server=https://sync.lan:8400&code=123456789012")
    assert parse_enrolment_link(text) == EnrolmentLink(
        "https://sync.lan:8400", "123456789012", DIGEST
    )


def test_a_server_signed_by_a_site_ca_needs_no_fingerprint_and_case_does_not_matter() -> None:
    text = enrolment_link_text(EnrolmentLink("https://sync.lan", "1234-5678-9012"))
    assert "sha256" not in text
    assert parse_enrolment_link(text.upper()) == EnrolmentLink(
        "https://sync.lan", "123456789012", None
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("WO-2026-004219", LinkProblem.NOT_A_LINK),
        ("https://sync.lan?code=123456789012", LinkProblem.NOT_A_LINK),
        ("kiosk-enrol:1", LinkProblem.DAMAGED),
        ("kiosk-enrol:?server=https://a&code=123456789012", LinkProblem.DAMAGED),
        ("kiosk-enrol:2?server=https://a&code=123456789012", LinkProblem.VERSION),
        ("kiosk-enrol:1?server=https://a&code=123456789012&code=1", LinkProblem.DAMAGED),
        ("kiosk-enrol:1?server=https://a&code=12345", LinkProblem.BAD_CODE),
        ("kiosk-enrol:1?server=https://a&code=12345678901x", LinkProblem.BAD_CODE),
        ("kiosk-enrol:1?server=https://a&code=123456789012&sha256=AB", LinkProblem.BAD_FINGERPRINT),
        ("kiosk-enrol:1?server=https://a&code=123456789012&sha256=" + "Z" * 64,
         LinkProblem.BAD_FINGERPRINT),
        ("kiosk-enrol:1?server=http://sync.lan&code=123456789012", LinkProblem.BAD_ADDRESS),
        ("kiosk-enrol:1?server=ftp://sync.lan&code=123456789012", LinkProblem.BAD_ADDRESS),
        ("kiosk-enrol:1?server=https://a&code=123456789012\x07", LinkProblem.DAMAGED),
        ("kiosk-enrol:1?server=https://a&code=123456789012&x=" + "9" * 700, LinkProblem.DAMAGED),
    ],
)  # fmt: skip
def test_garbage_is_refused_with_its_reason(text: str, problem: LinkProblem) -> None:
    with pytest.raises(EnrolmentLinkError) as refused:
        parse_enrolment_link(text)
    assert refused.value.problem is problem


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", AddressProblem.EMPTY),
        ("sync.lan:8400", AddressProblem.NO_SCHEME),
        ("https:/sync.lan", AddressProblem.NO_SCHEME),
        ("http://sync.lan:8400", AddressProblem.PLAIN_HTTP),
        ("http://10.0.0.5", AddressProblem.PLAIN_HTTP),
        ("https://", AddressProblem.NO_HOST),
        ("https://sync.lan:99999", AddressProblem.BAD_PORT),
        ("https://sync.lan:port", AddressProblem.BAD_PORT),
        ("https://sync.lan/?x=1", AddressProblem.EXTRA_PARTS),
        ("https://admin@sync.lan", AddressProblem.EXTRA_PARTS),
        ("https://sync.lan:8400", None),
        ("http://127.0.0.1:8400", None),  # this computer only, as `kiosk enrol` allows
        ("http://localhost:8400", None),
        ("http://[::1]:8400", None),
    ],
)
def test_server_addresses_follow_the_rule_of_kiosk_enrol(
    url: str, problem: AddressProblem | None
) -> None:
    assert address_problem(url) is problem


def test_codes_are_twelve_digits_as_printed() -> None:
    assert normalized_code("1234-5678-9012") == "123456789012"
    assert normalized_code("1234 5678 901") is None
    assert normalized_code("١٢٣٤٥٦٧٨٩٠١٢") is None  # Arabic-Indic digits are not ours
    assert grouped_code("123456789012") == "1234-5678-9012"


def test_a_link_is_never_made_for_a_bad_address_or_code() -> None:
    with pytest.raises(ValueError, match="not a server address"):
        enrolment_link_text(EnrolmentLink("http://sync.lan", "123456789012"))
    with pytest.raises(ValueError, match="12 digits"):
        enrolment_link_text(EnrolmentLink("https://sync.lan", "1234"))


@given(st.text(max_size=300))
def test_any_text_is_either_a_link_or_refused_with_a_reason(text: str) -> None:
    try:
        link = parse_enrolment_link(text)
    except EnrolmentLinkError as error:
        assert isinstance(error.problem, LinkProblem)
    else:
        assert address_problem(link.server_url) is None
        assert normalized_code(link.code) == link.code
