"""Training: a few real steps on a handful of paintings with tiny models, exact resume, export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch
from conftest import SHANSHUI
from safetensors.torch import load_file

from studio.engine.train import TrainOptions, make_trainer, run_training
from studio.engine.train.state import load_state
from studio.errors import StudioError

pytestmark = pytest.mark.skipif(not SHANSHUI.is_dir(), reason="shanshui dataset not present")

# three light and three dark paintings (docs/styles/manifest.csv)
FILES = ["0_of_3_in_013-a.jpg", "0_of_3_in_013-b.jpg", "0_of_3_in_029-a.jpg", "0_of_3_in_003-a.jpg", "0_of_3_in_003-b.jpg", "0_of_3_in_012-a.jpg"]


@pytest.fixture(scope="module")
def paintings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("paintings")
    for name in FILES:
        shutil.copyfile(SHANSHUI / name, folder / name)
    return folder


def _opts(kind: str, data: Path, out: Path, steps: int, resume: bool = False, grid: int = 0, preset: str = "tiny",
          **extra: str) -> TrainOptions:
    return TrainOptions(grid_count=grid,
        kind=kind, data=data, out=out, resolution=16, steps=steps, resume=resume, batch=2, preset=preset, seed=1,
        threads=None, checkpoint_minutes=1e6, eval_count=0, cache_dir=None, extra=dict(extra),
    )


# every recipe: diffusion with either loss, the first GAN recipe and the bundled DCGAN one
RECIPES = [("diffusion", "tiny", {}), ("diffusion", "tiny", {"weighting": "min-snr"}), ("gan", "tiny", {}), ("gan", "dcgan-tiny", {})]
RECIPE_IDS = ["diffusion-v", "diffusion-min-snr", "gan", "gan-dcgan"]


def _tensors(folder: Path) -> dict[str, torch.Tensor]:
    out: dict[str, torch.Tensor] = {}
    for f in sorted(folder.glob("*.safetensors")):
        out.update({f"{f.name.split('-')[0]}/{k}": v for k, v in load_file(str(f)).items()})
    return out


@pytest.mark.parametrize(("kind", "preset", "extra"), RECIPES, ids=RECIPE_IDS)
def test_resume_is_bit_exact(kind: str, preset: str, extra: dict[str, str], paintings: Path, tmp_path: Path) -> None:
    quiet = lambda s: None  # noqa: E731

    def opts(name: str, steps: int, resume: bool = False) -> TrainOptions:
        return _opts(kind, paintings, tmp_path / name, steps, resume=resume, preset=preset, **extra)

    straight = run_training(make_trainer(kind), opts("a.safetensors", 4), log=quiet)
    run_training(make_trainer(kind), opts("b.safetensors", 2), log=quiet)
    resumed = run_training(make_trainer(kind), opts("b.safetensors", 4, resume=True), log=quiet)
    assert straight.step == resumed.step == 4
    a, b = _tensors(tmp_path / "a-train" / "state"), _tensors(tmp_path / "b-train" / "state")
    assert a.keys() == b.keys() and len(a) > 10
    for key in a:
        assert torch.equal(a[key], b[key]), key
    # the weights really moved
    first = run_training(make_trainer(kind), opts("c.safetensors", 1), log=quiet)
    c = _tensors(tmp_path / "c-train" / "state")
    assert first.step == 1
    assert any(not torch.equal(a[k], c[k]) for k in a if k.startswith(("model/", "generator/")))


@pytest.mark.parametrize(("kind", "preset"), [("diffusion", "tiny"), ("gan", "tiny"), ("gan", "dcgan-tiny")])
def test_export_paints_both_styles(kind: str, preset: str, paintings: Path, tmp_path: Path) -> None:
    from studio.engine.evaluate import paint_set
    from studio.models.inkfile import read_ink_metadata
    from studio.models.loaders import load_checkpoint

    out = tmp_path / f"{kind}.safetensors"
    result = run_training(make_trainer(kind), _opts(kind, paintings, out, 2, grid=2, preset=preset), log=lambda s: None)
    meta = read_ink_metadata(out)
    assert meta["kind"] == kind and meta["styles"] == {"light": 0, "dark": 1} and meta["resolution"] == 16
    assert meta["provenance"]["steps"] == 2
    assert all(v.dtype == torch.float16 for v in load_file(str(out)).values() if v.is_floating_point())
    model = load_checkpoint(out)
    light = paint_set(model, "light", 2, seed=5, steps=3)
    dark = paint_set(model, "dark", 2, seed=5, steps=3)
    assert light.shape == (2, 3, 16, 16) and torch.isfinite(light).all()
    assert not torch.equal(light, dark)  # the style label reaches the network
    assert (result.log.parent / "samples" / "latest.png").is_file()
    _, info = load_state(tmp_path / f"{kind}-train" / "state")
    assert info["step"] == 2 and info["kind"] == kind


def test_cli_train_needs_a_budget(paintings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from studio.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["train", "diffusion", "--data", str(paintings), "--out", str(tmp_path / "x.safetensors")])
    assert exc.value.code == 2
    code = main(["train", "diffusion", "--data", str(paintings), "--out", str(tmp_path / "x.safetensors"), "--steps", "1",
                 "--resume", "--preset", "tiny", "--resolution", "16"])
    assert code == 1
    assert "no training state" in capsys.readouterr().err


def test_weighting_changes_the_loss_and_must_match_on_resume(paintings: Path, tmp_path: Path) -> None:
    quiet = lambda s: None  # noqa: E731
    v = run_training(make_trainer("diffusion"), _opts("diffusion", paintings, tmp_path / "v.safetensors", 2), log=quiet)
    snr = run_training(make_trainer("diffusion"), _opts("diffusion", paintings, tmp_path / "s.safetensors", 2, weighting="min-snr"),
                       log=quiet)
    assert v.step == snr.step == 2
    a, b = _tensors(tmp_path / "v-train" / "state"), _tensors(tmp_path / "s-train" / "state")
    # same data, noise and start: only the loss weighting differs, and the weights it reaches differ
    assert any(not torch.equal(a[k], b[k]) for k in a if k.startswith("model/"))
    _, info = load_state(tmp_path / "s-train" / "state")
    assert info["weighting"] == "min-snr"
    with pytest.raises(StudioError, match="--weighting min-snr, not v"):
        run_training(make_trainer("diffusion"), _opts("diffusion", paintings, tmp_path / "s.safetensors", 3, resume=True), log=quiet)


def test_exported_diffusion_samples_from_the_last_timestep(paintings: Path, tmp_path: Path) -> None:
    from studio.engine.sampling import make_scheduler
    from studio.models.loaders import load_checkpoint

    out = tmp_path / "d.safetensors"
    run_training(make_trainer("diffusion"), _opts("diffusion", paintings, out, 1), log=lambda s: None)
    model = load_checkpoint(out)
    assert model.scheduler_config["timestep_spacing"] == "trailing"
    for sampler in ("ddim", "dpm++", "unipc"):
        scheduler = make_scheduler(model, sampler)
        scheduler.set_timesteps(20)
        assert int(scheduler.timesteps[0]) == 999, sampler  # pure noise meets the step that expects none of the image


def test_dcgan_export_has_standing_statistics_and_is_batch_invariant(paintings: Path, tmp_path: Path) -> None:
    from studio.engine.evaluate import paint_set
    from studio.models.loaders import load_checkpoint

    out = tmp_path / "g.safetensors"
    run_training(make_trainer("gan"), _opts("gan", paintings, out, 3, preset="dcgan-tiny"), log=lambda s: None)
    first = load_file(str(out))
    means = [k for k in first if k.endswith("running_mean")]
    assert means and all(first[k].abs().sum() > 0 for k in means)  # recomputed, not the fresh zeros
    # the export is a function of the weights alone: the checkpoint's second export of them is identical
    again = load_file(str(tmp_path / "g-train" / "latest.safetensors"))
    assert first.keys() == again.keys() and all(torch.equal(first[k], again[k]) for k in first)
    model = load_checkpoint(out)
    four = paint_set(model, "dark", 4, seed=11)
    one_by_one = torch.cat([paint_set(model, "dark", 1, seed=11 + i) for i in range(4)])
    assert torch.allclose(four, one_by_one, atol=1e-5)  # BatchNorm in eval mode: no image depends on its batch


def test_minibatch_std_sees_a_collapsed_generator() -> None:
    from studio.engine.train.gan import DCDiscriminator

    torch.manual_seed(0)
    disc = DCDiscriminator(ndf=8, resolution=16, num_classes=2, norm="none", mbstd=True)
    alike = torch.rand(1, 3, 16, 16).repeat(8, 1, 1, 1) * 2 - 1
    varied = torch.rand(8, 3, 16, 16) * 2 - 1
    with torch.no_grad():
        feats_alike, feats_varied = disc.features(alike), disc.features(varied)
    assert float(disc.minibatch_std(feats_alike).abs().max()) < 1e-3
    assert float(disc.minibatch_std(feats_varied).min()) > 1e-3
    labels = torch.zeros(8, dtype=torch.long)
    # without BatchNorm, D's verdict on an image does not depend on the rest of its batch except through mbstd
    plain = DCDiscriminator(ndf=8, resolution=16, num_classes=2, norm="none", mbstd=False)
    with torch.no_grad():
        assert torch.allclose(plain(varied, labels)[:4], plain(varied[:4], labels[:4]), atol=1e-6)


@pytest.mark.parametrize("kind", ["diffusion", "upscaler"])
def test_a_compact_resume_point_continues_the_run(kind: str, paintings: Path, tmp_path: Path) -> None:
    """scripts/compact_state.py keeps weights + EMA (fp32) and drops the optimiser moments; --resume re-warms them."""
    import subprocess
    import sys

    quiet = lambda s: None  # noqa: E731
    opts = _opts(kind, paintings, tmp_path / "a.safetensors", 2)
    run_training(make_trainer(kind), opts, log=quiet)
    compact = tmp_path / "compact"
    script = Path(__file__).resolve().parents[1] / "scripts" / "compact_state.py"
    subprocess.run([sys.executable, str(script), str(tmp_path / "a-train" / "state"), str(compact)], check=True, capture_output=True)
    groups, info = load_state(compact)
    assert not any(g.startswith("optimizer") for g in groups) and info["step"] == 2
    full, _ = load_state(tmp_path / "a-train" / "state")
    weights = "model" if kind == "diffusion" else "generator"
    for key, value in full[weights].items():
        assert torch.equal(groups[weights][key], value) and value.dtype == torch.float32
    opts_b = _opts(kind, paintings, tmp_path / "b.safetensors", 4, resume=True)
    opts_b.state = compact
    resumed = run_training(make_trainer(kind), opts_b, log=quiet)
    assert resumed.step == 4
    after, info_after = load_state(compact)
    assert any(g.startswith("optimizer") for g in after) and info_after["warm_from"] == 2
    assert any(not torch.equal(after[weights][k], groups[weights][k]) for k in groups[weights])


@pytest.mark.parametrize("kind", ["diffusion", "upscaler"])
def test_an_ema_only_resume_point_trains_on_from_the_ema(kind: str, paintings: Path, tmp_path: Path) -> None:
    """compact_state.py --ema-only keeps the EMA alone (half the bytes); --resume starts the weights from it."""
    import subprocess
    import sys

    quiet = lambda s: None  # noqa: E731
    run_training(make_trainer(kind), _opts(kind, paintings, tmp_path / "a.safetensors", 2), log=quiet)
    compact = tmp_path / "compact"
    script = Path(__file__).resolve().parents[1] / "scripts" / "compact_state.py"
    subprocess.run([sys.executable, str(script), str(tmp_path / "a-train" / "state"), str(compact), "--ema-only"],
                   check=True, capture_output=True)
    groups, info = load_state(compact)
    weights = "model" if kind == "diffusion" else "generator"
    assert set(groups) & {weights, "optimizer", "optimizer_g"} == set() and "ema" in groups
    assert weights in info["compact"]["dropped"]
    trainer = make_trainer(kind)
    opts_b = _opts(kind, paintings, tmp_path / "b.safetensors", 3, resume=True)
    opts_b.state = compact
    from accelerate import Accelerator

    trainer.setup(Accelerator(cpu=True), opts_b, {"light": 0, "dark": 1})
    trainer.load_groups(groups, info)
    net = trainer.model if kind == "diffusion" else trainer.g
    for key, value in net.state_dict().items():
        assert torch.equal(value.float(), groups["ema"][key])
    assert run_training(make_trainer(kind), opts_b, log=quiet).step == 3
