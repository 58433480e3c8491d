"""StyleGAN2-ADA network pickles: read by a restricted unpickler (embedded code never runs), painted by our own generator.

The fixture pickles are built by tests/format_fixtures.py from stub classes in the real layout
(persistent records carrying module source, EasyDict kwargs, Parameters as torch pickles them).
The reference below is a minimal StyleGAN2-ADA synthesis written for this test alone: unfused
modulation (scale the input, convolve, demodulate the output), zero insertion for upsampling.
"""

from __future__ import annotations

import json
import math
import pickle
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from format_fixtures import SENTINEL_SOURCE, _FakeModules, write_ada_pickle

from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import sample_gan
from studio.errors import CheckpointError
from studio.models.loaders import inspect_checkpoint, load_checkpoint


def _filt(x: torch.Tensor, f: torch.Tensor, pad: tuple[int, int]) -> torch.Tensor:
    c = x.shape[1]
    x = F.pad(x, (pad[0], pad[1], pad[0], pad[1]))
    return F.conv2d(x, (f * 4).flip(0, 1)[None, None].repeat(c, 1, 1, 1), groups=c)


def _up2(x: torch.Tensor) -> torch.Tensor:
    b, c, h, w = x.shape
    out = torch.zeros(b, c, h * 2, w * 2)
    out[:, :, 0::2, 0::2] = x
    return out


def reference(t: dict[str, torch.Tensor], z: torch.Tensor, c: torch.Tensor | None, clamp: float | None, psi: float = 1.0) -> torch.Tensor:
    """One image from G_ema's tensors (z: (Z,), c: one-hot or None)."""
    lrelu = lambda v: F.leaky_relu(v, 0.2) * math.sqrt(2)  # noqa: E731
    cl = (lambda v: v.clamp(-clamp, clamp)) if clamp is not None else (lambda v: v)  # noqa: E731

    def fc(x: torch.Tensor, p: str, lr: float) -> torch.Tensor:
        w = t[f"{p}.weight"]
        return x @ w.t() * (lr / math.sqrt(w.shape[1])) + t[f"{p}.bias"] * lr

    x = z / (z.square().mean() + 1e-8).sqrt()
    if c is not None:
        y = fc(c, "mapping.embed", 1.0)
        x = torch.cat([x, y / (y.square().mean() + 1e-8).sqrt()])
    i = 0
    while f"mapping.fc{i}.weight" in t:
        x = lrelu(fc(x, f"mapping.fc{i}", 0.01))
        i += 1
    w = t["mapping.w_avg"] + psi * (x - t["mapping.w_avg"])

    def layer(h: torch.Tensor, p: str, up: bool) -> torch.Tensor:
        weight = t[f"{p}.weight"]
        s = fc(w, f"{p}.affine", 1.0)
        d = ((weight * s[None, :, None, None]) ** 2).sum((1, 2, 3)) + 1e-8
        h = h * s[None, :, None, None]
        if up:
            h = _filt(F.conv_transpose2d(h, weight.transpose(0, 1), stride=2), t[f"{p}.resample_filter"], (1, 1))
        else:
            h = F.conv2d(h, weight, padding=1)
        h = h / d.sqrt()[None, :, None, None] + t[f"{p}.noise_const"] * t[f"{p}.noise_strength"]
        return cl(lrelu(h + t[f"{p}.bias"][None, :, None, None]))

    def torgb(h: torch.Tensor, p: str) -> torch.Tensor:
        weight = t[f"{p}.weight"]
        s = fc(w, f"{p}.affine", 1.0) / math.sqrt(weight.shape[1])
        return cl(F.conv2d(h * s[None, :, None, None], weight) + t[f"{p}.bias"][None, :, None, None])

    h, img, res = t["synthesis.b4.const"][None], None, 4
    while f"synthesis.b{res}.torgb.weight" in t:
        p = f"synthesis.b{res}"
        if res > 4:
            h = layer(h, f"{p}.conv0", True)
        h = layer(h, f"{p}.conv1", False)
        y = torgb(h, f"{p}.torgb")
        img = y if img is None else _filt(_up2(img), t[f"{p}.resample_filter"], (2, 1)) + y
        res *= 2
    return img[0]


@pytest.mark.parametrize(("resolution", "clamp"), [(16, 256.0), (32, 0.5)])
def test_g_ema_paints_like_an_independent_reference(tmp_path: Path, resolution: int, clamp: float) -> None:
    path, t = write_ada_pickle(tmp_path, resolution=resolution, conv_clamp=clamp)
    spec = inspect_checkpoint(path)
    assert (spec.format, spec.kind, spec.resolution, spec.channels, spec.styles) == ("stylegan2-ada", "gan", resolution, 3, {})
    assert spec.extra["source"] == "G_ema"
    model = load_checkpoint(path)
    z = noise_for_seeds((16,), [1, 2])
    ours = torch.cat([model.generate(z[i : i + 1], None) for i in range(2)])
    with torch.no_grad():
        ref = torch.stack([reference(t, one, None, clamp) for one in z])
    assert ours.shape == (2, 3, resolution, resolution) and ref.abs().mean() > 0.05
    assert torch.allclose(ours, ref, atol=1e-4, rtol=1e-4), (ours - ref).abs().max()
    assert torch.equal(sample_gan(model, [1, 2]), ours.clamp(-1, 1))


