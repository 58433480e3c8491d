"""Style-conditional GAN training: a generator from :mod:`studio.models.inkgan` against a projection
discriminator.

Two recipes, chosen by ``--preset``:

``dcgan-resize`` (the bundled GAN, the default): :class:`~studio.models.inkgan.InkDCGenerator`
(BatchNorm, nearest-neighbour upsampling + 3×3 convolutions) against a DCGAN discriminator (strided
4×4 convolutions, no normalisation, leaky ReLU, a minibatch-std feature) with a projection head for
the style; the logistic (non-saturating) loss with lazy R1 on real images; a diversity floor in the
generator loss (:func:`diversity_shortfall`); Adam 2e-4 with β1 = 0.5 for both, as in DCGAN;
DiffAugment as below. The exported generator is the EMA of the weights with its BatchNorm
statistics recomputed for those averaged weights (:func:`standing_statistics`). The other
``dcgan-*`` presets are the runs that led there (docs/training.md).

``small`` / ``compact`` / ``tiny`` (the first recipe; never produced a usable model here, see
docs/training.md):
* discriminator: residual-free strided convolutions with spectral norm on every layer, leaky ReLU,
  and a projection head (Miyato & Koyama, ICLR 2018): ``D(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩``;
* hinge loss; Adam (β = 0, 0.999) with the two-time-scale rule (Heusel et al. 2017; BigGAN's
  1e-4 / 4e-4): with spectral norm everywhere an equal-rate discriminator barely moves from its
  start (hinge loss stuck at 2 for 100+ steps) and gives the generator no signal;
* differentiable augmentation (Zhao et al., "DiffAugment", NeurIPS 2020) on real and fake images
  alike, in both the D and G steps: random translation by up to 1/8 of the side and a cutout of
  half the side — the discriminator cannot memorise 800 paintings, and the generator is not
  taught the augmentations because they are applied to what it is compared against too;
* the generator has no BatchNorm (see inkgan), so its EMA (decay 0.999) is exact: that is what
  gets exported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm as _spectral_norm

from studio.engine.train.loop import TrainOptions
from studio.engine.train.state import EMA, optimizer_from_flat, optimizer_to_flat
from studio.errors import StudioError
from studio.models.inkfile import save_ink_checkpoint
from studio.models.inkgan import GENERATORS

DEFAULT_LR = 1e-4  # generator; the discriminator learns D_LR_MULT times faster (TTUR)
D_LR_MULT = 4.0
NZ = 128

# what the DCGAN-style presets share: resize+conv generator, unnormalised D with minibatch std, lazy R1,
# logistic loss, DCGAN's Adam (2e-4, beta1 0.5, equal rates)
_DCGAN: dict[str, Any] = {"generator": "InkDCGenerator", "discriminator": "dcgan", "d_norm": "none", "mbstd": True,
                          "loss": "logistic", "r1": 0.2, "r1_every": 4, "ngf": 64, "ndf": 64, "nz": NZ, "d_lr_mult": 1.0,
                          "beta1": 0.5, "lr": 2e-4}

PRESETS: dict[str, dict[str, Any]] = {
    "tiny": {"ngf": 8, "ndf": 8, "nz": 16},
    # 1.56 M + 0.78 M parameters: ~1.9 s per step of 16 at 64 px on one busy CPU core, 3.7x cheaper than small.
    # No spectral norm in D: at this width the SN discriminator did not separate real paintings from flat
    # paper colour in 180 steps (hinge loss pinned at 2.0, the generator collapsed to one flat tone), while
    # the same network without SN did within 30; DCGAN's Adam settings (equal rates, beta1 0.5) then.
    # Not yet a working recipe either (2026-12-01, 540 steps): D learned (hinge 0.5 by step 500), the
    # generator stayed on flat paper tones, and at step ~520 D's loss jumped to 6 (unregularised D).
    # Next to try: an R1 penalty on real images and a slower D, judged on a 10-minute run's samples.
    "compact": {"ngf": 16, "ndf": 16, "nz": NZ, "spectral_norm": False, "d_lr_mult": 1.0, "beta1": 0.5,
                "lr": 2e-4},
    "small": {"ngf": 32, "ndf": 32, "nz": NZ},
    # the bundled recipe: 3.67 M + 2.77 M parameters at 64 px
    "dcgan-resize": {**_DCGAN, "diversity": 2.0},
    # the second run: minibatch std and R1 but no diversity floor (still collapsed at 114 steps)
    "dcgan-mbstd": dict(_DCGAN),
    # tests: the bundled recipe with a few thousand parameters
    "dcgan-tiny": {**_DCGAN, "diversity": 2.0, "r1_every": 2, "ngf": 8, "ndf": 8, "nz": 16},
    # the first DCGAN run: BatchNorm in D, no minibatch std, no R1 (collapsed, see DCDiscriminator)
    "dcgan-bn": {k: v for k, v in _DCGAN.items() if k not in ("mbstd", "r1", "r1_every")} | {"d_norm": "batch"},
}
STANDING_BATCHES = 8  # x 64 images: the BatchNorm statistics of an exported DCGAN generator
STANDING_SEED = 4242


class InkDiscriminator(nn.Module):
    """Spectral-norm conv discriminator with a class-projection head; input (B, 3, R, R) in [-1, 1]."""

    def __init__(self, ndf: int = 48, resolution: int = 64, channels: int = 3, num_classes: int = 0, max_width_mult: int = 8,
                 spectral: bool = True) -> None:
        super().__init__()

        def spectral_norm(m: nn.Module) -> nn.Module:
            return _spectral_norm(m) if spectral else m

        n_down = int(torch.log2(torch.tensor(float(resolution)))) - 2
        widths = [ndf * min(max_width_mult, 2**i) for i in range(n_down + 1)]
        layers: list[nn.Module] = [spectral_norm(nn.Conv2d(channels, widths[0], 3, padding=1)), nn.LeakyReLU(0.2)]
        for a, b in zip(widths[:-1], widths[1:]):
            layers += [
                spectral_norm(nn.Conv2d(a, b, 4, stride=2, padding=1)), nn.LeakyReLU(0.2),
                spectral_norm(nn.Conv2d(b, b, 3, padding=1)), nn.LeakyReLU(0.2),
            ]
        self.features = nn.Sequential(*layers)
        self.head = spectral_norm(nn.Linear(widths[-1] * 16, 1))
        self.pool_dim = widths[-1] * 16
        self.embed = spectral_norm(nn.Embedding(num_classes, self.pool_dim)) if num_classes > 0 else None

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        h = self.features(x).flatten(1)
        out = self.head(h).squeeze(1)
        if self.embed is not None and labels is not None:
            out = out + (self.embed(labels) * h).sum(dim=1)
        return out


class DCDiscriminator(nn.Module):
    """DCGAN's discriminator (Radford et al., 2016) with a class-projection head; input (B, 3, R, R) in [-1, 1].

    Strided 4×4 convolutions halve the side down to 4 px, doubling the width (ndf … ndf·8), leaky ReLU
    0.2. ``norm="batch"`` puts BatchNorm after every convolution but the first, as in DCGAN; ``"none"``
    leaves it out. ``mbstd`` appends the minibatch standard deviation (Karras et al., ProGAN, 2018)
    as one more 4×4 feature: how much the images of a group differ, so a generator that paints
    every z alike is told so directly.

    Why not BatchNorm here (docs/training.md): D sees batches of only real or only fake images, and
    when the generator collapses to one picture per style, BatchNorm normalises the (all alike)
    fakes to the same constant whatever they look like, so D cannot tell the generator where to go:
    our run with it stayed collapsed (std across z 0.03) at 215 steps.
    """

    def __init__(self, ndf: int = 64, resolution: int = 64, channels: int = 3, num_classes: int = 0, max_width_mult: int = 8,
                 norm: str = "batch", mbstd: bool = False) -> None:
        super().__init__()
        if norm not in ("batch", "none"):
            raise ValueError(f"norm must be 'batch' or 'none', not {norm!r}")
        n_down = int(torch.log2(torch.tensor(float(resolution)))) - 2
        widths = [ndf * min(max_width_mult, 2**i) for i in range(n_down)]
        layers: list[nn.Module] = [nn.Conv2d(channels, widths[0], 4, stride=2, padding=1), nn.LeakyReLU(0.2, inplace=True)]
        for a, b in zip(widths[:-1], widths[1:]):
            if norm == "batch":
                layers += [nn.Conv2d(a, b, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(b)]
            else:
                layers += [nn.Conv2d(a, b, 4, stride=2, padding=1)]
            layers.append(nn.LeakyReLU(0.2, inplace=True))
        self.features = nn.Sequential(*layers)
        self.mbstd = mbstd
        self.pool_dim = widths[-1] * 16
        self.head = nn.Linear(self.pool_dim + (16 if mbstd else 0), 1)
        self.embed = nn.Embedding(num_classes, self.pool_dim) if num_classes > 0 else None
        if self.embed is not None:
            nn.init.normal_(self.embed.weight, std=0.02)
        dcgan_init(self)

    @staticmethod
    def minibatch_std(h: torch.Tensor, group: int = 4) -> torch.Tensor:
        """(B, 1, H, W): per group of ``group`` images, the mean over features of their standard deviation."""
        b = h.shape[0]
        g = group if b % group == 0 else (2 if b % 2 == 0 else 1)
        if g == 1:
            return torch.zeros_like(h[:, :1])
        y = h.reshape(g, b // g, *h.shape[1:])
        std = (y.var(dim=0, unbiased=False) + 1e-8).sqrt().mean(dim=(1, 2, 3))  # (B/g,)
        return std.repeat(g)[:, None, None, None].expand(b, 1, *h.shape[2:])

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        h = self.features(x)
        flat = h.flatten(1)
        head_in = torch.cat([flat, self.minibatch_std(h).flatten(1)], dim=1) if self.mbstd else flat
        out = self.head(head_in).squeeze(1)
        if self.embed is not None and labels is not None:
            out = out + (self.embed(labels) * flat).sum(dim=1)
        return out


def dcgan_init(module: nn.Module) -> None:
    """DCGAN's initialisation: convolutions N(0, 0.02), BatchNorm scales N(1, 0.02) and zero shifts."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


