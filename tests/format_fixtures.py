"""Checkpoints in other trainers' real layouts, with random weights, written the way those trainers save them.

Each ``write_*`` function builds the trainer's own module (a small width, same structure) and saves
it with the trainer's own ``torch.save`` call; it returns the path and the module, so a test can run
the module itself as the reference forward pass. No trainer's source is copied: these are minimal
re-statements of the saved layout.

Run as a script to write every fixture into a folder: ``python tests/format_fixtures.py OUT``.
"""

from __future__ import annotations

import math
import pickle
import sys
from pathlib import Path

import torch
from torch import nn


def _settle_batchnorm(module: nn.Module, seed: int) -> None:
    """Non-trivial BatchNorm statistics and affine weights, as after training; eval mode."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.weight.copy_(1 + 0.1 * torch.randn(m.num_features, generator=g))
                m.bias.copy_(0.1 * torch.randn(m.num_features, generator=g))
    module.eval()


# ---------------------------------------------------------------------------- DCGAN variants


class NetG96(nn.Module):
    """The 96 px anime-faces generator of a widely used PyTorch book: the last layer is ConvTranspose2d(ngf, 3, 5, 3, 1)."""

    def __init__(self, nz: int = 16, ngf: int = 4) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),  # 4
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),  # 8
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),  # 16
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),  # 32
            nn.ConvTranspose2d(ngf, 3, 5, 3, 1, bias=False), nn.Tanh(),  # 96
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x)


def tutorial_layers(nz: int = 8, ngf: int = 4, nc: int = 3, ups: int = 4, bias: bool = False) -> list[nn.Module]:
    """The PyTorch DCGAN tutorial's generator layers: 4 px, then ``ups`` doublings (4 → 64 px)."""
    widths = [ngf * 2 ** (ups - 1 - i) for i in range(ups)]
    layers: list[nn.Module] = [nn.ConvTranspose2d(nz, widths[0], 4, 1, 0, bias=bias), nn.BatchNorm2d(widths[0]), nn.ReLU(True)]
    for a, b in zip(widths[:-1], widths[1:], strict=True):
        layers += [nn.ConvTranspose2d(a, b, 4, 2, 1, bias=bias), nn.BatchNorm2d(b), nn.ReLU(True)]
    return [*layers, nn.ConvTranspose2d(widths[-1], nc, 4, 2, 1, bias=bias), nn.Tanh()]


class TutorialG(nn.Module):
    def __init__(self, **kw: int) -> None:
        super().__init__()
        self.main = nn.Sequential(*tutorial_layers(**kw))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x)


class TutorialD(nn.Module):
    """The tutorial's discriminator: Conv2d layers, which a generator loader must not mistake for one."""

    def __init__(self, ndf: int = 4, nc: int = 3) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, 1, 4, 1, 0, bias=False), nn.Sigmoid(),
        )


class WholeGAN(nn.Module):
    """A module holding both networks as ``Gene`` and ``Disc`` (its state_dict has ``Gene.*`` and ``Disc.*`` keys)."""

    def __init__(self) -> None:
        super().__init__()
        self.Gene = nn.Sequential(*tutorial_layers())
        self.Disc = TutorialD()


def write_dcgan_96(folder: Path) -> tuple[Path, nn.Module]:
    """``torch.save(netg.state_dict(), 'checkpoints/netg_N.pth')`` of the 96 px generator."""
    torch.manual_seed(96)
    net = NetG96()
    _settle_batchnorm(net, 96)
    path = folder / "netg_199.pth"
    torch.save(net.state_dict(), path)
    return path, net


def write_dcgan_wrapped(folder: Path, key: str) -> tuple[Path, nn.Module]:
    """A training checkpoint: ``{key: G.state_dict(), 'netD': ..., 'optimizerG': ..., 'epoch': 5}``."""
    torch.manual_seed(1)
    gen, disc = TutorialG(), TutorialD()
    _settle_batchnorm(gen, 1)
    opt = torch.optim.Adam(gen.parameters(), lr=2e-4, betas=(0.5, 0.999))
    gen.train()
    opt.zero_grad()
    gen(torch.randn(2, 8, 1, 1)).mean().backward()
    opt.step()  # an optimizer state with tensors in it, as after training
    _settle_batchnorm(gen, 2)
    path = folder / f"checkpoint-{key}.pth"
    torch.save({key: gen.state_dict(), "netD": disc.state_dict(), "optimizerG": opt.state_dict(), "epoch": 5, "loss": 0.7}, path)
    return path, gen


def write_dcgan_whole_gan(folder: Path) -> tuple[Path, nn.Module]:
    """``torch.save(gan.state_dict())`` of a module holding both networks: ``Gene.N.*`` beside ``Disc.main.N.*``."""
    torch.manual_seed(3)
    gan = WholeGAN()
    _settle_batchnorm(gan, 3)
    path = folder / "gan.pth"
    torch.save(gan.state_dict(), path)
    return path, gan.Gene


def write_dcgan_bare_sequential(folder: Path) -> tuple[Path, nn.Module]:
    """``torch.save(nn.Sequential(...).state_dict())``: keys ``0.weight``, ``1.running_mean`` …; biased convolutions, 32 px."""
    torch.manual_seed(4)
    gen = nn.Sequential(*tutorial_layers(ups=3, bias=True))
    _settle_batchnorm(gen, 4)
    path = folder / "G_32.pt"
    torch.save(gen.state_dict(), path)
    return path, gen


