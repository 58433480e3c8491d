"""Bundle a two-stage model: a trained composition model (base) + an ink upscaler → one catalog entry.

    python scripts/bundle_cascade.py BASE.safetensors UPSCALER.safetensors --out models/ink-cascade.safetensors --size 256

Writes ``--out`` (the base's weights and metadata with ``"cascade": {"upscaler": NAME, "size": SIZE}``)
and copies the upscaler beside it as ``--upscaler-name`` (default ink-upscaler.safetensors), both
through temporary names. The base's provenance is kept; the upscaler's is recorded under
``provenance.upscaler``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.models.inkfile import load_ink_state, read_ink_metadata, save_ink_checkpoint  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base")
    ap.add_argument("upscaler")
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--name", default="Ink cascade (32 px composition + ink upscaler)")
    ap.add_argument("--upscaler-name", default="ink-upscaler.safetensors")
    args = ap.parse_args()
    out = Path(args.out)
    base_meta = read_ink_metadata(args.base)
    up_meta = read_ink_metadata(args.upscaler)
    if base_meta["kind"] == "upscaler" or up_meta["kind"] != "upscaler":
        print("give the composition model first, then the upscaler", file=sys.stderr)
        return 2
    up_path = out.with_name(args.upscaler_name)
    save_ink_checkpoint(up_path, load_ink_state(args.upscaler), up_meta)
    meta = {k: v for k, v in base_meta.items() if k not in ("format", "format_version")}
    meta["name"] = args.name
    meta["cascade"] = {"upscaler": up_path.name, "size": args.size}
    meta["provenance"] = {**meta.get("provenance", {}), "upscaler": up_meta.get("provenance", {})}
    save_ink_checkpoint(out, load_ink_state(args.base), meta)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) + {up_path} ({up_path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
