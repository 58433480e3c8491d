"""Loaded models kept in memory, least recently used first out, with explicit unload."""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from typing import Any

import torch

from studio.engine.device import DeviceChoice
from studio.models import pairs
from studio.models.catalog import ModelRecord
from studio.models.loaders import LoadedModel, load_checkpoint


class ModelCache:
    def __init__(self, capacity: int = 2) -> None:
        self.capacity = capacity
        self._models: OrderedDict[tuple, LoadedModel] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, record: ModelRecord, device: DeviceChoice, size: int | None = None) -> Any:
        """The loaded model of ``record``; for a style pair a PairedModel whose members are loaded
        (and cached here, each as its own entry) the first time their style is painted."""
        if record.format == pairs.FORMAT:
            return pairs.PairedModel(record, lambda path, res: self._get(path, "", device, res))
        # GAN-like formats whose size is not stored (lucidrains) take the record's resolution
        return self._get(record.path, record.sha256, device, record.resolution)

    def _get(self, path: str, sha256: str, device: DeviceChoice, resolution: int) -> LoadedModel:
        key = (path, sha256, device.device, str(device.dtype), resolution)
        with self._lock:
            model = self._models.get(key)
            if model is not None:
                self._models.move_to_end(key)
                return model
        model = load_checkpoint(path, device.device, device.dtype, size=resolution)
        with self._lock:
            self._models[key] = model
            while len(self._models) > self.capacity:
                self._models.popitem(last=False)
        return model

    def loaded(self) -> list[LoadedModel]:
        with self._lock:
            return list(self._models.values())

    def unload(self, path: str | None = None) -> None:
        """Drop one model (by path) or all of them, and give the memory back."""
        with self._lock:
            for key in [k for k in self._models if path is None or k[0] == path]:
                del self._models[key]
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