def write_dcgan_data_parallel(folder: Path) -> tuple[Path, nn.Module]:
    """A generator trained under nn.DataParallel, saved as ``{'state_dict': ...}`` with ``module.main.`` keys; 128 px."""
    torch.manual_seed(5)
    gen = TutorialG(ups=5, ngf=2)
    _settle_batchnorm(gen, 5)
    path = folder / "generator_128.pth"
    torch.save({"state_dict": {f"module.{k}": v for k, v in gen.state_dict().items()}, "epoch": 30}, path)
    return path, gen


def write_dcgan_discriminator(folder: Path) -> Path:
    torch.manual_seed(6)
    path = folder / "netD.pth"
    torch.save(TutorialD().main.state_dict(), path)
    return path


def write_dcgan_tiny(folder: Path) -> tuple[Path, nn.Module]:
    """An 8 px generator (4 → 8): too small to be taken at its word without a sidecar."""
    torch.manual_seed(7)
    gen = nn.Sequential(*tutorial_layers(ups=1, ngf=2))
    _settle_batchnorm(gen, 7)
    path = folder / "tiny.pth"
    torch.save(gen.state_dict(), path)
    return path, gen


def write_dcgan_odd_kernel(folder: Path) -> tuple[Path, nn.Module]:
    """A last layer with a 7×7 kernel, stride 3, padding 2 (16 → 48 px): no usual stride for that kernel."""
    torch.manual_seed(8)
    layers = tutorial_layers(ups=3, ngf=2)[:-2] + [nn.ConvTranspose2d(2, 3, 7, 3, 2, bias=False), nn.Tanh()]
    gen = nn.Sequential(*layers)
    _settle_batchnorm(gen, 8)
    path = folder / "odd.pth"
    torch.save(gen.state_dict(), path)
    return path, gen


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_dcgan_96(folder)[0], write_dcgan_whole_gan(folder)[0], write_dcgan_bare_sequential(folder)[0]]
    written += [write_dcgan_wrapped(folder, key)[0] for key in ("netG", "generator", "net", "state_dict", "model")]
    written += [write_dcgan_data_parallel(folder)[0], write_dcgan_discriminator(folder), write_dcgan_tiny(folder)[0]]
    written += [write_dcgan_odd_kernel(folder)[0], write_rosinality(folder)[0], write_ada_pickle(folder)[0]]
    written += [write_openai_unet(folder / "openai", sidecar={"image_size": 32})[0], write_lightweight_gan(folder)[0]]
    written += [write_lucidrains_2021(folder)[0]]
    return written


# ---------------------------------------------------------------------------- rosinality stylegan2-pytorch


def _blur_kernel(up: int) -> torch.Tensor:
    k = torch.tensor([1.0, 3.0, 3.0, 1.0])
    k2 = k[None, :] * k[:, None]
    return k2 / k2.sum() * up**2


