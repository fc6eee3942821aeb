"""Every text the screens can show has a finished Indonesian translation.

The texts are found as the translator's tools find them: `pyside6-lupdate` over the
current sources (a text it cannot find is never translated), merged into a copy of
kiosk/resources/translations/kiosk_id.ts. scripts/update-translations does the same.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import PySide6
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from kiosk.ui import application
from kiosk.ui.application import install_translations, translations_dir

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{[^}]*\}|%\w")


def _lupdate() -> Path:
    tool = Path(PySide6.__file__).parent / "lupdate"
    if not tool.is_file():
        pytest.fail(f"{tool} is missing: PySide6-Essentials ships it")
    return tool


def _extracted(tmp_path: Path) -> ET.Element:
    """The committed .ts with today's sources merged in: new texts come in unfinished,
    texts gone from the code are marked vanished."""
    merged = tmp_path / "kiosk_id.ts"
    shutil.copy(translations_dir() / "kiosk_id.ts", merged)
    sources = sorted(
        str(path) for path in (ROOT / "kiosk").rglob("*.py") if "migrations" not in path.parts
    )
    subprocess.run(
        [str(_lupdate()), "-locations", "none", *sources, "-ts", str(merged)],
        check=True,
        capture_output=True,
    )
    return ET.parse(merged).getroot()


def _messages(root: ET.Element) -> list[tuple[str, str, ET.Element]]:
    return [
        (str(context.findtext("name")), str(message.findtext("source")), message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def test_every_marked_text_has_a_finished_indonesian_translation(tmp_path: Path) -> None:
    messages = _messages(_extracted(tmp_path))
    assert len(messages) > 900  # the screens, messages, labels, health strip and slips
    missing = [
        f"{context}: {source!r}"
        for context, source, message in messages
        if (translation := message.find("translation")) is not None
        and translation.get("type") not in ("vanished", "obsolete")
        and (translation.get("type") == "unfinished" or not (translation.text or "").strip())
    ]
    assert missing == [], "untranslated (run scripts/update-translations, then translate)"


def test_the_translation_file_holds_no_text_the_code_no_longer_has(tmp_path: Path) -> None:
    gone = [
        f"{context}: {source!r}"
        for context, source, message in _messages(_extracted(tmp_path))
        if message.find("translation") is not None
        and message.find("translation").get("type") in ("vanished", "obsolete")  # type: ignore[union-attr]
    ]
    assert gone == [], "run scripts/update-translations"


def test_every_translation_keeps_the_placeholders_and_line_breaks_of_its_source() -> None:
    root = ET.parse(translations_dir() / "kiosk_id.ts").getroot()
    wrong = []
    for context, source, message in _messages(root):
        text = message.findtext("translation") or ""
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)) or (
            source.count("\n") != text.count("\n")
        ):
            wrong.append(f"{context}: {source!r} -> {text!r}")
    assert wrong == []


def test_a_kiosk_installed_without_the_built_translation_compiles_it_at_start(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pip install .` from a checkout that never ran scripts/build-translations: only the .ts."""
    shipped = tmp_path / "translations"
    shipped.mkdir()
    shutil.copy(translations_dir() / "kiosk_id.ts", shipped)
    monkeypatch.setattr(application, "translations_dir", lambda: shipped)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    install_translations(qapp, QLocale(QLocale.Language.Indonesian))
    try:
        assert QCoreApplication.translate("Messages", "Wrong PIN.") == "PIN salah."
        assert [path.name for path in (tmp_path / "tmp").rglob("*.qm")] == ["kiosk_id.qm"]
        assert not (shipped / "kiosk_id.qm").exists()  # the package folder is never written
    finally:
        install_translations(qapp, QLocale(QLocale.Language.English))
