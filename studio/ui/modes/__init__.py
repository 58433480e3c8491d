"""Modes beside Paint (Inpaint, Walk, Classroom…): each module adds its tab to the window.

A mode module provides ``install(shell) -> page``: it builds its page, calls
``shell.add_mode(page, title)``, may add menu actions, runs its engine work through a
``studio.ui.tracker.JobTracker`` over ``shell.runner`` and retitles its tab on ``QEvent.LanguageChange``.
``shell`` is the MainWindow (typed, one name in every mode); modes use what it offers (runner,
model and sampling panels, gallery, settings, messages) and never hang themselves on it: the shell
keeps the pages ``install_modes`` returns. Add one import and one call below per mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow
    from studio.ui.modes.classroom import ClassroomPage
    from studio.ui.modes.export_dialog import SeriesActions
    from studio.ui.modes.inpaint import InpaintPage
    from studio.ui.modes.walk import WalkPage


class Modes(NamedTuple):
    classroom: ClassroomPage
    inpaint: InpaintPage
    walk: WalkPage
    series: SeriesActions  # File → Export series… and Repaint from PNG…


def install_modes(shell: MainWindow) -> Modes:
    """Give the window every mode this build has, in tab order."""
    from studio.ui.modes import classroom, export_dialog, inpaint, walk

    return Modes(
        classroom=classroom.install(shell),
        inpaint=inpaint.install(shell),
        walk=walk.install(shell),
        series=export_dialog.install(shell),
    )
