"""Loaded models kept in memory, least recently used first out, with explicit unload."""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict

import torch

from studio.engine.device import DeviceChoice
from studio.models.catalog import ModelRecord
from studio.models.loaders import LoadedModel, load_checkpoint


class ModelCache:
    def __init__(self, capacity: int = 2) -> None:
        self.capacity = capacity
        self._models: OrderedDict[tuple, LoadedModel] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, record: ModelRecord, device: DeviceChoice, size: int | None = None) -> LoadedModel:
        # GAN-like formats whose size is not stored (lucidrains) take the record's resolution
        key = (record.path, record.sha256, device.device, str(device.dtype), record.resolution)
        with self._lock:
            model = self._models.get(key)
            if model is not None:
                self._models.move_to_end(key)
                return model
        model = load_checkpoint(record.path, device.device, device.dtype, size=record.resolution)
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
