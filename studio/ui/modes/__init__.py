"""Modes beside Paint (Inpaint, Walk, Classroom…): each module adds its tab to the window.

A mode module provides ``install(window) -> None``: it builds its page, calls
``window.add_mode(page, title)``, may add menu actions, runs its engine work through
``window.runner.submit_task(kind, label, run)`` and retitles its tab on ``QEvent.LanguageChange``.
Add one import and one call below per mode.
"""

from __future__ import annotations

from typing import Any


def install_modes(window: Any) -> None:
    """Give the window every mode this build has."""
    from studio.ui.modes import classroom, inpaint

    classroom.install(window)
    inpaint.install(window)

    from studio.ui.modes import export_dialog, walk

    walk.install(window)
    export_dialog.install(window)
