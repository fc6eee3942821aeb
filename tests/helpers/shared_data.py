"""Where the shared barcode photos are: `../shared/data/barcodes` beside the repository.

A clone elsewhere (CI checks out a fresh copy wherever it likes) finds them through
`KIOSK_BARCODE_DIR`, a `shared/` folder next to any parent folder, or the
workplace's own `/work/shared`.
"""

from __future__ import annotations

import os
from pathlib import Path

_RELATIVE = Path("shared") / "data" / "barcodes"
_REPOSITORY = Path(__file__).resolve().parents[2]


def barcode_dir() -> Path:
    """The first folder holding a manifest.csv; the expected place when there is none."""
    candidates = []
    if os.environ.get("KIOSK_BARCODE_DIR"):
        candidates.append(Path(os.environ["KIOSK_BARCODE_DIR"]))
    candidates += [parent / _RELATIVE for parent in _REPOSITORY.parents]
    candidates.append(Path("/work") / _RELATIVE)
    for candidate in candidates:
        if (candidate / "manifest.csv").is_file():
            return candidate
    return _REPOSITORY.parent / _RELATIVE
