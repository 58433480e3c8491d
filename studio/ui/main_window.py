"""The studio's main window: model and sampling panels, canvas with live preview, progress, queue, gallery."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import studio
from studio.api import BUNDLED_UPSCALER, DEFAULT_SAMPLER, SAMPLERS, JobEvent, JobKind, PaintRequest
from studio.config import paths
from studio.config.settings import Settings, save_settings
from studio.engine.pngmeta import read_png_meta, save_png
from studio.errors import StudioError
from studio.ui import i18n, pair_dialog
from studio.ui.canvas import CanvasView
from studio.ui.dialogs import ModelCardDialog
from studio.ui.gallery import GalleryPanel, GalleryView, make_thumbnail, move_to_trash, scan_gallery
from studio.ui.modes import install_modes
from studio.ui.panels import ModelPanel, QueuePanel, SamplingPanel, icon
from studio.ui.runner import JobRunner
from studio.ui.theme import apply_theme


def process_memory_bytes() -> int:
    try:
        import psutil

        return int(psutil.Process().memory_info().rss)
    except Exception:  # psutil is optional; fall back to what the OS tells without it
        try:
            with open("/proc/self/statm") as fh:
                import os

                return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0


class MessageBar(QFrame):
    """A line at the top of the canvas for errors and notices; never a modal box the user must dismiss."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.level = ""
        self.source: str | Callable[[], str] = ""
        self.about_last_run = False  # an outcome of the last painting job: stale once another starts
        self.hide()

    def show_message(self, text: str | Callable[[], str], level: str = "info", *, about_last_run: bool = False) -> None:
        """``text`` may be a callable, re-read when the language changes (``refresh``)."""
        self.level = level
        self.source = text
        self.about_last_run = about_last_run
        colors = {"error": ("#f8dcd9", "#7d1f1c", "#c9625b"), "info": ("#e6ecdf", "#2e4a26", "#8aa67b")}
        bg, fg, border = colors.get(level, colors["info"])
        self.setStyleSheet(
            f"#messageBar {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
            f"#messageBar QLabel, #messageBar QToolButton {{ color: {fg}; }}"
        )
        self.label.setText(text() if callable(text) else text)
        self.show()

    def refresh(self) -> None:
        if callable(self.source) and not self.isHidden():
            self.label.setText(self.source())

    def clear_run_outcome(self) -> None:
        """Hide a notice about the previous run ("Cancelled…", "Painting failed…") when a new one starts."""
        if self.about_last_run:
            self.about_last_run = False
            self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class MainWindow(QMainWindow):
    """One window; modes (Paint now; Inpaint, Walk, Classroom later) are tabs of the central area."""

    catalog_loaded = Signal()
    painting_dropped = Signal(object)  # Path of a painted PNG whose settings were just restored (File → Repaint paints it)
    gallery_loaded = Signal()

    def __init__(self, settings: Settings, languages: i18n.Languages | None = None, *, device: str = "auto") -> None:
        super().__init__()
        self.settings = settings
        self.languages = languages or i18n.Languages()
        self.runner = JobRunner(paths.gallery_dir(), device=device, parent=self)
        self.runner.event.connect(self._on_event)
        self.runner.queue_changed.connect(self._on_queue_changed)
        self.runner.busy_changed.connect(self._on_busy)
        self._job_started = 0.0
        self._running_label: Callable[[], str] | None = None  # another mode's job's label while one runs (None for paintings)
        self._pace_from: tuple[float, float] | None = None  # (time, fraction) at this job's first finished step
        self._batch = (0, 1)  # the paintings being painted together: (first index, how many)
        self._eta_seconds: int | None = None
        self._progress_text: Callable[[], str] = lambda: self.tr("Ready")
        self._cuda_bytes = 0
        self.catalog_ready = False  # the model list is complete (every format read)
        self.engine_ready = False  # the engine is imported and the first model loaded: Generate is enabled
        self.gallery_ready = False
        self._closing = False
        self.device_label_text = ""
        self.loaded_model_id = ""
        self.setAcceptDrops(True)
        # each takes a drop of several paths first (True: handled), e.g. two checkpoints offered as a pair
        self.drop_handlers: list[Callable[[list[Path]], bool]] = []
        self.setWindowIcon(icon("app"))
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks)

        self._build_widgets()
        self._build_menus()
        self._build_status_bar()
        self._set_generate_enabled(False)  # until the engine is loaded (it loads in the background)
        modes = install_modes(self)  # the shell keeps its modes; they never hang themselves on it
        self.classroom, self.inpaint_page, self.walk_page, self.series_actions = modes
        self.pair_actions = pair_dialog.install(self)  # File → Pair checkpoints…, two dropped checkpoints
        self._apply_settings()
        self.retranslate()

        self._memory_timer = QTimer(self)
        self._memory_timer.setInterval(2000)
        self._memory_timer.timeout.connect(self._update_memory)
        self._memory_timer.start()
        self._update_memory()
        self._load_catalog()
        self._load_gallery()

    # ------------------------------------------------------------------ construction
    def _build_widgets(self) -> None:
        self.model_panel = ModelPanel(paths.thumbnails_dir())
        self.model_panel.model_changed.connect(self._on_model_changed)
        self.model_panel.style_changed.connect(self._remember_style)
        self.model_panel.card_requested.connect(self.show_model_card)
        self.model_panel.open_requested.connect(self.open_checkpoint_dialog)
        self.sampling_panel = SamplingPanel()
        self.sampling_panel.generate_requested.connect(self.generate)
        self.sampling_panel.size.activated.connect(self._remember_size)
        self.queue_panel = QueuePanel()
        self.queue_panel.label_of = lambda job: self.runner.label_source(job)()
        self.queue_panel.remove_requested.connect(self.runner.remove)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 8, 8, 8)
        side_layout.setSpacing(6)
        side_layout.addWidget(self.model_panel)
        side_layout.addWidget(self.sampling_panel)
        side_layout.addWidget(self.queue_panel)
        side_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(300)
        self.controls_dock = QDockWidget()
        self.controls_dock.setObjectName("controlsDock")
        self.controls_dock.setWidget(scroll)
        self.controls_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.controls_dock.setTitleBarWidget(QWidget())  # the panels carry their own titles
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.controls_dock)

        self.gallery = GalleryView()
        self.gallery.chosen.connect(self.show_painting)
        self.gallery.save_requested.connect(self.save_painting_dialog)
        self.gallery.copy_seed_requested.connect(self.copy_seed)
        self.gallery.reuse_requested.connect(self.reuse_settings)
        self.gallery.delete_requested.connect(self.delete_paintings_confirm)
        self.gallery.export_requested.connect(self.export_paintings_dialog)
        self.gallery_panel = GalleryPanel(self.gallery)
        self.gallery_dock = QDockWidget()
        self.gallery_dock.setObjectName("galleryDock")
        self.gallery_dock.setWidget(self.gallery_panel)
        self.gallery_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.gallery_dock)
        self.resizeDocks([self.gallery_dock], [190], Qt.Orientation.Vertical)  # the filters and a row of paintings

        self.canvas = CanvasView()
        self.message_bar = MessageBar()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.eta_label = QLabel()
        self.eta_label.setMinimumWidth(140)
        self.cancel_button = QPushButton()
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.fit_button = QToolButton()
        self.fit_button.setIcon(icon("fit"))
        self.fit_button.clicked.connect(self.canvas.fit)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.eta_label)
        progress_row.addWidget(self.cancel_button)
        progress_row.addWidget(self.fit_button)
        paint_page = QWidget()
        paint_layout = QVBoxLayout(paint_page)
        paint_layout.setContentsMargins(8, 8, 8, 8)
        paint_layout.addWidget(self.message_bar)
        paint_layout.addWidget(self.canvas, 1)
        paint_layout.addLayout(progress_row)
        self.modes = QTabWidget()
        self.modes.setDocumentMode(True)
        self.modes.setTabBarAutoHide(True)
        self.paint_page = paint_page
        self.modes.addTab(paint_page, "")
        self.setCentralWidget(self.modes)

    def add_mode(self, page: QWidget, title: str) -> int:
        """Another mode (Inpaint, Walk, Classroom) as a tab beside Paint."""
        return self.modes.addTab(page, title)

    def _action(self, menu: Any, slot: Any, shortcuts: tuple[str, ...] = (), checkable: bool = False) -> QAction:
        action = QAction(self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        if slot is not None:
            action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.act_open = self._action(self.file_menu, self.open_checkpoint_dialog, ("Ctrl+O",))
        self.act_open_folder = self._action(self.file_menu, self.open_checkpoint_folder_dialog)
        self.act_models_folder = self._action(self.file_menu, self.show_models_folder)
        self.file_menu.addSeparator()
        self.act_output = self._action(self.file_menu, self.choose_output_folder)
        self.act_gallery_folder = self._action(self.file_menu, self.show_gallery_folder)
        self.file_menu.addSeparator()
        self.act_quit = self._action(self.file_menu, self.close, ("Ctrl+Q",))

        self.paint_menu = bar.addMenu("")
        self.act_generate = self._action(self.paint_menu, self.generate, ("Ctrl+Return", "Ctrl+Enter"))
        self.act_cancel = self._action(self.paint_menu, self.cancel, ("Esc",))
        self.act_cancel_all = self._action(self.paint_menu, self.cancel_all, ("Shift+Esc",))
        self.paint_menu.addSeparator()
        self.act_dice = self._action(self.paint_menu, self.sampling_panel.roll_seed, ("Ctrl+R",))

        self.view_menu = bar.addMenu("")
        self.act_fit = self._action(self.view_menu, self.canvas.fit, ("Ctrl+0",))
        self.act_zoom_in = self._action(self.view_menu, self.canvas.zoom_in, ("Ctrl++", "Ctrl+="))
        self.act_zoom_out = self._action(self.view_menu, self.canvas.zoom_out, ("Ctrl+-",))
        self.act_actual = self._action(self.view_menu, self.canvas.actual_size, ("Ctrl+1",))
        self.view_menu.addSeparator()
        self.act_gallery = self.gallery_dock.toggleViewAction()
        self.view_menu.addAction(self.act_gallery)
        self.view_menu.addSeparator()
        self.theme_menu = self.view_menu.addMenu("")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name in ("system", "light", "dark"):
            a = self._action(self.theme_menu, None, checkable=True)
            a.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            self.theme_group.addAction(a)
            self.theme_actions[name] = a
        self.language_menu = self.view_menu.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in ("", *i18n.LANGUAGE_NAMES):
            a = self._action(self.language_menu, None, checkable=True)
            a.triggered.connect(lambda _=False, c=code: self.set_language(c))
            if code:
                a.setText(i18n.LANGUAGE_NAMES[code])
            self.language_group.addAction(a)
            self.language_actions[code] = a

        self.help_menu = bar.addMenu("")
        self.act_card = self._action(self.help_menu, self.show_model_card)
        self.act_about = self._action(self.help_menu, self.show_about)

    def _build_status_bar(self) -> None:
        self.device_status = QLabel()
        self.model_status = QLabel()
        self.memory_status = QLabel()
        for w in (self.device_status, self.model_status, self.memory_status):
            w.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(w)

    def _apply_settings(self) -> None:
        s = self.settings
        self.sampling_panel.set_seed(s.seed)
        self.sampling_panel.lock.setChecked(s.seed_locked)
        self.sampling_panel.count.setValue(s.count)
        self.sampling_panel.steps.setValue(s.steps)
        self.sampling_panel.eta.setValue(s.eta)
        self.sampling_panel.set_samplers([s.sampler], s.sampler)
        if s.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(s.window_geometry.encode()))
        else:
            self.resize(1240, 820)
        if s.window_state:
            self.restoreState(QByteArray.fromBase64(s.window_state.encode()))
        self.theme_actions.get(s.theme, self.theme_actions["system"]).setChecked(True)
        self.language_actions.get(s.language, self.language_actions[""]).setChecked(True)

    def collect_settings(self) -> Settings:
        s = self.settings
        record = self.model_panel.current_record()
        if record is not None:
            s.model_id = record.id if record.bundled or not Path(record.path).exists() else record.path
            if not record.bundled and record.path not in s.extra_models and Path(record.path).parent != paths.user_models_dir():
                s.extra_models.append(record.path)
        s.style = self.model_panel.current_style() or s.style
        s.sampler = self.sampling_panel.sampler.currentText() or s.sampler
        s.steps = self.sampling_panel.steps.value()
        s.count = self.sampling_panel.count.value()
        s.eta = float(self.sampling_panel.eta.value())
        s.seed = self.sampling_panel.seed()
        s.seed_locked = self.sampling_panel.locked
        s.window_geometry = bytes(self.saveGeometry().toBase64()).decode()
        s.window_state = bytes(self.saveState().toBase64()).decode()
        return s

    def save_settings(self) -> None:
        try:
            save_settings(self.collect_settings())
        except OSError as exc:
            self.show_error(lambda why=exc.strerror or exc: self.tr("Settings could not be saved: {0}").format(why))

    # ------------------------------------------------------------------ catalog and gallery (file thread)
    def _load_catalog(self) -> None:
        """The model list in two passes on the file thread: first what the checkpoints' headers say
        (no torch: the list is there while the engine loads), then, when other formats or style pairs
        are present, the whole catalog (``discover``, which reads them with torch)."""
        extra = [p for p in self.settings.extra_models if Path(p).exists()]

        def listing() -> Any:
            from studio.models.catalog import listing

            return listing(extra_paths=extra)

        def discover() -> Any:
            from studio.models.catalog import discover

            return discover(extra_paths=extra)

        def listed(catalog: Any, error: str | None) -> None:
            if error is not None or not catalog.later:
                self._on_catalog(catalog, error)
                return
            self._show_records(catalog.records)
            self.runner.run_io(discover, self._on_catalog)

        self.sampling_panel.set_samplers(list(SAMPLERS), self.settings.sampler if self.settings.sampler in SAMPLERS else DEFAULT_SAMPLER)
        self.runner.run_io(listing, listed)

    def _show_records(self, records: list[Any]) -> None:
        """List ``records``, keeping the model on show, else choosing the one the settings name, else the default."""
        shown, previous = self.model_panel.current_record(), self.model_panel.records()
        wanted = self.settings.model_id

        def listed(among: list[Any]) -> bool:
            return wanted is not None and any(wanted in (r.id, r.path) for r in among)

        if listed(records) and not listed(previous):
            pass  # the settings' model, listed only now (read by the second pass)
        elif shown is not None and any(shown.path == r.path for r in records):
            wanted = shown.path
        elif not listed(records):
            from_default = next((r for r in records if r.id == "ink-diffusion-64"), None) or next(
                (r for r in records if r.bundled), None
            )
            wanted = from_default.id if from_default else None
        if [(r.id, r.path) for r in records] == [(r.id, r.path) for r in previous] and shown is not None:
            return  # the same list: the model stays loaded, its status unchanged
        self.model_panel.set_records(records, wanted)

    def _on_catalog(self, catalog: Any, error: str | None) -> None:
        if error is not None:
            self.show_error(lambda: self.tr("The model catalog could not be read: {0}").format(error))
            self.model_panel.set_records([])
            self.runner.warm_up(None)
        else:
            self._show_records(catalog.records)
            if not catalog.records:
                self.runner.warm_up(None)  # still say which device would paint
            if catalog.problems:
                self.statusBar().showMessage(self.tr("Skipped {0} unreadable model file(s)").format(len(catalog.problems)), 8000)
        self.catalog_ready = True
        self.catalog_loaded.emit()

    def _load_gallery(self) -> None:
        self.runner.run_io(lambda: scan_gallery(paths.gallery_dir()), self._on_gallery)

    def _on_gallery(self, result: Any, error: str | None) -> None:
        if error is None:
            entries, problems = result
            shown = set(self.gallery.paths())  # paintings made while the folder was being read
            for e in entries:
                if e.path not in shown:
                    self.gallery.add_entry(e.path, e.meta, e.thumbnail)
            if entries and not self.canvas.has_image() and not self.runner.busy:
                self.gallery.select_row(self.gallery.count() - 1)  # the last painting greets the user
        self.gallery_ready = True
        self.gallery_loaded.emit()

    # ------------------------------------------------------------------ model
    def _remember_style(self, style: str | None) -> None:
        # the painter's own choice: kept while switching models (one that lacks it shows another style meanwhile)
        if style:
            self.settings.style = style

    def _remember_size(self) -> None:
        # the painter's own choice (0 = the model's own size): kept for every model that paints it
        record = self.model_panel.current_record()
        chosen = self.sampling_panel.chosen_size()
        self.settings.size = 0 if record is None or chosen == record.resolution else int(chosen or 0)

    def _on_model_changed(self, record: Any) -> None:
        self.sampling_panel.set_diffusion(record is None or record.kind == "diffusion")
        if record is None:
            self.sampling_panel.set_sizes([], 0)
        else:
            upscaler = (paths.bundled_models_dir() / BUNDLED_UPSCALER).is_file()
            self.sampling_panel.set_sizes(record.sizes(upscaler), record.resolution)
            if self.settings.size:
                self.sampling_panel.set_size(self.settings.size)
        if record is not None:
            if self.settings.style and self.model_panel.style_enabled(self.settings.style):
                self.model_panel.set_style(self.settings.style)
            self.runner.warm_up(record)
            self.model_status.setText(self.tr("Model: {0} (loading…)").format(record.id))

    def open_checkpoint_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open checkpoint"),
            str(paths.user_models_dir()),
            self.tr("Checkpoints (*.safetensors *.pt *.pth *.ckpt *.bin);;All files (*)"),
        )
        if path:
            self.open_checkpoint(path)

    def open_checkpoint_folder_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Open checkpoint folder"), str(paths.user_models_dir()))
        if path:
            self.open_checkpoint(path)

    def open_checkpoint(self, path: str | Path) -> None:
        """Inspect a checkpoint off the GUI thread; add it to the catalog or say what is wrong with it."""
        path = str(path)

        def inspect() -> Any:
            from studio.models.catalog import resolve

            return resolve(path)

        def done(record: Any, error: str | None) -> None:
            if error is not None:
                self.show_error(lambda: self.tr("This checkpoint cannot be opened: {0}").format(error))
                return
            self.model_panel.add_record(record)
            if record.path not in self.settings.extra_models:
                self.settings.extra_models.append(record.path)
            self.show_info(lambda: self.tr("Opened {0}").format(record.name))

        self.runner.run_io(inspect, done)

    def show_models_folder(self) -> None:
        folder = paths.user_models_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_gallery_folder(self) -> None:
        folder = paths.gallery_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_model_card(self) -> None:
        record = self.model_panel.current_record()
        if record is None:
            self.show_error(lambda: self.tr("No model is selected."))
            return
        dialog = ModelCardDialog(record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    # ------------------------------------------------------------------ painting
    def generate(self) -> Any:
        record = self.model_panel.current_record()
        if record is None:
            self.show_error(lambda: self.tr("Choose a model first (File → Open checkpoint… if the list is empty)."))
            return None
        sp = self.sampling_panel
        request = PaintRequest(
            seed=sp.seed_for_next_job(),
            count=sp.count.value(),
            style=self.model_panel.current_style(),
            sampler=sp.sampler.currentText() or DEFAULT_SAMPLER,
            steps=sp.steps.value(),
            eta=float(sp.eta.value()),
            size=sp.chosen_size() if sp.chosen_size() != record.resolution else None,
        )
        job = self.runner.submit(record, request)
        self.save_settings()
        return job

    def cancel(self) -> None:
        if self.runner.busy:
            self.runner.cancel_current()
            self._set_progress_text(lambda: self.tr("Cancelling…"))
            self._set_eta(None)

    def cancel_all(self) -> None:
        self.runner.cancel_all()

    def _on_queue_changed(self) -> None:
        pending = self.runner.pending()
        self.queue_panel.set_jobs(pending)

    def _on_busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        if not busy:
            self._set_eta(None)

    def _set_progress_text(self, text: Callable[[], str]) -> None:
        """The progress bar's text, re-read when the language changes."""
        self._progress_text = text
        self.progress.setFormat(text())

    def _set_eta(self, seconds: int | None) -> None:
        self._eta_seconds = seconds
        self.eta_label.setText("" if seconds is None else self.tr("about {0} s left").format(seconds))

    def _estimate(self, fraction: float, step: int) -> None:
        """Time left from the pace measured between this job's own progress events; none before that.

        The clock starts at the first finished step, so model loading, a first slow step and the
        time spent waiting in the queue never enter the estimate.
        """
        now = time.monotonic()
        if self._pace_from is None:
            if step >= 1:
                self._pace_from = (now, fraction)
            return
        t0, f0 = self._pace_from
        if f0 < fraction < 1.0 and now - t0 >= 0.5:
            self._set_eta(max(1, round((now - t0) / (fraction - f0) * (1.0 - fraction))))

    def _step_text(self, ev: JobEvent) -> Callable[[], str]:
        """What the progress bar says during a painting job: the step, and which paintings are at it together."""
        step, total, count = ev.step, ev.total, ev.count
        start, n = ev.meta.get("batch", (ev.done, 1))
        if n:
            self._batch = (start, n)
        start, n = self._batch
        if count <= 1:
            return lambda: self.tr("Step {0}/{1}").format(step, total)
        if n == 1:
            return lambda: self.tr("Step {0}/{1} · painting {2} of {3}").format(step, total, start + 1, count)
        if n >= count:
            return lambda: self.tr("Step {0}/{1} · all {2} paintings at once").format(step, total, count)
        last = start + n
        return lambda: self.tr("Step {0}/{1} · paintings {2}–{3} of {4} at once").format(step, total, start + 1, last, count)

    def _on_event(self, ev: JobEvent) -> None:
        """Every event of the runner, routed by its job's kind: the engine's own (no job) to the status
        bar; any job's to the shared progress row; a painting job's also to the Paint canvas and gallery.
        Other modes follow their own jobs by id (``studio.ui.tracker.JobTracker``)."""
        if ev.memory_bytes:
            self._cuda_bytes = ev.memory_bytes
        if ev.job_kind is JobKind.ENGINE:
            self._on_engine_event(ev)
            self._set_engine_ready()
        else:
            self._on_job_event(ev)
            if ev.job_kind is JobKind.PAINT:
                self._on_paint_event(ev)
        if ev.kind not in ("progress", "painting"):
            self._update_memory()  # otherwise the 2 s timer keeps it current

    def _on_engine_event(self, ev: JobEvent) -> None:
        """The engine starting or a model loading outside any job: device, loaded model, or why it failed."""
        if ev.kind == "ready":
            self._show_device(ev.message)
            if ev.meta.get("model"):
                self.loaded_model_id = ev.meta["model"]
                self.model_status.setText(self.tr("Model: {0}").format(self.loaded_model_id))
        elif ev.kind == "error":
            self.progress.setValue(0)
            self._set_progress_text(lambda: self.tr("Failed"))
            self._set_eta(None)
            self.show_error(ev.message)
            self.model_status.setText(self.tr("Model: none loaded"))

    def _set_engine_ready(self) -> None:
        """The engine answered (ready, or why the model cannot load): Generate can be pressed."""
        if not self.engine_ready:
            self.engine_ready = True
            self._set_generate_enabled(True)

    def _set_generate_enabled(self, enabled: bool) -> None:
        self.sampling_panel.set_engine_ready(enabled)
        self.act_generate.setEnabled(enabled)

    def _show_device(self, label: str) -> None:
        if label:
            self.device_label_text = label
            self.device_status.setText(self.tr("Device: {0}").format(label))

    def _on_job_event(self, ev: JobEvent) -> None:
        """The progress row, for whichever job runs: its label, step, time left and outcome."""
        kind = ev.kind
        if kind == "started":
            job = self.runner.current
            self._job_started = time.monotonic()
            self._pace_from = None
            self._batch = (0, 1)
            self._set_eta(None)
            self._show_device(ev.message)
            painting = ev.job_kind is JobKind.PAINT
            self._running_label = None if painting or job is None else self.runner.label_source(job)
            self.progress.setValue(0)
            self._set_progress_text(lambda: self.tr("Starting…"))
        elif kind == "progress":
            self.progress.setValue(int(ev.fraction * 1000))
            label = self._running_label
            if ev.total and label is not None:
                step, total = ev.step, ev.total
                self._set_progress_text(lambda: f"{label()} · {step}/{total}")
            elif ev.total:
                self._set_progress_text(self._step_text(ev))
            self._estimate(ev.fraction, ev.step)
        elif kind == "finished":
            self.progress.setValue(1000)
            elapsed = time.monotonic() - self._job_started
            label, count = self._running_label, ev.count
            if label is not None:
                self._set_progress_text(lambda: self.tr("Done: {0} in {1:.1f} s").format(label(), elapsed))
            else:
                self._set_progress_text(lambda: self.tr("Done: {0} painting(s) in {1:.1f} s").format(count, elapsed))
            self._set_eta(None)
        elif kind == "cancelled":
            self.progress.setValue(0)
            self._set_progress_text(lambda: self.tr("Cancelled"))
            self._set_eta(None)
        elif kind == "error":
            self.progress.setValue(0)
            self._set_progress_text(lambda: self.tr("Failed"))
            self._set_eta(None)
            if ev.job_kind is not JobKind.PAINT:
                message, label = ev.message, self._running_label
                self.message_bar.show_message(
                    lambda: self.tr("{0} failed: {1}").format(label() if label else "", message), "error", about_last_run=True
                )

    def _on_paint_event(self, ev: JobEvent) -> None:
        """A painting job's events: its previews on the canvas, its paintings into the gallery."""
        kind = ev.kind
        if kind == "started":
            job = self.runner.current
            if job is not None and job.id == ev.job_id:
                self.loaded_model_id = job.record.id
                self.model_status.setText(self.tr("Model: {0}").format(job.record.id))
            self.message_bar.clear_run_outcome()
        elif kind == "progress" and ev.image is not None:
            final = ev.step >= ev.total
            step, total = ev.step, ev.total
            self.canvas.set_image(
                ev.image,
                preview=not final,
                caption=(lambda: self.tr("preview · step {0}/{1}").format(step, total)) if not final else "",
            )
        elif kind == "painting":
            self.gallery.add_entry(Path(ev.path), ev.meta, make_thumbnail(ev.image), select=True)
            self.model_panel.refresh_thumbnail()
        elif kind == "finished":
            self.message_bar.clear_run_outcome()
        elif kind == "cancelled":
            if self.canvas.is_preview:
                self.canvas.set_image(None)
            self.message_bar.show_message(
                lambda: self.tr("Cancelled. Paintings finished before that are kept in the gallery."), about_last_run=True
            )
        elif kind == "error":
            if self.canvas.is_preview:
                self.canvas.set_image(None)
            message = ev.message
            self.message_bar.show_message(
                lambda: self.tr("Painting failed: {0}").format(message), "error", about_last_run=True
            )

    # ------------------------------------------------------------------ gallery actions
    def show_painting(self, path: Path) -> None:
        from PIL import Image

        try:
            with Image.open(path) as im:
                image = im.convert("RGB")
        except OSError as exc:
            self.show_error(lambda why=exc: self.tr("Cannot show {0}: {1}").format(Path(path).name, why))
            return
        meta = self.gallery.meta_for(path) or {}
        self.canvas.set_image(image, caption=lambda: self.gallery.caption_for(meta))

    def save_painting_dialog(self, path: Path) -> None:
        folder = Path(self.settings.output_dir) if self.settings.output_dir else Path.home()
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save painting"), str(folder / self.suggested_name(path)), self.tr("PNG images (*.png)")
        )
        if target:
            self.save_painting(path, target)

    def suggested_name(self, path: Path) -> str:
        """What Save as PNG offers: the name ``generate`` gives the painting (model-style-seed), from its settings."""
        from studio.api import DEFAULT_NAME, file_name

        meta = self.gallery.meta_for(path) or {}
        if not isinstance(meta.get("seed"), int):
            return Path(path).name  # not one of ours: keep its own name
        try:
            return file_name(DEFAULT_NAME, meta)
        except StudioError:
            return Path(path).name

    def save_painting(self, path: Path, target: str | Path, *, quiet: bool = False) -> Path | None:
        """Copy a gallery painting to ``target`` as PNG, its settings embedded."""
        from PIL import Image

        target = Path(target)
        if target.suffix.lower() != ".png":
            target = target.with_suffix(".png")
        try:
            meta = read_png_meta(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            with Image.open(path) as im:
                image = im.copy()
            saved = save_png(image, meta, target)
        except (StudioError, OSError) as exc:
            self.show_error(lambda why=exc: self.tr("Export failed: {0}").format(why))
            return None
        self.settings.output_dir = str(target.parent)
        if not quiet:
            self.show_info(lambda: self.tr("Saved {0}").format(saved))
        return saved

    def copy_seed(self, path: Path) -> None:
        meta = self.gallery.meta_for(path) or {}
        QApplication.clipboard().setText(str(meta.get("seed", "")))
        self.statusBar().showMessage(self.tr("Seed {0} copied").format(meta.get("seed", "")), 4000)

    def reuse_settings(self, source: Path | dict[str, Any]) -> None:
        """Model, style, sampler, steps, eta and seed of a painting; the seed is locked so Generate repeats it."""
        meta = source if isinstance(source, dict) else (self.gallery.meta_for(source) or {})
        if not meta:
            return
        if not self.model_panel.select(meta.get("model"), meta.get("model_sha256")):
            self.show_error(lambda: self.tr("The model '{0}' of this painting is not in the catalog.").format(meta.get("model")))
        if meta.get("style"):
            self.model_panel.set_style(meta["style"])
        sp = self.sampling_panel
        if meta.get("sampler"):
            sp.set_sampler(meta["sampler"])
        if meta.get("steps"):
            sp.steps.setValue(int(meta["steps"]))
        if meta.get("eta") is not None:
            sp.eta.setValue(float(meta["eta"]))
        if meta.get("seed") is not None:
            sp.set_seed(int(meta["seed"]))
            sp.lock.setChecked(True)
        sp.count.setValue(1)

    def export_paintings_dialog(self, chosen: list[Path]) -> None:
        if not chosen:
            return
        start = self.settings.output_dir or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export {0} painting(s) to a folder").format(len(chosen)), start)
        if folder:
            self.export_paintings(chosen, folder)

    def export_paintings(self, chosen: list[Path], folder: str | Path) -> list[Path]:
        """Copy gallery paintings into ``folder`` as PNG with their settings, each under the name ``generate``
        gives it (model-style-seed); a name already taken there gets -2, -3…, so nothing is overwritten."""
        folder = Path(folder)
        written: list[Path] = []
        for path in chosen:
            base = Path(self.suggested_name(path))
            target, n = folder / base, 1
            while target.exists() or target in written:
                n += 1
                target = folder / f"{base.stem}-{n}{base.suffix}"
            saved = self.save_painting(path, target, quiet=True)
            if saved is None:
                return written  # save_painting said why in the window
            written.append(saved)
        count = len(written)
        self.show_info(lambda: self.tr("Exported {0} painting(s) to {1}").format(count, folder))
        return written

    def delete_paintings_confirm(self, chosen: list[Path] | Path) -> None:
        """Ask, then move the paintings to the trash: nothing the painter made is lost by a slip of the key."""
        chosen = [Path(chosen)] if isinstance(chosen, (str, Path)) else [Path(p) for p in chosen]
        if not chosen:
            return
        if len(chosen) == 1:
            question = self.tr("Move {0} to the trash?").format(chosen[0].name)
        else:
            question = self.tr("Move {0} paintings to the trash?").format(len(chosen))
        answer = QMessageBox.question(
            self,
            self.tr("Delete paintings"),
            question + "\n" + self.tr("They can be restored from the trash."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_paintings(chosen)

    def delete_painting_confirm(self, path: Path) -> None:
        self.delete_paintings_confirm([Path(path)])

    def delete_paintings(self, chosen: list[Path]) -> list[Path]:
        """Move paintings to the trash and out of the gallery; returns where they went."""
        moved: list[Path] = []
        for path in chosen:
            if not Path(path).exists():  # already gone (removed outside the studio): only the thumbnail is left
                self.gallery.remove_path(Path(path))
                continue
            try:
                moved.append(move_to_trash(Path(path)))
            except OSError as exc:
                self.show_error(
                    lambda why=exc.strerror or exc, p=Path(path): self.tr("Cannot delete {0}: {1}").format(p.name, why)
                )
                break
            self.gallery.remove_path(Path(path))
        if moved:
            count, where = len(moved), moved[-1].parent
            self.show_info(lambda: self.tr("Moved {0} painting(s) to the trash ({1}).").format(count, where))
        return moved

    def delete_painting(self, path: Path) -> Path | None:
        moved = self.delete_paintings([Path(path)])
        return moved[0] if moved else None

    def choose_output_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Output folder"), self.settings.output_dir or str(Path.home()))
        if folder:
            self.settings.output_dir = folder
            self.save_settings()

    # ------------------------------------------------------------------ messages, status
    def show_error(self, text: str | Callable[[], str]) -> None:
        """A line above the canvas; give a callable (``lambda: self.tr(...)``) to have it re-read on a language change."""
        self.message_bar.show_message(text, "error")

    def show_info(self, text: str | Callable[[], str]) -> None:
        self.message_bar.show_message(text, "info")

    def _update_memory(self) -> None:
        rss = process_memory_bytes()
        text = self.tr("Memory: {0} MB").format(rss // 2**20) if rss else ""
        if self._cuda_bytes:
            text += " · " + self.tr("GPU {0} MB").format(self._cuda_bytes // 2**20)
        self.memory_status.setText(text)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Ink Studio"),
            self.tr(
                "<h3>Ink Studio 水墨工作室 {0}</h3><p>Paint traditional Chinese ink landscapes offline with diffusion and GAN "
                "models. Every painting keeps its settings inside the PNG.</p>"
            ).format(studio.__version__),
        )

    # ------------------------------------------------------------------ language and theme
    def set_language(self, code: str) -> None:
        self.settings.language = code
        self.languages.install(i18n.effective_language(code))
        self.language_actions.get(code, self.language_actions[""]).setChecked(True)
        self.retranslate()  # LanguageChange also reaches the panels; the window does its own part now
        self.save_settings()

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        apply_theme(QApplication.instance(), theme)
        self.theme_actions[theme].setChecked(True)
        self.save_settings()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Ink Studio 水墨工作室"))
        self.modes.setTabText(self.modes.indexOf(self.paint_page), self.tr("Paint"))
        self.gallery_dock.setWindowTitle(self.tr("Gallery"))
        self.canvas.placeholder = self.tr(
            "Choose a model and an ink style, then press Generate (Ctrl+Enter).\n"
            "Each step's predicted painting appears here as it forms."
        )
        self.canvas.update()
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the painting in progress (Esc)"))
        self.fit_button.setToolTip(self.tr("Fit to window (Ctrl+0)"))
        self.progress.setFormat(self._progress_text())
        self._set_eta(self._eta_seconds)
        self.message_bar.refresh()
        self.file_menu.setTitle(self.tr("&File"))
        self.act_open.setText(self.tr("Open checkpoint…"))
        self.act_open_folder.setText(self.tr("Open checkpoint folder…"))
        self.act_models_folder.setText(self.tr("Show my models folder"))
        self.act_output.setText(self.tr("Output folder…"))
        self.act_gallery_folder.setText(self.tr("Show gallery folder"))
        self.act_quit.setText(self.tr("Quit"))
        self.paint_menu.setTitle(self.tr("&Paint"))
        self.act_generate.setText(self.tr("Generate"))
        self.act_cancel.setText(self.tr("Cancel"))
        self.act_cancel_all.setText(self.tr("Cancel all jobs"))
        self.act_dice.setText(self.tr("Random seed"))
        self.view_menu.setTitle(self.tr("&View"))
        self.act_fit.setText(self.tr("Fit to window"))
        self.act_zoom_in.setText(self.tr("Zoom in"))
        self.act_zoom_out.setText(self.tr("Zoom out"))
        self.act_actual.setText(self.tr("Actual size"))
        self.act_gallery.setText(self.tr("Gallery"))
        self.theme_menu.setTitle(self.tr("Theme"))
        self.theme_actions["system"].setText(self.tr("System"))
        self.theme_actions["light"].setText(self.tr("Xuan paper (light)"))
        self.theme_actions["dark"].setText(self.tr("Ink (dark)"))
        self.language_menu.setTitle(self.tr("Language"))
        self.language_actions[""].setText(self.tr("System language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.act_card.setText(self.tr("Model card…"))
        self.act_about.setText(self.tr("About Ink Studio"))
        if self.device_label_text:
            self.device_status.setText(self.tr("Device: {0}").format(self.device_label_text))
        else:
            self.device_status.setText(self.tr("Device: starting…"))
        if self.loaded_model_id:
            self.model_status.setText(self.tr("Model: {0}").format(self.loaded_model_id))
        else:
            self.model_status.setText(self.tr("Model: none loaded"))
        self._update_memory()

    # ------------------------------------------------------------------ drag and drop, close
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        dropped = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        if not any(take(dropped) for take in self.drop_handlers):
            for path in dropped:
                self.open_dropped(path)

    def open_dropped(self, path: Path) -> None:
        """A checkpoint is opened; a painting made here brings back its settings and is painted again."""
        if path.suffix.lower() == ".png":
            try:
                meta = read_png_meta(path)
            except StudioError as exc:
                self.show_error(str(exc))
                return
            self.reuse_settings(meta)
            self.show_info(lambda: self.tr("Settings of {0} restored.").format(path.name))
            self.painting_dropped.emit(path)
        else:
            self.open_checkpoint(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._closing:
            self._closing = True
            self.save_settings()
            self._memory_timer.stop()
            self.runner.shutdown()
        super().closeEvent(event)