def test_conditional_classes_are_styles_and_truncation_uses_w_avg(tmp_path: Path) -> None:
    path, t = write_ada_pickle(tmp_path, c_dim=2)
    path.with_suffix(".json").write_text(json.dumps({"truncation_psi": 0.7}))
    spec = inspect_checkpoint(path)
    assert spec.styles == {"light": 0, "dark": 1} and spec.extra["truncation_psi"] == 0.7
    model = load_checkpoint(path)
    z = noise_for_seeds((16,), [5])
    for style, label in (("light", 0), ("dark", 1)):
        ours = model.generate(z, model.labels_for(style, 1))[0]
        ref = reference(t, z[0], F.one_hot(torch.tensor(label), 2).float(), 256.0, psi=0.7)
        assert torch.allclose(ours, ref, atol=1e-4, rtol=1e-4)
    assert not torch.equal(sample_gan(model, [5], style="light"), sample_gan(model, [5], style="dark"))


def test_embedded_code_runs_only_under_a_careless_unpickler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sentinel proves the fixture's code is live: the standard unpickler with NVIDIA's hook runs it; we never do."""
    sentinel = tmp_path / "sentinel"
    monkeypatch.setenv("INKSTUDIO_SENTINEL", str(sentinel))
    path, _ = write_ada_pickle(tmp_path, source=SENTINEL_SOURCE)
    model = load_checkpoint(path)
    assert sample_gan(model, [0]).shape == (1, 3, 16, 16)
    assert not sentinel.exists()
    with _FakeModules():
        pickle.loads(path.read_bytes())  # what NVIDIA's legacy.load_network_pickle amounts to
    assert sentinel.read_text() == "embedded code ran"


def test_off_list_globals_are_refused_without_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sentinel = tmp_path / "sentinel"
    monkeypatch.setenv("INKSTUDIO_SENTINEL", str(sentinel))

    class RunsCode:
        def __reduce__(self) -> tuple:
            return (exec, (SENTINEL_SOURCE,))

    path = tmp_path / "network-snapshot-000001.pkl"
    path.write_bytes(pickle.dumps({"G_ema": RunsCode()}))
    with pytest.raises(CheckpointError, match=r"refused: the pickle reaches for builtins.exec") as err:
        load_checkpoint(path)
    assert "\n" not in str(err.value) and not sentinel.exists()


def test_renamed_to_pt_is_still_recognised(tmp_path: Path) -> None:
    path, _ = write_ada_pickle(tmp_path)
    renamed = path.rename(path.with_suffix(".pt"))
    assert inspect_checkpoint(renamed).format == "stylegan2-ada"


def test_stylegan3_is_refused_by_name(tmp_path: Path) -> None:
    path, _ = write_ada_pickle(tmp_path, stylegan3=True)
    with pytest.raises(CheckpointError, match="a StyleGAN3 pickle: not supported"):
        inspect_checkpoint(path)


@pytest.mark.parametrize("cut", [0.02, 0.5, 0.99])
def test_truncated_pickle_is_one_line(tmp_path: Path, cut: float) -> None:
    path, _ = write_ada_pickle(tmp_path)
    path.write_bytes(path.read_bytes()[: int(path.stat().st_size * cut)])
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(path)
    assert "\n" not in str(err.value) and path.name in str(err.value)


def test_a_pickle_without_a_generator(tmp_path: Path) -> None:
    path = tmp_path / "other.pkl"
    path.write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
    with pytest.raises(CheckpointError, match="a pickle without a StyleGAN generator"):
        inspect_checkpoint(path)


def test_missing_tensor_is_named(tmp_path: Path) -> None:
    from studio.models.formats import stylegan2_ada

    path, _ = write_ada_pickle(tmp_path)
    data = stylegan2_ada.read_network_pickle(path)
    del data["G_ema"].children["synthesis"].children["b8"].children["conv0"].state["_parameters"]["weight"]
    with pytest.raises(CheckpointError, match="missing 'synthesis.b8.conv0.weight'"):
        stylegan2_ada._architecture(path, data["G_ema"])


def test_numpy_object_scalars_are_refused(tmp_path: Path) -> None:
    import numpy as np

    path = tmp_path / "network-snapshot-000002.pkl"
    path.write_bytes(pickle.dumps({"G_ema": None, "x": np.float32(1.5)}))
    with pytest.raises(CheckpointError, match="a pickle without a StyleGAN generator"):
        inspect_checkpoint(path)  # a float32 scalar is plain data
    from studio.models.formats.stylegan2_ada import Refused, _numpy_allowed

    with pytest.raises(Refused):
        _numpy_allowed("numpy.core.multiarray", "scalar")(np.dtype(object), bytes(8))


def test_cli_paints_it_from_the_models_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    from studio.cli import main
    from studio.config import paths

    folder = paths.user_models_dir()
    folder.mkdir(parents=True)
    write_ada_pickle(folder)
    capsys.readouterr()
    assert main(["models", "--json"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    record = listed["network-snapshot-000200"]
    assert (record["format"], record["kind"], record["resolution"]) == ("stylegan2-ada", "gan", 16)
    assert main(["generate", "--model", "network-snapshot-000200", "--seed", "3", "--out", str(tmp_path / "out")]) == 0
    (png,) = (tmp_path / "out").glob("*.png")
    assert Image.open(png).size == (16, 16)
