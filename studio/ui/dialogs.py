"""Dialogs: the model card."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from studio.ui.pair_dialog import pair_facts


class ModelCardDialog(QDialog):
    """What a model is: its card (markdown shipped with it) and the facts the studio read from it."""

    def __init__(self, record: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Model card: {0}").format(record.name))
        self.resize(620, 560)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        styles = ", ".join(record.styles) or self.tr("none (one style)")
        facts = [
            (self.tr("Id"), record.id),
            (self.tr("Kind"), record.kind),
            (self.tr("Resolution"), f"{record.resolution} px"),
            (self.tr("Styles"), styles),
            (self.tr("Format"), record.format),
            (self.tr("File"), record.path),
            *pair_facts(record),  # a style pair: each style's checkpoint, and which paintings are resized
            (self.tr("SHA-256"), record.sha256),
        ]
        rows = "".join(f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(str(v))}</td></tr>" for k, v in facts)
        self.browser.setHtml(f"<table>{rows}</table><hr>")
        if record.card:
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.End)
            self.browser.textCursor().insertMarkdown(record.card)
        else:
            self.browser.append(self.tr("This model ships without a card."))
        self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
