"""rosinality stylegan2-pytorch checkpoints: read with their argparse args, painted by our own StyleGAN2 generator.

The reference below is a second, minimal StyleGAN2 synthesis written independently of
studio.models.formats.stylegan2_rosinality (modulation applied to the input and demodulation to the
output, one image at a time; upsampling by explicit zero insertion), run on the fixture's weights.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from format_fixtures import write_rosinality

from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import sample_gan
from studio.errors import CheckpointError
from studio.models.loaders import inspect_checkpoint, load_checkpoint


def _blur(x: torch.Tensor, k: torch.Tensor, pad: tuple[int, int]) -> torch.Tensor:
    c = x.shape[1]
    x = F.pad(x, (pad[0], pad[1], pad[0], pad[1]))
    return F.conv2d(x, torch.flip(k, (0, 1))[None, None].repeat(c, 1, 1, 1), groups=c)


def _zero_insert(x: torch.Tensor) -> torch.Tensor:
    b, c, h, w = x.shape
    z = torch.zeros(b, c, h, 2, w, 2, dtype=x.dtype)
    z[:, :, :, 0, :, 0] = x
    return z.reshape(b, c, 2 * h, 2 * w)


def reference_image(sd: dict[str, torch.Tensor], z: torch.Tensor) -> torch.Tensor:
    """One image (z: (D,)) of a rosinality generator state_dict."""
    lrelu = lambda v, b: F.leaky_relu(v + b.reshape(1, -1, *[1] * (v.dim() - 2)), 0.2) * math.sqrt(2)  # noqa: E731
    w = z[None] / torch.sqrt((z**2).mean() + 1e-8)
    i = 1
    while f"style.{i}.weight" in sd:
        wt, b = sd[f"style.{i}.weight"], sd[f"style.{i}.bias"]
        w = lrelu(w @ (wt * 0.01 / math.sqrt(wt.shape[1])).T, b * 0.01)
        i += 1

    def modconv(x: torch.Tensor, p: str, demod: bool, up: bool) -> torch.Tensor:
        weight = sd[f"{p}.conv.weight"][0]
        cout, cin, k, _ = weight.shape
        mw, mb = sd[f"{p}.conv.modulation.weight"], sd[f"{p}.conv.modulation.bias"]
        s = w @ (mw / math.sqrt(mw.shape[1])).T + mb  # (1, cin)
        weight = weight / math.sqrt(cin * k * k)
        x = x * s[:, :, None, None]
        if up:
            out = F.conv_transpose2d(x, weight.transpose(0, 1), stride=2)
            out = _blur(out, sd[f"{p}.conv.blur.kernel"], (1, 1))
        else:
            out = F.conv2d(x, weight, padding=k // 2)
        if demod:
            d = ((weight[None] * s[:, None, :, None, None]) ** 2).sum((2, 3, 4)) + 1e-8
            out = out / torch.sqrt(d)[:, :, None, None]
        return out

    def styled(x: torch.Tensor, p: str, noise: torch.Tensor, up: bool) -> torch.Tensor:
        return lrelu(modconv(x, p, True, up) + sd[f"{p}.noise.weight"] * noise, sd[f"{p}.activate.bias"])

    x = sd["input.input"]
    x = styled(x, "conv1", sd["noises.noise_0"], False)
    rgb = modconv(x, "to_rgb1", False, False) + sd["to_rgb1.bias"]
    j = 0
    while f"to_rgbs.{j}.conv.weight" in sd:
        x = styled(x, f"convs.{2 * j}", sd[f"noises.noise_{2 * j + 1}"], True)
        x = styled(x, f"convs.{2 * j + 1}", sd[f"noises.noise_{2 * j + 2}"], False)
        up = _blur(_zero_insert(rgb), sd[f"to_rgbs.{j}.upsample.kernel"], (2, 1))
        rgb = modconv(x, f"to_rgbs.{j}", False, False) + sd[f"to_rgbs.{j}.bias"] + up
        j += 1
    return rgb[0]


@pytest.mark.parametrize("size", [16, 32])
def test_g_ema_paints_like_an_independent_reference(tmp_path: Path, size: int) -> None:
    path, g_ema = write_rosinality(tmp_path, size=size)
    spec = inspect_checkpoint(path)
    assert (spec.format, spec.kind, spec.resolution, spec.channels, spec.styles) == ("stylegan2-rosinality", "gan", size, 3, {})
    assert (spec.extra["source"], spec.extra["style_dim"], spec.extra["n_mlp"], spec.extra["step"]) == ("g_ema", 16, 2, 5000)
    model = load_checkpoint(path)
    seeds = [3, 4]
    z = noise_for_seeds((16,), seeds)
    ours = torch.cat([model.generate(z[i : i + 1], None) for i in range(len(seeds))])  # one at a time, as painting does
    with torch.no_grad():
        ref = torch.stack([reference_image(g_ema, one) for one in z])
    assert ours.shape == (2, 3, size, size)
    assert ref.abs().mean() > 0.05  # a real signal, not a flat field
    assert torch.allclose(ours, ref, atol=1e-4, rtol=1e-4), (ours - ref).abs().max()
    painted = sample_gan(model, seeds)
    assert torch.equal(painted, ours.clamp(-1, 1))


def test_without_args_and_g_ema_falls_back_to_shapes_and_g(tmp_path: Path) -> None:
    path, _ = write_rosinality(tmp_path, with_args=False)
    data = torch.load(path, weights_only=True)
    del data["g_ema"]
    torch.save(data, path)
    spec = inspect_checkpoint(path)
    assert (spec.resolution, spec.extra["source"]) == (32, "g")
    assert load_checkpoint(path).generate(torch.randn(1, 16), None).shape == (1, 3, 32, 32)


def test_args_that_disagree_with_the_weights_are_refused(tmp_path: Path) -> None:
    path, _ = write_rosinality(tmp_path)
    data = torch.load(path, weights_only=False)  # our own fixture, written a line above
    data["args"].size = 256
    torch.save(data, path)
    with pytest.raises(CheckpointError, match="args.size is 256 but its weights say 32") as err:
        inspect_checkpoint(path)
    assert "\n" not in str(err.value)


def test_missing_and_misshapen_weights_are_one_line(tmp_path: Path) -> None:
    path, _ = write_rosinality(tmp_path)
    data = torch.load(path, weights_only=False)
    del data["g_ema"]["convs.1.noise.weight"]
    torch.save(data, path)
    with pytest.raises(CheckpointError, match="rosinality StyleGAN2 checkpoint: missing 'convs.1.noise.weight'"):
        inspect_checkpoint(path)
    data["g_ema"]["convs.1.noise.weight"] = torch.zeros(1)
    data["g_ema"]["convs.0.conv.weight"] = torch.zeros(3, 3)
    torch.save(data, path)
    with pytest.raises(CheckpointError, match="'convs.0.conv.weight' has 2 dimensions, not 5"):
        inspect_checkpoint(path)
    data["g_ema"]["convs.0.conv.weight"] = torch.zeros(1, 16, 7, 3, 3)  # 7 input channels after a 16-wide layer
    torch.save(data, path)
    with pytest.raises(CheckpointError, match="weights do not fit the network") as err:
        load_checkpoint(path)
    assert "\n" not in str(err.value)


def test_truncated_file_is_one_line(tmp_path: Path) -> None:
    path, _ = write_rosinality(tmp_path)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(CheckpointError, match="truncated or corrupt") as err:
        load_checkpoint(path)
    assert "\n" not in str(err.value)


def test_only_the_namespace_is_allowed_not_code(tmp_path: Path) -> None:
    """The Namespace is let through as data; any other global in the same file is still refused."""
    path, _ = write_rosinality(tmp_path)
    data = torch.load(path, weights_only=False)
    data["args"] = argparse.Namespace(size=32, hook=argparse.ArgumentParser)
    torch.save(data, path)
    with pytest.raises(CheckpointError, match="refused: the file asks to run Python code"):
        inspect_checkpoint(path)


def test_cli_paints_it_and_models_names_the_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from PIL import Image

    from studio.cli import main
    from studio.config import paths

    folder = paths.user_models_dir()
    folder.mkdir(parents=True)
    path, _ = write_rosinality(tmp_path)
    path.rename(folder / "ink-stylegan2.pt")
    assert main(["generate", "--model", str(folder / "ink-stylegan2.pt"), "--seed", "3", "--out", str(tmp_path / "out")]) == 0
    (png,) = (tmp_path / "out").glob("*.png")
    assert Image.open(png).size == (32, 32)
    capsys.readouterr()
    assert main(["models", "--json"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert (listed["ink-stylegan2"]["format"], listed["ink-stylegan2"]["kind"]) == ("stylegan2-rosinality", "gan")


def test_weights_converted_from_nvidias(tmp_path: Path) -> None:
    """convert_weight.py writes {"g_ema": ..., "latent_avg": ...}: no args, no training state."""
    _, g_ema = write_rosinality(tmp_path, size=16)
    path = tmp_path / "stylegan2-ffhq-config-f.pt"
    torch.save({"g_ema": g_ema, "latent_avg": torch.zeros(16)}, path)
    model = load_checkpoint(path)
    z = noise_for_seeds((16,), [9])
    with torch.no_grad():
        assert torch.allclose(model.generate(z, None)[0], reference_image(g_ema, z[0]), atol=1e-4, rtol=1e-4)
