"""PIL images to Qt images (the window never sees tensors)."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QImage, QPixmap


def to_qimage(image: Image.Image) -> QImage:
    """A deep copy, so the QImage does not depend on the PIL buffer's lifetime."""
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    w, h = rgb.size
    return QImage(data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def thumbnail_icon(image: Image.Image, size: int) -> QIcon:
    pix = QPixmap.fromImage(to_qimage(image))
    pix = pix.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    icon = QIcon(pix)
    icon.addPixmap(pix, QIcon.Mode.Selected)  # a selected painting keeps its colours (no highlight tint)
    return icon
