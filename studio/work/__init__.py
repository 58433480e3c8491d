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


def styled(model: Any, style: str | None) -> tuple[Any, str | None]:
    """The network that paints ``style`` and the style it paints, after ``style_for``: a style pair
    (``studio.models.pairs.PairedModel``) gives its member checkpoint for the style (loaded on first
    use; None means its first style), any other model itself. Every operation paints through this.

    Example: ``styled(pair, "dark")`` is (the dark checkpoint's LoadedModel, "dark").
    """
    style = style_for(model, style)
    member = getattr(model, "member", None)
    if member is None:
        return model, style
    chosen = style if style is not None else model.styles[0]
    return member(chosen), chosen


def walk_models(model: Any, style_walk: tuple[str, str] | None) -> tuple[Any, Any]:
    """A style walk of a style pair is a walk between its two members: (first, second) loaded
    members, blended along the walk; (model, None) for any other model or a plain walk.
    Both members must paint from noise of one shape (one size), else one line."""
    if style_walk is None or getattr(model, "member", None) is None:
        return model, None
    for s in style_walk:
        style_for(model, s)
    first, second = model.member(style_walk[0]), model.member(style_walk[1])
    if tuple(first.noise_shape) != tuple(second.noise_shape):
        raise StudioError(
            f"model '{model.spec.name}': its {style_walk[0]} and {style_walk[1]} checkpoints paint different sizes"
            f" ({first.spec.resolution} and {second.spec.resolution} px); a style walk blends their predictions and needs one size"
        )
    return first, second


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
