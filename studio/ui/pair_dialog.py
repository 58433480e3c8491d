"""File → Pair checkpoints…, the offer to pair two dropped checkpoints, and a pair's lines on the model card.

The dialog gathers a light and a dark checkpoint (or one checkpoint and the style it paints) and a
name, then writes the pair through ``studio.work.pair`` — the code ``inkstudio pair`` runs — on the
window's file thread, and adds the new entry to the model list. Dropping two checkpoint files on
the window asks whether to pair them (the first dropped is light) or open them one by one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.api import STYLES
from studio.config import paths
from studio.errors import StudioError
from studio.work import pair

BAD_NAME_CHARACTERS = '/\\:*?"<>|'


def style_label(style: str) -> str:
    if style == "light":
        return QCoreApplication.translate("PairDialog", "light ink (淡墨)")
    if style == "dark":
        return QCoreApplication.translate("PairDialog", "dark ink (浓墨)")
    return style


def suggest_name(files: list[str]) -> str:
    """A catalog name from the checkpoints' file names: their common beginning, else the first's name.

    Example: ``suggest_name(["thesis-light.pt", "thesis-dark.pt"])`` is "thesis".
    """
    stems = [Path(f).name.split(".")[0] for f in files if f]
    if not stems:
        return ""
    common = os.path.commonprefix(stems).rstrip("-_ .") if len(stems) > 1 else ""
    name = common if len(common) >= 2 else f"{stems[0]}-pair" if len(stems) > 1 else stems[0]
    return "".join("-" if c in BAD_NAME_CHARACTERS else c for c in name).lstrip(".")


def style_word(style: str) -> str:
    """The style as a word before "checkpoint": light-ink (淡墨), dark-ink (浓墨)."""
    if style == "light":
        return QCoreApplication.translate("PairDialog", "light-ink")
    if style == "dark":
        return QCoreApplication.translate("PairDialog", "dark-ink")
    return style


def pair_facts(record: Any) -> list[tuple[str, str]]:
    """A pair's lines on the model card: each style's checkpoint and, when the sizes differ, which
    one's paintings are resized. Nothing for any other model."""
    facts = []
    for style, path in record.members.items():
        size = record.member_resolutions.get(style)
        label = QCoreApplication.translate("PairDialog", "{0} checkpoint").format(style_word(style))
        facts.append((label[:1].upper() + label[1:], f"{path} ({size} px)" if size else path))
    for style, size in record.member_resolutions.items():
        if size < record.resolution:
            facts.append((QCoreApplication.translate("PairDialog", "Sizes differ"), QCoreApplication.translate(
                "PairDialog", "the {0} checkpoint paints {1} px: its paintings are resized to {2} px").format(
                style_word(style), size, record.resolution)))
    return facts


