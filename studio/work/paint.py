"""Paintings from a request: what Generate paints into the gallery (the worker's Paint job).

A series written to a folder is ``studio.work.series``; both paint through ``run`` here's rule:
the style follows ``studio.work.styled`` (a style pair paints with its member of that style) and image k has seed ``seed + k``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from studio.api import PaintRequest
from studio.work import styled


def run(
    model: Any,
    record: Any,
    request: PaintRequest,
    *,
    cancel: Any = None,
    on_progress: Callable[[Any], None] | None = None,
    on_painting: Callable[[Any], None] | None = None,
) -> list[Any]:
    """Paint ``request`` with a loaded ``model``: ``studio.engine.paint.paint_series`` after the style rule."""
    from studio.engine.paint import paint_series

    painter, style = styled(model, request.style)
    req = replace(request, style=style)
    return paint_series(painter, record, req, cancel=cancel, on_progress=on_progress, on_painting=on_painting)
