"""Stand-ins for OpenCV's video codecs and for BLAS, in the frozen kiosk.

cv2 (opencv-python-headless) is linked against FFmpeg, libavif and OpenBLAS, and numpy
against its own OpenBLAS (with their dependencies: 93 MB and 26 MB), so the frozen app cannot
simply leave them out: cv2 and numpy would not load. The kiosk uses OpenCV for the camera
(V4L2), imread, colour conversion and resizing, and numpy for image arrays only (PLATFORM
pitfall 4): no video file, no AVIF, no matrix product. Each library is replaced by a small
one with the same soname, the same symbol versions and every function cv2 or numpy imports
from it; each function writes which one was called and aborts. Two exceptions: numpy's
load-time sdot is a real loop, and making an AVIF encoder or decoder (OpenCV does when it
lists its codecs) gives none, so OpenCV finds AVIF unavailable. A kiosk that ever reaches
one stops with that message and faulthandler's traceback in its logs, and the service
restarts it.

Used by build.spec at build time (needs gcc and binutils). The libraries only these needed
(libvpx, libdav1d, libaom, libgfortran, ...) are then left out by prune.py.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from pathlib import Path

#: Libraries replaced by stand-ins: cv2 and numpy need them to load, never to run the kiosk.
STUBBED = (
    "libavcodec",
    "libavformat",
    "libavutil",
    "libswscale",
    "libavif",
    "libopenblas",
    "libscipy_openblas",
)

#: Functions that make (none: NULL) or free (nothing to do) an object.
_CONSTRUCTORS = ("DecoderCreate", "EncoderCreate")
_DESTRUCTORS = ("DecoderDestroy", "EncoderDestroy")

#: Functions given a real body. numpy calls sdot once when it loads (its check of whether
#: BLAS raises floating-point exceptions): a plain loop answers it as OpenBLAS would.
_IMPLEMENTED = {
    "scipy_cblas_sdot64_": """\
float scipy_cblas_sdot64_(long n, const float *x, long incx, const float *y, long incy) {
    float sum = 0.0f;
    long ix = incx < 0 ? (1 - n) * incx : 0, iy = incy < 0 ? (1 - n) * incy : 0;
    for (long i = 0; i < n; i++, ix += incx, iy += incy) sum += x[ix] * y[iy];
    return sum;
}""",
}

_C_HEAD = """\
#include <stdio.h>
#include <stdlib.h>
static void left_out(const char *name) {
    fprintf(stderr, "line-kiosk: %s was left out of this build (video codecs, BLAS)\\n", name);
    abort();
}
"""


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _soname(library: Path) -> str:
    match = re.search(r"SONAME\s+(\S+)", _run("objdump", "-p", str(library)))
    return match.group(1) if match else library.name


def _imports(binary: Path) -> dict[str, set[str]]:
    """Undefined dynamic symbols of `binary`, by version ("" when unversioned)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for line in _run("nm", "-D", "--undefined-only", str(binary)).splitlines():
        name = line.split()[-1]
        symbol, _, version = name.partition("@")
        wanted[version].add(symbol)
    return wanted


def _exports(library: Path) -> dict[str, tuple[str, str, int]]:
    """Defined dynamic symbols: name -> (version, nm type, size)."""
    found = {}
    for line in _run("nm", "-D", "-S", "--defined-only", str(library)).splitlines():
        parts = line.split()
        if len(parts) == 4:
            _, size, kind, name = parts
        elif len(parts) == 3:
            _, kind, name = parts
            size = "0"
        else:
            continue
        symbol, _, version = name.partition("@@")
        if not version:
            symbol, _, version = name.partition("@")
        found[symbol] = (version, kind, int(size, 16))
    return found


def make_stub(library: Path, users: list[Path], out_dir: Path) -> Path:
    """A stand-in for `library` exporting what `users` import from it; its path."""
    exports = _exports(library)
    needed: dict[str, set[str]] = defaultdict(set)  # version -> symbols
    for user in users:
        for version, symbols in _imports(user).items():
            for symbol in symbols:
                if symbol in exports and exports[symbol][0] == version:
                    needed[version].add(symbol)
    lines = [_C_HEAD]
    for version in sorted(needed):
        for symbol in sorted(needed[version]):
            _, kind, size = exports[symbol]
            if symbol in _IMPLEMENTED:
                lines.append(_IMPLEMENTED[symbol])
            elif kind in "TtWiw" and symbol.endswith(_CONSTRUCTORS):
                # OpenCV makes an AVIF encoder and decoder when it lists its codecs: none.
                lines.append(f"void *{symbol}(void) {{ return 0; }}")
            elif kind in "TtWiw" and symbol.endswith(_DESTRUCTORS):
                lines.append(f"void {symbol}(void) {{ }}")
            elif kind in "TtWiw":
                lines.append(f'void {symbol}(void) {{ left_out("{symbol}"); }}')
            else:  # a variable: storage of its size, never meant to be read
                lines.append(f"char {symbol}[{max(size, 1)}];")
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / f"{library.name}.c"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = ["gcc", "-shared", "-fPIC", "-O1", "-o", str(out_dir / library.name), str(source)]
    command.append(f"-Wl,-soname,{_soname(library)}")
    versions = [version for version in sorted(needed) if version]
    if versions:
        script = out_dir / f"{library.name}.map"
        script.write_text(
            "".join(
                f"{version} {{ global: {'; '.join(sorted(needed[version]))}; }};\n"
                for version in versions
            ),
            encoding="utf-8",
        )
        command.append(f"-Wl,--version-script={script}")
    subprocess.run(command, check=True)
    return out_dir / library.name


def is_stubbed(name: str) -> bool:
    return name.startswith(STUBBED)
