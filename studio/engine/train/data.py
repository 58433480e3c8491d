"""Training data: the paintings of one folder, measured, filtered, preloaded small, sampled with
augmentation.

* Every image is measured by :mod:`studio.engine.inkstyle`; near-blank and ``faded`` images are
  left out, and only the ``train`` split (by source painting) is used.
* Images are decoded once, resized (antialiased) to ``cache_size`` (2× the training resolution)
  and kept in memory as uint8; the array is cached as ``.npy`` under ``cache_dir`` so a restart
  does not decode 1,000 JPEGs again.
* A batch draws, per image: a style (balanced when training several), then a crop with
  probability ∝ 1/sqrt(crops of its source painting), so a painting cut into 13 crops does not
  outweigh 13 single museum paintings, yet still counts more than one of them. Then a random
  square crop of 80–100% of the side, a horizontal flip with probability ½, and an antialiased
  resize to the training resolution. Vertical flips would put mountains upside down: none.
* All randomness comes from one ``torch.Generator`` whose state is part of the resume state.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from studio.engine.inkstyle import STYLES, ManifestRow, build_manifest
from studio.errors import StudioError

MIN_CROP = 0.8


@dataclass
class ImageSet:
    """Preloaded uint8 images (N, 3, S, S) with their style label, painting and file name."""

    pixels: torch.Tensor
    labels: torch.Tensor  # style class per image
    paintings: list[str]
    files: list[str]


def select_rows(rows: list[ManifestRow], split: str | None, styles: dict[str, int]) -> list[ManifestRow]:
    """Usable rows of a split ("train", "validation", None = both) whose label is in ``styles``."""
    return [r for r in rows if r.measure.usable and r.measure.label in styles and (split is None or r.split == split)]


def load_images(folder: Path, rows: list[ManifestRow], size: int, styles: dict[str, int], cache_dir: Path | None) -> ImageSet:
    """Decode and resize ``rows``' images once (cached as .npy in ``cache_dir`` when given)."""
    files = [r.file for r in rows]
    pixels = None
    cache = None
    if cache_dir is not None:
        key = hashlib.sha256(json.dumps([str(folder.resolve()), size, files]).encode()).hexdigest()[:16]
        cache = cache_dir / f"images-{size}-{key}.npy"
        if cache.is_file():
            try:
                arr = np.load(cache, allow_pickle=False)
                if arr.shape == (len(files), 3, size, size):
                    pixels = torch.from_numpy(arr)
            except (OSError, ValueError):
                pixels = None
    if pixels is None:
        arr = np.empty((len(files), 3, size, size), dtype=np.uint8)
        for i, name in enumerate(files):
            try:
                with Image.open(folder / name) as im:
                    im.draft("RGB", (size, size))
                    rgb = im.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)
            except OSError as exc:
                raise StudioError(f"cannot read training image {folder / name}: {exc}") from None
            arr[i] = np.asarray(rgb, dtype=np.uint8).transpose(2, 0, 1)
        pixels = torch.from_numpy(arr)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(cache.name + ".part.npy")
            np.save(tmp, arr, allow_pickle=False)
            os.replace(tmp, cache)
    labels = torch.tensor([styles[r.measure.label] for r in rows], dtype=torch.long)
    return ImageSet(pixels, labels, [r.painting for r in rows], files)


def to_model_range(pixels: torch.Tensor) -> torch.Tensor:
    """uint8 0..255 → float32 -1..1."""
    return pixels.float().div(127.5).sub(1.0)


def resize_to(x: torch.Tensor, size: int) -> torch.Tensor:
    """Antialiased bilinear resize of a float batch (a no-op at the same size)."""
    if x.shape[-1] == size and x.shape[-2] == size:
        return x
    return F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)


