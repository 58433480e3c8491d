"""``inkstudio --self-test``: prove an installed or frozen studio can start Qt and paint.

Headless (offscreen): starts Qt with the platform and image-format plugins it ships, loads the
translations, loads the default bundled model, paints one image into a temporary folder, reads it
back, prints one line and exits 0 (1 with the reason otherwise).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def run_self_test() -> int:
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not any(os.environ.get(k) for k in ("LC_ALL", "LC_CTYPE", "LANG")):
        os.environ["LC_ALL"] = "C.UTF-8"  # an empty environment means the C locale; Qt wants UTF-8
    try:
        qt_note = _check_qt()
        line = _paint_one()
    except Exception as exc:  # the point of a self-test is one readable line, whatever broke
        print(f"self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"self-test ok: {line}; {qt_note}; {time.perf_counter() - started:.1f} s")
    return 0


def _check_qt() -> str:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLibraryInfo, QTranslator
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter

    from studio.config.paths import resources_dir

    app = QGuiApplication.instance() or QGuiApplication(["inkstudio", "-platform", "offscreen"])
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    missing = {"png", "jpeg"} - formats
    if missing:
        raise RuntimeError(f"Qt image-format plugins missing: {', '.join(sorted(missing))}")
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0x334455)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "JPG"):
        raise RuntimeError("Qt cannot write JPEG")
    qm_files = sorted((resources_dir() / "i18n").glob("*.qm"))
    for qm in qm_files:
        if not QTranslator(app).load(str(qm)):
            raise RuntimeError(f"translation {qm.name} does not load")
    return f"Qt {QLibraryInfo.version().toString()} on '{app.platformName()}', {len(qm_files)} translation(s)"


def _paint_one() -> str:
    import torch

    from studio.engine.device import choose_device
    from studio.engine.paint import PaintRequest, paint_series
    from studio.engine.pngmeta import read_png_meta, save_png
    from studio.models.catalog import discover
    from studio.models.loaders import load_checkpoint

    catalog = discover()
    record = catalog.default()
    if record is None or not record.bundled:
        raise RuntimeError("no bundled model found (models/ is missing from this build)")
    device = choose_device("auto")
    model = load_checkpoint(record.path, device.device, device.dtype, size=record.resolution)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    painting = paint_series(model, record, PaintRequest(seed=1, steps=10))[0]
    with tempfile.TemporaryDirectory(prefix="inkstudio-selftest-") as tmp:
        path = save_png(painting.image, painting.meta, Path(tmp) / "selftest.png")
        meta = read_png_meta(path)
        from PIL import Image, ImageStat

        with Image.open(path) as im:
            size = im.size
            spread = max(ImageStat.Stat(im.convert("L")).stddev[0], 0.0)
    if meta.get("seed") != 1 or size != (record.resolution, record.resolution):
        raise RuntimeError(f"painted file is wrong: {size}, {meta}")
    if spread < 1.0:
        raise RuntimeError("painted image is a flat field")
    return f"painted {size[0]}x{size[1]} with {record.id} on {device.label}"
