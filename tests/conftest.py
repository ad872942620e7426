"""Shared fixtures. The spaCy pipeline is loaded once per session; ../shared is optional."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(__import__("os").environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
SEED_DIR = ROOT / "tests" / "acceptance" / "seed"


@pytest.fixture(scope="session")
def nlp() -> Language:
    from storyline.pipeline import load

    return load()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; tests that need it skip with a reason when it is absent."""
    if not (SHARED / "data").is_dir():
        pytest.skip(f"needs ../shared/data (looked in {SHARED})")
    return SHARED
