"""The Four families sheet (studio.work.families) and ``inkstudio compare --families`` on tiny seeded models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run, save_tiny_diffusion, save_tiny_gan
from PIL import Image
from test_vae import save_tiny_vae

from studio.engine.pngmeta import read_png_meta
from studio.errors import StudioError


@pytest.fixture
def four(bundled_dir: Path) -> Path:
    """Bundled: a tiny diffusion model (the default's id), GAN and VAE; no autoregressive model."""
    save_tiny_diffusion(bundled_dir / "ink-diffusion-64.safetensors")
    save_tiny_gan(bundled_dir / "gan.safetensors")
    save_tiny_vae(bundled_dir / "vae.safetensors")
    return bundled_dir


def _load(record):  # type: ignore[no-untyped-def]
    from studio.models.pairs import load_record

    import torch

    return load_record(record, "cpu", torch.float32)


def test_sheet_has_four_labelled_rows(four: Path) -> None:
    from studio.work.families import FamiliesRequest, families_sheet, row_labels
    from studio.work.families import run as families

    seen: list[tuple[int, int]] = []
    sheet = families(FamiliesRequest(style="dark", count=3, seed=5, steps=2), _load, lambda s, n: seen.append((s, n)))
    assert [r.family for r in sheet.rows] == ["autoregressive", "vae", "gan", "diffusion"]
    assert [r.density for r in sheet.rows] == ["explicit", "approximate", "implicit", "approximate"]
    missing, vae, gan, diffusion = sheet.rows
    assert missing.model is None and missing.images == [] and "no autoregressive model" in missing.missing
    assert (vae.model, gan.model, diffusion.model) == ("vae", "gan", "ink-diffusion-64")
    assert [len(r.images) for r in sheet.rows] == [0, 3, 3, 3] and sheet.seeds == [5, 6, 7]
    assert (vae.evaluations, gan.evaluations, diffusion.evaluations) == (1, 1, 2)
    assert all(r.seconds is not None and r.seconds > 0 for r in sheet.rows[1:])
    assert gan.bits_source == "no-likelihood" and gan.bits_per_dim is None
    assert diffusion.bits_per_dim is None and vae.bits_per_dim is None  # no data given, none recorded in the tiny files
    assert seen[-1] == (400, 400) and all(a <= b for (a, _), (b, _) in zip(seen, seen[1:]))
    labels = [row_labels(r) for r in sheet.rows]
    assert labels[0][0].startswith("Autoregressive (PixelCNN): no model")
    assert labels[1][0] == "VAE — vae, 8 px · approximate density"
    assert "no likelihood" in labels[2][1] and "bits/dim —" in labels[3][1]
    assert "network evaluations per painting: 2" in labels[3][1]
    zh = [row_labels(r, "zh_CN") for r in sheet.rows]
    assert zh[2][0].startswith("对抗生成 GAN — gan") and "无似然" in zh[2][1]
    picture = families_sheet(sheet, thumb=48)
    assert picture.width >= 10 + 3 * 58 and picture.height > 4 * 2 * 12


def test_recorded_bits_are_shown_and_models_can_be_named(four: Path, tmp_path: Path) -> None:
    from studio.models.inkfile import load_ink_state, read_ink_metadata, save_ink_checkpoint
    from studio.work.families import FamiliesRequest, row_labels
    from studio.work.families import run as families

    source = save_tiny_vae(tmp_path / "other.safetensors", seed=4)
    meta = read_ink_metadata(source)
    meta["provenance"] = {"bits_per_dim_validation": {"light": 6.5, "dark": 5.5}}
    named = save_ink_checkpoint(tmp_path / "measured.safetensors", load_ink_state(source), meta)
    sheet = families(FamiliesRequest(style="light", count=1, seed=1, steps=1, models={"vae": str(named)}), _load)
    vae = sheet.rows[1]
    assert vae.model == "measured" and vae.bits_per_dim == pytest.approx(6.0) and vae.bits_source == "recorded"
    assert "6.00 bits/dim (validation, at training)" in row_labels(vae)[1]
    with pytest.raises(StudioError, match="not a gan model"):
        families(FamiliesRequest(models={"gan": str(named)}), _load)
    with pytest.raises(StudioError, match="style"):
        families(FamiliesRequest(style="blue"), _load)


def test_cli_compare_families_writes_the_sheet_and_json(four: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sheet.png"
    code, stdout, _ = run(["compare", "--families", "--style", "light", "--count", "2", "--seed", "9", "--steps", "2",
                           "--out", str(out), "--json"], capsys)
    assert code == 0
    figures = json.loads(stdout)
    assert [r["family"] for r in figures["rows"]] == ["autoregressive", "vae", "gan", "diffusion"]
    assert figures["rows"][1]["evaluations_per_painting"] == 1 and figures["rows"][3]["evaluations_per_painting"] == 2
    assert figures["rows"][0]["missing"] and figures["seeds"] == [9, 10]
    with Image.open(out) as im:
        assert im.format == "PNG" and im.width > 0
    assert read_png_meta(out)["rows"][2]["bits_source"] == "no-likelihood"


@pytest.mark.parametrize(("args", "message"), [
    (["--families", "--count", "1"], "--families needs --style"),
    (["--families", "--style", "light", "--count", "99"], "count must be between 1 and 16"),
    (["--families", "--style", "light", "--data", "/no/such/folder"], "is not a folder"),
    (["--vae", "x"], "--vae is for --families"),
])
def test_cli_compare_families_bad_input_is_one_line(four: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    args: list[str], message: str) -> None:
    code, _, err = run(["compare", *args, "--out", str(tmp_path / "s.png")], capsys)
    assert code != 0 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
