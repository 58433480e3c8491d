"""The gallery: every painting is a PNG (with its settings embedded) in the user data folder.

The worker writes each painting there the moment it is made, so a crash or quit loses nothing;
the view lists the folder's thumbnails, newest last, with a right-click menu.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QMenu, QWidget

from studio.config import paths
from studio.engine.pngmeta import read_png_meta
from studio.errors import StudioError
from studio.ui.images import thumbnail_icon
from studio.ui.panels import RetranslateOnLanguageChange

THUMB = 96
PATH_ROLE = Qt.ItemDataRole.UserRole
META_ROLE = Qt.ItemDataRole.UserRole + 1


def gallery_dir() -> Path:
    return paths.user_data_dir() / "gallery"


@dataclass(frozen=True)
class GalleryEntry:
    path: Path
    meta: dict[str, Any]
    thumbnail: Image.Image


def make_thumbnail(image: Image.Image) -> Image.Image:
    thumb = image.convert("RGB")
    thumb.thumbnail((THUMB * 2, THUMB * 2), Image.LANCZOS)  # x2 for high-DPI screens
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


class GalleryView(RetranslateOnLanguageChange, QListWidget):
    """A horizontal strip of thumbnails captioned with their seeds."""

    chosen = Signal(object)  # Path of the painting to show on the canvas
    save_requested = Signal(object)
    copy_seed_requested = Signal(object)
    reuse_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 34, THUMB + 30))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setMinimumHeight(THUMB + 46)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.placeholder = ""
        self.retranslate()
        self.currentItemChanged.connect(lambda item, _prev: item is not None and self.chosen.emit(item.data(PATH_ROLE)))
        self.itemClicked.connect(lambda item: self.chosen.emit(item.data(PATH_ROLE)))  # also the one already selected

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.count() == 0:
            p = QPainter(self.viewport())
            p.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
            p.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        item = self.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit(item.data(PATH_ROLE))
            return
        super().keyPressEvent(event)

    def add_entry(self, path: Path, meta: dict[str, Any], thumbnail: Image.Image, *, select: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(thumbnail_icon(thumbnail, THUMB), self.caption_for(meta))
        item.setData(PATH_ROLE, Path(path))
        item.setData(META_ROLE, meta)
        item.setToolTip(self._tooltip(meta))
        item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.addItem(item)
        if select:
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.blockSignals(False)
        self.scrollToItem(item)
        return item

    def paths(self) -> list[Path]:
        return [self.item(i).data(PATH_ROLE) for i in range(self.count())]

    def seeds(self) -> list[int]:
        return [int(self.item(i).data(META_ROLE).get("seed", -1)) for i in range(self.count())]

    def meta_for(self, path: Path) -> dict[str, Any] | None:
        item = self._item_for(path)
        return item.data(META_ROLE) if item is not None else None

    def remove_path(self, path: Path) -> None:
        item = self._item_for(path)
        if item is not None:
            self.takeItem(self.row(item))

    def retranslate(self) -> None:
        self.placeholder = self.tr("Your paintings appear here, each saved the moment it is finished.")
        self.viewport().update()
        for i in range(self.count()):
            item = self.item(i)
            item.setText(self.caption_for(item.data(META_ROLE)))
            item.setToolTip(self._tooltip(item.data(META_ROLE)))

    def _item_for(self, path: Path) -> QListWidgetItem | None:
        for i in range(self.count()):
            if self.item(i).data(PATH_ROLE) == Path(path):
                return self.item(i)
        return None

    def caption_for(self, meta: dict[str, Any]) -> str:
        caption = self.tr("seed {0}").format(meta.get("seed", "?"))
        style = {"light": self.tr("light"), "dark": self.tr("dark")}.get(meta.get("style") or "")
        return f"{caption} · {style}" if style else caption  # a light and a dark painting of one seed differ

    def _tooltip(self, meta: dict[str, Any]) -> str:
        parts = [meta.get("model", "?"), meta.get("style") or "", meta.get("sampler") or "", f"{meta.get('steps') or ''}"]
        return self.tr("seed {0}").format(meta.get("seed", "?")) + " · " + " · ".join(p for p in parts if p)

    def _menu(self, pos: Any) -> None:
        item = self.itemAt(pos)
        if item is None:
            return
        path = item.data(PATH_ROLE)
        menu = QMenu(self)
        for text, signal in (
            (self.tr("Save as PNG…"), self.save_requested),
            (self.tr("Copy seed"), self.copy_seed_requested),
            (self.tr("Reuse settings"), self.reuse_requested),
            (None, None),
            (self.tr("Delete"), self.delete_requested),
        ):
            if text is None:
                menu.addSeparator()
                continue
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, s=signal: s.emit(path))
            menu.addAction(action)
        menu.exec(self.viewport().mapToGlobal(pos))
