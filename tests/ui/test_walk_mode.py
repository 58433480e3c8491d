# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""The Walk tab, driven as a user would: a tiny real model renders the walk on the inference thread."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from windowkit import WAIT_MS, make_window, record_events, tiny_bundled, wait_idle  # noqa: F401

from studio.api import JobKind, WalkRequest, parse_seeds


def walk_setup(window, seeds: str = "3, 4", frames: int = 3, steps: int = 2):  # type: ignore[no-untyped-def]
    page = window.walk_page
    window.modes.setCurrentWidget(page)
    page.seeds_edit.setText(seeds)
    page.frames_spin.setValue(frames)
    page.steps_spin.setValue(steps)
    page.sampler_combo.setCurrentText("ddim")
    page.loop_check.setChecked(False)
    return page


def cancel_at_first_progress(window, job_of):  # type: ignore[no-untyped-def]
    """Cancel on the worker thread the moment the job first reports progress (deterministic, no race)."""

    def on_posted(ev) -> None:  # type: ignore[no-untyped-def]
        job = job_of()
        if job is not None and ev.job_id == job.id and ev.kind == "progress":
            window.runner.cancel_current()

    window.runner._posted.connect(on_posted, Qt.ConnectionType.DirectConnection)
    return on_posted


def test_frame_count_is_the_engines_plan() -> None:
    from studio.engine import walk

    for seeds, frames, loop, style_walk in [
        ((1, 2, 3), 12, True, None),
        ((1, 2, 3), 12, False, None),
        ((5,), 4, False, ("light", "dark")),
        ((5,), 4, True, ("light", "dark")),
        ((1, 2), 1, False, None),
    ]:
        s = WalkRequest(keyframes=seeds, frames=frames, loop=loop, style_walk=style_walk)
        assert s.total_frames() == len(walk.walk_plan(s))
    assert parse_seeds("7, 8 9，10") == (7, 8, 9, 10)


def test_walk_renders_plays_and_scrubs(qtbot, make_window) -> None:
    window = make_window()
    events = record_events(window)
    page = walk_setup(window, "3, 4, 5", frames=3)
    assert "7 frames" in page.count_label.text()
    job = page.start_render()
    assert job is not None and not page.render_button.isEnabled()
    wait_idle(qtbot, window)
    kinds = [e.kind for e in events if e.job_id == job.id]
    assert kinds[0] == "started" and kinds[-1] == "finished", kinds
    # every frame travelled in its job's events (WALK, the frame's index) and showed up as a preview in
    # the tab; the window routed them by kind, so the Paint tab's canvas was left alone
    frames = [e for e in events if e.job_id == job.id and e.image is not None]
    assert {e.job_kind for e in frames} == {JobKind.WALK} and sorted(e.meta["frame"] for e in frames) == list(range(7))
    assert page.previews_shown >= 1
    assert not window.canvas.has_image()

    # (3 keyframes - 1) * 3 + 1 frames, each a 16 px painting, shown and playing in the tab
    assert len(page.frames) == 7 and {f.size for f in page.frames} == {(16, 16)}
    assert "Smoothness" in page.smooth_label.text() and page.result.smoothness_ratio >= 1.0
    assert page.slider.maximum() == 6 and page.export_button.isEnabled()

    # frame 0 is the painting `generate --seed 3` makes with the same sampler and steps
    from studio.engine.paint import PaintRequest, paint_series
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    record = resolve("tiny")
    model = load_checkpoint(record.path)
    style = window.model_panel.current_style()
    (p,) = paint_series(model, record, PaintRequest(seed=3, style=style, sampler="ddim", steps=2))
    assert np.array_equal(np.asarray(page.frames[0]), np.asarray(p.image))

    # it plays: the shown frame advances on the timer
    assert page.playing
    start = page.shown_index
    qtbot.waitUntil(lambda: page.shown_index != start, timeout=5000)
    # Space pauses; the slider scrubs to a frame
    page.canvas.setFocus()
    qtbot.keyClick(page.canvas, Qt.Key.Key_Space)
    assert not page.playing and not page.play_button.isChecked()
    page.slider.setValue(4)
    assert page.shown_index == 4 and page.frame_label.text() == "5 / 7"
    qtbot.wait(300)
    assert page.shown_index == 4  # paused stays put
    qtbot.keyClick(page.canvas, Qt.Key.Key_Space)
    assert page.playing


