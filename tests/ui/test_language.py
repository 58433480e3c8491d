# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""After View → Language → 简体中文 no English is left on screen: every tab, banner, caption and result.

The window is first driven through what leaves text behind (a painting on the canvas, a cancelled
run's banner, a walk, a filmstrip, the forward process, GAN vs diffusion, an inpaint candidate, the
presentation), then the language is switched and every visible widget's text is read.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenuBar,
    QProgressBar,
    QTabWidget,
    QWidget,
)
from windowkit import WAIT_MS, make_window, set_job, tiny_bundled, wait_idle  # noqa: F401

from studio.ui.canvas import CanvasView
from studio.ui.modes.classroom_widgets import ImageTile, SnrPlot
from studio.ui.modes.maskcanvas import MaskCanvas

# what may stay in Latin letters in Chinese: units, acronyms, keys, symbols of the maths
KEEP = {
    "px", "fps", "MB", "GPU", "CPU", "GAN", "PNG", "GIF", "MP", "WebP", "SNR", "ln", "x_t", "x0", "Ctrl", "Esc",
    "Ink", "Studio",  # the app's name beside 水墨工作室
}
WORD = re.compile(r"[A-Za-z][A-Za-z_]*[A-Za-z0-9]|[A-Za-z]{2,}")


def english_words(text: str, names: set[str]) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)  # rich text tags
    text = re.sub(r"\S*[/\\]\S*|\S+\.(png|gif|mp4|webp|safetensors)\b", " ", text)  # paths and file names are names
    words = WORD.findall(text)
    maths_and_keys = re.compile(r"x_?\d+|F\d+")  # x_40 (x at t = 40), F5, F11
    return [w for w in words if w not in KEEP and w.lower() not in names and len(w) > 1 and not maths_and_keys.fullmatch(w)]


def widget_texts(w: QWidget) -> list[str]:
    out: list[str] = []
    if isinstance(w, QLabel):
        out.append(w.text())
    elif isinstance(w, QAbstractButton):
        out.append(w.text())
    elif isinstance(w, QProgressBar) and w.isTextVisible():
        out.append(w.text())
    elif isinstance(w, QComboBox):
        out.append(w.currentText())
    elif isinstance(w, QLineEdit):
        out += [w.text(), w.placeholderText()]
    elif isinstance(w, QListWidget):
        out += [w.item(i).text() for i in range(w.count())]
    elif isinstance(w, QMenuBar):
        out += [a.text() for a in w.actions()]
    elif isinstance(w, (CanvasView, MaskCanvas)):
        out += [w.caption, w.placeholder if not w.has_image() else ""]
    elif isinstance(w, SnrPlot):
        out += [w.title, w.x_label]
    elif isinstance(w, ImageTile):
        out.append(w.caption)
    if isinstance(w, QGroupBox):
        out.append(w.title())
    if isinstance(w, QTabWidget):
        out += [w.tabText(i) for i in range(w.count())]
    if isinstance(w, QDockWidget) and w.titleBarWidget() is None:
        out.append(w.windowTitle())
    if isinstance(w, QMainWindow):
        out += [w.windowTitle(), w.statusBar().currentMessage()]
    return [t for t in out if t]


def english_on_screen(top: QWidget, names: set[str]) -> list[tuple[str, str]]:
    found = []
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        for text in widget_texts(w):
            words = english_words(text, names)
            if words:
                found.append((type(w).__name__, text))
    return found


