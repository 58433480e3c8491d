"""Reading any picture a user hands us into a plain 8-bit RGB (or mask) image, saying what was changed.

Grayscale, 16-bit, CMYK, palette and transparent images are converted; EXIF rotation is applied;
images larger than ``MAX_SIDE`` on a side are refused (or shrunk, when asked). Every problem with
the file itself is one StudioError line. Each conversion adds one notice line to ``LoadedImage.notices``.
"""

from __future__ import annotations

import hashlib
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from studio.errors import StudioError

MAX_SIDE = 8000


@dataclass(frozen=True)
class Painting:
    """One finished painting: RGB at its full size, its seed, its index in the series and its PNG metadata.

    Here, beside the other plain image types, so the window's modes can name it without importing torch.
    """

    image: Image.Image
    seed: int
    index: int
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedImage:
    image: Image.Image  # mode "RGB" (or "L" for masks)
    notices: tuple[str, ...]
    sha256: str  # of the file's bytes, so `sha256sum FILE` gives the same digest
    path: Path | None = None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def pixels_sha256(image: Image.Image) -> str:
    """A digest of an in-memory image's pixels (mode, size and bytes), for images that have no file."""
    h = hashlib.sha256(f"{image.mode}:{image.width}x{image.height}:".encode())
    h.update(image.tobytes())
    return h.hexdigest()


