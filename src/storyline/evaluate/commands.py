"""CLI commands of the evaluation harness: ``storyline eval``, ``eval-all`` and ``eval-gate``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from storyline.errors import StorylineError

if TYPE_CHECKING:
    from storyline.evaluate.harness import TaskResult

out = Console()
err = Console(stderr=True)

BATCH_SIZE = 32


def _fail(exc: StorylineError, code: int = 1) -> typer.Exit:
    err.print(f"[red]{exc}[/red]", highlight=False)
    return typer.Exit(code)


def _table(result: TaskResult, title: str) -> Table:
    from storyline.evaluate.report import fmt

    base = result.baseline
    table = Table(title=title)
    table.add_column("metric")
    table.add_column("Storyline", justify="right")
    if base is not None:
        table.add_column(f"baseline: {base.name}", justify="right")
    for metric, value in result.storyline.metrics.items():
        row = [metric, fmt(value, metric) if result.storyline.available else "n/a"]
        if base is not None:
            row.append(fmt(base.metrics.get(metric), metric))
        table.add_row(*row)
    return table


def eval_command(
    task: Annotated[
        str, typer.Argument(help="timex, geo, quotes, casualties, fivew1h, templates, stories, summaries.")
    ],
    files: Annotated[list[Path], typer.Argument(help="Gold files in ../shared/data/FORMAT.md (JSON Lines).")],
    *,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write task, files, n_docs, metrics and per_doc here.")
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            help="Also run the task's baseline: dateparser, gazetteer, textacy, nearest-number, lead-ner, "
            "svo, tfidf or lead3."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles of each file.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per nlp.pipe batch.")] = BATCH_SIZE,
) -> None:
    """Score Storyline on a task's gold files (and, with --baseline, a named peer on the same articles).

    Example:

        storyline eval timex ../shared/data/timex/timebank.jsonl --baseline dateparser --json timex.json
    """
    from storyline.evaluate.harness import evaluate

    try:
        result = evaluate(task, files, limit=limit, baseline=baseline, batch_size=batch_size)
    except StorylineError as exc:
        raise _fail(exc, 2 if exc.code in {"E009", "E060"} else 1) from None
    data = result.to_json()
    for problem in result.read_problems[:5]:
        err.print(f"[yellow]skipped: {problem}[/yellow]", highlight=False)
    title = f"{task}: {result.n_docs} articles from {len(files)} file(s)"
    out.print(_table(result, title))
    if not result.storyline.available:
        out.print(f"Storyline: {result.storyline.note}")
    for system in filter(None, (result.storyline, result.baseline)):
        for kind, issue in system.issues.items():
            out.print(f"{system.name}: {kind} {issue['count']}, e.g. {issue['examples'][0]}", highlight=False)
        if system.failures:
            failed = f"{len(system.failures)} articles failed, e.g. {system.failures[0]}"
            out.print(f"{system.name}: {failed}", highlight=False)
    if result.read_problems:
        out.print(f"{len(result.read_problems)} unreadable records skipped")
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        out.print(f"wrote {json_out}")


def eval_all_command(
    shared: Annotated[Path, typer.Option(help="The shared folder that holds data/.")] = Path("../shared"),
    out_dir: Annotated[Path, typer.Option("--out", help="Where report.md, report.json and runs/ go.")] = Path(
        "eval"
    ),
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles of each file.")] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes (one (task, file) each at a time).")] = 2,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per nlp.pipe batch.")] = BATCH_SIZE,
) -> None:
    """Run every task on every dev set with Storyline and its baseline; write eval/report.md and .json.

    Per-article rows of each run go to OUT/runs/ (not committed).

    Example:

        storyline eval-all --shared ../shared --out eval
    """
    from storyline.evaluate import report
    from storyline.evaluate.harness import evaluate_all

    def progress(task: str, relative: str, result: TaskResult) -> None:
        base = result.baseline
        seconds = result.storyline.seconds
        out.print(
            f"{task:<10} {relative:<40} {result.n_docs:>5} articles  Storyline {seconds:6.1f} s"
            + (f"  {base.name} {base.seconds:6.1f} s" if base else ""),
            highlight=False,
        )
        runs = out_dir / "runs"
        runs.mkdir(parents=True, exist_ok=True)
        path = runs / f"{task}-{Path(relative).stem}.json"
        path.write_text(json.dumps(result.to_json(), ensure_ascii=False) + "\n", encoding="utf-8")

    started = time.perf_counter()
    try:
        results = evaluate_all(
            shared / "data", limit=limit, jobs=jobs, batch_size=batch_size, progress=progress
        )
    except StorylineError as exc:
        raise _fail(exc) from None
    except RuntimeError as exc:  # a worker's StorylineError, as text
        err.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(1) from None
    wall = time.perf_counter() - started
    document = report.build(results, shared=str(shared), wall_time_s=wall, jobs=jobs, limit=limit)
    json_path, md_path = report.write(document, out_dir)
    out.print(f"wrote {md_path} and {json_path} in {wall:.0f} s")


def eval_gate_command(
    report_path: Annotated[Path, typer.Option("--report", help="A report written by eval-all.")] = Path(
        "eval/report.json"
    ),
    floors_path: Annotated[Path, typer.Option("--floors", help="task -> file -> metric -> floor.")] = Path(
        "eval/floors.json"
    ),
    raise_: Annotated[
        bool, typer.Option("--raise", help="Move floors up to just under the report's scores (never down).")
    ] = False,
) -> None:
    """Fail (exit 1) when a Storyline score in the report fell below its floor, listing each drop.

    Example:

        storyline eval-gate --report eval/report.json --floors eval/floors.json
        storyline eval-gate --raise     # after an improvement: ratchet the floors up
    """
    from storyline.evaluate import gate

    try:
        report = gate.load_report(report_path)
        floors = gate.load_floors(floors_path, missing_ok=raise_)
    except StorylineError as exc:
        raise _fail(exc) from None
    drops = gate.check(report, floors)
    for drop in drops:
        err.print(f"[red]{drop}[/red]", highlight=False)
    if raise_:
        new, changes = gate.raise_floors(report, floors)
        gate.write_floors(floors_path, new)
        for change in changes:
            out.print(change, highlight=False)
        out.print(f"{len(changes)} floors raised or added in {floors_path}")
    if drops:
        err.print(f"eval gate: {len(drops)} scores fell past their floors")
        raise typer.Exit(1)
    if not raise_:
        n = sum(len(metrics) for files in floors.values() for metrics in files.values())
        out.print(f"eval gate: all {n} floors hold")


def register(app: typer.Typer) -> None:
    """Add the evaluation commands to the ``storyline`` app."""
    app.command("eval")(eval_command)
    app.command("eval-all")(eval_all_command)
    app.command("eval-gate")(eval_gate_command)
