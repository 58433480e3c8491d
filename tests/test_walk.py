"""Latent walks: slerp statistics, frame counts, frame 0 = generate, loops, style walks, export, cancel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import save_tiny_diffusion
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from studio.cli import main as cli_main
from studio.engine import animation
from studio.engine.animation import check_output, export_animation, read_frame_count
from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import CancelToken, sample_diffusion, sample_gan, to_pil
from studio.engine.walk import (
    DETERMINISTIC_SAMPLERS,
    WalkRequest,
    check_sampler,
    frame_count,
    keyframe_noise,
    plan_walk,
    render_walk,
    slerp,
    walk_plan,
)
from studio.errors import Cancelled, StudioError
from studio.models.loaders import load_checkpoint

STEPS = 5


def pixels(im: Image.Image) -> np.ndarray:
    return np.asarray(im).astype(np.int16)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------- slerp and the plan


def test_slerp_keeps_noise_statistics() -> None:
    shape = (3, 64, 64)
    a, b = noise_for_seeds(shape, [1]), noise_for_seeds(shape, [2])
    for t in np.linspace(0, 1, 11):
        x = slerp(a, b, float(t))
        assert abs(float(x.std()) - 1.0) < 0.03, t
        assert abs(float(x.mean())) < 0.03, t
        lo, hi = sorted((float(a.norm()), float(b.norm())))
        assert lo * 0.99 <= float(x.norm()) <= hi * 1.01, t
    # the straight line would shrink the noise to ~1/sqrt(2) at the midpoint: what slerp avoids
    assert float(((a + b) / 2).std()) < 0.75
    assert torch.equal(slerp(a, b, 0.0), a) and torch.equal(slerp(a, b, 1.0), b)


def test_slerp_per_sample_t_and_parallel_endpoints() -> None:
    a, b = noise_for_seeds((4, 8, 8), [3, 4]), noise_for_seeds((4, 8, 8), [5, 6])
    x = slerp(a, b, torch.tensor([0.0, 1.0]))
    assert torch.equal(x[0], a[0]) and torch.equal(x[1], b[1])
    same = slerp(a, a.clone(), 0.3)  # no great circle: falls back to the line, which stays put
    assert torch.allclose(same, a, atol=1e-6)


def test_frame_counts_per_segment() -> None:
    assert frame_count(3, 12, loop=True) == 36
    assert frame_count(3, 12, loop=False) == 25
    assert len(plan_walk(3, 12, loop=True)) == 36
    plan = plan_walk(3, 12, loop=False)
    assert len(plan) == 25 and (plan[-1].key_b, plan[-1].t) == (2, 1.0)
    one_seed_style = walk_plan(WalkRequest(keyframes=(7,), frames=10, style_walk=("light", "dark")))
    assert len(one_seed_style) == 11 and one_seed_style[0].style_weight == 0 and one_seed_style[-1].style_weight == 1
    assert len(walk_plan(WalkRequest(keyframes=(7,), frames=10, loop=True, style_walk=("light", "dark")))) == 20
    with pytest.raises(StudioError, match="at least two"):
        plan_walk(1, 5)


def test_easing_is_slow_at_keyframes() -> None:
    ts = [p.t for p in plan_walk(2, 10, easing="ease")]
    steps = np.diff(ts)
    assert all(steps > 0) and steps[0] < steps[4] and steps[-1] < steps[4]
    lin = np.diff([p.t for p in plan_walk(2, 10)])
    assert np.allclose(lin, 0.1)


# ---------------------------------------------------------------------------- frames


@pytest.mark.parametrize("sampler", DETERMINISTIC_SAMPLERS)
def test_frame0_equals_the_painting_of_its_seed(tiny_diffusion: Path, sampler: str) -> None:
    model = load_checkpoint(tiny_diffusion)
    result = render_walk(model, WalkRequest(keyframes=(41, 42), frames=3, sampler=sampler, steps=STEPS, batch_size=4))
    alone = to_pil(sample_diffusion(model, [41], sampler=sampler, steps=STEPS))[0]
    last = to_pil(sample_diffusion(model, [42], sampler=sampler, steps=STEPS))[0]
    assert np.array_equal(pixels(result.frames[0]), pixels(alone))
    assert np.array_equal(pixels(result.frames[-1]), pixels(last))  # no loop: the final keyframe is the last frame


def test_frame0_equals_inkstudio_generate(tiny_diffusion: Path, tmp_path: Path) -> None:
    gen_dir, walk_dir = tmp_path / "gen", tmp_path / "walk"
    common = ["--model", str(tiny_diffusion), "--steps", str(STEPS), "--sampler", "ddim"]
    assert cli_main(["generate", *common, "--seed", "123", "--out", str(gen_dir)]) == 0
    assert cli_main(["walk", *common, "--seeds", "123,124", "--frames", "4", "--out", str(walk_dir)]) == 0
    (painted,) = sorted(gen_dir.glob("*.png"))
    with Image.open(painted) as a, Image.open(walk_dir / "frame-00000.png") as b:
        assert a.size == b.size and np.array_equal(pixels(a.convert("RGB")), pixels(b.convert("RGB")))
    assert len(list(walk_dir.glob("frame-*.png"))) == 5


def test_gan_walk_interpolates_z(tiny_gan: Path) -> None:
    model = load_checkpoint(tiny_gan)
    result = render_walk(model, WalkRequest(keyframes=(3, 4, 5), frames=4, style="dark", batch_size=5))
    assert len(result.frames) == 9
    assert np.array_equal(pixels(result.frames[0]), pixels(to_pil(sample_gan(model, [3], style="dark"))[0]))
    assert np.array_equal(pixels(result.frames[4]), pixels(to_pil(sample_gan(model, [4], style="dark"))[0]))


def test_batched_frames_equal_one_at_a_time(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    req = WalkRequest(keyframes=(1, 2), frames=3, steps=STEPS, batch_size=4)
    batched = render_walk(model, req)
    single = render_walk(model, WalkRequest(keyframes=(1, 2), frames=3, steps=STEPS, batch_size=1))
    for a, b in zip(batched.frames, single.frames, strict=True):
        assert a.tobytes() == b.tobytes()


def test_stored_noise_keyframes(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    stored = noise_for_seeds(model.noise_shape, [9])[0]
    from_noise = render_walk(model, WalkRequest(keyframes=(stored, 10), frames=2, steps=STEPS))
    from_seed = render_walk(model, WalkRequest(keyframes=(9, 10), frames=2, steps=STEPS))
    for a, b in zip(from_noise.frames, from_seed.frames, strict=True):
        assert np.array_equal(pixels(a), pixels(b))
    with pytest.raises(StudioError, match="stored noise"):
        keyframe_noise(model, [torch.zeros(5)])


def test_loop_returns_to_its_start(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    req = WalkRequest(keyframes=(11, 12, 13), frames=6, loop=True, steps=STEPS)
    plan = walk_plan(req)
    assert (plan[-1].key_a, plan[-1].key_b) == (2, 0)  # the closing segment leads back to the first keyframe
    result = render_walk(model, req)
    assert len(result.frames) == 18
    first = pixels(result.frames[0]) / 255
    closing = np.abs(pixels(result.frames[-1]) / 255 - first).mean()
    across = np.abs(pixels(result.frames[9]) / 255 - first).mean()
    # the last frame is one step from the start, as any two neighbours are; the walk's far side is not
    assert closing <= 3 * result.smoothness.mean and closing < across / 2
    assert len(result.smoothness.changes) == 18  # includes last -> first


def test_walk_is_smooth(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    result = render_walk(model, WalkRequest(keyframes=(21, 22, 23), frames=8, easing="ease", steps=STEPS))
    assert result.smoothness.mean > 0 and result.smoothness.ratio <= 3.0, result.smoothness.summary()


def test_stochastic_samplers_are_refused(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    for sampler in ("ddpm", "euler-a"):
        with pytest.raises(StudioError, match="flicker"):
            check_sampler(model, sampler)


# ---------------------------------------------------------------------------- style walks


def test_style_walk_endpoints_equal_light_and_dark(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    result = render_walk(model, WalkRequest(keyframes=(77,), frames=4, style_walk=("light", "dark"), steps=STEPS, batch_size=5))
    light = to_pil(sample_diffusion(model, [77], style="light", steps=STEPS))[0]
    dark = to_pil(sample_diffusion(model, [77], style="dark", steps=STEPS))[0]
    assert len(result.frames) == 5
    assert np.array_equal(pixels(result.frames[0]), pixels(light))
    assert np.array_equal(pixels(result.frames[-1]), pixels(dark))
    middle = pixels(result.frames[2])
    assert not np.array_equal(middle, pixels(light)) and not np.array_equal(middle, pixels(dark))
    assert not model.module.class_embedding._forward_hooks  # the temporary override is gone


def test_gan_style_walk_endpoints(tiny_gan: Path) -> None:
    model = load_checkpoint(tiny_gan)
    result = render_walk(model, WalkRequest(keyframes=(5,), frames=3, style_walk=("light", "dark")))
    assert np.array_equal(pixels(result.frames[0]), pixels(to_pil(sample_gan(model, [5], style="light"))[0]))
    assert np.array_equal(pixels(result.frames[-1]), pixels(to_pil(sample_gan(model, [5], style="dark"))[0]))


def test_pair_of_per_style_models_blends_predictions(tmp_path: Path) -> None:
    light = load_checkpoint(save_tiny_diffusion(tmp_path / "light.safetensors", seed=1, styles=False))
    dark = load_checkpoint(save_tiny_diffusion(tmp_path / "dark.safetensors", seed=2, styles=False))
    result = render_walk(light, WalkRequest(keyframes=(8,), frames=2, steps=STEPS), pair=dark)
    assert len(result.frames) == 3
    assert np.array_equal(pixels(result.frames[0]), pixels(to_pil(sample_diffusion(light, [8], steps=STEPS))[0]))
    assert np.array_equal(pixels(result.frames[-1]), pixels(to_pil(sample_diffusion(dark, [8], steps=STEPS))[0]))


def test_blended_frames_do_not_depend_on_their_batch(tiny_diffusion: Path, tmp_path: Path) -> None:
    """Each frame of a style walk gets its own blend of the model, so batches of 4 give the frames painted one at a time."""
    model = load_checkpoint(tiny_diffusion)
    req = WalkRequest(keyframes=(3, 4), frames=3, style_walk=("light", "dark"), steps=STEPS)
    batched, single = render_walk(model, replace(req, batch_size=4)), render_walk(model, replace(req, batch_size=1))
    assert [a.tobytes() for a in batched.frames] == [b.tobytes() for b in single.frames]
    light = load_checkpoint(save_tiny_diffusion(tmp_path / "light.safetensors", seed=1, styles=False))
    dark = load_checkpoint(save_tiny_diffusion(tmp_path / "dark.safetensors", seed=2, styles=False))
    req = WalkRequest(keyframes=(8,), frames=3, steps=STEPS)
    batched, single = render_walk(light, replace(req, batch_size=4), pair=dark), render_walk(light, replace(req, batch_size=1), pair=dark)
    assert [a.tobytes() for a in batched.frames] == [b.tobytes() for b in single.frames]


def test_style_walk_needs_two_known_styles(tiny_diffusion: Path, tmp_path: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    with pytest.raises(StudioError, match="no style 'grey'"):
        render_walk(model, WalkRequest(keyframes=(1,), frames=2, style_walk=("light", "grey"), steps=STEPS))
    plain = load_checkpoint(save_tiny_diffusion(tmp_path / "plain.safetensors", styles=False))
    with pytest.raises(StudioError):
        render_walk(plain, WalkRequest(keyframes=(1,), frames=2, style_walk=("light", "dark"), steps=STEPS))


# ---------------------------------------------------------------------------- export


def walk_frames(n: int = 7, size: int = 16) -> list[Image.Image]:
    rng = np.random.default_rng(0)
    base = rng.random((size, size, 3))
    # distinct, gently changing frames (GIF writers merge identical neighbours)
    return [Image.fromarray(((base * 0.6 + 0.4 * k / n) * 255).astype(np.uint8)) for k in range(n)]


@pytest.mark.parametrize("name", ["walk.gif", "walk.webp", "walk.mp4", "frames"])
def test_export_reads_back_with_frame_count_and_size(tmp_path: Path, name: str) -> None:
    out = export_animation(walk_frames(7), tmp_path / name, fps=10, upscale=2)
    assert read_frame_count(out) == (7, (32, 32))
    assert leftovers(tmp_path) == [name]


@pytest.mark.parametrize("backend", animation.VIDEO_BACKENDS)
def test_mp4_is_h264_yuv420p(tmp_path: Path, backend: str) -> None:
    import av

    if backend == "imageio-ffmpeg":
        pytest.importorskip("imageio_ffmpeg", reason="an optional second MP4 writer")

    out = export_animation(walk_frames(6), tmp_path / "walk.mp4", fps=12, upscale=4, backend=backend)
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.codec_context.width, stream.codec_context.height) == (64, 64)
        assert sum(1 for _ in container.decode(stream)) == 6


def test_upscale_uses_lanczos_and_checks_factor(tmp_path: Path) -> None:
    frames = walk_frames(2)
    out = export_animation(frames, tmp_path / "f", upscale=4)
    with Image.open(out / "frame-00000.png") as im:
        expected = frames[0].resize((64, 64), Image.Resampling.LANCZOS)
        assert np.array_equal(pixels(im), pixels(expected))
    with pytest.raises(StudioError, match="upscale"):
        export_animation(frames, tmp_path / "x.gif", upscale=3)


@pytest.mark.parametrize("name", ["walk.gif", "walk.webp", "walk.mp4", "frames"])
def test_cancelled_export_leaves_no_file(tmp_path: Path, name: str) -> None:
    token = CancelToken()

    def on_progress(done: int, total: int) -> None:
        if done >= 3:
            token.cancel()

    with pytest.raises(Cancelled):
        export_animation(walk_frames(8), tmp_path / name, fps=8, cancel=token, on_progress=on_progress)
    assert leftovers(tmp_path) == []


def test_failed_export_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "walk.gif"
    export_animation(walk_frames(3), target)
    before = target.read_bytes()
    bad = walk_frames(3) + [Image.new("RGB", (8, 8))]
    with pytest.raises(StudioError, match="same size"):
        export_animation(bad, target)
    with pytest.raises(StudioError):
        export_animation(walk_frames(3), tmp_path / "other.mp4", backend="no-such-backend")
    assert leftovers(tmp_path) == ["walk.gif"] and target.read_bytes() == before


def test_cancelled_render_stops(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    token = CancelToken()
    seen = []

    def on_progress(p) -> None:  # type: ignore[no-untyped-def]
        seen.append(p.fraction)
        if p.done >= 2:
            token.cancel()

    with pytest.raises(Cancelled):
        render_walk(
            model, WalkRequest(keyframes=(1, 2), frames=6, steps=STEPS, batch_size=2), cancel=token, on_progress=on_progress
        )
    assert seen and max(seen) < 1.0


def test_output_checks_are_one_line_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StudioError, match=r"\.gif, \.mp4 or \.webp"):
        check_output(tmp_path / "walk.avi")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    with pytest.raises(StudioError, match="not empty"):
        check_output(tmp_path / "full")
    monkeypatch.setattr(animation, "available_video_backend", lambda: None)
    with pytest.raises(StudioError, match=r"needs PyAV.*pip install av"):
        check_output(tmp_path / "walk.mp4")


def test_mp4_works_out_of_the_box() -> None:
    """PyAV (its wheel carries FFmpeg) is a default dependency, so the run command's install exports MP4."""
    tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads pyproject.toml itself")
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.replace(" ", "").startswith("av>=") for d in project["dependencies"])
    assert "video" in project["optional-dependencies"]  # the README's older commands still install
    assert animation.available_video_backend() == "pyav"  # the dependency, whatever else is installed


