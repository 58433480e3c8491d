"""(Re)create the bad-input corpus under tests/data/bad/ (committed; the whole corpus stays well under 2 MB).

    python tests/data/make_bad_inputs.py

Everything is derived from fixed seeds, so a re-run rewrites the same files (except the legacy-format
torch pickle, whose storage keys vary). What each folder holds:

  checkpoints/  bad model files: zero-byte, random-byte, truncated, pickles that would run code, state
                dicts with wrong shapes or missing keys, metadata with wrong types
  folders/      bad model folders: config.json / model_index.json with bad JSON, wrong types, no weights,
                weights that do not fit, nested folders without a model
  images/       images no one can paint on: zero-byte, random, truncated PNG/JPEG, a header claiming
                50000x50000 px (a decompression bomb, tiny on disk), an image over the size limit
  odd/          valid but unusual images that must be converted and work: CMYK JPEG, 16-bit gray PNG,
                RGBA, palette (with and without transparency), gray+alpha, 1-bit, 1x1, EXIF-rotated
  masks/        a plain mask for the odd images, and odd-but-valid masks (16-bit, palette, RGBA, 1x1)
  noise/        bad stored-noise keyframes for walk: pickled object array, truncated, random, strings,
                wrong shape, NaN, empty or truncated safetensors

Two things are made at test time instead, because git cannot hold them: empty folders and symlink loops.

The pickles in checkpoints/runs-code.* and noise/runs-code.npy would, if ever unpickled, write the file named by the environment
variable INKSTUDIO_TEST_SENTINEL (and do nothing else); the tests set it and check the file never appears.
"""

from __future__ import annotations

import io
import json
import pickle
import random
import shutil
import struct
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
SENTINEL_ENV = "INKSTUDIO_TEST_SENTINEL"
# what the malicious pickles execute; harmless unless the sentinel variable is set
SENTINEL_CODE = f"import os\np = os.environ.get({SENTINEL_ENV!r})\nif p: open(p, 'w').write('pickled code ran')\n"


