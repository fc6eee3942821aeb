"""The slip as the handshake service makes it, drawn and read back: no quantity in words.

The page goes through the real renderer to a PDF, poppler reads its text and rasterises
it, and the project's decoder reads the codes: the number sent is in the signed QR code
only, or on the stub a site may ask for, below the cut line the sender tears off.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.devices.barcode_decoder import decode_file
from kiosk.domain.documents import PrintDocument
from kiosk.domain.slip import read_slip
from kiosk.printing.document_renderer import render_pdf
from kiosk.services.transfer_rows import SENDER_STUB_SETTING
from kiosk.store.models import SiteSetting
from tests.helpers.site import Site

WORK_ORDER = "WO-2026-004217"  # CUT-L02, in progress, route R2: Cutting -> Sewing


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: apt-get install -y poppler-utils")
    return found


def _printed(site: Site, quantity: str, tmp_path: Path) -> tuple[PrintDocument, str, str]:
    """Rina hands `quantity` pieces to SEW-L03: the slip, its PDF's text, the QR text read."""
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    prepared = services.transfers.prepare(rina, site.work_order(WORK_ORDER).id, quantity, "SEW-L03")
    pdf = tmp_path / "slip.pdf"
    render_pdf(prepared.document, pdf)
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    picture = tmp_path / "slip"
    subprocess.run(
        [_tool("pdftoppm"), "-r", "200", "-png", "-singlefile", str(pdf), str(picture)], check=True
    )
    codes = {code.symbology: code.text for code in decode_file(picture.with_suffix(".png"))}
    return prepared.document, text, codes["qrcode"]


def _mentions(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d-]){number}(?![\d-])", text) is not None


@pytest.mark.usefixtures("qapp")
def test_the_slip_names_the_batch_but_never_how_many(site: Site, tmp_path: Path) -> None:
    document, text, scanned = _printed(site, "40", tmp_path)
    for shown in (WORK_ORDER, "Teddy bear 30 cm, brown", "CUT-L02", "SEW-L03", "DE-Hamburg"):
        assert shown in text
    assert "Quantity" not in text and not _mentions(text, "40"), text
    assert "stub" not in text  # none unless the site asks for it
    # The number is in the signed code, which a receiving kiosk verifies.
    assert scanned == document.qr_payload
    assert read_slip(scanned)[0].slip.quantity == 40
    sewing = site.services("SEW-L03")
    dewi = site.login(sewing, "E2001")
    assert sewing.transfers.check_slip(dewi, scanned).work_order_number == WORK_ORDER


@pytest.mark.usefixtures("qapp")
def test_a_site_may_ask_for_a_stub_the_sender_tears_off(site: Site, tmp_path: Path) -> None:
    with site.database.writer() as session:
        session.add(SiteSetting(key=SENDER_STUB_SETTING, value="on"))
        session.commit()
    document, text, scanned = _printed(site, "40", tmp_path)
    receiver_part, cut, stub = text.partition("Sender's stub")
    assert cut, text
    assert not _mentions(receiver_part, "40"), receiver_part  # above the cut line: blind
    assert re.search(rf"Sent: 40 × {WORK_ORDER} → SEW-L03", stub), stub
    assert scanned == document.qr_payload  # the QR code still fits and reads
