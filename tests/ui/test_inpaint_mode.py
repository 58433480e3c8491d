# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""The Inpaint tab driven as a user would: mask painting with undo/redo, and real jobs on a tiny model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from windowkit import WAIT_MS, make_window, tiny_bundled, wait_idle  # noqa: F401

from studio.engine.pngmeta import read_png_meta
from studio.ui.gallery import gallery_dir


def painting(w: int = 48, h: int = 36) -> Image.Image:
    """A small ink-like test painting: a gradient with a dark 'mountain'."""
    y, x = np.mgrid[0:h, 0:w]
    arr = np.stack([(x * 5) % 256, (y * 7) % 256, ((x + y) * 3) % 256], -1).astype(np.uint8)
    arr[h // 3 :, w // 4 : w // 2] //= 3
    return Image.fromarray(arr, "RGB")


def mouse(canvas, kind: QEvent.Type, x: float, y: float, button=Qt.MouseButton.LeftButton) -> None:  # type: ignore[no-untyped-def]
    """A mouse event at image pixel (x, y) (mapped to the widget like a real pointer)."""
    pos = canvas.to_widget(QPointF(x, y))
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    ev = QMouseEvent(kind, pos, canvas.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas, ev)


def drag(canvas, points: list[tuple[float, float]], button=Qt.MouseButton.LeftButton) -> None:  # type: ignore[no-untyped-def]
    mouse(canvas, QEvent.Type.MouseButtonPress, *points[0], button=button)
    for p in points[1:]:
        mouse(canvas, QEvent.Type.MouseMove, *p, button=button)
    mouse(canvas, QEvent.Type.MouseButtonRelease, *points[-1], button=button)


def open_page(qtbot, window, image: Image.Image | None = None):  # type: ignore[no-untyped-def]
    page = window.inpaint_page
    window.modes.setCurrentWidget(page)
    page.set_painting(image or painting(), "test")
    page.canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.canvas, timeout=5000)
    return page


