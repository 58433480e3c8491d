"""The classroom mode's task functions, run as the window's inference thread runs them (tiny real model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from studio.engine.cache import ModelCache
from studio.engine.device import choose_device
from studio.models.catalog import resolve
from studio.work.classroom import forward_task, forward_timesteps
from studio.work.jobs import JobCancel


def test_forward_timesteps_cover_zero_to_T() -> None:
    assert forward_timesteps(10) == list(range(11))
    many = forward_timesteps(1000, positions=101)
    assert many[0] == 0 and many[-1] == 1000 and len(many) == 101 and many == sorted(set(many))


def test_forward_task_frames_and_log_snr(tiny_diffusion: Path) -> None:
    cache = ModelCache()
    record = resolve(str(tiny_diffusion))
    painting = Image.fromarray(np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8))
    reports = []
    frames = forward_task(lambda: cache, record, painting, positions=11)(
        lambda step, total, **_: reports.append((step, total)), JobCancel(), choose_device("cpu")
    )
    assert frames.num_train_timesteps == 100 and frames.timesteps == list(range(0, 101, 10))
    assert np.array_equal(np.asarray(frames.frames[0]), np.asarray(painting))  # t = 0 is the painting itself
    assert len(frames.log_snr) == 100 and frames.log_snr[0] > 0 > frames.log_snr[-1]
    assert reports[-1] == (11, 11)
