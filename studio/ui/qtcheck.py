"""A check of the Qt binding the studio runs on.

PySide6 6.12.0 on Python 3.11 loses one reference to ``None`` in every call from Python into Qt that
returns nothing (``QLabel.setText``, ``QWidget.update``, ``item.data`` of a dict holding a None, ...).
Before Python 3.12 ``None`` is an ordinary object with a finite reference count, so after some
thousands of such calls Python aborts with "deallocating None" — a window that dies minutes into a
session, taking unsaved work with it. pyproject.toml excludes that release; this check catches any
build with the same fault (a source install, a future release) and says so in one line at start-up.
"""

from __future__ import annotations

import sys

import PySide6

#: calls in the probe: enough to see a loss of one per call, few enough to stay far from the abort
PROBE_CALLS = 64


def none_references_lost_per_call() -> float:
    """References to None lost per void Qt call (0.0 on a sound binding; QApplication must exist)."""
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        label.setText("")
    lost = before - sys.getrefcount(None)
    label.deleteLater()
    return lost / PROBE_CALLS


def binding_is_faulty() -> bool:
    """True when this PySide6 loses references to None on a Python where that can abort it."""
    if sys.version_info >= (3, 12):  # None is immortal: a lost reference can no longer abort Python
        return False
    return none_references_lost_per_call() >= 0.5


def binding_warning() -> str:
    """The one line naming the fault and the fix, in the window's language."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(
        "qtcheck",
        "PySide6 {version} on Python {python} loses a reference to None in every Qt call and will abort "
        "the studio in a long session: install another release, e.g. pip install 'pyside6-essentials==6.11.3'",
    ).format(version=PySide6.__version__, python=f"{sys.version_info.major}.{sys.version_info.minor}")
