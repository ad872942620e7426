"""Train the casualty-count chooser (:func:`storyline.evaluate.casualties.choose`) on the development
half of the GVA incidents and write src/storyline/resources/casualties/chooser.json.

The rules give one answer per article; an article's events often give several counts (an early "one
person was shot", a later "the 17-year-old died", the headline's "1 dead, 3 injured"). The chooser is
a logistic regression over those candidate counts (features: :func:`candidates`), one model for killed
and one for injured, trained only on incidents of the development half (training/split_casualties.py)
so the held-out half stays unseen.

    .venv/bin/python training/train_casualties.py [--data ../shared/data/casualties/gva-dev.jsonl]
        [--analyses FILE.jsonl] [--out src/storyline/resources/casualties/chooser.json]

``--analyses`` reads Analyses already computed (JSON lines of {"gold": ..., "analysis": ...}) instead
of running the pipeline on the development half (several minutes).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

from split_casualties import DEFAULT_DATA, is_development  # noqa: E402

from storyline.evaluate.casualties import FEATURES, candidates, rule_figures  # noqa: E402
from storyline.model import Analysis  # noqa: E402

DEFAULT_OUT = ROOT / "src" / "storyline" / "resources" / "casualties" / "chooser.json"


def _from_file(path: Path) -> Iterator[tuple[dict[str, Any], Analysis]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if is_development(str(record["gold"]["incident_id"])):
            yield record["gold"], Analysis.model_validate(record["analysis"])


def _from_pipeline(data: Path) -> Iterator[tuple[dict[str, Any], Analysis]]:
    from storyline.evaluate.data import load_corpus
    from storyline.pipeline import analyze_many, load

    docs = [d for d in load_corpus([data]).docs if is_development(str(d.gold["incident_id"]))]
    nlp = load(stages=("entities", "times", "places", "claims", "events"))
    for doc, result in zip(docs, analyze_many(nlp, (d.article for d in docs)), strict=True):
        if isinstance(result, Analysis):
            yield doc.gold, result


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--analyses", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    pairs = list(_from_file(args.analyses) if args.analyses else _from_pipeline(args.data))
    model: dict[str, Any] = {"features": list(FEATURES), "weights": {}, "bias": {}, "articles": len(pairs)}
    for kind in ("killed", "injured"):
        rows: list[list[float]] = []
        labels: list[int] = []
        for gold, analysis in pairs:
            rule = rule_figures(analysis)
            if rule is None:
                continue
            for value, features in candidates(analysis, kind, rule):
                rows.append(features)
                labels.append(int(value == gold[kind]))
        fit = LogisticRegression(C=1.0, max_iter=1000).fit(rows, labels)
        model["weights"][kind] = [round(float(w), 6) for w in fit.coef_[0]]
        model["bias"][kind] = round(float(fit.intercept_[0]), 6)
        print(f"{kind}: {len(rows)} candidates, {sum(labels)} right")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(pairs)} development articles)")


if __name__ == "__main__":
    main()
