"""lucidrains/lightweight-gan (FastGAN) checkpoints: ``models/NAME/model_N.pt`` + ``.config.json``, painted by our own generator.

The reference below is a second, minimal generator written independently of
studio.models.formats.lightweight_gan: a function of the state_dict alone, with the 3×3 attention
window gathered from nine shifted copies (no unfold) and the blur as a separable pair of 1-D passes.
Noise maps follow the documented rule (one torch.Generator seeded NOISE_SEED, one map per layer, in order).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from format_fixtures import write_lightweight_gan

from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import sample_gan
from studio.errors import CheckpointError
from studio.models.formats.lightweight_gan import NOISE_SEED
from studio.models.loaders import inspect_checkpoint, load_checkpoint


def _bn(x: torch.Tensor, sd: dict[str, torch.Tensor], p: str) -> torch.Tensor:
    shape = (1, -1, 1, 1)
    return (x - sd[f"{p}.running_mean"].view(shape)) / torch.sqrt(sd[f"{p}.running_var"].view(shape) + 1e-5) \
        * sd[f"{p}.weight"].view(shape) + sd[f"{p}.bias"].view(shape)


def _conv(x: torch.Tensor, sd: dict[str, torch.Tensor], p: str, pad: int = 0, groups: int = 1) -> torch.Tensor:
    return F.conv2d(x, sd[f"{p}.weight"], sd.get(f"{p}.bias"), padding=pad, groups=groups)


def _blur(x: torch.Tensor) -> torch.Tensor:
    c = x.shape[1]
    taps = torch.tensor([0.25, 0.5, 0.25])
    x = F.pad(x, (1, 1, 1, 1), mode="reflect")
    x = F.conv2d(x, taps.view(1, 1, 1, 3).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(x, taps.view(1, 1, 3, 1).repeat(c, 1, 1, 1), groups=c)


def _attention(x: torch.Tensor, sd: dict[str, torch.Tensor], p: str) -> torch.Tensor:
    b, c, h, w = x.shape
    var = x.var(dim=1, unbiased=False, keepdim=True)
    x = (x - x.mean(dim=1, keepdim=True)) / torch.sqrt(var + 1e-5) * sd[f"{p}.norm.g"] + sd[f"{p}.norm.b"]
    f = f"{p}.fn"
    inner = sd[f"{f}.to_q.weight"].shape[0]
    heads, d = inner // 64, 64
    split = lambda t: t.reshape(b, heads, d, h * w)  # noqa: E731  (b, heads, d, n)
    lq = split(_conv(x, sd, f"{f}.to_lin_q")).softmax(dim=2) * d**-0.5
    kv = _conv(_conv(x, sd, f"{f}.to_lin_kv.net.0", pad=1, groups=c), sd, f"{f}.to_lin_kv.net.1")
    lk, lv = split(kv[:, :inner]).softmax(dim=3), split(kv[:, inner:])
    context = torch.einsum("bhdn,bhen->bhde", lk, lv)
    lin = torch.einsum("bhdn,bhde->bhen", lq, context).reshape(b, inner, h, w)
    q = split(_conv(x, sd, f"{f}.to_q")) * d**-0.5
    kv = _conv(x, sd, f"{f}.to_kv")
    k = F.pad(kv[:, :inner], (1, 1, 1, 1))
    v = F.pad(kv[:, inner:], (1, 1, 1, 1))
    shifts = [(dy, dx) for dy in range(3) for dx in range(3)]
    ks = torch.stack([split(k[:, :, dy : dy + h, dx : dx + w]) for dy, dx in shifts], dim=-1)  # (b, heads, d, n, 9)
    vs = torch.stack([split(v[:, :, dy : dy + h, dx : dx + w]) for dy, dx in shifts], dim=-1)
    attn = (q[..., None] * ks).sum(dim=2).softmax(dim=-1)  # (b, heads, n, 9)
    local = (attn[:, :, None] * vs).sum(dim=-1).reshape(b, inner, h, w)
    return _conv(torch.cat((F.gelu(lin), local), dim=1), sd, f"{f}.to_out")


def reference_image(sd: dict[str, torch.Tensor], z: torch.Tensor) -> torch.Tensor:
    """One image in [-1, 1] (z: (D,)) of a lightweight-gan generator state_dict (before clamping)."""
    glu = lambda t: t[:, : t.shape[1] // 2] * torch.sigmoid(t[:, t.shape[1] // 2 :])  # noqa: E731
    x = F.conv_transpose2d(z.view(1, -1, 1, 1), sd["initial_conv.0.weight"], sd["initial_conv.0.bias"])
    x = glu(_bn(x, sd, "initial_conv.1"))
    x = x / x.norm(dim=1, keepdim=True).clamp_min(1e-12)
    gen = torch.Generator().manual_seed(NOISE_SEED)
    gates: dict[int, torch.Tensor] = {}
    i = 0
    while f"layers.{i}.0.2.1.weight" in sd:
        p = f"layers.{i}"
        if f"{p}.2.fn.to_q.weight" in sd:
            x = x + _attention(x, sd, f"{p}.2")
        x = F.pixel_shuffle(F.silu(_conv(x, sd, f"{p}.0.0.net.0")), 2)
        x = _conv(F.pad(_blur(x), (2, 1, 2, 1)), sd, f"{p}.0.2.1")
        noise = torch.randn(1, 1, x.shape[2], x.shape[3], generator=gen)
        x = glu(_bn(x + sd[f"{p}.0.3.weight"] * noise, sd, f"{p}.0.4"))
        if f"{p}.1.net.0.weight" in sd:
            if f"{p}.1.dct_weights" in sd:
                pooled = (x * sd[f"{p}.1.dct_weights"]).sum(dim=(2, 3))
            else:
                att = _conv(x, sd, f"{p}.1.to_k").flatten(1).softmax(dim=1)  # (1, n)
                pooled = torch.einsum("bn,bcn->bc", att, x.flatten(2))
            hidden = F.leaky_relu(_conv(pooled[..., None, None], sd, f"{p}.1.net.0"), 0.1)
            gates[i + 3] = torch.sigmoid(_conv(hidden, sd, f"{p}.1.net.2"))
        if i in gates:
            x = x * gates[i]
        i += 1
    return (_conv(x, sd, "out_conv", pad=1) * 2 - 1)[0]


CASES = {
    "64px-attention": dict(image_size=64),
    "128px-global-context": dict(image_size=128, attn_res_layers=(16, 32)),
    "128px-dct-1.0.0-greyscale": dict(image_size=128, version="1.0.0", freq_chan_attn=True, channels=1, attn_res_layers=()),
}


@pytest.mark.parametrize("case", list(CASES))
def test_ge_paints_like_an_independent_reference(tmp_path: Path, case: str) -> None:
    kw = CASES[case]
    path, ge = write_lightweight_gan(tmp_path, **kw)
    assert path.relative_to(tmp_path).as_posix() == "models/ink/model_3.pt" and (path.parent / ".config.json").is_file()
    spec = inspect_checkpoint(path)
    channels = int(kw.get("channels", 3))
    assert (spec.format, spec.kind, spec.resolution, spec.channels, spec.styles) == ("lightweight-gan", "gan", kw["image_size"], channels, {})
    assert (spec.name, spec.details.source, spec.details.latent_dim, spec.details.step) == ("ink model_3", "GE", 16, 3)
    model = load_checkpoint(path)
    seeds = [3, 4]
    z = noise_for_seeds((16,), seeds)
    ours = torch.cat([model.generate(z[i : i + 1], None) for i in range(len(seeds))])  # one at a time, as painting does
    with torch.no_grad():
        ref = torch.stack([reference_image(ge, one) for one in z])
    assert ours.shape == (2, channels, kw["image_size"], kw["image_size"])
    assert ref.std() > 0.02 and (ref[0] - ref[1]).abs().mean() > 1e-3  # a real, seed-dependent signal
    assert torch.allclose(ours, ref, atol=1e-4, rtol=1e-4), (ours - ref).abs().max()
    assert torch.equal(sample_gan(model, seeds), ours.clamp(-1, 1))


def test_g_paints_when_there_is_no_ema(tmp_path: Path) -> None:
    path, _ = write_lightweight_gan(tmp_path, image_size=32, attn_res_layers=())
    data = torch.load(path, weights_only=True)
    data["GAN"] = {k: v for k, v in data["GAN"].items() if not k.startswith("GE.")}
    torch.save(data, path)
    g = {k[2:]: v for k, v in data["GAN"].items() if k.startswith("G.")}
    model = load_checkpoint(path)
    assert model.spec.details.source == "G"
    z = noise_for_seeds((16,), [5])
    with torch.no_grad():
        assert torch.allclose(model.generate(z, None)[0], reference_image(g, z[0]), atol=1e-4, rtol=1e-4)


def test_a_config_that_disagrees_is_one_line(tmp_path: Path) -> None:
    path, _ = write_lightweight_gan(tmp_path, image_size=32, attn_res_layers=())
    config = path.parent / ".config.json"
    for written, message in (
        ({"image_size": 256}, "image_size is 256 but the weights paint 32 px"),
        ({"image_size": 32, "greyscale": True}, "config says 1 channels but the weights paint 3"),
        ({"image_size": 32, "attn_res_layers": [16]}, r"attn_res_layers \[16\] but the weights have attention at \[\]"),
    ):
        config.write_text(json.dumps(written))
        with pytest.raises(CheckpointError, match=message) as err:
            inspect_checkpoint(path)
        assert "\n" not in str(err.value)
    config.write_text("{not json")
    with pytest.raises(CheckpointError, match="bad JSON"):
        inspect_checkpoint(path)
    config.unlink()  # no config: the shapes say it all
    assert inspect_checkpoint(path).resolution == 32


def test_wrong_shapes_and_missing_weights_are_one_line(tmp_path: Path) -> None:
    path, _ = write_lightweight_gan(tmp_path, image_size=64)
    pristine = torch.load(path, weights_only=True)
    cases = [
        ("GE.layers.1.0.3.weight", None, "missing generator weight 'layers.1.0.3.weight'"),
        ("GE.layers.2.0.4.running_var", torch.ones(5), r"'layers.2.0.4.running_var' is \(5,\), the network needs \(32,\)"),
        ("GE.out_conv.weight", torch.zeros(3, 4), "'out_conv.weight' has 2 dimensions, not 4"),
        ("GE.layers.3.2.fn.to_q.weight", torch.zeros(100, 16, 1, 1), "attention width 100 is not heads × 64"),
        ("GE.extra.weight", torch.zeros(1), "unexpected generator key 'extra.weight'"),
    ]
    for key, value, message in cases:
        data = {**pristine, "GAN": dict(pristine["GAN"])}
        if value is None:
            del data["GAN"][key]
        else:
            data["GAN"][key] = value
        torch.save(data, path)
        with pytest.raises(CheckpointError, match=message) as err:
            load_checkpoint(path)
        assert "\n" not in str(err.value) and "lightweight-gan" in str(err.value)


def test_versions_before_1_0_are_refused_by_name(tmp_path: Path) -> None:
    """0.x files upsample by nearest neighbour: no pixel-shuffle convolution in the layers."""
    path, _ = write_lightweight_gan(tmp_path, image_size=32, attn_res_layers=())
    data = torch.load(path, weights_only=True)
    data["GAN"] = {k: v for k, v in data["GAN"].items() if ".0.0.net.0." not in k}
    data["version"] = "0.21.0"
    torch.save(data, path)
    with pytest.raises(CheckpointError, match="a lightweight-gan checkpoint of version 0.21.0: not supported"):
        inspect_checkpoint(path)


def test_truncated_file_is_one_line(tmp_path: Path) -> None:
    path, _ = write_lightweight_gan(tmp_path, image_size=32)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(CheckpointError, match="truncated or corrupt") as err:
        load_checkpoint(path)
    assert "\n" not in str(err.value)


def test_cli_paints_it_and_models_names_the_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    from studio.cli import main
    from studio.config import paths

    folder = paths.user_models_dir()
    folder.mkdir(parents=True)
    path, _ = write_lightweight_gan(tmp_path, image_size=32, attn_res_layers=())
    path.rename(folder / "fastgan-ink.pt")
    assert main(["generate", "--model", str(folder / "fastgan-ink.pt"), "--seed", "3", "--out", str(tmp_path / "out")]) == 0
    (png,) = (tmp_path / "out").glob("*.png")
    assert Image.open(png).size == (32, 32)
    capsys.readouterr()
    assert main(["models", "--json"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert (listed["fastgan-ink"]["format"], listed["fastgan-ink"]["resolution"]) == ("lightweight-gan", 32)
