"""Mutation fuzzing: valid files with a few bytes changed, cut short or spliced are either read correctly or
refused with one StudioError line; nothing else escapes (random bytes alone rarely get past the first header
check, mutated valid files do). Set INKSTUDIO_FUZZ_EXAMPLES to run longer."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from studio.errors import StudioError

CORPUS = Path(__file__).resolve().parent / "data" / "bad"
EXAMPLES = int(os.environ.get("INKSTUDIO_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# edits: (where, as a fraction of the length; what byte) flips, then an optional cut and a repeated span
mutations = st.fixed_dictionaries(
    {
        "flips": st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=6),
        "cut": st.none() | st.floats(0.05, 1),
        "repeat": st.none() | st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 64)),
    }
)


def mutate(data: bytes, m: dict, protect: int = 0) -> bytes:
    """Apply ``m`` to ``data``, leaving the first ``protect`` bytes (e.g. a signature) intact."""
    buf = bytearray(data)
    span = len(buf) - protect
    for where, value in m["flips"]:
        buf[protect + int(where * span)] = value
    if m["repeat"] is not None:
        at = protect + int(m["repeat"][0] * span)
        buf[at:at] = buf[at : at + m["repeat"][1]]
    if m["cut"] is not None:
        buf = buf[: max(protect + 1, int(len(buf) * m["cut"]))]
    return bytes(buf)


def write(folder: Path, data: bytes, name: str) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def one_line(exc: BaseException) -> None:
    assert str(exc) and "\n" not in str(exc) and "Traceback" not in str(exc)


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from studio.engine.pngmeta import save_png

    out = {
        name: (CORPUS / "odd" / name).read_bytes()
        for name in ("cmyk.jpg", "gray16.png", "palette-transparent.png", "exif-rotated.jpg")
    }
    folder = tmp_path_factory.mktemp("painted")
    out["painted.png"] = save_png(
        Image.new("RGB", (24, 24), (90, 80, 70)), {"seed": 3, "model": "m", "kind": "gan"}, folder / "p.png"
    ).read_bytes()
    return out


@FUZZ
@given(
    m=mutations, name=st.sampled_from(["cmyk.jpg", "gray16.png", "palette-transparent.png", "exif-rotated.jpg", "painted.png"])
)
def test_mutated_images_load_as_rgb_or_refuse_in_one_line(fresh_dir, images: dict[str, bytes], m: dict, name: str) -> None:  # type: ignore[no-untyped-def]
    from studio.engine.images import load_image_rgb, load_mask

    path = write(fresh_dir("mutant"), mutate(images[name], m, protect=4), name)
    for load in (load_image_rgb, load_mask):
        try:
            loaded = load(path)
        except StudioError as exc:
            one_line(exc)
        else:
            assert loaded.image.mode in ("RGB", "L") and min(loaded.image.size) >= 1


@FUZZ
@given(m=mutations)
def test_mutated_painting_metadata_reads_or_refuses_in_one_line(fresh_dir, images: dict[str, bytes], m: dict) -> None:  # type: ignore[no-untyped-def]
    from studio.engine.export import read_settings
    from studio.engine.pngmeta import read_png_meta

    path = write(fresh_dir("mutant"), mutate(images["painted.png"], m, protect=8), "painted.png")
    for read in (read_png_meta, read_settings):
        try:
            meta = read(path)
        except StudioError as exc:
            one_line(exc)
        else:
            assert isinstance(meta, dict)


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from conftest import save_tiny_gan

    folder = tmp_path_factory.mktemp("ckpt")
    gan = save_tiny_gan(folder / "gan.safetensors")
    torch.manual_seed(0)
    dcgan = {
        "main.0.weight": torch.randn(8, 16, 4, 4),
        "main.1.weight": torch.ones(16),
        "main.1.bias": torch.zeros(16),
        "main.1.running_mean": torch.zeros(16),
        "main.1.running_var": torch.ones(16),
        "main.3.weight": torch.randn(16, 3, 4, 4),
    }
    buf = io.BytesIO()
    torch.save(dcgan, buf)
    return {"gan.safetensors": gan.read_bytes(), "dcgan.pth": buf.getvalue()}


@FUZZ
@given(m=mutations, name=st.sampled_from(["gan.safetensors", "dcgan.pth"]), head=st.booleans())
def test_mutated_checkpoints_load_or_refuse_in_one_line(
    fresh_dir, checkpoints: dict[str, bytes], m: dict, name: str, head: bool  # type: ignore[no-untyped-def]
) -> None:
    from studio.models.loaders import load_checkpoint

    data = checkpoints[name]
    if head:  # aim the edits at the first 2 KB: the safetensors JSON header, the zip's first entries
        m = {**m, "flips": [(w * min(1.0, 2048 / len(data)), v) for w, v in m["flips"]]}
    path = write(fresh_dir("mutant"), mutate(data, m), name)
    try:
        model = load_checkpoint(path)
    except StudioError as exc:  # CheckpointError is one
        one_line(exc)
        assert path.name in str(exc)
    else:
        with torch.no_grad():
            z = torch.zeros((1, *model.noise_shape))
            labels = model.labels_for(None, 1)
            assert model.generate(z, labels).shape[0] == 1


@pytest.fixture(scope="module")
def unet_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import make_tiny_unet

    folder = tmp_path_factory.mktemp("unet") / "unet"
    make_tiny_unet().save_pretrained(folder)
    return folder


json_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 64),
    st.floats(-10, 10),
    st.text(max_size=6),
    st.lists(st.integers(-1, 64), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@FUZZ
@given(data=st.data(), value=json_value)
def test_diffusers_configs_with_a_wrong_value_load_and_run_or_refuse(fresh_dir, unet_folder: Path, data, value) -> None:  # type: ignore[no-untyped-def]
    """A diffusers UNet folder whose config.json has one value replaced (sizes kept small: a config asking for
    10**9 layers is a different problem, not tested here): it loads and denoises, or is refused
    at load in one line (a config that builds but cannot run must not fail later, mid-painting)."""
    import json
    import shutil

    from studio.models.loaders import load_checkpoint

    config = json.loads((unet_folder / "config.json").read_text())
    key = data.draw(st.sampled_from(sorted(k for k in config if not k.startswith("_"))))
    folder = fresh_dir("unet") / "unet"
    shutil.copytree(unet_folder, folder)
    (folder / "config.json").write_text(json.dumps({**config, key: value}))
    try:
        model = load_checkpoint(folder)
    except StudioError as exc:
        one_line(exc)
        return
    x = torch.zeros((2, *model.noise_shape))
    out = model.denoise(x, torch.tensor([3, 7]), model.labels_for(None, 2))
    assert out.shape[0] == 2 and torch.isfinite(out).all()
