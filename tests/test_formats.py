"""Each checkpoint format, built with the format's own library, loads and paints."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import make_tiny_unet, save_tiny_diffusion, save_tiny_gan
from PIL import Image
from torch import nn

from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import sample_diffusion, sample_gan, to_pil
from studio.models.catalog import discover, resolve
from studio.models.loaders import import_lucidrains, inspect_checkpoint, load_checkpoint

# ---------------------------------------------------------------- a. diffusers


def test_ddim_pipeline_folder_matches_diffusers_pipeline(tmp_path: Path) -> None:
    from diffusers import DDIMPipeline, DDIMScheduler

    unet = make_tiny_unet(1, num_class_embeds=None)
    sched = DDIMScheduler(num_train_timesteps=100, beta_schedule="squaredcos_cap_v2", clip_sample=True)
    DDIMPipeline(unet=unet, scheduler=sched).save_pretrained(tmp_path / "pipe")

    spec = inspect_checkpoint(tmp_path / "pipe")
    assert (spec.format, spec.kind, spec.resolution, spec.channels, spec.styles) == ("diffusers-pipeline", "diffusion", 16, 3, {})

    model = load_checkpoint(tmp_path / "pipe")
    assert model.scheduler_class == "DDIMScheduler"
    ours = np.asarray(to_pil(sample_diffusion(model, [3], sampler="ddim", steps=12))[0]).astype(int)

    pipe = DDIMPipeline.from_pretrained(tmp_path / "pipe")
    pipe.set_progress_bar_config(disable=True)
    theirs = pipe(generator=torch.Generator("cpu").manual_seed(3), num_inference_steps=12, output_type="np").images[0]
    theirs = (theirs * 255).round().astype(int)
    assert np.abs(ours - theirs).max() <= 1
    assert ours.std() > 1  # a real image, not a flat field


def test_bare_unet_folder_class_conditional_maps_styles(tmp_path: Path) -> None:
    unet = make_tiny_unet(2, num_class_embeds=2)
    unet.save_pretrained(tmp_path / "unet")
    spec = inspect_checkpoint(tmp_path / "unet")
    assert spec.format == "diffusers-unet"
    assert spec.styles == {"light": 0, "dark": 1}
    assert spec.extra["scheduler_class"] == "DDPMScheduler"  # default when no scheduler config is saved

    model = load_checkpoint(tmp_path / "unet")
    light = sample_diffusion(model, [5], style="light", steps=4)
    dark = sample_diffusion(model, [5], style="dark", steps=4)
    assert not torch.equal(light, dark)


def test_saved_scheduler_config_is_honoured(tmp_path: Path) -> None:
    from diffusers import DDPMPipeline, DDPMScheduler

    sched = DDPMScheduler(num_train_timesteps=50, beta_schedule="linear", prediction_type="epsilon", clip_sample=False)
    DDPMPipeline(unet=make_tiny_unet(0, None), scheduler=sched).save_pretrained(tmp_path / "p")
    model = load_checkpoint(tmp_path / "p")
    from studio.engine.sampling import make_scheduler

    same = make_scheduler(model, "ddpm")
    assert same.config.num_train_timesteps == 50 and same.config.clip_sample is False
    converted = make_scheduler(model, "dpm++")
    assert converted.config.num_train_timesteps == 50
    assert converted.config.prediction_type == "epsilon"


# ---------------------------------------------------------------- b/e. our single file


def test_inkstudio_diffusion_file(tmp_path: Path) -> None:
    path = save_tiny_diffusion(tmp_path / "d.safetensors")
    spec = inspect_checkpoint(path)
    assert (spec.format, spec.kind, spec.styles, spec.resolution) == ("inkstudio", "diffusion", {"light": 0, "dark": 1}, 16)
    model = load_checkpoint(path)
    img = sample_diffusion(model, [0], style="dark", steps=3)
    assert img.shape == (1, 3, 16, 16) and torch.isfinite(img).all()


def test_inkstudio_fp16_weights_load_into_fp32(tmp_path: Path) -> None:
    from studio.models.inkfile import load_ink_state, read_ink_metadata, save_ink_checkpoint

    src = save_tiny_diffusion(tmp_path / "d.safetensors")
    meta = read_ink_metadata(src)
    half = {k: v.half() if v.is_floating_point() else v for k, v in load_ink_state(src).items()}
    save_ink_checkpoint(tmp_path / "h.safetensors", half, meta)
    a = sample_diffusion(load_checkpoint(src), [1], steps=3)
    b = sample_diffusion(load_checkpoint(tmp_path / "h.safetensors"), [1], steps=3)
    assert (a - b).abs().max() < 0.05


def test_inkstudio_gan_file_styles(tmp_path: Path) -> None:
    path = save_tiny_gan(tmp_path / "g.safetensors")
    spec = inspect_checkpoint(path)
    assert (spec.kind, spec.styles) == ("gan", {"light": 0, "dark": 1})
    model = load_checkpoint(path)
    assert model.noise_shape == (16,)
    light, dark = sample_gan(model, [4], style="light"), sample_gan(model, [4], style="dark")
    assert light.shape == (1, 3, 16, 16) and not torch.equal(light, dark)


# ---------------------------------------------------------------- d. DCGAN tutorial


class TutorialGenerator(nn.Module):
    """The generator of PyTorch's DCGAN tutorial, at small widths."""

    def __init__(self, nz: int = 8, ngf: int = 4, nc: int = 3) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x)


