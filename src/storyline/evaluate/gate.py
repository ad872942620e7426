"""The eval gate: Storyline's scores in ``eval/report.json`` must not fall below ``eval/floors.json``.

``floors.json`` maps task -> file -> metric -> floor. A floor is set just under the score it was
raised from (:func:`floor_for`): two hundredths under for a fraction (``floor(score*100 - 1)/100``),
so that a rerun's noise passes and a real drop does not. Metrics where lower is better (errors in km,
MAE) get a *ceiling* instead, just above the score. :func:`raise_floors` only ever moves a floor up
(a ceiling down) and adds floors for new scores; nothing here lowers one.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError
from storyline.evaluate.harness import tasks
from storyline.evaluate.report import SCHEMA

Floors = dict[str, dict[str, dict[str, float]]]


def lower_is_better(task: str, metric: str) -> bool:
    known = tasks()
    return task in known and metric in known[task].lower_is_better


def floor_for(score: float, lower: bool, metric: str = "") -> float:
    """The floor (or, when lower is better, the ceiling) just past a score."""
    if not lower:
        return max(0.0, math.floor(score * 100 - 1) / 100)
    if metric.endswith("_km"):
        return float(math.ceil(score * 1.01 + 1))  # 1 % and 1 km of slack, whole km
    return math.ceil(score * 100 + 1) / 100


def load_report(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StorylineError("E062", path=path, reason=str(exc)) from exc
    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        raise StorylineError("E062", path=path, reason=f"expected schema {SCHEMA!r}")
    return report


def load_floors(path: Path, missing_ok: bool = False) -> Floors:
    if missing_ok and not path.exists():
        return {}
    try:
        floors: Floors = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StorylineError("E063", path=path, reason=str(exc)) from exc
    valid = isinstance(floors, dict) and all(
        isinstance(files, dict)
        and all(
            isinstance(metrics, dict) and all(isinstance(v, int | float) for v in metrics.values())
            for metrics in files.values()
        )
        for files in floors.values()
    )
    if not valid:
        raise StorylineError("E063", path=path, reason="expected task -> file -> metric -> number")
    return floors


def scores(report: dict[str, Any]) -> dict[tuple[str, str, str], float]:
    """Storyline's defined scores in a report, by (task, file, metric)."""
    found = {}
    for task, files in report["results"].items():
        for relative, entry in files.items():
            system = entry["storyline"]
            if not system.get("available", True):
                continue
            for metric, value in system["metrics"].items():
                if value is not None:
                    found[task, relative, metric] = float(value)
    return found


def check(report: dict[str, Any], floors: Floors) -> list[str]:
    """One message per score below its floor (above its ceiling), or missing though it has a floor."""
    have = scores(report)
    drops = []
    for task, files in floors.items():
        for relative, metrics in files.items():
            for metric, floor in metrics.items():
                fields = {"task": task, "file": relative, "metric": metric, "floor": floor}
                score = have.get((task, relative, metric))
                if score is None:
                    drops.append(str(StorylineError("E066", **fields)))
                elif lower_is_better(task, metric) and score > floor:
                    drops.append(str(StorylineError("E065", score=round(score, 4), **fields)))
                elif not lower_is_better(task, metric) and score < floor:
                    drops.append(str(StorylineError("E064", score=round(score, 4), **fields)))
    return drops


def raise_floors(report: dict[str, Any], floors: Floors) -> tuple[Floors, list[str]]:
    """Floors moved up to just under the report's scores (never down), and what changed."""
    new: Floors = {task: {f: dict(m) for f, m in files.items()} for task, files in floors.items()}
    changes = []
    for (task, relative, metric), score in sorted(scores(report).items()):
        lower = lower_is_better(task, metric)
        proposed = floor_for(score, lower, metric)
        metrics = new.setdefault(task, {}).setdefault(relative, {})
        old = metrics.get(metric)
        if old is None or (proposed < old if lower else proposed > old):
            metrics[metric] = proposed
            changes.append(f"{task} {relative} {metric}: {old if old is not None else 'none'} -> {proposed}")
    return new, changes


def write_floors(path: Path, floors: Floors) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
