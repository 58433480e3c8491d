# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""The gallery: a wrapping grid with whole seeds, proportions kept, filters, and multi-select export and delete
(issue 17 item 7). Paintings are written straight into the gallery folder, as the worker does, with the
times their names carry, so no test paints."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from windowkit import WAIT_MS, make_window, tiny_bundled  # noqa: F401

from studio.engine.pngmeta import read_png_meta, save_png
from studio.ui.gallery import GalleryFilter, gallery_dir, made_at, move_to_trash, own_trash_dir

# seeds that share their first and last digits, as in the issue: "seed 8442…7" told four paintings apart badly
SEEDS = (844203317, 844290127, 844211907, 844277777, 3605774052, 3605774057)


def put_painting(
    seed: int,
    style: str = "light",
    model: str = "ink-diffusion-64",
    when: datetime | None = None,
    size: tuple[int, int] = (16, 16),
    n: int = 0,
) -> Path:
    folder = gallery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    when = when or datetime.now()
    rng = np.random.default_rng(seed % 2**32)
    image = Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8))
    meta = {"model": model, "style": style, "seed": seed, "sampler": "ddim", "steps": 3, "size": max(size), "kind": "diffusion"}
    name = f"{when:%Y%m%d-%H%M%S}-{n:09d}-{model}-{style}-{seed}.png"
    return save_png(image, meta, folder / name)


def test_a_wrapping_grid_whose_captions_show_whole_seeds(qtbot, make_window) -> None:
    made = [put_painting(seed, ("light", "dark")[i % 2], n=i) for i, seed in enumerate(SEEDS)]
    window = make_window()
    window.resize(900, 700)
    gallery = window.gallery
    qtbot.waitUntil(lambda: gallery.count() == len(made), timeout=WAIT_MS)
    QApplication.processEvents()

    rects = [gallery.visualItemRect(gallery.item(i)) for i in range(gallery.count())]
    viewport = gallery.viewport().width()
    assert len({r.top() for r in rects}) > 1, "one row that scrolls sideways instead of a grid that wraps"
    assert all(r.right() <= viewport for r in rects) and gallery.horizontalScrollBar().maximum() == 0

    metrics = gallery.fontMetrics()
    captions = []
    for i, seed in enumerate(SEEDS):
        item = gallery.item(i)
        assert str(seed) in item.text() and str(seed) in item.toolTip()
        assert "ink-diffusion-64" in item.toolTip()
        # the caption is drawn whole: its cell is wider than the text (otherwise Qt elides it to "seed 8442…7")
        assert metrics.horizontalAdvance(item.text()) <= rects[i].width(), item.text()
        captions.append(item.text())
    assert len(set(captions)) == len(captions)
    assert gallery.item(1).text() == "seed 844290127 · dark"

    # each new painting is selected alone (in a multi-select view a plain setCurrentItem adds to the selection)
    for seed in (5, 6):
        path = put_painting(seed, n=10 + seed)
        with Image.open(path) as im:
            gallery.add_entry(path, read_png_meta(path), im.copy(), select=True)
    assert gallery.selected_paths() == [path] and gallery.currentItem().data(Qt.ItemDataRole.UserRole) == path

    # the cells are wide enough for any 32-bit seed, before such a painting exists
    widest = gallery.caption_for({"seed": 4294967295, "style": "light"})
    assert metrics.horizontalAdvance(widest) <= gallery.gridSize().width()


def test_thumbnails_keep_the_paintings_proportions(qtbot, make_window) -> None:
    wide = put_painting(11, size=(64, 32), n=1)
    tall = put_painting(12, size=(24, 72), n=2)
    square = put_painting(13, size=(40, 40), n=3)
    window = make_window()
    gallery = window.gallery
    qtbot.waitUntil(lambda: gallery.count() == 3, timeout=WAIT_MS)
    icon_box = gallery.iconSize()
    for path, ratio in ((wide, 2.0), (tall, 1 / 3), (square, 1.0)):
        item = gallery.item(gallery.paths().index(path))
        pixmap = item.icon().pixmap(icon_box)
        assert max(pixmap.width(), pixmap.height()) == icon_box.width()  # as large as the cell allows
        assert abs(pixmap.width() / pixmap.height() - ratio) < 0.05, (path.name, pixmap.size())
    assert gallery.iconSize() == QSize(96, 96)