def test_style_walk_and_bad_seeds(qtbot, make_window) -> None:
    window = make_window()
    page = walk_setup(window, "11", frames=2)
    assert "Give two seeds" in page.count_label.text()
    assert page.start_render() is None and "two seeds" in page.message_text
    page.seeds_edit.setText("1, x")
    assert page.start_render() is None and "'x' is not a seed" in page.message_text
    page.seeds_edit.setText("11")
    assert page.style_walk_check.isEnabled()  # the tiny model has light and dark
    page.style_walk_check.setChecked(True)
    assert "3 frames" in page.count_label.text()
    page.start_render()
    wait_idle(qtbot, window)
    # one seed morphs from light to dark: the ends are that seed painted in each style
    from studio.engine.paint import PaintRequest, paint_series
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    record = resolve("tiny")
    model = load_checkpoint(record.path)
    assert len(page.frames) == 3
    for style, frame in (("light", page.frames[0]), ("dark", page.frames[-1])):
        (p,) = paint_series(model, record, PaintRequest(seed=11, style=style, sampler="ddim", steps=2))
        assert np.array_equal(np.asarray(frame), np.asarray(p.image))


def test_gallery_paintings_become_keyframes(qtbot, make_window) -> None:
    from windowkit import set_job

    window = make_window()
    set_job(window, seed=40, count=2, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    page = window.walk_page
    assert page.pick_list.count() == 2
    assert "seed 40" in page.pick_list.item(0).text()
    page.seeds_edit.setText("")
    page.pick_list.selectAll()
    page.add_selected()
    assert page.seeds_edit.text() == "40, 41"


def test_cancel_render_and_export_leave_nothing(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    page = walk_setup(window, "1, 2", frames=4)
    hook = cancel_at_first_progress(window, lambda: page.render_job)
    page.start_render()
    wait_idle(qtbot, window)
    assert page.frames == [] and "cancelled" in page.message_text.lower() and page.progress.format() == "Cancelled"
    assert page.render_button.isEnabled() and not page.export_button.isEnabled()

    window.runner._posted.disconnect(hook)
    page.start_render()
    wait_idle(qtbot, window)
    assert len(page.frames) == 5

    # a good export: the GIF reads back with every frame, upscaled
    from studio.engine.animation import read_frame_count

    out = tmp_path / "walk.gif"
    page.upscale_combo.setCurrentIndex(1)
    page.export_to(out)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert read_frame_count(out) == (5, (32, 32))
    # MP4 (H.264) and a folder of PNG frames with the walk's settings beside them
    for target, size in ((tmp_path / "walk.mp4", (32, 32)), (tmp_path / "pngs", (32, 32))):
        page.last_export = None
        page.export_to(target)
        qtbot.waitUntil(lambda: page.last_export is not None, timeout=WAIT_MS)
        wait_idle(qtbot, window)
        assert read_frame_count(target) == (5, size)
    walk_json = json.loads((tmp_path / "pngs" / "walk.json").read_text(encoding="utf-8"))
    assert walk_json["model"] == "tiny" and walk_json["frames"] == 5 and walk_json["upscale"] == 2

    # a cancelled export leaves no file, not even a hidden temporary one
    cancel_at_first_progress(window, lambda: page.export_job)
    frames_dir = tmp_path / "frames"
    page.export_to(frames_dir)
    qtbot.waitUntil(lambda: "Export cancelled" in page.message_text, timeout=WAIT_MS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pngs", "walk.gif", "walk.mp4"]

    # a bad target is one line, before anything is queued
    page.export_to(tmp_path / "walk.bmp")
    qtbot.waitUntil(lambda: "Cannot export" in page.message_text, timeout=WAIT_MS)
    assert "\n" not in page.message_text and ".gif" in page.message_text
    assert page.export_job is None


def test_export_dialog_choice_sets_the_format(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from studio.engine.animation import read_frame_count

    window = make_window()
    page = walk_setup(window, "1, 2", frames=2)
    page.start_render()
    wait_idle(qtbot, window)
    # no suffix typed: the chosen type adds it; a PNG folder drops the suffix typed
    answers = [
        (str(tmp_path / "anim"), "WebP animation (*.webp)"),
        (str(tmp_path / "frames.gif"), "PNG frames in a new folder (*)"),
    ]
    for answer in answers:
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, answer=answer, **k: answer))
        page.last_export = None
        page.export_dialog()  # the user picked a name and a type in the file dialog
        qtbot.waitUntil(lambda: page.last_export is not None, timeout=WAIT_MS)
        wait_idle(qtbot, window)
    assert page.last_export == str(tmp_path / "frames")
    assert read_frame_count(tmp_path / "anim.webp") == (3, (16, 16)) and read_frame_count(tmp_path / "frames") == (3, (16, 16))
    assert window.settings.output_dir == str(tmp_path)  # the next Export… starts there


def test_gan_walk(qtbot, make_window, tiny_bundled: Path) -> None:
    from conftest import save_tiny_gan

    save_tiny_gan(tiny_bundled / "tiny-gan.safetensors")
    window = make_window()
    assert window.model_panel.select("tiny-gan")
    page = walk_setup(window, "1, 2, 3", frames=2)
    assert not page.sampler_combo.isEnabled() and not page.steps_spin.isEnabled()  # a GAN paints in one pass
    page.loop_check.setChecked(True)
    page.start_render()
    wait_idle(qtbot, window)
    assert len(page.frames) == 6 and page.result.meta["kind"] == "gan" and page.result.meta["loop"]


def test_language_switch_retitles_the_tab(qtbot, make_window) -> None:
    window = make_window()
    page = window.walk_page
    index = window.modes.indexOf(page)
    assert window.modes.tabText(index) == "Walk"
    assert page.render_button.text() == "Render walk" and page.progress.text() == "Ready"
    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: window.modes.tabText(index) == "漫游", timeout=5000)  # LanguageChange is posted
        assert page.progress.text() == "就绪" and page.loop_check.text() == "循环回到起点"
        assert page.render_button.text() == "渲染漫游"
        assert window.series_actions.act_export.text() == "导出系列…"
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: window.modes.tabText(index) == "Walk", timeout=5000)
    assert page.render_button.text() == "Render walk"
    assert window.series_actions.act_export.text() == "Export series…"