class TrainingData:
    """Balanced, augmented batches from one folder of paintings.

    >>> data = TrainingData("images/", resolution=64, styles={"light": 0, "dark": 1})
    >>> x, labels = data.batch(16, generator)   # x in [-1, 1], (16, 3, 64, 64)
    """

    def __init__(
        self,
        folder: str | Path,
        resolution: int,
        styles: dict[str, int],
        cache_dir: str | Path | None = None,
        split: str | None = "train",
        limit: int | None = None,
    ) -> None:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise StudioError(f"--data {folder} is not a folder of paintings")
        rows = select_rows(build_manifest(folder), split, styles)
        if limit is not None:
            rows = rows[:limit]
        if not rows:
            raise StudioError(f"no usable paintings in {folder} for styles {', '.join(styles)} (all near-blank or none found)")
        self.folder, self.resolution, self.styles = folder, resolution, dict(styles)
        self.images = load_images(folder, rows, resolution * 2, styles, Path(cache_dir) if cache_dir else None)
        counts: dict[str, int] = {}
        for p in self.images.paintings:
            counts[p] = counts.get(p, 0) + 1
        weight = torch.tensor([1.0 / counts[p] ** 0.5 for p in self.images.paintings], dtype=torch.float64)
        # per style: indices and their sampling weights
        self._by_style: list[tuple[torch.Tensor, torch.Tensor]] = []
        for label in sorted(set(styles.values())):
            idx = (self.images.labels == label).nonzero().flatten()
            if len(idx):
                self._by_style.append((idx, weight[idx] / weight[idx].sum()))
        self.paintings = len(counts)

    def __len__(self) -> int:
        return len(self.images.files)

    def describe(self) -> str:
        per = {name: int((self.images.labels == label).sum()) for name, label in self.styles.items()}
        parts = ", ".join(f"{n} {name}" for name, n in per.items())
        return f"{len(self)} images ({parts}) from {self.paintings} paintings"

    def batch(self, size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """``size`` augmented images in [-1, 1] at the training resolution, and their style labels."""
        groups = torch.randint(len(self._by_style), (size,), generator=generator)
        picks = []
        for g in groups.tolist():
            idx, w = self._by_style[g]
            picks.append(int(idx[torch.multinomial(w, 1, generator=generator)]))
        src = self.images.pixels
        full = src.shape[-1]
        out = torch.empty((size, 3, self.resolution, self.resolution))
        scales = torch.rand(size, generator=generator) * (1 - MIN_CROP) + MIN_CROP
        offsets = torch.rand(size, 2, generator=generator)
        flips = torch.rand(size, generator=generator) < 0.5
        for i, k in enumerate(picks):
            side = max(self.resolution, int(round(float(scales[i]) * full)))
            y0 = int(float(offsets[i, 0]) * (full - side + 1))
            x0 = int(float(offsets[i, 1]) * (full - side + 1))
            crop = to_model_range(src[k : k + 1, :, y0 : y0 + side, x0 : x0 + side])
            if flips[i]:
                crop = crop.flip(-1)
            out[i] = resize_to(crop, self.resolution)[0]
        return out, self.images.labels[picks].clone()


_REFERENCE_MEMO: dict[tuple[str, int, str | None, str], torch.Tensor] = {}


def reference_images(
    folder: str | Path, resolution: int, style: str | None, split: str, cache_dir: str | Path | None = None
) -> torch.Tensor:
    """Whole paintings of a split (one style or all usable), resized to ``resolution``, in [-1, 1].

    Remembered per process (training evaluates against the same set at every checkpoint).
    """
    folder = Path(folder).expanduser()
    key = (str(folder.resolve()), resolution, style, split)
    if key not in _REFERENCE_MEMO:
        _REFERENCE_MEMO[key] = _reference_images(folder, resolution, style, split, cache_dir)
    return _REFERENCE_MEMO[key]


def _reference_images(folder: Path, resolution: int, style: str | None, split: str, cache_dir: str | Path | None) -> torch.Tensor:
    if not folder.is_dir():
        raise StudioError(f"--data {folder} is not a folder of paintings")
    styles = {style: STYLES[style]} if style else dict(STYLES)
    rows = select_rows(build_manifest(folder), split, styles)
    if not rows:
        raise StudioError(f"no usable {style or ''} paintings in the {split} split of {folder}")
    images = load_images(folder, rows, resolution, styles, Path(cache_dir) if cache_dir else None)
    return to_model_range(images.pixels)
