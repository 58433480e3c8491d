"""Writing frames as an animation: GIF, MP4 (H.264 yuv420p), animated WebP, or a folder of PNGs.

Everything is written under a temporary hidden name beside the target and renamed into place at
the end, so a cancelled or failed export leaves nothing behind (a killed process can leave only a
hidden ``.NAME.*.part`` file, never a half-written ``NAME``).

GIF and WebP loop forever. Pillow's GIF and WebP writers fold a frame identical to the one before
it into that frame's duration, so such a file of a walk with pixel-identical neighbours has fewer
frames (the timing is unchanged); MP4 and PNG folders keep every frame.

Example::

    check_output("walk.mp4")                      # early: bad suffix, no video backend, ...
    export_animation(frames, "walk.mp4", fps=12, upscale=2, cancel=token)
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from studio.engine.pngmeta import sweep_stale_parts
from studio.engine.sampling import CancelToken
from studio.errors import StudioError

FILE_KINDS = {".gif": "gif", ".mp4": "mp4", ".webp": "webp"}
UPSCALES = (1, 2, 4)
VIDEO_BACKENDS = ("pyav", "imageio-ffmpeg")
VIDEO_HINT = "MP4 export needs PyAV, a dependency of Ink Studio that is missing here: pip install av"
FRAME_NAME = "frame-{:05d}.png"

ExportProgress = Callable[[int, int], None]  # (frames written, total)


def output_kind(out: str | Path) -> str:
    """``gif``, ``mp4``, ``webp`` or ``png`` (a folder of frames) for an output path."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix in FILE_KINDS:
        return FILE_KINDS[suffix]
    if out.is_dir() or suffix == "":
        return "png"
    raise StudioError(f"cannot export to '{out.name}': use a .gif, .mp4 or .webp file, or a folder for PNG frames")


def available_video_backend() -> str | None:
    """The MP4 writer to use: PyAV (a dependency, its wheel carries FFmpeg), else imageio-ffmpeg if installed; None if neither."""
    if importlib.util.find_spec("av") is not None:
        return "pyav"
    if importlib.util.find_spec("imageio_ffmpeg") is not None:
        return "imageio-ffmpeg"
    return None


def check_output(out: str | Path) -> str:
    """Check, before any painting, that ``out`` can be written; returns its kind."""
    out = Path(out).expanduser()
    try:
        return _check_output(out)
    except OSError as exc:  # a name too long to exist, a loop of links...
        raise StudioError(f"cannot write {out}: {exc.strerror or exc}") from None


