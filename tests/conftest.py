"""Shared test set-up: offscreen Qt, private user folders, tiny real seeded models."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
import torch  # noqa: E402

# one thread: tiny models gain nothing from more, and a busy 2-core machine loses a lot to contention
torch.set_num_threads(1)

SHANSHUI = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "shanshui" / "images"


@pytest.fixture(scope="session", autouse=True)
def private_temp_dir(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Whatever the code under test (or a child process) puts in the temporary folder lands in pytest's
    own tree, which pytest prunes, never loose in /tmp."""
    import tempfile

    folder = tmp_path_factory.mktemp("tmpdir")
    before = (tempfile.tempdir, os.environ.get("TMPDIR"))
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    yield folder
    tempfile.tempdir = before[0]
    if before[1] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = before[1]


@pytest.fixture(autouse=True)
def private_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data/config folders; the user's real ones are never touched."""
    root = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("INKSTUDIO_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("INKSTUDIO_CONFIG_DIR", str(root / "config"))
    (root / "xdg-data").mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "xdg-data"))  # the system trash (deleted paintings) is private too
    return root


@pytest.fixture(scope="module")
def fresh_dir(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A new empty folder under pytest's own temporary tree at each call: for hypothesis tests, whose
    examples share one test's fixtures (tests never write into the system temporary folder)."""
    return lambda prefix="case": tmp_path_factory.mktemp(prefix)


def tiny_unet_config(num_class_embeds: int | None = 2, sample_size: int = 16) -> dict:
    return dict(
        sample_size=sample_size,
        in_channels=3,
        out_channels=3,
        block_out_channels=(8, 16),
        layers_per_block=1,
        down_block_types=("DownBlock2D", "AttnDownBlock2D"),
        up_block_types=("AttnUpBlock2D", "UpBlock2D"),
        norm_num_groups=4,
        attention_head_dim=4,
        num_class_embeds=num_class_embeds,
    )


def make_tiny_unet(seed: int = 0, num_class_embeds: int | None = 2, sample_size: int = 16):  # type: ignore[no-untyped-def]
    from diffusers import UNet2DModel

    torch.manual_seed(seed)
    unet = UNet2DModel(**tiny_unet_config(num_class_embeds, sample_size))
    # a freshly initialised UNet outputs ~0 (zero-init out conv); give it real weights so paintings vary
    with torch.no_grad():
        for p in unet.parameters():
            if p.dim() > 1 and float(p.abs().sum()) == 0.0:
                p.normal_(0, 0.05)
    return unet.eval()


def save_tiny_diffusion(path: Path, *, seed: int = 0, prediction_type: str = "v_prediction", styles: bool = True) -> Path:
    from diffusers import DDPMScheduler

    from studio.models.inkfile import save_ink_checkpoint

    unet = make_tiny_unet(seed, 2 if styles else None)
    sched = DDPMScheduler(num_train_timesteps=100, beta_schedule="squaredcos_cap_v2", prediction_type=prediction_type)
    return save_ink_checkpoint(
        path,
        unet.state_dict(),
        {
            "kind": "diffusion",
            "name": "Tiny diffusion",
            "architecture": {"class": "UNet2DModel", "config": dict(unet.config)},
            "scheduler": {"class": "DDPMScheduler", "config": dict(sched.config)},
            "styles": {"light": 0, "dark": 1} if styles else {},
            "resolution": 16,
            "channels": 3,
        },
    )


def save_tiny_gan(path: Path, *, seed: int = 0, generator: str = "InkGenerator") -> Path:
    """A tiny style-conditional GAN generator; ``InkDCGenerator`` (BatchNorm) gets standing statistics like an export."""
    from studio.engine.train.gan import standing_statistics
    from studio.models.inkfile import save_ink_checkpoint
    from studio.models.inkgan import GENERATORS

    torch.manual_seed(seed)
    config = {"nz": 16, "ngf": 8, "resolution": 16, "channels": 3, "num_classes": 2}
    gen = GENERATORS[generator](**config)
    standing_statistics(gen, num_classes=2, nz=16, batches=2, batch=16)
    return save_ink_checkpoint(
        path,
        gen.state_dict(),
        {
            "kind": "gan",
            "name": "Tiny GAN",
            "architecture": {"class": generator, "config": config},
            "styles": {"light": 0, "dark": 1},
            "resolution": 16,
            "channels": 3,
        },
    )


def save_unconditional(path: Path, *, seed: int, size: int = 16) -> Path:
    """A tiny unconditional diffusion checkpoint painting ``size`` px."""
    from diffusers import DDPMScheduler

    from studio.models.inkfile import save_ink_checkpoint

    if size == 16:
        return save_tiny_diffusion(path, seed=seed, styles=False)
    unet = make_tiny_unet(seed, None, sample_size=size)
    sched = DDPMScheduler(num_train_timesteps=100, beta_schedule="squaredcos_cap_v2", prediction_type="v_prediction")
    return save_ink_checkpoint(path, unet.state_dict(), {
        "kind": "diffusion", "name": f"Tiny {size}", "architecture": {"class": "UNet2DModel", "config": dict(unet.config)},
        "scheduler": {"class": "DDPMScheduler", "config": dict(sched.config)}, "styles": {}, "resolution": size, "channels": 3,
    })


@pytest.fixture
def tiny_diffusion(tmp_path: Path) -> Path:
    return save_tiny_diffusion(tmp_path / "tiny-diffusion.safetensors")


@pytest.fixture(params=["InkGenerator", "InkDCGenerator"])
def tiny_gan(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """Every GAN test runs on both generator families: the pixel-norm one and the bundled DCGAN one."""
    return save_tiny_gan(tmp_path / "tiny-gan.safetensors", generator=request.param)


@pytest.fixture
def bundled_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty bundled-models folder the catalog reads instead of the repo's models/."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    monkeypatch.setenv("INKSTUDIO_BUNDLED_MODELS", str(folder))
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    from studio.cli import main

    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def pixels(path: Path) -> np.ndarray:  # noqa: F821 - numpy is imported lazily
    """A PNG's pixels as an RGB array."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))
