"""Ray is optional: without it, --engine ray is a clear error (E128) before anything is read."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from storyline.errors import StorylineError
from storyline.scale.ingest import IngestOptions, run_ingest


def test_missing_ray_is_e128(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # makes "import ray" raise ImportError
    with pytest.raises(StorylineError) as info:
        run_ingest([tmp_path], f"sqlite:///{tmp_path / 'x.db'}", IngestOptions(engine="ray"))
    assert info.value.code == "E128"


def test_unknown_engine_is_e129(tmp_path: Path) -> None:
    with pytest.raises(StorylineError) as info:
        run_ingest([tmp_path], f"sqlite:///{tmp_path / 'x.db'}", IngestOptions(engine="spark"))
    assert info.value.code == "E129"
