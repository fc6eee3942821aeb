"""`kiosk decode IMAGE...` as the CLI runs it: real image files in, lines and an exit code out."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from kiosk.decode_command import run_decode
from tests.devices.test_barcode_decoder import (
    SHARED_IMAGES,
    camera_frame,
    code128_image,
    paste,
    qr_image,
    shared_manifest,
)


def _png(path: Path, image: np.ndarray) -> str:
    Image.fromarray(image).save(path)
    return str(path)


def _run(paths: list[str]) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_decode(paths, out, err)
    return code, out.getvalue().splitlines(), err.getvalue()


def test_prints_path_symbology_and_text_per_code_in_file_order(tmp_path: Path) -> None:
    label = _png(
        tmp_path / "wo.png", paste(camera_frame(), code128_image("WO-2026-004221"), 300, 400)
    )
    badge = _png(tmp_path / "badge.png", paste(camera_frame(), qr_image("BADGE:E1001"), 200, 500))

    code, lines, err = _run([label, badge])

    assert (code, err) == (0, "")
    assert lines == [f"{label}\tcode128\tWO-2026-004221", f"{badge}\tqrcode\tBADGE:E1001"]


def test_a_shared_photo_prints_its_text_on_one_line() -> None:
    relative = "qrcode/qrcode-1/16.png"  # a vCard-like text with CR LF line breaks
    expected = next(row for row in shared_manifest() if row["path"] == relative)
    path = str(SHARED_IMAGES / relative)

    code, lines, _ = _run([path])

    assert "\r\n" in expected["expected_text"]
    one_line = expected["expected_text"].replace("\r", "\\r").replace("\n", "\\n")
    assert (code, lines) == (0, [f"{path}\tqrcode\t{one_line}"])


def test_control_characters_and_backslashes_are_escaped(tmp_path: Path) -> None:
    text = "(01)\x1d21\\A\tB"
    path = _png(tmp_path / "odd.png", paste(camera_frame(), qr_image(text), 200, 500))

    code, lines, _ = _run([path])

    assert (code, lines) == (0, [f"{path}\tqrcode\t(01)\\x1d21\\\\A\\tB"])


def test_unreadable_files_are_reported_and_the_others_still_decoded(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.png")
    not_image = tmp_path / "notes.png"
    not_image.write_text("not a picture\n", encoding="utf-8")
    good = _png(
        tmp_path / "wo.png", paste(camera_frame(), code128_image("WO-2026-004221"), 300, 400)
    )

    code, lines, err = _run([missing, str(not_image), good])

    assert code == 0
    assert lines == [f"{good}\tcode128\tWO-2026-004221"]
    assert missing in err
    assert str(not_image) in err
    assert len(err.splitlines()) == 2


def test_exit_code_1_when_nothing_is_found(tmp_path: Path) -> None:
    blank = _png(tmp_path / "blank.png", camera_frame())

    code, lines, err = _run([blank, str(tmp_path / "missing.png")])

    assert (code, lines) == (1, [])
    assert f"{blank}: no barcode found" in err
    assert "missing.png" in err
