"""Simplified Chinese and English through Qt's translation system (.qm files under resources/i18n)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from studio.config import paths

LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}  # each in its own language, never translated


def system_language() -> str:
    name = QLocale.system().name()
    return "zh_CN" if name.startswith("zh") else "en"


def effective_language(setting: str) -> str:
    """The setting ("" = follow the system locale) as a language code we ship."""
    return setting if setting in LANGUAGE_NAMES else system_language()


class Languages:
    """Installs and swaps the app's translators; Qt then sends LanguageChange to every widget."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.current = "en"

    def install(self, code: str) -> str:
        app = QCoreApplication.instance()
        for t in self._installed:
            app.removeTranslator(t)
        self._installed.clear()
        self.current = code if code in LANGUAGE_NAMES else "en"
        if self.current != "en":
            # inkstudio_<code>.qm for the window, plus one file per mode (e.g. inpaint_<code>.qm)
            for qm in sorted((paths.resources_dir() / "i18n").glob(f"*_{self.current}.qm")):
                ours = QTranslator(app)
                if ours.load(str(qm)):
                    app.installTranslator(ours)
                    self._installed.append(ours)
            qt_own = QTranslator(app)  # standard buttons and dialogs (OK, Cancel, file dialogs)
            if qt_own.load(f"qtbase_{self.current}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                app.installTranslator(qt_own)
                self._installed.append(qt_own)
        return self.current
