"""Where a code probably is in a frame the fast pass could not read, and what is wrong with it.

A camera frame on the line is mostly bench, hands and cloth. Retrying a whole 1280x720 frame
with costly passes would cost 100 ms and more; retrying only the few regions that look like a
code costs a few ms each. A region is found from the gradient structure tensor, averaged over
blocks of 16x16 pixels:

- a 1D code is a patch of strong gradients that all point one way (high coherence): its
  bars are across that direction, so the region also gives the angle to turn the bars upright;
- a QR code is a patch of strong gradients pointing both ways.

A lone edge (a box, a table) is one block wide and is removed by a morphological opening.
The same regions tell the operator what would help: a small region ("hold the paper closer")
or clipped highlights on it ("tilt away from the light").

OpenCV and numpy only; no Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import cv2
import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]

#: Size of a block of the tensor, in frame pixels (the frame is halved first, blocks are 8x8).
BLOCK = 16
#: Least mean gradient energy of a block (Sobel 3x3 on the halved frame) to count as textured.
MIN_ENERGY = 900.0
#: Coherence above which the gradients of a region point one way: bars.
LINEAR_COHERENCE = 0.55
#: A region whose long side is under this share of the frame width is "small".
SMALL_SHARE = 0.3
#: Share of a region's pixels at 250 or more above which it has clipped highlights (glare).
GLARE_SHARE = 0.01
#: At most this many regions are returned, largest first.
MAX_REGIONS = 3


@dataclass(frozen=True)
class CodeRegion:
    """A part of the frame that looks like a code.

    `box` is (x, y, width, height) in frame pixels, with a margin; `angle` is the direction of
    the gradients in degrees (a 1D code's bars run across it); `is_linear` says 1D.
    """

    box: tuple[int, int, int, int]
    angle: float
    is_linear: bool
    coherence: float
    long_side: float  # length of the region's longer side, in frame pixels
    glare_share: float  # share of the region's pixels that are clipped white
    frame_width: int = 1280

    @property
    def is_small(self) -> bool:
        return self.long_side < SMALL_SHARE * self.frame_width

    @property
    def has_glare(self) -> bool:
        return self.glare_share >= GLARE_SHARE


def find_regions(gray: Image) -> list[CodeRegion]:
    """Regions of `gray` that look like a 1D or QR code, largest first (at most MAX_REGIONS)."""
    height, width = gray.shape
    if height < 4 * BLOCK or width < 4 * BLOCK:
        return []
    half = cv2.resize(gray, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    # Fine detail only: smooth shading (light falling off across the bench) has gradients too.
    # OpenCV rather than numpy arithmetic on whole frames: it lets go of the GIL while it works.
    detail = cv2.subtract(half, cv2.blur(half, (5, 5)), dtype=cv2.CV_32F)
    jxx, jyy, jxy = _tensor(detail, (half.shape[1] // 8, half.shape[0] // 8))
    blocks = (jxx.shape[1], jxx.shape[0])
    energy = jxx + jyy
    floor = max(MIN_ENERGY, 4.0 * float(np.median(energy)))
    strong = (energy > floor).astype(np.uint8)
    opened = cv2.morphologyEx(strong, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    if not opened.any():  # nothing but lone edges and noise: the common, empty frame
        return []
    textured = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(textured, connectivity=8)
    order = sorted(range(1, count), key=lambda i: -int(stats[i, cv2.CC_STAT_AREA]))
    regions = []
    scale = width / blocks[0]
    for index in order:
        area = int(stats[index, cv2.CC_STAT_AREA])
        if area < 4:
            break
        mask = labels == index
        sxx, syy, sxy = float(jxx[mask].sum()), float(jyy[mask].sum()), float(jxy[mask].sum())
        coherence = math.hypot(sxx - syy, 2 * sxy) / max(sxx + syy, 1e-6)
        angle = _bar_angle(jxx[mask], jyy[mask], jxy[mask])
        points = np.argwhere(mask)[:, ::-1].astype(np.float32) * scale + scale / 2
        (_, _), (side_a, side_b), _ = cv2.minAreaRect(points)
        x, y, w, h = (int(v) for v in stats[index, :4])
        margin = 1 + max(1, round(0.15 * max(w, h)))
        x0, y0 = max(0, x - margin), max(0, y - margin)
        x1, y1 = min(blocks[0], x + w + margin), min(blocks[1], y + h + margin)
        box = (
            round(x0 * scale),
            round(y0 * scale),
            round((x1 - x0) * scale),
            round((y1 - y0) * scale),
        )
        crop = gray[box[1] : box[1] + box[3], box[0] : box[0] + box[2]]
        glare = float(np.count_nonzero(crop >= 250)) / max(crop.size, 1)
        regions.append(
            CodeRegion(
                box=box,
                angle=angle,
                is_linear=coherence >= LINEAR_COHERENCE,
                coherence=coherence,
                long_side=max(side_a, side_b) + scale,
                glare_share=glare,
                frame_width=width,
            )
        )
        if len(regions) == MAX_REGIONS:
            break
    return regions


def _bar_angle(jxx: np.ndarray, jyy: np.ndarray, jxy: np.ndarray) -> float:
    """The most common gradient direction of the blocks, in degrees (-90, 90].

    A histogram mode, weighted by each block's coherent energy: the paper's edges and the
    bench around a code pull a plain average towards 0 or 90 degrees, the mode stays on the bars.
    """
    strength = np.hypot(jxx - jyy, 2 * jxy)
    angles = 0.5 * np.degrees(np.arctan2(2 * jxy, jxx - jyy))
    weights, edges = np.histogram(angles, bins=60, range=(-90, 90), weights=strength)
    peak = int(np.argmax(weights))
    near = np.abs(((angles - (edges[peak] + 1.5)) + 90) % 180 - 90) <= 6
    if not near.any():
        return float(edges[peak] + 1.5)
    doubled = np.radians(2 * angles[near])
    return float(
        0.5
        * math.degrees(
            math.atan2(
                (strength[near] * np.sin(doubled)).sum(), (strength[near] * np.cos(doubled)).sum()
            )
        )
    )


def bar_angle(image: Image) -> float:
    """The bars' gradient direction in a crop, at full resolution.

    The finder works on a halved frame, where bars of under 2 px alias into stripes at a
    wrong angle; on the crop itself the cost is a few ms at most.
    """
    blocks = (max(1, image.shape[1] // 8), max(1, image.shape[0] // 8))
    jxx, jyy, jxy = _tensor(image, blocks)
    return _bar_angle(jxx.ravel(), jyy.ravel(), jxy.ravel())


def _tensor(image: np.ndarray, blocks: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """The gradient structure tensor (Jxx, Jyy, Jxy), averaged over blocks of 8x8 pixels."""
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3)
    return tuple(
        cv2.resize(cv2.multiply(a, b), blocks, interpolation=cv2.INTER_AREA)
        for a, b in ((gx, gx), (gy, gy), (gx, gy))
    )


def crop(gray: Image, region: CodeRegion) -> Image:
    x, y, w, h = region.box
    return np.ascontiguousarray(gray[y : y + h, x : x + w])


def upright(image: Image, gradient_angle: float) -> Image:
    """The crop turned so that the gradients run along the rows: a 1D code's bars stand upright."""
    if abs(gradient_angle) < 2:
        return image
    height, width = image.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), gradient_angle, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    new_w, new_h = int(height * sin + width * cos), int(height * cos + width * sin)
    turn[0, 2] += new_w / 2 - width / 2
    turn[1, 2] += new_h / 2 - height / 2
    return cast(
        Image,
        cv2.warpAffine(
            image, turn, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        ),
    )
