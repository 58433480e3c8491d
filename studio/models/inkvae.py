"""The project's own style-conditional convolutional VAE (``ink-vae-32``): the approximate-density family.

Contract used by the format module (:mod:`studio.models.formats.inkvae`), the trainer and the
classroom: ``InkVAE(**config)``;

* ``encode(x, labels) -> (mu, logvar)``, each (B, latent) — the Gaussian posterior q(z | x, style);
* ``decode(z, labels) -> (mean, log_scale)``, each (B, C, R, R) — per sub-pixel a logistic
  distribution over [-1, 1], discretised to the 256 pixel values (as PixelCNN++'s likelihood,
  Salimans et al. 2017, with one component and no autoregression: the pixels of a painting are
  independent given z, which is why a VAE's paintings are blurred);
* ``forward(z, labels)`` = the decoder's mean, clamped to [-1, 1]: the painting shown for a latent
  (what every VAE demo shows, rather than the per-pixel noise a sample of p(x | z) would add).

Likelihood in bits per dimension: ``-ELBO / (C·R·R·ln 2)`` with ELBO = E_q[log p(x|z)] - KL(q || N(0, I)),
an upper bound on the true negative log-likelihood; a uniform choice among 256 values is 8.0.

Architecture: encoder of strided 4×4 convolutions down to 4×4 (width doubling up to ``max_mult``),
a linear map to mean and log-variance; decoder of a linear map of [z, style] to 4×4, then one block
per doubling (nearest upsample, two 3×3 convolutions), SiLU throughout, no normalisation (the
paintings of a batch stay independent). The style is a learned embedding added to the first
encoder features and concatenated to z in the decoder.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

BIN = 1.0 / 255.0  # half the width of one pixel value's bin on [-1, 1]
MIN_LOG_SCALE = -7.0


class InkVAE(nn.Module):
    def __init__(self, latent: int = 64, nf: int = 32, resolution: int = 32, channels: int = 3, num_classes: int = 0,
                 max_mult: int = 4) -> None:
        super().__init__()
        problem = vae_size_problem({"latent": latent, "nf": nf, "resolution": resolution, "channels": channels,
                                    "num_classes": num_classes, "max_mult": max_mult})
        if problem:
            raise ValueError(problem)
        self.latent, self.resolution, self.channels, self.num_classes = latent, resolution, channels, num_classes
        n = int(math.log2(resolution)) - 2  # doublings between 4 px and the resolution
        widths = [nf * min(max_mult, 2**i) for i in range(n + 1)]
        self.embed = nn.Embedding(num_classes, widths[0]) if num_classes > 0 else None
        self.dec_embed = nn.Embedding(num_classes, 16) if num_classes > 0 else None
        self.enc_in = nn.Conv2d(channels, widths[0], 3, padding=1)
        enc: list[nn.Module] = []
        for a, b in zip(widths[:-1], widths[1:]):
            enc += [nn.Conv2d(a, b, 4, stride=2, padding=1), nn.SiLU(), nn.Conv2d(b, b, 3, padding=1), nn.SiLU()]
        self.encoder = nn.Sequential(*enc)
        self.top = widths[-1]
        self.to_posterior = nn.Linear(widths[-1] * 16, 2 * latent)
        self.from_latent = nn.Linear(latent + (16 if num_classes > 0 else 0), widths[-1] * 16)
        dec: list[nn.Module] = []
        for a, b in zip(reversed(widths[1:]), reversed(widths[:-1])):
            dec += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(a, b, 3, padding=1), nn.SiLU(),
                    nn.Conv2d(b, b, 3, padding=1), nn.SiLU()]
        self.decoder = nn.Sequential(*dec)
        self.to_pixels = nn.Conv2d(widths[0], 2 * channels, 3, padding=1)

    def encode(self, x: torch.Tensor, labels: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance (B, latent) of q(z | x, style); ``x`` in [-1, 1]."""
        h = self.enc_in(x)
        if self.embed is not None and labels is not None:
            h = h + self.embed(labels)[:, :, None, None]
        h = self.encoder(F.silu(h)).flatten(1)
        mu, logvar = self.to_posterior(h).chunk(2, dim=1)
        return mu, logvar.clamp(-12.0, 8.0)

    def decode(self, z: torch.Tensor, labels: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """Per sub-pixel logistic mean and log-scale (B, C, R, R) of p(x | z, style)."""
        if self.dec_embed is not None:
            if labels is None:
                labels = torch.zeros(z.shape[0], dtype=torch.long, device=z.device)
            z = torch.cat([z, self.dec_embed(labels)], dim=1)
        h = F.silu(self.from_latent(z)).reshape(z.shape[0], self.top, 4, 4)
        mean, log_scale = self.to_pixels(self.decoder(h)).chunk(2, dim=1)
        return mean, log_scale.clamp(min=MIN_LOG_SCALE)

    def forward(self, z: torch.Tensor, class_labels: torch.Tensor | None = None) -> torch.Tensor:
        """The painting of a latent: the decoder's mean in [-1, 1]."""
        return self.decode(z, class_labels)[0].clamp(-1.0, 1.0)


def vae_size_problem(config: dict) -> str | None:  # type: ignore[type-arg]
    """Why a config cannot be built (one line), or None."""
    try:
        r, latent, nf = int(config.get("resolution", 32)), int(config.get("latent", 64)), int(config.get("nf", 32))
        mult, channels = int(config.get("max_mult", 4)), int(config.get("channels", 3))
        classes = int(config.get("num_classes", 0))
    except (TypeError, ValueError):
        return "VAE config values must be integers"
    if r < 4 or r > 256 or r & (r - 1):
        return f"VAE resolution must be a power of two from 4 to 256, not {r}"
    if not 1 <= latent <= 4096 or not 1 <= nf <= 512 or not 1 <= mult <= 16 or channels not in (1, 3) or not 0 <= classes <= 64:
        return "VAE config out of range (latent 1..4096, nf 1..512, max_mult 1..16, channels 1 or 3, classes 0..64)"
    return None


def quantise(x: torch.Tensor) -> torch.Tensor:
    """Values in [-1, 1] moved to the nearest of the 256 pixel values (what the likelihood is defined on)."""
    return torch.round((x.clamp(-1, 1) + 1) * 127.5) / 127.5 - 1


def discretised_logistic_log_prob(x: torch.Tensor, mean: torch.Tensor, log_scale: torch.Tensor) -> torch.Tensor:
    """log P(x) per sub-pixel for pixel values ``x`` in [-1, 1] (256 bins, the end bins open to ±∞).

    Sums to exactly 1 over the 256 values (the CDF telescopes); PixelCNN++'s formula with one component.
    """
    centred = x - mean
    inv_s = torch.exp(-log_scale)
    plus_in = inv_s * (centred + BIN)
    min_in = inv_s * (centred - BIN)
    log_cdf_plus = plus_in - F.softplus(plus_in)  # log σ(plus_in): the lowest bin, open to -∞
    log_one_minus_cdf_min = -F.softplus(min_in)  # log(1 - σ(min_in)): the highest bin, open to +∞
    cdf_delta = torch.sigmoid(plus_in) - torch.sigmoid(min_in)
    mid_in = inv_s * centred
    log_pdf_mid = mid_in - log_scale - 2.0 * F.softplus(mid_in)  # density at the centre, for very narrow scales
    inner = torch.where(cdf_delta > 1e-5, torch.log(cdf_delta.clamp(min=1e-12)), log_pdf_mid + math.log(2 * BIN))
    return torch.where(x < -0.999, log_cdf_plus, torch.where(x > 0.999, log_one_minus_cdf_min, inner))


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(logvar)) || N(0, I)) per image, in nats."""
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=1)


def elbo(model: InkVAE, x: torch.Tensor, labels: torch.Tensor | None, generator: torch.Generator | None = None,
         samples: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """(reconstruction log-likelihood E_q[log p(x|z)], KL) per image, in nats; ``samples`` draws of z each."""
    mu, logvar = model.encode(x, labels)
    std = torch.exp(0.5 * logvar)
    rec = torch.zeros(x.shape[0], device=x.device)
    for _ in range(samples):
        eps = torch.randn(mu.shape, generator=generator).to(mu.device) if generator is not None else torch.randn_like(mu)
        mean, log_scale = model.decode(mu + std * eps, labels)
        rec = rec + discretised_logistic_log_prob(x, mean, log_scale).flatten(1).sum(dim=1)
    return rec / samples, gaussian_kl(mu, logvar)


def bits_per_dim(nats: torch.Tensor, dims: int) -> torch.Tensor:
    """Negative log-likelihood (or bound) in nats per image → bits per sub-pixel."""
    return nats / (dims * math.log(2.0))
