"""``diffusers-pipeline``: a folder with model_index.json, unet/ and scheduler/ (``DDPMPipeline.save_pretrained``)."""

from __future__ import annotations

from pathlib import Path

from studio.errors import CheckpointError
from studio.models.formats import diffusers_unet
from studio.models.formats.base import LoadedModel, ModelSpec, read_json

FORMAT = "diffusers-pipeline"


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    """A pipeline folder's spec (its UNet's, with the saved scheduler); None when there is no model_index.json."""
    if not path.is_dir() or not (path / "model_index.json").is_file():
        return None
    index = read_json(path / "model_index.json")
    unet_dir = path / "unet"
    if not (unet_dir / "config.json").is_file():
        raise CheckpointError(path, "diffusers pipeline folder without unet/config.json")
    sched_dir = path / "scheduler"
    if "scheduler" in index and not (sched_dir / "scheduler_config.json").is_file():
        raise CheckpointError(path, "diffusers pipeline folder without scheduler/scheduler_config.json")
    spec = diffusers_unet.inspect_unet(path, unet_dir / "config.json", scheduler_dir=sched_dir)
    spec.format = FORMAT
    spec.extra["pipeline_class"] = index.get("_class_name")
    return spec


def load(spec: ModelSpec) -> LoadedModel:
    return diffusers_unet.load(spec)
