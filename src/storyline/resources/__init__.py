"""Small versioned resources shipped with Storyline (lexicons, gazetteer index, trained models)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def lexicon(name: str) -> tuple[str, ...]:
    """The entries of ``lexicons/<name>.txt``: one per line, ``#`` comments and blanks skipped."""
    text = resources.files(__package__).joinpath("lexicons", f"{name}.txt").read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
