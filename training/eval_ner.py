"""Entity quality: spaCy alone vs the entities stage on the hand-annotated Wikinews sample.

    .venv/bin/python training/eval_ner.py [--shared ../shared]

Prints PERSON/ORG/GPE/LOC precision, recall and F1 (exact and overlapping spans) for the raw
spaCy NER and for Storyline's repaired entities. Not yet a `storyline eval` task: the gold is in
tests/fixtures/ner, not in ../shared/data.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from storyline.evaluate.entities import LABELS, Counts, LabelledSpan, match, predicted_spans
from storyline.ingest.base import make_article
from storyline.pipeline import analyze_many, load

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "ner" / "wikinews-ner-gold.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    corpus = args.shared / "data" / "corpus" / "wikinews-2019-2020.jsonl"
    with corpus.open(encoding="utf-8") as fh:
        texts = {r["id"]: r["text"] for r in map(json.loads, fh)}
    with GOLD.open(encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh]
    nlp = load(stages=("entities",))
    articles = [make_article(texts[g["id"]], id=g["id"]) for g in gold]
    totals = {k: {label: Counts() for label in LABELS} for k in ("spacy", "storyline")}
    for g, analysis in zip(gold, analyze_many(nlp, articles), strict=True):
        assert not isinstance(analysis, Exception), analysis
        limit = g["annotated_chars"]
        truth = [LabelledSpan(e["start"], e["end"], e["label"]) for e in g["entities"]]
        doc = nlp.make_doc(texts[g["id"]])
        for pipe_name, proc in nlp.pipeline:
            if not pipe_name.startswith("storyline_"):
                doc = proc(doc)
        raw = [LabelledSpan(e.start_char, e.end_char, e.label_) for e in doc.ents if e.end_char <= limit]
        for name, pred in (("spacy", raw), ("storyline", predicted_spans(analysis, limit))):
            for label, c in match(pred, truth, exact=True).items():
                t = totals[name][label]
                t.tp, t.fp, t.fn = t.tp + c.tp, t.fp + c.fp, t.fn + c.fn
    print("exact-span P / R / F1 on", len(gold), "articles")
    for name, counts in totals.items():
        cells = [f"{label} {'/'.join(f'{x:.3f}' for x in counts[label].prf())}" for label in LABELS]
        print(f"{name:10s}", "  ".join(cells))


if __name__ == "__main__":
    main()
