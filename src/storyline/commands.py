"""The core CLI commands: extract, ingest, search, schema, demo, bench. Thin wrappers over the library."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from storyline.errors import Problem
from storyline.model import Article

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="STORYLINE_DB", help="Database URL (default sqlite:///storyline.db)."),
]


def _check_date(value: str | None) -> str | None:
    """Refuse a bad --published before any work, with the error's code and message."""
    from storyline.errors import StorylineError
    from storyline.ingest.base import make_article

    try:
        make_article("x", published=value)
    except StorylineError as exc:
        raise typer.BadParameter(str(exc), param_hint="--published") from exc
    return value


def extract(
    path: Annotated[str, typer.Argument(help="An article file (.txt, .html, .jsonl, .csv) or - for stdin.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date, ISO 8601 (YYYY-MM-DD).", callback=_check_date)
    ] = None,
    source: Annotated[str | None, typer.Option(help="The publisher, e.g. CNN.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or table.")] = "json",
) -> None:
    """Analyse articles and print what Storyline found.

    Example:

        storyline extract article.txt --published 2016-12-23 --source CNN --format table
    """
    from storyline import get_nlp
    from storyline.ingest import read_paths
    from storyline.model import dump
    from storyline.pipeline import analyze_many
    from storyline.render import print_analysis

    if fmt not in {"json", "table"}:
        raise typer.BadParameter("--format must be json or table")
    problems = 0
    articles = []
    for item in read_paths([path], published=published, source=source):
        if isinstance(item, Problem):
            err.print(f"[red]error[/red] {item}")
            problems += 1
        else:
            articles.append(item)
    for result in analyze_many(get_nlp(), articles):
        if isinstance(result, Problem):
            err.print(f"[red]error[/red] {result}")
            problems += 1
        elif fmt == "json":
            sys.stdout.write(json.dumps(dump(result), ensure_ascii=False, indent=2) + "\n")
        else:
            print_analysis(out, result)
    if problems:
        raise typer.Exit(1)


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders of articles.")],
    db: DbOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs without one.", callback=_check_date)
    ] = None,
    source: Annotated[str | None, typer.Option(help="The publisher, for inputs without one.")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per spaCy batch.")] = 16,
) -> None:
    """Analyse articles and store them; storing the same input twice changes nothing.

    Example:

        storyline ingest data/sample --db sqlite:///storyline.db
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from storyline import get_nlp
    from storyline.ingest import read_paths
    from storyline.pipeline import analyze_many
    from storyline.store import Store

    tally: Counter[str] = Counter()
    problems: list[Problem] = []

    def articles() -> Iterator[Article]:
        for item in read_paths(paths, published=published, source=source):
            if isinstance(item, Problem):
                problems.append(item)
                tally["failed"] += 1
            else:
                tally["read"] += 1
                yield item

    with (
        Store(db) as store,
        Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=False,
        ) as progress,
    ):
        task = progress.add_task("", total=None)
        for result in analyze_many(get_nlp(), articles(), batch_size=batch_size):
            if isinstance(result, Problem):
                problems.append(result)
                tally["failed"] += 1
            else:
                status = store.upsert(result)
                tally["skipped as duplicate" if status == "unchanged" else status] += 1
            progress.update(task, advance=1, description=f"{tally['read']} read")
    for problem in problems:
        err.print(f"[red]error[/red] {problem}")
    summary = ", ".join(
        f"{tally[k]} {k}" for k in ("read", "stored", "updated", "skipped as duplicate", "failed")
    )
    out.print(summary)
    if problems and not (tally["stored"] or tally["updated"] or tally["skipped as duplicate"]):
        raise typer.Exit(1)


def search(
    query: Annotated[str, typer.Argument(help="Words to find in article titles and texts.")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
) -> None:
    """Full-text search over stored articles.

    Example:

        storyline search "Hong Kong protest" --limit 5
    """
    from rich.table import Table

    from storyline.store import Store

    with Store(db) as store:
        hits = store.search(query, limit=limit)
    table = Table("id", "published", "title", "snippet")
    for hit in hits:
        table.add_row(hit.id[:16], hit.published or "", hit.title or "", hit.snippet)
    out.print(table)
    out.print(f"{len(hits)} hit(s)")


def schema() -> None:
    """Print the JSON Schema of storyline.analysis/1.

    Example:

        storyline schema > analysis.schema.json
    """
    from storyline.model import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


def demo(db: DbOption = None) -> None:
    """Summarise a stored collection: articles, most-mentioned people and places, and the seed article.

    Example:

        storyline demo --db sqlite:///storyline.db
    """
    from rich.table import Table

    from storyline.render import print_analysis
    from storyline.store import Store

    with Store(db) as store:
        counts = store.counts()
        out.print(
            f"[bold]{counts.get('articles', 0)} articles[/bold] stored; "
            + ", ".join(f"{n} {table}" for table, n in counts.items() if table != "articles")
        )
        for label, heading in (("PERSON", "people"), ("ORG", "organisations"), ("GPE", "places")):
            table = Table("name", "articles", title=f"Most-mentioned {heading}")
            for row in store.top_entities(label, 10):
                table.add_row(row.name, str(row.articles))
            out.print(table)
        seed = store.get_analysis("seed-cnn-amri")
    if seed is not None:
        out.rule("The seed article")
        print_analysis(out, seed)


def bench(
    corpus: Annotated[Path, typer.Option(help="A JSONL corpus in the shared data format.")],
    n: Annotated[int, typer.Option(help="Analyse this many articles.")] = 100,
    batch_size: Annotated[int, typer.Option(help="Articles per spaCy batch.")] = 16,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the figures here.")] = None,
) -> None:
    """Throughput of the full analysis against spaCy alone on the same articles, and peak memory.

    Example:

        storyline bench --corpus ../shared/data/corpus/wikinews-2019-2020.jsonl --n 293
    """
    from storyline.bench import print_report, run_bench

    report = run_bench(corpus, n=n, batch_size=batch_size)
    print_report(out, report)
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def register(app: typer.Typer) -> None:
    """Add the core commands to the ``storyline`` app."""
    for command in (extract, ingest, search, schema, demo, bench):
        app.command()(command)
