"""The reproducibility contract: image k of a request with seed S starts from
``torch.randn(shape, generator=torch.Generator("cpu").manual_seed(S + k), dtype=torch.float32)``.

Each image keeps its own CPU generator, which also feeds any noise a stochastic sampler adds, so
a painting depends only on its seed: not on the device, nor on the batch it was painted in.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def image_generators(seeds: Sequence[int]) -> list[torch.Generator]:
    return [torch.Generator("cpu").manual_seed(int(s)) for s in seeds]


def initial_noise(shape: Sequence[int], generators: Sequence[torch.Generator]) -> torch.Tensor:
    """A batch of starting noise, one ``(1, *shape)`` draw per generator, float32 on the CPU."""
    return torch.cat([torch.randn((1, *shape), generator=g, dtype=torch.float32) for g in generators], dim=0)


def noise_for_seeds(shape: Sequence[int], seeds: Sequence[int]) -> torch.Tensor:
    return initial_noise(shape, image_generators(seeds))

