"""OpenAI improved-diffusion / guided-diffusion UNet state_dicts: settings inferred from shapes, painted by our own UNet.

The fixtures are written by tests/format_fixtures.py in the trainers' real key layout with random
weights. The reference below is a minimal functional UNet written for this test alone from the same
tensors and the fixture's known settings (not from the loader's inferred ones).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from format_fixtures import write_openai_unet

from studio.engine.sampling import sample_diffusion
from studio.errors import CheckpointError
from studio.models.loaders import inspect_checkpoint, load_checkpoint


def reference(sd: dict[str, torch.Tensor], x: torch.Tensor, t: float, label: int | None, *, mc: int, mult: tuple[int, ...],
              nrb: int, attention_ds: tuple[int, ...], heads_ch: int | None, heads: int, scale_shift: bool, resample: str) -> torch.Tensor:
    def gn(h: torch.Tensor, p: str) -> torch.Tensor:
        return F.group_norm(h, 32, sd[f"{p}.weight"], sd[f"{p}.bias"], 1e-5)

    def conv(h: torch.Tensor, p: str, stride: int = 1) -> torch.Tensor:
        w = sd[f"{p}.weight"]
        return F.conv2d(h, w, sd[f"{p}.bias"], stride=stride, padding=w.shape[-1] // 2)

    def lin(h: torch.Tensor, p: str) -> torch.Tensor:
        return h @ sd[f"{p}.weight"].t() + sd[f"{p}.bias"]

    half = mc // 2
    freqs = torch.tensor([math.exp(-math.log(10000) * i / half) for i in range(half)])
    e = torch.cat([torch.cos(t * freqs), torch.sin(t * freqs)])[None]
    e = lin(F.silu(lin(e, "time_embed.0")), "time_embed.2")
    if label is not None:
        e = e + sd["label_emb.weight"][label][None]

    def change(h: torch.Tensor, how: str) -> torch.Tensor:
        return F.interpolate(h, scale_factor=2.0) if how == "up" else F.avg_pool2d(h, 2)

    def res(h: torch.Tensor, p: str, how: str | None = None) -> torch.Tensor:
        a = F.silu(gn(h, f"{p}.in_layers.0"))
        if how:
            a, h = change(a, how), change(h, how)
        a = conv(a, f"{p}.in_layers.2")
        s = lin(F.silu(e), f"{p}.emb_layers.1")[:, :, None, None]
        if scale_shift:
            c = s.shape[1] // 2
            a = gn(a, f"{p}.out_layers.0") * (1 + s[:, :c]) + s[:, c:]
        else:
            a = gn(a + s, f"{p}.out_layers.0")
        a = conv(F.silu(a), f"{p}.out_layers.3")
        skip = conv(h, f"{p}.skip_connection") if f"{p}.skip_connection.weight" in sd else h
        return skip + a

    def attn(h: torch.Tensor, p: str) -> torch.Tensor:
        b, c, hh, ww = h.shape
        n = c // heads_ch if heads_ch else heads
        flat = h.reshape(b, c, hh * ww)
        qkv = F.conv1d(gn(flat[..., None], f"{p}.norm")[..., 0], sd[f"{p}.qkv.weight"], sd[f"{p}.qkv.bias"])
        out = []
        for head in range(n):  # legacy order: each head's q, k, v are consecutive
            chunk = qkv[0, head * 3 * (c // n):(head + 1) * 3 * (c // n)]
            q, k, v = chunk.split(c // n)
            w = torch.softmax(q.t() @ k / math.sqrt(c // n), dim=-1)
            out.append((w @ v.t()).t())
        a = F.conv1d(torch.cat(out)[None], sd[f"{p}.proj_out.weight"], sd[f"{p}.proj_out.bias"])
        return h + a.reshape(b, c, hh, ww)

    h = conv(x, "input_blocks.0.0")
    skips, i, ds = [h], 1, 1
    for level in range(len(mult)):
        for _ in range(nrb):
            h = res(h, f"input_blocks.{i}.0")
            if ds in attention_ds:
                h = attn(h, f"input_blocks.{i}.1")
            skips.append(h)
            i += 1
        if level < len(mult) - 1:
            if resample == "conv":
                h = conv(h, f"input_blocks.{i}.0.op", stride=2)
            elif resample == "pool":
                h = F.avg_pool2d(h, 2)
            else:
                h = res(h, f"input_blocks.{i}.0", "down")
            skips.append(h)
            i += 1
            ds *= 2
    h = res(attn(res(h, "middle_block.0"), "middle_block.1"), "middle_block.2")
    i = 0
    for level in reversed(range(len(mult))):
        for j in range(nrb + 1):
            h = res(torch.cat([h, skips.pop()], 1), f"output_blocks.{i}.0")
            k = 1
            if ds in attention_ds:
                h = attn(h, f"output_blocks.{i}.1")
                k = 2
            if level and j == nrb:
                if resample == "conv":
                    h = conv(F.interpolate(h, scale_factor=2.0), f"output_blocks.{i}.{k}.conv")
                elif resample == "pool":
                    h = F.interpolate(h, scale_factor=2.0)
                else:
                    h = res(h, f"output_blocks.{i}.{k}", "up")
                ds //= 2
            i += 1
    return conv(F.silu(gn(h, "out.0")), "out.2")


CASES = {
    # improved-diffusion defaults: strided-conv resampling, scale-shift norm, learned sigma, 4 heads
    "improved": (dict(mult=(1, 2), nrb=1, attention_ds=(2,), learn_sigma=True, scale_shift=True, resample="conv"),
                 {"image_size": 16, "diffusion_steps": 4000, "noise_schedule": "cosine"}, None, 4),
    # guided-diffusion: resblock_updown, 32 channels per head, class-conditional
    "guided": (dict(mult=(1, 2, 2), nrb=2, attention_ds=(2, 4), learn_sigma=True, scale_shift=True, resample="resblock", num_classes=3),
               {"image_size": 16, "num_head_channels": 32, "rescale_timesteps": False}, 32, 0),
    # no learned sigma, plain norm, no conv resampling
    "plain": (dict(mult=(1, 2), nrb=2, attention_ds=(1, 2), learn_sigma=False, scale_shift=False, resample="pool"),
              {"image_size": 8, "num_heads": 2}, None, 2),
}


@pytest.mark.parametrize("case", list(CASES))
def test_forward_equals_reference(tmp_path: Path, case: str) -> None:
    kw, side, heads_ch, heads = CASES[case]
    path, sd = write_openai_unet(tmp_path, sidecar=side, seed=3, **kw)
    spec = inspect_checkpoint(path)
    assert spec.format == "openai-unet" and spec.resolution == side["image_size"] and spec.kind == "diffusion"
    unet = spec.extra["unet"]
    assert unet["channel_mult"] == kw["mult"] and unet["num_res_blocks"] == kw["nrb"] and unet["attention_ds"] == kw["attention_ds"]
    assert unet["resample"] == kw["resample"] and unet["use_scale_shift_norm"] == kw["scale_shift"]
    assert spec.extra["learn_sigma"] == kw["learn_sigma"]
    assert len(spec.styles) == (kw.get("num_classes") or 0)
    model = load_checkpoint(path)
    size = side["image_size"]
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(7))
    steps = side.get("diffusion_steps", 1000)
    label = 2 if kw.get("num_classes") else None
    labels = None if label is None else torch.tensor([label])
    got = model.denoise(x, torch.tensor([steps // 3]), labels)
    t_in = steps // 3 * (1000 / steps if side.get("rescale_timesteps", True) else 1)
    want = reference(sd, x, float(t_in), label, mc=32, mult=kw["mult"], nrb=kw["nrb"], attention_ds=kw["attention_ds"],
                     heads_ch=heads_ch, heads=heads, scale_shift=kw["scale_shift"], resample=kw["resample"])[:, :3]
    assert got.shape == (1, 3, size, size)
    assert torch.allclose(got, want, atol=1e-4), float((got - want).abs().max())


def test_schedule_and_a_painting_paints_the_reference(tmp_path: Path) -> None:
    """The cosine schedule of 4000 steps reaches the scheduler as the file's betas; a seed paints what the reference denoises."""
    kw, side, heads_ch, heads = CASES["improved"]
    path, sd = write_openai_unet(tmp_path, sidecar=side, seed=3, **kw)
    model = load_checkpoint(path)
    betas = torch.tensor(model.scheduler_config["trained_betas"], dtype=torch.float64)
    ab = torch.cumprod(1 - betas, 0)
    f = lambda t: math.cos((t / 4000 + 0.008) / 1.008 * math.pi / 2) ** 2  # noqa: E731
    assert len(betas) == 4000 and abs(float(ab[1999]) - f(2000) / f(0)) < 1e-9
    a = sample_diffusion(model, [5], sampler="ddim", steps=2)
    b = sample_diffusion(model, [5], sampler="ddim", steps=2)
    assert torch.equal(a, b) and a.shape == (1, 3, 16, 16)

    # the same two DDIM steps with the reference network and the diffusers scheduler
    from diffusers import DDIMScheduler

    from studio.engine.noise import noise_for_seeds

    sched = DDIMScheduler(num_train_timesteps=4000, trained_betas=betas.tolist(), clip_sample=True)
    sched.set_timesteps(2)
    x = noise_for_seeds((3, 16, 16), [5])
    for t in sched.timesteps:
        eps = reference(sd, x, float(t) * 0.25, None, mc=32, mult=kw["mult"], nrb=kw["nrb"], attention_ds=kw["attention_ds"],
                        heads_ch=heads_ch, heads=heads, scale_shift=True, resample="conv")[:, :3]
        x = sched.step(eps, t, x).prev_sample
    assert torch.allclose(a, x, atol=1e-4), float((a - x).abs().max())


