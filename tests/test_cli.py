"""The headless CLI: generate/info/models, and one clear line for every bad input."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from conftest import make_tiny_unet, run, save_tiny_diffusion, save_tiny_gan
from safetensors.torch import save_file

from studio.cli import main
from studio.models.inkfile import read_ink_metadata


def test_generate_count_writes_sorted_pngs_and_info_round_trips(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "series"
    code, out, _ = run(["generate", "--model", str(tiny_diffusion), "--count", "3", "--seed", "8", "--steps", "3",
                        "--style", "dark", "--out", str(out_dir)], capsys)
    assert code == 0 and "wrote 3 painting(s)" in out
    files = sorted(out_dir.glob("*.png"))
    assert [f.name for f in files] == [f"tiny-diffusion-dark-{s:010d}.png" for s in (8, 9, 10)]
    code, out, _ = run(["info", str(files[1])], capsys)
    meta = json.loads(out)
    assert code == 0 and meta["seed"] == 9 and meta["style"] == "dark" and meta["steps"] == 3


def test_generate_without_seed_records_a_random_one(tiny_gan: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run(["generate", "--model", str(tiny_gan), "--out", str(tmp_path / "o")], capsys)
    assert code == 0
    (png,) = (tmp_path / "o").glob("*.png")
    code, out, _ = run(["info", str(png)], capsys)
    meta = json.loads(out)
    assert isinstance(meta["seed"], int) and meta["kind"] == "gan" and meta["sampler"] is None


def test_generate_uses_catalog_ids_and_default(bundled_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    save_tiny_diffusion(bundled_dir / "ink-diffusion-64.safetensors")
    save_tiny_gan(bundled_dir / "ink-gan-64.safetensors")
    code, out, _ = run(["models", "--json"], capsys)
    records = json.loads(out)
    assert code == 0 and {r["id"] for r in records} == {"ink-diffusion-64", "ink-gan-64"}
    for r in records:
        assert set(r) >= {"id", "name", "kind", "styles", "resolution", "channels", "path", "sha256", "bundled", "card"}
        assert r["bundled"] is True
    code, _, _ = run(["generate", "--steps", "2", "--seed", "1", "--out", str(tmp_path / "d")], capsys)
    assert code == 0 and (tmp_path / "d" / "ink-diffusion-64-light-0000000001.png").exists()
    code, _, _ = run(["generate", "--model", "ink-gan-64", "--style", "dark", "--seed", "1", "--out", str(tmp_path / "g")], capsys)
    assert code == 0 and (tmp_path / "g" / "ink-gan-64-dark-0000000001.png").exists()
    code, _, err = run(["generate", "--model", "nope", "--out", str(tmp_path / "n")], capsys)
    assert code == 1 and "no model with id 'nope'" in err


# ------------------------------------------------------------------------ bad inputs


def _bad_checkpoints(tmp: Path, good: Path) -> dict[str, tuple[Path, str]]:
    cases: dict[str, tuple[Path, str]] = {}
    blob = good.read_bytes()
    (tmp / "trunc.safetensors").write_bytes(blob[: len(blob) // 2])
    cases["truncated safetensors"] = (tmp / "trunc.safetensors", "")
    (tmp / "zero.pt").write_bytes(b"")
    cases["zero bytes"] = (tmp / "zero.pt", "empty file")
    (tmp / "random.ckpt").write_bytes(os.urandom(4096))
    cases["random bytes"] = (tmp / "random.ckpt", "not a")
    (tmp / "random.safetensors").write_bytes(os.urandom(4096))
    cases["random safetensors"] = (tmp / "random.safetensors", "not a readable safetensors")
    save_file({"w": torch.zeros(2)}, str(tmp / "plain.safetensors"))
    cases["no metadata"] = (tmp / "plain.safetensors", "without Ink Studio metadata")
    save_file({"w": torch.zeros(2)}, str(tmp / "badjson.safetensors"), metadata={"inkstudio": "{not json"})
    cases["bad json metadata"] = (tmp / "badjson.safetensors", "not valid JSON")
    meta = read_ink_metadata(good)
    state = {"conv_in.weight": torch.zeros(1)}
    save_file(state, str(tmp / "missing.safetensors"), metadata={"inkstudio": json.dumps(meta)})
    cases["missing keys"] = (tmp / "missing.safetensors", "do not fit")
    sd = make_tiny_unet(0, 2).state_dict()
    sd["conv_in.weight"] = torch.zeros(3, 3, 3, 3)
    save_file({k: v.contiguous() for k, v in sd.items()}, str(tmp / "shapes.safetensors"), metadata={"inkstudio": json.dumps(meta)})
    cases["wrong shapes"] = (tmp / "shapes.safetensors", "do not fit")
    bad_meta = dict(meta, resolution="big")
    save_file({"w": torch.zeros(1)}, str(tmp / "types.safetensors"), metadata={"inkstudio": json.dumps(bad_meta)})
    cases["config wrong types"] = (tmp / "types.safetensors", "'resolution' must be a positive integer")
    (tmp / "empty_dir").mkdir()
    cases["empty folder"] = (tmp / "empty_dir", "empty folder")
    (tmp / "cfg").mkdir()
    (tmp / "cfg" / "config.json").write_text("{oops", encoding="utf-8")
    cases["bad config json"] = (tmp / "cfg", "bad JSON")
    cases["missing path"] = (tmp / "does-not-exist.pt", "no such file")
    torch.save({"main.0.weight": torch.zeros(8, 4, 4, 4), "main.3.weight": torch.zeros(4, 3, 4, 4), "main.1.weight": torch.zeros(5)},
               tmp / "dcgan_bad.pth")
    cases["dcgan wrong shapes"] = (tmp / "dcgan_bad.pth", "do not fit")
    torch.save([1, 2, 3], tmp / "list.pt")
    cases["not a dict"] = (tmp / "list.pt", "not a checkpoint dictionary")
    return cases


def test_every_bad_checkpoint_gives_one_clear_line(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    for label, (path, expected) in _bad_checkpoints(tmp_path, tiny_diffusion).items():
        code, out, err = run(["generate", "--model", str(path), "--steps", "1", "--out", str(tmp_path / "out")], capsys)
        lines = err.strip().splitlines()
        assert code == 1, label
        assert len(lines) == 1 and lines[0].startswith("inkstudio: error: "), (label, err)
        assert path.name in lines[0] and expected in lines[0], (label, lines[0])
        assert "Traceback" not in err
    assert not list((tmp_path / "out").glob("*.png"))


class _RunsCode:
    def __init__(self, sentinel: str) -> None:
        self.sentinel = sentinel

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.sentinel}",))


def test_malicious_pickle_is_refused_and_never_runs(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    sentinel = tmp_path / "PWNED"
    evil = tmp_path / "evil.pt"
    with open(evil, "wb") as fh:
        pickle.dump({"model": _RunsCode(str(sentinel))}, fh)
    torch_evil = tmp_path / "evil2.pth"
    torch.save({"main.0.weight": _RunsCode(str(sentinel))}, torch_evil)
    for path in (evil, torch_evil):
        code, _, err = run(["generate", "--model", str(path), "--out", str(tmp_path / "o")], capsys)
        assert code == 1 and len(err.strip().splitlines()) == 1
        assert "refused" in err or "not a" in err
    assert not sentinel.exists()


def test_unwritable_or_file_output(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    existing = tmp_path / "afile"
    existing.write_text("x")
    code, _, err = run(["generate", "--model", str(tiny_diffusion), "--out", str(existing)], capsys)
    assert code == 1 and "not a folder" in err
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        code, _, err = run(["generate", "--model", str(tiny_diffusion), "--out", str(ro)], capsys)
        assert code == 1 and "not writable" in err
    code, _, err = run(["generate", "--model", str(tiny_diffusion), "--out", "/proc/inkstudio-out"], capsys)
    assert code == 1 and "cannot create output folder" in err and len(err.strip().splitlines()) == 1


def test_bad_flags_and_info_on_foreign_png(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    with pytest.raises(SystemExit) as exc:
        main(["generate", "--count", "0", "--out", str(tmp_path)])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    Image.new("RGB", (8, 8)).save(tmp_path / "plain.png")
    code, _, err = run(["info", str(tmp_path / "plain.png")], capsys)
    assert code == 1 and "no Ink Studio settings" in err
    (tmp_path / "junk.png").write_bytes(b"not an image")
    code, _, err = run(["info", str(tmp_path / "junk.png")], capsys)
    assert code == 1 and "not a readable image" in err


def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.safetensors").write_bytes(os.urandom(100))
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "generate", "--model", str(tmp_path / "bad.safetensors"), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "bad.safetensors" in proc.stderr and "Traceback" not in proc.stderr


def test_window_without_a_display_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        pytest.skip("X11/Wayland only")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run([], capsys)
    assert code == 1 and err.count("\n") == 1 and "no display" in err and "QT_QPA_PLATFORM=offscreen" in err


def test_info_into_a_closed_pipe_is_quiet(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run(["generate", "--model", str(tiny_diffusion), "--seed", "3", "--steps", "2", "--out", str(tmp_path / "p")], capsys)
    assert code == 0
    png = next((tmp_path / "p").glob("*.png"))
    # a reader that closes at once, like `| head -c 1`
    proc = subprocess.run(
        f"{sys.executable} -m studio info {png} | head -c 1 >/dev/null", shell=True, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and "Broken pipe" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_failed_generate_leaves_no_empty_folder_of_its_own(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bad.safetensors").write_bytes(os.urandom(64))
    out = tmp_path / "new" / "series"
    code, _, err = run(["generate", "--model", str(tmp_path / "bad.safetensors"), "--out", str(out)], capsys)
    assert code == 1 and "bad.safetensors" in err
    assert not (tmp_path / "new").exists()  # both levels it made are gone
    mine = tmp_path / "mine"
    mine.mkdir()
    code, _, _ = run(["generate", "--model", str(tmp_path / "bad.safetensors"), "--out", str(mine)], capsys)
    assert code == 1 and mine.is_dir()  # a folder that was there before stays
