"""DCGAN variants as their trainers save them: wrappers, key prefixes, bare Sequential keys, strides a state_dict does not store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from format_fixtures import (
    write_dcgan_96,
    write_dcgan_bare_sequential,
    write_dcgan_data_parallel,
    write_dcgan_discriminator,
    write_dcgan_odd_kernel,
    write_dcgan_tiny,
    write_dcgan_whole_gan,
    write_dcgan_wrapped,
)
from torch import nn

from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import sample_gan
from studio.errors import CheckpointError
from studio.models.formats import dcgan
from studio.models.loaders import inspect_checkpoint, load_checkpoint


def reference(net: nn.Module, nz: int, seeds: list[int]) -> torch.Tensor:
    """The trainer's own module run on the seed contract's noise."""
    with torch.no_grad():
        return net(noise_for_seeds((nz, 1, 1), seeds))


def assert_paints_like(path: Path, net: nn.Module, px: int, nz: int, **kw: object) -> None:
    spec = inspect_checkpoint(path, **kw)  # type: ignore[arg-type]
    assert (spec.format, spec.kind, spec.resolution, spec.channels, spec.extra["nz"]) == ("dcgan", "gan", px, 3, nz)
    model = load_checkpoint(path, **kw)  # type: ignore[arg-type]
    ours = sample_gan(model, [3, 4])
    assert ours.shape == (2, 3, px, px)
    assert torch.allclose(ours, reference(net, nz, [3, 4]), atol=1e-6)


def test_96px_generator_paints_96px_not_65(tmp_path: Path) -> None:
    path, net = write_dcgan_96(tmp_path)
    assert_paints_like(path, net, 96, 16)
    assert inspect_checkpoint(path).extra["strides"] == [1, 2, 2, 2, 3]


@pytest.mark.parametrize("key", ["netG", "generator", "net", "state_dict", "model"])
def test_training_checkpoint_wrappers(tmp_path: Path, key: str) -> None:
    path, net = write_dcgan_wrapped(tmp_path, key)
    assert_paints_like(path, net, 64, 8)
    assert inspect_checkpoint(path).extra["wrapper"] == key


def test_whole_gan_module_takes_the_generator(tmp_path: Path) -> None:
    path, gen = write_dcgan_whole_gan(tmp_path)
    assert inspect_checkpoint(path).extra["prefix"] == "Gene."
    assert_paints_like(path, gen, 64, 8)


def test_bare_sequential_keys_with_biases(tmp_path: Path) -> None:
    path, gen = write_dcgan_bare_sequential(tmp_path)
    assert_paints_like(path, gen, 32, 8)


def test_data_parallel_prefix_128px(tmp_path: Path) -> None:
    path, gen = write_dcgan_data_parallel(tmp_path)
    assert_paints_like(path, gen, 128, 8)


def test_pinned_slice_of_the_96px_generator(tmp_path: Path) -> None:
    """Pixels pinned, so a change in how the layers are rebuilt fails loudly (the reference test needs both sides to move)."""
    path, _ = write_dcgan_96(tmp_path)
    image = sample_gan(load_checkpoint(path), [7])[0]
    got = image[0, -3:, -3:].flatten()
    expected = torch.tensor(EXPECTED_96)
    assert torch.allclose(got, expected, atol=1e-5), got.tolist()


EXPECTED_96 = [-0.00579, 0.00697, 0.00076, -0.00445, -0.00309, -0.01295, -0.01249, 0.01061, -0.00015]


def test_kernel_without_a_usual_stride_needs_a_size(tmp_path: Path) -> None:
    path, gen = write_dcgan_odd_kernel(tmp_path)
    with pytest.raises(CheckpointError) as err:
        inspect_checkpoint(path)
    assert "pass --size or add odd.json" in str(err.value) and "\n" not in str(err.value)
    assert_paints_like(path, gen, 48, 8, size=48)
    with pytest.raises(CheckpointError, match="paint 50 px"):
        inspect_checkpoint(path, size=50)


def test_size_from_a_sidecar(tmp_path: Path) -> None:
    path, gen = write_dcgan_odd_kernel(tmp_path)
    path.with_suffix(".json").write_text(json.dumps({"image_size": 48}))
    assert_paints_like(path, gen, 48, 8)


def test_explicit_strides_in_a_sidecar(tmp_path: Path) -> None:
    path, gen = write_dcgan_odd_kernel(tmp_path)
    path.with_suffix(".json").write_text(json.dumps({"strides": [1, 2, 2, 3], "paddings": [0, 1, 1, 2]}))
    assert_paints_like(path, gen, 48, 8)
    path.with_suffix(".json").write_text(json.dumps({"strides": [1, 2], "paddings": [0, 1]}))
    with pytest.raises(CheckpointError, match="lists of 4 small integers"):
        inspect_checkpoint(path)


def test_a_size_the_usual_strides_do_not_paint_is_never_painted(tmp_path: Path) -> None:
    """A sidecar promising 64 px for the 96 px generator: two settings would do it, so the file is refused."""
    path, _ = write_dcgan_96(tmp_path)
    path.with_suffix(".json").write_text(json.dumps({"image_size": 64}))
    with pytest.raises(CheckpointError, match="several layer settings paint 64 px"):
        inspect_checkpoint(path)


def test_tiny_generator_needs_a_promise(tmp_path: Path) -> None:
    path, gen = write_dcgan_tiny(tmp_path)
    with pytest.raises(CheckpointError, match=r"paint 8 px with the usual strides, outside 32-1024; pass --size"):
        inspect_checkpoint(path)
    path.with_suffix(".json").write_text(json.dumps({"image_size": 8}))
    assert_paints_like(path, gen, 8, 8)


def test_discriminator_is_refused_as_one(tmp_path: Path) -> None:
    path = write_dcgan_discriminator(tmp_path)
    with pytest.raises(CheckpointError, match="not a DCGAN generator .a discriminator") as err:
        load_checkpoint(path)
    assert "\n" not in str(err.value)


def test_load_checks_the_size_it_paints(tmp_path: Path) -> None:
    """Should the layer settings and the spec ever disagree, loading refuses instead of painting another size."""
    path, _ = write_dcgan_96(tmp_path)
    spec = inspect_checkpoint(path)
    spec.extra["strides"] = [1, 2, 2, 2, 2]
    with pytest.raises(CheckpointError, match=r"paints \(65, 65\) px, not the 96 px"):
        dcgan.load(spec)


@pytest.mark.parametrize("cut", [0.3, 0.9])
def test_truncated_variant_is_one_line(tmp_path: Path, cut: float) -> None:
    path, _ = write_dcgan_wrapped(tmp_path, "netG")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(path)
    assert "\n" not in str(err.value) and path.name in str(err.value)


def test_cli_paints_96px_and_models_names_the_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    from studio.cli import main
    from studio.config import paths

    folder = paths.user_models_dir()
    folder.mkdir(parents=True)
    path, _ = write_dcgan_96(folder)
    assert main(["generate", "--model", str(path), "--seed", "3", "--out", str(tmp_path / "out")]) == 0
    (png,) = (tmp_path / "out").glob("*.png")
    assert Image.open(png).size == (96, 96)
    capsys.readouterr()
    assert main(["models", "--json"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert (listed["netg_199"]["format"], listed["netg_199"]["resolution"]) == ("dcgan", 96)
