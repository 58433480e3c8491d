# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""Classroom mode driven through the window: filmstrip, forward process, GAN vs diffusion, presentation keys."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from windowkit import WAIT_MS, make_window, set_job, tiny_bundled, wait_idle  # noqa: F401

from studio.engine.pngmeta import read_png_meta


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def paint_one(qtbot, window, seed: int, steps: int = 4) -> Path:  # type: ignore[no-untyped-def]
    set_job(window, seed=seed, count=1, steps=steps, sampler="ddim")
    window.generate()
    wait_idle(qtbot, window)
    return window.gallery.paths()[-1]


def test_classroom_tab_and_presentation_action_are_installed(qtbot, make_window) -> None:
    window = make_window()
    titles = [window.modes.tabText(i) for i in range(window.modes.count())]
    assert "Classroom" in titles
    page = window.classroom
    assert [page.views.tabText(i) for i in range(3)] == ["Denoising filmstrip", "Forward process", "GAN vs diffusion"]
    action = next(a for a in window.view_menu.actions() if a.text() == "Presentation")
    assert action.shortcut().toString() == "F5"

    window.set_language("zh_CN")  # tab, views, action and the presentation's captions follow the app language
    qtbot.waitUntil(lambda: "课堂" in [window.modes.tabText(i) for i in range(window.modes.count())], timeout=5000)
    assert page.views.tabText(0) == "去噪胶片" and action.text() == "演示模式"
    view = page.present()
    assert view.generate_button.text() == "作画 (空格)" and view.caption.text() == "按空格键作画"
    view.leave()
    window.set_language("en")
    qtbot.waitUntil(lambda: view.generate_button.text() == "Paint (Space)", timeout=5000)
    assert page.views.tabText(1) == "Forward process" and view.generate_button.text() == "Paint (Space)"


def test_filmstrip_frames_and_last_frame_is_the_painting(qtbot, make_window) -> None:
    window = make_window()
    painted = paint_one(qtbot, window, seed=31, steps=5)
    window.modes.setCurrentWidget(window.classroom)
    view = window.classroom.filmstrip
    assert view.model.current_record().id == "tiny"
    view.seed.setValue(31)
    view.steps.setValue(5)
    view.every.setValue(2)
    growing = []  # the strip grows while the painting forms, not only at the end
    view.tracker.progress.connect(lambda step, total: growing.append(len(view.rows.rows[0])))
    job = view.run()
    assert job is not None and not view.run_button.isEnabled() and view.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: view.trajectory is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert growing and 0 < max(growing) and min(growing) < 3, growing
    # steps 2, 4 and always the last (5): two rows of three
    assert view.frame_count() == 3
    assert [len(r) for r in view.rows.rows] == [3, 3]
    assert [t.caption for t in view.rows.rows[0]] == ["step 2/5", "step 4/5", "step 5/5"]
    last_x_t = view.rows.rows[0][-1].image
    assert np.array_equal(pixels(last_x_t), pixels(Image.open(painted)))
    assert view.progress.value() == 1000 and view.run_button.isEnabled() and not view.cancel_button.isEnabled()

    # clicking a frame shows it large
    tile = view.rows.rows[1][0]
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert view.large.caption.endswith("step 2/5") and view.large.image_size() == (16, 16)


