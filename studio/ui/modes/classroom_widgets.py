"""Small widgets of the classroom mode: image tiles, rows of them, the log-SNR plot, a task tracker."""

from __future__ import annotations

import math
from typing import Any

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QSizePolicy, QWidget

from studio.ui.images import to_qimage


class ImageTile(QWidget):
    """One image drawn at a fixed size (pixels kept sharp), clickable, with an optional caption under it."""

    clicked = Signal()

    def __init__(self, image: Image.Image, size: int, caption: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.caption = caption
        self._pixmap = QPixmap.fromImage(to_qimage(image))
        self._size = size
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedSize(self.sizeHint())
        self.setToolTip(caption)

    def sizeHint(self) -> QSize:  # noqa: N802
        extra = self.fontMetrics().height() + 4 if self.caption else 0
        return QSize(self._size, self._size + extra)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        target = QRectF(0, 0, self._size, self._size)
        w, h = self._pixmap.width(), self._pixmap.height()
        if w and h:
            s = min(self._size / w, self._size / h)
            target = QRectF((self._size - w * s) / 2, (self._size - h * s) / 2, w * s, h * s)
        # small paintings are enlarged many times: nearest keeps each pixel honest, large ones scale smoothly
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, w >= self._size / 2)
        p.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
        if self.caption:
            p.setPen(self.palette().color(self.palette().ColorRole.WindowText))
            p.drawText(QRectF(0, self._size + 2, self._size, self.fontMetrics().height() + 2), Qt.AlignmentFlag.AlignHCenter,
                       self.caption)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()


