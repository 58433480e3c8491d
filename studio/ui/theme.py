"""Themes: the platform's own look, xuan paper (light) and ink (dark)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_original: tuple[str, QPalette] | None = None

# progress as an ink wash rather than the seal red the highlight uses for selection
_PROGRESS = (
    "QProgressBar {{ border: 1px solid {border}; border-radius: 3px; background: {base}; text-align: center; min-height: 20px; }}"
    "QProgressBar::chunk {{ background: {wash}; border-radius: 2px; }}"
)


# a chosen ink style (and a locked seed) must read as chosen at a glance: Fusion's checked shade is too faint
_CHECKED = (
    "QPushButton:checked {{ background: {ink}; color: {paper}; border: 1px solid {ink}; border-radius: 3px; padding: 4px 8px; }}"
    "QToolButton:checked {{ background: {tint}; border: 1px solid {seal}; border-radius: 3px; }}"
)


def _palette(window: str, base: str, text: str, button: str, highlight: str, mid: str) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, window),
        (role.WindowText, text),
        (role.Base, base),
        (role.AlternateBase, window),
        (role.ToolTipBase, base),
        (role.ToolTipText, text),
        (role.Text, text),
        (role.Button, button),
        (role.ButtonText, text),
        (role.Highlight, highlight),
        (role.HighlightedText, "#ffffff"),
        (role.Link, highlight),
        (role.PlaceholderText, mid),
        (role.Mid, mid),
    ):
        p.setColor(r, QColor(c))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(mid))
    return p


def apply_theme(app: QApplication, theme: str) -> None:
    global _original
    if _original is None:
        _original = (app.style().name(), QPalette(app.palette()))
    if theme == "light":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(_palette("#f3eee3", "#fbf8f1", "#1f1d1a", "#ebe4d6", "#9e2a2b", "#9a9287"))
        app.setStyleSheet(_PROGRESS.format(border="#c9bfae", base="#fbf8f1", wash="#cfc6b6")
                          + _CHECKED.format(ink="#2f2b27", paper="#fbf8f1", tint="#ecd3cc", seal="#9e2a2b"))
    elif theme == "dark":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(_palette("#23211f", "#1a1918", "#e9e4da", "#302d2a", "#b8413f", "#77716a"))
        app.setStyleSheet(_PROGRESS.format(border="#3d3935", base="#1a1918", wash="#55504a")
                          + _CHECKED.format(ink="#ddd6c8", paper="#1a1918", tint="#5a3432", seal="#b8413f"))
    else:
        app.setStyle(QStyleFactory.create(_original[0]) or QStyleFactory.create("Fusion"))
        app.setPalette(_original[1])
        # the platform's look, except the chosen state: its own checked shade is a faint grey in many styles
        app.setStyleSheet(_CHECKED.format(ink="palette(highlight)", paper="palette(highlighted-text)",
                                          tint="palette(midlight)", seal="palette(highlight)"))