def rosinality_generator_state(style_dim: int, n_mlp: int, widths: list[int], seed: int) -> dict[str, torch.Tensor]:
    """A stylegan2-pytorch ``Generator.state_dict()`` (key names, shapes and fixed buffers as it writes them), random weights.

    Parameters that start at zero or one in training (biases, noise strengths) are random too, so that
    every one of them matters to the reference test.
    """
    g = torch.Generator().manual_seed(seed)

    def rnd(*shape: int, scale: float = 1.0) -> torch.Tensor:
        return torch.randn(*shape, generator=g) * scale

    sd: dict[str, torch.Tensor] = {}
    for i in range(1, n_mlp + 1):
        sd[f"style.{i}.weight"] = rnd(style_dim, style_dim, scale=100.0)  # initialised as randn / lr_mul
        sd[f"style.{i}.bias"] = rnd(style_dim, scale=1.0)

    def styled(prefix: str, cin: int, cout: int, k: int, up: bool, torgb: bool = False) -> None:
        sd[f"{prefix}.conv.weight"] = rnd(1, cout, cin, k, k)
        sd[f"{prefix}.conv.modulation.weight"] = rnd(cin, style_dim)
        sd[f"{prefix}.conv.modulation.bias"] = 1 + rnd(cin, scale=0.1)
        if up and not torgb:
            sd[f"{prefix}.conv.blur.kernel"] = _blur_kernel(2)
        if torgb:
            if up:
                sd[f"{prefix}.upsample.kernel"] = _blur_kernel(2)
            sd[f"{prefix}.bias"] = rnd(1, 3, 1, 1, scale=0.1)
        else:
            sd[f"{prefix}.noise.weight"] = rnd(1, scale=0.1)
            sd[f"{prefix}.activate.bias"] = rnd(cout, scale=0.1)

    sd["input.input"] = rnd(1, widths[0], 4, 4)
    styled("conv1", widths[0], widths[0], 3, up=False)
    styled("to_rgb1", widths[0], 3, 1, up=False, torgb=True)
    for i, (cin, cout) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        styled(f"convs.{2 * i}", cin, cout, 3, up=True)
        styled(f"convs.{2 * i + 1}", cout, cout, 3, up=False)
        styled(f"to_rgbs.{i}", cout, 3, 1, up=True, torgb=True)
    n_layers = 1 + 2 * (len(widths) - 1)
    for i in range(n_layers):
        res = 2 ** ((i + 5) // 2)
        sd[f"noises.noise_{i}"] = rnd(1, 1, res, res)
    order = ["style.", "input.", "conv1.", "to_rgb1.", "convs.", "to_rgbs.", "noises."]
    return dict(sorted(sd.items(), key=lambda kv: next(n for n, p in enumerate(order) if kv[0].startswith(p))))


def write_rosinality(folder: Path, step: int = 5000, size: int = 32, with_args: bool = True) -> tuple[Path, dict[str, torch.Tensor]]:
    """``checkpoint/005000.pt`` as its train.py writes it: g, d, g_ema, both optimisers, args (a Namespace), ada_aug_p."""
    import argparse

    widths = {16: [16, 16, 8], 32: [16, 16, 16, 8], 64: [16, 16, 16, 8, 8]}[size]
    g_ema = rosinality_generator_state(16, 2, widths, seed=size)
    g = {k: v + 0.01 if v.is_floating_point() and "kernel" not in k else v for k, v in g_ema.items()}
    d = {"convs.0.0.weight": torch.randn(8, 3, 1, 1), "convs.0.1.bias": torch.zeros(8), "final_linear.1.weight": torch.randn(1, 16)}
    optim = {"state": {0: {"step": torch.tensor(5.0), "exp_avg": torch.zeros(3)}}, "param_groups": [{"lr": 0.002, "params": [0]}]}
    data: dict[str, object] = {"g": g, "d": d, "g_ema": g_ema, "g_optim": optim, "d_optim": optim, "ada_aug_p": 0.0}
    if with_args:
        data["args"] = argparse.Namespace(
            path="lmdb", arch="stylegan2", iter=800000, batch=16, n_sample=64, size=size, r1=10, path_regularize=2,
            path_batch_shrink=2, d_reg_every=16, g_reg_every=4, mixing=0.9, ckpt=None, lr=0.002, channel_multiplier=2,
            wandb=False, local_rank=0, augment=False, augment_p=0, ada_target=0.6, ada_length=500000, ada_every=256,
            latent=16, n_mlp=2, start_iter=0, distributed=False,
        )
    path = folder / "checkpoint" / f"{step:06d}.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(data, path)
    return path, g_ema


# ---------------------------------------------------------------------------- stylegan2-ada-pytorch network pickles

# What NVIDIA's persistence hook would exec on loading: here it only proves whether a loader ran it.
SENTINEL_SOURCE = """
import os
open(os.environ["INKSTUDIO_SENTINEL"], "w").write("embedded code ran")

class Generator: pass
"""


class _FakeModules:
    """While active, ``torch_utils.persistence._reconstruct_persistent_obj`` and ``dnnlib.util.EasyDict`` exist,
    as in a process that has NVIDIA's repository on its path: pickle records them by those names."""

    def __enter__(self) -> _FakeModules:
        import types

        self.added = []
        persistence = types.ModuleType("torch_utils.persistence")
        util = types.ModuleType("dnnlib.util")

        def _reconstruct_persistent_obj(meta: dict) -> object:  # what the real hook does first: run the source
            namespace: dict = {}
            exec(meta["module_src"], namespace)  # noqa: S102 - the careless loader the tests compare against
            return namespace

        _reconstruct_persistent_obj.__module__ = "torch_utils.persistence"
        _reconstruct_persistent_obj.__qualname__ = "_reconstruct_persistent_obj"

        class EasyDict(dict):
            pass

        EasyDict.__module__, EasyDict.__qualname__ = "dnnlib.util", "EasyDict"
        persistence._reconstruct_persistent_obj = _reconstruct_persistent_obj  # type: ignore[attr-defined]
        util.EasyDict = EasyDict  # type: ignore[attr-defined]
        for name, module in (("torch_utils", types.ModuleType("torch_utils")), ("torch_utils.persistence", persistence),
                             ("dnnlib", types.ModuleType("dnnlib")), ("dnnlib.util", util)):
            if name not in sys.modules:
                sys.modules[name] = module
                self.added.append(name)
        self.reconstruct, self.EasyDict = sys.modules["torch_utils.persistence"]._reconstruct_persistent_obj, sys.modules["dnnlib.util"].EasyDict
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.added:
            sys.modules.pop(name, None)


class _Persistent:
    """Pickles as NVIDIA's persistent classes do: (_reconstruct_persistent_obj, ({type, version, module_src, class_name, state},))."""

    def __init__(self, hook: object, class_name: str, state: dict, source: str) -> None:
        self.hook, self.class_name, self.state, self.source = hook, class_name, state, source

    def __reduce__(self) -> tuple:
        meta = {"type": "class", "version": 6, "module_src": self.source, "class_name": self.class_name, "state": self.state}
        return (self.hook, (meta,))


def _module_state(params: dict, buffers: dict, children: dict, attrs: dict, init_kwargs: dict) -> dict:
    """An nn.Module's __dict__ as torch 1.9 pickled it, plus the persistence decorator's _init_args/_init_kwargs."""
    import collections

    state = {
        "training": False, "_parameters": collections.OrderedDict((k, nn.Parameter(v, requires_grad=False)) for k, v in params.items()),
        "_buffers": collections.OrderedDict(buffers), "_non_persistent_buffers_set": set(),
        "_backward_hooks": collections.OrderedDict(), "_forward_hooks": collections.OrderedDict(),
        "_forward_pre_hooks": collections.OrderedDict(), "_state_dict_hooks": collections.OrderedDict(),
        "_load_state_dict_pre_hooks": collections.OrderedDict(), "_modules": collections.OrderedDict(children),
        "_init_args": (), "_init_kwargs": init_kwargs,
    }
    state.update(attrs)
    return state


def ada_generator_tensors(z_dim: int, c_dim: int, w_dim: int, widths: dict[int, int], n_mapping: int, seed: int) -> dict[str, torch.Tensor]:
    """G_ema's parameters and buffers, named as its state_dict names them; random, every one non-trivial."""
    g = torch.Generator().manual_seed(seed)

    def rnd(*shape: int, scale: float = 1.0) -> torch.Tensor:
        return torch.randn(*shape, generator=g) * scale

    f = torch.tensor([1.0, 3.0, 3.0, 1.0])
    f = f[None, :] * f[:, None]
    f = f / f.sum()
    t: dict[str, torch.Tensor] = {}
    embed = w_dim if c_dim else 0
    feats = [z_dim + embed] + [w_dim] * n_mapping
    if c_dim:
        t["mapping.embed.weight"], t["mapping.embed.bias"] = rnd(w_dim, c_dim), rnd(w_dim, scale=0.1)
    for i in range(n_mapping):
        t[f"mapping.fc{i}.weight"], t[f"mapping.fc{i}.bias"] = rnd(feats[i + 1], feats[i], scale=100.0), rnd(feats[i + 1])
    t["mapping.w_avg"] = rnd(w_dim)
    for res, cout in widths.items():
        p = f"synthesis.b{res}"
        cin = widths.get(res // 2, cout)
        if res == 4:
            t[f"{p}.const"] = rnd(cout, 4, 4)
        t[f"{p}.resample_filter"] = f.clone()
        for layer, ci in (("conv0", cin), ("conv1", cout)):
            if res == 4 and layer == "conv0":
                continue
            q = f"{p}.{layer}"
            t[f"{q}.weight"], t[f"{q}.bias"] = rnd(cout, ci, 3, 3), rnd(cout, scale=0.1)
            t[f"{q}.affine.weight"], t[f"{q}.affine.bias"] = rnd(ci, w_dim), 1 + rnd(ci, scale=0.1)
            t[f"{q}.noise_strength"], t[f"{q}.noise_const"] = rnd(1, scale=0.1).reshape(()), rnd(res, res)
            t[f"{q}.resample_filter"] = f.clone()
        q = f"{p}.torgb"
        t[f"{q}.weight"], t[f"{q}.bias"] = rnd(3, cout, 1, 1), rnd(3, scale=0.1)
        t[f"{q}.affine.weight"], t[f"{q}.affine.bias"] = rnd(cout, w_dim), 1 + rnd(cout, scale=0.1)
    return t


def write_ada_pickle(
    folder: Path, resolution: int = 16, c_dim: int = 0, conv_clamp: float | None = 256, source: str = "class Generator: pass\n",
    stylegan3: bool = False, name: str = "network-snapshot-000200.pkl",
) -> tuple[Path, dict[str, torch.Tensor]]:
    """``network-snapshot-*.pkl`` as training_loop.py writes it: pickle.dump of {G, D, G_ema, augment_pipe, training_set_kwargs},
    each network a persistent object carrying ``source`` as its module source. Returns the path and G_ema's tensors."""
    z_dim = w_dim = 16
    widths = {r: w for r, w in {4: 16, 8: 16, 16: 8, 32: 8, 64: 8}.items() if r <= resolution}
    tensors = ada_generator_tensors(z_dim, c_dim, w_dim, widths, 2, seed=resolution + c_dim)
    with _FakeModules() as fake:
        def record(class_name: str, prefix: str, children: dict, attrs: dict, kwargs: dict | None = None) -> _Persistent:
            own = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix) and "." not in k[len(prefix):]}
            params = {k: v for k, v in own.items() if k not in ("w_avg", "resample_filter", "noise_const")}
            buffers = {k: v for k, v in own.items() if k in ("w_avg", "resample_filter", "noise_const")}
            return _Persistent(fake.reconstruct, class_name, _module_state(params, buffers, children, attrs, kwargs or {}), source)

        mapping_children = {f"fc{i}": record("FullyConnectedLayer", f"mapping.fc{i}.", {}, {"activation": "lrelu", "weight_gain": 0.01 / 4, "bias_gain": 0.01})
                            for i in range(2)}
        if c_dim:
            mapping_children = {"embed": record("FullyConnectedLayer", "mapping.embed.", {}, {"activation": "linear"}), **mapping_children}
        mapping = record("MappingNetwork", "mapping.", mapping_children,
                         {"z_dim": z_dim, "c_dim": c_dim, "w_dim": w_dim, "num_ws": 2 * len(widths), "num_layers": 2, "w_avg_beta": 0.995})
        blocks = {}
        for res in widths:
            p = f"synthesis.b{res}."
            layers = {}
            for layer in ("conv0", "conv1", "torgb"):
                if res == 4 and layer == "conv0":
                    continue
                q = f"{p}{layer}."
                affine = record("FullyConnectedLayer", f"{q}affine.", {}, {"activation": "linear"})
                attrs = {"conv_clamp": conv_clamp}
                if layer != "torgb":
                    attrs.update({"resolution": res, "up": 2 if layer == "conv0" else 1, "use_noise": True, "activation": "lrelu", "padding": 1})
                layers[layer] = record("ToRGBLayer" if layer == "torgb" else "SynthesisLayer", q, {"affine": affine}, attrs)
            blocks[f"L{res}_36_16" if stylegan3 else f"b{res}"] = record(
                "SynthesisBlock", p, layers, {"resolution": res, "architecture": "skip", "use_fp16": False, "is_last": res == resolution})
        if stylegan3:
            blocks = {"input": record("SynthesisInput", "nowhere.", {}, {}), **blocks}
        synthesis = record("SynthesisNetwork", "synthesis.", blocks, {"img_resolution": resolution, "img_channels": 3, "w_dim": w_dim})
        kwargs = {"z_dim": z_dim, "c_dim": c_dim, "w_dim": w_dim, "img_resolution": resolution, "img_channels": 3,
                  "mapping_kwargs": {}, "synthesis_kwargs": {"channel_base": 512, "channel_max": 16, "num_fp16_res": 0, "conv_clamp": conv_clamp}}
        attrs = {"z_dim": z_dim, "c_dim": c_dim, "w_dim": w_dim, "img_resolution": resolution, "img_channels": 3}
        g_ema = record("Generator", "", {"synthesis": synthesis, "mapping": mapping}, attrs, kwargs)
        g = record("Generator", "", {"synthesis": synthesis, "mapping": mapping}, attrs, kwargs)
        d = _Persistent(fake.reconstruct, "Discriminator", _module_state({"b4.fc.weight": torch.randn(1, 4)}, {}, {}, {}, {}), source)
        data = {"G": g, "D": d, "G_ema": g_ema, "augment_pipe": None,
                "training_set_kwargs": fake.EasyDict(class_name="training.dataset.ImageFolderDataset", path="shanshui.zip", resolution=resolution)}
        path = folder / name
        with open(path, "wb") as fh:
            pickle.dump(data, fh, protocol=4)
    return path, tensors


