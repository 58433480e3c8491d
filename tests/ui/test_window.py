# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""The studio window, driven as a user would, with a tiny real model painting on the worker thread."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import save_tiny_diffusion, tiny_unet_config
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from windowkit import WAIT_MS, make_window, record_events, set_job, tiny_bundled, wait_idle  # noqa: F401

from studio.api import JobKind
from studio.engine.pngmeta import read_png_meta
from studio.ui.gallery import gallery_dir


def test_generate_shows_painting_and_saves_it_at_once(qtbot, make_window) -> None:
    window = make_window()
    events = record_events(window)
    assert [r.id for r in window.model_panel.records()] == ["tiny"]
    set_job(window, seed=123, count=2, steps=5)
    window.model_panel.set_style("dark")

    on_disk_when_announced = []
    window.runner.event.connect(lambda ev: ev.kind == "painting" and on_disk_when_announced.append(Path(ev.path).is_file()))
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Generate (Ctrl+Enter)
    wait_idle(qtbot, window)

    kinds = [e.kind for e in events if e.job_id]
    assert kinds[0] == "started" and kinds[-1] == "finished", kinds
    # the canvas shows the finished pair side by side (two 16 px paintings enlarged to 256 px, an 8 px gap), not a preview
    assert window.canvas.has_image() and not window.canvas.is_preview
    assert window.canvas.image_size() == (520, 256)
    # each painting was on disk in the gallery folder before the window heard of it
    assert on_disk_when_announced == [True, True]
    assert window.gallery.seeds() == [123, 124]
    files = sorted(gallery_dir().glob("*.png"))
    assert len(files) == 2
    metas = [read_png_meta(f) for f in files]
    assert [m["seed"] for m in metas] == [123, 124]
    assert {m["style"] for m in metas} == {"dark"} and {m["sampler"] for m in metas} == {"ddim"}

    # the window paints exactly what the engine paints for that seed (the reproducibility contract)
    from studio.engine.paint import PaintRequest, paint_series
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    record = resolve("tiny")
    model = load_checkpoint(record.path)
    direct = paint_series(model, record, PaintRequest(seed=123, count=2, style="dark", sampler="ddim", steps=5))
    for painting, file in zip(direct, files):
        assert np.array_equal(np.asarray(painting.image), np.asarray(Image.open(file)))
    assert "Done" in window.progress.format()
    assert window.device_status.text() == "Device: CPU"
    assert window.model_status.text() == "Model: tiny"
    assert window.memory_status.text().startswith("Memory: ")


def test_live_preview_at_every_step(qtbot, make_window) -> None:
    window = make_window()
    events = record_events(window)
    set_job(window, seed=7, count=1, steps=6)
    previews = []
    window.runner.event.connect(
        lambda ev: (
            ev.kind == "progress" and ev.image is not None and previews.append((ev.step, window.canvas.is_preview, ev.image.size))
        )
    )
    window.generate()
    wait_idle(qtbot, window)
    steps = [s for s, _, _ in previews]
    assert steps[:6] == [1, 2, 3, 4, 5, 6]
    assert all(size == (16, 16) for _, _, size in previews)
    # previews are images (PIL), never tensors, and progress moved monotonically to the end
    fractions = [e.fraction for e in events if e.kind == "progress"]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert all(not hasattr(e.image, "dtype") for e in events if e.image is not None)


