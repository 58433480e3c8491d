"""The format registry: one module per format, each answering None at once for files not its own."""

from __future__ import annotations

import re
from pathlib import Path

import torch
from conftest import save_tiny_gan

from studio.models import formats
from studio.models.loaders import inspect_checkpoint, load_checkpoint

ROOT = Path(__file__).resolve().parents[1]


def test_every_format_module_reads_or_declines(tmp_path: Path) -> None:
    names = [m.FORMAT for m in formats.REGISTRY]
    assert len(names) == len(set(names))
    gan = save_tiny_gan(tmp_path / "g.safetensors")
    torch.save({"unrelated": torch.zeros(2)}, tmp_path / "other.pt")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "notes.txt").write_text("x")
    for module in formats.REGISTRY:
        assert callable(module.inspect) and callable(module.load)
        for path in (tmp_path / "other.pt", tmp_path / "folder"):
            assert module.inspect(path) is None, (module.FORMAT, path)
        assert (module.inspect(gan) is not None) == (module.FORMAT == "inkstudio")
    assert inspect_checkpoint(gan).format == "inkstudio"


def test_the_engine_drives_models_through_their_capabilities_only() -> None:
    """No `_forward` (nor a replace() of it) outside studio/models: blending and gradients are LoadedModel's."""
    offenders = [
        str(p.relative_to(ROOT)) for folder in ("studio", "bench", "scripts") for p in (ROOT / folder).rglob("*.py")
        if "studio/models" not in p.as_posix() and re.search(r"\b_forward\b", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_generate_with_grad_reaches_z(tmp_path: Path) -> None:
    model = load_checkpoint(save_tiny_gan(tmp_path / "g.safetensors"))
    z = torch.randn(1, *model.noise_shape, requires_grad=True)
    with torch.no_grad():  # whatever the caller's mode
        out = model.generate_with_grad(z, model.labels_for("dark", 1))
    out.sum().backward()
    assert z.grad is not None and z.grad.abs().sum() > 0
    assert torch.equal(out.detach(), model.generate(z.detach(), model.labels_for("dark", 1)))
