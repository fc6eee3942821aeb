"""Camera frames of our own codes as a line camera sees them: small, tilted, blurred, badly lit.

Seeded, so the same seed gives the same frames on every machine; nothing is written unless
`write_set` is asked to (into a temporary folder: images made by runs are never committed).

Each frame is 1280x720 gray: a sheet of paper with one code (Code 128, Code 39, EAN-13 or QR
holding a work order, slip id, kanban card, signed slip payload or product EAN) on a cluttered,
unevenly lit bench. The code is drawn from its modules (python-barcode's bar pattern, segno's
matrix) at a fractional size, then the sheet is warped into the frame and degraded:

=========  ===========  =========  ========  =================================================
grade      1D px/module QR px/mod  rotation  light, blur, noise, JPEG
=========  ===========  =========  ========  =================================================
easy       2.4 - 3.0    5.0 - 6.0  <= 6 deg  ink at 10-25 % of the paper's brightness, light
                                             defocus (sigma 0.3-0.5 px), noise sd 2, q 90
medium     2.0 - 2.6    4.0 - 5.0  <= 15     shadow to 60 %, ink at 25-40 %, motion blur up to
                                             2 px, defocus 0.4-0.7, glare 15 %, noise 4, q 75
hard       1.6 - 2.2    3.0 - 4.0  <= 25     shadow to 45 %, ink at 30-50 %, motion blur up to
                                             2.5 px, defocus 0.5-0.8, perspective, partial
                                             glare on 40 %, noise sd 6, q 60
=========  ===========  =========  ========  =================================================
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import barcode
import cv2
import numpy as np
import segno

HEIGHT, WIDTH = 720, 1280
SYMBOLOGIES = ("code128", "code39", "ean13", "qrcode")
GRADES = ("easy", "medium", "hard")

Gray = np.ndarray


@dataclass(frozen=True)
class Grade:
    module_1d: tuple[float, float]
    module_qr: tuple[float, float]
    max_angle: float
    perspective: float  # corner jitter, share of the sheet size
    contrast: tuple[float, float]  # ink darkness, share of the paper brightness
    motion: tuple[float, float]  # motion blur length in px (0: none)
    defocus: tuple[float, float]  # Gaussian sigma in px
    shadow: float  # darkest share of light in the shadowed part
    glare: float  # probability of a glare spot on the paper, partly over the code
    noise: float
    jpeg: int


GRADE_SETTINGS = {
    "easy": Grade(
        (2.4, 3.0), (5.0, 6.0), 6, 0.01, (0.1, 0.25), (0, 0), (0.3, 0.5), 0.9, 0.0, 2, 90
    ),
    "medium": Grade(
        (2.0, 2.6), (4.0, 5.0), 15, 0.03, (0.25, 0.4), (0, 1.5), (0.35, 0.55), 0.6, 0.15, 4, 75
    ),
    "hard": Grade(
        (1.6, 2.2), (3.0, 4.0), 25, 0.05, (0.3, 0.5), (0, 1.5), (0.4, 0.6), 0.45, 0.4, 5, 70
    ),
}


@dataclass(frozen=True)
class DegradedFrame:
    """One frame and what is on it; `glare`: a clipped highlight lies over part of the code."""

    symbology: str
    grade: str
    text: str
    image: Gray
    module_px: float
    angle: float
    glare: bool


def ean13_with_check(first12: str) -> str:
    """The 13-digit EAN with its check digit (weights 1, 3 from the left)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def payload(symbology: str, rng: np.random.Generator) -> str:
    """A payload of ours in the shapes kiosk/domain/scan.py classifies."""
    digits = "0123456789"
    alnum = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

    def pick(chars: str, n: int) -> str:
        return "".join(chars[int(i)] for i in rng.integers(0, len(chars), n))

    kind = int(rng.integers(0, 3))
    if symbology == "ean13":
        return ean13_with_check("40" + pick(digits, 10))
    if kind == 0:
        return f"WO-{2025 + int(rng.integers(0, 3))}-{pick(digits, 6)}"
    if kind == 1:
        return "TS-" + pick(alnum, 12)
    if symbology == "qrcode" and rng.random() < 0.5:  # a signed slip: long base32
        raw = rng.integers(0, 256, 70, dtype=np.uint8).tobytes()
        return "QT09:2:" + base64.b32encode(raw).decode().rstrip("=")
    return "KB-" + pick(alnum, 2) + "-" + pick(digits, 4)