def test_no_english_is_left_after_switching_to_chinese(qtbot, make_window, tiny_bundled: Path) -> None:
    from conftest import save_tiny_gan

    save_tiny_gan(tiny_bundled / "gan.safetensors")
    window = make_window()
    assert window.model_panel.select("tiny")

    # Paint: a painting on the canvas, then a run cancelled at its first step (its banner stays up)
    set_job(window, seed=3, count=1, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    window.show_painting(window.gallery.paths()[-1])
    assert "seed 3" in window.canvas.caption
    set_job(window, seed=4, count=2, steps=30)

    def cancel_first_step(ev) -> None:  # type: ignore[no-untyped-def]
        if ev.kind == "progress" and ev.step >= 1:
            window.runner.cancel_current()

    window.runner._posted.connect(cancel_first_step, Qt.ConnectionType.DirectConnection)
    window.generate()
    wait_idle(qtbot, window)
    window.runner._posted.disconnect(cancel_first_step)
    assert window.message_bar.text.startswith("Cancelled.")

    # Walk: rendered, then a failed render leaves its banner
    walk = window.walk_page
    walk.seeds_edit.setText("3, 4")
    walk.frames_spin.setValue(2)
    walk.steps_spin.setValue(2)
    walk.start_render()
    wait_idle(qtbot, window)
    assert walk.frames and "Smoothness" in walk.smooth_label.text()
    walk.seeds_edit.setText("5")
    walk.start_render()  # one seed: a one-line error in the banner
    assert walk.message_text

    # Classroom: filmstrip, forward process, GAN vs diffusion
    room = window.classroom
    room.filmstrip.steps.setValue(2)
    room.filmstrip.every.setValue(1)
    room.filmstrip.run()
    qtbot.waitUntil(lambda: room.filmstrip.trajectory is not None, timeout=WAIT_MS)
    assert room.forward.use_gallery_painting()
    qtbot.waitUntil(lambda: room.forward.frames is not None, timeout=WAIT_MS)
    room.forward.slider.setValue(40)
    window.sampling_panel.steps.setValue(2)
    room.compare.count.setValue(1)
    room.compare.run()
    qtbot.waitUntil(lambda: room.compare.result is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)

    # Inpaint: a painting opened, a candidate made
    page = window.inpaint_page
    page.open_path(window.gallery.paths()[0])
    qtbot.waitUntil(lambda: page.painting is not None, timeout=WAIT_MS)
    page.set_tool("rect")
    page.canvas.stroke([(2, 2), (9, 9)])
    page.steps.setValue(2)
    page.jumps.setValue(1)
    page.count.setValue(1)
    page.generate()
    wait_idle(qtbot, window)
    assert page.candidates

    names = {"tiny", "gan", "diffusion", "ddim", "dpm", "unipc", "euler", "repaint", "blend", "invert"}
    names |= {w.lower() for r in window.model_panel.records() for w in WORD.findall(f"{r.id} {r.name}")}
    names |= {w.lower() for w in WORD.findall(window.device_label_text)}

    def screens() -> list[tuple[str, list[tuple[str, str]]]]:
        """Every tab (and the classroom's three views) in turn, as the user would look at them."""
        seen = []
        for i in range(window.modes.count()):
            window.modes.setCurrentIndex(i)
            views = room.views if window.modes.currentWidget() is room else None
            for k in range(views.count() if views is not None else 1):
                if views is not None:
                    views.setCurrentIndex(k)
                QApplication.processEvents()
                seen.append((f"{window.modes.tabText(i)}/{k}", english_on_screen(window, names)))
        presentation = room.present()
        QApplication.processEvents()
        seen.append(("presentation", english_on_screen(presentation, names)))
        presentation.leave()
        return seen

    # the check can see English: before the switch every screen has some
    assert all(found for _, found in screens())

    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: window.modes.tabText(0) == "作画", timeout=5000)  # LanguageChange is posted
        QApplication.processEvents()
        left = [(where, found) for where, found in screens() if found]
        assert not left, "\n".join(f"{where}: {kind}: {text!r}" for where, found in left for kind, text in found)
        window.modes.setCurrentIndex(0)
        assert window.message_bar.text.startswith("已取消") and window.canvas.caption.startswith("种子 3")
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: window.canvas.caption.startswith("seed 3"), timeout=5000)
    assert window.modes.tabText(0) == "Paint" and window.message_bar.text.startswith("Cancelled.")
