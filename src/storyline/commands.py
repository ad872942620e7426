"""The core CLI commands: extract, ingest, stories, story, search, schema, demo, bench. Thin wrappers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from storyline.defaults import DEFAULT_BATCH_SIZE, DEFAULT_COMMIT_EVERY, DEFAULT_SIMILARITY
from storyline.errors import Problem

if TYPE_CHECKING:
    from rich.table import Table

    from storyline.model import Story
    from storyline.store.db import StoryRow

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


def ingest(  # noqa: PLR0917 - one parameter per CLI option
    paths: Annotated[
        list[str],
        typer.Argument(help="Files or folders: .txt .html .jsonl .csv .warc .arc .rss .atom .urls"),
    ],
    db: DbOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs without one.", callback=_check_date)
    ] = None,
    source: Annotated[str | None, typer.Option(help="The publisher, for inputs without one.")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per spaCy batch.")] = DEFAULT_BATCH_SIZE,
    workers: Annotated[int, typer.Option(help="Worker processes (local) or Ray actors.", min=1)] = 1,
    engine: Annotated[str, typer.Option(help="local, or ray (needs the scale extra).")] = "local",
    address: Annotated[
        str | None, typer.Option(help="Ray cluster address (auto inside a cluster); default: start one.")
    ] = None,
    language: Annotated[
        str, typer.Option(help="Languages to analyse, comma-separated; others are skipped. '' for all.")
    ] = "en",
    dedup: Annotated[bool, typer.Option(help="Store near-duplicates once, with every url.")] = True,
    similarity: Annotated[
        float, typer.Option(help="Jaccard similarity from which articles are one.")
    ] = DEFAULT_SIMILARITY,
    resume: Annotated[
        bool, typer.Option(help="Skip what an earlier run of the same inputs committed.")
    ] = True,
    stages: Annotated[str | None, typer.Option(help="Stages to run, comma-separated (default all).")] = None,
    commit_every: Annotated[
        int, typer.Option(help="Records committed per transaction (a crash redoes at most these).", min=1)
    ] = DEFAULT_COMMIT_EVERY,
    stories: Annotated[
        bool, typer.Option(help="Cluster the stored articles into stories as they are committed.")
    ] = True,
    embed: Annotated[
        bool,
        typer.Option(
            help="A new store clusters stories with sentence embeddings and a learned pair model "
            "(needs the embed extra; a store keeps the clustering it began with)."
        ),
    ] = False,
) -> None:
    """Analyse articles and store them (resumable, deduplicating); the same input twice changes nothing.

    Progress is recorded per input file and record: after a crash (even kill -9) the same command
    continues where it stopped. Non-English articles are skipped with a reason; near-duplicates
    (syndicated copies, updated versions) are stored once with every url they were seen at.

    Examples:

        storyline ingest data/sample --db sqlite:///storyline.db

        storyline ingest crawl/*.warc.gz --workers 2

        storyline ingest --engine ray --address auto 'shards/' --db postgresql+psycopg://host/db

        storyline ingest crawl/ --no-stories   (then: storyline stories --rebuild)

        storyline ingest data/sample --embed --db sqlite:///embedded.db
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from storyline.errors import StorylineError
    from storyline.pipeline import STAGES
    from storyline.scale.ingest import ENGINES, IngestOptions, IngestReport, run_ingest
    from storyline.scale.plan import PlanOptions

    if engine not in ENGINES:
        raise typer.BadParameter(f"choose one of {', '.join(ENGINES)}", param_hint="--engine")
    chosen = tuple(s.strip() for s in stages.split(",") if s.strip()) if stages is not None else STAGES
    unknown = [s for s in chosen if s not in STAGES]
    if unknown:
        raise typer.BadParameter(f"unknown stage(s) {', '.join(unknown)}", param_hint="--stages")
    if embed and stories:
        _check_embed(db)
    options = IngestOptions(
        engine=engine,
        workers=workers,
        address=address,
        batch_size=batch_size,
        stages=chosen,
        commit_every=commit_every,
        stories=stories,
        embed_stories=embed,
        plan=PlanOptions(
            published=published,
            source=source,
            languages=tuple(code.strip() for code in language.split(",") if code.strip()),
            dedup=dedup,
            threshold=similarity,
            resume=resume,
        ),
    )
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task("", total=None)

        def on_record(report: IngestReport) -> None:
            progress.update(task, advance=1, description=f"{report.tally['read']} read")

        try:
            report = run_ingest(paths, db, options, on_record)
        except StorylineError as exc:
            err.print(f"[red]error[/red] {exc}")
            raise typer.Exit(2) from exc
    for problem in report.problems:
        err.print(f"[red]error[/red] {problem}")
    tally = report.tally
    keys = ["read", "stored", "updated", "skipped as duplicate", "duplicate", "failed"]
    keys += sorted(k for k in tally if k.startswith("skipped: language"))
    keys += [k for k in ("inputs already done", "records resumed past") if tally.get(k)]
    out.print(", ".join(f"{tally[k]} {k}" for k in keys))
    if report.stories:
        out.print(
            f"stories: {report.stories['clustered']} articles clustered, "
            f"{report.stories['written']} story records written, {report.stories['deleted']} merged away"
        )
    stored = tally["stored"] + tally["updated"] + tally["skipped as duplicate"] + tally["duplicate"]
    if report.problems and not stored and not tally["inputs already done"]:
        raise typer.Exit(1)


def _date_range(first: str | None, last: str | None) -> str:
    first, last = (first or "")[:10], (last or "")[:10]
    return first if first == last else f"{first} – {last}"


def _stories_table(rows: list[StoryRow]) -> Table:
    from rich.markup import escape
    from rich.table import Table

    table = Table("id", "title", "articles", "published")
    for row in rows:
        table.add_row(
            row.id,
            escape(row.title or ""),
            str(row.n_articles),
            _date_range(row.first_published, row.last_published),
        )
    return table


def _check_embed(db: str | None) -> None:
    """Before an ingest --embed reads anything: the extra must be there, and a store that already
    clusters without embeddings keeps doing so (say how to switch)."""
    from storyline.errors import StorylineError
    from storyline.store import Store
    from storyline.stories import embedding

    if not embedding.available():
        raise typer.BadParameter(str(StorylineError("E048")), param_hint="--embed")
    with Store(db) as store:
        state = store.story_state()
    if state is not None and state.get("settings", {}).get("scorer") != "learned":
        err.print(
            "note: this store's stories are clustered without embeddings and stay so; "
            "storyline stories --rebuild --embed switches it"
        )


def stories(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="At most this many stories.", min=0)] = 50,
    min_articles: Annotated[
        int, typer.Option(help="Only stories of at least this many articles (1: every article).", min=1)
    ] = 2,
    rebuild: Annotated[
        bool, typer.Option(help="Recluster every stored article from scratch first (one transaction).")
    ] = False,
    embed: Annotated[
        bool | None,
        typer.Option(
            "--embed/--no-embed",
            help="With --rebuild: recluster with sentence embeddings and the learned pair model (embed "
            "extra), or with the weighted evidence; default: the store's current clustering.",
        ),
    ] = None,
) -> None:
    """List the stored stories: id, title, number of articles, first and last publication date.

    Stories are made as articles are ingested (storyline ingest); --rebuild reclusters the whole
    store (after an ingest with --no-stories, or a new clustering model).

    Examples:

        storyline stories

        storyline stories --min-articles 1 --limit 100

        storyline stories --rebuild --db sqlite:///storyline.db

        storyline stories --rebuild --embed
    """

    from storyline.store import Store

    with Store(db) as store:
        if rebuild:
            from storyline.store.stories import StoryKeeper
            from storyline.stories.clustering import Scorer

            scorer: Scorer | None = None if embed is None else ("learned" if embed else "weighted")
            changes = StoryKeeper(store, scorer).rebuild()
            err.print(f"reclustered {changes.clustered} articles into {len(changes.written)} stories")
        rows = store.list_stories(limit=limit, min_articles=min_articles)
        state = store.story_state()
    out.print(_stories_table(rows))
    scorer = (state or {}).get("settings", {}).get("scorer")
    how = f"; clustered by {SCORER_NAMES.get(scorer, scorer)}" if scorer else ""
    out.print(
        f"{len(rows)} stor{'y' if len(rows) == 1 else 'ies'} of at least {min_articles} article(s){how}"
    )


#: How ``storyline stories`` names a store's clustering scorer.
SCORER_NAMES = {
    "weighted": "weighted evidence (words, names, places, event types, dates)",
    "learned": "a learned pair model over sentence embeddings (--embed)",
}


def story(
    story_id: Annotated[str, typer.Argument(help="A story id, as storyline stories lists them.")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json (storyline.story/1).")] = "table",
) -> None:
    """Print a story: its articles, the timeline of its events with every source's figures, its brief.

    Examples:

        storyline story s3f9a1c2

        storyline story s3f9a1c2 --format json > story.json
    """
    from storyline.errors import StorylineError
    from storyline.model import dump
    from storyline.store import Store

    if fmt not in {"json", "table"}:
        raise typer.BadParameter("--format must be table or json", param_hint="--format")
    try:
        with Store(db) as store:
            record = store.get_story(story_id)
    except StorylineError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from exc
    if record is None:
        err.print(f"[red]error[/red] {StorylineError('E047', story=story_id)}")
        raise typer.Exit(1)
    if fmt == "json":
        sys.stdout.write(json.dumps(dump(record), ensure_ascii=False, indent=2) + "\n")
        return
    print_story(record)


def print_story(record: Story) -> None:
    """The terminal view of a story: articles, timeline (one row per merged event), brief."""
    from rich.markup import escape
    from rich.table import Table

    from storyline.store.stories import figures_text

    out.rule(escape(record.title or record.id))
    articles = Table("published", "source", "title", "score", title=f"{len(record.articles)} article(s)")
    for a in record.articles:
        articles.add_row(
            (a.published or "")[:10], escape(a.source or ""), escape(a.title or a.article), f"{a.score:.2f}"
        )
    out.print(articles)
    timeline = Table("when", "granularity", "type", "label", "place", "killed", "injured", title="Timeline")
    for event in record.events:
        timeline.add_row(
            event.when or "undated",
            event.granularity or "",
            event.type + (f" ({event.status})" if event.status != "occurred" else ""),
            escape(event.label),
            escape(event.where.name) if event.where else "",
            escape(figures_text(event, "killed")),
            escape(figures_text(event, "injured")),
        )
    out.print(timeline if record.events else "No event found in this story (none found).")
    names = {
        a.article: " ".join(x for x in (a.source, (a.published or "")[:10]) if x) or a.article
        for a in record.articles
    }
    out.rule("Brief")
    if not record.brief:
        out.print("No brief (none found).")
    for number, sentence in enumerate(record.brief, 1):
        cited = sorted({names.get(s.article, s.article) for s in sentence.sources})
        out.print(f"{number}. {escape(sentence.text)} [dim]\\[{escape('; '.join(cited))}][/dim]")


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
    """Summarise a stored collection: articles, most-mentioned people and places, the seed article, stories.

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
        multi = store.list_stories(limit=20, min_articles=2)
        seed = store.get_analysis("seed-cnn-amri")
    out.rule("Stories of several articles")
    if multi:
        out.print(_stories_table(multi))
        out.print(f"See one with: storyline story {multi[0].id}")
    else:
        out.print("No story of several articles (none found); storyline stories --rebuild reclusters.")
    if seed is not None:
        out.rule("The seed article")
        print_analysis(out, seed)


def bench(
    corpus: Annotated[Path, typer.Option(help="A JSONL corpus in the shared data format.")],
    n: Annotated[int, typer.Option(help="Analyse this many articles.")] = 100,
    batch_size: Annotated[int, typer.Option(help="Articles per spaCy batch.")] = DEFAULT_BATCH_SIZE,
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
    for command in (extract, ingest, stories, story, search, schema, demo, bench):
        app.command()(command)