def _modules_1d(symbology: str, text: str) -> np.ndarray:
    """The bar pattern (1 = bar) with quiet zones of 10 modules."""
    if symbology == "ean13":
        symbol = barcode.get("ean13", text[:12])
    elif symbology == "code39":
        symbol = barcode.get("code39", text, options={"add_checksum": False})
    else:
        symbol = barcode.get("code128", text)
    bars = np.array([c == "1" for c in "".join(symbol.build())], dtype=np.uint8)
    return np.pad(bars, 10)


def _code_image(symbology: str, text: str, module: float, rng: np.random.Generator) -> Gray:
    """Ink coverage (1.0 = black) of the code at `module` px per module, quiet zone included."""
    if symbology == "qrcode":
        matrix = np.array(segno.make_qr(text, error="m").matrix, dtype=np.uint8)
        matrix = np.pad(matrix, 4)
        size = round(matrix.shape[0] * module)
        big = np.kron(matrix, np.ones((8, 8), np.uint8)).astype(np.float32)
        return cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)
    bars = _modules_1d(symbology, text)
    width = round(len(bars) * module)
    height = max(40, round(width * float(rng.uniform(0.18, 0.3))))
    row = np.repeat(bars, 8).astype(np.float32)[None, :]
    row = cv2.resize(row, (width, 1), interpolation=cv2.INTER_AREA)
    return np.repeat(row, height, axis=0)


