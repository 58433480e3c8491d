# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""Save as PNG offers the name ``generate`` would give the painting, not a piece of the gallery's timestamp."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QFileDialog
from windowkit import make_window, set_job, tiny_bundled, wait_idle  # noqa: F401


def test_save_as_png_suggests_model_style_seed(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    set_job(window, seed=3605774052, count=1, steps=2)
    window.model_panel.set_style("dark")
    window.generate()
    wait_idle(qtbot, window)
    (painted,) = window.gallery.paths()
    assert painted.name.endswith("-tiny-dark-3605774052.png")  # the gallery's own name starts with a timestamp

    window.settings.output_dir = str(tmp_path)
    offered: list[str] = []

    def dialog(_parent, _title, where, _filter):  # type: ignore[no-untyped-def]
        offered.append(where)
        return "", ""  # the painter cancels

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    window.save_painting_dialog(painted)
    assert offered == [str(tmp_path / "tiny-dark-3605774052.png")]

    # a PNG without our settings keeps its own name
    plain = tmp_path / "found.png"
    Image.new("RGB", (8, 8)).save(plain)
    assert window.suggested_name(plain) == "found.png"