def test_frames_appear_while_the_walk_is_still_rendering(qtbot, make_window) -> None:
    window = make_window()
    page = walk_setup(window, "3, 4", frames=4, steps=3)  # 5 frames: fewer than one batch of the engine
    seen = []  # (frames shown so far, step, total, progress text) at each of the render's progress events
    window.runner.event.connect(
        lambda ev: page.render_job is not None and ev.job_id == page.render_job.id and ev.kind == "progress"
        and seen.append((page.previews_shown, ev.step, ev.total, page.progress.format(), page.canvas.caption))
    )
    page.start_render()
    wait_idle(qtbot, window)
    assert len(page.frames) == 5 and seen
    total = seen[-1][2]
    assert total == 15
    # the first frame is on screen while the others are still being painted, not all at the end
    early = [s for s in seen if s[0] >= 1 and s[1] < total]
    assert early and early[0][1] <= 3 + 1, seen
    assert early[0][4] == "rendering · frame 1 of 5"
    # the progress says which frame is being painted, one after another
    texts = [s[3] for s in seen]
    assert "Rendering frame 1 of 5 · step 1/3" in texts and "Rendering frame 5 of 5 · step 2/3" in texts, texts
    assert not any("step 0/" in t for t in texts), texts  # between frames: the next one has no step yet
    assert page.progress.format() == "Rendered 5 frames"


def test_the_walk_banner_follows_the_language(qtbot, make_window) -> None:
    window = make_window()
    page = walk_setup(window, "1, 2", frames=4)
    hook = cancel_at_first_progress(window, lambda: page.render_job)
    page.start_render()
    wait_idle(qtbot, window)
    window.runner._posted.disconnect(hook)
    assert page.message_text == "Walk cancelled." and page.progress.format() == "Cancelled"
    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: page.render_button.text() == "渲染漫游", timeout=5000)
        assert page.message_text == "漫游已取消。" and page.progress.format() == "已取消"
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: page.message_text == "Walk cancelled.", timeout=5000)
