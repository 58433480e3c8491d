"""Errors that carry a message meant for the user (one line, no traceback)."""

from __future__ import annotations


class StudioError(Exception):
    """A problem the user can understand and act on; its text is shown as is."""


class CheckpointError(StudioError):
    """A file or folder is not a checkpoint we can load."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class Cancelled(Exception):
    """Raised inside long work when the user cancelled it."""