def test_cancel_stops_within_one_step_and_keeps_finished_paintings(qtbot, make_window) -> None:
    window = make_window()
    events = record_events(window)
    # count 5 paints a batch of four, then one more: cancel early in the second batch
    set_job(window, seed=1, count=5, steps=40, sampler="ddim")
    worker = window.runner._worker
    forward = worker.emit
    lock = threading.Lock()
    seen = {"step": 0, "batch": 0, "after_cancel": 0}

    def spy(ev):  # type: ignore[no-untyped-def]
        with lock:
            if ev.kind == "progress" and ev.total:
                seen["step"], seen["batch"] = ev.step, ev.done
                if window.runner._cancel is not None and window.runner._cancel.cancelled:
                    seen["after_cancel"] += 1
        forward(ev)

    worker.emit = spy
    window.generate()
    qtbot.waitUntil(lambda: seen["batch"] == 4 and 3 <= seen["step"] < 40, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    assert events[-1].kind == "cancelled"
    assert seen["after_cancel"] <= 1, "the sampler ran on after cancel"
    assert seen["step"] < 40
    # the first batch of four was finished and kept; nothing partial was written
    assert window.gallery.seeds() == [1, 2, 3, 4]
    assert sorted(p.name for p in gallery_dir().iterdir() if p.name.startswith(".")) == []
    assert "Cancelled" in window.message_bar.text
    assert not window.cancel_button.isEnabled()


def test_queue_runs_in_order_and_a_pending_job_can_be_removed(qtbot, make_window) -> None:
    window = make_window()
    events = record_events(window)
    jobs = []
    for seed, steps in ((10, 90), (20, 4), (30, 4)):
        set_job(window, seed=seed, steps=steps)
        jobs.append(window.generate())
    assert window.queue_panel.job_ids() == [jobs[1].id, jobs[2].id]
    # remove the middle job through the panel (select it, press Remove)
    window.queue_panel.list.item(0).setSelected(True)
    qtbot.mouseClick(window.queue_panel.remove, Qt.MouseButton.LeftButton)
    assert window.queue_panel.job_ids() == [jobs[2].id]
    wait_idle(qtbot, window)
    started = [e.job_id for e in events if e.kind == "started"]
    finished = [e.job_id for e in events if e.kind == "finished"]
    assert started == finished == [jobs[0].id, jobs[2].id], [
        (e.kind, e.job_id, e.message) for e in events if e.kind != "progress"
    ]
    assert window.gallery.seeds() == [10, 30]
    assert window.queue_panel.job_ids() == []


def test_gallery_and_settings_survive_a_restart(qtbot, make_window) -> None:
    window = make_window()
    set_job(window, seed=42, count=2, steps=3)
    window.model_panel.set_style("dark")
    window.generate()
    wait_idle(qtbot, window)
    paths = window.gallery.paths()
    window.set_theme("dark")
    window.resize(760, 560)
    window.close()

    again = make_window()
    assert again.gallery.paths() == paths
    assert again.gallery.seeds() == [42, 43]
    assert again.sampling_panel.steps.value() == 3
    assert again.sampling_panel.seed() == 42 and again.sampling_panel.locked
    assert again.sampling_panel.sampler.currentText() == "ddim"
    assert again.model_panel.current_style() == "dark"
    assert again.settings.theme == "dark" and again.theme_actions["dark"].isChecked()
    assert (again.width(), again.height()) == (760, 560)


def test_gallery_menu_actions(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    set_job(window, seed=5, count=2, steps=3)
    window.generate()
    wait_idle(qtbot, window)
    first, second = window.gallery.paths()

    saved = window.save_painting(first, tmp_path / "export" / "mine")
    assert saved == tmp_path / "export" / "mine.png"
    assert read_png_meta(saved)["seed"] == 5
    assert np.array_equal(np.asarray(Image.open(saved)), np.asarray(Image.open(first)))
    assert window.settings.output_dir == str(tmp_path / "export")

    window.copy_seed(second)
    assert QApplication.clipboard().text() == "6"

    window.sampling_panel.lock.setChecked(False)
    window.sampling_panel.steps.setValue(9)
    window.reuse_settings(second)
    assert window.sampling_panel.seed() == 6 and window.sampling_panel.locked
    assert window.sampling_panel.steps.value() == 3 and window.sampling_panel.count.value() == 1

    window.delete_painting(first)
    assert not first.exists() and window.gallery.paths() == [second]

    # an export that cannot be written is a message in the window, not a crash
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert window.save_painting(second, blocker / "sub" / "x.png") is None
    assert window.message_bar.level == "error" and "Export failed" in window.message_bar.text

    # clicking a thumbnail shows that painting alone on the canvas
    rect = window.gallery.visualItemRect(window.gallery.item(0))
    qtbot.mouseClick(window.gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.canvas.image_size() == (16, 16) and window.canvas.caption == "seed 6 · light"  # as its thumbnail


def test_language_switch_changes_visible_strings(qtbot, make_window) -> None:
    window = make_window()
    assert window.sampling_panel.generate.text() == "Generate"
    window.model_panel.set_style("dark")
    set_job(window, seed=4, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    assert window.gallery.item(0).text() == "seed 4 · dark"  # light and dark paintings of one seed are told apart
    window.set_language("zh_CN")
    qtbot.waitUntil(lambda: window.sampling_panel.generate.text() == "生成", timeout=WAIT_MS)
    assert window.file_menu.title() == "文件(&F)"
    assert window.model_panel.title() == "模型"
    assert window.model_panel._style_buttons["light"].text() == "淡墨"
    assert window.device_status.text().startswith("设备：")
    assert window.gallery.item(0).text() == "种子 4 · 浓墨"
    assert window.settings.language == "zh_CN"
    window.set_language("en")
    qtbot.waitUntil(lambda: window.sampling_panel.generate.text() == "Generate", timeout=WAIT_MS)
    assert window.model_panel._style_buttons["light"].text() == "淡墨 light ink"


def test_default_language_follows_the_system_locale(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = "from studio.ui.i18n import effective_language; print(effective_language(''))"
    for lang, expected in (("zh_CN.UTF-8", "zh_CN"), ("en_GB.UTF-8", "en")):
        env = {**os.environ, "LANG": lang, "LC_ALL": lang, "LANGUAGE": "", "QT_QPA_PLATFORM": "offscreen"}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        assert out.stdout.strip() == expected, out.stderr


def test_bad_checkpoint_gives_a_message_and_the_window_keeps_working(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    garbage = tmp_path / "broken.safetensors"
    garbage.write_bytes(b"this is not a checkpoint at all")
    window.open_dropped(garbage)
    qtbot.waitUntil(lambda: window.message_bar.level == "error", timeout=WAIT_MS)
    assert "cannot be opened" in window.message_bar.text and "broken.safetensors" in window.message_bar.text

    # a checkpoint whose header is fine but whose weights do not fit the network fails when painting
    from diffusers import UNet2DModel

    from studio.models.inkfile import read_ink_metadata, save_ink_checkpoint

    good = save_tiny_diffusion(tmp_path / "good.safetensors")
    meta = read_ink_metadata(good)
    wrong = UNet2DModel(**{**tiny_unet_config(), "block_out_channels": (4, 8)})
    mismatched = save_ink_checkpoint(
        tmp_path / "mismatched.safetensors",
        wrong.state_dict(),
        {k: v for k, v in meta.items() if k not in ("format", "format_version")},
    )
    window.message_bar.hide()
    window.open_checkpoint(mismatched)
    qtbot.waitUntil(
        lambda: window.model_panel.current_record() is not None and window.model_panel.current_record().id == "mismatched",
        timeout=WAIT_MS,
    )
    events = record_events(window)
    set_job(window, seed=1, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    assert [e.kind for e in events if e.job_id][-1] == "error"
    assert window.message_bar.level == "error" and "Painting failed" in window.message_bar.text

    # the bundled model still paints afterwards
    window.model_panel.select("tiny")
    window.generate()
    wait_idle(qtbot, window)
    assert window.gallery.count() == 1


def test_styles_a_model_lacks_are_disabled(qtbot, make_window, tiny_bundled: Path) -> None:
    save_tiny_diffusion(tiny_bundled / "plain.safetensors", styles=False)
    window = make_window()
    window.model_panel.select("tiny")
    assert window.model_panel.style_enabled("light") and window.model_panel.style_enabled("dark")
    window.model_panel.select("plain")
    assert not window.model_panel.style_enabled("light") and not window.model_panel.style_enabled("dark")
    assert window.model_panel.current_style() is None
    set_job(window, seed=3, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    assert read_png_meta(window.gallery.paths()[0])["model"] == "plain"


def test_the_chosen_style_survives_switching_models(qtbot, make_window, tiny_bundled: Path) -> None:
    save_tiny_diffusion(tiny_bundled / "other.safetensors", seed=1)
    save_tiny_diffusion(tiny_bundled / "plain.safetensors", styles=False)
    window = make_window()
    window.model_panel.select("tiny")
    window.model_panel.set_style("light")
    window.model_panel.set_style("dark")  # the painter's choice, not yet saved to disk
    window.model_panel.select("other")
    assert window.model_panel.current_style() == "dark"
    window.model_panel.select("plain")  # has no styles: none shown meanwhile
    assert window.model_panel.current_style() is None
    window.model_panel.select("tiny")
    assert window.model_panel.current_style() == "dark"


def test_dropping_a_painting_restores_its_settings(qtbot, make_window) -> None:
    window = make_window()
    set_job(window, seed=77, steps=3, sampler="ddim")
    window.generate()
    wait_idle(qtbot, window)
    painting = window.gallery.paths()[0]
    set_job(window, seed=1, steps=10, sampler="dpm++")
    window.sampling_panel.lock.setChecked(False)
    window.canvas.set_image(None)
    window.open_dropped(painting)
    assert window.sampling_panel.seed() == 77 and window.sampling_panel.locked
    assert window.sampling_panel.steps.value() == 3 and window.sampling_panel.sampler.currentText() == "ddim"
    assert window.message_bar.level == "info"
    # and it is painted again, identical pixel for pixel (File → Repaint from PNG's task)
    actions = window.series_actions
    qtbot.waitUntil(lambda: actions.last_repaint is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert actions.last_repaint.identical and actions.last_repaint.seed == 77
    assert window.canvas.has_image() and "identical" in window.message_bar.text


def test_unlocked_seed_rolls_for_every_generate(qtbot, make_window) -> None:
    window = make_window()
    set_job(window, seed=5, steps=2)
    window.sampling_panel.lock.setChecked(False)
    a = window.generate()
    b = window.generate()
    wait_idle(qtbot, window)
    assert a.request.seed != b.request.seed and window.sampling_panel.seed() == b.request.seed


def test_closing_while_painting_stops_the_worker_and_leaves_no_partial_files(qtbot, make_window) -> None:
    window = make_window()
    set_job(window, seed=9, count=2, steps=90)
    window.generate()
    set_job(window, seed=99, count=1, steps=5)
    window.generate()
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=WAIT_MS)
    window.close()  # the fixture then checks that no studio thread is left
    assert window.runner._closed and window.runner.pending() == []
    assert [p.name for p in gallery_dir().iterdir() if p.name.startswith(".")] == []


def test_model_card_shows_what_the_studio_read(qtbot, make_window) -> None:
    from studio.ui.dialogs import ModelCardDialog

    window = make_window()
    window.show_model_card()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ModelCardDialog) and w.isVisible()]
    assert len(dialogs) == 1
    text = dialogs[0].browser.toPlainText()
    record = window.model_panel.current_record()
    assert record.sha256 in text and "light, dark" in text and "16 px" in text
    dialogs[0].close()


def test_inkstudio_without_arguments_opens_the_window_and_exits_cleanly(tiny_bundled: Path) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import sys; from PySide6.QtCore import QTimer; from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(['inkstudio'])\n"
        "def close():\n"
        "    windows = [w for w in app.topLevelWidgets() if w.isVisible()]\n"
        "    print('windows', [w.windowTitle() for w in windows], flush=True)\n"
        "    [w.close() for w in windows]\n"
        "QTimer.singleShot(1500, close)\n"
        "from studio.cli import main\n"
        "sys.exit(main([]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "en_US.UTF-8"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Ink Studio" in out.stdout


def test_dropping_a_checkpoint_adds_it_to_the_catalog(qtbot, make_window, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    window = make_window()
    extra = save_tiny_diffusion(tmp_path / "dropped-model.safetensors", seed=3)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(extra))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.model_panel.current_record().id == "dropped-model", timeout=WAIT_MS)
    assert [r.id for r in window.model_panel.records()] == ["tiny", "dropped-model"]
    window.close()
    again = make_window()  # opened checkpoints stay in the catalog, and the last model stays chosen
    assert again.model_panel.current_record().id == "dropped-model"


def test_other_modes_queue_their_work_on_the_same_inference_thread(qtbot, make_window) -> None:
    window = make_window()
    events = record_events(window)
    threads = []

    def strip(report, cancel, device):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        for k in range(1, 4):
            cancel.raise_if_set()
            report(k, 3, Image.new("RGB", (8, 8), (k * 60, 0, 0)))
        return {"frames": 3, "device": device.label}

    def broken(report, cancel, device):  # type: ignore[no-untyped-def]
        raise ValueError("mask and image differ in size")

    set_job(window, seed=4, steps=3)
    paint = window.generate()
    task = window.runner.submit_task(JobKind.FILMSTRIP, "Filmstrip", strip)
    bad = window.runner.submit_task(JobKind.INPAINT, "Inpaint", broken)
    assert window.queue_panel.list.item(0).text() == f"#{task.id}: Filmstrip"
    wait_idle(qtbot, window)
    finals = [(e.job_id, e.kind) for e in events if e.kind in ("finished", "error", "cancelled")]
    assert finals == [(paint.id, "finished"), (task.id, "finished"), (bad.id, "error")]
    result = next(e for e in events if e.job_id == task.id and e.kind == "finished").meta["result"]
    assert result == {"frames": 3, "device": "CPU"}
    assert threads == [t for t in threads if t.startswith("inkstudio-inference")] and threads
    steps = [e.step for e in events if e.job_id == task.id and e.kind == "progress"]
    assert steps == [1, 2, 3]
    assert window.message_bar.level == "error" and "mask and image differ in size" in window.message_bar.text


def test_a_gan_paints_in_one_pass_with_steps_and_sampler_disabled(qtbot, make_window, tiny_bundled: Path) -> None:
    from conftest import save_tiny_gan

    save_tiny_gan(tiny_bundled / "gan.safetensors")
    window = make_window()
    assert window.model_panel.select("gan")
    sp = window.sampling_panel
    assert not sp.steps.isEnabled() and not sp.sampler.isEnabled() and not sp.eta.isEnabled()
    set_job(window, seed=11, count=3)
    window.model_panel.set_style("light")
    window.generate()
    wait_idle(qtbot, window)
    assert window.gallery.seeds() == [11, 12, 13]
    meta = read_png_meta(window.gallery.paths()[0])
    assert meta["kind"] == "gan" and meta["sampler"] is None and meta["style"] == "light"
    assert window.canvas.has_image() and not window.canvas.is_preview


def test_the_size_chooser_paints_larger_through_the_ink_upscaler_and_remembers_the_choice(
        qtbot, make_window, tiny_bundled: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from test_upscale import save_tiny_upscaler

    from studio.engine import upscale as upscale_module

    window = make_window()
    sp = window.sampling_panel
    # no upscaler installed: the model's own size only
    assert [sp.size.itemData(i) for i in range(sp.size.count())] == [16] and not sp.size.isEnabled()
    window.close()

    save_tiny_upscaler(tiny_bundled / "ink-upscaler.safetensors")
    upscale_module._BUNDLED.clear()
    try:
        window = make_window()
        sp = window.sampling_panel
        assert [sp.size.itemData(i) for i in range(sp.size.count())] == [16, 32, 64, 128, 256]
        assert sp.chosen_size() == 16 and sp.size.isEnabled()
        assert "upscaler" in sp.size.itemText(2) and "own" in sp.size.itemText(0)
        sp.size.setCurrentIndex(2)
        sp.size.activated.emit(2)  # as a click does
        set_job(window, seed=5, count=1, steps=2)
        window.model_panel.set_style("light")
        window.generate()
        wait_idle(qtbot, window)
        (path,) = window.gallery.paths()
        assert Image.open(path).size == (64, 64)
        meta = read_png_meta(path)
        assert meta["size"] == 64 and meta["cascade"]["passes"] == 2 and meta["cascade"]["base_size"] == 16
        window.save_settings()
        window.close()

        again = make_window()  # the choice survives a restart
        assert again.sampling_panel.chosen_size() == 64
    finally:
        upscale_module._BUNDLED.clear()