def test_filmstrip_export_png_and_gif(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    view = window.classroom.filmstrip
    view.seed.setValue(5)
    view.steps.setValue(3)
    view.every.setValue(1)
    view.run()
    qtbot.waitUntil(lambda: view.trajectory is not None, timeout=WAIT_MS)
    done = []
    for name in ("strip.png", "strip.gif"):
        view.export(tmp_path / name, on_done=lambda path, error: done.append((path, error)))
    qtbot.waitUntil(lambda: len(done) == 2, timeout=WAIT_MS)
    assert [e for _, e in done] == [None, None]
    meta = read_png_meta(tmp_path / "strip.png")
    assert meta["frame_steps"] == [1, 2, 3] and meta["seed"] == 5
    with Image.open(tmp_path / "strip.gif") as gif:
        assert gif.n_frames == 3
    assert "Saved" in view.status.text()


def test_filmstrip_can_be_cancelled(qtbot, make_window) -> None:
    window = make_window()
    view = window.classroom.filmstrip
    view.steps.setValue(400)
    view.every.setValue(50)
    view.run()
    qtbot.waitUntil(lambda: window.runner.current is not None and view.progress.value() > 0, timeout=WAIT_MS)
    view.cancel_button.click()
    wait_idle(qtbot, window)
    assert view.trajectory is None and view.status.text() == "Cancelled"
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()


def test_forward_slider_starts_at_the_painting_and_adds_noise(qtbot, make_window) -> None:
    window = make_window()
    painted = paint_one(qtbot, window, seed=8)
    view = window.classroom.forward
    window.modes.setCurrentWidget(window.classroom)
    window.classroom.views.setCurrentWidget(view)
    assert view.use_gallery_painting()
    qtbot.waitUntil(lambda: view.frames is not None, timeout=WAIT_MS)
    frames = view.frames
    # the tiny model's schedule has T = 100: the slider covers t = 0..100
    assert frames.num_train_timesteps == 100 and frames.timesteps == list(range(101))
    assert view.slider.isEnabled() and view.slider.maximum() == 100
    assert view.current_t == 0 and view.plot.t == 0
    assert np.array_equal(pixels(view.current_image()), pixels(Image.open(painted)))
    assert view.t_label.text().startswith("t = 0 / 100")
    # log-SNR falls with t; the image drifts away from the painting as noise is added
    assert all(a > b for a, b in zip(frames.log_snr, frames.log_snr[1:]))
    clean = pixels(frames.frames[0]).astype(float)
    drift = [np.abs(pixels(frames.frames[t]).astype(float) - clean).mean() for t in (1, 50, 100)]
    assert drift[0] < drift[1] < drift[2]
    view.slider.setValue(50)
    assert view.current_t == 50 and view.plot.t == 50 and view.t_label.text().startswith("t = 50 / 100")
    assert view.image.caption == "x_50"
    # the marker sits on the curve at t
    plot = view.plot.plot_rect()
    assert view.plot.point(50, plot).y() > view.plot.point(1, plot).y()


def test_forward_opens_an_image_file_of_another_size(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    view = window.classroom.forward
    source = tmp_path / "big.png"
    Image.new("RGB", (40, 40), (200, 180, 150)).save(source)
    assert view.set_source_file(source)
    qtbot.waitUntil(lambda: view.frames is not None, timeout=WAIT_MS)
    assert view.current_image().size == (16, 16)  # at the model's size
    assert not view.set_source_file(tmp_path / "missing.png") and "Cannot open" in view.status.text()


def test_gan_and_diffusion_side_by_side(qtbot, make_window, tiny_bundled: Path) -> None:
    from conftest import save_tiny_gan

    save_tiny_gan(tiny_bundled / "gan.safetensors")
    window = make_window()
    view = window.classroom.compare
    window.modes.setCurrentWidget(window.classroom)
    assert view.gan.current_record().id == "gan" and view.diffusion.current_record().id == "tiny"
    assert view.gan.count() == 1 and view.diffusion.count() == 1  # only the kinds that fit
    assert window.model_panel.select("tiny")
    window.model_panel.set_style("dark")
    window.sampling_panel.steps.setValue(3)
    view.count.setValue(3)
    view.seed.setValue(40)
    view.run()
    qtbot.waitUntil(lambda: view.result is not None, timeout=WAIT_MS)
    assert [len(r) for r in view.rows.rows] == [3, 3]
    assert [t.caption for t in view.rows.rows[0]] == ["seed 40", "seed 41", "seed 42"]
    gan_text, diff_text = (label.text() for label in view.rows.row_labels)
    assert gan_text.startswith("GAN: gan") and diff_text.startswith("Diffusion: tiny")
    assert " s" in gan_text and view.result.gan.seconds > 0 and view.result.diffusion.seconds > 0
    # the diffusion row is what the studio paints for those seeds
    set_job(window, seed=40, count=3, steps=3, sampler=window.sampling_panel.sampler.currentText())
    window.generate()
    wait_idle(qtbot, window)
    paths = window.gallery.paths()
    assert [read_png_meta(p)["model"] for p in paths] == ["tiny"] * 3 and len(paths) == 3
    for tile, path in zip(view.rows.rows[1], paths):
        assert np.array_equal(pixels(tile.image), pixels(Image.open(path)))


def test_presentation_keys(qtbot, make_window) -> None:
    window = make_window()
    set_job(window, seed=70, count=1, steps=3)
    window.sampling_panel.lock.setChecked(False)  # every Space rolls a new seed, as in class
    window.act_generate.trigger()
    wait_idle(qtbot, window)
    window.act_generate.trigger()
    wait_idle(qtbot, window)
    action = next(a for a in window.view_menu.actions() if a.text() == "Presentation")
    action.trigger()
    view = window.classroom.presentation
    assert view.isVisible() and view.isFullScreen()
    assert len(view.history) == 2 and view.index == 1  # the selected painting is the newest
    assert view.canvas.has_image()

    previews = []
    window.runner.event.connect(
        lambda ev: ev.kind == "progress" and ev.image is not None and ev.step < ev.total and previews.append(
            (view.canvas.is_preview, view.caption.text()))
    )
    qtbot.keyClick(view, Qt.Key.Key_Space)  # generate with the window's settings
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(view.history) == 3, timeout=WAIT_MS)
    assert view.index == 2 and view.current_path() == window.gallery.paths()[-1]
    assert previews and previews[0] == (True, "painting… step 1 of 3")  # the class watches it form
    assert not view.canvas.is_preview
    seed = read_png_meta(view.current_path())["seed"]
    assert f"seed {seed}" in view.caption.text() and "3 / 3" in view.caption.text()

    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.index == 1 and "2 / 3" in view.caption.text()
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Left)  # stops at the first
    assert view.index == 0
    shown = pixels(Image.open(view.current_path()))
    assert view.canvas.image_size() == shown.shape[1::-1]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.index == 1

    qtbot.keyClick(view, Qt.Key.Key_F11)
    assert not view.isVisible()
    window.classroom.present()
    assert view.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_noise_it_plays_the_painting_into_noise(qtbot, make_window) -> None:
    window = make_window()
    painted = paint_one(qtbot, window, seed=9)
    view = window.classroom.forward
    window.modes.setCurrentWidget(window.classroom)
    window.classroom.views.setCurrentWidget(view)
    assert view.use_gallery_painting()
    qtbot.waitUntil(lambda: view.frames is not None and not view.tracker.running, timeout=WAIT_MS)
    assert view.current_t == 0 and np.array_equal(pixels(view.current_image()), pixels(Image.open(painted)))
    view.noise_timer.setInterval(1)
    view.run_button.click()  # "Noise it": something must visibly happen
    assert view.noising
    qtbot.waitUntil(lambda: not view.noising, timeout=WAIT_MS)
    assert view.current_t == 100 and view.plot.t == 100 and view.image.caption == "x_100"
    clean = pixels(Image.open(painted)).astype(float)
    assert np.abs(pixels(view.current_image()).astype(float) - clean).mean() > 20  # pure noise, not the painting
    # pressed again at the end it plays from the clean painting once more; dragging the slider stops it
    view.noise_timer.setInterval(50)
    view.run_button.click()
    assert view.noising and view.current_t <= 1
    view.slider.sliderPressed.emit()
    assert not view.noising


