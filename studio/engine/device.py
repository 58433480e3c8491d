"""Device and precision choice: CUDA (fp16) if present, then Apple MPS, else CPU."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from studio.api import DEVICE_CHOICES
from studio.errors import StudioError

__all__ = ["DEVICE_CHOICES", "DeviceChoice", "choose_device"]


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # "cpu" | "cuda" | "mps"
    dtype: torch.dtype
    label: str  # what the status bar shows


def choose_device(preference: str = "auto", *, cuda: bool | None = None, mps: bool | None = None, cuda_name: str | None = None) -> DeviceChoice:
    """Pick where to paint. ``cuda``/``mps`` default to what this machine has (tests pass them)."""
    if preference not in DEVICE_CHOICES:
        raise StudioError(f"unknown device '{preference}' (choose from {', '.join(DEVICE_CHOICES)})")
    if cuda is None:
        cuda = torch.cuda.is_available()
    if mps is None:
        mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if preference == "cuda" and not cuda:
        raise StudioError("--device cuda was asked for, but no CUDA GPU is available (torch sees none)")
    if preference == "mps" and not mps:
        raise StudioError("--device mps was asked for, but Apple MPS is not available")
    if preference == "cuda" or (preference == "auto" and cuda):
        if cuda_name is None:
            cuda_name = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "CUDA GPU"
        return DeviceChoice("cuda", torch.float16, f"GPU: {cuda_name} (fp16)")
    if preference == "mps" or (preference == "auto" and mps):
        return DeviceChoice("mps", torch.float32, "Apple GPU (MPS)")
    return DeviceChoice("cpu", torch.float32, "CPU")
