# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""File → Export series… and File → Repaint from PNG…, with a tiny real model on the inference thread."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from windowkit import WAIT_MS, make_window, record_events, set_job, tiny_bundled, wait_idle  # noqa: F401

from studio.engine.pngmeta import read_png_meta


def fill(dialog, folder: Path, *, count: int = 3, seed: int = 5) -> None:  # type: ignore[no-untyped-def]
    dialog.count.setValue(count)
    dialog.random_seed.setChecked(False)
    dialog.seed_edit.setText(str(seed))
    dialog.folder_edit.setText(str(folder))
    dialog.name_edit.setText("{model}-{style}-{seed}")


def test_menu_actions_and_shortcut(qtbot, make_window) -> None:
    window = make_window()
    actions = window.series_actions
    texts = [a.text() for a in window.file_menu.actions()]
    assert "Export series…" in texts and "Repaint from PNG…" in texts
    assert texts.index("Export series…") < texts.index("Quit")
    assert actions.act_export.shortcut() == QKeySequence("Ctrl+Shift+E")
    actions.act_export.trigger()
    dialog = actions.dialog
    assert dialog is not None and dialog.isVisible()
    assert "tiny" in dialog.summary.text()
    dialog.close()


def test_export_writes_files_manifest_and_sheet(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    set_job(window, seed=0, steps=3, sampler="ddim")
    window.model_panel.set_style("dark")
    dialog = window.series_actions.show_dialog()
    out = tmp_path / "series"
    fill(dialog, out, count=3, seed=5)
    dialog.sheet.setChecked(True)
    dialog.upscale.setCurrentIndex(dialog.upscale.findData(2))
    dialog.framing.setCurrentIndex(1)  # xuan paper
    dialog.seal.setChecked(True)
    events = record_events(window)
    job = dialog.start()
    assert job is not None and not dialog.export_button.isEnabled() and dialog.close_button.text() == "Cancel"
    wait_idle(qtbot, window)
    assert [e.kind for e in events if e.job_id == job.id][-1] == "finished"
    assert dialog.finished_series is not None and dialog.open_button.isVisible() and "Done: 3 paintings" in dialog.status.text()
    assert dialog.written == 3 and not dialog.preview.pixmap().isNull()  # the last painting written, shown small
    assert not window.canvas.has_image()  # previews stay in the dialog

    names = sorted(p.name for p in out.iterdir())
    pngs = [n for n in names if n.startswith("tiny-dark-")]
    assert pngs == [f"tiny-dark-{s:010d}.png" for s in (5, 6, 7)]
    assert "manifest.json" in names and "contact-sheet.png" in names and not [n for n in names if n.startswith(".")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] and manifest["sheet"] == "contact-sheet.png"
    assert [e["seed"] for e in manifest["paintings"]] == [5, 6, 7]
    meta = read_png_meta(out / pngs[0])
    assert meta["style"] == "dark" and meta["sampler"] == "ddim" and meta["steps"] == 3
    from studio.engine.upscale import bundled_upscaler

    # the learned ink upscaler when one is installed (its use is recorded), else Lanczos
    method = "ink" if bundled_upscaler() is not None else "lanczos"
    assert meta["export"] == {"upscale": 2, "frame": "paper", "seal": True, "upscale_method": method}
    with Image.open(out / pngs[0]) as im:
        assert im.width > 32 and im.height > 32  # upscaled 16 → 32, then mounted on paper
    # an exported (upscaled, framed, sealed) painting is reproduced exactly, finishing and all
    actions = window.series_actions
    actions.repaint_from_png(out / pngs[1])
    qtbot.waitUntil(lambda: actions.last_repaint is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert actions.last_repaint.identical and actions.last_repaint.seed == 6
    # the choices are remembered for next time
    prefs = json.loads((_config_dir() / "export.json").read_text(encoding="utf-8"))
    assert prefs["folder"] == str(out) and prefs["upscale"] == 2 and prefs["frame"] == "paper" and prefs["sheet"]


def _config_dir() -> Path:
    from studio.config import paths

    return paths.user_config_dir()


def test_cancel_keeps_what_was_written(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    set_job(window, seed=0, steps=2, sampler="ddim")
    dialog = window.series_actions.show_dialog()
    out = tmp_path / "series"
    fill(dialog, out, count=6, seed=1)
    dialog.sheet.setChecked(True)

    def cancel_after_first_file(ev) -> None:  # type: ignore[no-untyped-def]
        if dialog.job is not None and ev.job_id == dialog.job.id and ev.kind == "progress" and ev.message.endswith(".png"):
            window.runner.cancel_current()  # on the worker thread, right after the first file is written

    window.runner._posted.connect(cancel_after_first_file, Qt.ConnectionType.DirectConnection)
    dialog.start()
    wait_idle(qtbot, window)
    window.runner._posted.disconnect(cancel_after_first_file)
    assert dialog.finished_series is None and "Cancelled" in dialog.status.text()
    files = sorted(p.name for p in out.iterdir())
    # each batch of the tiny model is 4 paintings: the cancel lands within the second batch at the latest
    pngs = [f for f in files if f.endswith(".png")]
    assert 1 <= len(pngs) < 6 and "contact-sheet.png" not in files and not [f for f in files if f.startswith(".")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not manifest["complete"] and sorted(e["file"] for e in manifest["paintings"]) == pngs


def test_repaint_from_png_is_pixel_identical(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    set_job(window, seed=77, count=1, steps=3, sampler="ddim")
    window.generate()
    wait_idle(qtbot, window)
    (painted,) = window.gallery.paths()
    window.canvas.set_image(None)
    actions = window.series_actions
    actions.repaint_from_png(painted)
    qtbot.waitUntil(lambda: actions.last_repaint is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    result = actions.last_repaint
    assert result.identical and result.max_difference == 0 and result.seed == 77
    with Image.open(painted) as im:
        assert np.array_equal(np.asarray(result.image.convert("RGB")), np.asarray(im.convert("RGB")))
    assert window.canvas.has_image() and "repainted" in window.canvas.caption
    assert "identical" in window.message_bar.text

    # a painting whose model is not installed: one line, nothing queued
    meta = read_png_meta(painted)
    meta.update(model="gone", model_sha256="0" * 64)
    from studio.engine.pngmeta import save_png

    with Image.open(painted) as im:
        orphan = save_png(im.copy(), meta, tmp_path / "orphan.png")
    actions.last_repaint = None
    actions.repaint_from_png(orphan)
    qtbot.waitUntil(lambda: "Cannot repaint" in window.message_bar.text, timeout=WAIT_MS)
    assert "not installed" in window.message_bar.text and "\n" not in window.message_bar.text
    assert actions.repaint_job is None and actions.last_repaint is None


def test_language_switch_retitles_dialog_and_actions(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.series_actions.show_dialog()
    assert dialog.windowTitle() == "Export series"
    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: dialog.windowTitle() == "导出系列", timeout=5000)  # LanguageChange is posted
        assert dialog.framing.itemText(2) == "立轴" and dialog.export_button.text() == "导出"
        assert window.series_actions.act_repaint.text() == "从 PNG 重绘…"
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Export series", timeout=5000)
    assert window.series_actions.act_repaint.text() == "Repaint from PNG…"
