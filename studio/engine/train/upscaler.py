"""Training the ink upscaler (:class:`studio.models.inkupscaler.InkUpscaler`).

Data (:class:`CropData`): the usable training-split paintings at 512 px, kept in memory as uint8.
A sample is a *level* (which doubling: output 64, 128, 256 or 512 px — uniform), then the region of
the painting that a 64 px crop of the painting reduced to that size covers (the whole painting for
64 px, a 64 px crop of the original for 512 px), resized to 64 px with antialiasing, flipped
horizontally with probability ½. That is the high-resolution target; the input is made from it in
:meth:`UpscalerTrainer.degrade`:

* a 2× reduction by one of three kernels (box, antialiased bilinear, antialiased bicubic), so the
  network does not learn the fingerprint of one resize;
* conditioning augmentation (Ho et al. 2021, cascaded diffusion): with probability ½ a Gaussian blur
  (σ up to 1 px), with probability ½ Gaussian noise (σ up to 0.04), so the upscaler does not amplify
  what the composition model gets slightly wrong.

Loss of the generator: L1 on the Laplacian pyramid of output and target (64, 32, 16, 8 px bands)
plus 0.05 × the hinge loss of a conditional patch discriminator (strided convolutions, no
normalisation, receptive field ~22 px, sees the bicubic base and the level beside the image), from
step ``ADV_START`` on and only for the doublings to 256 and 512 px (``ADV_MIN_LEVEL``): there the
finest band is weighted 0.25, so the adversarial term decides the fine texture rather than the
blur-favouring mean; the doublings to 64 and 128 px are plain reconstruction (all bands 1). The
discriminator sees only the judged levels: hinge loss and lazy R1 (γ = 1 every 4 steps). Adam for
both; the EMA of the generator (decay up to 0.999) is exported.

Checkpoint measure (:meth:`UpscalerTrainer.evaluate`): ``EVAL_COUNT`` validation paintings reduced
to 64 px with Lanczos, upscaled ×4 (two passes), SWD per level against the 256 px originals, beside
Lanczos ×4 of the same 64 px images.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.engine.inkstyle import STYLES, build_manifest
from studio.engine.swd import laplacian_pyramid
from studio.engine.train.data import load_images, select_rows, to_model_range
from studio.engine.train.loop import TrainOptions
from studio.engine.train.state import EMA, optimizer_from_flat, optimizer_to_flat
from studio.errors import StudioError
from studio.models.inkfile import save_ink_checkpoint
from studio.models.inkupscaler import LEVELS, InkUpscaler, LoadedUpscaler

CROP = 64
SOURCE = 512
ADV_START = 300
ADV_WEIGHT = 0.05
# the adversarial term judges only the doublings to 256 and 512 px (levels 2, 3): where it also
# judged 64→128, the generator learnt to outline every input pixel (4 px cells on the 256 px
# painting; docs/training.md) — at 64 and 128 px a painting has no ink texture left to invent
ADV_MIN_LEVEL = 2
# Laplacian L1 band weights (finest band first), per level: the finest band is down-weighted only
# where the adversarial term decides the texture
BAND_WEIGHTS = (0.25, 1.0, 1.0, 1.0)
PLAIN_BAND_WEIGHTS = (1.0, 1.0, 1.0, 1.0)
R1_GAMMA = 1.0
R1_EVERY = 4
EVAL_COUNT = 48
DEFAULT_LR = 2e-4

PRESETS: dict[str, dict[str, int]] = {
    "tiny": {"width": 8, "blocks": 1, "hr_blocks": 1, "ndf": 8},  # tests
    # 0.40 M + 0.18 M parameters; ~1.6 s per generator step of 16 on one busy core
    "ink": {"width": 48, "blocks": 6, "hr_blocks": 1, "ndf": 48},
}


class CropData:
    """Random high-resolution crops at the four levels (see the module docstring)."""

    def __init__(self, folder: Path, cache_dir: Path | None, limit: int | None = None, source: int = SOURCE) -> None:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise StudioError(f"--data {folder} is not a folder of paintings")
        rows = select_rows(build_manifest(folder), "train", dict(STYLES))
        if limit is not None:
            rows = rows[:limit]
        if not rows:
            raise StudioError(f"no usable paintings in {folder}")
        self.source = source
        self.images = load_images(folder, rows, source, dict(STYLES), cache_dir)
        self.paintings = len(set(self.images.paintings))

    def __len__(self) -> int:
        return len(self.images.files)

    def describe(self) -> str:
        return f"{len(self)} images from {self.paintings} paintings at {self.source} px, random {CROP} px crops at {LEVELS} levels"

    def batch(self, size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """(high-resolution crops in [-1, 1], (size, 3, 64, 64); their levels)."""
        picks = torch.randint(len(self), (size,), generator=generator)
        levels = torch.randint(LEVELS, (size,), generator=generator)
        jitter = torch.rand(size, generator=generator) * 0.2 + 0.8
        offsets = torch.rand(size, 2, generator=generator)
        flips = torch.rand(size, generator=generator) < 0.5
        out = torch.empty((size, 3, CROP, CROP))
        for i in range(size):
            target = CROP * 2 ** int(levels[i])  # the painting's size at this level
            side = self.source * CROP // target
            if int(levels[i]) == 0:
                side = max(CROP, int(round(float(jitter[i]) * self.source)))
            side = min(side, self.source)
            y0 = int(float(offsets[i, 0]) * (self.source - side + 1))
            x0 = int(float(offsets[i, 1]) * (self.source - side + 1))
            crop = to_model_range(self.images.pixels[int(picks[i]) : int(picks[i]) + 1, :, y0 : y0 + side, x0 : x0 + side])
            if side != CROP:
                crop = F.interpolate(crop, size=(CROP, CROP), mode="bicubic", antialias=True, align_corners=False)
            out[i] = crop[0].clamp(-1, 1).flip(-1) if flips[i] else crop[0].clamp(-1, 1)
        return out, levels


def _gaussian_blur(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """Per-image Gaussian blur (σ per image, 5×5 kernel, reflect padding)."""
    r = torch.arange(-2, 3, dtype=x.dtype)
    k1 = torch.exp(-(r[None, :] ** 2) / (2 * sigma.clamp_min(1e-3)[:, None] ** 2))
    k1 = k1 / k1.sum(dim=1, keepdim=True)
    k2 = k1[:, :, None] * k1[:, None, :]  # (N, 5, 5)
    n, c, h, w = x.shape
    xp = F.pad(x.reshape(1, n * c, h, w), (2, 2, 2, 2), mode="reflect")
    weight = k2.repeat_interleave(c, dim=0)[:, None]
    return F.conv2d(xp, weight, groups=n * c).reshape(n, c, h, w)


def degrade(high: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """The low-resolution input for ``high``: a random 2× reduction kernel and conditioning augmentation."""
    n = high.shape[0]
    h, w = high.shape[-2] // 2, high.shape[-1] // 2
    kernels = torch.randint(3, (n,), generator=generator)
    low = torch.empty((n, 3, h, w))
    for k, mode in enumerate(("box", "bilinear", "bicubic")):
        sel = (kernels == k).nonzero().flatten()
        if len(sel) == 0:
            continue
        if mode == "box":
            low[sel] = F.avg_pool2d(high[sel], 2)
        else:
            low[sel] = F.interpolate(high[sel], size=(h, w), mode=mode, antialias=True, align_corners=False)
    blur_on = torch.rand(n, generator=generator) < 0.5
    sigma = torch.rand(n, generator=generator) * 1.0
    blurred = _gaussian_blur(low, torch.where(blur_on, sigma, torch.full_like(sigma, 1e-3)))
    low = torch.where(blur_on[:, None, None, None], blurred, low)
    noise_on = (torch.rand(n, generator=generator) < 0.5).float()
    noise_sigma = torch.rand(n, generator=generator) * 0.04 * noise_on
    low = low + torch.randn(low.shape, generator=generator) * noise_sigma[:, None, None, None]
    return low.clamp(-1, 1)


class PatchDiscriminator(nn.Module):
    """Conditional patch discriminator: (image, its bicubic base, the level) → a map of scores.

    The level enters as one-hot planes: without it one discriminator judged every doubling by the
    same standard and pushed the 64→128 pass towards the fine grain of 512 px crops (the 128 px SWD
    level rose above Lanczos while the 256 px one fell; docs/training.md).
    """

    def __init__(self, ndf: int = 64, levels: int = LEVELS) -> None:
        super().__init__()
        self.levels = levels
        self.net = nn.Sequential(
            nn.Conv2d(6 + levels, ndf, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf * 2, ndf * 2, 3, 1, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf * 2, 1, 3, 1, 1),
        )

    def forward(self, image: torch.Tensor, base: torch.Tensor, level: torch.Tensor) -> torch.Tensor:
        planes = F.one_hot(level, self.levels).to(image.dtype)[:, :, None, None].expand(-1, -1, *image.shape[-2:])
        return self.net(torch.cat([image, base, planes], dim=1))


def pyramid_l1(a: torch.Tensor, b: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
    """L1 on the Laplacian pyramid (64, 32, 16, 8 px bands); ``weights`` (N, bands) per image, else BAND_WEIGHTS."""
    pa, pb = laplacian_pyramid(a, min_size=8), laplacian_pyramid(b, min_size=8)
    if weights is None:
        weights = torch.tensor(BAND_WEIGHTS, dtype=a.dtype, device=a.device).expand(a.shape[0], -1)
    total = a.new_zeros(())
    for i, (la, lb) in enumerate(zip(pa, pb)):
        per_image = (la - lb).abs().mean(dim=(1, 2, 3))
        total = total + (weights[:, min(i, weights.shape[1] - 1)] * per_image).mean()
    return total


def band_weights(levels: torch.Tensor, adversarial: bool, adv_min_level: int) -> torch.Tensor:
    """Per-image band weights: BAND_WEIGHTS where the adversarial term judges the image, else PLAIN_BAND_WEIGHTS."""
    judged = (levels >= adv_min_level) & adversarial
    soft = torch.tensor(BAND_WEIGHTS, device=levels.device)
    plain = torch.tensor(PLAIN_BAND_WEIGHTS, device=levels.device)
    return torch.where(judged[:, None], soft[None], plain[None])


class UpscalerTrainer:
    kind = "upscaler"

    def make_data(self, opts: TrainOptions, styles: dict[str, int]) -> CropData:
        return CropData(opts.data, opts.cache_dir, opts.limit_images)

    def setup(self, accelerator: Any, opts: TrainOptions, styles: dict[str, int]) -> None:
        if opts.preset not in PRESETS:
            raise StudioError(f"unknown --preset {opts.preset!r} for the upscaler (choose from {', '.join(PRESETS)})")
        p = PRESETS[opts.preset]
        self.accelerator, self.opts = accelerator, opts
        self.config = {"width": p["width"], "blocks": p["blocks"], "hr_blocks": p["hr_blocks"], "levels": LEVELS}
        self.ndf = p["ndf"]
        self.adv_start = int(opts.extra.get("adv_start", ADV_START))
        self.adv_min_level = int(opts.extra.get("adv_min_level", ADV_MIN_LEVEL))
        self.warm_from = 0  # later after a compact resume (fresh optimiser moments)
        g = InkUpscaler(**self.config)
        d = PatchDiscriminator(self.ndf)
        self.lr = opts.lr or DEFAULT_LR
        opt_g = torch.optim.Adam(g.parameters(), lr=self.lr, betas=(0.9, 0.99))
        opt_d = torch.optim.Adam(d.parameters(), lr=self.lr, betas=(0.5, 0.99))
        self.ema = EMA(g, max_decay=0.999)
        self.g, self.d, self.opt_g, self.opt_d = accelerator.prepare(g, d, opt_g, opt_d)
        self.params = sum(p.numel() for p in g.parameters())
        self.d_params = sum(p.numel() for p in d.parameters())

    def describe(self) -> str:
        return (f"InkUpscaler preset '{self.opts.preset}' {self.params / 1e6:.2f} M parameters (×2, {LEVELS} levels), "
                f"patch discriminator {self.d_params / 1e6:.2f} M; Laplacian L1 + {ADV_WEIGHT} hinge on levels ≥ {self.adv_min_level} "
                f"from step {self.adv_start}, R1 {R1_GAMMA}")

    def train_step(self, x: torch.Tensor, labels: torch.Tensor, step: int, generator: torch.Generator) -> dict[str, float]:
        acc = self.accelerator
        dev = acc.device
        high = x.to(dev)
        levels = labels.to(dev)
        low = degrade(x, generator).to(dev)
        noise = torch.randn((x.shape[0], 1, x.shape[-2], x.shape[-1]), generator=generator).to(dev)
        base = F.interpolate(low, scale_factor=2, mode="bicubic", align_corners=False)
        judged = (levels >= self.adv_min_level).nonzero().flatten()
        adversarial = step >= self.adv_start and len(judged) > 0
        stats: dict[str, float] = {}
        self.g.train()
        if adversarial:
            # discriminator, on the images of the judged levels only
            fake = self.g(low[judged], noise[judged], levels[judged]).detach()
            real = high[judged].detach().requires_grad_(step % R1_EVERY == 0)
            d_real = self.d(real, base[judged], levels[judged])
            d_fake = self.d(fake, base[judged], levels[judged])
            loss_d = F.relu(1 - d_real).mean() + F.relu(1 + d_fake).mean()
            if step % R1_EVERY == 0:
                (grad,) = torch.autograd.grad(d_real.sum(), real, create_graph=True)
                loss_d = loss_d + R1_GAMMA / 2 * grad.pow(2).sum(dim=(1, 2, 3)).mean() * R1_EVERY
            acc.backward(loss_d)
            self.opt_d.step()
            self.opt_d.zero_grad(set_to_none=True)
            stats["loss_d"] = float(loss_d.detach())
        out = self.g(low, noise, levels)
        rec = pyramid_l1(out, high, band_weights(levels, adversarial, self.adv_min_level))
        loss = rec
        if adversarial:
            adv = -self.d(out[judged], base[judged], levels[judged]).mean()
            loss = loss + ADV_WEIGHT * adv * len(judged) / len(levels)
            stats["adv"] = float(adv.detach())
        for group in self.opt_g.param_groups:
            group["lr"] = self.lr * min(1.0, (step + 1 - self.warm_from) / 100)
        acc.backward(loss)
        acc.clip_grad_norm_(self.g.parameters(), 1.0)
        self.opt_g.step()
        self.opt_g.zero_grad(set_to_none=True)
        self.d.zero_grad(set_to_none=True)
        self.ema.update(acc.unwrap_model(self.g), step)
        stats["loss"] = float(rec.detach())
        return stats

    def state_groups(self) -> dict[str, dict[str, torch.Tensor]]:
        flat_g, _ = optimizer_to_flat(self.opt_g)
        flat_d, _ = optimizer_to_flat(self.opt_d)
        unwrap = self.accelerator.unwrap_model
        return {"generator": dict(unwrap(self.g).state_dict()), "discriminator": dict(unwrap(self.d).state_dict()),
                "ema": self.ema.state_dict(), "optimizer_g": flat_g, "optimizer_d": flat_d}

    def state_info(self) -> dict[str, Any]:
        _, groups_g = optimizer_to_flat(self.opt_g)
        _, groups_d = optimizer_to_flat(self.opt_d)
        return {"optimizer_groups_g": groups_g, "optimizer_groups_d": groups_d, "upscaler_config": self.config, "ndf": self.ndf,
                "warm_from": self.warm_from, "d_levels": True}

    def load_groups(self, groups: dict[str, dict[str, torch.Tensor]], info: dict[str, Any]) -> None:
        if info.get("upscaler_config") != self.config or info.get("ndf") != self.ndf:
            raise StudioError("--resume: the saved run used another upscaler configuration (preset)")
        if "discriminator" in groups and not info.get("d_levels"):
            raise StudioError("--resume: the saved discriminator does not see the level; drop it with scripts/compact_state.py --drop-discriminator")
        unwrap = self.accelerator.unwrap_model
        unwrap(self.g).load_state_dict(groups.get("generator", groups["ema"]))  # EMA-only point: train on from the EMA
        self.ema.load_state_dict(groups["ema"])
        # a compact resume point keeps only the generator and its EMA: the discriminator and the
        # optimiser moments start afresh and re-warm
        if "discriminator" in groups:
            unwrap(self.d).load_state_dict(groups["discriminator"])
        if "optimizer_g" in groups:
            optimizer_from_flat(self.opt_g, groups["optimizer_g"], info["optimizer_groups_g"])
            self.warm_from = int(info.get("warm_from", 0))
        else:
            self.warm_from = int(info["step"])
        if "optimizer_d" in groups:
            optimizer_from_flat(self.opt_d, groups["optimizer_d"], info["optimizer_groups_d"])

    def ema_module(self) -> InkUpscaler:
        module = InkUpscaler(**self.config)
        self.ema.copy_to(module)
        return module.eval()

    def export(self, path: Path, provenance: dict[str, Any]) -> Path:
        module = self.ema_module()
        meta = {
            "kind": "upscaler",
            "name": "Ink upscaler ×2",
            "architecture": {"class": "InkUpscaler", "config": dict(self.config)},
            "styles": {},
            "resolution": CROP,
            "channels": 3,
            "provenance": {**provenance, "parameters": self.params, "weights": "EMA, float32"},
        }
        return save_ink_checkpoint(path, dict(module.state_dict()), meta)

    def evaluate(self, model_path: Path, opts: TrainOptions, work: Path, step: int, swd: bool) -> dict[str, Any]:
        """SWD at 256 px of validation paintings reduced to 64 px and upscaled ×4, ink and Lanczos."""
        from studio.engine.upscale import ink_upscale, lanczos_upscale
        from studio.models.inkupscaler import load_upscaler

        if not swd:
            return {}
        real = validation_set(opts, 256)
        small = validation_set(opts, 64)
        up = load_upscaler(model_path)
        ink = ink_upscale(up, small, list(range(len(small))), passes=2)
        figures = upscale_swd(real, ink)
        if not hasattr(self, "_lanczos"):
            self._lanczos = upscale_swd(real, lanczos_upscale(small, 4))
        out = {"swd_ink_levels": figures["levels"], "swd_lanczos_levels": self._lanczos["levels"],
               "swd_levels_px": figures["sizes"], "swd_ink": figures["mean"], "swd_lanczos": self._lanczos["mean"],
               # what the upscaler is for: the two finest levels (selects the exported model)
               "swd_mean": round(sum(figures["levels"][:2]) / 2, 2)}
        _save_sheet(work, step, small[:6], ink[:6], lanczos_upscale(small[:6], 4), real[:6])
        return out


_VALIDATION: dict[tuple[str, int, int | None], torch.Tensor] = {}


def validation_set(opts: TrainOptions, size: int) -> torch.Tensor:
    """The first ``EVAL_COUNT`` usable validation paintings, Lanczos-reduced to ``size`` px, in [-1, 1]."""
    key = (str(opts.data), size, opts.limit_images)
    if key not in _VALIDATION:
        rows = select_rows(build_manifest(Path(opts.data)), "validation", dict(STYLES))[:EVAL_COUNT]
        if not rows:
            raise StudioError(f"no usable validation paintings in {opts.data}")
        _VALIDATION[key] = to_model_range(load_images(Path(opts.data), rows, size, dict(STYLES), opts.cache_dir).pixels)
    return _VALIDATION[key]


def upscale_swd(real: torch.Tensor, candidate: torch.Tensor) -> dict[str, Any]:
    from studio.engine.swd import swd

    r = swd(real, candidate)
    return {"sizes": r.sizes, "levels": [round(v, 2) for v in r.levels], "mean": round(r.mean, 2)}


def _save_sheet(work: Path, step: int, small: torch.Tensor, ink: torch.Tensor, lanczos: torch.Tensor, real: torch.Tensor) -> None:
    import os

    from studio.engine.evaluate import image_grid

    bicubic_small = F.interpolate(small, scale_factor=4, mode="nearest")
    grid = image_grid([bicubic_small, lanczos, ink, real])
    samples = work / "samples"
    samples.mkdir(parents=True, exist_ok=True)
    tmp = samples / f".step-{step:07d}.png.part"
    grid.save(tmp, format="PNG")
    os.replace(tmp, samples / f"step-{step:07d}.png")


def loaded(path: Path) -> LoadedUpscaler:  # pragma: no cover - convenience for scripts
    from studio.models.inkupscaler import load_upscaler

    return load_upscaler(path)
