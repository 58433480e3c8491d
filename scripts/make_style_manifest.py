"""Write docs/styles/manifest.csv and one contact sheet per style (light.jpg, dark.jpg, plus
faded.jpg and blank.jpg for the images training leaves out).

    python scripts/make_style_manifest.py [--data ../shared/datasets/shanshui/images] [--out docs/styles]

Deterministic: the same images give byte-identical CSV. The rule is documented in
studio/engine/inkstyle.py.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.engine.inkstyle import build_manifest, manifest_csv  # noqa: E402

THUMB = 48
COLUMNS = 24


def contact_sheet(folder: Path, files: list[str], out: Path) -> None:
    rows = max(1, math.ceil(len(files) / COLUMNS))
    sheet = Image.new("RGB", (COLUMNS * THUMB, rows * THUMB), (255, 255, 255))
    for i, name in enumerate(files):
        with Image.open(folder / name) as im:
            im.draft("RGB", (THUMB * 2, THUMB * 2))
            thumb = im.convert("RGB").resize((THUMB, THUMB), Image.Resampling.LANCZOS)
        sheet.paste(thumb, ((i % COLUMNS) * THUMB, (i // COLUMNS) * THUMB))
    tmp = out.with_name(out.name + ".part")
    sheet.save(tmp, format="JPEG", quality=80, optimize=True)
    os.replace(tmp, out)


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(root.parent / "shared/datasets/shanshui/images"))
    ap.add_argument("--out", default=str(root / "docs/styles"))
    args = ap.parse_args()
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = build_manifest(data)
    (out / "manifest.csv").write_text(manifest_csv(rows), encoding="utf-8")
    groups = {
        "light": [r for r in rows if r.measure.usable and r.measure.label == "light"],
        "dark": [r for r in rows if r.measure.usable and r.measure.label == "dark"],
        "faded": [r for r in rows if not r.measure.blank and r.measure.label == "faded"],
        "blank": [r for r in rows if r.measure.blank],
    }
    for name, group in groups.items():
        group.sort(key=lambda r: r.measure.heavy_ink)  # palest first
        contact_sheet(data, [r.file for r in group], out / f"{name}.jpg")
        train = sum(r.split == "train" for r in group)
        mean80 = sum(r.measure.dark80 for r in group) / max(1, len(group))
        print(f"{name:<6} {len(group):4d} images ({train} train, {len(group) - train} validation), mean dark80 {mean80:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
