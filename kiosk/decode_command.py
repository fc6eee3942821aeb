"""`kiosk decode IMAGE...`: the codes in image files, one line each, for people and scripts."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TextIO

from kiosk.devices.barcode_decoder import ImageReadError, decode_file, project_decoder

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """The text on one line: backslash, tab, CR, LF and other control characters escaped.

    Payloads may hold line breaks (QR vCards) or GS separators (GS1); printed raw they would
    break the one-line-per-code output or be invisible.
    """
    return "".join(
        _ESCAPES.get(char)
        or (f"\\x{ord(char):02x}" if unicodedata.category(char) == "Cc" else char)
        for char in text
    )


def run_decode(paths: list[str], out: TextIO, err: TextIO) -> int:
    """Write `path<TAB>symbology<TAB>text` per code found (text escaped by `printable`).

    Files that cannot be read, and images without a code, are reported on `err` and the
    other files are still decoded. Returns 0 when at least one code was found, else 1.
    """
    decoder = project_decoder()
    found_any = False
    for path in paths:
        try:
            codes = decode_file(Path(path), decoder)
        except ImageReadError as error:
            err.write(f"kiosk decode: cannot read {error}\n")
            continue
        if not codes:
            err.write(f"kiosk decode: {path}: no barcode found\n")
        for code in codes:
            out.write(f"{path}\t{code.symbology}\t{printable(code.text)}\n")
        found_any = found_any or bool(codes)
    return 0 if found_any else 1
