"""Light ink (淡墨) and dark ink (浓墨): a reproducible ink-density measure per painting.

Papers and silks range from white to dark brown, so ink is measured *relative to each image's own
paper tone*, never against a fixed grey level:

1. ``L``: luminance (ITU-R 601, PIL mode "L") of the image box-downsampled to 128×128.
2. paper tone ``P``: the 90th percentile of ``L`` (ink rarely covers more than 10% of a crop at full
   darkness, so the brightest tenth is bare paper or silk).
3. darkness ``d = clip((P - L) / P, 0, 1)``: 0 = paper, 1 = black.
4. ``ink_cover``: fraction of pixels with ``d > 0.2`` (any visible ink or wash).
   ``heavy_ink``: fraction with ``d > 0.5`` (ink at least twice as dark as the paper: dense strokes).
   ``peak``: the 99th percentile of ``d`` (how black the blackest strokes get).
   ``dark80``: fraction of pixels with ``L < 80`` (absolute; the figure the issue's targets use).
5. near-blank (bare silk, faint crops, mostly seals): ``ink_cover < 0.08`` or ``peak < 0.30``.
6. label: ``dark`` when ``heavy_ink >= 0.02`` (2% of the picture in dense ink); otherwise ``light``
   when the paper is not dark silk (``P >= 120``); otherwise ``faded``: pale ink on dark brown
   silk, where a pale wash cannot be told from age-darkened, low-contrast ink. Faded images are
   kept in the manifest but train neither style (they would make "light" samples brown and dark).

Example::

    >>> m = measure_image(Image.open("painting.jpg"))
    >>> m.label, round(m.heavy_ink, 3)
    ('dark', 0.061)

Train/validation are split by *source painting* (see :func:`painting_key`), deterministically by a
hash of the key, so crops of one painting never fall on both sides.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

STYLES: dict[str, int] = {"light": 0, "dark": 1}
MEASURE_SIZE = 128
PAPER_PERCENTILE = 90.0
INK_THRESHOLD = 0.2
HEAVY_THRESHOLD = 0.5
BLANK_COVER = 0.08
BLANK_PEAK = 0.30
DARK_HEAVY_FRACTION = 0.02
DARK_SILK_PAPER = 120.0
VALIDATION_FRACTION = 0.15
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

_CROP_NAME = re.compile(r"^\d+_of_\d+_in_(\d+)(?:-[a-z])?$", re.IGNORECASE)


@dataclass(frozen=True)
class InkMeasure:
    paper: float  # paper tone, 0..255
    ink_cover: float
    heavy_ink: float
    peak: float
    dark80: float
    blank: bool
    label: str  # "light" | "dark" | "faded" (also set for blank images, which training skips)

    @property
    def usable(self) -> bool:
        """Trains a style: not near-blank and labelled light or dark."""
        return not self.blank and self.label in STYLES

    def to_row(self) -> dict[str, Any]:
        return asdict(self)


def luminance(image: Image.Image, size: int = MEASURE_SIZE) -> np.ndarray:
    """Box-downsampled luminance in 0..255 as float32 (size×size)."""
    gray = image.convert("L")
    if gray.size != (size, size):
        gray = gray.resize((size, size), Image.Resampling.BOX)
    return np.asarray(gray, dtype=np.float32)


def measure_luminance(lum: np.ndarray) -> InkMeasure:
    """The ink measures of one luminance array (0..255); see the module docstring."""
    lum = np.asarray(lum, dtype=np.float32)
    paper = float(np.percentile(lum, PAPER_PERCENTILE))
    d = np.clip((paper - lum) / max(paper, 1.0), 0.0, 1.0)
    ink_cover = float((d > INK_THRESHOLD).mean())
    heavy = float((d > HEAVY_THRESHOLD).mean())
    peak = float(np.percentile(d, 99.0))
    dark80 = float((lum < 80).mean())
    blank = ink_cover < BLANK_COVER or peak < BLANK_PEAK
    if heavy >= DARK_HEAVY_FRACTION:
        label = "dark"
    elif paper >= DARK_SILK_PAPER:
        label = "light"
    else:
        label = "faded"
    return InkMeasure(paper, ink_cover, heavy, peak, dark80, blank, label)


def measure_image(image: Image.Image) -> InkMeasure:
    """Ink measures of a PIL image."""
    return measure_luminance(luminance(image))


def painting_key(file_name: str) -> str:
    """The source painting of a crop: ``3_of_13_in_064-a.jpg`` → ``in_064``; other files are their own painting.

    ``-a``/``-b`` halves and zero-padding variants (``02``/``002``) are grouped together on purpose:
    merging too much only makes the validation split stricter.
    """
    stem = Path(file_name).stem
    m = _CROP_NAME.match(stem)
    if m:
        return f"in_{int(m.group(1)):03d}"
    return stem


def split_of(key: str, validation_fraction: float = VALIDATION_FRACTION) -> str:
    """Deterministic split of a painting key: 'validation' or 'train' (sha256 of the key)."""
    h = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") / 2**64
    return "validation" if h < validation_fraction else "train"


def list_images(folder: str | Path) -> list[Path]:
    """Image files of a folder, sorted by name."""
    folder = Path(folder)
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith("."))


@dataclass(frozen=True)
class ManifestRow:
    file: str
    painting: str
    split: str
    measure: InkMeasure

    def to_row(self) -> dict[str, Any]:
        return {"file": self.file, "painting": self.painting, "split": self.split, **self.measure.to_row()}


def build_manifest(folder: str | Path) -> list[ManifestRow]:
    """Measure and split every image of ``folder`` (deterministic; about 3 s for 1,184 images)."""
    rows = []
    for path in list_images(folder):
        with Image.open(path) as im:
            im.draft("L", (MEASURE_SIZE, MEASURE_SIZE))
            m = measure_image(im)
        key = painting_key(path.name)
        rows.append(ManifestRow(path.name, key, split_of(key), m))
    return rows


MANIFEST_COLUMNS = ("file", "painting", "split", "label", "blank", "paper", "ink_cover", "heavy_ink", "peak", "dark80")


def manifest_csv(rows: list[ManifestRow]) -> str:
    """CSV text of a manifest (fixed column order, 4 decimals)."""
    lines = [",".join(MANIFEST_COLUMNS)]
    for r in rows:
        d = r.to_row()
        cells = []
        for c in MANIFEST_COLUMNS:
            v = d[c]
            if isinstance(v, bool):
                cells.append("1" if v else "0")
            elif isinstance(v, float):
                cells.append(f"{v:.4f}")
            else:
                cells.append(str(v))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"
