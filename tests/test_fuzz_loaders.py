"""Property-based checks: whatever bytes or structures arrive, loaders answer with one clear error."""

from __future__ import annotations

import io
import json
from pathlib import Path

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin
from safetensors.torch import save_file

from studio.errors import CheckpointError, StudioError
from studio.models.inkfile import read_ink_metadata
from studio.models.loaders import inspect_checkpoint, load_checkpoint

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _write(folder: Path, data: bytes, suffix: str) -> Path:
    path = folder / f"x{suffix}"
    path.write_bytes(data)
    return path


@FAST
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".safetensors", ".pt", ".pth", ".ckpt", ".bin"]))
def test_arbitrary_bytes_never_escape_as_other_errors(fresh_dir, data: bytes, suffix: str) -> None:  # type: ignore[no-untyped-def]
    path = _write(fresh_dir("fuzz"), data, suffix)
    try:
        load_checkpoint(path)
    except CheckpointError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 300) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@FAST
@given(
    meta=st.fixed_dictionaries(
        {},
        optional={
            "kind": st.sampled_from(["diffusion", "gan", "vae", 3]),
            "architecture": json_values,
            "scheduler": json_values,
            "styles": json_values,
            "resolution": json_values,
            "channels": json_values,
        },
    )
)
def test_arbitrary_metadata_is_validated(fresh_dir, meta: dict) -> None:  # type: ignore[no-untyped-def]
    path = _write(fresh_dir("fuzz"), b"", ".safetensors")
    save_file({"w": torch.zeros(2)}, str(path), metadata={"inkstudio": json.dumps(meta)})
    try:
        read_ink_metadata(path)
    except CheckpointError as exc:
        assert "\n" not in str(exc)
        return
    # metadata that passes validation must describe a model the loader can at least try
    try:
        load_checkpoint(path)
    except CheckpointError:
        pass


state_values = st.one_of(
    st.builds(lambda shape: torch.zeros(shape), st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)),
    st.integers(),
    st.text(max_size=5),
    st.none(),
)


@FAST
@given(
    state=st.dictionaries(
        st.one_of(
            st.sampled_from(["model", "ema", "step", "main.0.weight", "main.1.weight", "main.2.bias", "main.x.weight"]),
            st.text(max_size=12),
        ),
        st.one_of(state_values, st.dictionaries(st.sampled_from(["model.init_conv.weight", "betas", "loss_weight"]), state_values)),
        max_size=5,
    )
)
def test_arbitrary_state_dicts_give_checkpoint_errors(fresh_dir, state: dict) -> None:  # type: ignore[no-untyped-def]
    path = _write(fresh_dir("fuzz"), b"", ".pt")
    torch.save(state, path)
    try:
        load_checkpoint(path)
    except (CheckpointError, StudioError) as exc:
        assert "\n" not in str(exc)


@FAST
@given(text=st.one_of(st.text(max_size=200), json_values.map(json.dumps)))
def test_png_metadata_parser_round_trips_or_refuses(fresh_dir, text: str) -> None:  # type: ignore[no-untyped-def]
    from studio.engine.pngmeta import read_png_meta

    info = PngImagePlugin.PngInfo()
    try:
        info.add_text("inkstudio", text)
        buf = io.BytesIO()
        Image.new("RGB", (2, 2)).save(buf, format="PNG", pnginfo=info)
    except (UnicodeEncodeError, ValueError):
        return  # not representable in a tEXt chunk: nothing to parse
    path = _write(fresh_dir("fuzz"), buf.getvalue(), ".png")
    try:
        meta = read_png_meta(path)
    except StudioError as exc:
        assert "\n" not in str(exc)
        return
    assert meta == json.loads(text)


@FAST
@given(data=st.binary(max_size=600))
def test_corrupt_png_bytes_refused_cleanly(fresh_dir, data: bytes) -> None:  # type: ignore[no-untyped-def]
    from studio.engine.pngmeta import read_png_meta

    png_header = b"\x89PNG\r\n\x1a\n"
    path = _write(fresh_dir("fuzz"), png_header + data, ".png")
    try:
        read_png_meta(path)
    except StudioError as exc:
        assert "\n" not in str(exc)


def test_inspect_never_builds_networks(tmp_path: Path) -> None:
    from conftest import save_tiny_diffusion

    path = save_tiny_diffusion(tmp_path / "m.safetensors")
    spec = inspect_checkpoint(path)
    assert spec.kind == "diffusion" and "meta" in spec.extra
