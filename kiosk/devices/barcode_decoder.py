"""Barcode decoding for camera frames and image files: zxing-cpp and pyzbar, no Qt.

A decoder is an ordered list of passes (a library on a prepared image). The first pass that
finds anything wins, so a frame with a readable code costs one pass. Retry passes that are
costly per pixel (pyzbar, a 2x upscale) only run on images smaller than a VGA frame
(`RETRY_BELOW_PIXELS`): a camera frame (640x480 and up) with nothing in it is the common case
and must cost a few ms (PLATFORM pitfall 4), while a small still image or a crop of the target
box can afford the retries (up to ~90 ms for an empty crop just under VGA on a 2-core box).

A camera frame (VGA and up) that the fast passes do not read gets a second chance only where
a code is likely (`code_regions.find_regions`: barcode-like gradients): a bounded sequence of
attempts on each such crop (1D codes turned upright first; upscaling, CLAHE, sharpening,
binarisation; zxing-cpp and pyzbar), stopped when one reads or the frame's time budget
(`RETRY_BUDGET_SECONDS`) is spent. An empty frame pays only for the region search (~1 ms).

OpenCV is used for image I/O and preprocessing only, never for its barcode detectors: they
read EAN/UPC only and invent EAN numbers (PLATFORM pitfall 4).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, cast

import cv2
import numpy as np
import zxingcpp
from numpy.typing import NDArray
from pyzbar import pyzbar  # type: ignore[import-untyped]  # pyzbar ships no type hints

from kiosk.devices.code_regions import CodeRegion, bar_angle, crop, find_regions, upright

Image = NDArray[np.uint8]

#: The symbologies the kiosk reads, named as in the shared manifest.
SYMBOLOGIES = ("code128", "code39", "ean13", "qrcode", "datamatrix")

#: Retry passes (pyzbar, 2x upscale) run only on images with fewer pixels than a VGA frame.
RETRY_BELOW_PIXELS = 640 * 480
#: CPU time one frame may take, fast passes included, before no further region attempt starts.
RETRY_BUDGET_SECONDS = 0.04

_ZX = zxingcpp.BarcodeFormat
# Only the variants we print: plain QR (not Micro QR or rMQR, which most scanners cannot read
# and which cost detection time), Code 39 with and without Full ASCII (not Code 32 or PZN).
# A list, not `a | b`: zxing-cpp 3 deprecates the operator (a warning fails our tests); and
# plain tuples, not long-lived `BarcodeFormats` objects, which nanobind reports as leaked
# at every interpreter exit.
_ZXING_LINEAR = (_ZX.Code128, _ZX.Code39Std, _ZX.Code39Ext, _ZX.EAN13)
_ZXING_FORMATS = (*_ZXING_LINEAR, _ZX.QRCodeModel2, _ZX.DataMatrix)
_ZXING_NAMES = {
    _ZX.Code128: "code128",
    _ZX.Code39: "code39",
    _ZX.Code39Std: "code39",
    _ZX.Code39Ext: "code39",
    _ZX.EAN13: "ean13",
    _ZX.QRCode: "qrcode",
    _ZX.QRCodeModel1: "qrcode",
    _ZX.QRCodeModel2: "qrcode",
    _ZX.DataMatrix: "datamatrix",
}

# zbar has no Data Matrix. With UPC-A and ISBN left off, zbar reports them as EAN-13.
_PYZBAR_SYMBOLS = (
    pyzbar.ZBarSymbol.CODE128,
    pyzbar.ZBarSymbol.CODE39,
    pyzbar.ZBarSymbol.EAN13,
    pyzbar.ZBarSymbol.QRCODE,
)
_PYZBAR_NAMES = {"CODE128": "code128", "CODE39": "code39", "EAN13": "ean13", "QRCODE": "qrcode"}


@dataclass(frozen=True)
class DecodedCode:
    """One code found in an image.

    `symbology` is one of `SYMBOLOGIES`; `text` is the content as a handheld scanner would
    type it: no GS1 "(01)" brackets, no symbology identifier, GS1 separators as GS (0x1D).
    """

    symbology: str
    text: str


class ImageReadError(Exception):
    """The file is missing or is not an image OpenCV can read."""


Reader = Callable[[Image], list[DecodedCode]]
Prepare = Callable[[Image], Image]


@dataclass(frozen=True)
class DecodePass:
    """One attempt: `reader` on `prepare(image)`; only on images under `below_pixels` if set."""

    name: str
    reader: Reader
    prepare: Prepare | None = None
    below_pixels: int | None = None


class FrameReading(NamedTuple):
    """What one frame gave: the codes read, or else the region where a code seemed to be."""

    codes: list[DecodedCode]
    unread: CodeRegion | None = None


class BarcodeDecoder:
    """Runs its passes in order on a gray image and returns what the first successful one found.

    With `region_retry`, a frame the passes do not read is searched for code-like regions,
    and each gets the attempts of `retry_regions` within `budget_seconds`; and EAN-13 reads
    that contradict each other on one frame are dropped (`_without_split_eans`). Without it,
    the decoder is a library as it comes, for the bench to compare with.
    """

    def __init__(
        self,
        passes: Sequence[DecodePass],
        *,
        region_retry: bool = False,
        budget_seconds: float = RETRY_BUDGET_SECONDS,
    ) -> None:
        if not passes:
            raise ValueError("a decoder needs at least one pass")
        self.passes = tuple(passes)
        self.region_retry = region_retry
        self.budget_seconds = budget_seconds

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """Codes in a gray (H, W) or BGR (H, W, 3) uint8 image, each distinct code once."""
        return self.read(image).codes

    def read(self, image: np.ndarray) -> FrameReading:
        """Like `decode`, and when nothing is read, the most code-like region (for hints)."""
        gray = _gray(image)
        started = time.thread_time()
        codes = self._run_passes(gray)
        if not self.region_retry:
            return FrameReading(codes)
        codes = _without_split_eans(codes)
        if codes:
            return FrameReading(codes)
        regions = find_regions(gray)
        if not regions:
            return FrameReading([])
        codes = _without_split_eans(retry_regions(gray, regions, started + self.budget_seconds))
        return FrameReading(codes, None if codes else regions[0])

    def _run_passes(self, gray: Image) -> list[DecodedCode]:
        prepared: dict[Prepare, Image] = {}
        for step in self.passes:
            if step.below_pixels is not None and gray.size >= step.below_pixels:
                continue
            if step.prepare is None:
                source = gray
            else:
                if step.prepare not in prepared:
                    prepared[step.prepare] = np.ascontiguousarray(step.prepare(gray))
                source = prepared[step.prepare]
            found = step.reader(source)
            if found:
                return list(dict.fromkeys(found))
        return []


def _without_split_eans(codes: list[DecodedCode]) -> list[DecodedCode]:
    """Drops EAN-13 reads that share one half with another EAN-13 read of the same frame.

    zxing-cpp was seen to read one blurred EAN-13 twice on a frame: rightly, and with its left
    half wrong but a valid check digit. Two products whose numbers share a half side by side
    are far rarer than that, so neither read is trusted; the next frame decides.
    """
    eans = [code.text for code in codes if code.symbology == "ean13" and len(code.text) == 13]
    split = {a for a in eans for b in eans if a != b and (a[:7] == b[:7] or a[7:] == b[7:])}
    return [code for code in codes if not (code.symbology == "ean13" and code.text in split)]


def _gray(image: np.ndarray) -> Image:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        raise ValueError("expected a numpy uint8 image")
    if image.ndim == 2:
        gray = image
    elif image.ndim == 3 and image.shape[2] == 3:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    else:
        raise ValueError(f"expected a gray (H, W) or BGR (H, W, 3) image, got shape {image.shape}")
    if gray.shape[0] == 0 or gray.shape[1] == 0:
        raise ValueError("the image is empty")
    return np.ascontiguousarray(gray)


def _zxing_reader(
    formats: tuple[zxingcpp.BarcodeFormat, ...] = _ZXING_FORMATS,
    *,
    try_rotate: bool = True,
    try_invert: bool = True,
    try_downscale: bool = True,
) -> Reader:
    # TextMode.Plain: the content as a scanner types it (HRI would add GS1 brackets and show
    # control characters as <SOH>); zxing-cpp still applies ECI and guesses Shift_JIS for QR.

    def read(image: Image) -> list[DecodedCode]:
        return [
            DecodedCode(_ZXING_NAMES.get(found.format, found.format.name.lower()), found.text)
            for found in zxingcpp.read_barcodes(
                image,
                formats=list(formats),
                try_rotate=try_rotate,
                try_invert=try_invert,
                try_downscale=try_downscale,
                text_mode=zxingcpp.TextMode.Plain,
            )
        ]

    return read


def _pyzbar_read(image: Image) -> list[DecodedCode]:
    codes = []
    for found in pyzbar.decode(image, symbols=_PYZBAR_SYMBOLS):
        try:  # zbar hands QR text over as UTF-8 (it converts Shift_JIS itself)
            text = found.data.decode("utf-8")
        except UnicodeDecodeError:  # Code 128's own character set
            text = found.data.decode("latin-1")
        codes.append(DecodedCode(_PYZBAR_NAMES.get(found.type, found.type.lower()), text))
    return codes


def _turned(image: Image) -> Image:
    """A quarter turn, so that a row scan crosses the bars of an upright 1D code."""
    return cast(Image, cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE))


def _upscaled_sharpened(image: Image) -> Image:
    """2x (bicubic) then an unsharp mask: thin bars of small codes get pixels and edges back."""
    large = cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    blurred = cv2.GaussianBlur(large, (0, 0), 2)
    return cast(Image, cv2.addWeighted(large, 2.0, blurred, -1.0, 0))


def _widened(image: Image) -> Image:
    """2x along the rows only (bicubic): an upright 1D code's bars get pixels, at half the cost."""
    return cast(Image, cv2.resize(image, None, fx=2, fy=1, interpolation=cv2.INTER_CUBIC))