def key(qtbot, page, k, mods=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(page.canvas, k, mods)


def test_strokes_paint_the_mask_and_undo_redo_restore_it_exactly(qtbot, make_window) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    canvas = page.canvas
    assert window.modes.tabText(window.modes.indexOf(page)) == "Inpaint"
    hint = page.minimumSizeHint()  # the page scrolls in a small window rather than making it grow
    assert hint.width() < 200 and hint.height() < 200
    assert canvas.mask_array().shape == (36, 48) and not canvas.mask_array().any()

    key(qtbot, page, Qt.Key.Key_B)
    canvas.set_brush_size(6)
    drag(canvas, [(5, 10), (15, 10), (25, 12)])
    first = canvas.mask_array()
    assert first[10, 5] and first[10, 15] and first[12, 25] and first[11, 20]
    assert not first[30, 40] and not first[0, 0]
    assert 60 < first.sum() < 250  # a 6 px wide line about 20 px long

    key(qtbot, page, Qt.Key.Key_E)
    assert canvas.tool == "eraser" and page.tool_buttons["eraser"].isChecked()
    drag(canvas, [(15, 5), (15, 16)])
    second = canvas.mask_array()
    assert not second[10, 15] and second[10, 5] and second[12, 25]

    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(canvas.mask_array(), first)
    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not canvas.mask_array().any()
    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert np.array_equal(canvas.mask_array(), first)
    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert np.array_equal(canvas.mask_array(), second)
    assert not page.redo_button.isEnabled() and page.undo_button.isEnabled()
    # each step keeps only the rectangle it changed; an edit that changes nothing is not a step
    assert page.undo_stack.count() == 2
    assert page.undo_stack.command(1).rect.width() <= 7 and page.undo_stack.command(1).rect.height() <= 18
    page.undo_stack.undo()
    page.undo_stack.undo()
    page.clear_button.click()
    assert page.undo_stack.count() == 2 and page.undo_stack.index() == 0


def test_clear_invert_rectangle_and_lasso(qtbot, make_window) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    canvas = page.canvas

    key(qtbot, page, Qt.Key.Key_R)
    assert canvas.tool == "rect"
    drag(canvas, [(10, 8), (20, 14), (30, 20)])
    m = canvas.mask_array()
    assert m[8:20, 10:30].all()
    assert m.sum() == pytest.approx(20 * 12, abs=40) and not m[25:, :].any() and not m[:, 35:].any()
    rect = m.copy()

    # the right button takes a rectangle away again
    drag(canvas, [(10, 8), (20, 14)], button=Qt.MouseButton.RightButton)
    assert not canvas.mask_array()[9:13, 11:19].any() and canvas.mask_array()[16:19, 22:28].all()
    page.undo_stack.undo()
    assert np.array_equal(canvas.mask_array(), rect)

    page.invert_button.click()
    assert np.array_equal(canvas.mask_array(), ~rect)
    page.clear_button.click()
    assert not canvas.mask_array().any()

    key(qtbot, page, Qt.Key.Key_L)
    assert canvas.tool == "lasso"
    drag(canvas, [(4, 4), (40, 4), (40, 30), (22, 30)])  # a closed quadrilateral
    lasso = canvas.mask_array()
    assert lasso[10, 30] and lasso[20, 38] and lasso[6, 10]
    assert not lasso[28, 6] and not lasso[0, 0] and not lasso[35, 45]

    for _ in range(3):  # lasso, clear, invert
        page.undo_stack.undo()
    assert np.array_equal(canvas.mask_array(), rect)


def test_keyboard_tools_size_overlay_and_before_after(qtbot, make_window) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    canvas = page.canvas
    size = canvas.brush_size
    key(qtbot, page, Qt.Key.Key_BracketRight)
    assert canvas.brush_size > size and page.size_slider.value() == canvas.brush_size
    key(qtbot, page, Qt.Key.Key_BracketLeft)
    key(qtbot, page, Qt.Key.Key_BracketLeft)
    assert canvas.brush_size < size
    assert canvas.overlay_visible
    key(qtbot, page, Qt.Key.Key_M)
    assert not canvas.overlay_visible and not page.overlay_button.isChecked()
    key(qtbot, page, Qt.Key.Key_M)
    assert canvas.overlay_visible

    # with a result shown, Space (held) shows the original
    page.canvas.set_result(Image.new("RGB", (48, 36), (0, 0, 0)))
    assert not canvas.showing_before()
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    assert canvas.showing_before()
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    assert not canvas.showing_before()


def test_empty_mask_is_said_and_methods_follow_the_model(qtbot, make_window, tiny_bundled: Path) -> None:
    from conftest import save_tiny_gan

    save_tiny_gan(tiny_bundled / "gan.safetensors")
    window = make_window()
    assert window.model_panel.select("tiny")
    page = open_page(qtbot, window)
    assert [page.method.itemText(i) for i in range(page.method.count())] == ["blend", "repaint"]
    assert page.generate() is None
    assert page.message_level == "error" and "mask is empty" in page.message.text()
    assert window.model_panel.select("gan")
    assert [page.method.itemText(i) for i in range(page.method.count())] == ["invert"]
    assert page.steps.value() == 200 and not page.jumps.isEnabled()


def test_open_by_dropping_a_file_with_notices(qtbot, make_window, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDropEvent

    window = make_window()
    grey = tmp_path / "grey scroll.png"
    painting().convert("L").save(grey)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(grey))])
    page = window.inpaint_page
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(drop)
    qtbot.waitUntil(lambda: page.painting is not None, timeout=WAIT_MS)
    assert page.painting.mode == "RGB" and page.painting.size == (48, 36)
    assert window.modes.currentWidget() is page
    assert "converted" in page.message.text() and page.painting_name == "grey scroll"

    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"this is not a png")
    page.open_path(bad)
    qtbot.waitUntil(lambda: page.message_level == "error", timeout=WAIT_MS)
    assert "not-an-image.png" in page.message.text()
    assert page.painting.size == (48, 36)  # the painting that was open stays


