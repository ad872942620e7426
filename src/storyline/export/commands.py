"""The ``storyline export`` command: a thin wrapper over :mod:`storyline.export`.

Why a ``.part`` file renamed at the end: a consumer watching the output path (a cron job, a
notebook) must never read half an export; a failed export leaves the previous file untouched.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from storyline.commands import DbOption


def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="acled | plover | gkg-counts | jsonl | parquet.")
    ],
    db: DbOption = None,
    out: Annotated[str, typer.Option("--out", "-o", help="Output file, or - for stdout.")] = "-",
    types: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help="Only events of this PLOVER type (repeatable, or A,B)."),
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only events on or after this date (YYYY-MM-DD).")] = None,
) -> None:
    """Export the stored events as ACLED-style CSV, PLOVER JSON lines, GKG-style counts, JSON lines
    of whole analyses, or a Parquet table. Streams: the store is read a page of articles at a time.

    Example:

        storyline export --format acled --out events.csv --type ASSAULT --since 2016-12-01

        storyline export --format parquet --db sqlite:///storyline.db --out events.parquet
    """
    from storyline.errors import Problem, StorylineError
    from storyline.export import Selection, get_exporter, iter_stored, parse_since, parse_types
    from storyline.store import Store

    try:
        selection = Selection(
            types=parse_types(types or []), since=parse_since(since) if since is not None else None
        )
        exporter = get_exporter(fmt)
        if out == "-" and exporter.binary and sys.stdout.isatty():
            raise StorylineError("E166", fmt=fmt)
        problems: list[Problem] = []
        with Store(db) as store:
            items = iter_stored(store, selection, problems=problems)
            if out == "-":
                stats = exporter.write(items, sys.stdout.buffer, selection)
                sys.stdout.buffer.flush()
            else:
                target = Path(out)
                partial = target.with_name(target.name + ".part")
                try:
                    with partial.open("wb") as sink:
                        stats = exporter.write(items, sink, selection)
                    partial.replace(target)
                except OSError as exc:
                    raise StorylineError("E164", path=out, reason=exc) from exc
                finally:
                    partial.unlink(missing_ok=True)
    except StorylineError as exc:
        typer.echo(f"error {exc}", err=True)
        raise typer.Exit(1) from exc
    for problem in problems:
        typer.echo(f"error {problem}", err=True)
    skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(stats.skipped.items()))
    where = "stdout" if out == "-" else out
    typer.echo(
        f"{fmt}: {stats.events} events from {stats.articles} articles, {stats.records} records to {where}"
        + (f"; left out: {skipped}" if skipped else ""),
        err=True,
    )
    if problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``export`` to the ``storyline`` app."""
    app.command()(export)
