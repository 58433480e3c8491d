"""Which system libraries Qt's xcb platform plugin is missing, named by their Debian packages.

When a library of the xcb plugin is missing, Qt prints one line naming ``xcb-cursor0`` whatever is
really absent and aborts. Before the window starts, ``ldd`` on the plugin of the installed PySide6
(it follows the plugin's dependencies, Qt's own libraries included) says exactly which shared
libraries cannot be found; each maps to the Debian/Ubuntu package that ships it. No Qt import.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Debian names a library package after its soname (libfoo.so.3 -> libfoo3, libfoo-2.so.1 -> libfoo-2-1);
# these are the ones the rule gets wrong
_PACKAGE_EXCEPTIONS = {
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libpthread.so.0": "libc6",
    "libdl.so.2": "libc6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libGLdispatch.so.0": "libglvnd0",
    "libgcc_s.so.1": "libgcc-s1",
    "libz.so.1": "zlib1g",
    "libharfbuzz.so.0": "libharfbuzz0b",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` reports as ``not found``, each once, in the order it lists them."""
    found: list[str] = []
    for line in ldd_output.splitlines():
        match = _NOT_FOUND.match(line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships ``soname``, e.g. libxcb-icccm.so.4 -> libxcb-icccm4."""
    if soname in _PACKAGE_EXCEPTIONS:
        return _PACKAGE_EXCEPTIONS[soname]
    match = re.fullmatch(r"(lib.+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if not match:
        return soname
    stem, major = match.group(1).lower(), match.group(2)
    return f"{stem}-{major}" if stem[-1].isdigit() else f"{stem}{major}"


def xcb_plugin() -> Path | None:
    """The xcb platform plugin of the installed PySide6, or None when there is none."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def will_use_xcb() -> bool:
    """Whether Qt will paint through X11: Linux, and QT_QPA_PLATFORM says xcb or, unset, no Wayland session."""
    if not sys.platform.startswith("linux"):
        return False
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0] == "xcb"
    return not os.environ.get("WAYLAND_DISPLAY")


def missing_for_window(plugin: Path | None = None) -> list[str]:
    """Sonames the xcb plugin (and what it loads) cannot find; [] when all are there or ldd cannot tell."""
    plugin = plugin or xcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return []
    try:
        done = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return missing_libraries(done.stdout)


def missing_message(missing: list[str]) -> str:
    """One line: what is missing and the command that installs it."""
    packages = list(dict.fromkeys(debian_package(s) for s in missing))
    return (
        f"the window cannot start: Qt's xcb platform plugin needs {', '.join(missing)}, which "
        f"{'is' if len(missing) == 1 else 'are'} not installed; on Debian/Ubuntu: "
        f"sudo apt-get install -y {' '.join(packages)}"
    )
