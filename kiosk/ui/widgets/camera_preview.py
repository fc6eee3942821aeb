"""What the camera sees, the box to hold a code in, and a line saying what the camera is doing."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.devices.camera import CameraPipeline, CameraState
from kiosk.devices.scan_hints import Hint

TARGET_WIDTH_SHARE = 0.6
TARGET_HEIGHT_SHARE = 0.4
_BACKGROUND = QColor(24, 24, 24)
_TARGET = QColor(80, 220, 120)


class CameraPreview(QWidget):
    """Paints the latest preview image scaled to fit; light enough for ~12 frames a second."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self._image = QImage()
        self._state = CameraState.OFF.value
        self._hint = Hint.NONE.value
        self.caption = QLabel(self)
        self.caption.setObjectName("cameraCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.caption)
        self.show_state(self._state)

    @property
    def state(self) -> str:
        return self._state

    @property
    def has_frame(self) -> bool:
        return not self._image.isNull()

    def follow(self, pipeline: CameraPipeline) -> None:
        """Show this pipeline's pictures and state from now on."""
        pipeline.preview_ready.connect(self.show_frame)
        pipeline.state_changed.connect(self.show_state)
        pipeline.hint_changed.connect(self.show_hint)
        self.show_state(pipeline.state.value)

    @Slot(QImage)
    def show_frame(self, image: QImage) -> None:
        """Keep the newest picture; painting happens once per screen refresh at most."""
        self._image = image
        self.update()

    @Slot(str, str)
    def show_state(self, state: str, detail: str = "") -> None:
        """The camera state as CameraPipeline.state_changed sends it; the detail is for the log."""
        del detail
        self._state = state
        self.caption.setText(self._caption_for(state))
        if state != CameraState.RUNNING.value:
            self._hint = Hint.NONE.value
            # Never a stale picture of a lost camera. No preview follows this state: the
            # pipeline sends both from one thread, in order, and previews only while running.
            self._image = QImage()
        self.update()

    @Slot(str)
    def show_hint(self, hint: str) -> None:
        """Advice from the camera (a Hint value) when it sees a code it cannot read."""
        self._hint = hint
        self.caption.setText(self._caption_for(self._state))

    def _caption_for(self, state: str) -> str:
        if state == CameraState.RUNNING.value:
            if self._hint == Hint.CLOSER.value:
                return self.tr("Hold the paper closer")
            if self._hint == Hint.LIGHT.value:
                return self.tr("Tilt away from the light")
            return self.tr("Hold the code inside the box")
        if state == CameraState.STARTING.value:
            return self.tr("Starting camera…")
        if state == CameraState.UNPLUGGED.value:
            return self.tr("Camera unplugged - retrying")
        return self.tr("Camera off")

    def target_rect(self) -> QRect:
        """The centred box the operator aims the code at."""
        width = round(self.width() * TARGET_WIDTH_SHARE)
        height = round(self.height() * TARGET_HEIGHT_SHARE)
        return QRect((self.width() - width) // 2, (self.height() - height) // 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.fillRect(self.rect(), _BACKGROUND)
        if not self._image.isNull():
            size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(
                (self.width() - size.width()) / 2,
                (self.height() - size.height()) / 2,
                size.width(),
                size.height(),
            )
            painter.drawImage(target, self._image)
        if self._state == CameraState.RUNNING.value:
            pen = QPen(_TARGET, 4)
            painter.setPen(pen)
            painter.drawRect(self.target_rect())
        painter.end()
