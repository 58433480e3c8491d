"""Realism and copying measures beside the SWD: a classifier two-sample test, nearest-neighbour
memorisation and the radial power spectrum. Image sets are float tensors in [-1, 1], (N, 3, H, W).

* **C2ST** (Lopez-Paz & Oquab, "Revisiting classifier two-sample tests", ICLR 2017): a small CNN,
  trained from scratch, learns to tell generated paintings from training paintings; its accuracy
  on *fresh* generated paintings against *validation* paintings is the measure. 0.5 = the two
  sets cannot be told apart, 1.0 = every painting is told correctly. Its floor uses other
  training paintings in place of the generated ones (:func:`plan_c2st`).
* **Memorisation**: the distance of each sample (32 px luminance, horizontal flips included) to its
  nearest training painting, against the same distance for the validation paintings, which the
  model never saw: a sample closer than the validation set's 1st percentile is suspiciously close.
* **Spectrum**: the azimuthally averaged power spectrum of samples over that of real paintings,
  per radial frequency; a narrow peak is a periodic artefact (a GAN's grid marks).

Example::

    >>> plan = plan_c2st(real_sets("images/", 64), seed=0)
    >>> c2st(plan.real_train, fake_train, plan.real_test, fake_test).mean   # 0.5 is perfect
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageDraw

from studio.engine.evaluate import luminance
from studio.engine.inkstyle import STYLES, build_manifest
from studio.engine.sampling import to_pil
from studio.engine.train.data import reference_images, resize_to, select_rows
from studio.errors import StudioError

C2ST_TRAIN = 300  # paintings per class the classifier learns from
C2ST_TEST = 100  # paintings per class it is scored on
C2ST_SEEDS = (0, 1, 2)
MEMORISATION_SIZE = 32
MEMORISATION_PERCENTILE = 1.0
SPECTRUM_WINDOW = 4  # radial bins on each side that make a bin's local baseline
SPECTRUM_PEAK = 0.5  # log2 excess over the local baseline that makes a peak (ratio 1.41x its neighbours)
SPECTRUM_MIN_RADIUS = 2  # the lowest radii hold few frequencies and mostly composition: no peak there


# ---------------------------------------------------------------------------------------------
# real paintings and the C2ST protocol


@dataclass(frozen=True)
class RealSets:
    """The usable paintings of a folder at one size: training and validation split (by source painting)."""

    train: torch.Tensor
    train_styles: list[str]
    train_paintings: list[str]
    validation: torch.Tensor
    validation_styles: list[str]


def real_sets(folder: str | Path, size: int, styles: Sequence[str] | None = None, cache_dir: str | Path | None = None) -> RealSets:
    """Training and validation paintings of ``styles`` (default: light and dark) at ``size`` px."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise StudioError(f"--data {folder} is not a folder of paintings")
    names = list(styles) if styles else list(STYLES)
    for name in names:
        if name not in STYLES:
            raise StudioError(f"unknown style '{name}' (light or dark)")
    rows = build_manifest(folder)
    parts: dict[str, tuple[list[torch.Tensor], list[str], list[str]]] = {"train": ([], [], []), "validation": ([], [], [])}
    for split, (images, labels, paintings) in parts.items():
        for name in names:
            picked = select_rows(rows, split, {name: STYLES[name]})
            if not picked:
                continue
            # reference_images loads the same rows in the same order
            images.append(reference_images(folder, size, name, split, cache_dir))
            labels += [name] * len(picked)
            paintings += [r.painting for r in picked]
        if not images:
            raise StudioError(f"no usable {'/'.join(names)} paintings in the {split} split of {folder}")
    (tr, tr_styles, tr_paintings), (va, va_styles, _) = parts["train"], parts["validation"]
    return RealSets(torch.cat(tr), tr_styles, tr_paintings, torch.cat(va), va_styles)