def _open(path: Path) -> Image.Image:
    if not path.exists():
        raise StudioError(f"{path}: no such file")
    if path.is_dir():
        raise StudioError(f"{path}: is a folder, not an image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(path)
    except UnidentifiedImageError:
        raise StudioError(f"{path}: not an image Ink Studio can read (PNG, JPEG, TIFF, WebP, BMP...)") from None
    except Image.DecompressionBombError:
        raise StudioError(f"{path}: too many pixels to open safely (over {MAX_SIDE:,} px on a side?)") from None
    except OSError as exc:
        raise StudioError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (ValueError, SyntaxError, EOFError, struct.error) as exc:  # Pillow's parsers on a damaged header
        raise StudioError(f"{path}: the image is damaged ({exc or type(exc).__name__})") from None
    return im


def _to_8bit_gray(im: Image.Image) -> Image.Image:
    """Modes I;16*, I and F (16-bit and float grayscale) scaled to 8 bits."""
    arr = np.asarray(im, dtype=np.float64)
    if im.mode == "F":
        top = 1.0 if arr.size and float(np.nanmax(arr)) <= 1.0 else 255.0
    else:
        top = 65535.0 if im.mode.startswith("I;16") or (arr.size and float(arr.max()) > 255) else 255.0
    out = np.clip(np.nan_to_num(arr) / top * 255.0, 0, 255).round().astype(np.uint8)
    return Image.fromarray(out, mode="L")


def normalise_image(
    im: Image.Image, name: str, *, background: tuple[int, int, int] = (255, 255, 255)
) -> tuple[Image.Image, list[str]]:
    """Any PIL image to 8-bit RGB; returns (image, notices). Transparency is flattened onto ``background``."""
    notices: list[str] = []
    if getattr(im, "n_frames", 1) > 1:
        notices.append(f"{name}: has {im.n_frames} frames; using the first")
    try:
        rotated = ImageOps.exif_transpose(im)
    except (OSError, ValueError, SyntaxError):
        rotated = None
    if rotated is not None and rotated is not im and rotated.size != im.size:
        notices.append(f"{name}: rotated as its EXIF orientation says")
    im = rotated if rotated is not None else im
    mode = im.mode
    if mode == "RGB":
        return im.copy(), notices
    if mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
        notices.append(f"{name}: palette image converted to RGB")
        mode = im.mode
        if mode == "RGB":
            return im, notices
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        im = _to_8bit_gray(im)
        notices.append(
            f"{name}: {'16-bit' if mode.startswith('I;16') or mode == 'I' else 'floating-point'} grayscale converted to 8-bit RGB"
        )
        return im.convert("RGB"), notices
    if mode in ("1", "L"):
        notices.append(f"{name}: {'black-and-white' if mode == '1' else 'grayscale'} image converted to RGB")
        return im.convert("RGB"), notices
    if mode == "CMYK":
        notices.append(f"{name}: CMYK image converted to RGB (colours approximate)")
        return im.convert("RGB"), notices
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        alpha = np.asarray(rgba)[..., 3]
        if alpha.min() < 255:
            notices.append(f"{name}: transparent areas flattened onto {'white' if background == (255, 255, 255) else 'black'}")
        else:
            notices.append(f"{name}: alpha channel dropped (fully opaque)")
        base = Image.new("RGB", rgba.size, background)
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base, notices
    try:
        out = im.convert("RGB")
    except (ValueError, OSError) as exc:
        raise StudioError(f"{name}: image mode {mode} cannot be converted to RGB ({exc})") from None
    notices.append(f"{name}: {mode} image converted to RGB")
    return out, notices


def limit_size(im: Image.Image, name: str, max_side: int, downscale: bool, notices: list[str]) -> Image.Image:
    w, h = im.size
    if max(w, h) <= max_side:
        return im
    if not downscale:
        raise StudioError(
            f"{name}: {w}×{h} px is over the {max_side:,} px limit on a side (shrink it first, or ask to downscale)"
        )
    s = max_side / max(w, h)
    size = (max(1, round(w * s)), max(1, round(h * s)))
    notices.append(f"{name}: {w}×{h} px is over the {max_side:,} px limit; downscaled to {size[0]}×{size[1]}")
    return im.resize(size, Image.LANCZOS)


def load_image_rgb(
    path: str | Path,
    *,
    max_side: int = MAX_SIDE,
    downscale: bool = False,
    background: tuple[int, int, int] = (255, 255, 255),
) -> LoadedImage:
    """Open ``path`` as 8-bit RGB, with one notice per conversion; StudioError when it cannot be used.

    >>> loaded = load_image_rgb("scan.tif")  # 16-bit grayscale TIFF
    >>> loaded.image.mode, loaded.notices
    ('RGB', ('scan.tif: 16-bit grayscale converted to 8-bit RGB',))
    """
    path = Path(path).expanduser()
    name = path.name
    im = _open(path)
    with im:
        w, h = im.size
        if w < 1 or h < 1:
            raise StudioError(f"{name}: empty image ({w}×{h})")
        if max(w, h) > max_side and not downscale:
            # refuse before decoding: a huge image would cost gigabytes just to say no
            limit_size(im, name, max_side, False, [])
        try:
            im.load()
            rgb, notices = normalise_image(im, name, background=background)
        except StudioError:
            raise
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise StudioError(f"{path}: the image is damaged or truncated ({exc})") from None
        except MemoryError:
            raise StudioError(f"{path}: not enough memory to open this image") from None
    rgb = limit_size(rgb, name, max_side, downscale, notices)
    return LoadedImage(rgb, tuple(notices), file_sha256(path), path)


def load_mask(
    path: str | Path,
    size: tuple[int, int] | None = None,
    *,
    max_side: int = MAX_SIDE,
) -> LoadedImage:
    """A mask file as a binary "L" image (255 = repaint, 0 = keep), resized to ``size`` with a notice.

    Colour masks count by brightness; transparent pixels count as keep (black).
    """
    loaded = load_image_rgb(path, max_side=max_side, downscale=True, background=(0, 0, 0))
    # conversions of a mask are not news to the user; only the resize is
    notices = [n for n in loaded.notices if "downscaled" in n]
    mask, more = binarise_mask(loaded.image, size, Path(path).name)
    return LoadedImage(mask, tuple(notices + more), loaded.sha256, loaded.path)


def binarise_mask(mask: Image.Image, size: tuple[int, int] | None, name: str = "mask") -> tuple[Image.Image, list[str]]:
    """Any image to a 0/255 "L" mask of ``size`` (threshold at half brightness)."""
    notices: list[str] = []
    gray = mask.convert("L") if mask.mode != "L" else mask
    if size is not None and gray.size != tuple(size):
        notices.append(f"{name}: mask is {gray.width}×{gray.height} but the image is {size[0]}×{size[1]}; mask resized to fit")
        gray = gray.resize(tuple(size), Image.BILINEAR)
    values = np.asarray(gray)
    top = int(values.max()) if values.size else 0
    if 0 < top < 128 and int(values.min()) == 0 and np.isin(values, (0, top)).all():
        # a two-level mask stored as 0/1 (or 0/top): its bright level is "repaint", not near-black
        notices.append(f"{name}: mask holds only the values 0 and {top}; treating {top} as white (repaint)")
        arr = (values == top).astype(np.uint8) * 255
    else:
        arr = (values >= 128).astype(np.uint8) * 255
    return Image.fromarray(arr, mode="L"), notices
