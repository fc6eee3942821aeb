"""Slips and kanban cards print in the kiosk's language: their fixed texts are marked for
translation (PRINTED_TEXTS), their values never change."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from kiosk.domain.documents import PrintDocument
from kiosk.printing.document_renderer import PRINTED_TEXTS, render_pdf
from kiosk.ui.application import install_translations
from tests.helpers.site import Site
from tests.services.test_kanban import THREAD, ensure_kanban_site


def _documents(site: Site) -> list[PrintDocument]:
    cutting = site.services()
    rina = site.login(cutting, "E1001")
    slip = cutting.transfers.prepare(rina, site.work_order("WO-2026-004217").id, "10", "SEW-L03")
    ensure_kanban_site(site)
    sewing = site.services("SEW-L03")
    dewi = site.login(sewing, "E2001")
    card = sewing.kanban.request(dewi, THREAD, "10")
    return [slip.document, sewing.kanban.card_document(dewi, card.id)]


def _fixed_texts(document: PrintDocument) -> set[str]:
    labels = [label for label, _value in (*document.rows, *document.stub_rows)]
    return {
        text for text in (document.title, document.footer, document.stub_title, *labels) if text
    }


def test_every_fixed_text_on_a_slip_and_a_card_is_marked_for_translation(site: Site) -> None:
    marked = {str(text) for text in PRINTED_TEXTS}
    for document in _documents(site):
        assert _fixed_texts(document) <= marked, document.kind


def test_a_kanban_card_prints_in_indonesian_with_its_values_unchanged(
    site: Site, qapp: QApplication, tmp_path: Path
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: .ci/run installs it")
    card = _documents(site)[1]
    install_translations(qapp, QLocale(QLocale.Language.Indonesian))
    try:
        render_pdf(card, tmp_path / "card.pdf")
    finally:
        install_translations(qapp, QLocale(QLocale.Language.English))
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "card.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Kartu E-Kanban" in text
    assert re.search(r"Jumlah:\s+10", text)
    assert "Sampai di SEW-L03: scan kartu ini di kiosk line." in " ".join(text.split())
    assert card.document_id in text