@dataclass(frozen=True)
class C2STPlan:
    """Which real paintings a C2ST uses, chosen once so a model and the floor see the same ones.

    The generated sets take the styles of ``train_styles`` and ``test_styles`` (one generated
    painting per real one). The floor's stand-ins are training paintings from source paintings
    that ``real_train`` does not use, so no crop of a painting sits on both sides.
    """

    real_train: torch.Tensor
    real_test: torch.Tensor  # validation paintings
    train_styles: list[str]
    test_styles: list[str]
    stand_in_train: torch.Tensor
    stand_in_test: torch.Tensor
    real_paintings: list[str]  # source paintings of real_train
    stand_in_paintings: list[str]  # source paintings of both stand-in sets

    def style_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Generated paintings needed per style: (for training the classifier, for scoring it)."""
        return _counts(self.train_styles), _counts(self.test_styles)


def _counts(names: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for n in names:
        out[n] = out.get(n, 0) + 1
    return out


def plan_c2st(reals: RealSets, seed: int = 0, train: int = C2ST_TRAIN, test: int = C2ST_TEST) -> C2STPlan:
    """Pick the real paintings of a C2ST and of its floor (fewer when the folder holds fewer).

    The training split is cut by source painting into the real class (``train`` paintings) and
    the floor's stand-ins (``train`` + ``test``); ``test`` validation paintings are scored.
    """
    g = torch.Generator().manual_seed(seed)
    n_test = min(test, len(reals.validation))
    n_train = min(train, (len(reals.train) - n_test) // 2)
    if n_train < 2 or n_test < 2:
        raise StudioError(f"too few paintings for a C2ST: {len(reals.train)} training and {len(reals.validation)} validation")
    keys = sorted(set(reals.train_paintings))
    order = [keys[i] for i in torch.randperm(len(keys), generator=g).tolist()]
    by_painting: dict[str, list[int]] = {}
    for i, key in enumerate(reals.train_paintings):
        by_painting.setdefault(key, []).append(i)
    while True:
        real_idx: list[int] = []
        other_idx: list[int] = []
        for key in order:
            # fill the real class first; a source painting is never split between the two sides
            (real_idx if len(real_idx) < n_train else other_idx).extend(by_painting[key])
        real_idx = real_idx[:n_train]  # the last painting's surplus crops are left out, not moved across
        if len(other_idx) >= n_train + n_test:
            break
        n_train -= 1  # few paintings, cut in large groups: learn from fewer
        if n_train < 2:
            raise StudioError(f"too few training paintings for a C2ST and its floor ({len(reals.train)})")
    other = torch.tensor(other_idx)[torch.randperm(len(other_idx), generator=g)]
    val_idx = torch.randperm(len(reals.validation), generator=g)[:n_test]
    real_t = torch.tensor(real_idx)
    return C2STPlan(
        real_train=reals.train[real_t],
        real_test=reals.validation[val_idx],
        train_styles=[reals.train_styles[i] for i in real_idx],
        test_styles=[reals.validation_styles[i] for i in val_idx.tolist()],
        stand_in_train=reals.train[other[:n_train]],
        stand_in_test=reals.train[other[n_train : n_train + n_test]],
        real_paintings=[reals.train_paintings[i] for i in real_idx],
        stand_in_paintings=[reals.train_paintings[i] for i in other[: n_train + n_test].tolist()],
    )


def generated_for_plan(plan: C2STPlan, pool: dict[str | None, torch.Tensor],
                       paint_style: Callable[[str], str | None] = lambda name: name) -> tuple[torch.Tensor, torch.Tensor]:
    """The generated paintings a C2ST learns from and is scored on, taken in order from ``pool``
    (paintings per painting style; ``paint_style`` maps a real painting's style to the pool's key,
    e.g. to None for an unconditional model): one per real painting of ``plan``, by style."""
    learn, score = plan.style_counts()
    taken: dict[str | None, int] = {}
    parts_learn, parts_score = [], []
    for name in sorted(learn.keys() | score.keys()):
        key = paint_style(name)
        start, a, b = taken.get(key, 0), learn.get(name, 0), score.get(name, 0)
        if key not in pool or len(pool[key]) < start + a + b:
            raise ValueError(f"the pool of style {key} holds {len(pool.get(key, []))} paintings, {start + a + b} needed")
        parts_learn.append(pool[key][start : start + a])
        parts_score.append(pool[key][start + a : start + a + b])
        taken[key] = start + a + b
    return torch.cat(parts_learn), torch.cat(parts_score)


def plan_needs(plan: C2STPlan, paint_style: Callable[[str], str | None] = lambda name: name) -> dict[str | None, int]:
    """Generated paintings per pool key that :func:`generated_for_plan` takes."""
    learn, score = plan.style_counts()
    need: dict[str | None, int] = {}
    for name in learn.keys() | score.keys():
        key = paint_style(name)
        need[key] = need.get(key, 0) + learn.get(name, 0) + score.get(name, 0)
    return need


def blur(images: torch.Tensor, sigma: float) -> torch.Tensor:
    """Gaussian blur (reflect padding) of images, sigma in pixels."""
    radius = max(1, int(math.ceil(3 * sigma)))
    x = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-(x**2) / (2 * sigma**2))
    k = (k / k.sum()).to(images)
    c = images.shape[1]
    out = F.pad(images, (radius, radius, radius, radius), mode="reflect")
    out = F.conv2d(out, k.view(1, 1, 1, -1).expand(c, 1, 1, -1).contiguous(), groups=c)
    return F.conv2d(out, k.view(1, 1, -1, 1).expand(c, 1, -1, 1).contiguous(), groups=c)


# ---------------------------------------------------------------------------------------------
# C2ST


@dataclass(frozen=True)
class C2STResult:
    size: int
    accuracies: list[float]  # held-out accuracy per classifier seed
    train: int  # paintings per class learnt from
    test: int  # paintings per class scored

    @property
    def mean(self) -> float:
        return float(np.mean(self.accuracies))

    @property
    def spread(self) -> float:
        """Standard deviation over classifier seeds (0 for one seed)."""
        return float(np.std(self.accuracies))

    def text(self) -> str:
        return f"{self.mean:.3f} ± {self.spread:.3f}"


class TwoSampleClassifier(nn.Module):
    """A small CNN from scratch: a space-to-depth stem (each 2×2 block of pixels becomes 12 channels,
    so no pixel is lost and the finest texture reaches the first convolution at a quarter of the
    cost of a full-size stem), then stride-2 stages down to 4 px (2 px at 8 px input), global pooling.

    Width doubles per stage (capped at 4× ``width``); BatchNorm is safe here because every
    training batch mixes both classes.
    """

    def __init__(self, size: int, width: int = 16, depth: int = 2) -> None:
        super().__init__()
        if size < 8 or size & (size - 1):
            raise ValueError(f"C2ST size must be a power of two >= 8, got {size}")
        stages = max(1, int(math.log2(size)) - 3)  # size/2 after the stem, then halved down to 4 px
        layers: list[nn.Module] = [nn.PixelUnshuffle(2), nn.Conv2d(12, width, 3, padding=1), nn.LeakyReLU(0.2)]
        ch = width
        for i in range(stages):
            out = min(width * 2 ** (i + 1), width * 4)
            layers += [nn.Conv2d(ch, out, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(out), nn.LeakyReLU(0.2)]
            for _ in range(depth - 1):
                layers += [nn.Conv2d(out, out, 3, padding=1, bias=False), nn.BatchNorm2d(out), nn.LeakyReLU(0.2)]
            ch = out
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(ch, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean(dim=(2, 3))).squeeze(1)


def _augment(x: torch.Tensor, shift: int, g: torch.Generator) -> torch.Tensor:
    """Random horizontal flips and translations of up to ``shift`` px (reflect padding)."""
    n, _, h, w = x.shape
    flip = torch.rand(n, generator=g) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(-1), x)
    if shift <= 0:
        return x
    padded = F.pad(x, (shift, shift, shift, shift), mode="reflect")
    dy = torch.randint(2 * shift + 1, (n,), generator=g)
    dx = torch.randint(2 * shift + 1, (n,), generator=g)
    return torch.stack([padded[i, :, dy[i] : dy[i] + h, dx[i] : dx[i] + w] for i in range(n)])


@dataclass(frozen=True)
class C2STOptions:
    """How the classifier trains; the defaults are the ones the instrument proof (docs/training.md) used."""

    epochs: int = 30
    width: int = 16
    depth: int = 2  # 3×3 convolutions per stage
    batch: int = 32
    lr: float = 2e-3
    weight_decay: float = 1e-4
    shift: int | None = None  # translation in px; None = size // 16
    seeds: tuple[int, ...] = C2ST_SEEDS


def train_classifier(real: torch.Tensor, fake: torch.Tensor, size: int, seed: int, options: C2STOptions) -> TwoSampleClassifier:
    """Train a fresh :class:`TwoSampleClassifier` (real → 0, fake → 1) on images already at ``size``."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = TwoSampleClassifier(size, options.width, options.depth)
    g = torch.Generator().manual_seed(10_000 + seed)
    x = torch.cat([real, fake])
    y = torch.cat([torch.zeros(len(real)), torch.ones(len(fake))])
    steps_per_epoch = max(1, math.ceil(len(x) / options.batch))
    total = options.epochs * steps_per_epoch
    opt = torch.optim.AdamW(net.parameters(), lr=options.lr, weight_decay=options.weight_decay, betas=(0.9, 0.99))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=options.lr, total_steps=total, pct_start=0.15)
    shift = size // 16 if options.shift is None else options.shift
    net.train()
    for _ in range(options.epochs):
        order = torch.randperm(len(x), generator=g)
        for s in range(steps_per_epoch):
            idx = order[s * options.batch : (s + 1) * options.batch]
            if len(idx) < 2:
                continue
            xb = _augment(x[idx], shift, g)
            loss = F.binary_cross_entropy_with_logits(net(xb), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    return net.eval()


@torch.no_grad()
def classifier_logits(net: TwoSampleClassifier, images: torch.Tensor, batch: int = 100) -> torch.Tensor:
    """Logits averaged over each image and its mirror image (flips are part of the training augmentation)."""
    out = []
    for i in range(0, len(images), batch):
        xb = images[i : i + batch]
        out.append((net(xb) + net(xb.flip(-1))) / 2)
    return torch.cat(out)


def c2st(
    real_train: torch.Tensor,
    fake_train: torch.Tensor,
    real_test: torch.Tensor,
    fake_test: torch.Tensor,
    *,
    size: int = 64,
    options: C2STOptions | None = None,
) -> C2STResult:
    """Classifier two-sample test: held-out accuracy of a CNN trained to tell ``fake`` from ``real``.

    Every set is resized (antialiased) to ``size``; the accuracy is over both test sets together,
    one figure per classifier seed. ~0.5 when the sets are alike, ~1.0 when every image is told.
    """
    options = options or C2STOptions()
    for name, s in (("real_train", real_train), ("fake_train", fake_train), ("real_test", real_test), ("fake_test", fake_test)):
        if s.dim() != 4 or s.shape[1] != 3 or len(s) == 0:
            raise ValueError(f"{name}: expected a non-empty (N, 3, H, W) set, got {tuple(s.shape)}")
    sets = [resize_to(s.float().cpu(), size) for s in (real_train, fake_train, real_test, fake_test)]
    test_x = torch.cat(sets[2:])
    test_y = torch.cat([torch.zeros(len(sets[2])), torch.ones(len(sets[3]))])
    accuracies = []
    for seed in options.seeds:
        net = train_classifier(sets[0], sets[1], size, seed, options)
        pred = (classifier_logits(net, test_x) > 0).float()
        accuracies.append(float((pred == test_y).float().mean()))
    return C2STResult(size, accuracies, train=min(len(sets[0]), len(sets[1])), test=min(len(sets[2]), len(sets[3])))


# ---------------------------------------------------------------------------------------------
# memorisation


def _thumbnails(images: torch.Tensor, size: int = MEMORISATION_SIZE) -> torch.Tensor:
    """Luminance antialiased to size×size, flattened and standardised per image: (N, size²).

    Each thumbnail loses its mean and is divided by its spread, so the distance compares the drawing,
    not the paper: a copy on a lighter or darker paper, or with weaker ink, is still a copy, and a
    faint painting with hardly any ink is not "close" to every dark-silk painting (on raw luminance a
    featureless painting's distance to a dim training painting is only that painting's own contrast).
    Every thumbnail then has an RMS of 1 (a perfectly flat one is all zeros, at distance 1 from every
    painting): unrelated paintings sit at ~0.9-1.4 from each other, a copy near 0.
    """
    lum = resize_to(luminance(images)[:, None] / 255.0, size).flatten(1).double()
    lum = lum - lum.mean(dim=1, keepdim=True)
    spread = lum.pow(2).mean(dim=1, keepdim=True).sqrt().clamp_min(1e-6)
    return (lum / spread).float()


def nearest_training(images: torch.Tensor, training: torch.Tensor, chunk: int = 256) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per image: RMS distance (32 px standardised luminance, see :func:`_thumbnails`) to the nearest
    training painting or its mirror image, the index of that painting and whether the match was mirrored."""
    a = _thumbnails(images)
    t = _thumbnails(training)
    side = MEMORISATION_SIZE
    t_flip = t.view(-1, side, side).flip(-1).reshape(len(t), -1)
    bank = torch.cat([t, t_flip])
    dists, index = [], []
    for i in range(0, len(a), chunk):
        d = torch.cdist(a[i : i + chunk].double(), bank.double())
        m = d.min(dim=1)
        dists.append(m.values)
        index.append(m.indices)
    d = torch.cat(dists) / math.sqrt(a.shape[1])
    k = torch.cat(index)
    return d.float(), k % len(t), k >= len(t)


@dataclass(frozen=True)
class MemorisationResult:
    distances: torch.Tensor  # per sample, to its nearest training painting
    matches: torch.Tensor  # index of that training painting
    mirrored: torch.Tensor  # the match is the painting's mirror image
    validation_distances: torch.Tensor
    threshold: float  # the validation distances' 1st percentile
    percentile: float

    @property
    def fraction(self) -> float:
        """Fraction of samples closer to a training painting than the threshold."""
        return float((self.distances < self.threshold).float().mean())

    @property
    def validation_fraction(self) -> float:
        return float((self.validation_distances < self.threshold).float().mean())

    def closest(self, count: int = 16) -> list[int]:
        """Indices of the samples closest to a training painting, closest first."""
        return torch.argsort(self.distances)[:count].tolist()


def memorisation(
    samples: torch.Tensor, training: torch.Tensor, validation: torch.Tensor, percentile: float = MEMORISATION_PERCENTILE
) -> MemorisationResult:
    """Nearest-training-painting distances of samples against those of validation paintings.

    >>> r = memorisation(samples, train, val); r.fraction   # share of samples closer than 99% of validation
    """
    d, k, mirrored = nearest_training(samples, training)
    vd, _, _ = nearest_training(validation, training)
    threshold = float(np.percentile(vd.numpy(), percentile))
    return MemorisationResult(d, k, mirrored, vd, threshold, percentile)


def closest_pairs_sheet(samples: torch.Tensor, training: torch.Tensor, result: MemorisationResult, count: int = 16,
                        per_row: int = 4) -> Image.Image:
    """A sheet of the ``count`` closest pairs: sample, then its nearest training painting (mirrored when
    the match was), with the distance under each pair; pairs below the threshold in red."""
    picks = result.closest(count)
    h = w = max(64, samples.shape[-1])
    pad, gap, caption = 4, 16, 14
    rows = math.ceil(len(picks) / per_row)
    sheet = Image.new("RGB", (per_row * (2 * w + pad + gap) + gap, rows * (h + caption + gap) + gap), (250, 248, 240))
    draw = ImageDraw.Draw(sheet)
    for n, i in enumerate(picks):
        match = training[int(result.matches[i])]
        if bool(result.mirrored[i]):
            match = match.flip(-1)
        tiles = to_pil(torch.stack([resize_to(samples[i : i + 1].float(), h)[0], resize_to(match[None].float(), h)[0]]))
        x0 = gap + (n % per_row) * (2 * w + pad + gap)
        y0 = gap + (n // per_row) * (h + caption + gap)
        sheet.paste(tiles[0].convert("RGB"), (x0, y0))
        sheet.paste(tiles[1].convert("RGB"), (x0 + w + pad, y0))
        d = float(result.distances[i])
        colour = (200, 0, 0) if d < result.threshold else (60, 60, 60)
        draw.text((x0, y0 + h + 2), f"d {d:.4f}{' (mirror)' if bool(result.mirrored[i]) else ''}", fill=colour)
    return sheet


# ---------------------------------------------------------------------------------------------
# spectrum


def radial_power(images: torch.Tensor) -> torch.Tensor:
    """Azimuthally averaged power spectrum of the luminance, averaged over images.

    Each image's luminance (0..1) loses its mean and is Hann-windowed (so the image border does not
    smear power along the axes); bin r holds the frequencies whose distance from DC rounds to r,
    r = 0 … ⌊√2·N/2⌋ (the corners of the spectrum included: a checkerboard sits at r ≈ 0.71 N).
    """
    lum = luminance(images) / 255.0
    n, h, w = lum.shape
    lum = lum - lum.mean(dim=(1, 2), keepdim=True)
    window = torch.hann_window(h, periodic=False)[:, None] * torch.hann_window(w, periodic=False)[None, :]
    power = torch.fft.fftshift(torch.fft.fft2(lum * window).abs() ** 2, dim=(-2, -1)).mean(dim=0)
    fy = torch.arange(h) - h // 2
    fx = torch.arange(w) - w // 2
    radius = torch.sqrt(fy[:, None].double() ** 2 * (w / h) ** 2 + fx[None, :].double() ** 2).round().long()
    bins = int(radius.max()) + 1
    total = torch.zeros(bins, dtype=torch.float64).index_add_(0, radius.flatten(), power.double().flatten())
    count = torch.zeros(bins, dtype=torch.float64).index_add_(0, radius.flatten(), torch.ones(radius.numel(), dtype=torch.float64))
    return (total / count.clamp_min(1)).float()


@dataclass(frozen=True)
class SpectralPeak:
    radius: int  # radial frequency bin (cycles per image width)
    period: float  # in pixels: width / radius
    ratio: float  # sample power / real power at this radius
    excess: float  # log2 of the ratio over its local baseline


@dataclass(frozen=True)
class SpectrumResult:
    size: int
    ratio: list[float]  # sample / real power per radius, radius 0 … (DC is left at 1)
    excess: list[float]  # log2 ratio minus the local baseline, per radius
    peaks: list[SpectralPeak] = field(default_factory=list)

    @property
    def max_excess(self) -> float:
        """Largest log2 excess at any radius a peak may sit on."""
        return max(self.excess[SPECTRUM_MIN_RADIUS:])


def spectrum_ratio(samples: torch.Tensor, reals: torch.Tensor, *, window: int = SPECTRUM_WINDOW,
                   threshold: float = SPECTRUM_PEAK) -> SpectrumResult:
    """Radial power of ``samples`` over that of ``reals`` (same size), and its peaks.

    Peak rule: with L(r) = log2 ratio at radius r and B(r) the median of L over the ``window``
    radii on each side of r (r itself left out; fewer at the ends), r ≥ 2 is a peak when
    L(r) − B(r) > ``threshold`` (0.5: the ratio is 1.41× that of its neighbours) and L(r) is not
    below L(r ± 1). A smooth excess or lack of fine detail moves B with L and is no peak; a periodic
    pattern puts power in a few radii only.
    """
    if samples.shape[-2:] != reals.shape[-2:]:
        raise ValueError(f"image sets differ in size: {tuple(samples.shape[-2:])} vs {tuple(reals.shape[-2:])}")
    ps, pr = radial_power(samples.float().cpu()), radial_power(reals.float().cpu())
    log_ratio = torch.log2(ps.clamp_min(1e-20) / pr.clamp_min(1e-20))
    log_ratio[0] = 0.0
    lr = log_ratio.tolist()
    excess = [0.0] * len(lr)
    peaks: list[SpectralPeak] = []
    size = samples.shape[-1]
    for r in range(1, len(lr)):
        neighbours = [lr[j] for j in range(max(1, r - window), min(len(lr), r + window + 1)) if j != r]
        excess[r] = lr[r] - float(np.median(neighbours))
        if r < SPECTRUM_MIN_RADIUS or excess[r] <= threshold:
            continue
        if (r > 1 and lr[r] < lr[r - 1]) or (r + 1 < len(lr) and lr[r] < lr[r + 1]):
            continue
        peaks.append(SpectralPeak(r, size / r, 2 ** lr[r], excess[r]))
    ratio = [2**v for v in lr]
    return SpectrumResult(size, ratio, excess, peaks)