# ---------------------------------------------------------------------------- OpenAI improved/guided-diffusion UNet


def openai_unet_state(
    mc: int = 32,
    mult: tuple[int, ...] = (1, 2),
    nrb: int = 1,
    attention_ds: tuple[int, ...] = (2,),
    in_ch: int = 3,
    learn_sigma: bool = True,
    num_classes: int | None = None,
    scale_shift: bool = True,
    resample: str = "conv",
    seed: int = 0,
) -> dict[str, torch.Tensor]:
    """The keys and shapes improved-diffusion's (and guided-diffusion's) ``UNetModel.state_dict()`` has, random values.

    ``resample``: "conv" (Downsample.op / Upsample.conv), "pool" (no weights) or "resblock"
    (guided-diffusion's resblock_updown). The zero-initialised convolutions get random values too, so
    every path of the network matters to the output.
    """
    g = torch.Generator().manual_seed(seed)
    sd: dict[str, torch.Tensor] = {}

    def rnd(name: str, *shape: int, scale: float) -> None:
        sd[name] = torch.randn(*shape, generator=g) * scale

    def conv(name: str, cin: int, cout: int, k: int, dims: int = 2) -> None:
        rnd(f"{name}.weight", cout, cin, *([k] * dims), scale=1 / math.sqrt(cin * k**dims))
        rnd(f"{name}.bias", cout, scale=0.05)

    def linear(name: str, cin: int, cout: int) -> None:
        rnd(f"{name}.weight", cout, cin, scale=1 / math.sqrt(cin))
        rnd(f"{name}.bias", cout, scale=0.05)

    def norm(name: str, c: int) -> None:
        sd[f"{name}.weight"] = 1 + 0.1 * torch.randn(c, generator=g)
        rnd(f"{name}.bias", c, scale=0.1)

    emb = 4 * mc

    def res(p: str, cin: int, cout: int) -> None:
        norm(f"{p}.in_layers.0", cin)
        conv(f"{p}.in_layers.2", cin, cout, 3)
        linear(f"{p}.emb_layers.1", emb, 2 * cout if scale_shift else cout)
        norm(f"{p}.out_layers.0", cout)
        conv(f"{p}.out_layers.3", cout, cout, 3)
        if cin != cout:
            conv(f"{p}.skip_connection", cin, cout, 1)

    def attn(p: str, c: int) -> None:
        norm(f"{p}.norm", c)
        conv(f"{p}.qkv", c, 3 * c, 1, dims=1)
        conv(f"{p}.proj_out", c, c, 1, dims=1)

    linear("time_embed.0", mc, emb)
    linear("time_embed.2", emb, emb)
    if num_classes:
        rnd("label_emb.weight", num_classes, emb, scale=1.0)
    conv("input_blocks.0.0", in_ch, mc, 3)
    chans, ch, ds, i = [mc], mc, 1, 1
    for level, m in enumerate(mult):
        for _ in range(nrb):
            res(f"input_blocks.{i}.0", ch, m * mc)
            ch = m * mc
            if ds in attention_ds:
                attn(f"input_blocks.{i}.1", ch)
            chans.append(ch)
            i += 1
        if level != len(mult) - 1:
            if resample == "conv":
                conv(f"input_blocks.{i}.0.op", ch, ch, 3)
            elif resample == "resblock":
                res(f"input_blocks.{i}.0", ch, ch)
            chans.append(ch)
            ds *= 2
            i += 1
    res("middle_block.0", ch, ch)
    attn("middle_block.1", ch)
    res("middle_block.2", ch, ch)
    i = 0
    for level, m in reversed(list(enumerate(mult))):
        for j in range(nrb + 1):
            res(f"output_blocks.{i}.0", ch + chans.pop(), m * mc)
            ch, k = m * mc, 1
            if ds in attention_ds:
                attn(f"output_blocks.{i}.1", ch)
                k = 2
            if level and j == nrb:
                if resample == "conv":
                    conv(f"output_blocks.{i}.{k}.conv", ch, ch, 3)
                elif resample == "resblock":
                    res(f"output_blocks.{i}.{k}", ch, ch)
                ds //= 2
            i += 1
    norm("out.0", ch)
    conv("out.2", ch, 2 * in_ch if learn_sigma else in_ch, 3)
    return sd


