"""The Inpaint mode's canvas: a painting with a mask painted over it (brush, eraser, rectangle, lasso).

The mask is a QImage (Grayscale8, the painting's size): 255 = repaint, 0 = keep. Every finished
edit is announced by ``edited(before, after, tool)`` so the page can push it on its undo stack;
``set_mask`` puts a mask back exactly (undo/redo).
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QWidget

from studio.ui.images import to_qimage

OVERLAY = QColor(196, 48, 36, 120)  # seal vermilion, translucent


def mask_to_array(mask: QImage) -> np.ndarray:
    """uint8 (h, w) copy of a Grayscale8 QImage (rows are padded to 4 bytes in Qt)."""
    w, h, bpl = mask.width(), mask.height(), mask.bytesPerLine()
    return np.frombuffer(mask.constBits(), np.uint8, count=bpl * h).reshape(h, bpl)[:, :w].copy()


def array_to_mask(arr: np.ndarray) -> QImage:
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    h, w = arr.shape
    return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def overlay_from_mask(arr: np.ndarray, color: QColor = OVERLAY) -> QImage:
    h, w = arr.shape
    rgba = np.zeros((h, w, 4), np.uint8)
    on = arr >= 128
    rgba[on] = (color.red(), color.green(), color.blue(), color.alpha())
    return QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()


class MaskCanvas(QWidget):
    edited = Signal(object, object, str)  # mask before, mask after (QImage), tool name
    size_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(240, 200)
        self.tool = "brush"
        self.brush_size = 32
        self.overlay_visible = True
        self.placeholder = ""
        self.caption = ""
        self._original: QImage | None = None
        self._result: QImage | None = None
        self._showing_before = False
        self._held_before = False  # Space held down
        self.mask = QImage()
        self._overlay = QImage()
        self._before_edit: QImage | None = None
        self._last: QPointF | None = None
        self._drag_start: QPointF | None = None
        self._lasso: list[QPointF] = []
        self._hover: QPointF | None = None
        self._subtract = False

    # ------------------------------------------------------------------ content
    def has_image(self) -> bool:
        return self._original is not None

    def image_size(self) -> tuple[int, int]:
        return (self._original.width(), self._original.height()) if self._original is not None else (0, 0)

    def set_painting(self, image: Image.Image) -> None:
        """A new painting: empty mask, no result."""
        self._original = to_qimage(image)
        self._result = None
        self._showing_before = False
        self.mask = QImage(self._original.size(), QImage.Format.Format_Grayscale8)
        self.mask.fill(0)
        self._overlay = overlay_from_mask(mask_to_array(self.mask))
        self.update()

    def set_result(self, image: Image.Image | None) -> None:
        self._result = to_qimage(image) if image is not None else None
        self._showing_before = False
        self.update()

    def set_before(self, before: bool) -> None:
        self._showing_before = before
        self.update()

    def showing_before(self) -> bool:
        return self._result is None or self._showing_before or self._held_before

    def shown_image(self) -> QImage | None:
        return self._original if self.showing_before() else self._result

    def set_overlay_visible(self, visible: bool) -> None:
        self.overlay_visible = visible
        self.update()

    def set_mask(self, mask: QImage) -> None:
        self.mask = mask.copy()
        self._overlay = overlay_from_mask(mask_to_array(self.mask))
        self.update()

    def paste_mask(self, at: QPoint, part: QImage) -> None:
        """Put ``part`` (a piece of a mask) back at ``at`` exactly (undo/redo of one edit)."""
        p = QPainter(self.mask)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        p.drawImage(at, part)
        p.end()
        self.set_mask(self.mask)

    def mask_array(self) -> np.ndarray:
        """bool (h, w): True = repaint."""
        return mask_to_array(self.mask) >= 128 if not self.mask.isNull() else np.zeros((0, 0), bool)

    def set_brush_size(self, size: int) -> None:
        size = max(1, min(512, int(size)))
        if size != self.brush_size:
            self.brush_size = size
            self.size_changed.emit(size)
            self.update()

    # ------------------------------------------------------------------ whole-mask edits
    def apply(self, new_mask: np.ndarray, tool: str) -> None:
        """Replace the mask with ``new_mask`` (uint8 or bool) as one undoable edit."""
        before = self.mask.copy()
        arr = new_mask.astype(np.uint8) * 255 if new_mask.dtype == bool else new_mask
        self.set_mask(array_to_mask(arr))
        self.edited.emit(before, self.mask.copy(), tool)

    def clear_mask(self) -> None:
        if self.has_image():
            self.apply(np.zeros(self.mask_array().shape, bool), "clear")

    def invert_mask(self) -> None:
        if self.has_image():
            self.apply(~self.mask_array(), "invert")

    # ------------------------------------------------------------------ geometry
    def _target(self) -> QRectF:
        if self._original is None:
            return QRectF()
        iw, ih = self._original.width(), self._original.height()
        scale = min((self.width() - 16) / iw, (self.height() - 16) / ih)
        scale = max(scale, 1e-3)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def scale(self) -> float:
        t = self._target()
        return t.width() / self._original.width() if self._original is not None and t.width() else 1.0

    def to_image(self, pos: QPointF) -> QPointF:
        t = self._target()
        s = self.scale()
        return QPointF((pos.x() - t.x()) / s, (pos.y() - t.y()) / s)

    def to_widget(self, p: QPointF) -> QPointF:
        t = self._target()
        s = self.scale()
        return QPointF(t.x() + p.x() * s, t.y() + p.y() * s)

    # ------------------------------------------------------------------ painting onto the mask
    def _painters(self, erase: bool) -> tuple[QPainter, QPainter]:
        pm, po = QPainter(self.mask), QPainter(self._overlay)
        pm.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # a binary mask
        po.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        po.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        return pm, po

    def _colors(self, erase: bool) -> tuple[QColor, QColor]:
        return (QColor(0, 0, 0), QColor(0, 0, 0, 0)) if erase else (QColor(255, 255, 255), OVERLAY)

    def _dab(self, a: QPointF, b: QPointF | None, erase: bool) -> None:
        pm, po = self._painters(erase)
        for painter, color in zip((pm, po), self._colors(erase)):
            if b is None:
                r = self.brush_size / 2
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QBrush(color))
                painter.drawEllipse(a, r, r)
            else:
                pen = QPen(color, self.brush_size, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.drawLine(a, b)
            painter.end()
        self.update()

    def _fill(self, polygon: QPolygonF, erase: bool) -> None:
        pm, po = self._painters(erase)
        for painter, color in zip((pm, po), self._colors(erase)):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(color))
            painter.drawPolygon(polygon)
            painter.end()
        self.update()

    def stroke(self, points: list[tuple[float, float]], tool: str | None = None) -> None:
        """Paint a whole brush/eraser stroke, rectangle (two corners) or lasso (polygon) in image pixels."""
        tool = tool or self.tool
        if not self.has_image() or not points:
            return
        before = self.mask.copy()
        pts = [QPointF(x, y) for x, y in points]
        self._apply_tool(tool, pts, False)
        self.edited.emit(before, self.mask.copy(), tool)

    def _apply_tool(self, tool: str, pts: list[QPointF], subtract: bool) -> None:
        if tool in ("brush", "eraser"):
            erase = tool == "eraser"
            self._dab(pts[0], None, erase)
            for a, b in zip(pts, pts[1:]):
                self._dab(a, b, erase)
        elif tool == "rect":
            a, b = pts[0], pts[-1]
            r = QRectF(a, b).normalized()
            self._fill(QPolygonF(r), subtract)
        elif tool == "lasso" and len(pts) >= 3:
            self._fill(QPolygonF(pts), subtract)

    # ------------------------------------------------------------------ mouse and keys
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self.has_image() or event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return super().mousePressEvent(event)
        p = self.to_image(event.position())
        self._subtract = event.button() == Qt.MouseButton.RightButton or bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        self._before_edit = self.mask.copy()
        if self.tool in ("brush", "eraser"):
            erase = (self.tool == "eraser") != self._subtract
            self._dab(p, None, erase)
            self._last = p
        elif self.tool == "rect":
            self._drag_start = p
            self._hover = p
        elif self.tool == "lasso":
            self._lasso = [p]
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        p = self.to_image(event.position())
        self._hover = p
        if self._before_edit is not None:
            if self.tool in ("brush", "eraser") and self._last is not None:
                self._dab(self._last, p, (self.tool == "eraser") != self._subtract)
                self._last = p
            elif self.tool == "lasso":
                self._lasso.append(p)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._before_edit is None:
            return super().mouseReleaseEvent(event)
        p = self.to_image(event.position())
        if self.tool == "rect" and self._drag_start is not None:
            self._apply_tool("rect", [self._drag_start, p], self._subtract)
        elif self.tool == "lasso":
            self._lasso.append(p)
            self._apply_tool("lasso", self._lasso, self._subtract)
        before, self._before_edit = self._before_edit, None
        self._last, self._drag_start, self._lasso = None, None, []
        if before != self.mask:
            self.edited.emit(before, self.mask.copy(), self.tool)
        self.update()

    def leaveEvent(self, event: object) -> None:  # noqa: N802
        self._hover = None
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._held_before = True
            self.update()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._held_before = False
            self.update()
            return
        super().keyReleaseEvent(event)

    # ------------------------------------------------------------------ drawing
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.scale() < 1)
        if self._original is None:
            p.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
            p.drawText(
                self.rect().adjusted(16, 16, -16, -16), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder
            )
            return
        target = self._target()
        shown = self.shown_image()
        p.drawImage(target, shown if shown is not None else self._original)
        if self.overlay_visible:
            p.drawImage(target, self._overlay)
        s = self.scale()
        pen = QPen(QColor(30, 30, 30), 1, Qt.PenStyle.DashLine)
        if self.tool == "rect" and self._drag_start is not None and self._hover is not None:
            p.setPen(pen)
            p.drawRect(QRectF(self.to_widget(self._drag_start), self.to_widget(self._hover)).normalized())
        elif self.tool == "lasso" and len(self._lasso) > 1:
            p.setPen(pen)
            p.drawPolyline(QPolygonF([self.to_widget(q) for q in self._lasso]))
        elif self.tool in ("brush", "eraser") and self._hover is not None:
            p.setPen(QPen(QColor(255, 255, 255), 2))
            c = self.to_widget(self._hover)
            r = self.brush_size * s / 2
            p.drawEllipse(c, r, r)
            p.setPen(QPen(QColor(20, 20, 20), 1))
            p.drawEllipse(c, r, r)
        if self.caption or (self._result is not None):
            text = self.caption
            if self._result is not None and self.showing_before():
                text = (text + " · " if text else "") + self.tr("original")
            if text:
                p.setPen(self.palette().color(self.palette().ColorRole.Text))
                p.drawText(self.rect().adjusted(8, 4, -8, -4), Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, text)