def test_a_real_inpaint_job_shows_candidates_and_keep_saves_exact_unmasked_pixels(qtbot, make_window) -> None:
    from scipy import ndimage

    from studio.engine.inpaint import InpaintRequest, auto_feather, inpaint, prepare_source
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    window = make_window()
    original = painting(40, 30)
    page = open_page(qtbot, window, original)
    page.set_tool("rect")
    page.canvas.stroke([(12, 8), (24, 18)])
    mask = page.canvas.mask_array()
    page.style_combo.setCurrentIndex(page.style_combo.findData("dark"))  # the tab's own choice, not the side panel's
    page.method.setCurrentText("blend")
    page.steps.setValue(4)
    page.jumps.setValue(2)
    page.seed.setValue(321)
    page.count.setValue(2)
    finished = []
    window.runner.event.connect(lambda ev: ev.kind == "finished" and finished.append(ev.job_id))
    job = page.generate()
    assert job is not None and not page.generate_button.isEnabled() and page.cancel_button.isEnabled()
    wait_idle(qtbot, window)
    assert finished == [job.id]
    assert page.strip.count() == 2 and [c.seed for c in page.candidates] == [321, 322]
    assert page.strip.currentRow() == 0 and page.keep_button.isEnabled()
    assert "Done" in page.progress.format()

    page.strip.setCurrentRow(1)
    shown = page.canvas.shown_image()
    assert shown is not None and (shown.width(), shown.height()) == (40, 30)
    assert not page.canvas.showing_before()
    page.before_button.click()
    assert page.canvas.showing_before()
    page.before_button.click()

    path = page.keep()
    assert path is not None and path.parent == gallery_dir() and path.is_file()
    assert window.gallery.paths()[-1] == path
    meta = read_png_meta(path)
    assert meta["task"] == "inpaint" and meta["method"] == "blend" and meta["seed"] == 322
    assert meta["steps"] == 4 and meta["jumps"] == 2 and meta["style"] == "dark"
    kept = np.asarray(Image.open(path).convert("RGB"))
    orig = np.asarray(original)
    assert kept.shape == orig.shape

    # every pixel farther than the feather from the mask is the original's, bit for bit
    feather = auto_feather(original.size, 16)
    far = ndimage.distance_transform_edt(~mask) > feather + 1
    assert far.sum() > 0.3 * far.size
    assert np.array_equal(kept[far], orig[far])
    assert not np.array_equal(kept[mask], orig[mask])  # the hole was repainted

    # and it is exactly what the engine makes for that seed
    record = resolve("tiny")
    direct = inpaint(
        load_checkpoint(record.path),
        record,
        prepare_source(original, mask),
        InpaintRequest(seed=321, count=2, method="blend", style="dark", steps=4, jumps=2),
    )
    assert np.array_equal(np.asarray(direct[1].image), kept)

    saved = page.save_mask(Path(window.settings.output_dir or gallery_dir().parent) / "mask.png")
    assert saved is not None
    assert np.array_equal(np.asarray(Image.open(saved)) >= 128, mask)


def test_cancel_stops_the_job_and_the_page_recovers(qtbot, make_window) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    page.canvas.stroke([(10, 10), (30, 20)], "rect")
    page.method.setCurrentText("blend")
    page.steps.setValue(1000)
    page.count.setValue(4)
    kinds = []
    window.runner.event.connect(lambda ev: kinds.append(ev.kind))
    job = page.generate()
    qtbot.waitUntil(lambda: "progress" in kinds, timeout=WAIT_MS)
    # the live preview (the model's predicted painting, never a tensor) shows beside the strip
    qtbot.waitUntil(lambda: not page.preview.pixmap().isNull(), timeout=WAIT_MS)
    page.cancel_button.click()
    wait_idle(qtbot, window)
    assert kinds[-1] == "cancelled" and "finished" not in kinds
    assert page.job_id == 0 and page.generate_button.isEnabled() and not page.cancel_button.isEnabled()
    assert page.progress.format() == "Cancelled" and "Cancelled" in page.message.text()
    assert job.id not in [j.id for j in window.runner.pending()]

    # opening another painting while a job runs cancels it; its candidates never land on the new one
    page.generate()
    qtbot.waitUntil(lambda: window.runner.busy, timeout=WAIT_MS)
    page.set_painting(painting(20, 20), "other")
    wait_idle(qtbot, window)
    assert page.candidates == [] and page.job_id == 0 and page.canvas.image_size() == (20, 20)


def test_an_engine_error_is_a_message_not_a_crash(qtbot, make_window) -> None:
    window = make_window()
    page = open_page(qtbot, window, Image.new("RGB", (8200, 12), (200, 190, 170)))  # over the engine's 8,000 px
    page.canvas.stroke([(10, 2), (60, 10)], "rect")
    page.steps.setValue(3)
    page.generate()
    wait_idle(qtbot, window)
    assert page.message_level == "error", page.message.text()
    assert page.message.text().startswith("Inpainting failed: ") and "8" in page.message.text()
    assert page.job_id == 0 and page.generate_button.isEnabled() and page.progress.format() == "Failed"


def test_language_switch_retitles_the_tab(qtbot, make_window) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    index = window.modes.indexOf(page)
    assert page.generate() is None  # empty mask: an error line, re-read in the new language
    page.canvas.set_result(None)
    page._set_candidates([])
    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: window.modes.tabText(index) == "局部重绘", timeout=5000)  # LanguageChange is posted
        assert page.generate_button.text() == "局部重绘" and page.tool_buttons["lasso"].text() == "套索"
        assert page.message.text() == "蒙版是空的：请先涂抹需要重绘的部分。" and page.progress.format() == "就绪"
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: window.modes.tabText(index) == "Inpaint", timeout=5000)
    assert page.generate_button.text() == "Inpaint" and page.message.text().startswith("The mask is empty")


