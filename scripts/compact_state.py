"""A compact resume point of a training run: the weights and their EMA (float32), step, history and
RNG states (and a discriminator's weights) — without the optimiser moments, which re-warm.

    python scripts/compact_state.py ~/.cache/inkstudio-runs/base32/state train_state/ink-cascade-base

``--ema-only`` keeps the EMA weights alone (half the size): on ``--resume`` the trained weights
start from the EMA — a small step back along the run, worth it when every committed byte counts.

The result is an ordinary state folder: ``inkstudio train … --state DIR --resume`` continues from it
(the optimiser starts afresh with a 200-step learning-rate warm-up). Full states stay outside the
checkout; this is what gets committed, once per run per session.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.engine.train.state import load_state, save_state  # noqa: E402

DROP = ("optimizer", "optimizer_g", "optimizer_d")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("state")
    ap.add_argument("out")
    ap.add_argument("--drop-discriminator", action="store_true", help="also drop a discriminator (it restarts from scratch)")
    ap.add_argument("--ema-only", action="store_true", help="keep the EMA weights alone; --resume trains on from them")
    args = ap.parse_args()
    groups, info = load_state(args.state)
    drop = DROP + (("discriminator",) if args.drop_discriminator else ()) + (("model", "generator") if args.ema_only else ())
    kept = {k: v for k, v in groups.items() if k not in drop}
    info = {k: v for k, v in info.items() if not k.startswith("optimizer_groups")}
    info["compact"] = {"dropped": sorted(k for k in groups if k in drop), "from_step": info.get("step")}
    out = save_state(args.out, kept, info)
    size = sum(f.stat().st_size for f in Path(out).iterdir())
    print(f"wrote {out}: groups {', '.join(sorted(kept))}; {size / 1e6:.1f} MB (step {info.get('step')})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