def test_filters_by_model_style_and_date(qtbot, make_window) -> None:
    now = datetime.now()
    today_light = put_painting(1, "light", "ink-diffusion-64", now, n=1)
    today_dark_gan = put_painting(2, "dark", "ink-gan-64", now, n=2)
    week_dark = put_painting(3, "dark", "ink-diffusion-64", now - timedelta(days=3), n=3)
    old_light_gan = put_painting(4, "light", "ink-gan-64", now - timedelta(days=45), n=4)
    window = make_window()
    gallery, panel = window.gallery, window.gallery_panel
    qtbot.waitUntil(lambda: gallery.count() == 4, timeout=WAIT_MS)
    assert made_at(week_dark).date() == (now - timedelta(days=3)).date()

    assert [panel.model_filter.itemText(i) for i in range(panel.model_filter.count())] == [
        "All models",
        "ink-diffusion-64",
        "ink-gan-64",
    ]
    assert panel.count_label.text() == "4 paintings"
    gallery.select_paths(gallery.paths())

    panel.set_filter(style="dark")
    assert set(gallery.visible_paths()) == {today_dark_gan, week_dark}
    assert panel.count_label.text() == "2 of 4 paintings"
    assert set(gallery.selected_paths()) == {today_dark_gan, week_dark}  # hidden paintings are never acted on

    panel.set_filter(model="ink-gan-64")
    assert set(gallery.visible_paths()) == {today_dark_gan, old_light_gan}
    panel.set_filter(days=1)
    assert set(gallery.visible_paths()) == {today_light, today_dark_gan}
    panel.set_filter(days=7)
    assert set(gallery.visible_paths()) == {today_light, today_dark_gan, week_dark}
    panel.set_filter(model="ink-diffusion-64", style="light", days=30)
    assert set(gallery.visible_paths()) == {today_light}

    panel.set_filter(model="ink-gan-64", style="light", days=1)
    assert gallery.visible_paths() == [] and panel.count_label.text() == "0 of 4 paintings"
    panel.set_filter()
    assert gallery.visible_paths() == gallery.paths()

    # a painting made while a filter hides its kind is kept and counted, not shown
    panel.set_filter(style="dark")
    newest = put_painting(5, "light", "ink-diffusion-64", n=5)
    with Image.open(newest) as im:
        gallery.add_entry(newest, read_png_meta(newest), im.copy(), select=True)
    assert newest in gallery.paths() and newest not in gallery.visible_paths()
    assert panel.count_label.text() == "2 of 5 paintings"


def test_an_empty_gallery_offers_every_filter(qtbot) -> None:
    from studio.ui.gallery import GalleryPanel, GalleryView

    panel = GalleryPanel(GalleryView())
    qtbot.addWidget(panel)
    assert (panel.model_filter.currentText(), panel.style_filter.currentText(), panel.date_filter.currentText()) == (
        "All models",
        "All styles",
        "Any date",
    )
    assert panel.count_label.text() == "0 paintings"
    assert not panel.export_button.isEnabled() and not panel.delete_button.isEnabled()