class ImageRows(QWidget):
    """Labelled rows of image tiles on a grid (the filmstrip's x_t / x0 rows, the GAN / diffusion rows)."""

    tile_clicked = Signal(object, str)  # PIL image, its caption

    def __init__(self, tile: int = 96, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tile = tile
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(6, 6, 6, 6)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(10)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.rows: list[list[ImageTile]] = []
        self.row_labels: list[QLabel] = []

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows, self.row_labels = [], []

    def add_row(self, label: str, images: list[Image.Image], captions: list[str]) -> list[ImageTile]:
        r = len(self.rows)
        head = QLabel(label)
        # no word wrap: a wrapped label in a grid is given its height for another width and was cut off
        # (a model name broke over two lines); lines are the caller's, the column is as wide as they need
        head.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.grid.addWidget(head, r, 0)
        self.rows.append([])
        self.row_labels.append(head)
        for im, cap in zip(images, captions):
            self.add_tile(r, im, cap)
        return self.rows[r]

    def content_height(self) -> int:
        """The height every row needs, known as soon as the tiles are added (before they are shown and laid out)."""
        m = self.grid.contentsMargins()
        heights = [
            max([label.sizeHint().height(), *(t.sizeHint().height() for t in tiles)])
            for label, tiles in zip(self.row_labels, self.rows)
        ]
        return sum(heights) + self.grid.verticalSpacing() * max(0, len(heights) - 1) + m.top() + m.bottom()

    def add_tile(self, row: int, image: Image.Image, caption: str) -> ImageTile:
        """One more image at the end of ``row`` (a strip growing while the model paints)."""
        head = self.row_labels[row]
        tile = ImageTile(image, self.tile, caption)
        tile.clicked.connect(lambda: self.tile_clicked.emit(image, f"{head.text()} · {caption}"))
        self.grid.addWidget(tile, row, len(self.rows[row]) + 1)
        self.rows[row].append(tile)
        return tile


class SnrPlot(QWidget):
    """ln(SNR) of a noise schedule against t = 1..T, with a marker at the current t (QPainter, no plotting library)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_snr: list[float] = []
        self.t = 0
        self.title = ""
        self.x_label = "t"
        self.setMinimumSize(260, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_curve(self, log_snr: list[float]) -> None:
        self.log_snr = [v for v in log_snr]
        self.update()

    def set_t(self, t: int) -> None:
        self.t = t
        self.update()

    def _range(self) -> tuple[float, float]:
        finite = [v for v in self.log_snr if math.isfinite(v)]
        lo, hi = min(finite), max(finite)
        if hi - lo < 1e-6:
            lo, hi = lo - 1, hi + 1
        return math.floor(lo), math.ceil(hi)

    def point(self, t: int, plot: QRectF) -> QPointF:
        """Where (t, ln SNR(t)) is drawn; t = 0 (a clean painting, infinite SNR) sits on the top edge."""
        lo, hi = self._range()
        n = len(self.log_snr)
        x = plot.left() + plot.width() * t / max(1, n)
        v = hi if t <= 0 else self.log_snr[min(n, t) - 1]
        y = plot.bottom() - plot.height() * (min(hi, max(lo, v)) - lo) / (hi - lo)
        return QPointF(x, y)

    def plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left = fm.horizontalAdvance("-00") + 14
        right = fm.horizontalAdvance("0000") // 2 + 8  # room for the last t label under the right edge
        return QRectF(left, fm.height() + 10, self.width() - left - right, self.height() - 3 * fm.height() - 18)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        ink = pal.color(pal.ColorRole.WindowText)
        p.fillRect(self.rect(), pal.color(pal.ColorRole.Base))
        fm = self.fontMetrics()
        p.setPen(ink)
        p.drawText(QRectF(0, 2, self.width(), fm.height() + 4), Qt.AlignmentFlag.AlignHCenter, self.title)
        if not self.log_snr:
            return
        plot = self.plot_rect()
        lo, hi = self._range()
        grid = QColor(ink)
        grid.setAlpha(40)
        step = next(k for k in (1, 2, 5, 10, 20, 50, 100, 1000) if (hi - lo) / k <= 7)
        v = math.ceil(lo / step) * step
        while v <= hi:
            y = plot.bottom() - plot.height() * (v - lo) / (hi - lo)
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(ink)
            p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()), Qt.AlignmentFlag.AlignRight, str(int(v)))
            v += step
        zero = QColor(ink)
        zero.setAlpha(110)
        if lo < 0 < hi:  # SNR = 1: signal and noise equally strong
            y = plot.bottom() - plot.height() * (0 - lo) / (hi - lo)
            p.setPen(QPen(zero, 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.setPen(QPen(ink, 1))
        p.drawRect(plot)
        n = len(self.log_snr)
        for t in (0, n // 2, n):
            x = plot.left() + plot.width() * t / n
            p.drawText(QRectF(x - 30, plot.bottom() + 3, 60, fm.height()), Qt.AlignmentFlag.AlignHCenter, str(t))
        p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 4, plot.width(), fm.height()),
                   Qt.AlignmentFlag.AlignHCenter, self.x_label)
        path = QPainterPath(self.point(1, plot))
        for t in range(2, n + 1):
            path.lineTo(self.point(t, plot))
        p.setPen(QPen(QColor(40, 40, 40) if ink.lightness() < 128 else QColor(220, 220, 220), 2))
        p.drawPath(path)
        at = self.point(self.t, plot)
        red = QColor(178, 34, 34)  # the seal's vermilion
        p.setPen(QPen(red, 1, Qt.PenStyle.DotLine))
        p.drawLine(QPointF(at.x(), plot.top()), QPointF(at.x(), plot.bottom()))
        p.setPen(QPen(red, 2))
        p.setBrush(red)
        p.drawEllipse(at, 5, 5)


class ModelChoice(QComboBox):
    """The catalog's models of some kinds (e.g. only diffusion models for the filmstrip)."""

    def __init__(self, kinds: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kinds = kinds
        self._records: list[Any] = []
        # as wide as about 16 characters (the list shows names whole): a row of controls with two long
        # model names was wider than the window and scrolled the view sideways, cutting off its ends
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.currentTextChanged.connect(self.setToolTip)

    def set_records(self, records: list[Any], prefer: Any | None = None) -> None:
        keep = self.current_record()
        fitting = [r for r in records if r.kind in self.kinds]
        if [r.id for r in fitting] == [r.id for r in self._records] and keep is not None:
            return
        self._records = fitting
        self.blockSignals(True)
        self.clear()
        for r in fitting:
            self.addItem(r.name if r.name == r.id else f"{r.name} ({r.id})")
        choice = next((i for i, r in enumerate(fitting) if keep is not None and r.id == keep.id), None)
        if choice is None:
            choice = next((i for i, r in enumerate(fitting) if prefer is not None and r.id == prefer.id), 0)
        if fitting:
            self.setCurrentIndex(choice)
        self.setToolTip(self.currentText())
        self.blockSignals(False)

    def current_record(self) -> Any | None:
        i = self.currentIndex()
        return self._records[i] if 0 <= i < len(self._records) else None

    def select(self, model_id: str) -> bool:
        for i, r in enumerate(self._records):
            if r.id == model_id:
                self.setCurrentIndex(i)
                return True
        return False