@torch.no_grad()
def standing_statistics(gen: nn.Module, num_classes: int, nz: int, batches: int = STANDING_BATCHES, batch: int = 64,
                        seed: int = STANDING_SEED) -> None:
    """Recompute a generator's BatchNorm running statistics for its current (e.g. averaged) weights.

    The statistics a BatchNorm keeps during training belong to the raw weights of the last steps; the
    EMA weights need their own ("standing statistics", Brock et al., BigGAN, 2019). The exact average
    over ``batches`` fixed batches of random z and balanced styles: the same weights always give the
    same statistics. Leaves the module in eval mode.
    """
    norms = [m for m in gen.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        gen.eval()
        return
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the batches below
    gen.train()
    g = torch.Generator("cpu").manual_seed(seed)
    for _ in range(batches):
        z = torch.randn((batch, nz), generator=g)
        labels = torch.arange(batch) % max(1, num_classes) if num_classes > 0 else None
        gen(z, labels)
    for m in norms:
        m.momentum = 0.1
    gen.eval()


def diversity_shortfall(fake_a: torch.Tensor, fake_b: torch.Tensor, real_a: torch.Tensor, real_b: torch.Tensor) -> torch.Tensor:
    """How far the generator's paintings are from differing as much as real paintings do, in [0, 1].

    ``1 - mean|G(z1) - G(z2)| / mean|x1 - x2|`` over pairs (two z, same style) against pairs of real
    paintings from the same batch, clamped at 0: a generator that paints every z alike scores 1, one
    as varied as the paintings 0. A floor in the spirit of mode-seeking GANs (Mao et al., CVPR 2019),
    whose ``1 / (|ΔG| / |Δz|)`` keeps rewarding difference without limit; here the data set the
    target, so it pushes only until the paintings vary as much as real ones.
    """
    real_spread = (real_a - real_b).abs().mean().detach().clamp(min=1e-3)
    fake_spread = (fake_a - fake_b).abs().mean()
    return F.relu(1 - fake_spread / real_spread)


def diff_augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """DiffAugment translation (±1/8, zero padding) + cutout (½ side), differentiable in ``x``."""
    b, _, h, w = x.shape
    # translation: shift by integer pixels via padding and a random crop (gather with indices)
    sh, sw = h // 8, w // 8
    ty = torch.randint(-sh, sh + 1, (b, 1, 1), generator=generator)
    tx = torch.randint(-sw, sw + 1, (b, 1, 1), generator=generator)
    gy, gx = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    yy = (gy[None] + ty).clamp(-1, h)  # -1 and h hit the zero padding
    xx = (gx[None] + tx).clamp(-1, w)
    padded = F.pad(x, (1, 1, 1, 1))
    idx_b = torch.arange(b)[:, None, None]
    x = padded.permute(0, 2, 3, 1)[idx_b, yy + 1, xx + 1].permute(0, 3, 1, 2)
    # cutout: a square of half the side centred anywhere, zeroed
    cy = torch.randint(0, h, (b, 1, 1), generator=generator)
    cx = torch.randint(0, w, (b, 1, 1), generator=generator)
    cut = ((gy[None] - cy).abs() < h // 4) & ((gx[None] - cx).abs() < w // 4)
    keep = ~cut
    return x * keep[:, None].to(x.dtype)


class GanTrainer:
    kind = "gan"

    def setup(self, accelerator: Any, opts: TrainOptions, styles: dict[str, int]) -> None:
        preset = opts.preset if opts.preset in PRESETS else None
        if preset is None:
            raise StudioError(f"unknown GAN --preset {opts.preset!r} (choose from {', '.join(PRESETS)})")
        p = PRESETS[preset]
        self.accelerator, self.opts, self.styles = accelerator, opts, styles
        num_classes = max(styles.values()) + 1
        self.config = {"nz": p["nz"], "ngf": p["ngf"], "resolution": opts.resolution, "channels": 3, "num_classes": num_classes}
        self.d_config = {"ndf": p["ndf"], "resolution": opts.resolution, "channels": 3, "num_classes": num_classes}
        self.g_class = str(p.get("generator", "InkGenerator"))
        self.d_kind = str(p.get("discriminator", "sn"))
        self.loss_kind = str(p.get("loss", "hinge"))
        if self.d_kind == "sn" and not p.get("spectral_norm", True):
            self.d_config["spectral"] = False
        if self.d_kind == "dcgan":
            self.d_config["norm"] = str(p.get("d_norm", "batch"))
            self.d_config["mbstd"] = bool(p.get("mbstd", False))
        # R1 (Mescheder et al., 2018): gamma/2 · |∇D(real)|², lazily every r1_every steps, scaled up to match
        self.r1, self.r1_every = float(p.get("r1", 0.0)), int(p.get("r1_every", 1))
        self.diversity = float(p.get("diversity", 0.0))
        self.d_lr_mult = float(p.get("d_lr_mult", D_LR_MULT))
        betas = (float(p.get("beta1", 0.0)), 0.999)
        gen = GENERATORS[self.g_class](**self.config)
        if self.g_class == "InkDCGenerator":
            dcgan_init(gen)
        disc = DCDiscriminator(**self.d_config) if self.d_kind == "dcgan" else InkDiscriminator(**self.d_config)
        self.lr = opts.lr or float(p.get("lr", DEFAULT_LR))
        opt_g = torch.optim.Adam(gen.parameters(), lr=self.lr, betas=betas)
        opt_d = torch.optim.Adam(disc.parameters(), lr=self.lr * self.d_lr_mult, betas=betas)
        self.ema = EMA(gen, max_decay=0.999)
        self.gen, self.disc, self.opt_g, self.opt_d = accelerator.prepare(gen, disc, opt_g, opt_d)
        self.params = sum(q.numel() for q in gen.parameters())
        self.d_params = sum(q.numel() for q in disc.parameters())

    def describe(self) -> str:
        if self.d_kind == "dcgan":
            d_name = f"DCGAN projection discriminator ({'BatchNorm' if self.d_config['norm'] == 'batch' else 'no norm'}"
            d_name += f"{', minibatch std' if self.d_config['mbstd'] else ''}{f', R1 {self.r1:g}' if self.r1 else ''})"
        else:
            d_name = ("SN " if self.d_config.get("spectral", True) else "") + "projection discriminator"
        return (f"{self.g_class} preset '{self.opts.preset}', {self.params / 1e6:.2f} M parameters; "
                f"{d_name.strip()} {self.d_params / 1e6:.2f} M; {self.loss_kind} loss, DiffAugment translation+cutout"
                + (f", diversity floor {self.diversity:g}" if self.diversity else ""))

    def train_step(self, x: torch.Tensor, labels: torch.Tensor, step: int, generator: torch.Generator) -> dict[str, float]:
        acc = self.accelerator
        b = x.shape[0]
        x, labels = x.to(acc.device), labels.to(acc.device)
        self.gen.train()
        self.disc.train()
        # discriminator
        z = torch.randn((b, self.config["nz"]), generator=generator).to(acc.device)
        with torch.no_grad():
            fake = self.gen(z, labels)
        real = diff_augment(x, generator)
        r1_now = self.r1 > 0 and step % self.r1_every == 0
        if r1_now:
            real = real.detach().requires_grad_(True)
        d_real = self.disc(real, labels)
        d_fake = self.disc(diff_augment(fake, generator), labels)
        if self.loss_kind == "logistic":
            loss_d = F.softplus(-d_real).mean() + F.softplus(d_fake).mean()
        else:
            loss_d = F.relu(1 - d_real).mean() + F.relu(1 + d_fake).mean()
        r1_penalty = torch.zeros(())
        if r1_now:
            (grad,) = torch.autograd.grad(d_real.sum(), real, create_graph=True)
            r1_penalty = grad.pow(2).sum(dim=(1, 2, 3)).mean()
            loss_d = loss_d + (self.r1 / 2) * self.r1_every * r1_penalty
        self.opt_d.zero_grad(set_to_none=True)
        acc.backward(loss_d)
        self.opt_d.step()
        # generator
        z = torch.randn((b, self.config["nz"]), generator=generator).to(acc.device)
        half = b // 2
        if self.diversity > 0 and half > 0:
            labels = torch.cat([labels[:half], labels[:half], labels[2 * half:]])  # pairs (i, i + half) share a style
        fake = self.gen(z, labels)
        self.disc.requires_grad_(False)
        d_gen = self.disc(diff_augment(fake, generator), labels)
        loss_g = F.softplus(-d_gen).mean() if self.loss_kind == "logistic" else -d_gen.mean()
        spread = torch.zeros(())
        if self.diversity > 0 and half > 0:
            spread = diversity_shortfall(fake[:half], fake[half : 2 * half], x[:half], x[half : 2 * half])
            loss_g = loss_g + self.diversity * spread
        self.disc.requires_grad_(True)
        self.opt_g.zero_grad(set_to_none=True)
        acc.backward(loss_g)
        self.opt_g.step()
        self.ema.update(acc.unwrap_model(self.gen), step)
        return {"loss": float(loss_d.detach()), "loss_g": float(loss_g.detach()), "r1": float(r1_penalty.detach()),
                "diversity_shortfall": float(spread.detach()),
                "d_real": float(d_real.detach().mean()), "d_fake": float(d_fake.detach().mean())}

    def state_groups(self) -> dict[str, dict[str, torch.Tensor]]:
        unwrap = self.accelerator.unwrap_model
        flat_g, _ = optimizer_to_flat(self.opt_g)
        flat_d, _ = optimizer_to_flat(self.opt_d)
        return {
            "generator": dict(unwrap(self.gen).state_dict()),
            "discriminator": dict(unwrap(self.disc).state_dict()),
            "ema": self.ema.state_dict(),
            "optimizer_g": flat_g,
            "optimizer_d": flat_d,
        }

    def state_info(self) -> dict[str, Any]:
        return {
            "optimizer_g_groups": optimizer_to_flat(self.opt_g)[1],
            "optimizer_d_groups": optimizer_to_flat(self.opt_d)[1],
            "generator_config": self.config,
            "discriminator_config": self.d_config,
            "generator_class": self.g_class,
            "discriminator_kind": self.d_kind,
        }

    def load_groups(self, groups: dict[str, dict[str, torch.Tensor]], info: dict[str, Any]) -> None:
        same_kind = (info.get("generator_class", "InkGenerator"), info.get("discriminator_kind", "sn")) == (self.g_class, self.d_kind)
        if not same_kind or info.get("generator_config") != self.config or info.get("discriminator_config") != self.d_config:
            raise StudioError("--resume: the saved run used another model configuration (preset/resolution/style)")
        unwrap = self.accelerator.unwrap_model
        unwrap(self.gen).load_state_dict(groups["generator"])
        unwrap(self.disc).load_state_dict(groups["discriminator"])
        self.ema.load_state_dict(groups["ema"])
        optimizer_from_flat(self.opt_g, groups["optimizer_g"], info["optimizer_g_groups"])
        optimizer_from_flat(self.opt_d, groups["optimizer_d"], info["optimizer_d_groups"])
        for group in self.opt_g.param_groups:  # this run's --lr, not the saved one
            group["lr"] = self.lr
        for group in self.opt_d.param_groups:
            group["lr"] = self.lr * self.d_lr_mult

    def export(self, path: Path, provenance: dict[str, Any]) -> Path:
        module = GENERATORS[self.g_class](**self.config)
        self.ema.copy_to(module)
        standing_statistics(module, self.config["num_classes"], self.config["nz"])
        state = {k: (v.half() if v.is_floating_point() else v) for k, v in module.state_dict().items()}
        meta = {
            "kind": "gan",
            "name": f"Ink GAN {self.opts.resolution}",
            "architecture": {"class": self.g_class, "config": dict(self.config)},
            "styles": dict(self.styles),
            "resolution": self.opts.resolution,
            "channels": 3,
            "provenance": {**provenance, "parameters": self.params, "weights": "EMA generator, float16"},
        }
        return save_ink_checkpoint(path, state, meta)
