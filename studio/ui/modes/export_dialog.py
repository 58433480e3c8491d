"""File → Export series… (Ctrl+Shift+E) and File → Repaint from PNG….

Export series paints ``count`` paintings with the window's model, style and sampling settings
into a folder through ``studio.engine.export.export_series`` (settings embedded in every PNG,
manifest.json, optional contact sheet, upscale and framing), as a task with progress and cancel.
The dialog's choices are remembered in ``<config>/export.json``.

Repaint from PNG reads the settings a painted PNG carries, finds its model, paints it again and
shows it on the Paint canvas, saying whether it matches the original pixel for pixel.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from studio.api import DEFAULT_NAME, DEFAULT_SAMPLER, FRAMES, ExportOptions, JobEvent, JobKind, PaintRequest, SeriesRequest
from studio.config import paths
from studio.ui.images import to_qimage
from studio.ui.modes.walk import worker_cache
from studio.ui.panels import SeedBox
from studio.ui.tracker import JobTracker
from studio.work.series import Located, Repainted, SeriesDone, locate_for_png, repaint_task, series_task

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow  # the shell the mode lives in

PREFS_NAME = "export.json"
FRAMINGS = (None, *FRAMES)


def prefs_path() -> Path:
    return paths.user_config_dir() / PREFS_NAME


def load_prefs() -> dict[str, Any]:
    try:
        data = json.loads(prefs_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_prefs(prefs: dict[str, Any]) -> None:
    path = prefs_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_text(json.dumps(prefs, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # remembering choices is a nicety; the export itself does not depend on it


class ExportSeriesDialog(QDialog):
    """Count, seeds, names, folder, sheet, upscale, framing; runs export_series with progress and cancel."""

    def __init__(self, shell: MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.tracker = JobTracker(shell.runner, self)
        self.finished_series: SeriesDone | None = None
        self.written = 0
        self.count = QSpinBox()
        self.count.setRange(1, 999)
        self.seed_edit = SeedBox()
        self.random_seed = QCheckBox()
        self.random_seed.toggled.connect(lambda on: self.seed_edit.setEnabled(not on))
        self.name_edit = QLineEdit()
        self.folder_edit = QLineEdit()
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self.choose_folder)
        self.sheet = QCheckBox()
        self.upscale = QComboBox()
        for f in (1, 2, 4):
            self.upscale.addItem(f"{f}×", f)
        self.framing = QComboBox()
        for _ in FRAMINGS:
            self.framing.addItem("")
        self.seal = QCheckBox()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setFixedSize(112, 112)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton()
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_folder)
        self.open_button.hide()
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.cancel_or_close)

        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed_edit, 1)
        seed_row.addWidget(self.random_seed)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        self.form = QFormLayout()
        self.labels = {k: QLabel() for k in ("count", "seed", "name", "folder", "upscale", "framing")}
        self.form.addRow(self.labels["count"], self.count)
        self.form.addRow(self.labels["seed"], seed_row)
        self.form.addRow(self.labels["name"], self.name_edit)
        self.form.addRow(self.labels["folder"], folder_row)
        self.form.addRow("", self.sheet)
        self.form.addRow(self.labels["upscale"], self.upscale)
        self.form.addRow(self.labels["framing"], self.framing)
        self.form.addRow("", self.seal)
        top = QHBoxLayout()
        top.addLayout(self.form, 1)
        top.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._apply_prefs(load_prefs())
        self.tracker.event.connect(self._on_event)
        self.retranslate()

    @property
    def job(self) -> Any:
        """The export job while it is queued or runs, else None."""
        return self.tracker.job

    # ------------------------------------------------------------------ choices
    def _apply_prefs(self, p: dict[str, Any]) -> None:
        def get(key: str, kind: type, default: Any) -> Any:
            value = p.get(key, default)
            return value if isinstance(value, kind) and not (kind is int and isinstance(value, bool)) else default

        self.count.setValue(max(1, min(999, get("count", int, 8))))
        self.seed_edit.setValue(get("seed", int, self.shell.sampling_panel.seed()))
        self.random_seed.setChecked(get("random_seed", bool, False))
        self.name_edit.setText(get("name", str, DEFAULT_NAME) or DEFAULT_NAME)
        base = self.shell.settings.output_dir or str(Path.home())
        self.folder_edit.setText(get("folder", str, "") or str(Path(base) / "ink-series"))
        self.sheet.setChecked(get("sheet", bool, True))
        up = get("upscale", int, 1)
        self.upscale.setCurrentIndex(max(0, self.upscale.findData(up)))
        frame = p.get("frame")
        self.framing.setCurrentIndex(FRAMINGS.index(frame) if frame in FRAMINGS else 0)
        self.seal.setChecked(get("seal", bool, False))

    def prefs(self) -> dict[str, Any]:
        return {
            "count": self.count.value(),
            "seed": self.seed_value(),
            "random_seed": self.random_seed.isChecked(),
            "name": self.name_edit.text().strip() or DEFAULT_NAME,
            "folder": self.folder_edit.text().strip(),
            "sheet": self.sheet.isChecked(),
            "upscale": int(self.upscale.currentData()),
            "frame": FRAMINGS[self.framing.currentIndex()],
            "seal": self.seal.isChecked(),
        }

    def seed_value(self) -> int:
        return self.seed_edit.value()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Export series into"), self.folder_edit.text() or str(Path.home())
        )
        if folder:
            self.folder_edit.setText(folder)

    def refresh_summary(self) -> None:
        record = self.shell.model_panel.current_record()
        if record is None:
            self.summary.setText(self.tr("No model is selected."))
            return
        style = self.shell.model_panel.current_style() or "—"
        sp = self.shell.sampling_panel
        if record.kind == "diffusion":
            how = self.tr("{0} · {1} steps").format(sp.sampler.currentText(), sp.steps.value())
        else:
            how = self.tr("GAN, one pass")
        self.summary.setText(self.tr("Paints with {0} · style {1} · {2} (from the side panel)").format(record.id, style, how))

    # ------------------------------------------------------------------ running
    def start(self) -> Any:
        """Queue the export; returns the TaskJob (None when something is missing)."""
        record = self.shell.model_panel.current_record()
        if record is None:
            self.set_status(self.tr("Choose a model first."), error=True)
            return None
        p = self.prefs()
        if not p["folder"]:
            self.set_status(self.tr("Choose a folder to export into."), error=True)
            return None
        if p["random_seed"]:
            p["seed"] = self.seed_edit.roll()
        save_prefs(p)
        sp = self.shell.sampling_panel
        settings = SeriesRequest(
            folder=str(Path(p["folder"]).expanduser()),
            paint=PaintRequest(
                seed=p["seed"],
                count=p["count"],
                style=self.shell.model_panel.current_style(),
                sampler=sp.sampler.currentText() or DEFAULT_SAMPLER,
                steps=sp.steps.value(),
                eta=float(sp.eta.value()),
            ),
            options=ExportOptions(name=p["name"], upscale=p["upscale"], frame=p["frame"], seal=p["seal"], sheet=p["sheet"]),
        )
        self.finished_series, self.written = None, 0
        self.open_button.hide()
        count = settings.paint.count
        job = self.tracker.submit(
            JobKind.SERIES,
            lambda: self.tr("Export {0} paintings").format(count),
            series_task(worker_cache(self.shell), record, settings),
        )
        self.progress.setValue(0)
        self.set_status(self.tr("Waiting for the painter…"))
        self._update_buttons()
        return job

    def cancel_or_close(self) -> None:
        if self.job is None:
            self.close()
            return
        outcome = self.tracker.cancel()
        if outcome == "cancelling":
            self.set_status(self.tr("Cancelling…"))
        elif outcome == "dequeued":
            self.set_status(self.tr("Cancelled before it started."))
            self._update_buttons()

    def _on_event(self, ev: JobEvent) -> None:
        """Each event of the export job (the tracker filters them); the tracker has already
        forgotten the job when it ended."""
        if ev.kind == "started":
            self.set_status(self.tr("Painting…"))
        elif ev.kind == "progress":
            self.progress.setValue(int(ev.fraction * 1000))
            self._show_preview(ev)
        elif ev.kind == "finished":
            self.finished_series = ev.meta["result"]
            self.progress.setValue(1000)
            extra = self.tr(", a contact sheet") if self.finished_series.sheet else ""
            self.set_status(
                self.tr("Done: {0} paintings, manifest.json{1} in {2}").format(
                    len(self.finished_series.files), extra, self.finished_series.folder
                )
            )
            self.open_button.show()
        elif ev.kind == "cancelled":
            self.progress.setValue(0)
            self.set_status(
                self.tr("Cancelled. The {0} paintings written before that are kept and listed in manifest.json.").format(
                    self.written
                )
            )
            if self.written:
                self.open_button.show()
        elif ev.kind == "error":
            self.progress.setValue(0)
            self.set_status(self.tr("Export failed: {0}").format(ev.message), error=True)
        self._update_buttons()

    def _show_preview(self, ev: JobEvent) -> None:
        """A painting just written (the event's image; its index in ``meta["index"]``, its file name as the message)."""
        if ev.image is None:
            return
        self.written = ev.meta.get("index", 0) + 1
        name = ev.message
        if name:
            self.set_status(self.tr("Wrote {0}").format(name))
        pix = QPixmap.fromImage(to_qimage(ev.image))
        self.preview.setPixmap(
            pix.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        )

    def open_folder(self) -> None:
        folder = self.finished_series.folder if self.finished_series else self.folder_edit.text()
        QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    def set_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b03a2e;" if error else "")
        self.status.setText(text)

    def _update_buttons(self) -> None:
        running = self.job is not None
        self.export_button.setEnabled(not running)
        for w in (
            self.count,
            self.seed_edit,
            self.random_seed,
            self.name_edit,
            self.folder_edit,
            self.folder_button,
            self.sheet,
            self.upscale,
            self.framing,
            self.seal,
        ):
            w.setEnabled(not running)
        if not running:
            self.seed_edit.setEnabled(not self.random_seed.isChecked())
        self.close_button.setText(self.tr("Cancel") if running else self.tr("Close"))

    def showEvent(self, event: Any) -> None:  # noqa: N802
        self.refresh_summary()
        super().showEvent(event)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        if self.job is not None:
            event.ignore()  # an export in progress is cancelled with Cancel, not lost behind a closed dialog
            self.cancel_or_close()
            return
        super().closeEvent(event)

    def reject(self) -> None:  # Esc
        if self.job is not None:
            self.cancel_or_close()
            return
        super().reject()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export series"))
        self.labels["count"].setText(self.tr("Paintings"))
        self.labels["seed"].setText(self.tr("First seed"))
        self.random_seed.setText(self.tr("Random"))
        self.labels["name"].setText(self.tr("File names"))
        self.name_edit.setToolTip(self.tr("Fields: {model} {style} {seed} {sampler} {steps}"))
        self.labels["folder"].setText(self.tr("Folder"))
        self.folder_button.setText(self.tr("Choose…"))
        self.sheet.setText(self.tr("Contact sheet (a grid with seed captions)"))
        self.labels["upscale"].setText(self.tr("Upscale"))
        self.labels["framing"].setText(self.tr("Framing"))
        for i, text in enumerate((self.tr("None"), self.tr("Xuan paper"), self.tr("Hanging scroll"))):
            self.framing.setItemText(i, text)
        self.seal.setText(self.tr("Seal stamp (印章)"))
        self.export_button.setText(self.tr("Export"))
        self.open_button.setText(self.tr("Open folder"))
        self.refresh_summary()
        self._update_buttons()


class SeriesActions(QObject):
    """The two File-menu actions, retitled when the language changes."""

    def __init__(self, shell: MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.dialog: ExportSeriesDialog | None = None
        self.repaint = JobTracker(shell.runner, self)
        self.repaint.finished.connect(self._repainted)
        self.last_repaint: Repainted | None = None
        self.act_export = QAction(shell)
        self.act_export.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.act_export.triggered.connect(self.show_dialog)
        self.act_repaint = QAction(shell)
        self.act_repaint.triggered.connect(self.repaint_dialog)
        menu = shell.file_menu
        actions = menu.actions()
        quit_index = actions.index(shell.act_quit) if shell.act_quit in actions else len(actions)
        before = actions[quit_index - 1] if quit_index > 0 and actions[quit_index - 1].isSeparator() else shell.act_quit
        menu.insertSeparator(before)
        menu.insertAction(before, self.act_export)
        menu.insertAction(before, self.act_repaint)
        shell.painting_dropped.connect(self.repaint_from_png)  # a painting dropped on the window is painted again
        shell.installEventFilter(self)
        self.retranslate()

    @property
    def repaint_job(self) -> Any:
        """The repaint job while it is queued or runs, else None."""
        return self.repaint.job

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.shell and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.act_export.setText(self.tr("Export series…"))
        self.act_export.setToolTip(self.tr("Paint a numbered series into a folder, with a manifest and a contact sheet"))
        self.act_repaint.setText(self.tr("Repaint from PNG…"))
        self.act_repaint.setToolTip(self.tr("Paint a painting again from the settings its PNG carries"))

    # ------------------------------------------------------------------ export series
    def show_dialog(self) -> ExportSeriesDialog:
        if self.dialog is None:
            self.dialog = ExportSeriesDialog(self.shell)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    # ------------------------------------------------------------------ reproduce from a PNG
    def repaint_dialog(self) -> None:
        folder = self.shell.settings.output_dir or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self.shell, self.tr("Repaint from PNG"), folder, self.tr("Paintings (*.png);;All files (*)")
        )
        if path:
            self.repaint_from_png(path)

    def repaint_from_png(self, path: str | Path) -> None:
        """Find the painting's model off the GUI thread, then paint it again as a task."""
        path = Path(path)
        known = list(self.shell.model_panel.records())
        self.shell.modes.setCurrentWidget(self.shell.paint_page)

        def located(result: Located | None, error: str | None) -> None:
            if error is not None or result is None:
                self.shell.show_error(lambda: self.tr("Cannot repaint {0}: {1}").format(path.name, error))
                return
            self._repaint_source = path
            self.repaint.submit(
                JobKind.REPAINT, lambda: self.tr("Repaint {0}").format(path.name), repaint_task(worker_cache(self.shell), result, path)
            )

        self.shell.runner.run_io(lambda: locate_for_png(path, known), located)

    def _repainted(self, result: Repainted) -> None:
        self.last_repaint = result
        name = self._repaint_source.name
        self.shell.canvas.set_image(
            result.image, caption=lambda: self.tr("seed {0} · repainted from {1}").format(result.seed, name)
        )
        if result.identical:
            self.shell.show_info(lambda: self.tr("Repainted {0}: identical to the original, pixel for pixel.").format(name))
        elif result.max_difference < 0:
            self.shell.show_info(lambda: self.tr("Repainted {0}: the original has a different size.").format(name))
        else:
            self.shell.show_info(
                lambda: self.tr(
                    "Repainted {0}: differs from the original by up to {1}/255 (another device or library version?)."
                ).format(name, result.max_difference)
            )


def install(shell: MainWindow) -> SeriesActions:
    """File → Export series… (Ctrl+Shift+E) and File → Repaint from PNG…."""
    return SeriesActions(shell)
