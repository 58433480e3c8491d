"""Reading PyTorch ``.pt`` files as plain data: ``torch.load(weights_only=True)``, never the standard unpickler."""

from __future__ import annotations

import argparse
import contextlib
import pickle
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch

from studio.errors import CheckpointError
from studio.models.formats.base import first_line

# plain-data classes a checkpoint may hold besides tensors and containers (rosinality's training args)
SAFE_GLOBALS = [argparse.Namespace]

# while one inspection runs, the formats that look at a .pt file share one read of it
_shared: dict[Path, Any] | None = None


def read_torch_file(path: Path) -> Any:
    """torch.load with weights_only=True (and argparse.Namespace as data); pickled code is refused and never runs."""
    try:
        with warnings.catch_warnings(), torch.serialization.safe_globals(SAFE_GLOBALS):
            warnings.simplefilter("ignore")  # torch warns about pickle protocols; our one line says it all
            return torch.load(str(path), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "GLOBAL" in str(exc):
            raise CheckpointError(
                path, "refused: the file asks to run Python code on loading (Ink Studio loads plain weights only)"
            ) from None
        raise CheckpointError(
            path, "not a plain-weights PyTorch checkpoint (corrupt, or pickled objects Ink Studio will not load)"
        ) from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError, AttributeError, ImportError) as exc:
        raise CheckpointError(path, f"not a readable PyTorch checkpoint, truncated or corrupt ({first_line(exc)})") from None
    except Exception as exc:  # torch raises a zoo of types on garbage input
        raise CheckpointError(path, f"not a readable PyTorch checkpoint ({type(exc).__name__}: {first_line(exc)})") from None


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block ``torch_state`` reads each file once."""
    global _shared
    outer = _shared
    _shared = {} if outer is None else outer
    try:
        yield
    finally:
        _shared = outer


def torch_state(path: Path) -> Any:
    """The content of a .pt file (shared between formats inside ``shared_reads``)."""
    if _shared is None:
        return read_torch_file(path)
    if path not in _shared:
        _shared[path] = read_torch_file(path)
    return _shared[path]


def is_torch_file(path: Path) -> bool:
    from studio.models.formats.base import TORCH_SUFFIXES

    return path.is_file() and path.suffix.lower() in TORCH_SUFFIXES
