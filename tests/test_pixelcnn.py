"""The gated PixelCNN (issue 18): causal by gradients, exact bits/dim, reproducible batch-invariant sampling,
its file format and the likelihood interface every loaded model has."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from studio.engine.autoregressive import pick, sample_autoregressive, sample_uniforms
from studio.models.formats.base import ModelSpec
from studio.models.formats.inkpixelcnn import loaded_model
from studio.models.inkfile import save_ink_checkpoint
from studio.models.inkpixelcnn import InkPixelCNN, to_input

STYLES = {"light": 0, "dark": 1}


def tiny(resolution: int = 4, seed: int = 0, layers: int = 2, kernel: int = 3) -> InkPixelCNN:
    torch.manual_seed(seed)
    return InkPixelCNN(width=6, layers=layers, kernel=kernel, resolution=resolution, num_classes=2, head=6).eval()


def as_model(net: InkPixelCNN, path: Path = Path("tiny.safetensors")):  # type: ignore[no-untyped-def]
    spec = ModelSpec(path, "ink-pixelcnn", "autoregressive", "tiny", dict(STYLES), net.resolution, 3, [path])
    return loaded_model(spec, net)


def raster(c: int, i: int, j: int, w: int) -> int:
    return (i * w + j) * 3 + c


@pytest.mark.parametrize(("layers", "kernel"), [(2, 3), (3, 5)])
def test_a_logit_never_depends_on_a_later_subpixel(layers: int, kernel: int) -> None:
    """Every logit of sub-pixel (c, i, j) has zero gradient w.r.t. (c', i', j') at or after it in raster order,
    and the stacks' features for it a nonzero one w.r.t. the sub-pixel just before it (no blind spot next door;
    checked before the output head, whose ReLUs may be off for every input at a corner of so small a net)."""
    h = w = 5
    net = tiny(h, layers=layers, kernel=kernel).double()  # float64: no gradient rounds to zero by accident
    x = torch.randn(6, 3, h, w, dtype=torch.float64, requires_grad=True)
    labels = torch.tensor([0, 1, 0, 1, 0, 1])
    order = torch.tensor([[[raster(c, i, j, w) for j in range(w)] for i in range(h)] for c in range(3)])
    for i in range(h):
        for j in range(w):
            for c in range(3):
                (grad,) = torch.autograd.grad(net(x, labels)[:, c, :, i, j].square().sum(), x)
                grad = grad.abs().sum(0)
                me = raster(c, i, j, w)
                later = order >= me
                assert torch.all(grad[later] == 0), (c, i, j)
                if me > 0:
                    group = net.features(x, labels)[:, 2 * c : 2 * c + 2, i, j]  # width 6: two features per colour
                    (seen,) = torch.autograd.grad(group.square().sum(), x)
                    # the sub-pixel just before it in its pixel or row; at a row's start, the pixel above
                    # (the previous row's end may lie beyond a small net's reach)
                    prev = (c - 1, i, j) if c else (2, i, j - 1) if j else (2, i - 1, j)
                    assert seen.abs().sum(0)[prev] != 0, (c, i, j)


def test_bits_per_dim_equals_the_chain_rule_on_a_2x2_image() -> None:
    """-log2 p(x)/12 from one forward pass equals the product of the 12 conditionals, each computed from an
    image that holds only the sub-pixels before it (the later ones replaced by random values)."""
    net = tiny(2, seed=3)
    model = as_model(net)
    gen = torch.Generator().manual_seed(7)
    x = torch.randint(0, 256, (1, 3, 2, 2), generator=gen, dtype=torch.uint8)
    label = torch.tensor([1])
    nats = 0.0
    for i in range(2):
        for j in range(2):
            for c in range(3):
                me = raster(c, i, j, 2)
                probe = torch.randint(0, 256, (1, 3, 2, 2), generator=gen, dtype=torch.uint8)
                for cc in range(3):
                    for ii in range(2):
                        for jj in range(2):
                            if raster(cc, ii, jj, 2) < me:
                                probe[0, cc, ii, jj] = x[0, cc, ii, jj]
                with torch.no_grad():
                    logits = net(to_input(probe), label)[0, c, :, i, j].double()
                nats -= float(torch.log_softmax(logits, 0)[int(x[0, c, i, j])])
    direct = nats / (12 * math.log(2))
    assert model.bits_per_dim(x, label) == pytest.approx(direct, rel=1e-5)
    # the marginal over the two styles (prior 1/2 each)
    both = [model.bits_per_dim(x, torch.tensor([y])) for y in (0, 1)]
    marginal = -math.log2(0.5 * sum(2 ** (-12 * b) for b in both)) / 12  # type: ignore[operator]
    assert model.bits_per_dim(x) == pytest.approx(marginal, rel=1e-5)
    # uniform logits are exactly 8 bits per dimension
    with torch.no_grad():
        net.out2.weight.zero_()
        net.out2.bias.zero_()
    assert model.bits_per_dim(x, label) == pytest.approx(8.0, abs=1e-6)  # float32 log-softmax


def _naive_sample(net: InkPixelCNN, seeds: list[int], label: int) -> torch.Tensor:
    """Reference: the whole image through the network for every sub-pixel, one painting at a time."""
    res = net.resolution
    out = []
    for s in seeds:
        u = sample_uniforms([s], (3, res, res))
        x = torch.zeros((1, 3, res, res), dtype=torch.uint8)
        for i in range(res):
            for j in range(res):
                for c in range(3):
                    with torch.no_grad():
                        logits = net(to_input(x), torch.tensor([label]))[:, c, :, i, j]
                    x[:, c, i, j] = pick(logits, u[:, c, i, j]).to(torch.uint8)
        out.append(x)
    return to_input(torch.cat(out))


def test_sampling_is_reproducible_batch_invariant_and_exact_with_cropped_rows() -> None:
    net = tiny(6, seed=1, layers=2)  # rows_seen 3 < 6: the sampler really crops
    model = as_model(net)
    batch = sample_autoregressive(model, [10, 11, 12], style="dark")
    again = sample_autoregressive(model, [10, 11, 12], style="dark")
    alone = sample_autoregressive(model, [11], style="dark")
    assert torch.equal(batch, again)
    assert torch.equal(batch[1:2], alone)
    assert not torch.equal(batch[0], batch[1])
    assert torch.equal(batch, _naive_sample(net, [10, 11, 12], 1))
    light = sample_autoregressive(model, [10], style="light")
    assert not torch.equal(light, batch[:1])  # the style reaches the network
    # values are exactly 8-bit
    assert torch.allclose(((batch + 1) * 127.5).round(), (batch + 1) * 127.5, atol=1e-4)


def test_previews_fill_in_raster_order() -> None:
    model = as_model(tiny(4))
    seen = []
    final = sample_autoregressive(model, [3], style="light", on_step=seen.append, every=5)
    assert [u.step for u in seen] == [*range(5, 48, 5), 48] and all(u.total == 48 for u in seen)
    assert torch.equal(seen[-1].x0, final)
    flat = seen[1].x0[0].permute(1, 2, 0).reshape(-1)  # raster order: rows, columns, channels
    assert torch.equal(flat[:10], final[0].permute(1, 2, 0).reshape(-1)[:10])
    assert torch.all(flat[10:] == 0.0)


def test_file_round_trip_and_the_likelihood_interface(tmp_path: Path) -> None:
    from studio.models.loaders import load_checkpoint

    net = tiny(4, seed=2)
    path = save_ink_checkpoint(tmp_path / "p.safetensors", net.state_dict(), {
        "kind": "autoregressive", "name": "tiny", "architecture": {"class": "InkPixelCNN", "config": {
            "width": 6, "layers": 2, "kernel": 3, "resolution": 4, "num_classes": 2, "head": 6}},
        "styles": STYLES, "resolution": 4, "channels": 3})
    model = load_checkpoint(path)
    assert model.kind == "autoregressive" and model.density == "explicit" and model.spec.format == "ink-pixelcnn"
    x = torch.randint(0, 256, (3, 3, 4, 4), dtype=torch.uint8)
    labels = torch.tensor([0, 1, 1])
    assert model.bits_per_dim(x, labels) == pytest.approx(as_model(net).bits_per_dim(x, labels), rel=1e-6)
    each = model.bits_per_dim_each(x, labels, batch=2)
    assert each is not None and each.shape == (3,)
    assert model.bits_per_dim(x, labels) == pytest.approx(float(each.mean()))
    from studio.errors import StudioError

    with pytest.raises(StudioError, match="8-bit"):
        model.bits_per_dim(x.float(), labels)
    with pytest.raises(StudioError, match="4x4"):
        model.bits_per_dim(torch.zeros((1, 3, 8, 8), dtype=torch.uint8))


def test_models_without_a_likelihood_say_so(tmp_path: Path) -> None:
    from format_fixtures import write_dcgan_96

    from studio.models.loaders import load_checkpoint

    model = load_checkpoint(write_dcgan_96(tmp_path)[0])
    assert model.kind == "gan" and model.density == "implicit" and not model.has_likelihood
    assert model.bits_per_dim(torch.zeros((1, 3, model.spec.resolution, model.spec.resolution), dtype=torch.uint8)) is None
