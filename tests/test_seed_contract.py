"""The seed contract on every CPU path: image k of a batch of four is byte for byte the painting of
seed S+k made alone, whatever the thread count or the kernels torch picks.

Each configuration runs tests/contract_probe.py in a fresh interpreter (torch reads
ONEDNN_MAX_CPU_ISA and ATEN_CPU_CAPABILITY when it starts), so one CI machine stands for machines
with fewer cores and older instruction sets. The bundled 64 px models are in the probe because the
broken contract showed there first: their convolutions are large enough for oneDNN and ATen to
choose a different algorithm for a batch of four than for one image.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import save_tiny_diffusion, save_tiny_gan

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "tests" / "contract_probe.py"
BUNDLED = [ROOT / "models" / "ink-gan-64.safetensors", ROOT / "models" / "ink-diffusion-64.safetensors"]

CONFIGS = {
    "1 thread": (["--threads", "1"], {}),
    "2 threads": (["--threads", "2"], {}),
    "oneDNN limited to SSE4.1": (["--threads", "2"], {"ONEDNN_MAX_CPU_ISA": "SSE41"}),
    "ATen kernels, no oneDNN": (["--threads", "2", "--no-mkldnn"], {}),
    "ATen scalar kernels, no oneDNN": (["--threads", "1", "--no-mkldnn"], {"ATEN_CPU_CAPABILITY": "default"}),
}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The probe's arguments: the tiny models go through every sampler and inpainting method, the
    bundled ones paint and walk."""
    folder = tmp_path_factory.mktemp("contract-models")
    tiny = [
        save_tiny_diffusion(folder / "tiny-diffusion.safetensors"),
        save_tiny_gan(folder / "tiny-gan.safetensors"),
        save_tiny_gan(folder / "tiny-dcgan.safetensors", generator="InkDCGenerator"),
    ]
    return [a for m in tiny for a in ("--full", str(m))] + [str(p) for p in BUNDLED if p.is_file()]


@pytest.mark.parametrize("config", list(CONFIGS))
def test_batch_image_k_is_the_lone_painting_byte_for_byte(config: str, models: list[str], tmp_path: Path) -> None:
    flags, env = CONFIGS[config]
    private = {"TMPDIR": str(tmp_path), "INKSTUDIO_DATA_DIR": str(tmp_path / "data"), "INKSTUDIO_CONFIG_DIR": str(tmp_path / "config")}
    # one after another: probes side by side on few cores spend their time spinning in each other's way
    done = subprocess.run(
        [sys.executable, str(PROBE), *flags, "--steps", "3", *models],
        capture_output=True, text=True, timeout=1800, env={**os.environ, **env, **private}, cwd=tmp_path, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    cases = report["cases"]
    bundled = [p for p in BUNDLED if p.is_file()]
    assert len(cases) >= 14 + 2 * len(bundled), sorted(cases)
    broken = {name: c for name, c in cases.items() if c["differing"]}
    assert not broken, f"{config} ({report['cpu_capability']}, {report['threads']} threads): {broken}"