class RunsCode:
    """Unpickling this calls exec(SENTINEL_CODE): the classic malicious checkpoint."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        import builtins

        return (builtins.exec, (SENTINEL_CODE,))


def _rand(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_png(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height gray pixels, with a few rows of data: a few hundred bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 4, 9) if width < 100_000 else b""
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


def _tiny_unet_state(block_out: tuple[int, int], seed: int):  # type: ignore[no-untyped-def]
    import torch
    from diffusers import UNet2DModel

    torch.manual_seed(seed)
    unet = UNet2DModel(
        sample_size=16,
        in_channels=3,
        out_channels=3,
        block_out_channels=block_out,
        layers_per_block=1,
        down_block_types=("DownBlock2D", "AttnDownBlock2D"),
        up_block_types=("AttnUpBlock2D", "UpBlock2D"),
        norm_num_groups=4,
        attention_head_dim=4,
        num_class_embeds=2,
    )
    return unet, {k: v.detach().half().contiguous() for k, v in unet.state_dict().items()}


def _ink_meta(unet) -> dict:  # type: ignore[no-untyped-def]
    return {
        "format": "inkstudio",
        "version": 1,
        "kind": "diffusion",
        "name": "Bad corpus model",
        "architecture": {"class": "UNet2DModel", "config": _jsonable(dict(unet.config))},
        "scheduler": {"class": "DDPMScheduler", "config": {"num_train_timesteps": 100}},
        "styles": {"light": 0, "dark": 1},
        "resolution": 16,
        "channels": 3,
    }


def _jsonable(config: dict) -> dict:
    return json.loads(json.dumps({k: v for k, v in config.items() if not k.startswith("_")}, default=list))


def make_checkpoints(root: Path) -> None:
    import torch
    from safetensors.torch import save, save_file

    root.mkdir(parents=True)
    good_unet, good_state = _tiny_unet_state((4, 8), seed=0)
    meta = _ink_meta(good_unet)
    good = save(good_state, metadata={"inkstudio": json.dumps(meta)})
    header_len = struct.unpack("<Q", good[:8])[0]

    for suffix in (".safetensors", ".pt", ".pth", ".ckpt"):
        (root / f"zero{suffix}").write_bytes(b"")
        (root / f"random{suffix}").write_bytes(_rand(4096, seed=len(suffix)))
    (root / "truncated.safetensors").write_bytes(good[: 8 + header_len + 1000])  # header intact, tensors cut
    (root / "truncated-header.safetensors").write_bytes(good[: 8 + header_len // 2])  # cut inside the JSON header
    (root / "header-too-long.safetensors").write_bytes(struct.pack("<Q", 2**40) + b"{}")  # claims a 1 TB header

    dcgan = {"main.0.weight": torch.zeros(16, 8, 4, 4), "main.1.weight": torch.ones(8), "main.1.bias": torch.zeros(8)}
    buf = io.BytesIO()
    torch.save(dcgan, buf)
    (root / "truncated.pt").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    buf = io.BytesIO()
    torch.save(dcgan, buf, _use_new_zipfile_serialization=False)
    (root / "truncated-legacy.ckpt").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])

    # pickles that run code when loaded: torch's zip format, torch's legacy format, and a bare pickle
    torch.save({"main.0.weight": RunsCode()}, root / "runs-code.pt")
    torch.save({"state_dict": RunsCode()}, root / "runs-code.pth", _use_new_zipfile_serialization=False)
    (root / "runs-code.ckpt").write_bytes(pickle.dumps({"model": RunsCode()}, protocol=2))

    save_file({"w": torch.zeros(2)}, str(root / "no-metadata.safetensors"))
    save_file({"w": torch.zeros(2)}, str(root / "metadata-bad-json.safetensors"), metadata={"inkstudio": "{not json"})
    save_file({"w": torch.zeros(2)}, str(root / "metadata-not-object.safetensors"), metadata={"inkstudio": "[1, 2]"})
    for name, change in {
        "metadata-resolution-string": {"resolution": "big"},
        "metadata-channels-negative": {"channels": -3},
        "metadata-kind-unknown": {"kind": "vae"},
        "metadata-styles-not-ints": {"styles": {"light": "zero"}},
        "metadata-architecture-list": {"architecture": ["UNet2DModel"]},
        "metadata-architecture-unknown-class": {"architecture": {"class": "Transformer9000", "config": {}}},
        "metadata-config-wrong-types": {
            "architecture": {"class": "UNet2DModel", "config": {**meta["architecture"]["config"], "block_out_channels": "4,8"}}
        },
        "metadata-scheduler-unknown-class": {"scheduler": {"class": "NoSuchScheduler", "config": {}}},
        "metadata-scheduler-wrong-types": {"scheduler": {"class": "DDPMScheduler", "config": {"num_train_timesteps": "many"}}},
        "metadata-config-huge": {
            "architecture": {"class": "UNet2DModel", "config": {**meta["architecture"]["config"], "time_embedding_dim": 10**9}}
        },
    }.items():
        bad_meta = json.loads(json.dumps({**meta, **change}, default=list))
        data = good_state if "config" in name or "scheduler" in name else {"w": torch.zeros(1)}
        save_file(data, str(root / f"{name}.safetensors"), metadata={"inkstudio": json.dumps(bad_meta)})

    save_file(
        {"conv_in.weight": torch.zeros(1)}, str(root / "missing-keys.safetensors"), metadata={"inkstudio": json.dumps(meta)}
    )
    _, other_state = _tiny_unet_state((8, 8), seed=1)  # every key present, conv shapes differ
    save_file(other_state, str(root / "wrong-shapes.safetensors"), metadata={"inkstudio": json.dumps(meta)})
    extra = dict(good_state, **{"surprise.weight": torch.zeros(2)})
    save_file(extra, str(root / "unexpected-keys.safetensors"), metadata={"inkstudio": json.dumps(meta)})

    gan_meta = {
        "format": "inkstudio",
        "version": 1,
        "kind": "gan",
        "name": "Bad GAN",
        "architecture": {
            "class": "InkGenerator",
            "config": {"nz": 16, "ngf": 8, "resolution": 16, "channels": 3, "num_classes": 2},
        },
        "styles": {"light": 0, "dark": 1},
        "resolution": 16,
        "channels": 3,
    }
    save_file(
        {"fc.weight": torch.zeros(3, 3)}, str(root / "gan-wrong-shapes.safetensors"), metadata={"inkstudio": json.dumps(gan_meta)}
    )
    gan_cfg_bad = json.loads(json.dumps(gan_meta))
    gan_cfg_bad["architecture"]["config"]["ngf"] = "eight"
    save_file(
        {"fc.weight": torch.zeros(3, 3)},
        str(root / "gan-config-wrong-types.safetensors"),
        metadata={"inkstudio": json.dumps(gan_cfg_bad)},
    )
    # the bundled GAN's generator family: a config that would take all memory to build, a negative
    # width, and weights of the other family
    dc_meta = json.loads(json.dumps(gan_meta))
    dc_meta["architecture"]["class"] = "InkDCGenerator"
    for name, key, value in (("gan-dc-config-huge", "ngf", 1_000_000), ("gan-dc-config-negative", "ngf", -8),
                             ("gan-dc-config-float", "nz", 16.5)):
        bad = json.loads(json.dumps(dc_meta))
        bad["architecture"]["config"][key] = value
        save_file({"fc.weight": torch.zeros(3, 3)}, str(root / f"{name}.safetensors"), metadata={"inkstudio": json.dumps(bad)})
    torch.manual_seed(0)
    from studio.models.inkgan import InkGenerator

    other_family = InkGenerator(**gan_meta["architecture"]["config"]).state_dict()
    save_file({k: v.contiguous() for k, v in other_family.items()}, str(root / "gan-dc-other-family-weights.safetensors"),
              metadata={"inkstudio": json.dumps(dc_meta)})

    torch.save(
        {"main.0.weight": torch.zeros(8, 4, 4, 4), "main.3.weight": torch.zeros(4, 3, 4, 4), "main.1.weight": torch.zeros(5)},
        root / "dcgan-wrong-shapes.pth",
    )
    torch.save({"main.0.weight": torch.zeros(16, 8, 4, 4)}, root / "dcgan-missing-keys.pth")
    torch.save({"main.0.weight": "not a tensor", "main.1.weight": [1, 2]}, root / "dcgan-wrong-types.pth")
    torch.save({"model": {"model.init_conv.weight": torch.zeros(4, 3, 7, 7)}, "step": 10}, root / "lucidrains-missing-keys.pt")
    torch.save({"model": {"model.init_conv.weight": "x"}, "ema": 5, "step": "ten"}, root / "lucidrains-wrong-types.pt")
    torch.save([1, 2, 3], root / "list.pt")
    torch.save({"optimizer": {"lr": 0.1}}, root / "unknown-layout.ckpt")
    torch.save(torch.zeros(3), root / "bare-tensor.pth")
    (root / "model.onnx").write_bytes(_rand(64, seed=9))
    (root / "text-named.safetensors").write_text("this is a text file, not weights\n", encoding="utf-8")


def make_folders(root: Path) -> None:
    from safetensors.torch import save_file

    root.mkdir(parents=True)
    unet, state = _tiny_unet_state((4, 8), seed=0)
    config = {"_class_name": "UNet2DModel", **_jsonable(dict(unet.config))}

    def folder(name: str, files: dict[str, object]) -> None:
        for rel, content in files.items():
            p = root / name / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            elif isinstance(content, dict) and content.get("__weights__"):
                save_file(content["state"], str(p))  # type: ignore[arg-type]
            else:
                p.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")

    weights = {"__weights__": True, "state": state}
    _, other = _tiny_unet_state((8, 8), seed=1)
    folder("nested", {"a/b/c/README.txt": "a folder of folders, no model in it\n"})
    folder("not-a-model", {"notes.txt": "hello\n", "picture.png": _rand(32, 3)})
    folder("config-bad-json", {"config.json": "{oops", "diffusion_pytorch_model.safetensors": weights})
    folder("config-not-object", {"config.json": [1, 2, 3], "diffusion_pytorch_model.safetensors": weights})
    folder("config-binary", {"config.json": b"\xff\xfe\x00garbage", "diffusion_pytorch_model.safetensors": weights})
    folder(
        "config-wrong-class",
        {"config.json": {**config, "_class_name": "UNet2DConditionModel"}, "diffusion_pytorch_model.safetensors": weights},
    )
    folder(
        "config-sample-size-string",
        {"config.json": {**config, "sample_size": "big"}, "diffusion_pytorch_model.safetensors": weights},
    )
    folder(
        "config-channels-string",
        {"config.json": {**config, "in_channels": "three"}, "diffusion_pytorch_model.safetensors": weights},
    )
    folder(
        "config-blocks-string",
        {"config.json": {**config, "block_out_channels": "4,8"}, "diffusion_pytorch_model.safetensors": weights},
    )
    folder(
        "config-layers-negative",
        {"config.json": {**config, "layers_per_block": -1}, "diffusion_pytorch_model.safetensors": weights},
    )
    folder("config-no-weights", {"config.json": config})
    # configs diffusers builds a network from, which then cannot run: refused at load, not mid-painting
    for name, change in {
        "config-norm-groups-negative": {"norm_num_groups": -1},
        "config-upsample-type-bogus": {"upsample_type": "teleport"},
        "config-time-embedding-bogus": {"time_embedding_type": "sundial"},
        "config-class-embeds-string": {"num_class_embeds": "two"},
        "config-padding-negative": {"downsample_padding": -1},
        "config-layers-huge": {"layers_per_block": 10**9},  # would build for hours / exhaust memory
    }.items():
        folder(name, {"config.json": {**config, **change}, "diffusion_pytorch_model.safetensors": weights})
    folder("config-random-weights", {"config.json": config, "diffusion_pytorch_model.safetensors": _rand(2048, 4)})
    folder(
        "config-weights-wrong-shapes",
        {"config.json": config, "diffusion_pytorch_model.safetensors": {"__weights__": True, "state": other}},
    )
    folder(
        "config-styles-wrong-types",
        {
            "config.json": config,
            "diffusion_pytorch_model.safetensors": weights,
            "inkstudio.json": {"styles": {"light": "0", "dark": 9}},
        },
    )
    folder(
        "pipeline-index-list",
        {"model_index.json": [], "unet/config.json": config, "unet/diffusion_pytorch_model.safetensors": weights},
    )
    folder(
        "pipeline-index-bad-json",
        {"model_index.json": '{"unet": [', "unet/config.json": config, "unet/diffusion_pytorch_model.safetensors": weights},
    )
    folder("pipeline-no-unet", {"model_index.json": {"_class_name": "DDPMPipeline", "unet": ["diffusers", "UNet2DModel"]}})
    index = {"_class_name": "DDPMPipeline", "unet": ["diffusers", "UNet2DModel"], "scheduler": ["diffusers", "DDPMScheduler"]}
    folder(
        "pipeline-no-scheduler",
        {"model_index.json": index, "unet/config.json": config, "unet/diffusion_pytorch_model.safetensors": weights},
    )
    folder(
        "pipeline-scheduler-wrong-types",
        {
            "model_index.json": index,
            "unet/config.json": config,
            "unet/diffusion_pytorch_model.safetensors": weights,
            "scheduler/scheduler_config.json": {
                "_class_name": "DDPMScheduler",
                "num_train_timesteps": "many",
                "beta_schedule": 7,
            },
        },
    )
    folder(
        "pipeline-scheduler-unknown",
        {
            "model_index.json": index,
            "unet/config.json": config,
            "unet/diffusion_pytorch_model.safetensors": weights,
            "scheduler/scheduler_config.json": {"_class_name": "NoSuchScheduler", "num_train_timesteps": 100},
        },
    )


def make_images(root: Path) -> None:
    from PIL import Image

    root.mkdir(parents=True)
    rng = random.Random(5)
    noise = Image.frombytes("RGB", (24, 24), bytes(rng.randrange(256) for _ in range(24 * 24 * 3)))
    png, jpg = io.BytesIO(), io.BytesIO()
    noise.save(png, format="PNG")
    noise.save(jpg, format="JPEG", quality=90)
    png_b, jpg_b = png.getvalue(), jpg.getvalue()
    (root / "zero.png").write_bytes(b"")
    (root / "zero.jpg").write_bytes(b"")
    (root / "random.png").write_bytes(_rand(2048, 6))
    (root / "random.jpg").write_bytes(_rand(2048, 7))
    (root / "text.png").write_text("not an image\n", encoding="utf-8")
    (root / "truncated.png").write_bytes(png_b[: len(png_b) // 2])
    (root / "truncated.jpg").write_bytes(jpg_b[: len(jpg_b) // 3])
    (root / "header-only.png").write_bytes(png_b[:33])  # signature + IHDR, no pixel data
    (root / "signature-only.png").write_bytes(png_b[:8])
    (root / "ihdr-empty.png").write_bytes(png_b[:8] + _png_chunk(b"IHDR", b"") + png_b[33:])  # Pillow: ValueError
    bad_crc = bytearray(png_b)
    bad_crc[29:33] = b"\x00\x00\x00\x00"  # IHDR checksum
    (root / "bad-crc.png").write_bytes(bytes(bad_crc))
    (root / "huge-50000x50000.png").write_bytes(huge_png(50_000, 50_000))  # 2.5 gigapixels claimed: a bomb
    (root / "wide-9000x4.png").write_bytes(huge_png(9_000, 4))  # valid, but over the 8,000 px limit


def make_odd(root: Path, masks: Path) -> None:
    import numpy as np
    from PIL import Image

    root.mkdir(parents=True)
    masks.mkdir(parents=True)
    y, x = np.mgrid[0:32, 0:40]
    gray = ((x * 6 + y * 2) % 256).astype(np.uint8)
    rgb = np.stack([gray, 255 - gray, (gray // 2 + 60)], axis=-1).astype(np.uint8)
    Image.fromarray(rgb).convert("CMYK").save(root / "cmyk.jpg", quality=90)
    Image.fromarray(gray.astype(np.uint16) * 257).save(root / "gray16.png")
    rgba = np.dstack([rgb, np.where(x < 20, 255, 0).astype(np.uint8)])
    Image.fromarray(rgba).save(root / "rgba.png")
    Image.fromarray(rgb).quantize(16).save(root / "palette.png")
    pal = Image.fromarray(rgb).quantize(16)
    pal.save(root / "palette-transparent.png", transparency=0)
    Image.fromarray(np.dstack([gray, np.full_like(gray, 200)]), "LA").save(root / "gray-alpha.png")
    Image.fromarray(gray > 128).save(root / "one-bit.png")
    Image.new("RGB", (1, 1), (90, 90, 90)).save(root / "one-by-one.png")
    Image.fromarray(gray).save(root / "gray.jpg", quality=90)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise for display
    Image.fromarray(rgb).save(root / "exif-rotated.jpg", quality=90, exif=exif.tobytes())

    m = np.zeros((32, 40), dtype=np.uint8)
    m[8:20, 10:26] = 255
    Image.fromarray(m).save(masks / "mask.png")
    Image.fromarray(m.astype(np.uint16) * 257).save(masks / "mask-16bit.png")
    Image.fromarray(m).convert("P").save(masks / "mask-palette.png")
    Image.fromarray(np.dstack([m, m, m, np.full_like(m, 255)]), "RGBA").save(masks / "mask-rgba.png")
    Image.new("L", (1, 1), 255).save(masks / "mask-1x1-white.png")
    Image.new("L", (32, 40), 0).save(masks / "mask-all-black.png")


def make_noise(root: Path) -> None:
    """Bad stored-noise keyframes for ``inkstudio walk --seeds 1,FILE`` (the tiny models start from (3, 16, 16))."""
    import numpy as np
    import torch
    from safetensors.torch import save, save_file

    root.mkdir(parents=True)
    evil = np.empty(2, dtype=object)
    evil[0] = RunsCode()
    np.save(root / "runs-code.npy", evil, allow_pickle=True)  # np.load(allow_pickle=True) would run it
    good = io.BytesIO()
    np.save(good, np.zeros((3, 16, 16), dtype=np.float32))
    (root / "truncated.npy").write_bytes(good.getvalue()[: len(good.getvalue()) // 2])
    (root / "random.npy").write_bytes(_rand(300, 11))
    np.save(root / "strings.npy", np.array(["ink", "wash"]))
    np.save(root / "wrong-shape.npy", np.zeros((5, 7), dtype=np.float32))
    np.save(root / "nan.npy", np.full((3, 16, 16), np.nan, dtype=np.float32))
    save_file({}, str(root / "empty.safetensors"))
    save_file({"noise": torch.zeros(2, 2)}, str(root / "wrong-shape.safetensors"))
    blob = save({"noise": torch.zeros(3, 16, 16)})
    (root / "truncated.safetensors").write_bytes(blob[: len(blob) - 100])


def main() -> int:
    import torch

    torch.set_num_threads(1)
    if BAD.exists():
        shutil.rmtree(BAD)
    make_checkpoints(BAD / "checkpoints")
    make_folders(BAD / "folders")
    make_images(BAD / "images")
    make_odd(BAD / "odd", BAD / "masks")
    make_noise(BAD / "noise")
    total = sum(p.stat().st_size for p in BAD.rglob("*") if p.is_file())
    files = sum(1 for p in BAD.rglob("*") if p.is_file())
    print(f"wrote {files} files, {total / 1024:.0f} KB, under {BAD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
