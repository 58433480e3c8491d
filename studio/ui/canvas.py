"""The canvas: the current painting (or the live preview) scaled smoothly, with fit, zoom and pan."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.ui.images import to_qimage

MIN_ZOOM, MAX_ZOOM = 0.1, 32.0


class CanvasView(QWidget):
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 240)
        self.setMouseTracking(False)
        self._image: QImage | None = None
        self._pixmap: QPixmap | None = None  # the image in the screen's format
        self._scaled: QPixmap | None = None  # cached at the size last drawn, so repaints are plain blits
        self._preview = False
        self._caption = ""
        self._caption_source: str | Callable[[], str] = ""
        self._fit = True
        self._zoom = 1.0
        self._offset = QPointF(0, 0)
        self._drag_from: QPointF | None = None
        self.placeholder = ""

    # ------------------------------------------------------------------ content
    def set_image(self, image: Image.Image | None, *, preview: bool = False, caption: str | Callable[[], str] = "") -> None:
        """Show ``image``; a callable ``caption`` is re-read when the language changes."""
        self._image = to_qimage(image) if image is not None else None
        self._pixmap = QPixmap.fromImage(self._image) if self._image is not None else None
        self._scaled = None
        self._preview = preview
        self._caption_source = caption
        self._caption = caption() if callable(caption) else caption
        self.update()

    def has_image(self) -> bool:
        return self._image is not None

    def image_size(self) -> tuple[int, int] | None:
        return (self._image.width(), self._image.height()) if self._image is not None else None

    @property
    def is_preview(self) -> bool:
        return self._preview

    @property
    def caption(self) -> str:
        return self._caption

    # ------------------------------------------------------------------ zoom
    @property
    def zoom(self) -> float:
        return self._fit_scale() if self._fit else self._zoom

    @property
    def fitting(self) -> bool:
        return self._fit

    def fit(self) -> None:
        self._fit, self._offset = True, QPointF(0, 0)
        self.update()
        self.zoom_changed.emit(self.zoom)

    def set_zoom(self, zoom: float) -> None:
        self._fit = False
        self._zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self.update()
        self.zoom_changed.emit(self._zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * 1.25)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / 1.25)

    def actual_size(self) -> None:
        self._offset = QPointF(0, 0)
        self.set_zoom(1.0)

    def _fit_scale(self) -> float:
        if self._image is None or self._image.width() == 0:
            return 1.0
        margin = 24
        height = self.height() - margin - self._caption_height()
        return max(MIN_ZOOM, min((self.width() - margin) / self._image.width(), height / self._image.height()))

    def _caption_height(self) -> int:
        return self.fontMetrics().height() + 6 if self._caption else 0

    def _target(self) -> QRectF:
        assert self._image is not None
        s = self.zoom
        w, h = self._image.width() * s, self._image.height() * s
        x = (self.width() - w) / 2 + (0 if self._fit else self._offset.x())
        y = (self.height() - h - self._caption_height()) / 2 + (0 if self._fit else self._offset.y())
        return QRectF(x, y, w, h)

    # ------------------------------------------------------------------ Qt events
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange and callable(self._caption_source):
            self._caption = self._caption_source()
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(pal.ColorRole.Window).darker(108))
        if self._image is None:
            p.setPen(pal.color(pal.ColorRole.PlaceholderText))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        target = self._target()
        p.fillRect(target.adjusted(3, 4, 3, 4), QColor(0, 0, 0, 40))  # a soft shadow lifts the paper off the table
        p.drawPixmap(target.topLeft(), self._scaled_pixmap(target.size().toSize()))
        if self._preview:
            p.setPen(QPen(pal.color(pal.ColorRole.Highlight), 2, Qt.PenStyle.DashLine))
            p.drawRect(target)
        if self._caption:
            p.setPen(pal.color(pal.ColorRole.WindowText))
            p.drawText(
                QRectF(0, target.bottom() + 4, self.width(), self._caption_height()), Qt.AlignmentFlag.AlignHCenter, self._caption
            )

    def _scaled_pixmap(self, size: QSize) -> QPixmap:
        assert self._pixmap is not None
        if self._scaled is None or self._scaled.size() != size:
            if size == self._pixmap.size():
                self._scaled = self._pixmap
            else:
                mode = Qt.TransformationMode.SmoothTransformation
                self._scaled = self._pixmap.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, mode)
        return self._scaled

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self._image is None:
            return
        if event.angleDelta().y() > 0:
            self.zoom_in()
        elif event.angleDelta().y() < 0:
            self.zoom_out()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and not self._fit:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is not None:
            self._offset += event.position() - self._drag_from
            self._drag_from = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._drag_from = None
        self.unsetCursor()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.fit()