def test_cli_walk_writes_mp4_and_reports_smoothness(
    tiny_diffusion: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "walk.mp4"
    args = ["walk", "--model", str(tiny_diffusion), "--seeds", "1,2,3", "--frames", "3", "--loop", "--steps", "3"]
    assert cli_main([*args, "--easing", "ease", "--upscale", "2", "--out", str(out)]) == 0
    assert read_frame_count(out) == (9, (32, 32))
    printed = capsys.readouterr().out
    assert "9 frames" in printed and "smoothness: max/mean frame change" in printed
    assert cli_main(["walk", "--model", str(tiny_diffusion), "--seeds", "1", "--out", str(tmp_path / "w.gif")]) == 1
    assert "at least two seeds" in capsys.readouterr().err
    assert leftovers(tmp_path) == ["tiny-diffusion.safetensors", "walk.mp4"]


def test_cli_style_walk_with_a_pair_of_models(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    light = save_tiny_diffusion(tmp_path / "light.safetensors", seed=1, styles=False)
    dark = save_tiny_diffusion(tmp_path / "dark.safetensors", seed=2, styles=False)
    out = tmp_path / "pair.webp"
    code = cli_main(
        ["walk", "--style-walk", f"{light},{dark}", "--seeds", "4", "--frames", "2", "--steps", "3", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert read_frame_count(out) == (3, (16, 16))


def test_terminated_walk_leaves_no_file(tiny_diffusion: Path, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    log = tmp_path / "stderr.txt"
    code = "import sys; from studio.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["walk", "--model", str(tiny_diffusion), "--seeds", "1,2", "--frames", "400", "--steps", "50"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    with open(log, "w") as err:
        proc = subprocess.Popen([sys.executable, "-c", code, *args, "--out", str(out_dir / "walk.mp4")], stderr=err, env=env)
        try:
            deadline = time.monotonic() + 60
            while "step" not in log.read_text() and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.2)  # wait for the progress bar: painting has begun
            assert proc.poll() is None, log.read_text()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 130
        finally:
            if proc.poll() is None:
                proc.kill()
    assert leftovers(out_dir) == []
    assert "interrupted" in log.read_text()


@settings(max_examples=40, deadline=None)
@given(seed_a=st.integers(0, 2**31), seed_b=st.integers(0, 2**31), t=st.floats(0, 1))
def test_slerp_stays_on_the_sphere_between_its_endpoints(seed_a: int, seed_b: int, t: float) -> None:
    a, b = noise_for_seeds((2, 16, 16), [seed_a]), noise_for_seeds((2, 16, 16), [seed_b])
    x = slerp(a, b, t)
    lo, hi = sorted((float(a.norm()), float(b.norm())))
    assert lo * 0.999 - 1e-4 <= float(x.norm()) <= hi * 1.001 + 1e-4
    # on the unit sphere x lies on the great arc from a to b, a fraction t of the way
    a, b = a / a.norm(), b / b.norm()
    x = slerp(a, b, t)
    cos = lambda u, v: float((u * v).sum() / (u.norm() * v.norm()))  # noqa: E731
    theta = np.arccos(np.clip(cos(a, b), -1, 1))
    if theta > 1e-3:
        assert abs(np.arccos(np.clip(cos(a, x), -1, 1)) - t * theta) < 1e-3


def test_keyframes_from_paintings_and_stored_noise(tiny_diffusion: Path, tmp_path: Path) -> None:
    from safetensors.torch import save_file

    from studio.engine.walk import load_keyframe

    assert (
        cli_main(["generate", "--model", str(tiny_diffusion), "--seed", "31", "--steps", "2", "--out", str(tmp_path / "g")]) == 0
    )
    (painted,) = (tmp_path / "g").glob("*.png")
    assert load_keyframe(painted) == 31 and load_keyframe(5) == 5
    noise = noise_for_seeds((3, 16, 16), [32])[0]
    np.save(tmp_path / "n.npy", noise.numpy())
    save_file({"noise": noise}, str(tmp_path / "n.safetensors"))
    assert torch.equal(load_keyframe(tmp_path / "n.npy"), noise)
    assert torch.equal(load_keyframe(str(tmp_path / "n.safetensors")), noise)
    (tmp_path / "bad.safetensors").write_bytes(b"not really")
    for bad in (tmp_path / "missing.npy", tmp_path / "bad.safetensors", tiny_diffusion.with_suffix(".txt")):
        if bad.suffix == ".txt":
            bad.write_text("x")
        with pytest.raises(StudioError):
            load_keyframe(bad)


def test_smoothness_names_the_jump() -> None:
    from studio.engine.walk import frame_changes

    grey = [Image.new("L", (4, 4), v) for v in (0, 10, 20, 30, 130, 140)]
    s = frame_changes(grey)
    assert s.worst == 3 and s.ratio == pytest.approx((100 / 255) / (140 / 255 / 5))
    assert "jump after frame 3" in s.summary()
    assert "smooth" in frame_changes(grey[:4]).summary()
    looped = frame_changes(grey[:4], loop=True)  # 30 -> 0 closes the loop: the biggest change
    assert len(looped.changes) == 4 and looped.worst == 3