def _check_output(out: Path) -> str:
    kind = output_kind(out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise StudioError(f"cannot write {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StudioError(f"cannot write {out}: folder {parent} is not writable")
    if kind == "png":
        if out.exists() and not out.is_dir():
            raise StudioError(f"{out} exists and is not a folder")
        if out.is_dir() and any(out.iterdir()):
            raise StudioError(f"folder {out} is not empty: give a new or empty folder for the frames")
    elif out.is_dir():
        raise StudioError(f"{out} is a folder, not a file")
    if kind == "mp4" and available_video_backend() is None:
        raise StudioError(VIDEO_HINT)
    return kind


def upscale_frames(frames: Sequence[Image.Image], factor: int) -> list[Image.Image]:
    """Enlarge every frame ``factor`` times with Lanczos resampling (1 returns the frames as they are)."""
    if factor not in UPSCALES:
        raise StudioError(f"upscale must be one of {', '.join(map(str, UPSCALES))}, not {factor}")
    if factor == 1:
        return list(frames)
    return [f.resize((f.width * factor, f.height * factor), Image.Resampling.LANCZOS) for f in frames]


def part_pattern(out: Path) -> str:
    """The hidden temporary names an export to ``out`` is written under (``?`` for each token character)."""
    token = "?" * 8
    return f".{out.name}.{token}.part" if output_kind(out) == "png" else f".{out.stem}.{token}.part{out.suffix}"


def export_animation(
    frames: Sequence[Image.Image],
    out: str | Path,
    *,
    fps: float = 12.0,
    upscale: int = 1,
    cancel: CancelToken | None = None,
    on_progress: ExportProgress | None = None,
    backend: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Path:
    """Write ``frames`` to ``out`` (kind from its suffix; a folder for PNG frames) and return the path.

    GIF and WebP loop forever. ``backend`` picks the MP4 writer (``pyav``, a dependency, or
    ``imageio-ffmpeg`` where it is installed; default: PyAV). ``meta`` is stored as ``walk.json`` in a PNG folder.
    Raises Cancelled when ``cancel`` is set; the target is then left untouched.
    """
    if not frames:
        raise StudioError("no frames to export")
    if not fps > 0:
        raise StudioError(f"fps must be positive, not {fps}")
    out = Path(out).expanduser()
    kind = check_output(out)
    sized = upscale_frames(frames, upscale)
    if len({f.size for f in sized}) != 1:
        raise StudioError("all frames must have the same size")
    token = uuid.uuid4().hex[:8]
    sweep_stale_parts(out.parent, [part_pattern(out)])  # what a killed export of the same name left behind
    tmp = out.with_name(part_pattern(out).replace("?" * 8, token))
    total = len(sized)

    def tick(done: int) -> None:
        if cancel is not None:
            cancel.raise_if_set()
        if on_progress is not None:
            on_progress(done, total)

    try:
        if kind == "png":
            _write_png_folder(sized, tmp, tick, meta)
            if out.is_dir():
                out.rmdir()  # empty (checked above); a folder cannot be renamed onto a non-empty one
        elif kind == "gif":
            _write_pillow(sized, tmp, "GIF", fps, tick, disposal=1, optimize=False)
        elif kind == "webp":
            _write_pillow(sized, tmp, "WEBP", fps, tick, quality=90, method=4)
        else:
            chosen = backend or available_video_backend()
            if chosen not in VIDEO_BACKENDS:
                raise StudioError(
                    VIDEO_HINT if chosen is None else f"unknown video backend '{chosen}' ({', '.join(VIDEO_BACKENDS)})"
                )
            (_write_mp4_imageio if chosen == "imageio-ffmpeg" else _write_mp4_pyav)(sized, tmp, fps, tick)
        if cancel is not None:
            cancel.raise_if_set()
        os.replace(tmp, out)
    except OSError as exc:
        raise StudioError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
    return out


def _write_png_folder(frames: Sequence[Image.Image], tmp: Path, tick: Callable[[int], None], meta: dict[str, Any] | None) -> None:
    tmp.mkdir()
    for i, frame in enumerate(frames):
        frame.save(tmp / FRAME_NAME.format(i), format="PNG")
        tick(i + 1)
    if meta is not None:
        (tmp / "walk.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")


def _write_pillow(
    frames: Sequence[Image.Image], tmp: Path, fmt: str, fps: float, tick: Callable[[int], None], **opts: Any
) -> None:
    # Pillow writes all frames in one call; the frames are prepared one by one so cancel is honoured
    prepared = []
    for i, frame in enumerate(frames):
        prepared.append(frame.convert("RGB") if frame.mode not in ("RGB", "L") else frame)
        tick(i)
    duration = max(1, round(1000 / fps))
    prepared[0].save(tmp, format=fmt, save_all=True, append_images=prepared[1:], duration=duration, loop=0, **opts)
    tick(len(frames))


def _rgb_even(frame: Image.Image) -> np.ndarray:
    """An RGB array with even sides (yuv420p halves the chroma planes), padded by edge pixels."""
    arr = np.asarray(frame.convert("RGB"))
    h, w = arr.shape[:2]
    if h % 2 or w % 2:
        arr = np.pad(arr, ((0, h % 2), (0, w % 2), (0, 0)), mode="edge")
    return np.ascontiguousarray(arr)


def _write_mp4_imageio(frames: Sequence[Image.Image], tmp: Path, fps: float, tick: Callable[[int], None]) -> None:
    import imageio_ffmpeg

    first = _rgb_even(frames[0])
    writer = imageio_ffmpeg.write_frames(
        str(tmp),
        (first.shape[1], first.shape[0]),
        fps=Fraction(fps).limit_denominator(1001),
        codec="libx264",
        pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p",
        quality=None,
        macro_block_size=2,
        ffmpeg_log_level="error",
        output_params=["-crf", "18", "-preset", "medium", "-movflags", "+faststart"],
    )
    writer.send(None)  # start ffmpeg
    try:
        for i, frame in enumerate(frames):
            writer.send(_rgb_even(frame))
            tick(i + 1)
    finally:
        writer.close()


def _write_mp4_pyav(frames: Sequence[Image.Image], tmp: Path, fps: float, tick: Callable[[int], None]) -> None:
    import av

    first = _rgb_even(frames[0])
    container = av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"})
    try:
        stream = container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
        stream.width, stream.height = first.shape[1], first.shape[0]
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "18", "preset": "medium"}
        for i, frame in enumerate(frames):
            video_frame = av.VideoFrame.from_ndarray(_rgb_even(frame), format="rgb24")
            for packet in stream.encode(video_frame):
                container.mux(packet)
            tick(i + 1)
        for packet in stream.encode():
            container.mux(packet)
    finally:
        container.close()


def read_frame_count(path: str | Path) -> tuple[int, tuple[int, int]]:
    """(frames, (width, height)) of an exported animation or PNG folder; for checks and the GUI."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("frame-*.png"))
        if not files:
            return 0, (0, 0)
        with Image.open(files[0]) as im:
            return len(files), im.size
    if path.suffix.lower() == ".mp4":
        import av

        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            n = sum(1 for _ in container.decode(stream))
            return n, (stream.codec_context.width, stream.codec_context.height)
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1), im.size