def test_dcgan_tutorial_generator_matches_direct_run(tmp_path: Path) -> None:
    torch.manual_seed(0)
    gen = TutorialGenerator()
    with torch.no_grad():  # non-trivial BatchNorm statistics, as after training
        for m in gen.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    gen.eval()
    torch.save(gen.state_dict(), tmp_path / "netG.pth")

    spec = inspect_checkpoint(tmp_path / "netG.pth")
    assert (spec.format, spec.kind, spec.resolution, spec.channels, spec.extra["nz"]) == ("dcgan", "gan", 64, 3, 8)
    model = load_checkpoint(tmp_path / "netG.pth")
    ours = sample_gan(model, [11, 12])
    with torch.no_grad():
        direct = gen(noise_for_seeds((8, 1, 1), [11, 12]))
    assert torch.allclose(ours, direct, atol=1e-6)


# ---------------------------------------------------------------- c. denoising-diffusion-pytorch


def _lucidrains_checkpoint(tmp_path: Path, objective: str, min_snr: bool = False) -> tuple[Path, nn.Module]:
    from studio.errors import StudioError

    try:
        ddp = import_lucidrains()
    except StudioError as exc:
        pytest.skip(str(exc))
    from ema_pytorch import EMA

    torch.manual_seed(0)
    unet = ddp.Unet(dim=8, dim_mults=(1, 2), channels=3, flash_attn=False)
    diffusion = ddp.GaussianDiffusion(unet, image_size=16, timesteps=40, objective=objective, min_snr_loss_weight=min_snr)
    ema = EMA(diffusion, beta=0.99, update_every=1)
    with torch.no_grad():  # make the EMA copy differ from the online weights, as after training
        for p in ema.ema_model.parameters():
            p.add_(torch.randn_like(p) * 0.01)
    data = {"step": 7, "model": diffusion.state_dict(), "opt": {}, "ema": ema.state_dict(), "scaler": None, "version": "2.0"}
    path = tmp_path / "model-1.pt"
    torch.save(data, path)
    return path, ema.ema_model.model


@pytest.mark.parametrize(
    ("objective", "min_snr", "expected"),
    [("pred_v", False, "v_prediction"), ("pred_noise", False, "epsilon"), ("pred_x0", True, "sample"), ("pred_v", True, "v_prediction")],
)
def test_lucidrains_objective_schedule_and_ema(tmp_path: Path, objective: str, min_snr: bool, expected: str) -> None:
    path, ema_unet = _lucidrains_checkpoint(tmp_path, objective, min_snr)
    spec = inspect_checkpoint(path)
    assert spec.format == "lucidrains" and spec.extra["ema"] is True
    assert spec.extra["scheduler_config"]["prediction_type"] == expected
    assert spec.extra["scheduler_config"]["num_train_timesteps"] == 40
    assert spec.resolution == 64  # not stored: the default

    model = load_checkpoint(path, size=16)
    x, t = torch.randn(2, 3, 16, 16), torch.tensor([5, 5])
    with torch.no_grad():
        assert torch.allclose(model.denoise(x, 5, None), ema_unet(x, t), atol=1e-6)


def test_lucidrains_size_from_sidecar_and_paints(tmp_path: Path) -> None:
    path, _ = _lucidrains_checkpoint(tmp_path, "pred_v")
    path.with_suffix(".json").write_text(json.dumps({"image_size": 16}))
    record = resolve(str(path))
    assert record.resolution == 16
    model = load_checkpoint(path, size=record.resolution)
    img = sample_diffusion(model, [0], steps=5)
    assert img.shape == (1, 3, 16, 16)


# ---------------------------------------------------------------- catalog


def test_catalog_lists_bundled_and_user_models(bundled_dir: Path, private_user_dirs: Path, tmp_path: Path) -> None:
    save_tiny_diffusion(bundled_dir / "ink-diffusion-64.safetensors")
    (bundled_dir / "ink-diffusion-64.md").write_text("# Card\nTrained on paintings.", encoding="utf-8")
    user_models = private_user_dirs / "data" / "models"
    user_models.mkdir(parents=True)
    save_tiny_gan(user_models / "my-gan.safetensors")
    (user_models / "broken.safetensors").write_bytes(b"\x00" * 10)

    catalog = discover()
    by_id = {r.id: r for r in catalog.records}
    assert set(by_id) == {"ink-diffusion-64", "my-gan"}
    d = by_id["ink-diffusion-64"]
    assert d.bundled and d.kind == "diffusion" and d.styles == ["light", "dark"] and d.card.startswith("# Card")
    assert len(d.sha256) == 64
    assert not by_id["my-gan"].bundled and by_id["my-gan"].kind == "gan"
    assert len(catalog.problems) == 1 and "broken.safetensors" in catalog.problems[0]
    assert catalog.default().id == "ink-diffusion-64"


def test_png_image_is_not_a_model(tmp_path: Path) -> None:
    from studio.errors import CheckpointError

    Image.new("RGB", (4, 4)).save(tmp_path / "a.png")
    with pytest.raises(CheckpointError, match="unsupported file type"):
        inspect_checkpoint(tmp_path / "a.png")


def test_lucidrains_without_the_peers_package_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import importlib.util

    from conftest import run

    path, _ = _lucidrains_checkpoint(tmp_path, "pred_v")
    real_find_spec = importlib.util.find_spec
    for name in [m for m in sys.modules if m.startswith("denoising_diffusion_pytorch")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "denoising_diffusion_pytorch" else real_find_spec(name, *a))
    code, _, err = run(["generate", "--model", str(path), "--size", "16", "--steps", "2", "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and err.count("\n") == 1
    assert "requirements-peers.txt" in err and "do not fit" not in err
