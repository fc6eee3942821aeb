"""Barcode labels as a camera sees them: generated codes on a 1280x720 frame."""

from __future__ import annotations

import barcode
import cv2
import numpy as np
import segno
from barcode.writer import ImageWriter

from kiosk.devices.camera import Frame

HEIGHT, WIDTH = 720, 1280


def qr_code(text: str, scale: int = 8) -> Frame:
    matrix = np.array(segno.make_qr(text).matrix, dtype=np.uint8)
    modules = np.where(matrix > 0, 0, 255).astype(np.uint8)
    return np.pad(
        np.kron(modules, np.ones((scale, scale), np.uint8)), 4 * scale, constant_values=255
    )


def code128(text: str) -> Frame:
    symbol = barcode.get("code128", text, writer=ImageWriter())
    image = symbol.render(writer_options={"write_text": False, "module_width": 0.3, "dpi": 200})
    return np.array(image.convert("L"))


def frame_with(*images: Frame, bgr: bool = False) -> Frame:
    """A 1280x720 white frame with the images side by side, as a camera would see labels."""
    frame = np.full((HEIGHT, WIDTH), 255, np.uint8)
    x = 40
    for image in images:
        height, width = image.shape
        y = (HEIGHT - height) // 2
        frame[y : y + height, x : x + width] = image
        x += width + 40
    return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR) if bgr else frame  # type: ignore[return-value]
