"""Classroom mode: how generative models paint, for a teacher in front of a class.

Three views in one tab — the denoising filmstrip (x_t and the predicted painting every k steps),
the forward process (a painting noised at t with the schedule's log-SNR curve) and a GAN beside a
diffusion model (same seeds, wall times) — plus a full-screen, keyboard-driven presentation view
(View → Presentation, F5). Engine work runs as TaskJobs from ``studio.work.classroom``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.api import JobKind
from studio.ui.canvas import CanvasView
from studio.ui.modes.classroom_widgets import ImageRows, ModelChoice, SnrPlot
from studio.ui.panels import SeedBox
from studio.ui.tracker import JobTracker
from studio.work import classroom as tasks

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow  # the shell the mode lives in


def worker_models(shell: MainWindow) -> Any:
    """The inference thread's model cache, reached from inside a task (so models load once for all modes)."""
    return shell.runner.model_cache


class _TaskView(QWidget):
    """A view with a run button, a cancel button and a progress bar for one TaskJob at a time."""

    def __init__(self, shell: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.tracker = JobTracker(shell.runner, self)
        self.run_button = QPushButton()
        self.run_button.setObjectName("generateButton")
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.tracker.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._status_source: Callable[[], str] = lambda: ""
        self.tracker.progress.connect(lambda s, n: self.progress.setValue(int(1000 * s / n) if n else 0))
        self.tracker.running_changed.connect(self._on_running)
        self.tracker.failed.connect(lambda msg: self.set_status(lambda: self.tr("Failed: {0}").format(msg)))
        self.tracker.cancelled.connect(lambda: (self.set_status(lambda: self.tr("Cancelled")), self.progress.setValue(0)))

    def set_status(self, text: Callable[[], str]) -> None:
        """The line under the controls, re-read when the language changes."""
        self._status_source = text
        self.status.setText(text())

    def _on_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setValue(0)
            self.set_status(lambda: self.tr("Working… (queued behind other jobs if the studio is busy)"))

    def _control_rows(self, first: Any, second: Any, *extra: QWidget) -> QVBoxLayout:
        """(label, widget) pairs in two rows, so the view fits a laptop's window without scrolling
        sideways (which cut off the row labels); the run and cancel buttons (and ``extra``) end the second."""
        controls = QVBoxLayout()
        for pairs in (first, second):
            row = QHBoxLayout()
            for label, w in pairs:
                row.addWidget(label)
                row.addWidget(w, 1 if isinstance(w, ModelChoice) else 0)  # model names take the room there is
            if pairs is second:
                row.addStretch(1)
                for button in (self.run_button, self.cancel_button, *extra):
                    row.addWidget(button)
            controls.addLayout(row)
        return controls

    def records(self) -> list[Any]:
        return self.shell.model_panel.records()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.status.setText(self._status_source())


# ---------------------------------------------------------------------------- a. denoising filmstrip


class FilmstripView(_TaskView):
    """One seed painted step by step: x_t (what the sampler holds) above the predicted painting x0."""

    def __init__(self, shell: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(shell, parent)
        self.trajectory: Any = None
        self.model = ModelChoice(("diffusion",))
        self.seed = SeedBox(shell.sampling_panel.seed())
        self.steps = QSpinBox()
        self.steps.setRange(1, 1000)
        self.steps.setValue(20)
        self.every = QSpinBox()
        self.every.setRange(1, 1000)
        self.every.setValue(4)
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton()
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_dialog)
        self.form = QFormLayout()
        self.model_label, self.seed_label, self.steps_label, self.every_label = QLabel(), QLabel(), QLabel(), QLabel()
        controls = self._control_rows(
            ((self.model_label, self.model), (self.seed_label, self.seed)),
            ((self.steps_label, self.steps), (self.every_label, self.every)),
            self.export_button,
        )

        self.rows = ImageRows(tile=96)
        self.rows.tile_clicked.connect(self.show_large)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.rows)
        self.scroll.setWidgetResizable(True)  # the grid's minimum size is its tiles: scroll bars appear beyond the view
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.large = CanvasView()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.scroll)
        split.addWidget(self.large)
        split.setSizes([260, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.tracker.finished.connect(self.show_trajectory)
        self.tracker.progress.connect(self._grow)
        self._live: list[Any] = []  # frames the worker has made so far (appended on its thread)
        self.retranslate()

    def run(self) -> Any:
        record = self.model.current_record()
        if record is None:
            self.set_status(lambda: self.tr("No diffusion model in the catalog: a GAN paints in one pass, with no steps to show."))
            return None
        sp = self.shell.sampling_panel
        self._live = live = []
        self.trajectory = None
        self.export_button.setEnabled(False)
        self.rows.clear()
        self.rows.add_row(self.tr("x_t (noisy)"), [], [])
        self.rows.add_row(self.tr("x0 (predicted)"), [], [])
        run = tasks.filmstrip_task(
            worker_models(self.shell), record, seed=self.seed.value(), steps=self.steps.value(), every=self.every.value(),
            style=self.shell.model_panel.current_style(), sampler=sp.sampler.currentText() or "dpm++",
            eta=float(sp.eta.value()), on_frame=live.append,
        )
        return self.tracker.submit(JobKind.FILMSTRIP, lambda: self.tr("Filmstrip"), run)

    def _grow(self, step: int, total: int) -> None:
        """Add the frames made since the last progress event, so the strip grows as the painting forms."""
        if len(self.rows.rows) != 2:
            return
        shown = len(self.rows.rows[0])
        for frame in list(self._live[shown:]):
            caption = self.tr("step {0}/{1}").format(frame.step, frame.total)
            self.rows.add_tile(0, frame.x_t, caption)
            self.rows.add_tile(1, frame.x0, caption)
            self.large.set_image(frame.x0, preview=True, caption=self.tr("x0 (predicted)") + " · " + caption)
        if len(self._live) > shown:
            self.scroll.ensureWidgetVisible(self.rows.rows[1][-1])

    def show_trajectory(self, traj: Any) -> None:
        self.trajectory = traj
        self.rows.clear()
        captions = [self.tr("step {0}/{1}").format(f.step, f.total) for f in traj.frames]
        self.rows.add_row(self.tr("x_t (noisy)"), [f.x_t for f in traj.frames], captions)
        self.rows.add_row(self.tr("x0 (predicted)"), [f.x0 for f in traj.frames], captions)
        self.export_button.setEnabled(True)
        self.progress.setValue(1000)
        self.set_status(
            lambda: self.tr("Seed {0}, {1} sampler, {2} steps: {3} frames. The last x_t is the finished painting.").format(
                traj.seed, traj.sampler, traj.steps, len(traj.frames))
        )
        self.show_large(traj.painting, self.tr("the finished painting · seed {0}").format(traj.seed))

    def frame_count(self) -> int:
        return len(self.rows.rows[0]) if self.rows.rows else 0

    def show_large(self, image: Image.Image, caption: str) -> None:
        self.large.set_image(image, caption=caption)

    def export_dialog(self) -> None:
        if self.trajectory is None:
            return
        folder = self.shell.settings.output_dir or str(Path.home())
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export filmstrip"), str(Path(folder) / f"filmstrip-seed{self.trajectory.seed}.png"),
            self.tr("PNG strip (*.png);;Animated GIF (*.gif)"),
        )
        if target:
            self.export(target)

    def export(self, target: str | Path, on_done: Any = None) -> None:
        """Write the strip (.png) or animation (.gif) on the file thread."""
        traj = self.trajectory
        target = Path(target)
        if target.suffix.lower() not in (".png", ".gif"):
            target = target.with_suffix(".png")

        def done(path: Any, error: str | None) -> None:
            if error is not None:
                self.set_status(lambda: self.tr("Export failed: {0}").format(error))
            else:
                self.set_status(lambda: self.tr("Saved {0}").format(path))
            if on_done is not None:
                on_done(path, error)

        lang = self.shell.languages.current  # the strip's labels in the window's language
        self.shell.runner.run_io(lambda: tasks.save_filmstrip_file(traj, target, lang), done)

    def retranslate(self) -> None:
        super().retranslate()
        self.model_label.setText(self.tr("Model"))
        self.seed_label.setText(self.tr("Seed"))
        self.steps_label.setText(self.tr("Steps"))
        self.every_label.setText(self.tr("Every"))
        self.every.setToolTip(self.tr("Show every k-th step (the last step is always shown)"))
        self.run_button.setText(self.tr("Paint filmstrip"))
        self.export_button.setText(self.tr("Export strip…"))
        self.large.placeholder = self.tr(
            "Paint a filmstrip to watch noise become a painting.\nClick any frame to see it large here."
        )
        self.large.update()
        if self.trajectory is not None:
            self.show_trajectory(self.trajectory)


# ---------------------------------------------------------------------------- b. forward process


class ForwardView(_TaskView):
    """A painting noised at t = 0..T on a slider, beside the schedule's log signal-to-noise curve."""

    def __init__(self, shell: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(shell, parent)
        self.frames: Any = None  # tasks.ForwardFrames
        self.source: Image.Image | None = None
        self.source_name = ""
        self.model = ModelChoice(("diffusion",))
        self.model.currentIndexChanged.connect(lambda _i: self.frames is not None and self.run())  # another schedule
        self._frames_of: tuple[int, str] | None = None  # (source, model) the frames were computed for
        self._pending_of: tuple[int, str] | None = None  # ... and those of the computation under way
        self._noise_after = False  # animate as soon as the frames arrive (Noise it pressed before they were ready)
        self.use_selected = QPushButton()
        self.use_selected.clicked.connect(self.use_gallery_painting)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_image_dialog)
        self.run_button.clicked.connect(self.noise_it)
        # Noise it plays t = 0 → T on the slider: the painting dissolves into noise before the class's eyes
        self.noise_timer = QTimer(self)
        self.noise_timer.setInterval(30)
        self.noise_timer.timeout.connect(self._noise_step)
        self.model_label = QLabel()
        controls = QHBoxLayout()
        controls.addWidget(self.model_label)
        controls.addWidget(self.model)
        controls.addWidget(self.use_selected)
        controls.addWidget(self.open_button)
        controls.addStretch(1)
        controls.addWidget(self.run_button)
        controls.addWidget(self.cancel_button)

        self.image = CanvasView()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._show_position)
        self.slider.sliderPressed.connect(self.stop_noising)  # the teacher takes over
        self.t_label = QLabel()
        self.t_label.setMinimumWidth(150)
        slider_row = QHBoxLayout()
        slider_row.addWidget(self.slider, 1)
        slider_row.addWidget(self.t_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.image, 1)
        left_layout.addLayout(slider_row)
        self.plot = SnrPlot()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.plot)
        split.setSizes([520, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.tracker.finished.connect(self.show_frames)
        self.retranslate()

    # ------------------------------------------------------------------ the painting
    def use_gallery_painting(self) -> bool:
        """The gallery's selected painting (or the newest one)."""
        gallery = self.shell.gallery
        item = gallery.currentItem() or (gallery.item(gallery.count() - 1) if gallery.count() else None)
        if item is None:
            self.set_status(lambda: self.tr("The gallery is empty: paint something first, or open an image."))
            return False
        return self.set_source_file(Path(item.data(Qt.ItemDataRole.UserRole)))

    def open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a painting"), self.shell.settings.output_dir or str(Path.home()),
            self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp);;All files (*)"),
        )
        if path:
            self.set_source_file(Path(path))

    def set_source_file(self, path: Path) -> bool:
        try:
            with Image.open(path) as im:
                image = im.convert("RGB")
        except (OSError, ValueError) as exc:
            self.set_status(lambda why=exc: self.tr("Cannot open {0}: {1}").format(path.name, why))
            return False
        self.set_source(image, path.name)
        return True

    def set_source(self, image: Image.Image, name: str) -> None:
        self.stop_noising()
        self.source, self.source_name = image, name
        self.image.set_image(image, caption=name)
        self.run()

    def noise_it(self) -> Any:
        """Add noise step by step (the slider plays from the painting to pure noise); computes first when needed."""
        record = self.model.current_record()
        if self.frames is not None and self.source is not None and record is not None and self._frames_of == (
            id(self.source), record.id
        ):
            if self.slider.value() >= self.slider.maximum():
                self.slider.setValue(0)
            self.noise_timer.start()
            return None
        job = self.run()
        self._noise_after = job is not None
        return job

    def stop_noising(self) -> None:
        self.noise_timer.stop()

    @property
    def noising(self) -> bool:
        return self.noise_timer.isActive()

    def _noise_step(self) -> None:
        if self.frames is None or self.slider.value() >= self.slider.maximum():
            self.noise_timer.stop()
            return
        self.slider.setValue(self.slider.value() + 1)

    # ------------------------------------------------------------------ noising
    def run(self) -> Any:
        record = self.model.current_record()
        if self.source is None:
            self.set_status(lambda: self.tr("Choose a painting first: the gallery's selected one, or open an image."))
            return None
        if record is None:
            self.set_status(lambda: self.tr("No diffusion model in the catalog: a GAN has no noise schedule."))
            return None
        self.stop_noising()
        self._noise_after = False
        self._pending_of = (id(self.source), record.id)
        run = tasks.forward_task(worker_models(self.shell), record, self.source, seed=0)
        return self.tracker.submit(JobKind.FORWARD, lambda: self.tr("Forward process"), run)

    def show_frames(self, frames: Any) -> None:
        self.frames = frames
        self._frames_of = self._pending_of
        self.plot.set_curve(frames.log_snr)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(frames.timesteps) - 1)
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self.slider.setEnabled(True)
        self.progress.setValue(1000)
        name = self.source_name
        self.set_status(
            lambda: self.tr("{0} under the schedule of {1} (T = {2}): drag the slider to add noise.").format(
                name, frames.model, frames.num_train_timesteps)
        )
        self._show_position(0)
        self.slider.setFocus()
        if self._noise_after:
            self._noise_after = False
            self.noise_timer.start()

    @property
    def current_t(self) -> int:
        return self.frames.timesteps[self.slider.value()] if self.frames is not None else 0

    def current_image(self) -> Image.Image | None:
        return self.frames.frames[self.slider.value()] if self.frames is not None else None

    def _show_position(self, index: int) -> None:
        if self.frames is None:
            return
        t = self.frames.timesteps[index]
        T = self.frames.num_train_timesteps
        if t == 0:
            snr = self.tr("clean: SNR = ∞")
        else:
            snr = self.tr("ln SNR = {0:.2f}").format(self.frames.log_snr[t - 1])
        self.t_label.setText(self.tr("t = {0} / {1}").format(t, T) + " · " + snr)
        self.image.set_image(self.frames.frames[index], caption=f"x_{t}" if t else self.tr("x_0: the painting"))
        self.plot.set_t(t)

    def retranslate(self) -> None:
        super().retranslate()
        self.model_label.setText(self.tr("Schedule of"))
        self.use_selected.setText(self.tr("Use selected painting"))
        self.open_button.setText(self.tr("Open image…"))
        self.run_button.setText(self.tr("Noise it"))
        self.run_button.setToolTip(self.tr("Play the noising from the painting (t = 0) to pure noise (t = T)"))
        self.plot.title = self.tr("Signal-to-noise ratio of the schedule (ln SNR)")
        self.plot.x_label = self.tr("timestep t")
        self.plot.update()
        self.image.placeholder = self.tr("Choose a painting: it is noised step by step as the model saw it in training.")
        self.image.update()
        if self.frames is not None:
            self._show_position(self.slider.value())


