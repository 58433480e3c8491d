"""Display framing for exported paintings: upscaling, a seal (印章), xuan paper or a hanging scroll.

The textures come from resources/ (made by scripts/make_framing_assets.py). Every function is
deterministic, so a framed painting can be reproduced from its embedded settings.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PIL import Image

from studio.config import paths
from studio.errors import StudioError

UPSCALES = (1, 2, 4)
FRAMES = ("paper", "scroll")
PAPER_TINT = (242, 234, 216)  # warm xuan paper
SILK_TINT = (205, 196, 170)  # pale celadon-gold mounting silk
BORDER_TINT = (236, 228, 208)
ROLLER = (74, 52, 36)
WALL = (224, 224, 220)


@cache
def _resource(name: str) -> Image.Image:
    path = paths.resources_dir() / name
    try:
        with Image.open(path) as im:
            im.load()
            return im.copy()
    except (OSError, ValueError) as exc:
        raise StudioError(f"framing asset {path} is missing or unreadable ({exc}); run scripts/make_framing_assets.py") from None


def upscale(image: Image.Image, factor: int) -> Image.Image:
    """Lanczos upscaling by 1, 2 or 4."""
    if factor not in UPSCALES:
        raise StudioError(f"upscale must be one of {', '.join(map(str, UPSCALES))}, not {factor}")
    if factor == 1:
        return image
    return image.resize((image.width * factor, image.height * factor), Image.LANCZOS)


def _tiled(texture: Image.Image, size: tuple[int, int], tint: tuple[int, int, int]) -> Image.Image:
    """A grey-level texture tiled over ``size`` and multiplied by ``tint``."""
    tile = texture.convert("L")
    canvas = Image.new("L", size)
    for y in range(0, size[1], tile.height):
        for x in range(0, size[0], tile.width):
            canvas.paste(tile, (x, y))
    g = np.asarray(canvas, dtype=np.float32)[..., None] / 255.0
    rgb = np.clip(g * np.asarray(tint, dtype=np.float32) / 0.93, 0, 255).round().astype(np.uint8)
    return Image.fromarray(rgb, "RGB")


def stamp_seal(image: Image.Image) -> Image.Image:
    """Press the studio seal into the lower right corner, as ink on paper (multiplied, not pasted)."""
    base = image.convert("RGB")
    side = max(6, round(min(base.size) * 0.14))
    seal = _resource("seal.png").convert("RGBA").resize((side, side), Image.LANCZOS)
    margin = max(2, round(min(base.size) * 0.04))
    x, y = base.width - side - margin, base.height - side - margin
    region = np.asarray(base.crop((x, y, x + side, y + side)), dtype=np.float32)
    s = np.asarray(seal, dtype=np.float32)
    alpha = s[..., 3:4] / 255.0 * 0.92
    stamped = region * (1 - alpha) + (region * s[..., :3] / 255.0) * alpha
    out = base.copy()
    out.paste(Image.fromarray(stamped.round().astype(np.uint8), "RGB"), (x, y))
    return out


def paper_size(size: tuple[int, int]) -> tuple[int, int]:
    m = paper_margin(size)
    return size[0] + 2 * m, size[1] + 2 * m


def paper_margin(size: tuple[int, int]) -> int:
    return max(4, round(max(size) * 0.12))


def frame_on_paper(image: Image.Image) -> Image.Image:
    """The painting on a sheet of xuan paper with an even margin."""
    m = paper_margin(image.size)
    sheet = _tiled(_resource("paper.png"), paper_size(image.size), PAPER_TINT)
    sheet.paste(image.convert("RGB"), (m, m))
    return sheet


def _scroll_parts(w: int, h: int) -> dict[str, int]:
    return {
        "border": max(2, round(w * 0.05)),  # paper border around the painting
        "side": max(3, round(w * 0.10)),  # silk on the left and right
        "top": max(8, round(h * 0.42)),  # 天: the taller silk above
        "bottom": max(5, round(h * 0.26)),  # 地: the shorter silk below
        "roller": max(4, round(h * 0.05)),  # the wooden roller (轴杆) at the bottom
        "knob": max(3, round(w * 0.06)),  # roller ends (轴头) beyond the silk
    }


def scroll_size(size: tuple[int, int]) -> tuple[int, int]:
    w, h = size
    p = _scroll_parts(w, h)
    return (w + 2 * (p["border"] + p["side"] + p["knob"]), p["top"] + h + 2 * p["border"] + p["bottom"] + p["roller"])


def frame_as_scroll(image: Image.Image) -> Image.Image:
    """A hanging scroll (立轴): silk mount with a taller top, a paper border, a roller with knobs."""
    w, h = image.size
    p = _scroll_parts(w, h)
    total = scroll_size(image.size)
    out = Image.new("RGB", total, WALL)
    mount_x0 = p["knob"]
    mount_w = total[0] - 2 * p["knob"]
    mount_h = total[1] - p["roller"]
    silk = _tiled(_resource("silk.png"), (mount_w, mount_h), SILK_TINT)
    out.paste(silk, (mount_x0, 0))
    # 惊燕: two thin strips hanging from the top, a detail of classic mounts
    strip_w = max(1, round(mount_w * 0.03))
    for fx in (0.3, 0.7):
        sx = mount_x0 + round(mount_w * fx) - strip_w // 2
        out.paste(Image.new("RGB", (strip_w, round(p["top"] * 0.8)), BORDER_TINT), (sx, 0))
    out.paste(Image.new("RGB", (mount_w, max(1, p["roller"] // 2)), ROLLER), (mount_x0, 0))  # top stick (天杆)
    bx, by = mount_x0 + p["side"], p["top"]
    border = _tiled(_resource("paper.png"), (w + 2 * p["border"], h + 2 * p["border"]), BORDER_TINT)
    out.paste(border, (bx, by))
    out.paste(image.convert("RGB"), (bx + p["border"], by + p["border"]))
    ry = total[1] - p["roller"]
    out.paste(Image.new("RGB", (mount_w, p["roller"]), ROLLER), (mount_x0, ry))
    knob = Image.new("RGB", (p["knob"], p["roller"]), tuple(int(c * 0.7) for c in ROLLER))
    out.paste(knob, (0, ry))
    out.paste(knob, (total[0] - p["knob"], ry))
    return out


def finish(image: Image.Image, *, upscale_by: int = 1, frame: str | None = None, seal: bool = False) -> Image.Image:
    """Apply the export options in their fixed order: upscale, seal on the painting, then the frame."""
    if frame is not None and frame not in FRAMES:
        raise StudioError(f"unknown frame '{frame}' (choose from {', '.join(FRAMES)})")
    out = upscale(image, upscale_by)
    if seal:
        out = stamp_seal(out)
    if frame == "paper":
        out = frame_on_paper(out)
    elif frame == "scroll":
        out = frame_as_scroll(out)
    return out


def finished_size(size: tuple[int, int], *, upscale_by: int = 1, frame: str | None = None) -> tuple[int, int]:
    """The pixel size ``finish`` produces for a painting of ``size``."""
    size = (size[0] * upscale_by, size[1] * upscale_by)
    if frame == "paper":
        return paper_size(size)
    if frame == "scroll":
        return scroll_size(size)
    return size