def test_a_large_gallery_loads_without_wearing_out_none(qtbot) -> None:
    """PySide6 6.12 (Python 3.11) loses a reference to None each time item.data() converts a dict that
    holds one: a gallery that read every painting's settings at each new painting aborted Python
    ("deallocating None") at about 500 paintings. Settings stay in Python; the role copy has no None."""
    import sys

    from studio.ui.gallery import GalleryPanel, GalleryView, role_copy

    assert role_copy({"a": None, "b": {"c": None, "d": [1, None]}, "e": 0}) == {"b": {"d": [1]}, "e": 0}
    view = GalleryView()
    panel = GalleryPanel(view)
    qtbot.addWidget(panel)
    thumb = Image.new("RGB", (8, 8))
    n = 1000
    before = sys.getrefcount(None)
    for i in range(n):
        meta = {"model": f"m{i % 3}", "style": "light", "seed": i, "eta": None, "cascade": None}
        view.add_entry(Path(f"/gallery/20261206-010101-{i:09d}-m-light-{i}.png"), meta, thumb)
    panel.set_filter(style="dark")
    panel.set_filter()
    lost = before - sys.getrefcount(None)
    assert lost < 20 * n, f"{lost} references to None lost loading {n} paintings"
    assert view.meta_for(Path("/gallery/20261206-010101-000000007-m-light-7.png"))["eta"] is None  # the full settings
    assert "eta" not in view.item(7).data(Qt.ItemDataRole.UserRole + 1)
    assert [panel.model_filter.itemText(i) for i in range(1, 4)] == ["m0", "m1", "m2"]
    assert panel.count_label.text() == f"{n} paintings"


def test_the_date_filter_counts_whole_days() -> None:
    now = datetime(2026, 12, 6, 0, 30)
    assert GalleryFilter(days=1).matches({}, datetime(2026, 12, 6, 0, 1), now)
    assert not GalleryFilter(days=1).matches({}, datetime(2026, 12, 5, 23, 59), now)
    assert GalleryFilter(days=7).matches({}, datetime(2026, 11, 30, 0, 0), now)
    assert not GalleryFilter(days=7).matches({}, datetime(2026, 11, 29, 23, 59), now)


