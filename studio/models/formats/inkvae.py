"""``inkvae``: our VAE in our single-file format (studio.models.inkfile, ``"kind": "vae"``).

The header's metadata is the ink format's, with ``architecture.class`` ``"InkVAE"`` and two keys
of its own: ``likelihood`` (a description of p(x | z)) and ``latent_axes`` (latent dimensions in
order of use, the latent map's default axes). The loaded model paints like a generator: its
network call maps a latent z (B, latent) to the decoder's mean painting in [-1, 1]; the VAE's own
operations (encode, reconstruct, ELBO) are in :mod:`studio.engine.vae`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from studio.errors import CheckpointError
from studio.models import inkfile
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside, first_line

FORMAT = "inkvae"


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    """The spec of an Ink VAE file; None for any other file (ink models of other kinds included)."""
    if not path.is_file() or path.suffix.lower() != ".safetensors":
        return None
    try:
        meta = inkfile.read_ink_metadata(path)
    except CheckpointError:
        return None  # not ours to judge: the ink format module says what is wrong with it
    if meta["kind"] != "vae":
        return None
    arch = meta["architecture"]
    if arch["class"] != "InkVAE":
        raise CheckpointError(path, f"a VAE file must hold an InkVAE, not {arch['class']!r}")
    from studio.models.inkvae import vae_size_problem

    problem = vae_size_problem(arch["config"])
    if problem:
        raise CheckpointError(path, f"bad architecture config ({problem})")
    if size is not None and size != meta["resolution"]:
        raise CheckpointError(path, f"this VAE paints {meta['resolution']} px only, not {size}")
    axes = meta.get("latent_axes", [])
    latent = int(arch["config"].get("latent", 64))
    if not isinstance(axes, list) or not all(isinstance(a, int) and 0 <= a < latent for a in axes):
        raise CheckpointError(path, f"metadata 'latent_axes' must list latent dimensions 0..{latent - 1}")
    return ModelSpec(
        path=path, format=FORMAT, kind="vae", name=str(meta.get("name") or path.stem), styles=dict(meta.get("styles", {})),
        resolution=meta["resolution"], channels=meta["channels"], weights_files=[path],
        card=card_beside(path) or meta.get("card"), extra={"meta": meta},
    )


def load(spec: ModelSpec) -> LoadedModel:
    from studio.models.inkvae import InkVAE

    meta = spec.extra["meta"]
    try:
        module = InkVAE(**meta["architecture"]["config"])
    except (TypeError, ValueError) as exc:
        raise CheckpointError(spec.path, f"bad architecture config ({first_line(exc)})") from None
    inkfile.load_into(module, spec.path)

    def decode_forward(z: torch.Tensor, _t: Any, labels: torch.Tensor | None) -> torch.Tensor:
        return module(z, labels)

    return LoadedModel(spec, module, torch.device("cpu"), torch.float32, (module.latent,), None, None, decode_forward,
                       class_embedding=None)