def write_openai_unet(folder: Path, name: str = "ema_0.9999_200000.pt", sidecar: dict | None = None, **kw: object) -> tuple[Path, dict[str, torch.Tensor]]:
    """An improved-diffusion checkpoint as its trainer saves it: ``th.save(model.state_dict(), f)``; sidecar ``NAME.json``."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    sd = openai_unet_state(**kw)  # type: ignore[arg-type]
    path = folder / name
    torch.save(sd, path)
    if sidecar is not None:
        path.with_suffix(".json").write_text(json.dumps(sidecar))
    return path, sd


# ---------------------------------------------------------------------------- lucidrains/lightweight-gan (FastGAN)


def _dct_weights(width: int, channels: int) -> torch.Tensor:
    """FCANet's fixed DCT filters (16 frequencies: 8 along each axis), as the trainer computes them."""
    def basis(pos: int, freq: int) -> float:
        v = math.cos(math.pi * freq * (pos + 0.5) / width) / math.sqrt(width)
        return v * (1 if freq == 0 else math.sqrt(2))

    us = [0] * 8 + list(range(8))
    vs = list(range(8)) + [0] * 8
    out = torch.zeros(1, channels, width, width)
    part = channels // len(us)
    for i, (u, v) in enumerate(zip(us, vs, strict=True)):
        for x in range(width):
            for y in range(width):
                out[:, i * part : (i + 1) * part, x, y] = basis(x, u) * basis(y, v)
    return out