def test_refusals_name_the_format_and_what_is_missing(tmp_path: Path) -> None:
    path, sd = write_openai_unet(tmp_path / "a")
    with pytest.raises(CheckpointError, match=r"OpenAI improved/guided-diffusion UNet: image size unknown — pass --size") as e:
        inspect_checkpoint(path)
    assert "\n" not in str(e.value)
    assert inspect_checkpoint(path, size=16).resolution == 16

    broken = dict(sd)
    broken["input_blocks.1.0.in_layers.2.weight"] = torch.zeros(32, 32, 5, 5)
    torch.save(broken, tmp_path / "wrong.pt")
    with pytest.raises(CheckpointError, match=r"UNet: the weights fit no UNet setting \(closest: input_blocks.1.0.in_layers.2.weight") as e:
        inspect_checkpoint(tmp_path / "wrong.pt", size=16)
    assert "\n" not in str(e.value)

    data = path.read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError) as e:
        inspect_checkpoint(tmp_path / "cut.pt", size=16)
    assert "\n" not in str(e.value)

    path, _ = write_openai_unet(tmp_path / "b", sidecar={"image_size": 16, "num_heads": 5})
    with pytest.raises(CheckpointError, match=r"UNet: 5 attention heads do not divide 64 channels"):
        inspect_checkpoint(path)
    path, _ = write_openai_unet(tmp_path / "c", sidecar={"image_size": 15})
    with pytest.raises(CheckpointError, match=r"image size 15 must be a positive multiple of 2"):
        inspect_checkpoint(path)
    path, _ = write_openai_unet(tmp_path / "d", sidecar={"image_size": 16, "noise_schedule": "sigmoid"})
    with pytest.raises(CheckpointError, match=r"noise_schedule 'sigmoid' is not linear or cosine"):
        inspect_checkpoint(path)
