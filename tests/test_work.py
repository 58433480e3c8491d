"""studio.work's shared rules: one style rule for every operation, one way to count progress."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from studio.errors import StudioError
from studio.work import StepCount, steps_per_item, style_for


def model(styles: list[str], kind: str = "diffusion") -> SimpleNamespace:
    return SimpleNamespace(styles=styles, kind=kind, spec=SimpleNamespace(name="ink"))


def test_style_rule_keeps_offered_styles_and_refuses_others() -> None:
    assert style_for(model(["light", "dark"]), "dark") == "dark"
    assert style_for(model(["light", "dark"]), None) is None  # the engine paints the model's first
    assert style_for(model([]), "dark") == "dark"  # an unconditional model ignores the style
    with pytest.raises(StudioError, match=r"model 'ink' has no style 'dark' \(it offers: light\)"):
        style_for(model(["light"]), "dark")


def test_step_count_covers_the_job_and_never_goes_back() -> None:
    count = StepCount(items=5, per_item=steps_per_item(model([]), 4))
    assert count.total == 20
    assert count.batch(done=0, step=2, batch_len=4) == 8
    assert count.item(0) == 8  # a batch's paintings arrive after its last step: no step back
    assert count.batch(done=4, step=4, batch_len=1) == 20
    assert count.batch(done=4, step=9, batch_len=1) == 20  # never past the total
    assert StepCount(3, steps_per_item(model([], "gan"), 20)).total == 3  # a GAN paints in one pass
