"""denoising-diffusion-pytorch checkpoints of its 2020-21 releases (``{step, model, ema}``, ``denoise_fn.*`` keys).

The reference is a second, minimal Unet written independently of studio.models.formats.lucidrains_2021:
a function of the state_dict alone (einsum attention, F.group_norm, Mish as x·tanh(softplus x)).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from format_fixtures import write_lucidrains_2021

from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import sample_diffusion
from studio.errors import CheckpointError
from studio.models.loaders import inspect_checkpoint, load_checkpoint


def _mish(x: torch.Tensor) -> torch.Tensor:
    return x * torch.tanh(F.softplus(x))


def reference(sd: dict[str, torch.Tensor], x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """The predicted noise of a 2020-21 Unet state_dict for a batch x at integer timesteps t."""

    def conv(h: torch.Tensor, key: str, **kw: int) -> torch.Tensor:
        return F.conv2d(h, sd[f"{key}.weight"], sd.get(f"{key}.bias"), **kw)

    def block(h: torch.Tensor, key: str) -> torch.Tensor:
        h = conv(h, f"{key}.block.0", padding=1)
        return _mish(F.group_norm(h, 8, sd[f"{key}.block.1.weight"], sd[f"{key}.block.1.bias"]))

    def resnet(h: torch.Tensor, key: str, emb: torch.Tensor | None) -> torch.Tensor:
        out = block(h, f"{key}.block1")
        if emb is not None:
            out = out + F.linear(_mish(emb), sd[f"{key}.mlp.1.weight"], sd[f"{key}.mlp.1.bias"])[:, :, None, None]
        out = block(out, f"{key}.block2")
        return out + (conv(h, f"{key}.res_conv") if f"{key}.res_conv.weight" in sd else h)

    def attention(h: torch.Tensor, key: str) -> torch.Tensor:
        b, c, hh, ww = h.shape
        if f"{key}.fn.norm.g" in sd:
            var = h.var(dim=1, unbiased=False, keepdim=True)
            normed = (h - h.mean(dim=1, keepdim=True)) / (var.sqrt() + 1e-5) * sd[f"{key}.fn.norm.g"] + sd[f"{key}.fn.norm.b"]
        elif f"{key}.fn.norm.weight" in sd:
            normed = F.instance_norm(h, weight=sd[f"{key}.fn.norm.weight"], bias=sd[f"{key}.fn.norm.bias"], eps=1e-5)
        else:
            normed = h
        qkv = conv(normed, f"{key}.fn.fn.to_qkv").reshape(b, 3, 4, 32, hh * ww)
        q, k, v = qkv[:, 0], qkv[:, 1].softmax(dim=-1), qkv[:, 2]
        context = torch.einsum("bhdn,bhen->bhde", k, v)
        out = torch.einsum("bhde,bhdn->bhen", context, q).reshape(b, 128, hh, ww)
        out = conv(out, f"{key}.fn.fn.to_out")
        return h + (out * sd[f"{key}.fn.g"] if f"{key}.fn.g" in sd else out)

    emb = None
    first = "time_mlp.1" if "time_mlp.1.weight" in sd else "mlp.0" if "mlp.0.weight" in sd else None
    if first is not None:
        second = "time_mlp.3" if first == "time_mlp.1" else "mlp.2"
        dim = sd[f"{first}.weight"].shape[1]
        half = dim // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half) / (half - 1))
        a = t.float()[:, None] * freqs
        emb = torch.cat([a.sin(), a.cos()], dim=1)
        emb = F.linear(_mish(F.linear(emb, sd[f"{first}.weight"], sd[f"{first}.bias"])), sd[f"{second}.weight"], sd[f"{second}.bias"])
    skips = []
    i = 0
    while f"downs.{i}.0.block1.block.0.weight" in sd:
        x = attention(resnet(resnet(x, f"downs.{i}.0", emb), f"downs.{i}.1", emb), f"downs.{i}.2")
        skips.append(x)
        if f"downs.{i}.3.conv.weight" in sd:
            x = conv(x, f"downs.{i}.3.conv", stride=2, padding=1)
        i += 1
    x = resnet(attention(resnet(x, "mid_block1", emb), "mid_attn"), "mid_block2", emb)
    j = 0
    while f"ups.{j}.0.block1.block.0.weight" in sd:
        x = torch.cat([x, skips.pop()], dim=1)
        x = attention(resnet(resnet(x, f"ups.{j}.0", emb), f"ups.{j}.1", emb), f"ups.{j}.2")
        x = F.conv_transpose2d(x, sd[f"ups.{j}.3.conv.weight"], sd[f"ups.{j}.3.conv.bias"], stride=2, padding=1)
        j += 1
    return conv(block(x, "final_conv.0"), "final_conv.1")


CASES = {
    "layernorm-2021-08": dict(norm="layer"),
    "instancenorm-2021-06": dict(norm="instance", dim_mults=(1, 2, 2)),
    "rezero-2020": dict(norm="rezero", channels=1),
    "no-time-embedding": dict(norm="layer", with_time_emb=False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_ema_unet_predicts_like_an_independent_reference(tmp_path: Path, case: str) -> None:
    kw = CASES[case]
    path, ema = write_lucidrains_2021(tmp_path, sidecar={"image_size": 16}, **kw)
    assert path.relative_to(tmp_path).as_posix() == "results/model-7.pt"
    spec = inspect_checkpoint(path)
    channels = int(kw.get("channels", 3))
    assert (spec.format, spec.kind, spec.resolution, spec.channels, spec.styles) == ("lucidrains-2021", "diffusion", 16, channels, {})
    assert (spec.details.ema, spec.details.step, spec.details.norm) == (True, 7000, kw["norm"])
    model = load_checkpoint(path)
    x = torch.randn(2, channels, 16, 16, generator=torch.Generator().manual_seed(1))
    t = torch.tensor([3, 37])
    ours = model.denoise(x, t, None)
    with torch.no_grad():
        ref = reference(ema, x, t)
    assert ref.std() > 0.05
    assert torch.allclose(ours, ref, atol=1e-4, rtol=1e-4), (ours - ref).abs().max()


def test_two_ddim_steps_paint_what_the_reference_denoises(tmp_path: Path) -> None:
    """The file's betas reach a diffusers scheduler; a seed paints the reference's two DDIM steps."""
    from diffusers import DDIMScheduler

    path, ema = write_lucidrains_2021(tmp_path, sidecar={"image_size": 16})
    model = load_checkpoint(path)
    betas = torch.tensor(model.scheduler_config["trained_betas"], dtype=torch.float64)
    assert len(betas) == 40 and model.scheduler_config["prediction_type"] == "epsilon"
    painted = sample_diffusion(model, [5], sampler="ddim", steps=2)
    sched = DDIMScheduler(num_train_timesteps=40, trained_betas=betas.tolist(), clip_sample=True)
    sched.set_timesteps(2)
    x = noise_for_seeds((3, 16, 16), [5])
    with torch.no_grad():
        for step in sched.timesteps:
            x = sched.step(reference(ema, x, torch.tensor([int(step)])), step, x).prev_sample
    assert torch.allclose(painted, x.clamp(-1, 1), atol=1e-4), float((painted - x).abs().max())


def test_model_weights_paint_when_there_is_no_ema(tmp_path: Path) -> None:
    path, _ = write_lucidrains_2021(tmp_path, sidecar={"image_size": 8})
    data = torch.load(path, weights_only=True)
    del data["ema"]
    torch.save(data, path)
    model = load_checkpoint(path)
    unet = {k[len("denoise_fn."):]: v for k, v in data["model"].items() if k.startswith("denoise_fn.")}
    x = torch.randn(1, 3, 8, 8)
    assert not model.spec.details.ema
    with torch.no_grad():
        assert torch.allclose(model.denoise(x, torch.tensor([9]), None), reference(unet, x, torch.tensor([9])), atol=1e-4)


def test_size_comes_from_the_sidecar_or_size_else_64(tmp_path: Path) -> None:
    path, _ = write_lucidrains_2021(tmp_path)
    assert inspect_checkpoint(path).resolution == 64
    assert inspect_checkpoint(path, size=24).resolution == 24
    with pytest.raises(CheckpointError, match="25 px is not a multiple of 2") as err:
        inspect_checkpoint(path, size=25)
    assert "denoising-diffusion-pytorch 2020-21 checkpoint" in str(err.value)


def test_2022_denoise_fn_files_are_refused_by_name(tmp_path: Path) -> None:
    """Early 2022 (0.9: ConvNeXt blocks) saved {step, model, ema, scaler} with denoise_fn.* keys: another network."""
    path = tmp_path / "model-3.pt"
    convnext = {"denoise_fn.downs.0.0.ds_conv.weight": torch.zeros(8, 1, 7, 7), "denoise_fn.downs.0.0.net.0.weight": torch.zeros(8)}
    torch.save({"step": 3000, "model": convnext, "ema": convnext, "scaler": {}}, path)
    with pytest.raises(CheckpointError, match=r"a denoising-diffusion-pytorch checkpoint of 2022 \(ConvNeXt blocks"):
        inspect_checkpoint(path)


def test_wrong_shapes_missing_weights_and_truncation_are_one_line(tmp_path: Path) -> None:
    path, _ = write_lucidrains_2021(tmp_path, sidecar={"image_size": 16})
    pristine = torch.load(path, weights_only=True)
    cases = [
        ("denoise_fn.mid_block1.block2.block.1.bias", None, "missing Unet weight 'mid_block1.block2.block.1.bias'"),
        ("denoise_fn.ups.0.3.conv.weight", torch.zeros(8, 8, 3, 3), r"'ups.0.3.conv.weight' is \(8, 8, 3, 3\), the network needs \(8, 8, 4, 4\)"),
        ("denoise_fn.downs.0.2.fn.fn.to_qkv.weight", torch.zeros(90, 8, 1, 1), "linear attention width 30 is not heads × 32"),
        ("betas", None, "no 'betas' buffer"),
    ]
    for key, value, message in cases:
        data = {**pristine, "ema": dict(pristine["ema"]), "model": dict(pristine["model"])}
        for part in ("ema", "model"):
            if value is None:
                del data[part][key]
            else:
                data[part][key] = value
        torch.save(data, path)
        with pytest.raises(CheckpointError, match=message) as err:
            load_checkpoint(path)
        assert "\n" not in str(err.value) and "denoising-diffusion-pytorch" in str(err.value)
    torch.save(pristine, path)
    path.write_bytes(path.read_bytes()[:4000])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        load_checkpoint(path)

