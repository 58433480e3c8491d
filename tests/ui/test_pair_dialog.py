# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""File → Pair checkpoints…, two checkpoints dropped on the window, and a pair's model card (issue 14 §1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import save_tiny_diffusion, save_unconditional
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox
from windowkit import WAIT_MS, make_window, set_job, tiny_bundled, wait_idle  # noqa: F401

from studio.config import paths
from studio.models.pairs import read_pair
from studio.ui.dialogs import ModelCardDialog
from studio.ui.pair_dialog import suggest_name


def members(folder: Path, dark_size: int = 16) -> tuple[Path, Path]:
    return (save_unconditional(folder / "thesis-light.safetensors", seed=1),
            save_unconditional(folder / "thesis-dark.safetensors", seed=2, size=dark_size))


def pair_in_dialog(qtbot, window, light: Path, dark: Path):  # type: ignore[no-untyped-def]
    dialog = window.pair_actions.show_dialog()
    dialog.light.edit.setText(str(light))
    dialog.dark.edit.setText(str(dark))
    assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.working, timeout=WAIT_MS)
    return dialog


def test_suggested_names() -> None:
    assert suggest_name(["a/thesis-light.pt", "b/thesis-dark.safetensors"]) == "thesis"
    assert suggest_name(["light.pt", "dark.pt"]) == "light-pair"
    assert suggest_name(["ink.v2.pt"]) == "ink"
    assert suggest_name(["", ""]) == ""


def test_dialog_pairs_two_checkpoints_and_the_window_paints_each_style(qtbot, make_window, tmp_path: Path) -> None:
    light, dark = members(tmp_path)
    window = make_window()
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts.index("Pair checkpoints…") == texts.index("Open checkpoint folder…") + 1
    window.pair_actions.act_pair.trigger()
    dialog = window.pair_actions.dialog
    assert dialog is not None and dialog.isVisible() and dialog.two.isChecked()
    dialog.light.edit.setText(str(dark))
    dialog.dark.edit.setText(str(light))
    dialog.swap_files()
    assert (dialog.light.text(), dialog.dark.text()) == (str(light), str(dark))
    assert dialog.name_edit.text() == "thesis"  # from the files' names
    assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.working, timeout=WAIT_MS)
    written = paths.user_models_dir() / "thesis.pair.json"
    assert dialog.written == written and not dialog.isVisible()
    assert read_pair(written) == {"light": light.resolve(), "dark": dark.resolve()}  # what `inkstudio pair` writes
    record = window.model_panel.current_record()
    assert (record.id, record.format, record.styles) == ("thesis", "pair", ["light", "dark"])
    assert "thesis" in window.message_bar.text

    # the window paints each style with its own checkpoint: dark = the dark file opened alone
    set_job(window, seed=7, steps=3)
    window.model_panel.set_style("dark")
    window.generate()
    wait_idle(qtbot, window)
    window.open_checkpoint(dark)
    qtbot.waitUntil(lambda: window.model_panel.current_record().path == str(dark), timeout=WAIT_MS)
    window.generate()
    wait_idle(qtbot, window)
    by_pair, alone = window.gallery.paths()[-2:]
    from conftest import pixels

    assert np.array_equal(pixels(by_pair), pixels(alone))


def test_dialog_says_what_is_wrong_in_the_window(qtbot, make_window, tmp_path: Path) -> None:
    light, _ = members(tmp_path)
    window = make_window()
    dialog = window.pair_actions.show_dialog()
    dialog.light.edit.setText(str(light))
    assert not dialog.start() and dialog.status.text() == "Choose the dark-ink checkpoint."
    dialog.dark.edit.setText(str(tmp_path / "missing.pt"))
    assert not dialog.start() and "No such file" in dialog.status.text()
    dialog.dark.edit.setText(str(light))
    assert not dialog.start() and dialog.status.text() == "Not paired: the light and dark checkpoints are the same file"
    conditional = save_tiny_diffusion(tmp_path / "cond.safetensors")  # has styles of its own: refused on the file thread
    dialog.dark.edit.setText(str(conditional))
    dialog.name_edit.setText("a/b")
    assert not dialog.start() and "cannot name a file" in dialog.status.text()
    dialog.name_edit.setText("mixed")
    assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.working, timeout=WAIT_MS)
    status = dialog.status.text()
    assert status.startswith("Not paired:") and "already offers styles" in status and "\n" not in status
    assert dialog.isVisible() and dialog.pair_button.isEnabled() and dialog.written is None
    assert not paths.user_models_dir().exists() or not list(paths.user_models_dir().glob("*.pair.json"))
    dialog.close()