def _doubled(image: Image) -> Image:
    return cast(Image, cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))


def _equalised(image: Image) -> Image:
    """CLAHE: local contrast back where shadow or a dim exposure flattened it."""
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(4, 4))
    return cast(Image, clahe.apply(image))


def _sharpened(image: Image) -> Image:
    blurred = cv2.GaussianBlur(image, (0, 0), 1.5)
    return cast(Image, cv2.addWeighted(image, 2.0, blurred, -1.0, 0))


def _otsu(image: Image) -> Image:
    smooth = cv2.GaussianBlur(image, (3, 3), 0)
    return cast(Image, cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1])


def _adaptive(image: Image) -> Image:
    """Local threshold: bars under a shadow edge or beside glare keep their own level."""
    block = max(15, (min(image.shape) // 8) | 1)
    return cast(
        Image,
        cv2.adaptiveThreshold(image, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 5),
    )


def _pyzbar_only(*symbologies: str) -> Reader:
    """pyzbar keeping only reads of `symbologies` (our names)."""
    wanted = set(symbologies)

    def read(image: Image) -> list[DecodedCode]:
        return [code for code in _pyzbar_read(image) if code.symbology in wanted]

    return read


# On crops: no downscaling (they were upscaled on purpose), no rotation (1D crops are upright).
_ZX_1D_CROP = _zxing_reader(_ZXING_LINEAR, try_rotate=False, try_invert=False, try_downscale=False)
_ZX_QR_CROP = _zxing_reader((_ZX.QRCodeModel2,), try_rotate=False, try_invert=False)
# zbar misreads small, blurred Code 128 and Code 39 (a valid mod-103 sum over wrong bars was
# seen on the degraded set); EAN-13 has its check digit, QR its Reed-Solomon code. So on crops
# zbar is asked for those two only.
_ZBAR_CHECKED = _pyzbar_only("ean13", "qrcode")

Attempt = tuple[Reader, Callable[[], Image]]


def _linear_attempts(region_image: Image) -> list[Attempt]:
    """1D, cheapest first: the crop turned upright; widened 2x; CLAHE + sharpened; binarised
    (local, then Otsu); then zbar (EAN-13 only) on the upright crop.
    """
    cache: dict[str, Image] = {}

    def made(name: str, make: Callable[[], Image]) -> Callable[[], Image]:
        def get() -> Image:
            if name not in cache:
                cache[name] = np.ascontiguousarray(make())
            return cache[name]

        return get

    up = made("up", lambda: upright(region_image, bar_angle(region_image)))
    wide = made("wide", lambda: _widened(up()))
    enhanced = made("enhanced", lambda: _sharpened(_equalised(wide())))
    return [
        (_ZX_1D_CROP, up),
        (_ZX_1D_CROP, wide),
        (_ZX_1D_CROP, enhanced),
        (_ZX_1D_CROP, made("adaptive", lambda: _adaptive(wide()))),
        (_ZX_1D_CROP, made("otsu", lambda: _otsu(enhanced()))),
        (_ZBAR_CHECKED, up),
    ]


def _qr_attempts(region_image: Image) -> list[Attempt]:
    """QR: the crop, doubled, CLAHE, a local threshold (zxing-cpp); then zbar on the doubled."""
    cache: dict[str, Image] = {}

    def made(name: str, make: Callable[[], Image]) -> Callable[[], Image]:
        def get() -> Image:
            if name not in cache:
                cache[name] = np.ascontiguousarray(make())
            return cache[name]

        return get

    doubled = made("doubled", lambda: _doubled(region_image))
    enhanced = made("enhanced", lambda: _equalised(doubled()))
    return [
        (_ZX_QR_CROP, lambda: region_image),
        (_ZX_QR_CROP, doubled),
        (_ZX_QR_CROP, enhanced),
        (_ZX_QR_CROP, made("adaptive", lambda: _adaptive(enhanced()))),
        (_ZBAR_CHECKED, doubled),
    ]


#: Symbologies whose own check is weak (EAN-13: one digit, 1 in 10). Read from a region, such
#: a code counts only when two attempts give the same text: zxing-cpp was seen to read the left
#: half of a blurred EAN-13 wrongly at 2 px per module, with a valid check digit, and a still
#: paper would give the same misread frame after frame. (Code 39 as we print it has no check
#: character either, but its fixed patterns with start and stop made no misread on the
#: degraded set, and asking for two reads cost a third of its hard frames.)
WEAK_CHECK = frozenset({"ean13"})


def retry_regions(gray: Image, regions: Sequence[CodeRegion], deadline: float) -> list[DecodedCode]:
    """The attempts on each region in turn until one reads or `time.thread_time()` passes
    `deadline`. A region that looks 1D gets the 1D attempts first, any other the QR ones first.

    The budget is this thread's CPU time, not the wall clock: on a busy machine the same frame
    gets the same attempts (and the camera keeps only the newest frame, so nothing queues).
    """
    seen: dict[DecodedCode, int] = {}
    for region in regions:
        image = crop(gray, region)
        linear, square = _linear_attempts(image), _qr_attempts(image)
        attempts = [*linear, *square[:2]] if region.is_linear else [*square[:4], *linear]
        for reader, prepare in attempts:
            if time.thread_time() >= deadline:
                return []
            sure = []
            for code in dict.fromkeys(reader(prepare())):
                seen[code] = seen.get(code, 0) + 1
                if code.symbology not in WEAK_CHECK or seen[code] >= 2:
                    sure.append(code)
            if sure:
                return sure
    return []


def zxing_decoder() -> BarcodeDecoder:
    """zxing-cpp alone, with its default search options, restricted to our five formats."""
    return BarcodeDecoder([DecodePass("zxing", _zxing_reader())])


def pyzbar_decoder() -> BarcodeDecoder:
    """pyzbar (zbar) alone, restricted to our formats (zbar cannot read Data Matrix)."""
    return BarcodeDecoder([DecodePass("pyzbar", _pyzbar_read)])


def chained_decoder() -> BarcodeDecoder:
    """zxing-cpp, then pyzbar on what it missed: the baseline the region attempts must beat."""
    return BarcodeDecoder(
        [DecodePass("zxing", _zxing_reader()), DecodePass("pyzbar", _pyzbar_read)]
    )


def project_decoder() -> BarcodeDecoder:
    """The combination we ship; bench/decode.py measures it against each library alone.

    1. zxing-cpp scanning rows, dark on light: the cheapest pass; it finds most codes (2D
       codes at any angle, 1D codes within about 10 degrees of level).
    Retries below `RETRY_BELOW_PIXELS` only (each costs far more per pixel):
    2. zxing-cpp, 1D formats only, on the image turned a quarter: upright 1D codes.
    3. pyzbar: it reads EAN-13 photos that zxing-cpp misses.
    4. zxing-cpp, then 5. pyzbar, on a 2x upscaled, sharpened copy: codes with fewer than
       about 2.4 px per bar.
    Then, on any image, the attempts of `retry_regions` on its code-like regions, within
    `RETRY_BUDGET_SECONDS` of the frame's CPU time. On a camera frame these replace passes
    2-5: a 1D code at any angle, upright ones included, is turned level from its region, and
    an empty frame costs pass 1 and the region search only.
    """
    fast = _zxing_reader(try_rotate=False, try_invert=False)
    return BarcodeDecoder(
        [
            DecodePass("zxing", fast),
            DecodePass(
                "zxing 1D turned",
                _zxing_reader(_ZXING_LINEAR, try_rotate=False, try_invert=False),
                prepare=_turned,
                below_pixels=RETRY_BELOW_PIXELS,
            ),
            DecodePass("pyzbar", _pyzbar_read, below_pixels=RETRY_BELOW_PIXELS),
            DecodePass(
                "zxing 2x", fast, prepare=_upscaled_sharpened, below_pixels=RETRY_BELOW_PIXELS
            ),
            DecodePass(
                "pyzbar 2x",
                _pyzbar_read,
                prepare=_upscaled_sharpened,
                below_pixels=RETRY_BELOW_PIXELS,
            ),
        ],
        region_retry=True,
    )


def decode_file(path: Path, decoder: BarcodeDecoder | None = None) -> list[DecodedCode]:
    """Codes in an image file (read as gray); the project decoder unless one is given.

    Raises ImageReadError when the file cannot be opened or is not an image.
    """
    path = Path(path)
    try:  # the OS says why (missing, a folder, no permission); OpenCV would only print a warning
        with path.open("rb"):
            pass
    except OSError as error:
        raise ImageReadError(f"{path}: {error.strerror or error}") from error
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ImageReadError(f"{path}: not an image OpenCV can read (PNG, JPEG, BMP, TIFF, ...)")
    return (decoder or project_decoder()).decode(image)
