"""The window's Inpaint job, free of Qt and of torch at import time.

``make_inpaint_run`` builds the ``run(report, cancel, device)`` closure a TaskJob runs on the
inference thread (see ``studio.work.jobs.TaskJob``). The engine (torch) is imported inside it,
on that thread. Each candidate (a Painting), notice and preview is reported as one of the job's
progress events (``meta["candidate"]``, ``meta["notice"]``, the event's image), so finished
candidates are visible before the job ends (and survive a cancel).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from PIL import Image

from studio.api import DEFAULT_BATCH, InpaintRequest
from studio.engine.images import Painting
from studio.work import styled


def make_inpaint_run(
    cache_of: Callable[[], Any],
    record: Any,
    image: Image.Image,
    mask: np.ndarray,
    request: InpaintRequest,
    *,
    name: str = "painting",
    preview_interval: float = 0.15,
) -> Callable[[Any, Any, Any], list[Painting]]:
    """The TaskJob body: inpaint ``image`` where ``mask`` (bool, True = repaint) with ``record``'s model.

    ``cache_of()`` is called on the inference thread and returns its ModelCache.
    """
    image = image.copy()
    mask = np.array(mask, dtype=bool, copy=True)

    def run(report: Any, cancel: Any, device: Any) -> list[Painting]:
        from studio.engine.inpaint import inpaint, prepare_source

        cancel.raise_if_set()
        source = prepare_source(image, mask, name=name)
        for n in source.notices:
            report(0, 0, message="notice", meta={"notice": n})
        model = cache_of().get(record, device)
        cancel.raise_if_set()
        model, style = styled(model, request.style)  # a style pair: the checkpoint of that style
        req = replace(request, style=style).resolved(model.kind)
        batches = math.ceil(req.count / DEFAULT_BATCH)
        per_batch = [0]
        last = [0.0]
        where = [0, 1]  # the last (step, total) reported

        def on_progress(p: Any) -> None:
            per_batch[0] = max(per_batch[0], p.total_steps)
            total = per_batch[0] * batches
            step = (p.done // DEFAULT_BATCH) * per_batch[0] + (p.step if p.update is not None else 0)
            now = time.monotonic()
            if p.update is not None and now - last[0] >= preview_interval:
                last[0] = now
                previews = p.previews()
                where[:] = [min(step, total), total]
                report(*where, image=previews[0] if previews else None)
                return
            where[:] = [min(step, total), total]
            report(*where)

        def on_result(r: Any) -> None:
            report(*where, message="candidate", meta={"candidate": r})  # shown now, before the job ends

        def on_notice(text: str) -> None:
            report(*where, message="notice", meta={"notice": text})

        results = inpaint(
            model, record, source, req, cancel=cancel, on_progress=on_progress, on_result=on_result, on_notice=on_notice
        )
        return list(results)

    return run