def test_one_checkpoint_given_a_style(qtbot, make_window, tmp_path: Path) -> None:
    _, dark = members(tmp_path)
    window = make_window()
    dialog = window.pair_actions.show_dialog([str(dark)])
    assert dialog.one.isChecked() and dialog.single.text() == str(dark) and not dialog.light.isEnabled()
    dialog.style.setCurrentIndex(dialog.style.findData("dark"))
    dialog.name_edit.setText("my-dark")
    assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.working, timeout=WAIT_MS)
    assert read_pair(paths.user_models_dir() / "my-dark.pair.json") == {"dark": dark.resolve()}
    assert window.model_panel.current_record().styles == ["dark"]


def drop(window, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def button(box: QMessageBox, text: str):  # type: ignore[no-untyped-def]
    return next(b for b in box.buttons() if b.text() == text)


def test_dropping_two_checkpoints_offers_to_pair_them(qtbot, make_window, tmp_path: Path) -> None:
    light, dark = members(tmp_path)
    window = make_window()
    drop(window, [light, dark])
    qtbot.waitUntil(lambda: window.pair_actions.offer is not None, timeout=WAIT_MS)
    box = window.pair_actions.offer
    assert light.name in box.text() and dark.name in box.text()
    button(box, "Pair…").click()
    dialog = window.pair_actions.dialog
    assert dialog.isVisible() and (dialog.light.text(), dialog.dark.text()) == (str(light), str(dark))
    assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.working, timeout=WAIT_MS)
    assert window.model_panel.current_record().id == "thesis"

    # "Open both": two separate models, no pair written
    before = len(window.model_panel.records())
    other = tmp_path / "other"
    other.mkdir()
    a, b = save_unconditional(other / "a.safetensors", seed=3), save_unconditional(other / "b.safetensors", seed=4)
    drop(window, [a, b])
    qtbot.waitUntil(lambda: window.pair_actions.offer is not None, timeout=WAIT_MS)
    button(window.pair_actions.offer, "Open both").click()
    qtbot.waitUntil(lambda: len(window.model_panel.records()) == before + 2, timeout=WAIT_MS)
    assert sorted(p.name for p in paths.user_models_dir().glob("*.pair.json")) == ["thesis.pair.json"]

    # one checkpoint dropped is opened at once, as before
    c = save_unconditional(other / "c.safetensors", seed=5)
    drop(window, [c])
    qtbot.waitUntil(lambda: len(window.model_panel.records()) == before + 3, timeout=WAIT_MS)
    assert window.pair_actions.offer is None


def test_card_shows_both_files_and_the_resizing(qtbot, make_window, tmp_path: Path) -> None:
    light, dark = members(tmp_path, dark_size=32)
    window = make_window()
    dialog = pair_in_dialog(qtbot, window, light, dark)
    assert dialog.written is not None
    record = window.model_panel.current_record()
    card = ModelCardDialog(record, window)
    qtbot.addWidget(card)
    text = card.browser.toPlainText()
    assert "Light-ink checkpoint" in text and "Dark-ink checkpoint" in text
    assert f"{light.resolve()} (16 px)" in text and f"{dark.resolve()} (32 px)" in text
    assert "the light-ink checkpoint paints 16 px: its paintings are resized to 32 px" in text


def test_dialog_and_card_in_chinese(qtbot, make_window, tmp_path: Path) -> None:
    from test_language import english_on_screen

    light, dark = members(tmp_path, dark_size=32)
    window = make_window()
    pair_in_dialog(qtbot, window, light, dark)
    dialog = window.pair_actions.show_dialog([str(light), str(dark)])
    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: dialog.windowTitle() == "配对检查点", timeout=5000)  # LanguageChange is posted
        assert window.pair_actions.act_pair.text() == "配对检查点…" and dialog.pair_button.text() == "配对"
        assert english_on_screen(dialog, {"thesis", "inkstudio", "pair"}) == []  # a command keeps its name
        dialog.close()
        card = ModelCardDialog(window.model_panel.current_record(), window)
        qtbot.addWidget(card)
        text = card.browser.toPlainText()
        assert "淡墨检查点" in text and "浓墨检查点" in text and "淡墨检查点画 16 px：其画作缩放到 32 px" in text
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: window.pair_actions.act_pair.text() == "Pair checkpoints…", timeout=5000)
