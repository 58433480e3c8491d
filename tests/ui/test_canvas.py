"""The canvas: fit to the widget, zoom in and out around it, actual size."""

from __future__ import annotations

import pytest
from PIL import Image

from studio.ui.canvas import MAX_ZOOM, CanvasView


def test_fit_zoom_and_actual_size(qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = CanvasView()
    qtbot.addWidget(canvas)
    canvas.resize(424, 324)
    canvas.show()
    canvas.set_image(Image.new("RGB", (100, 50), (20, 20, 20)))
    assert canvas.fitting and canvas.zoom == pytest.approx(4.0)  # (424 - 24) / 100, limited by width
    canvas.zoom_in()
    assert not canvas.fitting and canvas.zoom == pytest.approx(5.0)
    canvas.zoom_out()
    canvas.zoom_out()
    assert canvas.zoom == pytest.approx(3.2)
    canvas.actual_size()
    assert canvas.zoom == 1.0
    for _ in range(40):
        canvas.zoom_in()
    assert canvas.zoom == MAX_ZOOM
    canvas.fit()
    assert canvas.fitting and canvas.zoom == pytest.approx(4.0)
    shot = canvas.grab().toImage()
    assert shot.pixelColor(212, 162).red() == 20  # the painting is drawn in the middle
    canvas.set_image(None)
    assert not canvas.has_image()
