"""Measure a learned casualty-count chooser against the product's rules on the GVA incidents.

The product gives each event its incident totals (:func:`storyline.components.events.incident_totals`)
and the GVA adapter reads the main event's figures (:func:`storyline.evaluate.casualties.from_analysis`).
An article's events often give several counts (an early "one person was shot", a later "the
17-year-old died", the headline's "1 dead, 3 injured"); the chooser is a logistic regression over
those candidate counts (features: :func:`candidates`), one model for killed and one for injured,
trained only on incidents of the development half (training/split_casualties.py) and scored on the
held-out half. It was shipped until issue 7 (resources/casualties/chooser.json); measured after the
incident totals moved into the events stage it no longer beat the rules on the held-out half, so it
is no longer shipped and this script stays as the measurement (rerun it after changing the rules).

    .venv/bin/python training/train_casualties.py [--data ../shared/data/casualties/gva-dev.jsonl]
        [--analyses FILE.jsonl] [--dump FILE.jsonl]

``--analyses`` reads Analyses already computed (JSON lines of {"gold": ..., "analysis": ...}) instead
of running the pipeline on the whole file (about ten minutes); ``--dump`` writes them for a rerun.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

from split_casualties import DEFAULT_DATA, is_development  # noqa: E402

from storyline.evaluate.casualties import REPORTED, CasualtyPred, count, from_analysis, main_event  # noqa: E402
from storyline.model import Analysis  # noqa: E402

FEATURES = (
    "is_rule", "in_title", "in_main", "first_position", "n_events", "is_max", "is_zero", "log_value",
    "exact", "most_salient", "injured_equals_killed",
)  # fmt: skip
Pair = tuple[dict[str, Any], Analysis]


def candidates(analysis: Analysis, kind: str, rule: CasualtyPred) -> list[tuple[int, list[float]]]:
    """Every count of ``kind`` the article's reported events give, plus 0 and the rules' answer, each
    with the evidence for it: where it is said (title, main event, how early), how often, whether it
    is the largest, exact, the rules' choice; and for injured, whether it repeats the killed figure
    (a victim counted once as shot and once as dead)."""
    length = max(1, len(analysis.article.text))
    events = [e for e in analysis.events if e.status in REPORTED]
    main = main_event(analysis)
    rule_value = getattr(rule, kind) or 0
    values = {0, rule_value} | {v for e in events if (v := count(getattr(e, kind))) is not None}
    top = max(values)
    best_salience = max((e.salience or 0.0 for e in events), default=0.0)
    out = []
    for v in sorted(values):
        giving = [e for e in events if count(getattr(e, kind)) == v]
        positions = [-0.1 if e.trigger.field == "title" else e.trigger.start / length for e in giving]
        features = [
            v == rule_value,
            any(e.trigger.field == "title" for e in giving),
            main is not None and count(getattr(main, kind)) == v,
            min(positions, default=1.0),
            math.log1p(len(giving)),
            v == top,
            v == 0,
            math.log1p(v),
            any(getattr(e, kind).value is not None for e in giving),
            any(e.salience is not None and e.salience == best_salience for e in giving),
            kind == "injured" and v == (rule.killed or 0),
        ]
        out.append((v, [float(f) for f in features]))
    return out


def _from_file(path: Path) -> Iterator[Pair]:
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        yield record["gold"], Analysis.model_validate(record["analysis"])


def _from_pipeline(data: Path) -> Iterator[Pair]:
    from storyline.evaluate.data import load_corpus
    from storyline.pipeline import analyze_many, load

    docs = load_corpus([data]).docs
    nlp = load(stages=("entities", "times", "places", "claims", "events"))
    for doc, result in zip(docs, analyze_many(nlp, (d.article for d in docs)), strict=True):
        if isinstance(result, Analysis):
            yield doc.gold, result


def _accuracy(pairs: list[Pair], predict: Callable[[Analysis], CasualtyPred | None]) -> str:
    killed = injured = both = 0
    for gold, analysis in pairs:
        pred = predict(analysis)
        k, i = (pred.killed or 0, pred.injured or 0) if pred is not None else (0, 0)
        killed += k == gold["killed"]
        injured += i == gold["injured"]
        both += k == gold["killed"] and i == gold["injured"]
    n = max(1, len(pairs))
    return f"killed {killed / n:.3f} injured {injured / n:.3f} both {both / n:.3f}"


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--analyses", type=Path, default=None)
    ap.add_argument("--dump", type=Path, default=None)
    args = ap.parse_args()
    pairs = list(_from_file(args.analyses) if args.analyses else _from_pipeline(args.data))
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as out:
            for gold, analysis in pairs:
                out.write(json.dumps({"gold": gold, "analysis": analysis.model_dump(mode="json")}) + "\n")
    dev = [p for p in pairs if is_development(str(p[0]["incident_id"]))]
    held = [p for p in pairs if not is_development(str(p[0]["incident_id"]))]
    models = {}
    for kind in ("killed", "injured"):
        rows: list[list[float]] = []
        labels: list[int] = []
        for gold, analysis in dev:
            rule = from_analysis(analysis)
            if rule is None:
                continue
            for value, features in candidates(analysis, kind, rule):
                rows.append(features)
                labels.append(int(value == gold[kind]))
        models[kind] = LogisticRegression(C=1.0, max_iter=1000).fit(rows, labels)

    def chooser(analysis: Analysis) -> CasualtyPred | None:
        rule = from_analysis(analysis)
        if rule is None:
            return None
        picked: dict[str, int | None] = {}
        for kind in ("killed", "injured"):
            options = candidates(analysis, kind, rule)
            scores = models[kind].decision_function([f for _, f in options])
            best = options[max(range(len(options)), key=lambda i: scores[i])][0]
            picked[kind] = None if best == 0 and getattr(rule, kind) is None else best
        return CasualtyPred(picked["killed"], picked["injured"], rule.date, rule.city)

    for name, part in (("development half", dev), ("held-out half", held), ("whole file", pairs)):
        rules, learned = _accuracy(part, from_analysis), _accuracy(part, chooser)
        print(f"{name} ({len(part)}): rules {rules} | chooser {learned}")


if __name__ == "__main__":
    main()
