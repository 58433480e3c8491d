"""The VAE family (ink-vae-32's code): its likelihood, its bound, its shapes, its file format and trainer."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import torch
from conftest import SHANSHUI

from studio.errors import CheckpointError, StudioError
from studio.models.inkvae import InkVAE, discretised_logistic_log_prob, gaussian_kl


def save_tiny_vae(path: Path, *, seed: int = 0, latent: int = 4, resolution: int = 8) -> Path:
    """A tiny style-conditional VAE with random weights, in the ink VAE file format."""
    from studio.models.inkfile import save_ink_checkpoint

    torch.manual_seed(seed)
    config = {"latent": latent, "nf": 4, "max_mult": 2, "resolution": resolution, "channels": 3, "num_classes": 2}
    vae = InkVAE(**config)
    return save_ink_checkpoint(path, vae.state_dict(), {
        "kind": "vae", "name": "Tiny VAE", "architecture": {"class": "InkVAE", "config": config},
        "styles": {"light": 0, "dark": 1}, "resolution": resolution, "channels": 3, "latent_axes": [1, 0],
    })


def test_discretised_logistic_sums_to_one_over_the_256_values() -> None:
    values = torch.arange(256, dtype=torch.float64) / 127.5 - 1  # every pixel value on [-1, 1]
    for mean, log_scale in ((0.0, -2.0), (-0.97, -4.0), (0.5, 0.5), (1.3, -6.5)):
        logp = discretised_logistic_log_prob(values, torch.full_like(values, mean), torch.full_like(values, log_scale))
        assert float(torch.logsumexp(logp, 0).exp()) == pytest.approx(1.0, abs=1e-6)


def _log_joint_on_grid(vae: InkVAE, x: torch.Tensor, label: torch.Tensor, zs: torch.Tensor) -> torch.Tensor:
    """log p(x | z) + log N(z; 0, 1) for a one-dimensional latent at every grid point ``zs``."""
    mean, log_scale = vae.decode(zs[:, None], label.expand(len(zs)))
    log_lik = discretised_logistic_log_prob(x.expand(len(zs), -1, -1, -1), mean, log_scale).flatten(1).sum(1)
    return log_lik - 0.5 * zs**2 - 0.5 * math.log(2 * math.pi)


@torch.no_grad()
def test_elbo_is_below_the_exact_log_likelihood_on_an_enumerable_latent() -> None:
    """A 1-d latent: log p(x) = log ∫ p(x|z) p(z) dz by enumerating 20,001 latent values, and the ELBO's
    expectation by the same enumeration: ELBO ≤ log p(x), and the gap is KL(q || p(z|x)) (computed apart)."""
    torch.manual_seed(3)
    vae = InkVAE(latent=1, nf=4, resolution=4, channels=3, num_classes=2).double()
    zs = torch.linspace(-12, 12, 20001, dtype=torch.float64)
    dz = float(zs[1] - zs[0])
    for k in range(3):
        x = (torch.randint(0, 256, (1, 3, 4, 4)).double() / 127.5 - 1)
        label = torch.tensor([k % 2])
        log_joint = _log_joint_on_grid(vae, x, label, zs)
        log_px = float(torch.logsumexp(log_joint, 0)) + math.log(dz)
        mu, logvar = vae.encode(x, label)
        q = torch.distributions.Normal(mu[0, 0], (0.5 * logvar[0, 0]).exp())
        log_q = q.log_prob(zs)
        weights = (log_q.exp() * dz)
        log_lik = log_joint + 0.5 * zs**2 + 0.5 * math.log(2 * math.pi)
        expected_rec = float((weights * log_lik).sum())
        elbo = expected_rec - float(gaussian_kl(mu, logvar)[0])
        assert elbo <= log_px
        log_post = log_joint - (log_px - 0.0)
        kl_to_posterior = float((weights * (log_q - log_post)).sum())
        assert log_px - elbo == pytest.approx(kl_to_posterior, rel=1e-4, abs=1e-4)
        assert kl_to_posterior > 0


def test_encode_reconstruct_and_latent_map_shapes(tmp_path: Path) -> None:
    from studio.engine.vae import decode_at, elbo_bits_per_dim, encode, latent_map, reconstruct
    from studio.models.formats import load_checkpoint

    model = load_checkpoint(save_tiny_vae(tmp_path / "v.safetensors"))
    assert model.kind == "vae" and model.spec.format == "inkvae" and model.noise_shape == (4,)
    x = torch.rand(5, 3, 8, 8) * 2 - 1
    mu, logvar = encode(model, x, "dark")
    assert mu.shape == logvar.shape == (5, 4)
    rec = reconstruct(model, x, "dark")
    assert rec.shape == (5, 3, 8, 8) and float(rec.abs().max()) <= 1.0
    bpd = elbo_bits_per_dim(model, x, "light", samples=2)
    assert bpd > 0 and bpd == elbo_bits_per_dim(model, x, "light", samples=2)  # seeded
    m = latent_map(model, "light", seed=7, rows=3, cols=4, span=2.0)
    assert [len(r) for r in m.images] == [4, 4, 4] and m.images[0][0].size == (8, 8)
    assert m.axes == (1, 0) and m.values == [-2.0, pytest.approx(-2 / 3), pytest.approx(2 / 3), 2.0]
    # a corner of the map is the painting of that point of the slice
    import numpy as np

    corner = decode_at(model, "light", m, -2.0, 2.0)
    assert np.array_equal(np.asarray(corner), np.asarray(m.images[0][0]))
    with pytest.raises(StudioError):
        elbo_bits_per_dim(model, torch.zeros(1, 3, 16, 16), "light")


def test_vae_paints_through_the_seed_contract(tmp_path: Path) -> None:
    """Prior samples: the same seed paints the same picture, alone or in a batch."""
    from studio.engine.paint import PaintRequest, paint_series
    from studio.models.catalog import resolve
    from studio.models.formats import load_checkpoint

    path = save_tiny_vae(tmp_path / "v.safetensors")
    model, record = load_checkpoint(path), resolve(str(path))
    together = paint_series(model, record, PaintRequest(seed=10, count=3, style="dark", batch_size=3))
    alone = paint_series(model, record, PaintRequest(seed=12, count=1, style="dark", batch_size=1))
    assert together[2].image.tobytes() == alone[0].image.tobytes()
    assert together[0].image.tobytes() != together[1].image.tobytes()


def test_bad_vae_files_are_one_line(tmp_path: Path) -> None:
    from studio.models.formats import inspect_checkpoint
    from studio.models.inkfile import save_ink_checkpoint

    bad = save_ink_checkpoint(tmp_path / "bad.safetensors", {"w": torch.zeros(1)}, {
        "kind": "vae", "architecture": {"class": "InkVAE", "config": {"resolution": 12}}, "resolution": 12, "channels": 3})
    with pytest.raises(CheckpointError, match="power of two"):
        inspect_checkpoint(bad)
    axes = save_ink_checkpoint(tmp_path / "axes.safetensors", {"w": torch.zeros(1)}, {
        "kind": "vae", "architecture": {"class": "InkVAE", "config": {"latent": 4, "resolution": 8}}, "resolution": 8,
        "channels": 3, "latent_axes": [9]})
    with pytest.raises(CheckpointError, match="latent_axes"):
        inspect_checkpoint(axes)


FILES = ["0_of_3_in_013-a.jpg", "0_of_3_in_013-b.jpg", "0_of_3_in_003-a.jpg", "0_of_3_in_003-b.jpg"]


@pytest.mark.skipif(not SHANSHUI.is_dir(), reason="shanshui dataset not present")
def test_train_vae_resumes_exactly_and_exports_a_loadable_model(tmp_path: Path) -> None:
    from safetensors.torch import load_file

    from studio.engine.train import TrainOptions, make_trainer, run_training
    from studio.models.formats import load_checkpoint

    data = tmp_path / "paintings"
    data.mkdir()
    for name in FILES:
        shutil.copyfile(SHANSHUI / name, data / name)

    def opts(name: str, steps: int, resume: bool = False) -> TrainOptions:
        return TrainOptions(kind="vae", data=data, out=tmp_path / name, resolution=8, steps=steps, resume=resume, batch=2,
                            preset="tiny", seed=1, checkpoint_minutes=1e6, eval_count=0, grid_count=2)

    quiet = lambda s: None  # noqa: E731
    run_training(make_trainer("vae"), opts("a.safetensors", 4), log=quiet)
    run_training(make_trainer("vae"), opts("b.safetensors", 2), log=quiet)
    run_training(make_trainer("vae"), opts("b.safetensors", 4, resume=True), log=quiet)
    a, b = load_file(str(tmp_path / "a.safetensors")), load_file(str(tmp_path / "b.safetensors"))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    model = load_checkpoint(tmp_path / "a.safetensors")
    assert model.kind == "vae" and model.styles == {"light": 0, "dark": 1}
    assert (tmp_path / "a-train" / "samples" / "latest.png").is_file()
    with pytest.raises(StudioError, match="preset"):
        run_training(make_trainer("vae"), TrainOptions(kind="vae", data=data, out=tmp_path / "c.safetensors", resolution=8,
                                                       steps=1, preset="huge", eval_count=0), log=quiet)
