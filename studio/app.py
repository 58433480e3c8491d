"""The studio window's entry point: QApplication + qasync event loop, services wired, window shown.

``inkstudio`` with no arguments and ``python -m studio`` land here (through ``studio.cli.main``).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import studio
from studio.config.settings import Settings, load_settings
from studio.ui import i18n
from studio.ui.main_window import MainWindow
from studio.ui.panels import icon
from studio.ui.theme import apply_theme


def create_window(settings: Settings | None = None, *, device: str = "auto") -> MainWindow:
    """The main window with its settings, language and theme applied (QApplication must exist)."""
    app = QApplication.instance()
    settings = settings or load_settings()
    languages = i18n.Languages()
    languages.install(i18n.effective_language(settings.language))
    apply_theme(app, settings.theme)
    return MainWindow(settings, languages, device=device)


def _route_unexpected_errors_to(window: MainWindow) -> None:
    """A bug in a slot becomes a line in the window (and a traceback on stderr), never a silent failure."""
    previous = sys.excepthook

    def hook(kind, value, tb) -> None:  # type: ignore[no-untyped-def]
        previous(kind, value, tb)
        if issubclass(kind, Exception):
            window.show_error(f"unexpected error: {kind.__name__}: {value}")

    sys.excepthook = hook


def _warn_about_the_binding(window: MainWindow) -> None:
    """A Qt binding known to abort Python in a long session is named on stderr and in the window."""
    from studio.ui.qtcheck import binding_is_faulty, binding_warning

    if binding_is_faulty():
        print(f"inkstudio: {binding_warning()}", file=sys.stderr)
        window.show_error(binding_warning)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the window until it is closed; returns the process exit code."""
    import qasync

    argv = list(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "inkstudio", *argv])
    app.setApplicationName("Ink Studio")
    app.setOrganizationName("InkStudio")
    app.setApplicationVersion(studio.__version__)
    app.setDesktopFileName("inkstudio")
    app.setWindowIcon(icon("app"))

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = create_window()
    window.show()
    _route_unexpected_errors_to(window)
    _warn_about_the_binding(window)

    # Ctrl+C in the terminal closes the window cleanly (Python sees signals only when it runs)
    signal.signal(signal.SIGINT, lambda *_: window.close())
    heartbeat = QTimer()
    heartbeat.start(250)
    heartbeat.timeout.connect(lambda: None)

    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    with loop:
        loop.run_until_complete(closed.wait())
    heartbeat.stop()
    return 0
