"""The Qt binding under the tests must not lose references to None (PySide6 6.12.0 on Python 3.11
does, and the window then aborts minutes into a session); the start-up check must see such a fault."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem

from studio.ui import qtcheck


def test_void_qt_calls_keep_their_references_to_none(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    items = QListWidget()
    qtbot.addWidget(items)
    item = QListWidgetItem("painting")
    items.addItem(item)
    item.setData(Qt.ItemDataRole.UserRole, {"eta": None, "seed": 7})
    before = sys.getrefcount(None)
    for i in range(500):
        label.setText(str(i))
        label.update()
        item.data(Qt.ItemDataRole.UserRole)
    lost = before - sys.getrefcount(None)
    assert lost < 50, f"this PySide6 lost {lost} references to None in 1500 void Qt calls"
    assert qtcheck.none_references_lost_per_call() < 0.5
    assert not qtcheck.binding_is_faulty()


def test_the_check_names_a_faulty_binding(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qtcheck, "none_references_lost_per_call", lambda: 1.0)
    assert qtcheck.binding_is_faulty() == (sys.version_info < (3, 12))
    text = qtcheck.binding_warning()
    assert "PySide6" in text and "pyside6-essentials==6.11.3" in text and "{" not in text
