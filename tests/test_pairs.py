"""Style pairs (issue 14 §1): one checkpoint per style as one catalog entry, used by every operation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import pixels, run, save_tiny_diffusion, save_unconditional

from studio.api import PaintRequest, WalkRequest
from studio.config import paths
from studio.engine.sampling import sample_diffusion, to_pil
from studio.errors import StudioError
from studio.models.catalog import discover, resolve
from studio.models.loaders import load_checkpoint
from studio.models.pairs import load_record, read_pair
from studio.work import paint, styled, walk

STEPS = 4


@pytest.fixture
def members(tmp_path: Path) -> tuple[Path, Path]:
    return save_unconditional(tmp_path / "light.safetensors", seed=1), save_unconditional(tmp_path / "dark.safetensors", seed=2)


def test_pair_json_round_trip_and_catalog(members: tuple[Path, Path], bundled_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    light, dark = members
    code, out, err = run(["pair", str(light), str(dark), "--name", "thesis"], capsys)
    assert code == 0, err
    written = paths.user_models_dir() / "thesis.pair.json"
    assert written.is_file() and not [p for p in written.parent.iterdir() if p.name.endswith(".part")]
    assert read_pair(written) == {"light": light.resolve(), "dark": dark.resolve()}
    (record,) = discover().records
    assert (record.id, record.format, record.styles, record.resolution) == ("thesis", "pair", ["light", "dark"], 16)
    assert record.members == {"light": str(light.resolve()), "dark": str(dark.resolve())}
    assert str(light.resolve()) in (record.card or "") and str(dark.resolve()) in (record.card or "")
    code, out, _ = run(["models", "--json"], capsys)
    assert json.loads(out)[0]["members"] == record.members
    code, out, _ = run(["models"], capsys)
    assert f"light: {light.resolve()}" in out and f"dark: {dark.resolve()}" in out


def test_style_of_gives_one_checkpoint_a_style(members: tuple[Path, Path], bundled_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["pair", str(members[1]), "--style-of", "dark", "--name", "my-dark"], capsys)
    assert code == 0, err
    record = resolve("my-dark")
    assert record.styles == ["dark"]
    with pytest.raises(StudioError, match="no style 'light'"):
        styled(load_record(record, "cpu", torch.float32), "light")


@pytest.mark.parametrize("style", ["light", "dark"])
def test_generate_with_a_style_paints_what_its_checkpoint_paints(
    members: tuple[Path, Path], bundled_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], style: str
) -> None:
    assert run(["pair", *map(str, members), "--name", "thesis"], capsys)[0] == 0
    alone = members[0] if style == "light" else members[1]
    common = ["--seed", "5", "--count", "2", "--steps", str(STEPS), "--device", "cpu"]
    code, _, err = run(["generate", "--model", "thesis", "--style", style, "--out", str(tmp_path / "pair"), *common], capsys)
    assert code == 0, err
    assert run(["generate", "--model", str(alone), "--out", str(tmp_path / "alone"), *common], capsys)[0] == 0
    got, want = sorted((tmp_path / "pair").glob("*.png")), sorted((tmp_path / "alone").glob("*.png"))
    assert len(got) == len(want) == 2
    for a, b in zip(got, want, strict=True):
        assert np.array_equal(pixels(a), pixels(b))
    other = members[1] if style == "light" else members[0]
    run(["generate", "--model", str(other), "--out", str(tmp_path / "other"), *common], capsys)
    assert not np.array_equal(pixels(got[0]), pixels(sorted((tmp_path / "other").glob("*.png"))[0]))


def test_different_sizes_are_resized_to_the_larger(tmp_path: Path, bundled_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    light = save_unconditional(tmp_path / "light16.safetensors", seed=1, size=16)
    dark = save_unconditional(tmp_path / "dark32.safetensors", seed=2, size=32)
    assert run(["pair", str(light), str(dark), "--name", "mixed"], capsys)[0] == 0
    record = resolve("mixed")
    assert record.resolution == 32 and record.member_resolutions == {"light": 16, "dark": 32}
    assert "resized to the larger, 32 px" in (record.card or "")
    model = load_record(record, "cpu", torch.float32)
    for style in ("light", "dark"):
        (p,) = paint.run(model, record, PaintRequest(seed=3, style=style, steps=STEPS))
        assert p.image.size == (32, 32) and p.meta["style"] == style
    # the light painting is the light checkpoint's own 16 px painting, enlarged (antialiased bicubic)
    own = sample_diffusion(load_checkpoint(light), [3], steps=STEPS)
    enlarged = torch.nn.functional.interpolate(own, size=(32, 32), mode="bicubic", antialias=True).clamp(-1, 1)
    (p,) = paint.run(model, record, PaintRequest(seed=3, style="light", steps=STEPS))
    assert np.array_equal(np.asarray(p.image), np.asarray(to_pil(enlarged)[0]))
    with pytest.raises(StudioError, match="different sizes"):
        walk.run(model, record, WalkRequest(keyframes=(3,), frames=2, style_walk=("light", "dark"), steps=STEPS), lambda *a: None)


def test_style_walk_between_the_pair_ends_on_each_checkpoint(members: tuple[Path, Path], bundled_dir: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["pair", *map(str, members), "--name", "thesis"], capsys)[0] == 0
    record = resolve("thesis")
    model = load_record(record, "cpu", torch.float32)
    result = walk.run(model, record, WalkRequest(keyframes=(8,), frames=3, style_walk=("light", "dark"), steps=STEPS),
                      lambda *a: None)
    light, dark = load_checkpoint(members[0]), load_checkpoint(members[1])
    assert len(result.frames) == 4
    first = to_pil(sample_diffusion(light, [8], sampler="dpm++", steps=STEPS))[0]
    last = to_pil(sample_diffusion(dark, [8], sampler="dpm++", steps=STEPS))[0]
    assert np.array_equal(np.asarray(result.frames[0]), np.asarray(first))
    assert np.array_equal(np.asarray(result.frames[-1]), np.asarray(last))
    middle = np.asarray(result.frames[1])
    assert not np.array_equal(middle, np.asarray(first)) and not np.array_equal(middle, np.asarray(last))


def test_missing_member_is_one_line(members: tuple[Path, Path], bundled_dir: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["pair", *map(str, members), "--name", "thesis"], capsys)[0] == 0
    members[1].unlink()
    code, out, err = run(["models"], capsys)
    assert code == 0 and "thesis" not in out.split("folders read:")[0]
    assert len([ln for ln in err.splitlines() if "thesis" in ln]) == 1 and "no such file" in err
    code, out, err = run(["generate", "--model", "thesis", "--out", str(tmp_path / "o"), "--device", "cpu"], capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "dark member" in err and "Traceback" not in err
    (paths.user_models_dir() / "bad.pair.json").write_text("{not json", encoding="utf-8")
    code, _, err = run(["models"], capsys)
    assert code == 0 and len([ln for ln in err.splitlines() if "bad.pair.json" in ln]) == 1


def test_pairing_refuses_what_cannot_be_a_style(tmp_path: Path, bundled_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conditional = save_tiny_diffusion(tmp_path / "cond.safetensors")
    plain = save_unconditional(tmp_path / "plain.safetensors", seed=1)
    code, _, err = run(["pair", str(conditional), str(plain), "--name", "x"], capsys)
    assert code == 1 and "already offers styles" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(["pair", str(plain), "--name", "x"], capsys)
    assert code == 1 and "--style-of" in err
    code, _, err = run(["pair", str(plain), str(plain), "--name", "x"], capsys)
    assert code == 1 and "same file" in err
    code, _, err = run(["pair", str(plain), "--style-of", "light", "--name", "a/b"], capsys)
    assert code == 1 and "bad pair name" in err
    assert not paths.user_models_dir().exists() or not list(paths.user_models_dir().iterdir())


def test_pair_with_the_ink_upscaler(tmp_path: Path, bundled_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 16 + 32 px pair offers what both members reach; at 64 px each member is upscaled from its own size."""
    from test_upscale import save_tiny_upscaler

    from studio.api import BUNDLED_UPSCALER, MAX_UPSCALE_PASSES

    light = save_unconditional(tmp_path / "light16.safetensors", seed=1, size=16)
    dark = save_unconditional(tmp_path / "dark32.safetensors", seed=2, size=32)
    assert run(["pair", str(light), str(dark), "--name", "mixed"], capsys)[0] == 0
    record = resolve("mixed")
    assert record.sizes(False) == [32]
    assert record.sizes(True) == [16 * 2**k for k in range(1, MAX_UPSCALE_PASSES + 1)]  # the 16 px member's reach
    save_tiny_upscaler(bundled_dir / BUNDLED_UPSCALER)
    for style, own in (("light", 16), ("dark", 32)):
        out = tmp_path / style
        code, _, err = run(["generate", "--model", "mixed", "--style", style, "--size", "64", "--seed", "3",
                            "--steps", str(STEPS), "--device", "cpu", "--out", str(out)], capsys)
        assert code == 0, err
        (png,) = out.glob("*.png")
        assert pixels(png).shape[:2] == (64, 64)
        from studio.engine.pngmeta import read_png_meta

        meta = read_png_meta(png)
        assert meta["size"] == 64 and meta["cascade"]["base_size"] == own