def test_the_gallery_menu_sends_a_painting_to_inpaint(qtbot, make_window) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent

    from studio.engine.pngmeta import save_png
    from studio.ui.gallery import make_thumbnail

    window = make_window()
    gallery_dir().mkdir(parents=True, exist_ok=True)
    path = save_png(painting(32, 24), {"seed": 5, "model": "tiny"}, gallery_dir() / "scroll.png")
    window.gallery.add_entry(path, {"seed": 5, "model": "tiny"}, make_thumbnail(painting(32, 24)))
    item_pos = window.gallery.visualItemRect(window.gallery.item(0)).center()
    seen = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        seen.extend(a.text() for a in menu.actions())
        action = next(a for a in menu.actions() if a.objectName() == "inpaintFromGallery")
        menu.close()
        action.trigger()

    QTimer.singleShot(200, choose)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, item_pos, window.gallery.viewport().mapToGlobal(item_pos))
    QApplication.sendEvent(window.gallery.viewport(), event)
    qtbot.waitUntil(lambda: window.inpaint_page.painting is not None, timeout=WAIT_MS)
    assert seen[0] == "Inpaint…" and "Save as PNG…" in seen
    assert window.inpaint_page.painting.size == (32, 24) and window.modes.currentWidget() is window.inpaint_page

    # the button lists the gallery's paintings too
    page = window.inpaint_page
    page._fill_gallery_menu()
    assert [a.text() for a in page.gallery_menu.actions()] == ["seed 5 · scroll.png"]


def test_a_gan_inpaints_by_inversion_from_the_tab(qtbot, make_window, tiny_bundled: Path) -> None:
    from conftest import save_tiny_gan

    save_tiny_gan(tiny_bundled / "gan.safetensors")
    window = make_window()
    assert window.model_panel.select("gan")
    original = painting(32, 32)
    page = open_page(qtbot, window, original)
    page.canvas.stroke([(8, 8), (20, 20)], "rect")
    page.steps.setValue(5)
    page.count.setValue(1)
    page.seed.setValue(9)
    page.generate()
    wait_idle(qtbot, window)
    assert [c.seed for c in page.candidates] == [9] and page.candidates[0].meta["method"] == "invert"
    result = np.asarray(page.candidates[0].image)
    far = np.ones((32, 32), bool)
    far[2:27, 2:27] = False  # beyond the mask and its feather
    assert np.array_equal(result[far], np.asarray(original)[far])


def test_inpainting_keeps_the_paintings_own_style_unless_the_painter_chooses(qtbot, make_window) -> None:
    from studio.engine.pngmeta import save_png

    window = make_window()
    gallery_dir().mkdir(parents=True, exist_ok=True)
    source = save_png(painting(32, 24), {"seed": 5, "model": "tiny", "style": "light"}, gallery_dir() / "x-light-5.png")
    window.model_panel.set_style("dark")  # the side panel says dark: it must not decide for a light painting
    page = window.inpaint_page
    assert page.current_style() == "dark"  # nothing open yet: the tab shows the side panel's style
    page.open_path(source)
    qtbot.waitUntil(lambda: page.painting is not None, timeout=WAIT_MS)
    assert page.current_style() == "light" and page.style_combo.isEnabled()
    window.model_panel.set_style("light")
    window.model_panel.set_style("dark")
    assert page.current_style() == "light"  # the painting's own style holds
    assert [page.style_combo.itemData(i) for i in range(page.style_combo.count())] == ["light", "dark"]
    assert "own" in page.style_combo.currentText()

    def inpaint_and_keep() -> Path:
        page.set_tool("rect")
        page.canvas.stroke([(4, 4), (12, 12)])
        page.steps.setValue(2)
        page.jumps.setValue(1)
        page.seed.setValue(321)
        page.count.setValue(1)
        page.generate()
        wait_idle(qtbot, window)
        path = page.keep()
        assert path is not None
        return path

    kept = inpaint_and_keep()
    assert read_png_meta(kept)["style"] == "light"
    # a short name that says what the PNG says: model, style, seed (no source name, no method)
    assert kept.name.endswith("-tiny-light-0000000321-inpaint.png") and "x-light-5" not in kept.name
    assert page._file_name(page.chosen(), stamped=False) == "tiny-light-0000000321-inpaint.png"

    page.style_combo.setCurrentIndex(page.style_combo.findData("dark"))  # the painter's choice wins
    kept = inpaint_and_keep()
    assert read_png_meta(kept)["style"] == "dark" and kept.name.endswith("-tiny-dark-0000000321-inpaint.png")

    # an image without settings starts with the side panel's style
    plain = gallery_dir().parent / "plain.png"
    painting(20, 20).save(plain)
    window.model_panel.set_style("light")
    page.open_path(plain)
    qtbot.waitUntil(lambda: page.painting_name == "plain", timeout=WAIT_MS)
    assert page.current_style() == "light" and page.painting_style is None
