"""Settings: typed, versioned, saved atomically; a corrupt file gives defaults and is kept as a backup."""

from __future__ import annotations

import json

from studio.config.settings import SCHEMA_VERSION, Settings, load_settings, save_settings, settings_path


def test_round_trip() -> None:
    s = Settings(
        model_id="ink-diffusion-64",
        style="dark",
        sampler="ddim",
        steps=30,
        count=2,
        eta=0.5,
        seed=99,
        seed_locked=True,
        output_dir="/tmp/out",
        language="zh_CN",
        theme="dark",
        window_geometry="AAAA",
    )
    path = save_settings(s)
    assert path == settings_path() and path.is_file()
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION
    assert load_settings() == s


def test_missing_file_gives_defaults() -> None:
    assert load_settings() == Settings()


def test_corrupt_file_gives_defaults_and_keeps_a_backup() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("{ this is not json")
    assert load_settings() == Settings()
    backups = list(path.parent.glob("settings.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{ this is not json"
    assert not path.exists()


def test_wrong_types_and_future_versions_are_not_trusted() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "steps": "twenty"}))
    assert load_settings() == Settings()
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1, "steps": 5}))
    assert load_settings() == Settings()
    assert len(list(path.parent.glob("settings.json.corrupt-*"))) >= 1


def test_out_of_range_values_fall_back_field_by_field() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "steps": 0, "theme": "neon", "language": "fr", "count": 3}))
    s = load_settings()
    assert (s.steps, s.theme, s.language, s.count) == (Settings().steps, "system", "", 3)
