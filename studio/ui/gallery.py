"""The gallery: every painting is a PNG (with its settings embedded) in the user data folder.

The worker writes each painting there the moment it is made, so a crash or quit loses nothing;
the view shows the folder's thumbnails in a wrapping grid, newest last, captioned with their whole
seed and style. Filters (model, style, date) hide what is not wanted; several paintings can be
selected (Ctrl/Shift-click, Ctrl+A) to export or delete them together. Deleting moves files to the
system trash (or the studio's own trash folder when there is none), after asking.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QEvent, QFile, QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.config import paths
from studio.engine.pngmeta import read_png_meta
from studio.errors import StudioError
from studio.ui.images import thumbnail_icon
from studio.ui.panels import RetranslateOnLanguageChange

THUMB = 96
PATH_ROLE = Qt.ItemDataRole.UserRole
META_ROLE = Qt.ItemDataRole.UserRole + 1  # the painting's settings without None values (see role_copy)
WIDEST_SEED = 4294967295  # seeds are 32-bit: the grid is wide enough for any of them, whole
STAMP = re.compile(r"^(\d{8}-\d{6})-")  # the worker names paintings <YYYYmmdd-HHMMSS>-<ns>-…
DATE_RANGES = (None, 1, 7, 30)  # the date filter's choices in days (None = any date; 1 = today)


def gallery_dir() -> Path:
    return paths.user_data_dir() / "gallery"


def own_trash_dir() -> Path:
    """Where deleted paintings go when the system has no trash for the gallery's folder."""
    return paths.user_data_dir() / "trash"


@dataclass(frozen=True)
class GalleryEntry:
    path: Path
    meta: dict[str, Any]
    thumbnail: Image.Image


@dataclass(frozen=True)
class GalleryFilter:
    """What the gallery shows: ``None`` in a field means any."""

    model: str | None = None
    style: str | None = None
    days: int | None = None  # 1 = made today, 7 = in the last 7 days (today counted), …

    def matches(self, meta: dict[str, Any], made: datetime, now: datetime | None = None) -> bool:
        if self.model is not None and meta.get("model") != self.model:
            return False
        if self.style is not None and meta.get("style") != self.style:
            return False
        if self.days is not None:
            now = now or datetime.now()
            since = datetime.combine(now.date() - timedelta(days=self.days - 1), datetime.min.time())
            if made < since:
                return False
        return True


def made_at(path: Path) -> datetime:
    """When a gallery painting was made: the time its name starts with, else the file's time."""
    found = STAMP.match(Path(path).name)
    if found:
        try:
            return datetime.strptime(found.group(1), "%Y%m%d-%H%M%S")
        except ValueError:
            pass
    try:
        return datetime.fromtimestamp(Path(path).stat().st_mtime)
    except OSError:
        return datetime.now()


def make_thumbnail(image: Image.Image) -> Image.Image:
    thumb = image.convert("RGB")
    thumb.thumbnail((THUMB * 2, THUMB * 2), Image.LANCZOS)  # x2 for high-DPI screens; proportions kept
    return thumb


def scan_gallery(folder: Path) -> tuple[list[GalleryEntry], list[str]]:
    """All paintings in ``folder`` (oldest first) and one line per file that could not be read."""
    entries: list[GalleryEntry] = []
    problems: list[str] = []
    if not folder.is_dir():
        return entries, problems
    for path in sorted(folder.glob("*.png")):
        if path.name.startswith("."):
            continue  # a half-written file from a crash
        try:
            meta = read_png_meta(path)
            with Image.open(path) as im:
                thumb = make_thumbnail(im)
        except (StudioError, OSError) as exc:
            problems.append(str(exc))
            continue
        entries.append(GalleryEntry(path, meta, thumb))
    return entries, problems


