"""The Classroom's VAE view: prior samples, a latent map to drag across, and reconstructions.

Tasks for the window's inference thread (``runner.submit_task``); results are PIL images and plain
values (the latent map's centre as a list of floats), never tensors. The engine is
:mod:`studio.engine.vae`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image

from studio.work import styled

Run = Callable[[Any, Any, Any], Any]
Models = Callable[[], Any]
SAMPLES = 8


@dataclass(frozen=True)
class MapResult:
    model: str
    style: str | None
    seed: int
    axes: tuple[int, int]
    span: float
    values: list[float]  # the a (= b) values of the grid's columns, left to right
    centre: list[float]  # the slice's centre: the prior sample of ``seed``
    images: list[list[Image.Image]]  # rows top (b = +span) to bottom
    samples: list[Image.Image]  # prior samples of seeds seed..seed+SAMPLES-1


@dataclass(frozen=True)
class Reconstruction:
    model: str
    original: Image.Image  # the painting at the VAE's size, as it was encoded
    reconstruction: Image.Image
    bits_per_dim: float  # its -ELBO in bits/dim (one z sample)


def _model(models: Models, record: Any, device: Any, cancel: Any, style: str | None) -> tuple[Any, str | None]:
    cancel.raise_if_set()
    model, chosen = styled(models().get(record, device), style)
    cancel.raise_if_set()
    return model, chosen


def map_task(models: Models, record: Any, *, style: str | None, seed: int, size: int = 7, span: float = 2.5) -> Run:
    """A ``size`` × ``size`` latent map through the prior sample of ``seed``, and a row of prior samples."""

    def run(report: Any, cancel: Any, device: Any) -> MapResult:
        from studio.engine.noise import noise_for_seeds
        from studio.engine.sampling import to_pil
        from studio.engine.vae import latent_map

        model, chosen = _model(models, record, device, cancel, style)
        lmap = latent_map(model, chosen, seed=seed, rows=size, cols=size, span=span)
        report(1, 2)
        z = noise_for_seeds(model.noise_shape, [seed + k for k in range(SAMPLES)])
        samples = to_pil(model.generate(z.to(model.device), model.labels_for(chosen, SAMPLES)))
        report(2, 2)
        return MapResult(record.id, chosen, seed, lmap.axes, span, lmap.values, lmap.centre.tolist(), lmap.images, samples)

    return run


def point_task(models: Models, record: Any, result: MapResult, a: float, b: float) -> Run:
    """The painting at (a, b) of a map's slice (what dragging across the map shows)."""

    def run(report: Any, cancel: Any, device: Any) -> Image.Image:
        import torch

        from studio.engine.sampling import to_pil

        model, chosen = _model(models, record, device, cancel, result.style)
        z = torch.tensor(result.centre, dtype=torch.float32)
        z[result.axes[0]] += a
        z[result.axes[1]] += b
        return to_pil(model.generate(z[None].to(model.device), model.labels_for(chosen, 1)))[0]

    return run


def reconstruct_task(models: Models, record: Any, image: Image.Image, *, style: str | None) -> Run:
    """A painting through the VAE: encoded (posterior mean), decoded; with its ELBO in bits/dim."""
    image = image.copy()

    def run(report: Any, cancel: Any, device: Any) -> Reconstruction:
        from studio.engine.sampling import to_pil
        from studio.engine.vae import elbo_bits_per_dim, images_to_tensor, reconstruct

        model, chosen = _model(models, record, device, cancel, style)
        x = images_to_tensor([image], model.spec.resolution, model.spec.channels)
        rec = reconstruct(model, x, chosen)
        bits = elbo_bits_per_dim(model, x, chosen)
        return Reconstruction(record.id, to_pil(x)[0], to_pil(rec)[0], bits)

    return run
