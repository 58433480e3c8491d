"""Training the bundled models: data (``data``), resume state (``state``), the shared loop
(``loop``), and the diffusion, GAN, PixelCNN and upscaler trainers."""

from __future__ import annotations

from studio.engine.train.loop import Progress, RunResult, TrainOptions, run_training

__all__ = ["Progress", "RunResult", "TrainOptions", "make_trainer", "run_training"]


def make_trainer(kind: str):  # type: ignore[no-untyped-def]
    """A fresh trainer for ``kind`` ("diffusion", "gan", "pixelcnn" or "upscaler")."""
    if kind == "diffusion":
        from studio.engine.train.diffusion import DiffusionTrainer

        return DiffusionTrainer()
    if kind == "gan":
        from studio.engine.train.gan import GanTrainer

        return GanTrainer()
    if kind == "pixelcnn":
        from studio.engine.train.pixelcnn import PixelCNNTrainer

        return PixelCNNTrainer()
    if kind == "upscaler":
        from studio.engine.train.upscaler import UpscalerTrainer

        return UpscalerTrainer()
    if kind == "vae":
        from studio.engine.train.vae import VaeTrainer

        return VaeTrainer()
    raise ValueError(f"unknown training kind {kind!r}")