def lightweight_gan_generator_state(
    image_size: int = 128, latent_dim: int = 16, fmap_max: int = 16, fmap_inverse_coef: int = 8,
    attn_res_layers: tuple[int, ...] = (32,), freq_chan_attn: bool = False, channels: int = 3,
    version: str = "1.2.1", seed: int = 0,
) -> dict[str, torch.Tensor]:
    """A lightweight-gan ``Generator`` state_dict, key for key and shape for shape, with random weights.

    Widths follow the trainer's rule (2^(fmap_inverse_coef - res), capped at fmap_max; 3 from 256 px on);
    skip-layer excitation joins 8→128, 16→256, 32→512, 64→1024 px where the size allows; attention
    (8 heads of 64) sits before the layers whose input width is in ``attn_res_layers``. Version 1.0.0's
    pixel shuffle widened to the layer's output width; 1.1.0 and later keep its input width.
    """
    g = torch.Generator().manual_seed(seed)
    sd: dict[str, torch.Tensor] = {}

    def rnd(*shape: int, scale: float = 1.0) -> torch.Tensor:
        return torch.randn(*shape, generator=g) * scale

    def conv(key: str, cout: int, cin: int, k: int, bias: bool = True, groups: int = 1) -> None:
        sd[f"{key}.weight"] = rnd(cout, cin // groups, k, k, scale=1.2 / math.sqrt(cin // groups * k * k))
        if bias:
            sd[f"{key}.bias"] = rnd(cout, scale=0.1)

    def bn(key: str, n: int) -> None:
        sd[f"{key}.weight"] = 1 + rnd(n, scale=0.1)
        sd[f"{key}.bias"] = rnd(n, scale=0.1)
        sd[f"{key}.running_mean"] = rnd(n, scale=0.1)
        sd[f"{key}.running_var"] = torch.rand(n, generator=g) + 0.5
        sd[f"{key}.num_batches_tracked"] = torch.tensor(1000)

    resolution = int(math.log2(image_size))
    num_layers = resolution - 2
    feats = [3 if n >= 8 else min(2 ** (fmap_inverse_coef - n), fmap_max) for n in range(2, num_layers + 2)]
    widths = [latent_dim, *feats]
    outs = dict(zip(range(2, num_layers + 2), feats, strict=True))
    sle_map = {a: b for a, b in ((3, 7), (4, 8), (5, 9), (6, 10)) if a <= resolution and b <= resolution}
    sd["initial_conv.0.weight"] = rnd(latent_dim, latent_dim * 2, 4, 4, scale=0.5)
    sd["initial_conv.0.bias"] = rnd(latent_dim * 2, scale=0.1)
    bn("initial_conv.1", latent_dim * 2)
    for i, (cin, cout) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        res = i + 2
        mid = cout if version == "1.0.0" else cin
        p = f"layers.{i}"
        conv(f"{p}.0.0.net.0", mid * 4, cin, 1)
        sd[f"{p}.0.1.f"] = torch.tensor([1.0, 2.0, 1.0])
        conv(f"{p}.0.2.1", cout * 2, mid, 4)
        sd[f"{p}.0.3.weight"] = rnd(1, scale=0.3)
        bn(f"{p}.0.4", cout * 2)
        if res in sle_map:
            sle_out = outs[sle_map[res] - 1]
            if freq_chan_attn:
                sd[f"{p}.1.dct_weights"] = _dct_weights(2 ** (res + 1), cout)
                conv(f"{p}.1.net.0", max(3, sle_out // 4), cout, 1)
            else:
                conv(f"{p}.1.to_k", 1, cout, 1)
                conv(f"{p}.1.net.0", max(3, sle_out // 2), cout, 1)
            conv(f"{p}.1.net.2", sle_out, sd[f"{p}.1.net.0.weight"].shape[0], 1)
        if 2**res in attn_res_layers:
            inner = 8 * 64
            sd[f"{p}.2.norm.g"] = 1 + rnd(1, cin, 1, 1, scale=0.1)
            sd[f"{p}.2.norm.b"] = rnd(1, cin, 1, 1, scale=0.1)
            conv(f"{p}.2.fn.to_lin_q", inner, cin, 1, bias=False)
            conv(f"{p}.2.fn.to_lin_kv.net.0", cin, cin, 3, bias=False, groups=cin)
            conv(f"{p}.2.fn.to_lin_kv.net.1", inner * 2, cin, 1, bias=False)
            conv(f"{p}.2.fn.to_q", inner, cin, 1, bias=False)
            conv(f"{p}.2.fn.to_kv", inner * 2, cin, 1, bias=False)
            conv(f"{p}.2.fn.to_out", cin, inner * 2, 1)
    conv("out_conv", channels, widths[-1], 3)
    sd["out_conv.bias"] = sd["out_conv.bias"] + 0.5  # the trainer's images are in [0, 1]
    return sd


def write_lightweight_gan(
    folder: Path, name: str = "ink", step: int = 3, config: dict | None = None, **kw: object
) -> tuple[Path, dict[str, torch.Tensor]]:
    """``models/NAME/model_N.pt`` and ``models/NAME/.config.json`` as lightweight-gan's Trainer.save writes them.

    The file holds ``{"GAN": LightweightGAN.state_dict(), "version", "G_scaler", "D_scaler"}``: ``G.*``,
    its EMA ``GE.*`` (different weights, so a test sees which paints), and stand-ins for the
    discriminator's ``D.*`` and ``D_aug.D.*`` (a few of its real key names; no loader reads them).
    Returns the path and GE's state_dict.
    """
    import json

    version = str(kw.get("version", "1.2.1"))
    ge = lightweight_gan_generator_state(**kw)  # type: ignore[arg-type]
    g = lightweight_gan_generator_state(**{**kw, "seed": int(kw.get("seed", 0)) + 1})  # type: ignore[arg-type]
    gen = torch.Generator().manual_seed(7)
    d = {"residual_layers.0.0.branches.0.0.f": torch.tensor([1.0, 2.0, 1.0]),
         "residual_layers.0.0.branches.0.1.1.weight": torch.randn(8, 12, 1, 1, generator=gen),
         "to_logits.0.weight": torch.randn(8, 8, 1, 1, generator=gen), "to_logits.2.weight": torch.randn(1, 8, 4, 4, generator=gen)}
    gan = {**{f"G.{k}": v for k, v in g.items()}, **{f"D.{k}": v for k, v in d.items()},
           **{f"GE.{k}": v for k, v in ge.items()}, **{f"D_aug.D.{k}": v for k, v in d.items()}}
    run = folder / "models" / name
    run.mkdir(parents=True, exist_ok=True)
    path = run / f"model_{step}.pt"
    torch.save({"GAN": gan, "version": version, "G_scaler": {}, "D_scaler": {}}, path)
    channels = int(kw.get("channels", 3))  # type: ignore[call-overload]
    written = {"image_size": int(kw.get("image_size", 128)), "transparent": channels == 4, "greyscale": channels == 1,  # type: ignore[call-overload]
               "syncbatchnorm": False, "disc_output_size": 1, "optimizer": "adam",
               "attn_res_layers": list(kw.get("attn_res_layers", (32,))), "freq_chan_attn": bool(kw.get("freq_chan_attn", False))}  # type: ignore[call-overload]
    (run / ".config.json").write_text(json.dumps(config if config is not None else written))
    return path, ge



# ---------------------------------------------------------------------------- denoising-diffusion-pytorch, 2020-21 releases


def lucidrains_2021_unet_state(
    dim: int = 8, dim_mults: tuple[int, ...] = (1, 2), channels: int = 3, norm: str = "layer",
    with_time_emb: bool = True, seed: int = 0,
) -> dict[str, torch.Tensor]:
    """The 2020-21 Unet's state_dict (``norm``: "rezero" to June 2021, "instance" to August 2021, "layer" after), random weights."""
    g = torch.Generator().manual_seed(seed)
    sd: dict[str, torch.Tensor] = {}

    def rnd(*shape: int, scale: float = 1.0) -> torch.Tensor:
        return torch.randn(*shape, generator=g) * scale

    def lin(key: str, cout: int, cin: int) -> None:
        sd[f"{key}.weight"], sd[f"{key}.bias"] = rnd(cout, cin, scale=1 / math.sqrt(cin)), rnd(cout, scale=0.1)

    def conv(key: str, cout: int, cin: int, k: int, bias: bool = True, transposed: bool = False) -> None:
        sd[f"{key}.weight"] = rnd(*((cin, cout) if transposed else (cout, cin)), k, k, scale=1 / math.sqrt(cin * k * k))
        if bias:
            sd[f"{key}.bias"] = rnd(cout, scale=0.1)

    def block(key: str, cout: int, cin: int) -> None:  # Block: Conv3x3, GroupNorm(8), Mish
        conv(f"{key}.block.0", cout, cin, 3)
        sd[f"{key}.block.1.weight"], sd[f"{key}.block.1.bias"] = 1 + rnd(cout, scale=0.1), rnd(cout, scale=0.1)

    def resnet(key: str, cin: int, cout: int) -> None:
        if with_time_emb:
            lin(f"{key}.mlp.1", cout, dim)
        block(f"{key}.block1", cout, cin)
        block(f"{key}.block2", cout, cout)
        if cin != cout:
            conv(f"{key}.res_conv", cout, cin, 1)

    def attention(key: str, d: int) -> None:  # Residual(PreNorm(d, LinearAttention(d))) or Residual(Rezero(...))
        if norm == "rezero":
            sd[f"{key}.fn.g"] = torch.tensor([0.7])  # starts at zero; trained away from it
        elif norm == "instance":
            sd[f"{key}.fn.norm.weight"], sd[f"{key}.fn.norm.bias"] = 1 + rnd(d, scale=0.1), rnd(d, scale=0.1)
        else:
            sd[f"{key}.fn.norm.g"], sd[f"{key}.fn.norm.b"] = 1 + rnd(1, d, 1, 1, scale=0.1), rnd(1, d, 1, 1, scale=0.1)
        conv(f"{key}.fn.fn.to_qkv", 4 * 32 * 3, d, 1, bias=False)
        conv(f"{key}.fn.fn.to_out", d, 4 * 32, 1)

    if with_time_emb:
        first, second = ("mlp.0", "mlp.2") if norm == "rezero" else ("time_mlp.1", "time_mlp.3")
        lin(first, dim * 4, dim)
        lin(second, dim, dim * 4)
    dims = [channels, *(dim * m for m in dim_mults)]
    pairs = list(zip(dims[:-1], dims[1:], strict=True))
    for i, (cin, cout) in enumerate(pairs):
        resnet(f"downs.{i}.0", cin, cout)
        resnet(f"downs.{i}.1", cout, cout)
        attention(f"downs.{i}.2", cout)
        if i < len(pairs) - 1:
            conv(f"downs.{i}.3.conv", cout, cout, 3)
    resnet("mid_block1", dims[-1], dims[-1])
    attention("mid_attn", dims[-1])
    resnet("mid_block2", dims[-1], dims[-1])
    for i, (cin, cout) in enumerate(reversed(pairs[1:])):
        resnet(f"ups.{i}.0", cout * 2, cin)
        resnet(f"ups.{i}.1", cin, cin)
        attention(f"ups.{i}.2", cin)
        conv(f"ups.{i}.3.conv", cin, cin, 4, transposed=True)
    block("final_conv.0", dim, dim)
    conv("final_conv.1", channels, dim, 1)
    return sd


def lucidrains_2021_diffusion_buffers(timesteps: int = 40) -> dict[str, torch.Tensor]:
    """GaussianDiffusion's registered buffers of those releases, from their default cosine schedule (float32)."""
    import numpy as np

    steps = timesteps + 1
    x = np.linspace(0, steps, steps)
    ac = np.cos(((x / steps) + 0.008) / 1.008 * np.pi * 0.5) ** 2
    ac = ac / ac[0]
    betas = np.clip(1 - ac[1:] / ac[:-1], 0, 0.999)
    alphas_cumprod = np.cumprod(1 - betas)
    prev = np.append(1.0, alphas_cumprod[:-1])
    variance = betas * (1 - prev) / (1 - alphas_cumprod)
    values = {
        "betas": betas, "alphas_cumprod": alphas_cumprod, "alphas_cumprod_prev": prev,
        "sqrt_alphas_cumprod": np.sqrt(alphas_cumprod), "sqrt_one_minus_alphas_cumprod": np.sqrt(1 - alphas_cumprod),
        "log_one_minus_alphas_cumprod": np.log(1 - alphas_cumprod), "sqrt_recip_alphas_cumprod": np.sqrt(1 / alphas_cumprod),
        "sqrt_recipm1_alphas_cumprod": np.sqrt(1 / alphas_cumprod - 1), "posterior_variance": variance,
        "posterior_log_variance_clipped": np.log(np.maximum(variance, 1e-20)),
        "posterior_mean_coef1": betas * np.sqrt(prev) / (1 - alphas_cumprod),
        "posterior_mean_coef2": (1 - prev) * np.sqrt(1 - betas) / (1 - alphas_cumprod),
    }
    return {k: torch.tensor(v, dtype=torch.float32) for k, v in values.items()}


def write_lucidrains_2021(
    folder: Path, milestone: int = 7, timesteps: int = 40, sidecar: dict | None = None, **kw: object
) -> tuple[Path, dict[str, torch.Tensor]]:
    """``results/model-N.pt`` as the 2020-21 Trainer.save writes it: ``{"step", "model", "ema"}``.

    ``model`` and ``ema`` are GaussianDiffusion state_dicts (``denoise_fn.*`` + the schedule buffers);
    the EMA copy has other weights than the model, so a test sees which one paints. Returns the path
    and the EMA Unet's state_dict.
    """
    import json

    ema = lucidrains_2021_unet_state(**kw)  # type: ignore[arg-type]
    model = lucidrains_2021_unet_state(**{**kw, "seed": int(kw.get("seed", 0)) + 1})  # type: ignore[arg-type]
    buffers = lucidrains_2021_diffusion_buffers(timesteps)
    results = folder / "results"
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"model-{milestone}.pt"
    torch.save({
        "step": milestone * 1000,
        "model": {**{f"denoise_fn.{k}": v for k, v in model.items()}, **buffers},
        "ema": {**{f"denoise_fn.{k}": v for k, v in ema.items()}, **buffers},
    }, path)
    if sidecar is not None:
        path.with_suffix(".json").write_text(json.dumps(sidecar))
    return path, ema


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1])):
        print(p)