def test_several_paintings_are_selected_and_exported_together(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:
    made = [put_painting(seed, "dark", n=i) for i, seed in enumerate((21, 22, 21))]  # seed 21 twice (e.g. repainted)
    window = make_window()
    gallery, panel = window.gallery, window.gallery_panel
    qtbot.waitUntil(lambda: gallery.count() == 3, timeout=WAIT_MS)

    # Ctrl-click adds to the selection, as in any file manager
    gallery.clearSelection()
    for i, modifier in ((0, Qt.KeyboardModifier.NoModifier), (2, Qt.KeyboardModifier.ControlModifier)):
        rect = gallery.visualItemRect(gallery.item(i))
        qtbot.mouseClick(gallery.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert gallery.selected_paths() == [made[0], made[2]]
    assert panel.export_button.isEnabled() and panel.export_button.text() == "Export 2…"
    assert panel.delete_button.text() == "Delete 2…"

    out = tmp_path / "chosen"
    out.mkdir()
    (out / "ink-diffusion-64-dark-0000000021.png").write_bytes(b"the painter's own file")
    monkeypatch.setattr("studio.ui.main_window.QFileDialog.getExistingDirectory", lambda *a, **k: str(out))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    written = sorted(out.glob("*.png"))
    assert [p.name for p in written] == [
        "ink-diffusion-64-dark-0000000021-2.png",
        "ink-diffusion-64-dark-0000000021-3.png",
        "ink-diffusion-64-dark-0000000021.png",
    ]
    assert (out / "ink-diffusion-64-dark-0000000021.png").read_bytes() == b"the painter's own file"  # never overwritten
    for exported, source in zip(written[:2], (made[0], made[2]), strict=True):
        assert read_png_meta(exported) == read_png_meta(source)
        assert np.array_equal(np.asarray(Image.open(exported)), np.asarray(Image.open(source)))
    assert "Exported 2 painting(s)" in window.message_bar.text

    # Ctrl+A selects every painting shown
    gallery.setFocus()
    qtbot.keyClick(gallery, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert gallery.selected_paths() == made


def test_delete_asks_first_and_moves_paintings_to_the_trash(qtbot, make_window, private_user_dirs: Path, monkeypatch) -> None:
    made = [put_painting(seed, n=i) for i, seed in enumerate((31, 32, 33))]
    window = make_window()
    gallery = window.gallery
    qtbot.waitUntil(lambda: gallery.count() == 3, timeout=WAIT_MS)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    monkeypatch.setattr("studio.ui.main_window.QMessageBox.question", question)
    gallery.select_paths(made[:2])
    gallery.setFocus()
    qtbot.keyClick(gallery, Qt.Key.Key_Delete)
    assert asked and "Move 2 paintings to the trash?" in asked[-1]
    assert all(p.exists() for p in made) and gallery.paths() == made  # "No" keeps everything

    answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(window.gallery_panel.delete_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2
    assert gallery.paths() == [made[2]] and not made[0].exists() and not made[1].exists()
    trash = private_user_dirs / "xdg-data" / "Trash"
    for p in made[:2]:
        kept = trash / "files" / p.name
        assert read_png_meta(kept)["seed"] == int(p.stem.rsplit("-", 1)[1])
        assert (trash / "info" / f"{p.name}.trashinfo").exists()  # restorable from the file manager
    assert "trash" in window.message_bar.text

    # one painting: the question names it
    gallery.select_paths([made[2]])
    gallery.delete_requested.emit(gallery.selected_paths())
    assert made[2].name in asked[-1] and gallery.paths() == []


def test_without_a_system_trash_paintings_go_to_the_studios_own(private_user_dirs: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(private_user_dirs / "no-such-folder"))  # Qt finds no trash there
    first = put_painting(41, n=1)
    twin = first.parent / "twin" / first.name
    twin.parent.mkdir()
    twin.write_bytes(first.read_bytes())
    a = move_to_trash(first)
    b = move_to_trash(twin)  # the same name again: kept beside it, not overwritten
    assert a.parent == b.parent == own_trash_dir() and a != b
    assert read_png_meta(a)["seed"] == read_png_meta(b)["seed"] == 41 and not first.exists()


def controls_text(window) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    panel = window.gallery_panel
    return (
        *(w.text() for w in (panel.model_label, panel.style_label, panel.date_label, panel.count_label)),
        panel.model_filter.itemText(0),
        panel.style_filter.currentText(),
        panel.date_filter.itemText(3),
        panel.export_button.text(),
        panel.delete_button.text(),
        window.gallery.item(0).toolTip(),
    )


def test_the_gallerys_controls_speak_chinese(qtbot, make_window) -> None:
    put_painting(4294967295, "dark", n=1)
    put_painting(7, "light", model="ink-gan-64", n=2)
    window = make_window()
    gallery, panel = window.gallery, window.gallery_panel
    qtbot.waitUntil(lambda: gallery.count() == 2, timeout=WAIT_MS)
    gallery.select_paths(gallery.paths())
    panel.set_filter(style="dark")
    english = controls_text(window)
    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: panel.model_label.text() == "模型", timeout=5000)
        chinese = controls_text(window)
        assert chinese == (
            *("模型", "墨色", "时间", "显示 1 / 2 幅", "全部模型", "浓墨", "近 30 天", "导出…", "删除…"),
            "种子 4294967295\n模型：ink-diffusion-64\n墨色：浓墨\nddim，3 步\n16 px\n"
            + gallery.item(0).toolTip().rsplit("\n", 1)[1],
        )
        assert gallery.item(0).toolTip().rsplit("\n", 1)[1].startswith("创作于 ")
        assert gallery.item(0).text() == "种子 4294967295 · 浓墨"
        panel.set_filter()
        gallery.select_paths(gallery.paths())
        assert panel.count_label.text() == "2 幅" and panel.export_button.text() == "导出 2…"
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: panel.model_label.text() == "Model", timeout=5000)
    assert english[3] == "1 of 2 paintings" and english[5] == "dark"
