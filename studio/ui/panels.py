"""Side panels: the model (catalog, style, card), the sampling settings, the queue of pending jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.api import STYLES, JobKind, clamp_seed, random_seed
from studio.config import paths

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def icon(name: str) -> QIcon:
    return QIcon(str(paths.resources_dir() / "icons" / f"{name}.svg"))


def model_thumbnail_file(record: Any, thumbs_dir: Path) -> Path | None:
    """A picture for the model: one shipped beside the checkpoint, else its first painting here."""
    path = Path(record.path)
    stem = path.with_suffix("") if path.is_file() else path
    for suffix in IMAGE_SUFFIXES:
        for candidate in (stem.with_name(stem.name + suffix), path / f"thumbnail{suffix}" if path.is_dir() else None):
            if candidate is not None and candidate.is_file():
                return candidate
    from studio.work.jobs import thumbnail_path

    cached = thumbnail_path(thumbs_dir, record)
    return cached if cached.is_file() else None


class RetranslateOnLanguageChange:
    """Widgets re-read their texts when a translator is installed or removed."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()  # type: ignore[attr-defined]
        super().changeEvent(event)  # type: ignore[misc]


class ModelPanel(RetranslateOnLanguageChange, QGroupBox):
    """Which model paints, in which ink style."""

    model_changed = Signal(object)  # ModelRecord or None
    style_changed = Signal(object)  # style name or None
    card_requested = Signal()
    open_requested = Signal()

    def __init__(self, thumbs_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbs_dir = thumbs_dir
        self._records: list[Any] = []
        self._loading = True
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(14)
        self.combo.currentIndexChanged.connect(self._on_index)
        self.open_button = QToolButton()
        self.open_button.setIcon(icon("open"))
        self.open_button.clicked.connect(self.open_requested)
        self.thumb = QLabel()
        self.thumb.setFixedSize(96, 96)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setObjectName("modelThumbnail")
        self.thumb.setFrameShape(QFrame.Shape.StyledPanel)
        self.thumb.setWordWrap(True)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.card_button = QPushButton()
        self.card_button.clicked.connect(self.card_requested)
        self.style_group = QButtonGroup(self)
        self.style_group.setExclusive(True)
        self.style_group.buttonToggled.connect(self._on_style_toggled)
        self.style_row = QHBoxLayout()
        self.style_row.setSpacing(6)
        self._style_buttons: dict[str, QPushButton] = {}
        for name in STYLES:
            self._add_style_button(name)
        self.style_label = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.combo, 1)
        top.addWidget(self.open_button)
        mid = QHBoxLayout()
        mid.addWidget(self.thumb)
        side = QVBoxLayout()
        side.addWidget(self.info, 1)
        side.addWidget(self.card_button, 0, Qt.AlignmentFlag.AlignLeft)
        mid.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(mid)
        layout.addWidget(self.style_label)
        layout.addLayout(self.style_row)
        self.retranslate()
        self._show_record(None)

    # ------------------------------------------------------------------ catalog
    def set_records(self, records: list[Any], select_id: str | None = None) -> None:
        self._loading = False
        self._records = list(records)
        self.combo.blockSignals(True)
        self.combo.clear()
        for r in self._records:
            self.combo.addItem(self._combo_text(r), r.id)
        index = next((i for i, r in enumerate(self._records) if select_id in (r.id, r.path)), 0 if self._records else -1)
        self.combo.setCurrentIndex(index)
        self.combo.setEnabled(bool(self._records))
        self.combo.blockSignals(False)
        if not self._records:
            self.combo.setPlaceholderText(self.tr("No models found"))
        self._on_index(index)

    def add_record(self, record: Any) -> None:
        """A checkpoint opened by the user: added (or re-selected) and made current."""
        for i, r in enumerate(self._records):
            if r.path == record.path:
                self.combo.setCurrentIndex(i)
                return
        self._records.append(record)
        self.combo.setEnabled(True)
        self.combo.addItem(self._combo_text(record), record.id)
        self.combo.setCurrentIndex(len(self._records) - 1)

    def records(self) -> list[Any]:
        return list(self._records)

    def current_record(self) -> Any | None:
        i = self.combo.currentIndex()
        return self._records[i] if 0 <= i < len(self._records) else None

    def select(self, model_id: str | None = None, sha256: str | None = None) -> bool:
        for i, r in enumerate(self._records):
            if (model_id and r.id == model_id) or (sha256 and r.sha256 == sha256):
                self.combo.setCurrentIndex(i)
                return True
        return False

    def refresh_thumbnail(self) -> None:
        self._show_thumbnail(self.current_record())

    # ------------------------------------------------------------------ style
    def current_style(self) -> str | None:
        button = self.style_group.checkedButton()
        return button.property("style") if button is not None and button.isEnabled() else None

    def set_style(self, style: str | None) -> bool:
        button = self._style_buttons.get(style or "")
        if button is None or not button.isEnabled():
            return False
        button.setChecked(True)
        return True

    def style_enabled(self, style: str) -> bool:
        button = self._style_buttons.get(style)
        return button is not None and button.isEnabled()

    def _add_style_button(self, name: str) -> QPushButton:
        button = QPushButton()
        button.setCheckable(True)
        button.setProperty("style", name)
        button.setMinimumHeight(30)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.style_group.addButton(button)
        self.style_row.addWidget(button)
        self._style_buttons[name] = button
        return button

    def _update_styles(self, record: Any | None) -> None:
        offered = list(record.styles) if record is not None else []
        for name in offered:
            if name not in self._style_buttons:
                self._add_style_button(name)
        for name, button in list(self._style_buttons.items()):
            if name not in STYLES and name not in offered:
                self.style_group.removeButton(button)
                button.deleteLater()
                del self._style_buttons[name]
        previous = self.current_style()
        for name, button in self._style_buttons.items():
            button.setEnabled(name in offered)
            button.setText(self._style_text(name))
            button.setToolTip("" if name in offered else self.tr("This model does not paint in this style"))
        self.style_group.blockSignals(True)
        target = previous if previous in offered else (offered[0] if offered else None)
        if target is None:
            self.style_group.setExclusive(False)
            for b in self._style_buttons.values():
                b.setChecked(False)
            self.style_group.setExclusive(True)
        else:
            self._style_buttons[target].setChecked(True)
        self.style_group.blockSignals(False)
        only_one = record is not None and not offered
        self.style_label.setText(self.tr("Ink style (this model has only one)") if only_one else self.tr("Ink style"))

    def _on_style_toggled(self, button: QPushButton, checked: bool) -> None:
        if checked:
            self.style_changed.emit(button.property("style"))

    # ------------------------------------------------------------------ display
    def _on_index(self, index: int) -> None:
        record = self.current_record()
        self._show_record(record)
        self.model_changed.emit(record)

    def _show_record(self, record: Any | None) -> None:
        self._update_styles(record)
        self.card_button.setEnabled(record is not None)
        if record is None:
            self.info.setText(
                self.tr("Looking for models…")
                if self._loading
                else self.tr("No model yet: use File → Open checkpoint… or drop a checkpoint on the window.")
            )
        else:
            kind = self.tr("Diffusion") if record.kind == "diffusion" else self.tr("GAN")
            where = self.tr("bundled") if record.bundled else self.tr("your model")
            self.info.setText(f"<b>{record.name}</b><br>{kind} · {record.resolution} px · {where}")
            self.info.setToolTip(record.path)
        self._show_thumbnail(record)

    def _show_thumbnail(self, record: Any | None) -> None:
        file = model_thumbnail_file(record, self.thumbs_dir) if record is not None else None
        if file is not None:
            pix = QPixmap(str(file))
            if not pix.isNull():
                self.thumb.setPixmap(
                    pix.scaled(QSize(96, 96), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
                )
                return
        self.thumb.clear()
        self.thumb.setText(self.tr("no preview yet") if record is not None else "")

    def _combo_text(self, record: Any) -> str:
        return f"{record.id}  ({record.resolution} px)"

    def _style_text(self, name: str) -> str:
        if name == "light":
            return self.tr("淡墨 light ink")
        if name == "dark":
            return self.tr("浓墨 dark ink")
        return name

    def retranslate(self) -> None:
        self.setTitle(self.tr("Model"))
        self.open_button.setToolTip(self.tr("Open checkpoint…"))
        self.card_button.setText(self.tr("Model card…"))
        if not self._records:
            self.combo.setPlaceholderText(self.tr("Looking for models…") if self._loading else self.tr("No models found"))
        self._show_record(self.current_record())


class SeedBox(QLineEdit):
    """A seed from 0 to 2**63-1 (``studio.api.MAX_SEED``), which a QSpinBox (int32) cannot hold."""

    valueChanged = Signal(object)  # noqa: N815 — an int beyond int32; named like QSpinBox's

    def __init__(self, value: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(str(clamp_seed(value)), parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{1,19}")))
        self.textChanged.connect(lambda _text: self.valueChanged.emit(self.value()))

    def value(self) -> int:
        try:
            return clamp_seed(int(self.text() or "0"))
        except ValueError:
            return 0

    def setValue(self, seed: int) -> None:  # noqa: N802
        self.setText(str(clamp_seed(seed)))

    def roll(self) -> int:
        """A new random seed (the range ``inkstudio`` draws from), shown and returned."""
        seed = random_seed()
        self.setValue(seed)
        return seed


class SamplingPanel(RetranslateOnLanguageChange, QGroupBox):
    """Seed (dice, lock), count, steps, sampler, eta and the Generate button."""

    generate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seed_edit = SeedBox()
        self.dice = QToolButton()
        self.dice.setIcon(icon("dice"))
        self.dice.clicked.connect(self.roll_seed)
        self.lock = QToolButton()
        self.lock.setCheckable(True)
        self.lock.setIcon(icon("lock"))
        self.lock.toggled.connect(self._on_lock)
        self.count = QSpinBox()
        self.count.setRange(1, 64)
        self.count.setValue(4)
        self.steps = QSpinBox()
        self.steps.setRange(1, 1000)
        self.steps.setValue(20)
        self.sampler = QComboBox()
        self.eta = QDoubleSpinBox()
        self.eta.setRange(0.0, 1.0)
        self.eta.setSingleStep(0.1)
        self.eta.setDecimals(2)
        self.size = QComboBox()  # item data: px, or None for the model's own size
        self._sizes: list[int] = []
        self._native = 0
        self.sampler.currentTextChanged.connect(self._on_sampler)
        self.generate = QPushButton()
        self.generate.setIcon(icon("brush"))
        self.generate.setMinimumHeight(40)
        self.generate.setObjectName("generateButton")
        self.generate.clicked.connect(self.generate_requested)
        self._engine_ready = True

        seed_row = QHBoxLayout()
        seed_row.setSpacing(4)
        seed_row.addWidget(self.seed_edit, 1)
        seed_row.addWidget(self.dice)
        seed_row.addWidget(self.lock)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.seed_label, self.count_label, self.steps_label = QLabel(), QLabel(), QLabel()
        self.sampler_label, self.eta_label, self.size_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.seed_label, seed_row)
        self.form.addRow(self.count_label, self.count)
        self.form.addRow(self.size_label, self.size)
        self.form.addRow(self.steps_label, self.steps)
        self.form.addRow(self.sampler_label, self.sampler)
        self.form.addRow(self.eta_label, self.eta)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addSpacing(6)
        layout.addWidget(self.generate)
        self._diffusion = True
        self.retranslate()
        self._on_sampler(self.sampler.currentText())

    # ------------------------------------------------------------------ values
    def seed(self) -> int:
        return self.seed_edit.value()

    def set_seed(self, seed: int) -> None:
        self.seed_edit.setValue(seed)

    def roll_seed(self) -> int:
        return self.seed_edit.roll()

    @property
    def locked(self) -> bool:
        return self.lock.isChecked()

    def seed_for_next_job(self) -> int:
        """Unlocked: a new random seed for every Generate; locked: the one shown."""
        return self.seed() if self.locked else self.roll_seed()

    def set_samplers(self, names: list[str], current: str) -> None:
        self.sampler.blockSignals(True)
        self.sampler.clear()
        self.sampler.addItems(names)
        self.sampler.setCurrentText(current if current in names else names[0])
        self.sampler.blockSignals(False)
        self._on_sampler(self.sampler.currentText())

    def set_sampler(self, name: str) -> None:
        if self.sampler.findText(name) < 0:
            self.sampler.addItem(name)
        self.sampler.setCurrentText(name)

    def set_sizes(self, sizes: list[int], native: int) -> None:
        """The sizes the chosen model paints (``native``, its own, is chosen; larger ones go through the
        ink upscaler)."""
        self._sizes, self._native = list(sizes), native
        self.size.blockSignals(True)
        self.size.clear()
        for px in self._sizes:
            self.size.addItem(self._size_text(px), px)
        self.size.setCurrentIndex(self._sizes.index(native) if native in self._sizes else 0)
        self.size.setEnabled(len(self._sizes) > 1)
        self.size.blockSignals(False)

    def chosen_size(self) -> int | None:
        """The painting size in px (None before a model is chosen)."""
        px = self.size.currentData()
        return int(px) if px is not None else None

    def set_size(self, px: int) -> bool:
        index = self.size.findData(px)
        if index >= 0:
            self.size.setCurrentIndex(index)
        return index >= 0

    def _size_text(self, px: int) -> str:
        if px == self._native:
            return self.tr("{0} px (the model's own)").format(px)
        return self.tr("{0} px (ink upscaler)").format(px)

    def set_diffusion(self, diffusion: bool) -> None:
        """GANs paint in one pass: steps, sampler and eta do not apply."""
        self._diffusion = diffusion
        for w in (self.steps, self.sampler):
            w.setEnabled(diffusion)
        self._on_sampler(self.sampler.currentText())

    def _on_sampler(self, name: str) -> None:
        self.eta.setEnabled(self._diffusion and name == "ddim")

    def _on_lock(self, locked: bool) -> None:
        self.lock.setToolTip(
            self.tr("Seed locked: Generate repeats it") if locked else self.tr("Seed unlocked: every Generate rolls a new one")
        )

    def retranslate(self) -> None:
        self.setTitle(self.tr("Sampling"))
        self.seed_label.setText(self.tr("Seed"))
        self.count_label.setText(self.tr("Count"))
        self.steps_label.setText(self.tr("Steps"))
        self.sampler_label.setText(self.tr("Sampler"))
        self.eta_label.setText(self.tr("Eta"))
        self.size_label.setText(self.tr("Size"))
        self.size.setToolTip(self.tr("Larger than the model's own size: each doubling is painted by the ink upscaler"))
        for i, px in enumerate(self._sizes):
            self.size.setItemText(i, self._size_text(px))
        self.dice.setToolTip(self.tr("Random seed"))
        self.eta.setToolTip(self.tr("DDIM only: 0 is deterministic, 1 is like DDPM"))
        self.generate.setText(self.tr("Generate"))
        self.generate.setToolTip(
            self.tr("Paint (Ctrl+Enter)") if self._engine_ready else self.tr("The painting engine is loading…")
        )
        self._on_lock(self.locked)

    def set_engine_ready(self, ready: bool) -> None:
        """Generate is pressable once the engine is loaded (the window shows itself before that)."""
        self._engine_ready = ready
        self.generate.setEnabled(ready)
        self.retranslate()


class QueuePanel(RetranslateOnLanguageChange, QGroupBox):
    """Jobs waiting for the worker; one can be removed before it starts."""

    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label_of: Callable[[Any], str] = lambda job: job.label  # a task's label in the current language
        self.list = QListWidget()
        self.list.setMaximumHeight(66)
        self.list.itemSelectionChanged.connect(self._on_selection)
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self._remove_selected)
        self.remove = QPushButton()
        self.remove.setEnabled(False)
        self.remove.clicked.connect(self._remove_selected)
        self.empty = QLabel()
        self.empty.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self._jobs: list[Any] = []
        self.retranslate()
        self.set_jobs([])

    def set_jobs(self, jobs: list[Any]) -> None:
        self._jobs = list(jobs)
        selected = self.selected_job_id()
        self.list.clear()
        for job in self._jobs:
            item = QListWidgetItem(self._job_text(job))
            item.setToolTip(self._job_details(job))
            item.setData(Qt.ItemDataRole.UserRole, job.id)
            self.list.addItem(item)
            if job.id == selected:
                item.setSelected(True)
        self.list.setVisible(bool(self._jobs))
        self.remove.setVisible(bool(self._jobs))
        self.empty.setVisible(not self._jobs)

    def job_ids(self) -> list[int]:
        return [j.id for j in self._jobs]

    def selected_job_id(self) -> int | None:
        items = self.list.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _job_text(self, job: Any) -> str:
        if job.kind is not JobKind.PAINT:  # another mode's task
            return f"#{job.id}: {self.label_of(job)}"
        return self.tr("#{0}: {1} × seed {2}").format(job.id, job.request.count, job.request.seed)

    def _job_details(self, job: Any) -> str:
        if job.kind is not JobKind.PAINT:
            return self.label_of(job)
        req = job.request
        style = {"light": self.tr("light ink"), "dark": self.tr("dark ink")}.get(req.style or "", req.style or "")
        steps = f"{req.sampler} {req.steps}" if job.record.kind == "diffusion" else ""
        return " · ".join(p for p in (job.record.id, style, steps) if p)

    def _on_selection(self) -> None:
        self.remove.setEnabled(self.selected_job_id() is not None)

    def _remove_selected(self) -> None:
        job_id = self.selected_job_id()
        if job_id is not None:
            self.remove_requested.emit(job_id)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Queue"))
        self.remove.setText(self.tr("Remove"))
        self.empty.setText(self.tr("No jobs waiting"))
        self.set_jobs(self._jobs)
