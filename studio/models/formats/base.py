"""What every format module shares: the spec it reads, the loaded model it builds, small readers."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.errors import CheckpointError, StudioError
from studio.models.files import TORCH_SUFFIXES as TORCH_SUFFIXES
from studio.models.files import card_beside as card_beside
from studio.models.files import first_line, read_json  # noqa: F401  (the formats import them from here)

DEFAULT_STYLE_NAMES = ("light", "dark")

# the network call every format provides: (input, timestep or None, class labels or None) -> output
Forward = Callable[[torch.Tensor, Any, "torch.Tensor | None"], torch.Tensor]

# a likelihood: (uint8 images (N, C, H, W) on the CPU, class labels (N,) or None) -> bits per dimension of each image (N,)
BitsPerDim = Callable[[torch.Tensor, "torch.Tensor | None"], torch.Tensor]


@dataclass
class ModelSpec:
    """What a checkpoint says about itself, read without building the network.

    ``format`` names the module of ``studio.models.formats`` that read it; ``extra`` holds what that
    module needs again to build the network (its own keys, read only by that module and the catalog's
    ``cascade``).
    """

    path: Path
    format: str
    kind: str  # "diffusion" | "gan" | "autoregressive"
    name: str
    styles: dict[str, int]  # style name -> class label; {} when unconditional
    resolution: int
    channels: int
    weights_files: list[Path]
    card: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    details: Any = None  # the format module's own typed description (a frozen dataclass it defines)


@dataclass
class LoadedModel:
    """A network on a device, with what sampling needs to drive it.

    The engine drives it through its capabilities only: ``denoise``/``generate`` (no gradients),
    ``generate_with_grad`` (GAN inversion), ``style_embedding``/``blend_styles`` (style walks of one
    style-conditional model), ``blend_with`` (a pair of per-style models), ``wrap_forward`` and the
    likelihood capability below.

    Likelihood (issue 18; what ``inkstudio eval --bits-per-dim`` and the Four-families sheet read):

    * ``density`` — ``"explicit"`` (p(x) exactly: PixelCNN), ``"approximate"`` (a bound: a VAE's ELBO,
      a diffusion model's variational bound) or ``"implicit"`` (no p(x): GANs). A format sets it with
      ``density=``; left as None it follows ``kind`` (:data:`studio.api.DENSITY_OF_KIND`).
    * ``bits_per_dim(images, labels=None) -> float | None`` — the mean over images of
      -log2 p(x) / (C·H·W) for 8-bit images ``x`` (uint8 tensor N×C×H×W at the model's resolution),
      treating each sub-pixel as one of 256 values; for an ``"approximate"`` model the negative bound
      (-ELBO, an upper bound on the true bits/dim); None when the model has no likelihood it can
      compute. ``labels`` are class labels (``labels_for``); None for a style-conditional model
      means the marginal p(x) = mean over its styles of p(x | style). A format provides it by setting
      ``_bits_per_dim`` (a :data:`BitsPerDim`: per-image bits/dim, batching left to this method).
      Uniform 8-bit pixels are 8.0 bits/dim.
    """

    spec: ModelSpec
    module: nn.Module
    device: torch.device
    dtype: torch.dtype
    noise_shape: tuple[int, ...]  # one image's starting noise, without the batch dimension
    scheduler_class: str | None = None  # diffusion only: the checkpoint's own scheduler
    scheduler_config: dict[str, Any] | None = None
    _forward: Forward | None = None
    size_multiple: int = 1  # diffusion: sizes other than native must be multiples of this
    upscaler: Any = None  # a two-stage model's LoadedUpscaler (studio.models.inkupscaler); None otherwise
    class_embedding: nn.Embedding | None = None  # the learned style embedding, when the format has one
    paint_size: int | None = None  # a style pair's smaller member: its paintings are resized to this (the larger's) size
    density_kind: str | None = None  # "explicit" | "approximate" | "implicit"; None: by kind (see ``density``)
    _bits_per_dim: BitsPerDim | None = None  # per-image bits/dim when the model has a likelihood

    @property
    def density(self) -> str:
        """How this model defines p(x): "explicit", "approximate" (a bound) or "implicit" (none)."""
        from studio.api import DENSITY_OF_KIND

        return self.density_kind or DENSITY_OF_KIND.get(self.spec.kind, "implicit")

    @property
    def has_likelihood(self) -> bool:
        return self._bits_per_dim is not None

    @torch.no_grad()
    def bits_per_dim(self, images: torch.Tensor, labels: torch.Tensor | None = None, batch: int = 16) -> float | None:
        """Mean bits per dimension of 8-bit ``images`` (N, C, H, W uint8) under the model; None without a likelihood."""
        per = self.bits_per_dim_each(images, labels, batch)
        return None if per is None else float(per.double().mean())

    @torch.no_grad()
    def bits_per_dim_each(self, images: torch.Tensor, labels: torch.Tensor | None = None, batch: int = 16) -> torch.Tensor | None:
        """``bits_per_dim`` of every image (N,), float64 on the CPU; None without a likelihood."""
        if self._bits_per_dim is None:
            return None
        if images.dtype != torch.uint8 or images.dim() != 4:
            raise StudioError(f"bits per dimension needs 8-bit images (N, C, H, W uint8), not {images.dtype} {tuple(images.shape)}")
        want = (self.spec.channels, self.spec.resolution, self.spec.resolution)
        if tuple(images.shape[1:]) != want:
            raise StudioError(f"model '{self.spec.name}' measures {want[1]}x{want[2]} images with {want[0]} channels, "
                              f"not {tuple(images.shape[1:])}")
        if labels is not None and labels.shape[0] != images.shape[0]:
            raise StudioError("one class label per image")
        parts = []
        for start in range(0, images.shape[0], max(1, batch)):
            chunk = images[start : start + batch].cpu()
            lab = labels[start : start + batch].to(self.device) if labels is not None else None
            parts.append(self._bits_per_dim(chunk, lab).double().cpu())
        return torch.cat(parts) if parts else torch.zeros(0, dtype=torch.float64)

    @property
    def cascade_size(self) -> int | None:
        """The size a two-stage model paints by default (its base paints ``spec.resolution``); None otherwise."""
        cascade = self.spec.extra.get("cascade")
        return int(cascade["size"]) if cascade else None

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def styles(self) -> dict[str, int]:
        return self.spec.styles

    def labels_for(self, style: str | None, batch: int) -> torch.Tensor | None:
        """Class labels for a batch in ``style``; None for unconditional models."""
        if not self.spec.styles:
            return None
        if style is None:
            style = next(iter(self.spec.styles))
        if style not in self.spec.styles:
            offered = ", ".join(self.spec.styles)
            raise StudioError(f"model '{self.spec.name}' has no style '{style}' (it offers: {offered})")
        return torch.full((batch,), self.spec.styles[style], dtype=torch.long, device=self.device)

    @torch.no_grad()
    def denoise(self, x: torch.Tensor, t: torch.Tensor | int, labels: torch.Tensor | None) -> torch.Tensor:
        """The network's raw prediction (epsilon, v or x0, as trained) in float32."""
        assert self._forward is not None
        return self._forward(x.to(self.dtype), t, labels).float()

    @torch.no_grad()
    def generate(self, z: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        """GAN images in [-1, 1], float32."""
        assert self._forward is not None
        return self._forward(z.to(self.dtype), None, labels).float()

    def generate_with_grad(self, z: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        """``generate`` with gradients flowing back to ``z`` (latent inversion)."""
        assert self._forward is not None
        with torch.enable_grad():
            return self._forward(z.to(self.dtype), None, labels).float()

    def wrap_forward(self, wrap: Callable[[Forward], Forward]) -> LoadedModel:
        """A view of this model whose network call is ``wrap(call)`` (same module, device and scheduler)."""
        assert self._forward is not None
        return replace(self, _forward=wrap(self._forward))

    # ------------------------------------------------------------------ style blending

    def style_embedding(self, style: str) -> torch.Tensor:
        """The class-embedding vector (D,) this style-conditional model learned for ``style``."""
        if self.class_embedding is None:
            raise StudioError(
                f"model '{self.spec.name}' has no learned style embedding to blend"
                " (a pair of per-style models can be blended instead)"
            )
        label = self.labels_for(style, 1)
        assert label is not None
        with torch.no_grad():
            return self.class_embedding.weight[int(label[0])].detach().clone()

    def blend_styles(self, first: str, second: str, weights: torch.Tensor) -> LoadedModel:
        """A view whose network sees (1-w)·emb(first) + w·emb(second) for each sample of a batch."""
        module = self.class_embedding
        a, b = self.style_embedding(first), self.style_embedding(second)
        assert module is not None
        w = weights.to(torch.float32)[:, None]
        # (1-w)·a + w·b is exact at both ends: w=0 gives a, w=1 gives b, bit for bit
        vectors = (1 - w) * a[None].float() + w * b[None].float()

        def wrap(base: Forward) -> Forward:
            def forward(x: torch.Tensor, t: Any, labels: torch.Tensor | None) -> torch.Tensor:
                dummy = torch.zeros(x.shape[0], dtype=torch.long, device=x.device)
                with _embedding_override(module, vectors):
                    return base(x, t, dummy)

            return forward

        return self.wrap_forward(wrap)

    def blend_with(
        self, other: LoadedModel, weights: torch.Tensor, styles: tuple[str | None, str | None] = (None, None)
    ) -> LoadedModel:
        """A view of this model whose prediction is (1-w)·this + w·other (a pair of per-style models)."""
        fa, fb = self._forward, other._forward
        assert fa is not None and fb is not None
        first = self

        def forward(x: torch.Tensor, t: Any, _labels: torch.Tensor | None) -> torch.Tensor:
            w = weights.to(x.device, torch.float32).reshape(-1, *([1] * (x.dim() - 1)))
            la, lb = first.labels_for(styles[0], x.shape[0]), other.labels_for(styles[1], x.shape[0])
            pa = fa(x.to(first.dtype), t, la).float()
            pb = fb(x.to(other.device, other.dtype), t, lb).float().to(x.device)
            # (1-w)·a + w·b: at w=0 and w=1 exactly one model's own prediction
            return ((1 - w) * pa + w * pb).to(x.dtype)

        return replace(self, _forward=forward)


@contextlib.contextmanager
def _embedding_override(module: nn.Embedding, vectors: torch.Tensor) -> Iterator[None]:
    """While active, the embedding returns ``vectors`` (B, D) instead of looking labels up.

    A forward hook, so the network's own forward runs unchanged; one inference worker at a time
    uses a model (the studio's rule), so the temporary hook is not seen by other work.
    """

    def hook(_module: nn.Module, _inputs: Any, output: torch.Tensor) -> torch.Tensor:
        if output.shape != vectors.shape:
            raise RuntimeError(f"class embedding batch {tuple(output.shape)} != blended vectors {tuple(vectors.shape)}")
        return vectors.to(output.device, output.dtype)

    handle = module.register_forward_hook(hook)
    try:
        yield
    finally:
        handle.remove()


def find_class_embedding(module: nn.Module) -> nn.Embedding | None:
    """The learned style embedding of our networks: UNet2DModel.class_embedding or InkGenerator.embed."""
    for name in ("class_embedding", "embed"):
        found = getattr(module, name, None)
        if isinstance(found, nn.Embedding):
            return found
    return None


# ---------------------------------------------------------------------------- small readers



def style_map_for_labels(num_classes: int | None, declared: Any, path: Path) -> dict[str, int]:
    """Styles of a class-conditional network: declared ones, light/dark for two classes, else class-N."""
    if not num_classes:
        return {}
    if not isinstance(num_classes, int) or num_classes < 0:
        raise CheckpointError(path, f"bad num_class_embeds {num_classes!r}")
    if declared is not None:
        if not isinstance(declared, dict) or not all(isinstance(v, int) and 0 <= v < num_classes for v in declared.values()):
            raise CheckpointError(path, f"'styles' must map names to class labels 0..{num_classes - 1}")
        return dict(declared)
    if num_classes == len(DEFAULT_STYLE_NAMES):
        return {name: i for i, name in enumerate(DEFAULT_STYLE_NAMES)}
    return {f"class-{i}": i for i in range(num_classes)}

