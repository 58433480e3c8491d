"""The Inpaint mode (局部重绘): paint a mask over a painting and let the model repaint it.

Open a painting (File dialog, drop it on the tab, or pick one from the gallery), paint the mask
(B brush, E eraser, R rectangle, L lasso, [ ] size, Ctrl+Z / Ctrl+Shift+Z), press Inpaint: the
candidates are made on the inference thread (``studio.work.inpaint``) and appear in a strip;
pick one (Space or the Before/After button compares it with the original) and Keep it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image
from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QImage, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.api import DEFAULT_INPAINT_STEPS, DEFAULT_JUMPS, InpaintRequest, JobEvent, JobKind, methods_for, random_seed
from studio.config import paths
from studio.engine.images import Painting
from studio.errors import StudioError
from studio.ui.gallery import make_thumbnail
from studio.ui.images import thumbnail_icon
from studio.ui.modes.maskcanvas import MaskCanvas, mask_to_array
from studio.ui.panels import SeedBox, icon
from studio.ui.tracker import JobTracker
from studio.work.inpaint import make_inpaint_run

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow  # the shell the mode lives in

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif")
THUMB = 72
CANDIDATE_ROLE = Qt.ItemDataRole.UserRole


class MaskEdit(QUndoCommand):
    """One stroke/fill/clear/invert: the changed rectangle of the mask before and after, so undo
    restores it exactly while a long history of small strokes on a large painting stays small."""

    def __init__(self, canvas: MaskCanvas, before: QImage, after: QImage, text: str) -> None:
        super().__init__(text)
        self.canvas = canvas
        changed = mask_to_array(before) != mask_to_array(after)
        rows, cols = np.flatnonzero(changed.any(1)), np.flatnonzero(changed.any(0))
        self.rect = QRect(int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1))
        self.before, self.after = before.copy(self.rect), after.copy(self.rect)
        self._first = True

    @staticmethod
    def changes(before: QImage, after: QImage) -> bool:
        return before != after

    def redo(self) -> None:
        if self._first:  # the canvas already shows it
            self._first = False
            return
        self.canvas.paste_mask(self.rect.topLeft(), self.after)

    def undo(self) -> None:
        self.canvas.paste_mask(self.rect.topLeft(), self.before)


class InpaintPage(QWidget):
    """The Inpaint tab."""

    def __init__(self, shell: MainWindow) -> None:
        super().__init__()
        self.shell = shell
        self.setObjectName("inpaintPage")
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(200)
        self.painting: Image.Image | None = None
        self.painting_name = "painting"
        self.painting_style: str | None = None  # the opened painting's own ink style (from its PNG settings)
        self._style_picked = False  # the painter chose a style here for this painting
        self.candidates: list[Painting] = []
        self.tracker = JobTracker(shell.runner, self)  # the inpainting job
        self._notices: list[str] = []  # what the running job said about the painting (its size, its mask)
        self._kind = "diffusion"
        self._message_source: str | Callable[[], str] = ""
        self._progress_source: Callable[[], str] = lambda: self.tr("Ready")
        self._build()
        self._shortcuts()
        self.tracker.event.connect(self._on_event)
        shell.model_panel.model_changed.connect(self._on_model)
        shell.model_panel.style_changed.connect(self._follow_side_panel)
        self._on_model(shell.model_panel.current_record())
        self.retranslate()
        self._update_enabled()

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        self.canvas = MaskCanvas()
        self.canvas.edited.connect(self._on_edited)
        self.canvas.size_changed.connect(lambda s: self.size_slider.setValue(s))

        self.open_button = QToolButton()
        self.open_button.setIcon(icon("open"))
        self.open_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.open_button.clicked.connect(self.open_dialog)
        self.gallery_button = QToolButton()
        self.gallery_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.gallery_menu = QMenu(self.gallery_button)
        self.gallery_menu.aboutToShow.connect(self._fill_gallery_menu)
        self.gallery_button.setMenu(self.gallery_menu)

        self.tool_group = QButtonGroup(self)
        self.tool_buttons: dict[str, QToolButton] = {}
        for name in ("brush", "eraser", "rect", "lasso"):
            b = QToolButton()
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, n=name: self.set_tool(n))
            self.tool_group.addButton(b)
            self.tool_buttons[name] = b
        self.tool_buttons["brush"].setIcon(icon("brush"))
        self.tool_buttons["brush"].setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.tool_buttons["brush"].setChecked(True)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(1, 256)
        self.size_slider.setValue(self.canvas.brush_size)
        self.size_slider.valueChanged.connect(self.canvas.set_brush_size)
        self.size_label = QLabel()
        self.size_slider.valueChanged.connect(lambda v: self.size_label.setText(str(v)))
        self.size_label.setText(str(self.canvas.brush_size))
        self.size_label.setMinimumWidth(28)
        self.clear_button = QToolButton()
        self.clear_button.clicked.connect(self.canvas.clear_mask)
        self.invert_button = QToolButton()
        self.invert_button.clicked.connect(self.canvas.invert_mask)
        self.undo_button = QToolButton()
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QToolButton()
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.overlay_button = QToolButton()
        self.overlay_button.setCheckable(True)
        self.overlay_button.setChecked(True)
        self.overlay_button.toggled.connect(self.canvas.set_overlay_visible)
        self.before_button = QToolButton()
        self.before_button.setCheckable(True)
        self.before_button.toggled.connect(self.canvas.set_before)
        self.save_mask_button = QToolButton()
        self.save_mask_button.clicked.connect(self.save_mask_dialog)

        tools = QHBoxLayout()
        tools.setSpacing(4)
        for w in (self.open_button, self.gallery_button):
            tools.addWidget(w)
        tools.addStretch(1)
        for w in (self.overlay_button, self.before_button):
            tools.addWidget(w)

        self.mask_box = QGroupBox()
        grid = QGridLayout(self.mask_box)
        grid.setSpacing(4)
        expanding = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        cells = (
            (self.tool_buttons["brush"], 0, 0),
            (self.tool_buttons["eraser"], 0, 1),
            (self.tool_buttons["rect"], 1, 0),
            (self.tool_buttons["lasso"], 1, 1),
            (self.clear_button, 3, 0),
            (self.invert_button, 3, 1),
            (self.undo_button, 4, 0),
            (self.redo_button, 4, 1),
            (self.save_mask_button, 5, 0),
        )
        for w, row, col in cells:
            w.setSizePolicy(expanding)
            grid.addWidget(w, row, col, 1, 2 if w is self.save_mask_button else 1)
        size_row = QHBoxLayout()
        self.size_caption = QLabel()
        size_row.addWidget(self.size_caption)
        size_row.addWidget(self.size_slider, 1)
        size_row.addWidget(self.size_label)
        grid.addLayout(size_row, 2, 0, 1, 2)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.message_level = ""

        self.preview = QLabel()
        self.preview.setFixedSize(THUMB + 8, THUMB + 8)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.strip = QListWidget()
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setFlow(QListView.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setMovement(QListView.Movement.Static)
        self.strip.setIconSize(QSize(THUMB, THUMB))
        self.strip.setGridSize(QSize(THUMB + 24, THUMB + 24))
        self.strip.setFixedHeight(THUMB + 36)
        self.strip.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.strip.currentRowChanged.connect(self.pick)
        self.keep_button = QPushButton()
        self.keep_button.clicked.connect(self.keep)
        self.save_as_button = QPushButton()
        self.save_as_button.clicked.connect(self.save_as_dialog)
        keep_col = QVBoxLayout()
        keep_col.addWidget(self.keep_button)
        keep_col.addWidget(self.save_as_button)
        keep_col.addStretch(1)
        strip_row = QHBoxLayout()
        strip_row.addWidget(self.preview)
        strip_row.addWidget(self.strip, 1)
        strip_row.addLayout(keep_col)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)  # a reset bar (-1) hides its text
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)

        left = QVBoxLayout()
        left.addLayout(tools)
        left.addWidget(self.message)
        left.addWidget(self.canvas, 1)
        left.addLayout(strip_row)
        left.addLayout(progress_row)

        self.settings_box = QGroupBox()
        form = QFormLayout(self.settings_box)
        self.method = QComboBox()
        self.method.currentTextChanged.connect(self._on_method)
        self.steps = QSpinBox()
        self.steps.setRange(1, 1000)
        self.jumps = QSpinBox()
        self.jumps.setRange(1, 20)
        self.seed = SeedBox(random_seed())
        self.dice = QToolButton()
        self.dice.setIcon(icon("dice"))
        self.dice.clicked.connect(self.roll_seed)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.dice)
        self.count = QSpinBox()
        self.count.setRange(1, 16)
        self.count.setValue(4)
        self.style_combo = QComboBox()
        self.style_combo.setObjectName("inpaintStyle")
        self.style_combo.activated.connect(self._on_style_picked)
        self.method_label, self.steps_label, self.jumps_label = QLabel(), QLabel(), QLabel()
        self.seed_label, self.count_label, self.style_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.style_label, self.style_combo)
        form.addRow(self.method_label, self.method)
        form.addRow(self.steps_label, self.steps)
        form.addRow(self.jumps_label, self.jumps)
        form.addRow(self.seed_label, seed_row)
        form.addRow(self.count_label, self.count)
        self.generate_button = QPushButton()
        self.generate_button.setIcon(icon("brush"))
        self.generate_button.clicked.connect(self.generate)
        form.addRow(self.generate_button)
        self.help_label = QLabel()
        self.help_label.setWordWrap(True)
        form.addRow(self.help_label)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.mask_box)
        right.addWidget(self.settings_box)
        right.addStretch(1)
        right_w = QWidget()
        right_w.setLayout(right)
        right_w.setFixedWidth(240)

        inner = QWidget()
        layout = QHBoxLayout(inner)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(left, 1)
        layout.addWidget(right_w)
        # in a small window the page scrolls instead of forcing the window to grow
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _shortcuts(self) -> None:
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut

        def sc(keys: str, slot: Any) -> QShortcut:
            s = QShortcut(QKeySequence(keys), self)
            s.setContext(ctx)
            s.activated.connect(slot)
            return s

        sc("B", lambda: self.set_tool("brush"))
        sc("E", lambda: self.set_tool("eraser"))
        sc("R", lambda: self.set_tool("rect"))
        sc("L", lambda: self.set_tool("lasso"))
        sc("[", lambda: self.canvas.set_brush_size(round(self.canvas.brush_size / 1.25)))
        sc("]", lambda: self.canvas.set_brush_size(max(self.canvas.brush_size + 1, round(self.canvas.brush_size * 1.25))))
        sc("M", self.overlay_button.toggle)
        sc("Ctrl+Z", self.undo_stack.undo)
        sc("Ctrl+Shift+Z", self.undo_stack.redo)
        sc("Ctrl+Y", self.undo_stack.redo)

    # ------------------------------------------------------------------ language
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        modes = self.shell.modes
        modes.setTabText(modes.indexOf(self), self.tr("Inpaint"))
        self.canvas.placeholder = self.tr(
            "Open a painting (button above, or drop an image file here, or pick one from the gallery),\n"
            "paint over what should be repainted, then press Inpaint."
        )
        self.canvas.update()
        self.open_button.setText(self.tr("Open…"))
        self.open_button.setToolTip(self.tr("Open a painting to inpaint (or drop an image file on this tab)"))
        self.gallery_button.setText(self.tr("From gallery"))
        self.gallery_button.setToolTip(self.tr("Inpaint one of the paintings in the gallery"))
        names = {
            "brush": (self.tr("Brush"), self.tr("Paint what should be repainted (B)")),
            "eraser": (self.tr("Eraser"), self.tr("Erase the mask (E)")),
            "rect": (self.tr("Rectangle"), self.tr("Drag a rectangle to fill it; right button or Alt removes (R)")),
            "lasso": (self.tr("Lasso"), self.tr("Draw a closed shape to fill it; right button or Alt removes (L)")),
        }
        for name, (text, tip) in names.items():
            self.tool_buttons[name].setText(text)
            self.tool_buttons[name].setToolTip(tip)
        self.size_slider.setToolTip(self.tr("Brush size in pixels of the painting ([ and ])"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Clear the mask"))
        self.invert_button.setText(self.tr("Invert"))
        self.invert_button.setToolTip(self.tr("Repaint everything except what is masked"))
        self.undo_button.setText(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last stroke (Ctrl+Z)"))
        self.redo_button.setText(self.tr("Redo"))
        self.redo_button.setToolTip(self.tr("Redo (Ctrl+Shift+Z)"))
        self.overlay_button.setText(self.tr("Show mask"))
        self.overlay_button.setToolTip(self.tr("Show or hide the mask (M)"))
        self.before_button.setText(self.tr("Before/After"))
        self.before_button.setToolTip(self.tr("Show the original instead of the chosen result (or hold Space)"))
        self.save_mask_button.setText(self.tr("Save mask…"))
        self.save_mask_button.setToolTip(self.tr("Save the mask as a PNG (white = repaint)"))
        self.keep_button.setText(self.tr("Keep"))
        self.keep_button.setToolTip(self.tr("Save the chosen result into the gallery (PNG with its settings)"))
        self.save_as_button.setText(self.tr("Save as…"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.settings_box.setTitle(self.tr("Inpaint"))
        self.mask_box.setTitle(self.tr("Mask"))
        self.size_caption.setText(self.tr("Size"))
        self.method_label.setText(self.tr("Method"))
        self.steps_label.setText(self.tr("Steps"))
        self.jumps_label.setText(self.tr("Jumps"))
        self.seed_label.setText(self.tr("Seed"))
        self.count_label.setText(self.tr("Candidates"))
        self.style_label.setText(self.tr("Ink style"))
        self.style_combo.setToolTip(
            self.tr("The style the masked part is repainted in; a painting made here starts with its own style")
        )
        self._choose_style(self.current_style())
        self.dice.setToolTip(self.tr("Random seed"))
        self.generate_button.setText(self.tr("Inpaint"))
        self.method.setToolTip(
            self.tr("blend: fast, any sampler · repaint: RePaint, slower, more coherent · invert: GAN latent search")
        )
        self.jumps.setToolTip(self.tr("Resampling passes that let the hole and its surroundings agree"))
        self.help_label.setText(self.tr("Candidate k uses seed + k. Pixels away from the mask stay exactly as in the original."))
        self.progress.setFormat(self._progress_source())
        if callable(self._message_source):
            self.show_message(self._message_source, self.message_level)
        for i, c in enumerate(self.candidates):
            self.strip.item(i).setText(self.tr("seed {0}").format(c.seed))
        self._caption()

    # ------------------------------------------------------------------ messages
    def show_message(self, text: str | Callable[[], str], level: str = "info") -> None:
        """A line above the canvas; a callable is re-read when the language changes."""
        self._message_source = text
        text = text() if callable(text) else text
        self.message_level = level
        color = "#a8321e" if level == "error" else "palette(text)"
        self.message.setStyleSheet(f"color: {color}; padding: 2px 4px;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ opening
    def open_dialog(self) -> None:
        pattern = " ".join(f"*{s}" for s in IMAGE_SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a painting to inpaint"), str(paths.gallery_dir()), self.tr("Images ({0})").format(pattern)
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> None:
        """Read ``path`` off the GUI thread (any mode is converted to RGB, with notices)."""
        from studio.engine.images import load_image_rgb
        from studio.engine.pngmeta import read_png_meta

        path = Path(path)

        def load() -> tuple[Any, str | None]:
            loaded = load_image_rgb(path, downscale=True)
            try:
                style = read_png_meta(path).get("style")
            except StudioError:  # not painted here: no settings to read
                style = None
            return loaded, style if isinstance(style, str) else None

        def done(result: Any, error: str | None) -> None:
            if error is not None:
                self.show_message(error, "error")
                return
            loaded, style = result
            self.set_painting(loaded.image, path.stem, notices=loaded.notices, style=style)

        self.shell.runner.run_io(load, done)

    def set_painting(
        self,
        image: Image.Image,
        name: str = "painting",
        notices: tuple[str, ...] | list[str] = (),
        *,
        style: str | None = None,
    ) -> None:
        """Open ``image`` for inpainting; ``style`` is its own ink style (the tab's default), None when unknown."""
        if self.job_id:  # its candidates belong to the painting being replaced
            self.cancel()
            self.tracker.forget()
            self._status(lambda: self.tr("Cancelled"))
        self.painting = image.convert("RGB")
        self.painting_name = name
        self.painting_style = style
        self._style_picked = False
        self._choose_style(style or self.shell.model_panel.current_style())
        self.canvas.set_painting(self.painting)
        self.undo_stack.clear()
        self._set_candidates([])
        self.before_button.setChecked(False)
        self.overlay_button.setChecked(True)
        longer = max(self.painting.size)
        self.size_slider.setMaximum(max(8, min(512, longer // 2)))
        self.canvas.set_brush_size(max(2, round(longer / 16)))
        self.size_slider.setValue(self.canvas.brush_size)
        modes = self.shell.modes
        modes.setCurrentIndex(modes.indexOf(self))
        w, h = self.painting.size
        self.show_message(
            lambda: " · ".join([self.tr("{0}: {1} × {2} px. Paint over what should be repainted.").format(name, w, h), *notices])
        )
        self._update_enabled()
        self.canvas.setFocus()

    def _fill_gallery_menu(self) -> None:
        self.gallery_menu.clear()
        gallery = self.shell.gallery
        if gallery.count() == 0:
            a = self.gallery_menu.addAction(self.tr("The gallery is empty"))
            a.setEnabled(False)
            return
        for i in reversed(range(max(0, gallery.count() - 40), gallery.count())):  # newest first
            item = gallery.item(i)
            path = item.data(Qt.ItemDataRole.UserRole)
            a = self.gallery_menu.addAction(item.icon(), f"{item.text()} · {Path(path).name}")
            a.triggered.connect(lambda _=False, p=path: self.open_path(Path(p)))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._dropped_image(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = self._dropped_image(event)
        if path is not None:
            self.open_path(path)
            event.acceptProposedAction()

    @staticmethod
    def _dropped_image(event: Any) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES:
                return Path(url.toLocalFile())
        return None

    # ------------------------------------------------------------------ mask tools
    def set_tool(self, name: str) -> None:
        self.canvas.tool = name
        self.tool_buttons[name].setChecked(True)
        self.canvas.update()

    def _on_edited(self, before: QImage, after: QImage, tool: str) -> None:
        if MaskEdit.changes(before, after):
            self.undo_stack.push(MaskEdit(self.canvas, before, after, tool))

    def save_mask_dialog(self) -> None:
        if not self.canvas.has_image():
            return
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save mask"), str(Path.home() / f"{self.painting_name}-mask.png"), self.tr("PNG image (*.png)")
        )
        if target:
            self.save_mask(Path(target))

    def save_mask(self, target: Path) -> Path | None:
        """The mask as an 8-bit PNG: white = repaint, black = keep (what ``inkstudio inpaint --mask`` reads)."""
        target = Path(target).with_suffix(".png") if Path(target).suffix.lower() != ".png" else Path(target)
        arr = self.canvas.mask_array().astype("uint8") * 255
        tmp = target.with_name(f".{target.name}.part")
        try:
            Image.fromarray(arr, mode="L").save(tmp, format="PNG")
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self.show_message(self.tr("Cannot save {0}: {1}").format(target.name, exc.strerror or exc), "error")
            return None
        self.show_message(lambda: self.tr("Mask saved to {0}").format(target))
        return target

    # ------------------------------------------------------------------ model and settings
    def _status(self, text: Callable[[], str]) -> None:
        """The progress bar's text (re-read when the language changes)."""
        self._progress_source = text
        self.progress.setFormat(text())

    def _on_model(self, record: Any) -> None:
        self._kind = getattr(record, "kind", "diffusion") or "diffusion"
        current = self.method.currentText()
        methods = methods_for(self._kind)
        self.method.blockSignals(True)
        self.method.clear()
        self.method.addItems(list(methods))
        self.method.setCurrentText(current if current in methods else methods[0])
        self.method.blockSignals(False)
        self._on_method(self.method.currentText())
        self._styles = list(getattr(record, "styles", None) or [])
        self._choose_style(self.current_style() or self.painting_style or self.shell.model_panel.current_style())

    def _on_style_picked(self, _index: int) -> None:
        self._style_picked = True

    def _follow_side_panel(self, style: str | None) -> None:
        """Without a style of the painting's own or one chosen here, the tab shows the side panel's."""
        if self.painting_style is None and not self._style_picked and style:
            self._choose_style(style)

    def current_style(self) -> str | None:
        """The ink style the candidates are painted in (None: the model has only one)."""
        data = self.style_combo.currentData()
        return data if isinstance(data, str) and data else None

    def _choose_style(self, wanted: str | None) -> None:
        """Offer the model's styles; select ``wanted`` when it is one of them, else the model's first."""
        styles = getattr(self, "_styles", [])
        self.style_combo.blockSignals(True)
        self.style_combo.clear()
        for name in styles:
            self.style_combo.addItem(self._style_text(name), name)
        if not styles:
            self.style_combo.addItem(self.tr("the model's only style"), "")
        index = self.style_combo.findData(wanted) if wanted else -1
        self.style_combo.setCurrentIndex(max(0, index))
        self.style_combo.setEnabled(bool(styles))
        self.style_combo.blockSignals(False)

    def _style_text(self, name: str) -> str:
        own = self.tr(" (the painting's own)") if name == self.painting_style else ""
        if name == "light":
            return self.tr("淡墨 light ink") + own
        if name == "dark":
            return self.tr("浓墨 dark ink") + own
        return name + own

    def _on_method(self, method: str) -> None:
        if not method:
            return
        self.steps.setValue(DEFAULT_INPAINT_STEPS.get(method, 20))
        jumps = DEFAULT_JUMPS.get(method)  # None: the method has no resampling passes
        self.jumps.setEnabled(bool(jumps))
        if jumps:
            self.jumps.setValue(jumps)

    def roll_seed(self) -> None:
        self.seed.roll()

    def _update_enabled(self) -> None:
        has = self.canvas.has_image()
        running = self.job_id != 0
        for w in (
            self.clear_button,
            self.invert_button,
            self.save_mask_button,
            self.overlay_button,
            *self.tool_buttons.values(),
        ):
            w.setEnabled(has)
        self.generate_button.setEnabled(has and not running)
        self.cancel_button.setEnabled(running)
        chosen = self.strip.currentRow() >= 0
        self.keep_button.setEnabled(chosen)
        self.save_as_button.setEnabled(chosen)
        self.before_button.setEnabled(chosen)
        self.undo_button.setEnabled(self.undo_stack.canUndo())
        self.redo_button.setEnabled(self.undo_stack.canRedo())

    # ------------------------------------------------------------------ the job
    def generate(self) -> Any:
        if self.painting is None:
            self.show_message(lambda: self.tr("Open a painting first."), "error")
            return None
        if self.job_id:
            return None
        record = self.shell.model_panel.current_record()
        if record is None:
            self.show_message(lambda: self.tr("Choose a model first (in the Paint tab's model list)."), "error")
            return None
        mask = self.canvas.mask_array()
        if not mask.any():
            self.show_message(lambda: self.tr("The mask is empty: paint over what should be repainted first."), "error")
            return None
        method = self.method.currentText() or None
        params = InpaintRequest(
            seed=self.seed.value(),
            count=self.count.value(),
            method=method,
            style=self.current_style(),
            steps=self.steps.value(),
            jumps=self.jumps.value() if self.jumps.isEnabled() else None,
        )
        runner = self.shell.runner
        run = make_inpaint_run(runner.model_cache, record, self.painting, mask, params, name=self.painting_name)
        self._notices = []
        self._set_candidates([])
        job = self.tracker.submit(JobKind.INPAINT, lambda: self.tr("Inpaint"), run)
        self.progress.setValue(0)
        waiting = runner.current is not job
        self._status(lambda: self.tr("Waiting for the painter…") if waiting else self.tr("Starting…"))
        self.show_message(
            lambda: self.tr("Inpainting {0} candidate(s) with {1} ({2})…").format(params.count, record.id, method), "info"
        )
        self._update_enabled()
        return job

    @property
    def job_id(self) -> int:
        """The inpainting job's id while it is queued or runs, else 0."""
        return self.tracker.job_id or 0

    def cancel(self) -> None:
        outcome = self.tracker.cancel()
        if outcome == "cancelling":
            self._status(lambda: self.tr("Cancelling…"))
        elif outcome == "dequeued":
            self.progress.setValue(0)
            self._status(lambda: self.tr("Cancelled"))
            self._update_enabled()

    def _on_event(self, ev: JobEvent) -> None:
        """An event of the inpainting job (the tracker filters them)."""
        if ev.kind == "started":
            self._status(lambda: self.tr("Starting…"))
        elif ev.kind == "progress":
            if ev.total:
                self.progress.setValue(int(ev.fraction * 1000))
                self._status(lambda: self.tr("Step {0}/{1}").format(ev.step, ev.total))
            if ev.image is not None:
                self.preview.setPixmap(thumbnail_icon(ev.image, THUMB).pixmap(THUMB, THUMB))
            notice = ev.meta.get("notice")
            if notice and notice not in self._notices:
                self._notices.append(notice)
            candidate = ev.meta.get("candidate")
            if candidate is not None:
                self._set_candidates([*self.candidates, candidate], keep_choice=True)
        elif ev.kind == "finished":
            result = ev.meta.get("result")
            if isinstance(result, list):
                self._set_candidates(result, keep_choice=True)
            self._finish()
            self.progress.setValue(1000)
            made = len(self.candidates)
            self._status(lambda: self.tr("Done: {0} candidate(s)").format(made))
            notices = list(self._notices)
            self.show_message(
                lambda: " · ".join(
                    [*notices, self.tr("Pick a candidate below (hold Space to compare with the original), then Keep it.")]
                )
            )
            if self.strip.currentRow() < 0 and self.candidates:
                self.strip.setCurrentRow(0)
        elif ev.kind == "cancelled":
            self._finish()
            self.progress.setValue(0)
            self._status(lambda: self.tr("Cancelled"))
            done = len(self.candidates)
            self.show_message(lambda: self.tr("Cancelled. {0} candidate(s) finished before that are shown.").format(done))
        elif ev.kind == "error":
            self._finish()
            self.progress.setValue(0)
            self._status(lambda: self.tr("Failed"))
            self.show_message(lambda: self.tr("Inpainting failed: {0}").format(ev.message), "error")

    def _finish(self) -> None:
        self.preview.clear()
        self._update_enabled()

    def _set_candidates(self, candidates: list[Painting], keep_choice: bool = False) -> None:
        row = self.strip.currentRow() if keep_choice else -1
        self.candidates = list(candidates)
        self.strip.blockSignals(True)
        self.strip.clear()
        for c in self.candidates:
            item = QListWidgetItem(thumbnail_icon(c.image, THUMB), self.tr("seed {0}").format(c.seed))
            item.setData(CANDIDATE_ROLE, c.index)
            item.setToolTip(self.tr("seed {0}").format(c.seed))
            self.strip.addItem(item)
        if 0 <= row < len(self.candidates):
            self.strip.setCurrentRow(row)
        self.strip.blockSignals(False)
        if row < 0 or row >= len(self.candidates):
            self.canvas.set_result(None)
            if not self.candidates and self.job_id == 0:
                self.before_button.setChecked(False)
            if self.candidates and keep_choice:  # the first candidate to arrive is shown at once
                self.strip.setCurrentRow(0)
        self._update_enabled()

    def pick(self, row: int) -> None:
        """Show candidate ``row`` on the canvas (the mask overlay is hidden to see it)."""
        if 0 <= row < len(self.candidates):
            self.canvas.set_result(self.candidates[row].image)
            self.before_button.setChecked(False)
            self.overlay_button.setChecked(False)
        else:
            self.canvas.set_result(None)
        self._caption()
        self._update_enabled()

    def chosen(self) -> Painting | None:
        row = self.strip.currentRow()
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def _caption(self) -> None:
        c = self.chosen()
        self.canvas.caption = self.tr("candidate {0} · seed {1}").format(c.index + 1, c.seed) if c is not None else ""
        self.canvas.update()

    # ------------------------------------------------------------------ keeping a result
    @staticmethod
    def _file_name(c: Painting, *, stamped: bool = True) -> str:
        """``model-style-seed-inpaint.png`` from the candidate's own settings (what its PNG records);
        in the gallery prefixed with the time, as paintings are, so the folder sorts by when they were made."""
        from studio.api import file_name

        name = file_name("{model}-{style}-{seed}-inpaint", c.meta)
        if not stamped:
            return name
        return f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{name}"

    def keep(self) -> Path | None:
        """Save the chosen candidate (PNG with its settings) into the gallery folder and show it there."""
        c = self.chosen()
        if c is None:
            return None
        folder = paths.gallery_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.show_message(self.tr("Cannot save into {0}: {1}").format(folder, exc.strerror or exc), "error")
            return None
        path = self._save(c, folder / self._file_name(c))
        if path is not None:
            self.shell.gallery.add_entry(path, dict(c.meta), make_thumbnail(c.image), select=False)
            self.show_message(lambda: self.tr("Kept in the gallery: {0}").format(path.name))
        return path

    def save_as_dialog(self) -> None:
        c = self.chosen()
        if c is None:
            return
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save result as"), str(Path.home() / self._file_name(c, stamped=False)), self.tr("PNG image (*.png)")
        )
        if target:
            path = self._save(c, Path(target) if target.lower().endswith(".png") else Path(target + ".png"))
            if path is not None:
                self.show_message(lambda: self.tr("Saved {0}").format(path))

    def _save(self, c: Painting, target: Path) -> Path | None:
        from studio.engine.pngmeta import save_png

        try:
            return save_png(c.image, dict(c.meta), target)
        except StudioError as exc:
            self.show_message(str(exc), "error")
            return None


class GalleryMenuHook(QObject):
    """Adds "Inpaint…" to the gallery's right-click menu without touching the gallery's code.

    The gallery builds a fresh QMenu (its child) per right click; the viewport's ContextMenu event
    comes first (it tells which painting), and the menu's ChildPolished arrives before it shows.
    """

    def __init__(self, gallery: Any, page: InpaintPage) -> None:
        super().__init__(page)
        self.gallery, self.page = gallery, page
        self._path: Path | None = None
        gallery.viewport().installEventFilter(self)
        gallery.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.ContextMenu and obj is self.gallery.viewport():
            item = self.gallery.itemAt(event.pos())
            self._path = Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
        elif kind == QEvent.Type.ChildPolished and obj is self.gallery:
            menu = event.child()
            if isinstance(menu, QMenu) and self._path is not None and not menu.property("inpaintAdded"):
                menu.setProperty("inpaintAdded", True)
                path = self._path
                action = QAction(self.tr("Inpaint…"), menu)
                action.setObjectName("inpaintFromGallery")
                action.triggered.connect(lambda _=False, p=path: self.page.open_path(p))
                first = menu.actions()[0] if menu.actions() else None
                menu.insertAction(first, action)
                if first is not None:
                    menu.insertSeparator(first)
        return False


def install(shell: MainWindow) -> InpaintPage:
    """Add the Inpaint tab to the window."""
    page = InpaintPage(shell)
    shell.add_mode(page, "Inpaint")
    page.gallery_hook = GalleryMenuHook(shell.gallery, page)
    page.retranslate()  # now that the tab exists, in the current language
    return page