def role_copy(value: Any) -> Any:
    """``value`` without None anywhere inside, for an item's data role.

    PySide6 6.12 on Python 3.11 drops a reference to None each time it converts a None out of a
    QVariant (item.data() of a dict holding one); enough reads and Python aborts ("deallocating
    None"). The gallery keeps each painting's full settings in Python (``meta_for``) and gives the
    role, which other tabs read, a copy that has no None to convert."""
    if isinstance(value, dict):
        return {k: role_copy(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [role_copy(v) for v in value if v is not None]
    return value


def move_to_trash(path: Path) -> Path:
    """Move a painting to the system trash (restorable from the file manager); where there is none,
    into the studio's own trash folder. Returns where it went; raises OSError if it could not move."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such file", str(path))
    qfile = QFile(str(path))
    if qfile.moveToTrash():
        return Path(qfile.fileName())
    folder = own_trash_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}-{n}{path.suffix}"
    return Path(shutil.move(str(path), str(target)))


class GalleryView(RetranslateOnLanguageChange, QListWidget):
    """A wrapping grid of thumbnails (proportions kept) captioned with whole seeds and styles."""

    chosen = Signal(object)  # Path of the painting to show on the canvas
    save_requested = Signal(object)
    copy_seed_requested = Signal(object)
    reuse_requested = Signal(object)
    delete_requested = Signal(object)  # list[Path]: the selected paintings (asked before anything moves)
    export_requested = Signal(object)  # list[Path]
    filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumHeight(THUMB + 46)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # never needed: the cells fit the widest caption
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.placeholder = ""
        self.filter = GalleryFilter()
        self._caption_width = 0
        self._meta: dict[Path, dict[str, Any]] = {}  # settings and time made of each painting, kept in Python
        self._made: dict[Path, datetime] = {}
        self._hidden: set[Path] = set()  # counts without walking every item (a gallery may hold thousands)
        self._models: Counter[str] = Counter()
        self.retranslate()
        self.currentItemChanged.connect(lambda item, _prev: item is not None and self.chosen.emit(item.data(PATH_ROLE)))
        self.itemClicked.connect(lambda item: self.chosen.emit(item.data(PATH_ROLE)))  # also the one already selected

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.visible_count() == 0:
            text = self.placeholder if self.count() == 0 else self.tr("No painting matches the filters.")
            p = QPainter(self.viewport())
            p.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
            p.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_grid(reset=True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected_paths():
            self.delete_requested.emit(self.selected_paths())
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ items
    def add_entry(self, path: Path, meta: dict[str, Any], thumbnail: Image.Image, *, select: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(thumbnail_icon(thumbnail, THUMB), self.caption_for(meta))
        path = Path(path)
        self._meta[path], self._made[path] = meta, made_at(path)
        if meta.get("model"):
            self._models[str(meta["model"])] += 1
        item.setData(PATH_ROLE, path)
        item.setData(META_ROLE, role_copy(meta))
        item.setToolTip(self._tooltip(meta, self._made[path]))
        item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.addItem(item)
        self._fit_grid(item.text())
        if not self._shows(item):
            item.setHidden(True)
            self._hidden.add(path)
        if select and not item.isHidden():
            self.blockSignals(True)
            self.select_only(item)
            self.blockSignals(False)
        if not item.isHidden():
            self.scrollToItem(item)
        self.filter_changed.emit()  # the counts changed
        return item

    def paths(self) -> list[Path]:
        return [self.item(i).data(PATH_ROLE) for i in range(self.count())]

    def visible_paths(self) -> list[Path]:
        return [self.item(i).data(PATH_ROLE) for i in range(self.count()) if not self.item(i).isHidden()]

    def visible_count(self) -> int:
        return self.count() - len(self._hidden)

    def selected_count(self) -> int:
        return sum(1 for item in self.selectedItems() if not item.isHidden())

    def selected_paths(self) -> list[Path]:
        """The selected paintings the filters show, in gallery order."""
        return [
            self.item(i).data(PATH_ROLE) for i in range(self.count()) if self.item(i).isSelected() and not self.item(i).isHidden()
        ]

    def select_only(self, item: QListWidgetItem) -> None:
        """Make ``item`` current and the whole selection (in multi-select a plain setCurrentItem adds to it)."""
        self.setCurrentItem(item, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def select_row(self, row: int) -> None:
        if 0 <= row < self.count():
            self.select_only(self.item(row))

    def select_paths(self, wanted: list[Path]) -> None:
        wanted_set = {Path(p) for p in wanted}
        self.clearSelection()
        for i in range(self.count()):
            item = self.item(i)
            if item.data(PATH_ROLE) in wanted_set and not item.isHidden():
                item.setSelected(True)

    def seeds(self) -> list[int]:
        return [int(self._meta_of(self.item(i)).get("seed", -1)) for i in range(self.count())]

    def models(self) -> list[str]:
        """The models the gallery's paintings were made with, sorted."""
        return sorted(name for name, n in self._models.items() if n > 0)

    def meta_for(self, path: Path) -> dict[str, Any] | None:
        item = self._item_for(path)
        return self._meta_of(item) if item is not None else None

    def remove_path(self, path: Path) -> None:
        item = self._item_for(path)
        if item is not None:
            self.takeItem(self.row(item))
            meta = self._meta.pop(Path(path), {})
            if meta.get("model"):
                self._models[str(meta["model"])] -= 1
            self._made.pop(Path(path), None)
            self._hidden.discard(Path(path))
            self.filter_changed.emit()

    # ------------------------------------------------------------------ filters
    def set_filter(self, wanted: GalleryFilter) -> None:
        self.filter = wanted
        now = datetime.now()
        for i in range(self.count()):
            item = self.item(i)
            hide = not self._shows(item, now)
            if hide and item.isSelected():
                item.setSelected(False)  # what cannot be seen is never exported or deleted
            if hide != item.isHidden():
                item.setHidden(hide)
            (self._hidden.add if hide else self._hidden.discard)(item.data(PATH_ROLE))
        self.viewport().update()
        self.filter_changed.emit()

    def _shows(self, item: QListWidgetItem, now: datetime | None = None) -> bool:
        path = item.data(PATH_ROLE)
        return self.filter.matches(self._meta.get(path, {}), self._made.get(path) or datetime.now(), now)

    def _meta_of(self, item: QListWidgetItem) -> dict[str, Any]:
        return self._meta.get(item.data(PATH_ROLE), {})

    # ------------------------------------------------------------------ text
    def retranslate(self) -> None:
        self.placeholder = self.tr("Your paintings appear here, each saved the moment it is finished.")
        self.viewport().update()
        for i in range(self.count()):
            item = self.item(i)
            meta = self._meta_of(item)
            item.setText(self.caption_for(meta))
            item.setToolTip(self._tooltip(meta, self._made.get(item.data(PATH_ROLE))))
        self._fit_grid(reset=True)

    def _fit_grid(self, text: str = "", *, reset: bool = False) -> None:
        """Cells wide enough for the widest caption shown (and any 32-bit seed), so none is cut."""
        metrics = self.fontMetrics()
        if reset:
            widest = [self.caption_for({"seed": WIDEST_SEED, "style": s}) for s in ("light", "dark")]
            widest += [self.item(i).text() for i in range(self.count())]
            self._caption_width = max(metrics.horizontalAdvance(t) for t in widest)
        elif text:
            self._caption_width = max(self._caption_width, metrics.horizontalAdvance(text))
        else:
            return
        width = max(THUMB, self._caption_width) + 16
        size = QSize(width, THUMB + metrics.height() + 16)
        if size != self.gridSize():
            self.setGridSize(size)

    def _item_for(self, path: Path) -> QListWidgetItem | None:
        for i in range(self.count()):
            if self.item(i).data(PATH_ROLE) == Path(path):
                return self.item(i)
        return None

    def caption_for(self, meta: dict[str, Any]) -> str:
        caption = self.tr("seed {0}").format(meta.get("seed", "?"))
        style = self.style_name(meta.get("style") or "")
        return f"{caption} · {style}" if style else caption  # a light and a dark painting of one seed differ

    def style_name(self, style: str) -> str:
        return {"light": self.tr("light"), "dark": self.tr("dark")}.get(style, style)

    def _tooltip(self, meta: dict[str, Any], made: datetime | None) -> str:
        lines = [self.tr("seed {0}").format(meta.get("seed", "?"))]
        lines.append(self.tr("model: {0}").format(meta.get("model", "?")))
        if meta.get("style"):
            lines.append(self.tr("style: {0}").format(self.style_name(meta["style"])))
        if meta.get("sampler") and meta.get("steps"):
            lines.append(self.tr("{0}, {1} steps").format(meta["sampler"], meta["steps"]))
        if meta.get("size"):
            lines.append(self.tr("{0} px").format(meta["size"]))
        if made is not None:
            lines.append(self.tr("made {0}").format(made.strftime("%Y-%m-%d %H:%M")))
        return "\n".join(lines)

    def _menu(self, pos: Any) -> None:
        item = self.itemAt(pos)
        if item is None:
            return
        if not item.isSelected():
            self.select_only(item)  # a right click on an unselected painting acts on it alone
        chosen = self.selected_paths() or [item.data(PATH_ROLE)]
        path = item.data(PATH_ROLE)
        menu = QMenu(self)
        if len(chosen) > 1:
            entries = [
                (self.tr("Export {0} paintings…").format(len(chosen)), self.export_requested, chosen),
                (None, None, None),
                (self.tr("Delete {0} paintings…").format(len(chosen)), self.delete_requested, chosen),
            ]
        else:
            entries = [
                (self.tr("Save as PNG…"), self.save_requested, path),
                (self.tr("Copy seed"), self.copy_seed_requested, path),
                (self.tr("Reuse settings"), self.reuse_requested, path),
                (None, None, None),
                (self.tr("Delete…"), self.delete_requested, [path]),
            ]
        for text, signal, arg in entries:
            if text is None:
                menu.addSeparator()
                continue
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, s=signal, a=arg: s.emit(a))
            menu.addAction(action)
        menu.exec(self.viewport().mapToGlobal(pos))


class GalleryPanel(RetranslateOnLanguageChange, QWidget):
    """The gallery's grid under a row of filters (model, style, date) and the selection's actions."""

    def __init__(self, view: GalleryView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.model_label, self.style_label, self.date_label, self.count_label = QLabel(), QLabel(), QLabel(), QLabel()
        self.model_filter = QComboBox()
        self.model_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.style_filter = QComboBox()
        self.date_filter = QComboBox()
        for _ in range(3):
            self.style_filter.addItem("")
        self.style_filter.setItemData(1, "light")
        self.style_filter.setItemData(2, "dark")
        for days in DATE_RANGES:
            self.date_filter.addItem("", days)
        self.export_button = QPushButton()
        self.delete_button = QPushButton()
        self.export_button.clicked.connect(lambda: self.view.export_requested.emit(self.view.selected_paths()))
        self.delete_button.clicked.connect(lambda: self.view.delete_requested.emit(self.view.selected_paths()))
        for combo in (self.model_filter, self.style_filter, self.date_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        view.filter_changed.connect(self._refresh)
        view.model().rowsInserted.connect(self._refresh_models)
        view.model().rowsRemoved.connect(self._refresh_models)
        view.itemSelectionChanged.connect(self._refresh)

        row = QHBoxLayout()
        row.setContentsMargins(6, 2, 6, 0)
        row.setSpacing(6)
        for label, combo in (
            (self.model_label, self.model_filter),
            (self.style_label, self.style_filter),
            (self.date_label, self.date_filter),
        ):
            label.setBuddy(combo)
            row.addWidget(label)
            row.addWidget(combo)
        row.addWidget(self.count_label)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(view, 1)
        self._refresh_models()
        self.retranslate()

    def current_filter(self) -> GalleryFilter:
        return GalleryFilter(self.model_filter.currentData(), self.style_filter.currentData(), self.date_filter.currentData())

    def apply_filters(self, *_args: Any) -> None:
        wanted = self.current_filter()
        if wanted != self.view.filter:
            self.view.set_filter(wanted)

    def set_filter(self, model: str | None = None, style: str | None = None, days: int | None = None) -> None:
        """Choose the filters as the painter would in the menus (unknown values mean any)."""
        for combo, value in ((self.model_filter, model), (self.style_filter, style), (self.date_filter, days)):
            index = combo.findData(value)
            combo.setCurrentIndex(max(index, 0))

    def _refresh_models(self, *_args: Any) -> None:
        wanted = self.model_filter.currentData()
        models = self.view.models()
        if wanted is not None and wanted not in models:
            models = sorted([*models, wanted])  # the painter's choice stays until they change it
        if self.model_filter.count() and [self.model_filter.itemData(i) for i in range(1, self.model_filter.count())] == models:
            return
        self.model_filter.blockSignals(True)
        self.model_filter.clear()
        self.model_filter.addItem(self.tr("All models"), None)
        for name in models:
            self.model_filter.addItem(name, name)
        self.model_filter.setCurrentIndex(max(self.model_filter.findData(wanted), 0))
        self.model_filter.blockSignals(False)

    def _refresh(self) -> None:
        shown, total, selected = self.view.visible_count(), self.view.count(), self.view.selected_count()
        if shown == total:
            self.count_label.setText(self.tr("{0} paintings").format(total))
        else:
            self.count_label.setText(self.tr("{0} of {1} paintings").format(shown, total))
        self.export_button.setEnabled(selected > 0)
        self.delete_button.setEnabled(selected > 0)
        if selected > 1:
            self.export_button.setText(self.tr("Export {0}…").format(selected))
            self.delete_button.setText(self.tr("Delete {0}…").format(selected))
        else:
            self.export_button.setText(self.tr("Export…"))
            self.delete_button.setText(self.tr("Delete…"))

    def retranslate(self) -> None:
        self.model_label.setText(self.tr("Model"))
        self.style_label.setText(self.tr("Style"))
        self.date_label.setText(self.tr("Made"))
        if self.model_filter.count():
            self.model_filter.setItemText(0, self.tr("All models"))
        for i, text in enumerate((self.tr("All styles"), self.view.style_name("light"), self.view.style_name("dark"))):
            self.style_filter.setItemText(i, text)
        for i, text in enumerate((self.tr("Any date"), self.tr("Today"), self.tr("Past 7 days"), self.tr("Past 30 days"))):
            self.date_filter.setItemText(i, text)
        self.export_button.setToolTip(
            self.tr(
                "Save the selected paintings as PNG files, with their settings, into a folder (Ctrl/Shift-click selects several)"
            )
        )
        self.delete_button.setToolTip(self.tr("Move the selected paintings to the trash, after asking"))
        self._refresh()
