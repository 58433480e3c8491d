# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""Themes: what is chosen must look chosen, in the platform's look as in xuan paper and ink."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication
from windowkit import make_window, tiny_bundled  # noqa: F401


def mean_color(widget) -> np.ndarray:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage()
    image = image.convertToFormat(image.Format.Format_RGB888)
    w, h = image.width(), image.height()
    arr = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * h).reshape(h, image.bytesPerLine())
    return arr[:, : w * 3].reshape(h, w, 3).reshape(-1, 3).astype(float).mean(0)


def test_the_chosen_ink_style_stands_out_in_every_theme(qtbot, make_window) -> None:
    window = make_window()
    panel = window.model_panel
    assert panel.set_style("light")
    chosen, other = panel._style_buttons["light"], panel._style_buttons["dark"]
    assert chosen.isChecked() and not other.isChecked()
    try:
        for theme in ("system", "light", "dark"):
            window.set_theme(theme)
            QApplication.processEvents()
            distance = float(np.linalg.norm(mean_color(chosen) - mean_color(other)))
            # the platform look's own checked shade was ~40 from the plain button: a faint grey step
            assert distance > 80, f"{theme}: the chosen style is hard to tell from the other ({distance:.0f})"
    finally:
        window.set_theme("system")
