"""PyInstaller runtime hook: pyzbar finds the zbar library bundled with the frozen kiosk.

pyzbar asks `ctypes.util.find_library("zbar")`, which searches ldconfig's cache, not the
bundle: on a kiosk PC without libzbar0 the decoder would fail at its first pyzbar pass.
build.spec puts libzbar.so.0 at the bundle's top (_internal/); this points pyzbar there.
"""

import ctypes.util
import glob
import os
import sys

_BUNDLE = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
_BUNDLED = sorted(glob.glob(os.path.join(_BUNDLE, "libzbar.so*")))
_find_library = ctypes.util.find_library


def _find_bundled_first(name: str) -> str | None:
    if name == "zbar" and _BUNDLED:
        return _BUNDLED[0]
    return _find_library(name)


ctypes.util.find_library = _find_bundled_first