def test_compare_forgets_the_last_run_and_labels_fit(qtbot, make_window, tiny_bundled: Path) -> None:
    from conftest import save_tiny_diffusion, save_tiny_gan
    from PySide6.QtWidgets import QApplication, QScrollArea

    save_tiny_gan(tiny_bundled / "gan.safetensors")
    save_tiny_diffusion(tiny_bundled / "ink-diffusion-with-a-long-name.safetensors")
    window = make_window()
    window.resize(1100, 820)  # a laptop's window
    view = window.classroom.compare
    window.modes.setCurrentWidget(window.classroom)
    window.classroom.views.setCurrentWidget(view)
    assert view.diffusion.select("ink-diffusion-with-a-long-name")
    window.sampling_panel.steps.setValue(2)
    view.count.setValue(1)
    view.run()
    qtbot.waitUntil(lambda: view.result is not None, timeout=WAIT_MS)
    first = view.result
    # every row label is shown whole: as wide and as tall as its text needs
    QApplication.processEvents()
    assert "ink-diffusion-with-a-long-name" in view.rows.row_labels[1].text()
    for label in view.rows.row_labels:
        assert label.width() >= label.sizeHint().width() and label.height() >= label.sizeHint().height(), label.text()
    # and both rows are in view, the diffusion row too, not cut off below the GAN's
    qtbot.waitUntil(lambda: view.scroll.viewport().height() >= view.rows.sizeHint().height(), timeout=5000)
    # the controls fit the window: the tab does not scroll sideways (which cut off the GAN row's label)
    outer = window.classroom.findChild(QScrollArea)
    assert outer.widget() is window.classroom.views and not outer.horizontalScrollBar().isVisible()

    at_start = []
    tracker_job = []
    window.runner.event.connect(
        lambda ev: tracker_job and ev.job_id == tracker_job[0] and ev.kind == "started"
        and at_start.append((view.result, len(view.rows.rows), view.status.text()))
    )
    window.sampling_panel.steps.setValue(3)
    job = view.run()
    tracker_job.append(job.id)
    window.sampling_panel.steps.setValue(9)  # changed while it paints: the run used 3
    qtbot.waitUntil(lambda: view.result is not None, timeout=WAIT_MS)
    # while the new run painted, the last run's paintings and wall times were gone
    assert at_start and at_start[0][0] is None and at_start[0][1] == 0
    assert "2 steps" not in at_start[0][2] and first is not view.result
    assert "takes 3 steps" in view.status.text()


def test_presentation_opens_on_the_newest_and_answers_space_at_once(qtbot, make_window) -> None:
    window = make_window()
    for seed in (50, 51):
        paint_one(qtbot, window, seed=seed, steps=2)
    window.gallery.setCurrentRow(0)  # the oldest is selected in the gallery
    view = window.classroom.present()
    assert view.index == 1 and view.current_path() == window.gallery.paths()[-1]
    assert "seed 51" in view.caption.text()
    set_job(window, seed=52, count=1, steps=3)
    view.generate()
    # before any event from the painter arrives, the class sees that painting has begun
    assert view.bar.isVisible() and "painting seed 52" in view.caption.text(), view.caption.text()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(view.history) == 3, timeout=WAIT_MS)
    assert not view.bar.isVisible() and "seed 52" in view.caption.text()
    view.leave()
