"""CLI commands of the evaluation harness (``storyline eval``, ``eval-all``, ``eval-gate``)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the evaluation commands to the ``storyline`` app."""
