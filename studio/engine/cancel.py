"""Cancelling long work: a token set from any thread, checked between steps. No torch, no Qt."""

from __future__ import annotations

import threading

from studio.errors import Cancelled


class CancelToken:
    """Set from any thread (the window, a signal handler); long work calls ``raise_if_set`` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_set(self) -> None:
        if self._event.is_set():
            raise Cancelled()