class FileRow(QWidget):
    """A checkpoint path: typed, or chosen with Browse…."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse)

    def text(self) -> str:
        return self.edit.text().strip()

    def choose(self) -> None:
        start = self.text() or str(paths.user_models_dir())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a checkpoint"), start,
            self.tr("Checkpoints (*.safetensors *.pt *.pth *.ckpt *.bin *.pkl);;All files (*)"),
        )
        if path:
            self.edit.setText(path)


class PairDialog(QDialog):
    """Light and dark checkpoints (or one and its style) and a name; Pair writes NAME.pair.json."""

    def __init__(self, window: Any, files: list[str] | None = None) -> None:
        super().__init__(window)
        self.win = window
        self.working = False
        self.written: Path | None = None
        self._auto_name = ""
        self.two = QRadioButton()
        self.one = QRadioButton()
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.two)
        self.mode.addButton(self.one)
        self.light = FileRow(self)
        self.dark = FileRow(self)
        self.swap = QPushButton()
        self.swap.clicked.connect(self.swap_files)
        self.single = FileRow(self)
        self.style = QComboBox()
        for s in STYLES:
            self.style.addItem(s, s)
        self.name_edit = QLineEdit()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.pair_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.form.addRow(self.two)
        self.light_label, self.dark_label, self.single_label, self.style_label, self.name_label = (QLabel() for _ in range(5))
        self.form.addRow(self.light_label, self.light)
        self.form.addRow(self.dark_label, self.dark)
        swap_row = QHBoxLayout()
        swap_row.addWidget(self.swap)
        swap_row.addStretch(1)
        self.form.addRow("", swap_row)
        self.form.addRow(self.one)
        self.form.addRow(self.single_label, self.single)
        self.form.addRow(self.style_label, self.style)
        self.form.addRow(self.name_label, self.name_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.two.toggled.connect(self._sync)
        for row in (self.light, self.dark, self.single):
            row.edit.textChanged.connect(self._suggest)
        files = [str(f) for f in (files or [])]
        if len(files) == 1:
            self.one.setChecked(True)
            self.single.edit.setText(files[0])
        else:
            self.two.setChecked(True)
            if len(files) == 2:
                self.light.edit.setText(files[0])
                self.dark.edit.setText(files[1])
        self.resize(640, 0)
        self.retranslate()
        self._sync()

    # ------------------------------------------------------------------ state
    def chosen_files(self) -> list[str]:
        return [self.light.text(), self.dark.text()] if self.two.isChecked() else [self.single.text()]

    def _sync(self, *_args: Any) -> None:
        two = self.two.isChecked()
        for w in (self.light, self.dark, self.swap, self.light_label, self.dark_label):
            w.setEnabled(two)
        for w in (self.single, self.style, self.single_label, self.style_label):
            w.setEnabled(not two)
        self._suggest()

    def _suggest(self, *_args: Any) -> None:
        # follow the files until the painter types a name of their own
        if self.name_edit.text().strip() in ("", self._auto_name):
            self._auto_name = suggest_name(self.chosen_files())
            self.name_edit.setText(self._auto_name)

    def swap_files(self) -> None:
        light, dark = self.light.text(), self.dark.text()
        self.light.edit.setText(dark)
        self.dark.edit.setText(light)

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b3261e;" if error else "")

    # ------------------------------------------------------------------ pairing
    def problem(self) -> str | None:
        """What is missing or wrong before any file is read, in the window's language."""
        files = self.chosen_files()
        if self.two.isChecked():
            if not files[0]:
                return self.tr("Choose the light-ink checkpoint.")
            if not files[1]:
                return self.tr("Choose the dark-ink checkpoint.")
        elif not files[0]:
            return self.tr("Choose a checkpoint.")
        for f in files:
            if not Path(f).expanduser().exists():
                return self.tr("No such file: {0}").format(f)
        name = self.name_edit.text().strip()
        if not name:
            return self.tr("Give the pair a name.")
        if name.startswith(".") or any(c in name for c in BAD_NAME_CHARACTERS):
            return self.tr("'{0}' cannot name a file: use letters, digits, - and _.").format(name)
        return None

    def request(self) -> pair.PairRequest:
        """The CLI's request for what the dialog holds (StudioError, one line, as the CLI says it)."""
        style_of = None if self.two.isChecked() else str(self.style.currentData())
        return pair.request_for(self.name_edit.text().strip(), self.chosen_files(), style_of)

    def target(self) -> Path:
        return paths.user_models_dir() / f"{self.name_edit.text().strip()}.pair.json"

    def start(self) -> bool:
        """Check the choices, then write the pair on the file thread; False when nothing was started."""
        if self.working:
            return False
        why = self.problem()
        if why is None:
            try:
                req = self.request()
            except StudioError as exc:
                why = self.tr("Not paired: {0}").format(exc)
        if why is not None:
            self.show_status(why, error=True)
            return False
        if self.target().exists() and not self.confirm_replace():
            return False
        self.working = True
        self.pair_button.setEnabled(False)
        self.show_status(self.tr("Reading the checkpoints…"))

        def write() -> tuple[Path, Any]:
            from studio.models.catalog import resolve

            written = pair.run(req)
            return written, resolve(str(written))

        self.win.runner.run_io(write, self._done)
        return True

    def confirm_replace(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Replace pair"),
            self.tr("A model named '{0}' is already in your models folder. Replace it?").format(self.name_edit.text().strip()),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _done(self, result: Any, error: str | None) -> None:
        self.working = False
        self.pair_button.setEnabled(True)
        if error is not None:
            self.show_status(self.tr("Not paired: {0}").format(error), error=True)
            return
        self.written, record = result
        add_to_window(self.win, record)
        styles = ", ".join(style_label(s) for s in record.styles)
        self.win.show_info(lambda: self.tr("Paired: model '{0}' paints {1}, each with its own checkpoint.").format(
            record.id, ", ".join(style_label(s) for s in record.styles)))
        self.show_status(self.tr("Paired as '{0}' ({1}).").format(record.id, styles))
        self.accept()

    # ------------------------------------------------------------------ language
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Pair checkpoints"))
        self.two.setText(self.tr("Two checkpoints: one paints light ink, the other dark ink"))
        self.one.setText(self.tr("One checkpoint, given a style"))
        self.light_label.setText(self.tr("Light ink (淡墨)"))
        self.dark_label.setText(self.tr("Dark ink (浓墨)"))
        self.single_label.setText(self.tr("Checkpoint"))
        self.style_label.setText(self.tr("Its style"))
        self.name_label.setText(self.tr("Name"))
        for row in (self.light, self.dark, self.single):
            row.browse.setText(self.tr("Browse…"))
        self.swap.setText(self.tr("Swap light and dark"))
        for i in range(self.style.count()):
            self.style.setItemText(i, style_label(str(self.style.itemData(i))))
        self.name_edit.setPlaceholderText(self.tr("the model's name in the list"))
        self.pair_button.setText(self.tr("Pair"))
        self.note.setText(self.tr(
            "Each checkpoint must paint without styles of its own; both diffusion or both GAN. They may differ in "
            "format and size: the smaller one's paintings are resized to the larger. The pair is saved in your "
            "models folder (inkstudio pair does the same)."))


def add_to_window(window: Any, record: Any) -> None:
    """Show a newly written pair in the model list and choose it (a replaced pair replaces its entry)."""
    records = [r for r in window.model_panel.records() if r.path != record.path and r.id != record.id]
    window.model_panel.set_records([*records, record], record.id)


class PairActions(QObject):
    """File → Pair checkpoints… and the offer made when two checkpoints are dropped together."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.win = window
        self.dialog: PairDialog | None = None
        self.offer: QMessageBox | None = None
        self.act_pair = QAction(window)
        self.act_pair.triggered.connect(lambda: self.show_dialog())
        menu = window.file_menu
        actions = menu.actions()
        after = actions.index(window.act_open_folder) + 1 if window.act_open_folder in actions else len(actions)
        menu.insertAction(actions[after] if after < len(actions) else None, self.act_pair)
        window.drop_handlers.append(self.take_drop)
        window.installEventFilter(self)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.win and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.act_pair.setText(self.tr("Pair checkpoints…"))
        self.act_pair.setToolTip(self.tr("Use one checkpoint per ink style (light, dark) as one model"))

    def show_dialog(self, files: list[str] | None = None) -> PairDialog:
        if self.dialog is not None and not self.dialog.working:
            self.dialog.deleteLater()
            self.dialog = None
        if self.dialog is None:
            self.dialog = PairDialog(self.win, files)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def take_drop(self, dropped: list[Path]) -> bool:
        """Two checkpoint files dropped together: offer to pair them (after the drop has finished)."""
        checkpoints = [p for p in dropped if p.suffix.lower() != ".png" and not p.name.lower().endswith(".pair.json")]
        if len(dropped) != 2 or len(checkpoints) != 2:
            return False
        QTimer.singleShot(0, lambda: self.offer_pair(checkpoints))
        return True

    def offer_pair(self, files: list[Path], on_answer: Callable[[str], None] | None = None) -> QMessageBox:
        """Ask: pair them (the first as light), open both as separate models, or neither."""
        box = QMessageBox(self.win)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Two checkpoints"))
        box.setText(self.tr("Use {0} and {1} as the light and dark ink of one model?").format(files[0].name, files[1].name))
        box.setInformativeText(self.tr("Pair them to paint each style with its own checkpoint, or open them as two models."))
        pair_button = box.addButton(self.tr("Pair…"), QMessageBox.ButtonRole.AcceptRole)
        open_button = box.addButton(self.tr("Open both"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(pair_button)

        def answered(button: Any) -> None:
            if button is pair_button:
                self.show_dialog([str(f) for f in files])
            elif button is open_button:
                for f in files:
                    self.win.open_checkpoint(f)
            if on_answer is not None:
                on_answer("pair" if button is pair_button else "open" if button is open_button else "cancel")
            self.offer = None

        box.buttonClicked.connect(answered)
        box.finished.connect(box.deleteLater)
        box.open()
        self.offer = box
        return box


def install(window: Any) -> PairActions:
    """File → Pair checkpoints… and the drop offer (the window keeps what this returns)."""
    return PairActions(window)
