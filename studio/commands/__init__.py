# ruff: noqa: I001  (the import order is the order the commands appear in --help)
"""Further CLI commands. Each module registers a parser hook in ``studio.cli._EXTRA_PARSERS``
and a handler with ``@studio.cli.command(name)``; import it here."""
from studio.commands import classroom  # noqa: F401  trajectory, compare
from studio.commands import walk  # noqa: F401  latent-walk animation
from studio.commands import inpaint  # noqa: F401  inpainting (blend, repaint, invert)
from studio.commands import pair  # noqa: F401  style pairs
from studio.commands import train  # noqa: F401
from studio.commands import upscale  # noqa: F401  ink upscaler / Lanczos
from studio.commands import eval  # noqa: F401  SWD evaluation
