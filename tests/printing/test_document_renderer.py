"""Slips and kanban cards rendered, rasterised as a printer would, and scanned back.

The PDF goes through poppler (`pdftoppm`, `pdfinfo`, `pdftotext`), a different renderer
from Qt's, and the project's own decoder reads the result: what passes here is what a
receiving kiosk can read off the paper.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import cv2
import pytest
import zxingcpp

from kiosk.devices.barcode_decoder import DecodedCode, decode_file
from kiosk.domain.documents import PrintDocument
from kiosk.printing.document_renderer import render_image, render_pdf

SLIP_ID = "TS-GKX5UKCRBKD2"
# A real payload from kiosk.domain.slip.encode_slip (334 characters: a 31-character article
# and a 20-character destination, signed with a device's Ed25519 key), written out so the
# test does not depend on the signing code.
PAYLOAD = (
    "QT09:2:AJOYTLZZ4LFQTCLLAFEIIAMTUWZHYHT5JKNS6PCNLZXXVCYMSABQIRCFJVHQ4V2PFUZDAMRWFUYDANBS"
    "GE3QYTKPFUZDAMRWFUYDCOJTD5IE6TCPFVGS2TSBKZMSAUDPNRXSA43INFZHILBANZQXM6JMEBGQOQ2VKQWUYMBS"
    "A5JUKVZNJQYDGFCTIVLS2TBQGMQGS3TQOV2CA4TBMNVSAQQFIUYTAMBRCONXD2PVXVX2K7HIKYMMZSLOVLYV3PXG"
    "ZGNQ36JQI52LQHTYJKKZLJXSVPDOJCJZ4DHGYQN7BVPBV2IHDUIKOCZX77UN6CDPY64IUBQ"
)
SLIP = PrintDocument(
    kind="slip",
    document_id=SLIP_ID,
    title=f"QT-09 transfer slip {SLIP_ID}",
    rows=(
        ("Work order", "WO-2026-004217"),
        ("MO", "MO-2026-0193"),
        ("Article", "POLO-M-NAVY Polo shirt, navy, M"),
        ("Quantity", "400"),
        ("From", "CUT-L02"),
        ("To", "SEW-L03"),
        ("Destination", "SEW-L03 input rack B"),
        ("Prepared", "E1001 2026-11-21 07:30 UTC"),
    ),
    qr_payload=PAYLOAD,
    footer="Receiver: scan the QR code, then count the pieces yourself.",
)
CARD = PrintDocument(
    kind="kanban_card",
    document_id="KB-7Q2K9M4T",
    title="E-Kanban card KB-7Q2K9M4T",
    rows=(
        ("Article", "POLO-M-NAVY"),
        ("Component", "Front panel"),
        ("Quantity", "50"),
        ("Supplier", "CUT-L02"),
        ("Consumer", "SEW-L03"),
    ),
    footer="Return this card to the supplier line when the bin is empty.",
)


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} is missing: apt-get install -y poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def _rasterise(pdf: Path, dpi: int = 200) -> Path:
    """The first page as a PNG, rendered by poppler as a print driver would."""
    stem = pdf.with_suffix("")
    _run(_poppler("pdftoppm"), "-r", str(dpi), "-png", "-singlefile", str(pdf), str(stem))
    return stem.with_suffix(".png")


def _image_file(document: PrintDocument, path: Path, dpi: int = 200) -> Path:
    assert render_image(document, dpi).save(str(path))
    return path


@pytest.mark.usefixtures("qapp")
def test_a_slip_pdf_scans_back_to_its_signed_payload_and_its_id(tmp_path: Path) -> None:
    pdf = tmp_path / "slip.pdf"
    render_pdf(SLIP, pdf)
    codes = set(decode_file(_rasterise(pdf)))
    assert DecodedCode("qrcode", PAYLOAD) in codes
    assert DecodedCode("code128", SLIP_ID) in codes


@pytest.mark.usefixtures("qapp")
def test_a_slip_image_scans_back_to_its_signed_payload_and_its_id(tmp_path: Path) -> None:
    codes = set(decode_file(_image_file(SLIP, tmp_path / "slip.png")))
    assert DecodedCode("qrcode", PAYLOAD) in codes
    assert DecodedCode("code128", SLIP_ID) in codes


@pytest.mark.usefixtures("qapp")
def test_a_kanban_card_carries_its_number_and_no_qr_code(tmp_path: Path) -> None:
    pdf = tmp_path / "card.pdf"
    render_pdf(CARD, pdf)
    assert decode_file(_rasterise(pdf)) == [DecodedCode("code128", "KB-7Q2K9M4T")]
    image = _image_file(CARD, tmp_path / "card.png")
    assert decode_file(image) == [DecodedCode("code128", "KB-7Q2K9M4T")]


@pytest.mark.usefixtures("qapp")
def test_a_short_payload_still_makes_a_full_qr_code_not_a_micro_qr(tmp_path: Path) -> None:
    # segno.make() would choose a Micro QR here, which the kiosk's decoder does not read.
    document = PrintDocument("slip", SLIP_ID, "Slip", (("Quantity", "1"),), qr_payload="QT09|1")
    codes = decode_file(_image_file(document, tmp_path / "short.png"))
    assert DecodedCode("qrcode", "QT09|1") in codes


@pytest.mark.usefixtures("qapp")
def test_the_qr_code_is_big_enough_for_a_kiosk_camera(tmp_path: Path) -> None:
    dpi = 200
    image = cv2.imread(str(_image_file(SLIP, tmp_path / "slip.png", dpi)), cv2.IMREAD_GRAYSCALE)
    (found,) = zxingcpp.read_barcodes(image, formats=[zxingcpp.BarcodeFormat.QRCodeModel2])
    corners = found.position
    width_px = abs(corners.top_right.x - corners.top_left.x)
    assert width_px / dpi * 25.4 >= 35.0


@pytest.mark.usefixtures("qapp")
def test_the_pdf_is_one_a6_page_with_the_text_in_words(tmp_path: Path) -> None:
    pdf = tmp_path / "slip.pdf"
    render_pdf(SLIP, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    info = _run(_poppler("pdfinfo"), str(pdf))
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert size is not None
    width_mm, height_mm = (float(points) / 72 * 25.4 for points in size.groups())
    assert width_mm == pytest.approx(105, abs=1) and height_mm == pytest.approx(148, abs=1)
    text = _run(_poppler("pdftotext"), "-layout", str(pdf), "-")
    assert SLIP.title in text
    assert re.search(r"Work order:\s+WO-2026-004217", text)
    assert re.search(r"Quantity:\s+400", text)
    assert SLIP_ID in text.replace(SLIP.title, "")  # the id in words under the barcode
    assert SLIP.footer in text
    assert PAYLOAD not in text


@pytest.mark.usefixtures("qapp")
def test_writing_replaces_the_file_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(b"an older, broken file")
    render_pdf(SLIP, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [path.name for path in tmp_path.iterdir()] == ["slip.pdf"]


@pytest.mark.usefixtures("qapp")
def test_a_missing_folder_is_an_os_error_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        render_pdf(SLIP, tmp_path / "no-such-folder" / "slip.pdf")
    assert list(tmp_path.iterdir()) == []
