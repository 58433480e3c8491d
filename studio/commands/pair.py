"""``inkstudio pair``: bind one checkpoint per style as one catalog entry (a style pair).

inkstudio pair light.pt dark.pt --name thesis          # 淡墨 light, 浓墨 dark
inkstudio pair ink.safetensors --style-of dark --name my-dark
"""

from __future__ import annotations

import argparse

import studio.cli as cli
from studio.api import STYLES


def _add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pair", help="bind one checkpoint per style (light, dark) as one model",
                       description="Writes NAME.pair.json into your models folder; `inkstudio models` then lists NAME "
                       "offering the styles, and every command paints each style with its own checkpoint.")
    p.add_argument("checkpoints", nargs="+", metavar="CKPT", help="LIGHT DARK, or one checkpoint with --style-of")
    p.add_argument("--name", required=True, help="the model's id in the catalog (file NAME.pair.json)")
    p.add_argument("--style-of", choices=STYLES, help="give a single unconditional checkpoint this style")


cli._EXTRA_PARSERS.append(_add_parser)


@cli.command("pair")
def cmd_pair(args: argparse.Namespace) -> int:
    from studio.work import pair

    req = pair.request_for(args.name, args.checkpoints, args.style_of)
    path = pair.run(req)
    print(f"wrote {path}: model '{req.name}' offering {', '.join(s for s, _ in req.members)}")
    return 0
