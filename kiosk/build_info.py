"""Which build of the kiosk this is, for the health strip and the log's first line.

The version is the installed distribution's (importlib.metadata), so a wheel, a venv and the
frozen app all say the same; the frozen app adds the build id build.spec wrote into it.
"""

from __future__ import annotations

import sys
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from kiosk import __version__

DISTRIBUTION = "line-kiosk"
BUILD_ID_RESOURCE = "build-id"  # kiosk/resources/build-id, written by build.spec only


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # a frozen app built without its metadata
        return __version__


def build_id() -> str | None:
    """The frozen build's id (commit and date), or None when not frozen."""
    if not getattr(sys, "frozen", False):
        return None
    # A path, as kiosk.ui.application reads its resources: the frozen app's resource
    # reader gives a folder there, not a readable traversable.
    path = Path(str(files("kiosk") / "resources")) / BUILD_ID_RESOURCE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    return text.strip() or None


def build_label() -> str:
    """`0.1.0`, or `0.1.0 (build 1a2b3c4 2026-12-07)` for a frozen build."""
    ident = build_id()
    return version() if ident is None else f"{version()} (build {ident})"
