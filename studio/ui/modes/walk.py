"""The Walk tab: a latent-walk animation through seeds (or from light to dark ink), played in the window.

Keyframes are seeds, typed or picked from the gallery (a painting's seed). Render paints every
frame on the inference thread (``studio.work.walk.render_task``) with live frame previews;
the result plays in a loop here (Space plays/pauses, the slider scrubs) with its smoothness
figure, and Export… writes it as GIF, MP4, WebP or a folder of PNG frames.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PIL import Image
from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.api import EASINGS, WALK_SAMPLERS, JobEvent, JobKind, WalkRequest, is_seed, parse_seeds, seed_tokens
from studio.errors import StudioError
from studio.ui.canvas import CanvasView
from studio.ui.gallery import META_ROLE, PATH_ROLE
from studio.ui.tracker import JobTracker
from studio.work.walk import RenderedWalk, check_animation_target, export_task, render_task

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow  # the shell the mode lives in

PICK_THUMB = 48
EXPORT_SUFFIXES = (".gif", ".mp4", ".webp")


def worker_cache(shell: MainWindow) -> Any:
    """A getter for the inference thread's model cache (call it only inside a task's run())."""
    return shell.runner.model_cache


def style_pair(styles: list[str]) -> tuple[str, str] | None:
    """The two styles a light → dark walk blends: light and dark when the model has them, else its first two."""
    if "light" in styles and "dark" in styles:
        return ("light", "dark")
    return (styles[0], styles[1]) if len(styles) >= 2 else None


class WalkPage(QWidget):
    """Keyframes and walk settings on the left; the animation, its playback and progress on the right."""

    def __init__(self, shell: MainWindow) -> None:
        super().__init__()
        self.shell = shell
        self.result: RenderedWalk | None = None
        self.frames: list[Image.Image] = []
        self.shown_index = -1
        self.renderer = JobTracker(shell.runner, self)  # the walk being rendered
        self.exporter = JobTracker(shell.runner, self)  # the animation being written
        self.last_export: str | None = None
        self._export_target = ""
        self.previews_shown = 0
        self._render_frames = 0  # frames of the walk being rendered
        self._progress_source: Callable[[], str] = lambda: self.tr("Ready")
        self._message_source: str | Callable[[], str] = ""
        self._build()
        self.retranslate()
        self._on_model(shell.model_panel.current_record())
        shell.model_panel.model_changed.connect(self._on_model)
        self.renderer.event.connect(lambda ev: self._on_event("render", ev))
        self.exporter.event.connect(lambda ev: self._on_event("export", ev))
        shell.runner.busy_changed.connect(lambda _busy: self._update_buttons())
        model = shell.gallery.model()
        for sig in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            sig.connect(self.refresh_gallery)
        self.refresh_gallery()

    @property
    def render_job(self) -> Any:
        """The render job while it is queued or runs, else None."""
        return self.renderer.job

    @property
    def export_job(self) -> Any:
        """The export job while it is queued or runs, else None."""
        return self.exporter.job

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        # keyframes
        self.seeds_edit = QLineEdit("7, 8, 9")
        self.seeds_edit.textChanged.connect(self._update_count)
        self.pick_list = QListWidget()
        self.pick_list.setIconSize(QSize(PICK_THUMB, PICK_THUMB))
        self.pick_list.setMinimumHeight(90)
        self.pick_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.pick_list.itemDoubleClicked.connect(lambda item: self.add_seeds([int(item.data(META_ROLE)["seed"])]))
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_selected)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(lambda: self.seeds_edit.setText(""))
        self.seeds_label, self.pick_label = QLabel(), QLabel()
        self.pick_label.setWordWrap(True)
        keys_box = QGroupBox()
        self.keys_box = keys_box
        kl = QVBoxLayout(keys_box)
        kl.addWidget(self.seeds_label)
        kl.addWidget(self.seeds_edit)
        kl.addWidget(self.pick_label)
        kl.addWidget(self.pick_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button, 1)
        row.addWidget(self.clear_button)
        kl.addLayout(row)

        # walk settings
        self.frames_spin = QSpinBox()
        self.frames_spin.setRange(1, 240)
        self.frames_spin.setValue(12)
        self.frames_spin.valueChanged.connect(self._update_count)
        self.loop_check = QCheckBox()
        self.loop_check.toggled.connect(self._update_count)
        self.easing_combo = QComboBox()
        for name in EASINGS:
            self.easing_combo.addItem("", name)
        self.style_walk_check = QCheckBox()
        self.style_walk_check.toggled.connect(self._update_count)
        self.sampler_combo = QComboBox()
        self.sampler_combo.addItems(list(WALK_SAMPLERS))
        self.sampler_combo.setCurrentText("dpm++")
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, 1000)
        self.steps_spin.setValue(20)
        self.fps_spin = QDoubleSpinBox()
        self.fps_spin.setRange(1.0, 60.0)
        self.fps_spin.setDecimals(1)
        self.fps_spin.setValue(12.0)
        self.fps_spin.valueChanged.connect(self._on_fps)
        self.upscale_combo = QComboBox()
        for f in (1, 2, 4):
            self.upscale_combo.addItem(f"{f}×", f)
        self.count_label = QLabel()
        self.count_label.setObjectName("walkFrameCount")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.frames_label, self.easing_label, self.sampler_label = QLabel(), QLabel(), QLabel()
        self.steps_label, self.fps_label, self.upscale_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.frames_label, self.frames_spin)
        self.form.addRow(self.loop_check)
        self.form.addRow(self.easing_label, self.easing_combo)
        self.form.addRow(self.style_walk_check)
        self.form.addRow(self.sampler_label, self.sampler_combo)
        self.form.addRow(self.steps_label, self.steps_spin)
        self.form.addRow(self.fps_label, self.fps_spin)
        self.form.addRow(self.upscale_label, self.upscale_combo)
        walk_box = QGroupBox()
        self.walk_box = walk_box
        wl = QVBoxLayout(walk_box)
        wl.addLayout(self.form)
        self.render_button = QPushButton()
        self.render_button.setObjectName("generateButton")
        self.render_button.setMinimumHeight(36)
        self.render_button.clicked.connect(self.start_render)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_dialog)

        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(keys_box, 1)
        sl.addWidget(walk_box)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count_label.setWordWrap(True)
        left = QWidget()  # settings scroll; the frame count and the buttons stay in view below them
        left.setMinimumWidth(200)  # the window's smallest size stays the Paint tab's
        left.setMaximumWidth(360)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(scroll, 1)
        ll.addWidget(self.count_label)
        ll.addWidget(self.render_button)
        ll.addWidget(self.export_button)

        # the animation
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("walkMessage")
        self.message.hide()
        self.canvas = CanvasView()
        self.canvas.setMinimumSize(160, 160)
        self.play_button = QToolButton()
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self.show_frame)
        self.frame_label = QLabel()
        self.frame_label.setMinimumWidth(70)
        self.smooth_label = QLabel()
        self.smooth_label.setWordWrap(True)
        play_row = QHBoxLayout()
        play_row.addWidget(self.play_button)
        play_row.addWidget(self.slider, 1)
        play_row.addWidget(self.frame_label)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)  # a reset bar (-1) shows no text
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        right = QVBoxLayout()
        right.addWidget(self.message)
        right.addWidget(self.canvas, 1)
        right.addLayout(play_row)
        right.addWidget(self.smooth_label)
        right.addLayout(progress_row)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(left)
        layout.addLayout(right, 1)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self.next_frame)
        self._on_fps(self.fps_spin.value())
        self.space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self.space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.space.activated.connect(self.toggle_play)
        self._update_buttons()

    # ------------------------------------------------------------------ keyframes
    def refresh_gallery(self, *_args: Any) -> None:
        """Mirror the gallery's paintings (thumbnail, seed) as keyframe choices."""
        gallery = self.shell.gallery
        if not (shiboken6.isValid(gallery) and shiboken6.isValid(self.pick_list)):
            return  # the window is being torn down
        self.pick_list.clear()
        for i in range(gallery.count()):
            src = gallery.item(i)
            meta = src.data(META_ROLE) or {}
            if not isinstance(meta.get("seed"), int):
                continue
            item = QListWidgetItem(src.icon(), self._pick_text(meta))
            item.setData(PATH_ROLE, src.data(PATH_ROLE))
            item.setData(META_ROLE, meta)
            item.setToolTip(src.toolTip())
            self.pick_list.addItem(item)

    def _pick_text(self, meta: dict[str, Any]) -> str:
        style = str(meta.get("style") or "")
        style = {"light": self.tr("light ink"), "dark": self.tr("dark ink")}.get(style, style)
        parts = [self.tr("seed {0}").format(meta.get("seed")), str(meta.get("model") or ""), style]
        return " · ".join(p for p in parts if p)

    def add_seeds(self, seeds: list[int]) -> None:
        text = self.seeds_edit.text().strip().rstrip(",")
        extra = ", ".join(str(s) for s in seeds)
        self.seeds_edit.setText(f"{text}, {extra}" if text else extra)

    def add_selected(self) -> None:
        items = self.pick_list.selectedItems()
        if not items:
            self.show_message(lambda: self.tr("Select paintings in the list first (or double-click one)."), error=True)
            return
        self.add_seeds([int(item.data(META_ROLE)["seed"]) for item in sorted(items, key=self.pick_list.row)])

    # ------------------------------------------------------------------ settings
    def _on_model(self, record: Any) -> None:
        diffusion = record is None or record.kind == "diffusion"
        self.sampler_combo.setEnabled(diffusion)
        self.steps_spin.setEnabled(diffusion)
        pair = style_pair(list(record.styles)) if record is not None else None
        self.style_walk_check.setEnabled(pair is not None)
        if pair is None:
            self.style_walk_check.setChecked(False)
        self._style_pair = pair
        self.retranslate_style_walk()
        self._update_count()

    def walk_settings(self) -> WalkRequest:
        """The walk the controls describe (StudioError for seeds that are not seeds)."""
        style_walk = self._style_pair if self.style_walk_check.isChecked() and self._style_pair else None
        return WalkRequest(
            keyframes=parse_seeds(self.seeds_edit.text()),
            frames=self.frames_spin.value(),
            loop=self.loop_check.isChecked(),
            easing=self.easing_combo.currentData(),
            style=self.shell.model_panel.current_style(),
            style_walk=style_walk,
            sampler=self.sampler_combo.currentText(),
            steps=self.steps_spin.value(),
        )

    def _update_count(self, *_args: Any) -> None:
        try:
            n = self.walk_settings().total_frames()
        except StudioError:
            n = 0
        if n:
            self.count_label.setText(
                self.tr("= {0} frames ({1:.1f} s at {2:g} fps)").format(n, n / self.fps_spin.value(), self.fps_spin.value())
            )
        else:
            self.count_label.setText(self.tr("Give two seeds or more (or one with the style walk)."))

    def _on_fps(self, fps: float) -> None:
        self.timer.setInterval(max(1, round(1000 / fps)))
        self._update_count()

    # ------------------------------------------------------------------ render
    def start_render(self) -> Any:
        """Queue the walk on the inference thread; its frames show here as they are painted, then play."""
        record = self.shell.model_panel.current_record()
        if record is None:
            self.show_message(lambda: self.tr("Choose a model first."), error=True)
            return None
        # the painter's own mistakes, said in the window's language (the engine's checks say it in English)
        bad = next((part for part in seed_tokens(self.seeds_edit.text()) if not is_seed(part)), None)
        if bad is not None:
            self.show_message(lambda: self.tr("'{0}' is not a seed (whole numbers 0 to 2**63-1)").format(bad), error=True)
            return None
        try:
            settings = self.walk_settings()
            if not settings.total_frames():
                self.show_message(lambda: self.tr("Give two seeds or more (or one with the style walk)."), error=True)
                return None
            run = render_task(worker_cache(self.shell), record, settings)
        except StudioError as exc:
            self.show_message(str(exc), error=True)
            return None
        self.hide_message()
        self.previews_shown = 0
        self._render_frames = n = settings.total_frames()
        self.renderer.submit(JobKind.WALK, lambda: self.tr("Walk of {0} frames").format(n), run)
        self.progress.setValue(0)
        if self.shell.runner.current is not self.render_job:
            self._set_progress(lambda: self.tr("Waiting for the painter…"))
        else:
            self._set_progress(lambda: "")
        self._update_buttons()
        return self.render_job

    def cancel(self) -> None:
        for tracker in (self.renderer, self.exporter):
            outcome = tracker.cancel()
            if outcome == "cancelling":
                self._set_progress(lambda: self.tr("Cancelling…"))
            elif outcome == "dequeued":
                self._update_buttons()
                self._set_progress(lambda: self.tr("Cancelled"))

    def _on_event(self, which: str, ev: JobEvent) -> None:
        """An event of the render (``which == "render"``) or export job; its tracker has filtered it."""
        if ev.kind == "started":
            self.progress.setValue(0)
            self._set_progress(lambda: self.tr("Rendering…") if which == "render" else self.tr("Exporting…"))
        elif ev.kind == "progress":
            self.progress.setValue(int(ev.fraction * 1000))
            if which == "render":
                self._set_progress(self._render_text(ev.step, ev.total))
                self._show_preview(ev)
            else:
                self._set_progress(lambda: self.tr("Exporting frame {0}/{1}").format(ev.step, ev.total))
        elif ev.kind == "finished":
            self.progress.setValue(1000)
            if which == "render":
                self.set_result(ev.meta["result"])
                made = len(self.frames)
                self._set_progress(lambda: self.tr("Rendered {0} frames").format(made))
            else:
                self.last_export = ev.meta["result"]
                self._set_progress(lambda: self.tr("Exported"))
                written = self.last_export
                self.show_message(lambda: self.tr("Exported {0}").format(written))
            self._update_buttons()
        elif ev.kind == "cancelled":
            self.progress.setValue(0)
            self._set_progress(lambda: self.tr("Cancelled"))
            if which == "render":
                self.show_message(lambda: self.tr("Walk cancelled."))
                self._restore_view()
            else:
                self.show_message(lambda: self.tr("Export cancelled: no file was written."))
            self._update_buttons()
        elif ev.kind == "error":
            self.progress.setValue(0)
            self._set_progress(lambda: self.tr("Failed"))
            if which == "render":
                self.show_message(lambda: self.tr("Walk failed: {0}").format(ev.message), error=True)
                self._restore_view()
            else:
                self.show_message(lambda: self.tr("Export failed: {0}").format(ev.message), error=True)
            self._update_buttons()

    def _show_preview(self, ev: JobEvent) -> None:
        """A frame just rendered (the event's image, its index in ``meta["frame"]``)."""
        if ev.image is None:
            return
        index, image = ev.meta.get("frame", 0), ev.image
        self.stop()
        self.previews_shown += 1
        n = self._render_frames
        self.canvas.set_image(image, preview=True, caption=lambda: self.tr("rendering · frame {0} of {1}").format(index + 1, n))

    # ------------------------------------------------------------------ the result, played
    def set_result(self, result: RenderedWalk) -> None:
        self.result = result
        self.frames = list(result.frames)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(self.frames) - 1))
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self.shown_index = -1
        self.show_frame(0)
        self._show_smoothness()
        self._update_buttons()
        self.play()

    def _restore_view(self) -> None:
        if self.frames:
            self.show_frame(self.slider.value(), force=True)
        else:
            self.canvas.set_image(None)

    def show_frame(self, index: int, force: bool = False) -> None:
        if not self.frames:
            return
        index = max(0, min(len(self.frames) - 1, int(index)))
        if index == self.shown_index and not force:
            return
        self.shown_index = index
        self.canvas.set_image(self.frames[index])
        self.frame_label.setText(f"{index + 1} / {len(self.frames)}")
        if self.slider.value() != index:
            self.slider.blockSignals(True)
            self.slider.setValue(index)
            self.slider.blockSignals(False)

    def next_frame(self) -> None:
        if self.frames:
            self.show_frame((self.shown_index + 1) % len(self.frames))

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def play(self) -> None:
        if self.frames and not self.playing:
            self.timer.start()
        self._sync_play_button()

    def stop(self) -> None:
        self.timer.stop()
        self._sync_play_button()

    def toggle_play(self) -> None:
        self.stop() if self.playing else self.play()

    def _on_play_toggled(self, checked: bool) -> None:
        if checked != self.playing:
            self.play() if checked else self.stop()

    def _sync_play_button(self) -> None:
        self.play_button.blockSignals(True)
        self.play_button.setChecked(self.playing)
        self.play_button.blockSignals(False)
        # the style's own icons: a "⏸" glyph is missing from many fonts (it drew as a box under Xvfb)
        pixmap = QStyle.StandardPixmap.SP_MediaPause if self.playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(pixmap))
        self.play_button.setToolTip(self.tr("Pause (Space)") if self.playing else self.tr("Play (Space)"))

    def _show_smoothness(self) -> None:
        r = self.result
        if r is None:
            self.smooth_label.setText("")
            return
        verdict = (
            self.tr("smooth") if r.smooth else self.tr("a jump after frame {0}: more frames per segment help").format(r.worst)
        )
        self.smooth_label.setText(
            self.tr("Smoothness: largest frame-to-frame change is {0:.2f}× the mean (target ≤ 3) — {1}").format(
                r.smoothness_ratio, verdict
            )
        )

    # ------------------------------------------------------------------ export
    def export_dialog(self) -> None:
        if not self.frames:
            self.show_message(lambda: self.tr("Render a walk first."), error=True)
            return
        filters = [
            self.tr("GIF animation (*.gif)"),
            self.tr("MP4 video (*.mp4)"),
            self.tr("WebP animation (*.webp)"),
            self.tr("PNG frames in a new folder (*)"),
        ]
        folder = Path(self.shell.settings.output_dir) if self.shell.settings.output_dir else Path.home()
        target, chosen = QFileDialog.getSaveFileName(self, self.tr("Export walk"), str(folder / "walk.gif"), ";;".join(filters))
        if not target:
            return
        index = filters.index(chosen) if chosen in filters else 0
        path = Path(target)
        if index < 3 and path.suffix.lower() not in EXPORT_SUFFIXES:
            path = path.with_suffix(EXPORT_SUFFIXES[index])
        elif index == 3 and path.suffix:
            path = path.with_suffix("")
        self.export_to(path)

    def export_to(self, out: str | Path) -> None:
        """Check ``out`` on the file thread (one-line error), then write the frames as a task."""
        if not self.frames or self.result is None:
            self.show_message(lambda: self.tr("Render a walk first."), error=True)
            return
        out = Path(out)
        frames, meta = list(self.frames), dict(self.result.meta)
        fps, upscale = float(self.fps_spin.value()), int(self.upscale_combo.currentData())
        self._export_target = str(out)
        self.export_button.setEnabled(False)

        def checked(_kind: Any, error: str | None) -> None:
            if error is not None:
                self.show_message(lambda: self.tr("Cannot export: {0}").format(error), error=True)
                self._update_buttons()
                return
            self.hide_message()
            run = export_task(frames, out, fps=fps, upscale=upscale, meta=meta)
            self.exporter.submit(JobKind.ANIMATION, lambda: self.tr("Export {0}").format(out.name), run)
            self.shell.settings.output_dir = str(out.parent)
            self._update_buttons()

        self.shell.runner.run_io(lambda: check_animation_target(out), checked)

    # ------------------------------------------------------------------ messages, state, language
    def _set_progress(self, text: Callable[[], str]) -> None:
        """The progress bar's text, re-read when the language changes."""
        self._progress_source = text
        self.progress.setFormat(text())

    def _render_text(self, step: int, total: int) -> Callable[[], str]:
        """Frames are painted one after another: say which one is being painted (and at which step)."""
        n = self._render_frames
        if not n or not total:
            return lambda: self.tr("Rendering…")
        per_frame = max(1, total // n)
        frame = min(n, step // per_frame + 1)
        within = step - (frame - 1) * per_frame
        if per_frame == 1 or within == 0:  # a frame just finished: the next has no step yet
            return lambda: self.tr("Rendering frame {0} of {1}").format(frame, n)
        return lambda: self.tr("Rendering frame {0} of {1} · step {2}/{3}").format(frame, n, within, per_frame)

    def show_message(self, text: str | Callable[[], str], error: bool = False) -> None:
        """A line above the animation; a callable is re-read when the language changes."""
        self._message_source = text
        text = text() if callable(text) else text
        color = ("#f8dcd9", "#7d1f1c", "#c9625b") if error else ("#e6ecdf", "#2e4a26", "#8aa67b")
        self.message.setStyleSheet(
            f"#walkMessage {{ background: {color[0]}; color: {color[1]}; border: 1px solid {color[2]};"
            " border-radius: 4px; padding: 5px 8px; }"
        )
        self.message.setProperty("error", error)
        self.message.setText(text)
        self.message.show()

    def hide_message(self) -> None:
        self.message.hide()

    @property
    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def _update_buttons(self) -> None:
        working = self.render_job is not None or self.export_job is not None
        self.render_button.setEnabled(self.render_job is None)
        self.export_button.setEnabled(bool(self.frames) and self.export_job is None and self.render_job is None)
        self.cancel_button.setEnabled(working)
        self.play_button.setEnabled(bool(self.frames))
        self.slider.setEnabled(bool(self.frames))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate_style_walk(self) -> None:
        pair = getattr(self, "_style_pair", None)
        if pair == ("light", "dark") or pair is None:
            self.style_walk_check.setText(self.tr("Light → dark ink (淡墨 → 浓墨)"))
        else:
            self.style_walk_check.setText(self.tr("Style {0} → {1}").format(*pair))
        self.style_walk_check.setToolTip(
            self.tr("Style walk: the same seeds morph from the first ink style to the second (style-conditional models)")
        )

    def retranslate(self) -> None:
        tabs = self.shell.modes
        index = tabs.indexOf(self)
        if index >= 0:
            tabs.setTabText(index, self.tr("Walk"))
        self.keys_box.setTitle(self.tr("Keyframes"))
        self.seeds_label.setText(self.tr("Seeds, in order (e.g. 7, 8, 9):"))
        self.seeds_edit.setToolTip(self.tr("Each seed is a keyframe; the walk moves smoothly from one to the next"))
        self.pick_label.setText(self.tr("Or pick paintings from the gallery (double-click adds one):"))
        self.add_button.setText(self.tr("Add selected"))
        self.clear_button.setText(self.tr("Clear"))
        self.walk_box.setTitle(self.tr("Walk"))
        self.frames_label.setText(self.tr("Frames per segment"))
        self.loop_check.setText(self.tr("Loop back to the start"))
        self.loop_check.setToolTip(self.tr("The walk returns to the first keyframe, so the animation loops seamlessly"))
        self.easing_label.setText(self.tr("Easing"))
        self.easing_combo.setItemText(0, self.tr("Linear"))
        self.easing_combo.setItemText(1, self.tr("Ease in/out"))
        self.sampler_label.setText(self.tr("Sampler"))
        self.sampler_combo.setToolTip(self.tr("Deterministic samplers only, so nearby noise gives nearby paintings"))
        self.steps_label.setText(self.tr("Steps"))
        self.fps_label.setText(self.tr("Frames per second"))
        self.upscale_label.setText(self.tr("Upscale on export"))
        self.render_button.setText(self.tr("Render walk"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save as GIF, MP4, WebP or a folder of PNG frames"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.canvas.placeholder = self.tr(
            "Give two or more seeds (or pick paintings from the gallery), then press Render walk.\n"
            "The frames play here; Space plays and pauses, the slider scrubs."
        )
        self.canvas.update()
        self.progress.setFormat(self._progress_source())
        if callable(self._message_source) and not self.message.isHidden():
            self.message.setText(self._message_source())
        self.retranslate_style_walk()
        self._sync_play_button()
        self._show_smoothness()
        self._update_count()
        for i in range(self.pick_list.count()):
            item = self.pick_list.item(i)
            item.setText(self._pick_text(item.data(META_ROLE)))


def install(shell: MainWindow) -> WalkPage:
    """Add the Walk tab to the window."""
    page = WalkPage(shell)
    shell.add_mode(page, "")
    page.retranslate()
    return page
