"""The window's system libraries: ldd's 'not found' lines become Debian packages and one clear line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import run

from studio import syslibs

# ldd on libqxcb.so of a fresh machine with xvfb libxcb-cursor0 libxkbcommon-x11-0 libegl1 installed (issue 17)
FAKE_LDD = """\
\tlinux-vdso.so.1 (0x00007ffc8a5f2000)
\tlibQt6XcbQpa.so.6 => /opt/venv/lib/python3.11/site-packages/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x7f10)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f2d1c5a0000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f2d1c598000)
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f2d1c58d000)
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2d1b800000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f2d1c5d1000)
"""

README = Path(__file__).resolve().parents[1] / "README.md"


def test_not_found_lines_are_the_missing_libraries_once_each() -> None:
    assert syslibs.missing_libraries(FAKE_LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert syslibs.missing_libraries("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n") == []
    assert syslibs.missing_libraries("") == []


@pytest.mark.parametrize(
    ("soname", "package"),
    [  # checked with `dpkg -S` on Debian 12 for every library ldd lists for PySide6 6.x's libqxcb.so
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libX11.so.6", "libx11-6"),
        ("libEGL.so.1", "libegl1"),
        ("libGL.so.1", "libgl1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libfontconfig.so.1", "libfontconfig1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        ("libgthread-2.0.so.0", "libglib2.0-0"),
        ("libGLdispatch.so.0", "libglvnd0"),
        ("libpcre2-8.so.0", "libpcre2-8-0"),
        ("liblz4.so.1", "liblz4-1"),
        ("libm.so.6", "libc6"),
        ("libz.so.1", "zlib1g"),
        ("libbrotlidec.so.1", "libbrotli1"),
    ],
)
def test_sonames_map_to_debian_packages(soname: str, package: str) -> None:
    assert syslibs.debian_package(soname) == package


def test_the_message_names_libraries_and_the_command() -> None:
    line = syslibs.missing_message(syslibs.missing_libraries(FAKE_LDD))
    assert "\n" not in line
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in line
    assert line.endswith("apt-get install -y libxcb-icccm4 libxcb-keysyms1")
    assert "xcb-cursor0" not in line  # Qt's misleading guess is not repeated


def test_which_platform_qt_will_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert syslibs.will_use_xcb()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not syslibs.will_use_xcb()
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert syslibs.will_use_xcb()
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not syslibs.will_use_xcb()
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert not syslibs.will_use_xcb()


@pytest.fixture
def fake_ldd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ``ldd`` first on PATH that prints FAKE_LDD whatever it is asked about."""
    if not sys.platform.startswith("linux"):
        pytest.skip("ldd and the xcb plugin are Linux's")
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "ldd.txt").write_text(FAKE_LDD)
    ldd = folder / "ldd"
    ldd.write_text(f"#!/bin/sh\ncat '{folder / 'ldd.txt'}'\n")
    ldd.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:{Path(sys.executable).parent}:/usr/bin:/bin")
    return ldd


def test_missing_for_window_runs_ldd_on_the_plugin(fake_ldd: Path, tmp_path: Path) -> None:
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"\x7fELF")
    assert syslibs.missing_for_window(plugin) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_the_installed_pyside6_plugin_is_found() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("libqxcb.so is Linux's")
    plugin = syslibs.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so" and "PySide6" in plugin.parts


def test_inkstudio_names_the_missing_libraries_not_qts_guess(
    fake_ldd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISPLAY", ":99")
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    code, out, err = run([], capsys)
    assert code == 1 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in err and "apt-get install -y libxcb-icccm4 libxcb-keysyms1" in err


def test_readme_names_every_package_a_fresh_machine_needs() -> None:
    lines = [ln.strip() for ln in README.read_text(encoding="utf-8").splitlines() if "apt-get install -y" in ln]
    assert any(ln.startswith("apt-get update && apt-get install -y") for ln in lines), lines
    named = set(re.split(r"\s+", lines[0].split("apt-get install -y", 1)[1].strip()))
    # what Qt's xcb plugin and QtGui load directly (readelf -d on PySide6's libqxcb.so, libQt6XcbQpa,
    # libQt6Gui, the xcbglintegrations), everything else comes with these as their dependencies;
    # plus the headless display, the screenshot tools and CJK fonts for the Chinese interface
    needed = {
        "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0", "libxcb-randr0",
        "libxcb-shape0", "libxcb-sync1", "libxcb-xfixes0", "libxcb-xkb1", "libxcb-glx0", "libxkbcommon-x11-0",
        "libx11-xcb1", "libegl1", "libgl1", "libfontconfig1", "libglib2.0-0", "libdbus-1-3",
        "xvfb", "xdotool", "imagemagick", "fonts-noto-cjk",
    }
    assert needed <= named, sorted(needed - named)