def _bench(rng: np.random.Generator) -> np.ndarray:
    """A cluttered bench under smooth uneven light, float 0..1 reflectance."""
    coarse = rng.uniform(0.25, 0.6, (HEIGHT // 90, WIDTH // 90)).astype(np.float32)
    scene = cv2.resize(coarse, (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC)
    for _ in range(int(rng.integers(3, 8))):  # boxes, fabric, tools: hard edges
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        w, h = int(rng.integers(40, 300)), int(rng.integers(30, 200))
        cv2.rectangle(scene, (x, y), (x + w, y + h), float(rng.uniform(0.1, 0.8)), -1)
    return scene


def _light(rng: np.random.Generator, shadow: float) -> np.ndarray:
    """Illumination: a smooth gradient times a soft-edged shadow band down to `shadow`."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx * math.cos(angle) + yy * math.sin(angle)) / max(WIDTH, HEIGHT)
    light = 0.85 + 0.15 * (ramp - ramp.min()) / (np.ptp(ramp) + 1e-6)
    if shadow < 1.0:
        angle = rng.uniform(0, 2 * math.pi)
        offset = rng.uniform(-0.2, 0.2) * WIDTH
        distance = (xx - WIDTH / 2) * math.cos(angle) + (yy - HEIGHT / 2) * math.sin(angle)
        edge = 1 / (1 + np.exp(-(distance - offset) / rng.uniform(15, 60)))
        light *= 1 - (1 - shadow) * edge
    return light


def degraded_frame(
    symbology: str, grade: str, rng: np.random.Generator, text: str | None = None
) -> DegradedFrame:
    """One frame of `symbology` at `grade`, drawn from `rng`; a payload of ours unless `text`."""
    g = GRADE_SETTINGS[grade]
    text = payload(symbology, rng) if text is None else text
    module = float(rng.uniform(*(g.module_qr if symbology == "qrcode" else g.module_1d)))
    ink = _code_image(symbology, text, module, rng)
    ch, cw = ink.shape
    # the sheet: the code with a white margin of paper around it
    margin_x, margin_y = int(rng.integers(30, 90)), int(rng.integers(30, 90))
    sheet_h, sheet_w = ch + 2 * margin_y, cw + 2 * margin_x
    sheet = np.zeros((sheet_h, sheet_w), np.float32)
    sheet[margin_y : margin_y + ch, margin_x : margin_x + cw] = ink
    # where the sheet lands: rotated, moved, corners jittered for perspective
    angle = float(rng.uniform(-g.max_angle, g.max_angle))
    centre = np.array([rng.uniform(0.3, 0.7) * WIDTH, rng.uniform(0.35, 0.65) * HEIGHT], np.float32)
    corners = np.array([[0, 0], [sheet_w, 0], [sheet_w, sheet_h], [0, sheet_h]], np.float32)
    turn = cv2.getRotationMatrix2D((sheet_w / 2, sheet_h / 2), angle, 1.0)
    placed = corners @ turn[:, :2].T + turn[:, 2] - [sheet_w / 2, sheet_h / 2] + centre
    jitter = rng.uniform(-g.perspective, g.perspective, (4, 2)) * [sheet_w, sheet_h]
    placed = (placed + jitter).astype(np.float32)
    warp = cv2.getPerspectiveTransform(corners, placed)
    size = (WIDTH, HEIGHT)
    ink_frame = cv2.warpPerspective(sheet, warp, size, flags=cv2.INTER_LINEAR)
    paper = cv2.warpPerspective(np.ones_like(sheet), warp, size, flags=cv2.INTER_LINEAR)

    paper_white = float(rng.uniform(0.8, 0.95))
    darkness = 1 - float(rng.uniform(*g.contrast))  # ink reflects this share of the paper
    reflect = _bench(rng) * (1 - paper) + paper * paper_white * (1 - ink_frame * darkness)
    light = _light(rng, g.shadow if rng.random() < 0.8 else 1.0)
    exposure = float(rng.uniform(200, 250))
    image = reflect * light * exposure

    glare = False
    if rng.random() < g.glare:  # a bright spot on the paper, over one edge of the code
        along = float(rng.uniform(0.15, 0.85))
        if symbology == "qrcode":
            spot_at = (along, float(rng.choice([0.0, 1.0])))
            radius = float(rng.uniform(0.08, 0.12)) * cw
        else:  # the other half of the bars' height stays readable
            spot_at = (along, float(rng.choice([-0.05, 1.05])))
            radius = float(rng.uniform(0.3, 0.4)) * ch
        point = np.array([[[margin_x + spot_at[0] * cw, margin_y + spot_at[1] * ch]]], np.float32)
        x, y = cv2.perspectiveTransform(point, warp)[0, 0]
        yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
        spot = np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / radius**2)
        image = image + spot * paper * 400
        glare = True

    if g.motion[1] > 0 and rng.random() < 0.5:
        length = float(rng.uniform(*g.motion))
        image = _motion_blur(image, length, float(rng.uniform(0, 180)))
    sigma = float(rng.uniform(*g.defocus))
    image = cv2.GaussianBlur(image, (0, 0), sigma)
    image = image + rng.normal(0, g.noise, image.shape)
    image = np.clip(image, 0, 255).astype(np.uint8)
    is_ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, g.jpeg])
    assert is_ok
    image = cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)
    return DegradedFrame(symbology, grade, text, image, module, angle, glare)


def _motion_blur(image: np.ndarray, length: float, angle: float) -> np.ndarray:
    size = math.ceil(length) | 1
    kernel = np.zeros((size, size), np.float32)
    cv2.line(kernel, (0, size // 2), (size - 1, size // 2), 1.0, 1)
    turn = cv2.getRotationMatrix2D((size / 2 - 0.5, size / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, turn, (size, size))
    return cv2.filter2D(image, -1, kernel / max(kernel.sum(), 1e-6))


def degraded_set(per_cell: int = 20, seed: int = 17) -> Iterator[DegradedFrame]:
    """`per_cell` frames for every symbology and grade; the same seed gives the same set."""
    for s_index, symbology in enumerate(SYMBOLOGIES):
        for g_index, grade in enumerate(GRADES):
            rng = np.random.default_rng([seed, s_index, g_index])
            for _ in range(per_cell):
                yield degraded_frame(symbology, grade, rng)


def write_set(folder: Path, per_cell: int = 20, seed: int = 17) -> Path:
    """PNG files and a manifest.csv (path, symbology, grade, expected_text) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["path,symbology,grade,expected_text"]
    for index, frame in enumerate(degraded_set(per_cell, seed)):
        name = f"{frame.symbology}-{frame.grade}-{index:03d}.png"
        cv2.imwrite(str(folder / name), frame.image)
        lines.append(f"{name},{frame.symbology},{frame.grade},{frame.text}")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def damaged_frames(seed: int = 5) -> Iterator[DegradedFrame]:
    """Frames whose code is spoilt, not just hard: bars scratched out, a code cut short by the
    paper's edge, one module column inverted, a QR with a smudge over its data. A decoder may
    read the right text or nothing; any other text is a misread.
    """
    rng = np.random.default_rng(seed)
    for index in range(24):
        symbology = SYMBOLOGIES[index % 4]
        frame = degraded_frame(symbology, GRADES[index % 3], rng)
        image = frame.image.copy()
        ink = image < np.percentile(image, 3)
        ys, xs = np.nonzero(ink)
        if len(xs) == 0:
            continue
        x0, x1, y0, y1 = int(xs.min()), int(xs.max()), int(ys.min()), int(ys.max())
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        damage = index // 4 % 3
        paper = int(np.percentile(image[y0 : y1 + 1, x0 : x1 + 1], 90))
        if damage == 0:  # a white scratch across the middle of the code
            cv2.line(image, (cx - 6, y0 - 20), (cx + 6, y1 + 20), paper, 7)
        elif damage == 1:  # cut short: the right third is off the paper
            image[:, cx + (x1 - cx) // 3 :] = int(rng.integers(40, 90))
        else:  # a smudge of ink over the centre
            cv2.circle(image, (cx, cy), max(6, (x1 - x0) // 10), int(rng.integers(20, 60)), -1)
        yield DegradedFrame(
            frame.symbology, frame.grade, frame.text, image, frame.module_px, frame.angle, False
        )


def small_code_frame(text: str = "WO-2026-004219") -> Gray:
    """A Code 128 held far off: 1.1 px per module and soft. Seen as a code, too small to read."""
    rng = np.random.default_rng(3)
    ink = _code_image("code128", text, 1.1, rng)
    frame = np.full((HEIGHT, WIDTH), 170, np.float32)
    h, w = ink.shape
    top, left = (HEIGHT - h) // 2, (WIDTH - w) // 2
    frame[top - 20 : top + h + 20, left - 20 : left + w + 20] = 220
    frame[top : top + h, left : left + w] = 220 - 170 * ink
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0) + rng.normal(0, 3, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8)


def glare_frame(text: str = "WO-2026-004219") -> Gray:
    """A Code 128 at a readable size with a clipped white glare spot over its middle."""
    rng = np.random.default_rng(4)
    ink = _code_image("code128", text, 2.6, rng)
    frame = np.full((HEIGHT, WIDTH), 120, np.float32)
    h, w = ink.shape
    top, left = (HEIGHT - h) // 2, (WIDTH - w) // 2
    frame[top - 40 : top + h + 40, left - 40 : left + w + 40] = 200
    frame[top : top + h, left : left + w] = 200 - 160 * ink
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    spot = np.exp(-((xx - WIDTH / 2) ** 2 + (yy - HEIGHT / 2) ** 2) / (0.7 * h) ** 2)
    frame = cv2.GaussianBlur(frame + spot * 500, (0, 0), 0.6) + rng.normal(0, 3, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8)
