"""Generate the framing assets in resources/ procedurally (nothing is downloaded).

    python scripts/make_framing_assets.py            # writes resources/paper.png, silk.png, seal.png

- paper.png  xuan paper (宣纸) grain: tileable grey-level texture, tinted at use time
- silk.png   mounting silk (绫) for hanging scrolls: tileable grey-level damask-like weave
- seal.png   a red square seal (印章) in 白文 style (characters cut out of the red), RGBA

Everything is seeded, so running the script again writes the same pixels. The seal uses a CJK
font when one is installed (the glyph outlines are rendered into the image); without one it cuts
a geometric pattern instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
SEAL_TEXT = "墨趣之印"  # read in seal order: right column top-down, then the left column
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)


def periodic_noise(rng: np.random.Generator, size: int, falloff: float) -> np.ndarray:
    """Tileable 1/f^falloff noise via the FFT (periodic by construction), scaled to [0, 1]."""
    fy = np.fft.fftfreq(size)[:, None]
    fx = np.fft.fftfreq(size)[None, :]
    f = np.sqrt(fx**2 + fy**2)
    f[0, 0] = 1.0
    spectrum = (rng.standard_normal((size, size)) + 1j * rng.standard_normal((size, size))) / f**falloff
    spectrum[0, 0] = 0
    field = np.fft.ifft2(spectrum).real
    field -= field.min()
    return field / max(field.max(), 1e-9)


def make_paper(size: int = 256, seed: int = 2026) -> Image.Image:
    rng = np.random.default_rng(seed)
    cloud = periodic_noise(rng, size, 1.6)  # soft uneven sizing of the paper
    grain = periodic_noise(rng, size, 0.6)  # fine grain
    tone = 0.93 + 0.05 * (cloud - 0.5) + 0.03 * (grain - 0.5)
    fibres = Image.new("L", (size * 3, size * 3), 0)  # drawn on a 3x3 tile, folded back: seamless
    draw = ImageDraw.Draw(fibres)
    for _ in range(140):
        x, y = rng.uniform(size, 2 * size, 2)
        angle, length = rng.uniform(0, np.pi), rng.uniform(6, 28)
        points = []
        for s in np.linspace(0, 1, 6):
            angle += rng.normal(0, 0.25)
            points.append((x + s * length * np.cos(angle), y + s * length * np.sin(angle)))
        draw.line(points, fill=int(rng.uniform(40, 110)), width=1)
    f = np.asarray(fibres.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float64) / 255
    folded = sum(f[i * size : (i + 1) * size, j * size : (j + 1) * size] for i in range(3) for j in range(3))
    tone = tone - 0.06 * np.clip(folded, 0, 1)
    return Image.fromarray(np.clip(tone * 255, 0, 255).round().astype(np.uint8), "L")


def make_silk(size: int = 128, seed: int = 7) -> Image.Image:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size] / size * 2 * np.pi
    weave = 0.5 + 0.25 * np.sin(xx * 32) * np.sin(yy * 32)  # fine twill
    motif = np.cos(xx * 4) * np.cos(yy * 4) + 0.5 * np.cos((xx + yy) * 4)  # cloud-like damask pattern
    damask = (motif > 0.6).astype(np.float64)
    tone = 0.86 + 0.03 * (weave - 0.5) + 0.025 * damask + 0.02 * (periodic_noise(rng, size, 1.0) - 0.5)
    return Image.fromarray(np.clip(tone * 255, 0, 255).round().astype(np.uint8), "L")


def _cjk_font(size: int) -> ImageFont.FreeTypeFont | None:
    # the seal wants a bold serif first, hence its own preference order
    from studio.engine.export import first_cjk_font

    return first_cjk_font(CJK_FONTS, size)


def make_seal(size: int = 128, seed: int = 11) -> Image.Image:
    """白文 seal: a red square, characters cut out, edges worn like an old stone seal."""
    scale = 4  # draw large, then downsample for clean edges
    big = size * scale
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    pad = int(big * 0.04)
    draw.rounded_rectangle((pad, pad, big - pad, big - pad), radius=int(big * 0.05), fill=255)
    cell = (big - 2 * pad) // 2
    font = _cjk_font(int(cell * 0.86))
    # seal reading order: right column top to bottom, then left column
    slots = [(1, 0), (1, 1), (0, 0), (0, 1)]
    for ch, (col, row) in zip(SEAL_TEXT, slots):
        cx = pad + col * cell + cell // 2
        cy = pad + row * cell + cell // 2
        if font is not None:
            draw.text((cx, cy), ch, font=font, fill=0, anchor="mm")
        else:  # geometric stand-in: a framed cross per character cell
            w = int(cell * 0.32)
            draw.rectangle((cx - w, cy - w, cx + w, cy + w), outline=0, width=int(cell * 0.08))
            draw.line((cx - w, cy, cx + w, cy), fill=0, width=int(cell * 0.08))
            draw.line((cx, cy - w, cx, cy + w), fill=0, width=int(cell * 0.08))
    rng = np.random.default_rng(seed)
    a = np.asarray(mask, dtype=np.float64) / 255
    wear = periodic_noise(rng, big, 1.2)
    a = a * np.clip((wear - 0.12) * 6, 0, 1)  # patches where the stone printed lightly
    specks = rng.random((big, big)) < 0.004
    a[specks] = 0
    alpha = Image.fromarray((a * 255).round().astype(np.uint8), "L").filter(ImageFilter.GaussianBlur(1.2))
    alpha = alpha.resize((size, size), Image.LANCZOS)
    red = Image.new("RGB", (size, size), (178, 34, 30))  # cinnabar seal paste (朱砂印泥)
    seal = red.convert("RGBA")
    seal.putalpha(alpha)
    return seal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "resources"), help="folder to write into (default resources/)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, image in (("paper.png", make_paper()), ("silk.png", make_silk()), ("seal.png", make_seal())):
        image.save(out / name, optimize=True)
        print(f"wrote {out / name} ({(out / name).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