# ---------------------------------------------------------------------------- c. GAN vs diffusion


class CompareView(_TaskView):
    """The same seeds from a GAN and a diffusion model, with each run's wall time."""

    def __init__(self, shell: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(shell, parent)
        self.result: Any = None
        self.result_steps = 0  # the diffusion steps of the run shown
        self.gan = ModelChoice(("gan",))
        self.diffusion = ModelChoice(("diffusion",))
        self.count = QSpinBox()
        self.count.setRange(1, 16)
        self.count.setValue(4)
        self.seed = SeedBox(shell.sampling_panel.seed())
        self.run_button.clicked.connect(self.run)
        self.gan_label, self.diffusion_label, self.count_label, self.seed_label = QLabel(), QLabel(), QLabel(), QLabel()
        controls = self._control_rows(
            ((self.gan_label, self.gan), (self.diffusion_label, self.diffusion)),
            ((self.count_label, self.count), (self.seed_label, self.seed)),
        )
        self.rows = ImageRows(tile=112)
        self.rows.tile_clicked.connect(lambda im, cap: self.large.set_image(im, caption=cap))
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.rows)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.large = CanvasView()
        self.large.setMinimumHeight(120)  # the two rows come first; the enlargement takes what is left
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.scroll)
        split.addWidget(self.large)
        split.setSizes([300, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.tracker.finished.connect(self.show_result)
        self.retranslate()

    def run(self) -> Any:
        gan, diffusion = self.gan.current_record(), self.diffusion.current_record()
        if gan is None or diffusion is None:
            self.set_status(lambda: self.tr("Side by side needs a GAN and a diffusion model in the catalog (File → Open checkpoint…)."))
            return None
        sp = self.shell.sampling_panel
        steps = sp.steps.value()
        run = tasks.compare_task(
            worker_models(self.shell), gan, diffusion, count=self.count.value(), seed=self.seed.value(),
            style=self.shell.model_panel.current_style(), sampler=sp.sampler.currentText() or "dpm++",
            steps=steps,
        )
        # the last run's paintings and wall times go: this run's are measured anew
        self.result = None
        self.result_steps = steps
        self.rows.clear()
        self.large.set_image(None)
        return self.tracker.submit(JobKind.COMPARE, lambda: self.tr("GAN vs diffusion"), run)

    def row_text(self, row: Any) -> str:
        kind = self.tr("GAN") if row.kind == "gan" else self.tr("Diffusion")
        return self.tr("{0}: {1}\n{2} in {3:.2f} s").format(kind, row.model, len(row.images), row.seconds)

    def show_result(self, result: Any) -> None:
        self.result = result
        self.rows.clear()
        captions = [self.tr("seed {0}").format(s) for s in result.seeds]
        for row in (result.gan, result.diffusion):
            self.rows.add_row(self.row_text(row), row.images, captions)
        self.rows.adjustSize()
        # both rows in view: the splitter's share left the diffusion row cut off below the GAN's
        bar = self.scroll.horizontalScrollBar().sizeHint().height()
        self.scroll.setMinimumHeight(self.rows.content_height() + bar + 2 * self.scroll.frameWidth())
        self.progress.setValue(1000)
        ratio = result.diffusion.seconds / max(result.gan.seconds, 1e-9)
        steps = self.result_steps  # of this run, not what the Paint tab says now
        self.set_status(
            lambda: self.tr("The GAN paints in one pass; diffusion takes {0} steps. Here diffusion took {1:.0f}× as long.").format(
                steps, ratio)
        )

    def retranslate(self) -> None:
        super().retranslate()
        self.gan_label.setText(self.tr("GAN"))
        self.diffusion_label.setText(self.tr("Diffusion"))
        self.count_label.setText(self.tr("Count"))
        self.seed_label.setText(self.tr("First seed"))
        self.run_button.setText(self.tr("Paint both"))
        self.large.placeholder = self.tr("The same seeds from both kinds of model. Click a painting to see it large.")
        self.large.update()
        if self.result is not None:
            self.show_result(self.result)  # row labels and the tiles' captions


# ---------------------------------------------------------------------------- presentation


class PresentationView(QWidget):
    """Full screen, large type, keyboard only: Space paints, ←/→ browse the paintings, Esc/F11 leave."""

    def __init__(self, shell: MainWindow) -> None:
        super().__init__(shell, Qt.WindowType.Window)
        self.shell = shell
        self.setObjectName("presentation")
        self.history: list[Path] = []
        self.index = -1
        self.last_error = ""
        self.canvas = CanvasView()
        big = QFont(self.font())
        big.setPointSize(max(20, self.font().pointSize() * 2))
        huge = QFont(big)
        huge.setPointSize(big.pointSize() + 8)
        self.caption = QLabel()
        self.caption.setFont(huge)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.canvas.setFont(huge)  # its placeholder and captions read from the back of the room
        self.hint = QLabel()
        hint_font = QFont(self.font())
        hint_font.setPointSize(self.font().pointSize() + 4)
        self.hint.setFont(hint_font)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # shown the moment Space is pressed: busy until the first step is measured, then the steps
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.hide()
        self.job: Any = None  # the painting job started here (Space), until it ends
        self._caption_source: Callable[[], str] = lambda: ""
        self.prev_button, self.generate_button, self.next_button, self.leave_button = (QPushButton() for _ in range(4))
        for b, slot in ((self.prev_button, self.back), (self.generate_button, self.generate), (self.next_button, self.forward),
                        (self.leave_button, self.leave)):
            b.setFont(big)
            b.setMinimumHeight(64)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must reach the view, not press a button
            b.clicked.connect(slot)
        self.generate_button.setObjectName("generateButton")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.prev_button, self.generate_button, self.next_button, self.leave_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        shell.runner.event.connect(self._on_event)
        self.retranslate()

    # ------------------------------------------------------------------ entering and leaving
    def present(self) -> None:
        """Full screen on the newest painting (the class sees the latest work; ← goes back in time)."""
        self.history = list(self.shell.gallery.paths())
        self.index = len(self.history) - 1
        self._show_current()
        screen = self.shell.screen()
        if screen is not None:  # without a window manager showFullScreen alone keeps the old size
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def leave(self) -> None:
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if 0 <= self.index < len(self.history):  # the gallery follows what the class last saw
            self.shell.show_painting(self.history[self.index])
        super().closeEvent(event)

    # ------------------------------------------------------------------ keys
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.generate()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp):
            self.back()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.forward()
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(len(self.history) - 1)
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_F5):
            self.leave()
        else:
            super().keyPressEvent(event)

    def generate(self) -> Any:
        """Paint with the window's current model, style and sampling settings; say so at once."""
        self.last_error = ""
        job = self.shell.generate()
        if job is None:
            self.last_error = self.shell.message_bar.text
            self._set_caption(lambda: self.shell.message_bar.text)
            return None
        self.job = job
        self.index = len(self.history) - 1  # the new painting will arrive at the end: follow it
        self.bar.setRange(0, 0)  # busy: nothing measured yet
        self.bar.show()
        runner = self.shell.runner
        pending = [j.id for j in runner.pending()]
        ahead = 0
        if runner.current is not job and job.id in pending:
            ahead = pending.index(job.id) + (1 if runner.current is not None else 0)
        seed = job.request.seed
        if ahead > 0:
            self._set_caption(lambda: self.tr("seed {0}: waiting for {1} job(s) ahead…").format(seed, ahead))
        else:
            self._set_caption(lambda: self.tr("painting seed {0}… preparing the model").format(seed))
        return job

    def _set_caption(self, text: Callable[[], str]) -> None:
        self._caption_source = text
        self.caption.setText(text())

    def back(self) -> None:
        self.go(self.index - 1)

    def forward(self) -> None:
        self.go(self.index + 1)

    def go(self, index: int) -> None:
        if self.history:
            self.index = max(0, min(len(self.history) - 1, index))
            self._show_current()

    def current_path(self) -> Path | None:
        return self.history[self.index] if 0 <= self.index < len(self.history) else None

    def _show_current(self) -> None:
        path = self.current_path()
        if path is None:
            self.canvas.set_image(None)
            self._set_caption(lambda: self.tr("Press Space to paint"))
            return
        try:
            with Image.open(path) as im:
                image = im.convert("RGB")
        except OSError:
            image = None
        self.canvas.set_image(image)
        meta = self.shell.gallery.meta_for(path) or {}
        self._set_caption(lambda: self._caption(meta))

    def _caption(self, meta: dict[str, Any]) -> str:
        parts = [self.tr("seed {0}").format(meta.get("seed", "?")), str(meta.get("model", ""))]
        style = meta.get("style")
        if style:
            parts.append({"light": self.tr("淡墨 light ink"), "dark": self.tr("浓墨 dark ink")}.get(style, str(style)))
        if meta.get("kind") == "gan":
            parts.append(self.tr("GAN · one pass"))
        elif meta.get("steps"):
            parts.append(self.tr("{0} · {1} steps").format(meta.get("sampler", ""), meta["steps"]))
        parts.append(f"{self.index + 1} / {len(self.history)}")
        return "   ·   ".join(p for p in parts if p)

    def _on_event(self, ev: Any) -> None:
        mine = self.job is not None and ev.job_id == self.job.id
        if mine and ev.kind in ("finished", "cancelled", "error"):
            self.job = None
            self.bar.hide()
        if not self.isVisible():
            return
        painting_job = ev.job_kind is JobKind.PAINT
        following = self.index >= len(self.history) - 1  # browsing back: previews do not pull the view away
        if ev.kind == "started" and mine and following:
            seed = self.job.request.seed
            self._set_caption(lambda: self.tr("painting seed {0}… the first step is on its way").format(seed))
        elif ev.kind == "progress" and painting_job and following and ev.step < ev.total:
            if mine and ev.total:
                self.bar.setRange(0, 1000)
                self.bar.setValue(int(ev.fraction * 1000))
            step, total = ev.step, ev.total
            self._set_caption(lambda: self.tr("painting… step {0} of {1}").format(step, total))
            if ev.image is not None:
                self.canvas.set_image(ev.image, preview=True)
        elif ev.kind == "painting":
            self.history.append(Path(ev.path))
            self.index = len(self.history) - 1
            self._show_current()
        elif ev.kind == "error" and (mine or painting_job):
            message = ev.message
            self._set_caption(lambda: self.tr("Painting failed: {0}").format(message))
        elif ev.kind == "cancelled" and (mine or painting_job):
            self._show_current()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Ink Studio — presentation"))
        self.prev_button.setText(self.tr("◀ Previous"))
        self.generate_button.setText(self.tr("Paint (Space)"))
        self.next_button.setText(self.tr("Next ▶"))
        self.leave_button.setText(self.tr("Leave (Esc)"))
        self.hint.setText(self.tr("Space: paint   ·   ← →: earlier and later paintings   ·   Esc or F11: leave"))
        self.canvas.placeholder = self.tr("Press Space to paint")
        self.caption.setText(self._caption_source())


