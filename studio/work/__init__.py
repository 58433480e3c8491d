"""The studio's operations, one module each, shared by the window and the CLI.

``series`` (a numbered series into a folder, and repainting from a PNG), ``walk`` (render a latent
walk, export its frames), ``inpaint``, ``classroom`` (filmstrip, forward process, GAN vs diffusion).
The window runs them on its inference thread (``runner.submit_task``), the CLI in its own process;
both take the rules below from here, so a style, a seed or a step count means the same in each.

Importing ``studio.work`` is cheap: torch and the engine are imported inside the functions that
paint, on the thread that paints.
"""

from __future__ import annotations

from typing import Any

from studio.errors import StudioError


def style_for(model: Any, style: str | None) -> str | None:
    """The one style rule: None paints the model's first style; a style the model does not offer is
    refused (one line naming the styles it has). A model without styles ignores ``style``.

    Example: ``style_for(model, "dark")`` is "dark" for a light/dark model, a StudioError for a
    light-only one.
    """
    styles = list(getattr(model, "styles", None) or [])
    if style is None or not styles or style in styles:
        return style
    name = getattr(getattr(model, "spec", None), "name", "") or "the model"
    raise StudioError(f"model '{name}' has no style '{style}' (it offers: {', '.join(styles)})")


class StepCount:
    """Progress of ``items`` paintings or frames of ``per_item`` steps each, painted in batches.

    Counts steps over the whole job and never goes back (a batch's items are reported after its
    last step): ``batch(done, step, batch_len)`` from the engine's progress, ``item(index)`` when
    item ``index`` is finished.
    """

    def __init__(self, items: int, per_item: int) -> None:
        self.per_item = max(1, per_item)
        self.total = max(0, items) * self.per_item
        self.reached = 0

    def at(self, value: int) -> int:
        self.reached = max(self.reached, min(self.total, value))
        return self.reached

    def batch(self, done: int, step: int, batch_len: int) -> int:
        return self.at(done * self.per_item + step * batch_len)

    def item(self, index: int) -> int:
        return self.at((index + 1) * self.per_item)


def steps_per_item(model: Any, steps: int) -> int:
    """Denoising steps per painting: a GAN paints in one pass."""
    return steps if getattr(model, "kind", "diffusion") == "diffusion" else 1