# ---------------------------------------------------------------------------- the tab


class ClassroomPage(QWidget):
    def __init__(self, shell: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.filmstrip = FilmstripView(shell)
        self.forward = ForwardView(shell)
        self.compare = CompareView(shell)
        self.views = QTabWidget()
        self.views.addTab(self.filmstrip, "")
        self.views.addTab(self.forward, "")
        self.views.addTab(self.compare, "")
        self.present_button = QPushButton()
        self.present_button.clicked.connect(self.present)
        self.views.setCornerWidget(self.present_button)
        # a small window scrolls the views instead of growing to fit every control
        scroll = QScrollArea()
        scroll.setWidget(self.views)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(scroll)
        self.presentation: PresentationView | None = None
        self.present_action: QAction | None = None
        shell.catalog_loaded.connect(self.refresh_models)
        shell.model_panel.model_changed.connect(lambda _r: self.refresh_models())

    def refresh_models(self) -> None:
        records = self.shell.model_panel.records()
        current = self.shell.model_panel.current_record()
        for choice in (self.filmstrip.model, self.forward.model, self.compare.diffusion, self.compare.gan):
            choice.set_records(records, current)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        self.refresh_models()
        super().showEvent(event)

    def present(self) -> PresentationView:
        if self.presentation is None:
            self.presentation = PresentationView(self.shell)
        self.presentation.present()
        return self.presentation

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        modes = self.shell.modes
        if modes.indexOf(self) >= 0:
            modes.setTabText(modes.indexOf(self), self.tr("Classroom"))
        self.views.setTabText(0, self.tr("Denoising filmstrip"))
        self.views.setTabText(1, self.tr("Forward process"))
        self.views.setTabText(2, self.tr("GAN vs diffusion"))
        self.present_button.setText(self.tr("Presentation (F5)"))
        if self.present_action is not None:
            self.present_action.setText(self.tr("Presentation"))


def install(shell: MainWindow) -> ClassroomPage:
    """The Classroom tab, and View → Presentation (F5)."""
    page = ClassroomPage(shell)
    shell.add_mode(page, "")
    action = QAction(shell)
    action.setShortcut(QKeySequence("F5"))
    action.triggered.connect(page.present)
    shell.view_menu.addSeparator()
    shell.view_menu.addAction(action)
    page.present_action = action
    page.retranslate()
    return page
