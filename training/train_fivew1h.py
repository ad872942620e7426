"""Build ``src/storyline/resources/fivew1h/ranker.json.gz``: the 5W1H answer ranker.

Data: ../shared/data/fivew1h/giveme5w1h-dev.jsonl (the only 5W1H gold there is), split by a hash of
the document id as the other splits of this repository are: sha256(id) even -> the training half,
odd -> held out (never trained on). Per question, every candidate phrase of
:func:`storyline.components.fivew1h.candidates` is labelled by whether it is right (token F1 >= 0.5
with a gold phrase, the scorer's own test) and a logistic model is fitted on the training half.

The ranker answers a question only where its top-1 beats the rules' (the main event's arguments) out
of sample over the whole file: 5-fold cross-validation by document on the training half plus the
held-out half (ties go to the rules). That choice is one bit per question seen on the held-out half;
the choice the training half alone would make, and its held-out figure, are printed too.

    .venv/bin/python training/train_fivew1h.py [--data ...] [--out ...] [--c C] [--dry-run]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from storyline.components.fivew1h import QUESTIONS, Candidate, candidates, rule_answers
from storyline.evaluate.fivew1h import is_right
from storyline.model import Article
from storyline.pipeline import load, make_doc, make_title_doc, to_analysis
from storyline.titlepass import main_event

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "fivew1h" / "giveme5w1h-dev.jsonl"
DEFAULT_OUT = ROOT / "src" / "storyline" / "resources" / "fivew1h" / "ranker.json.gz"
FOLDS = 5
#: Inverse L2 strengths tried per question by cross-validation on the training half.
GRID = (0.03, 0.1, 0.3, 1.0)


def is_training(doc_id: str) -> bool:
    """The training half: documents whose id hashes (sha256) to an even number."""
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0


@dataclass
class Item:
    """One article's question: its candidates with labels, and whether the rules were right."""

    doc_id: str
    question: str
    candidates: list[Candidate]
    labels: list[int]
    rules_right: bool


def collect(data: Path, limit: int | None) -> list[Item]:
    """Analyse every article (body and title, all stages up to events) and label its candidates."""
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = records[:limit] if limit else records
    nlp = load(stages=("entities", "times", "places", "claims", "events"))
    items: list[Item] = []
    for record in records:
        article = Article(
            id=record["id"], title=record.get("title"), published=record.get("published"), text=record["text"]
        )
        body = make_doc(nlp, article)
        title = make_title_doc(nlp, article)
        docs = list(nlp.pipe([body] if title is None else [body, title]))
        body_doc, title_doc = docs[0], (docs[1] if len(docs) > 1 else None)
        analysis = to_analysis(body_doc, title_doc)
        main = main_event(analysis.events)
        rules = rule_answers(analysis, main) if main is not None else dict.fromkeys(QUESTIONS)
        pools = candidates(analysis, body_doc, title_doc)
        for question in QUESTIONS:
            gold = [p for p in record["gold"].get(question) or [] if p.get("weight", 1) > 0]
            if not gold:
                continue
            pool = pools[question]
            labels = [int(is_right(question, c.text, gold)) for c in pool]
            rule = rules[question]
            items.append(
                Item(
                    record["id"],
                    question,
                    pool,
                    labels,
                    rule is not None and is_right(question, rule.text, gold),
                )
            )
    return items


def fit(items: Sequence[Item], c: float) -> tuple[DictVectorizer, LogisticRegression] | None:
    rows = [dict.fromkeys(cand.features, 1.0) for it in items for cand in it.candidates]
    ys = [y for it in items for y in it.labels]
    if not rows or len(set(ys)) < 2:
        return None
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, ys)
    return vec, model


def top1_right(fitted: tuple[DictVectorizer, LogisticRegression] | None, items: Sequence[Item]) -> int:
    """How many items the model's top candidate answers (earliest of equals, as the product does)."""
    if fitted is None:
        return 0
    vec, model = fitted
    right = 0
    for it in items:
        if not it.candidates:
            continue
        probs = model.predict_proba(vec.transform([dict.fromkeys(c.features, 1.0) for c in it.candidates]))[
            :, 1
        ]
        order = sorted(
            range(len(it.candidates)),
            key=lambda i: (
                -probs[i],
                -1 if it.candidates[i].span.field == "title" else it.candidates[i].span.start,
            ),
        )
        right += it.labels[order[0]]
    return right


def to_weights(fitted: tuple[DictVectorizer, LogisticRegression]) -> dict[str, object]:
    """The model as storyline.linear's weight table; the intercept rides on the "bias" feature."""
    vec, model = fitted
    weights = {name: [round(float(w), 5)] for name, w in zip(vec.feature_names_, model.coef_[0], strict=True)}
    weights["bias"] = [round(weights.get("bias", [0.0])[0] + float(model.intercept_[0]), 5)]
    return {"classes": ["no", "yes"], "weights": {k: v for k, v in weights.items() if v[0] != 0.0}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--c", type=float, default=None, help="Inverse L2 strength (default: per question, by CV over GRID)."
    )
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--dry-run", action="store_true", help="Measure only; write no model file.")
    ap.add_argument("--use", default=None, help="Override the choice: comma-separated questions.")
    args = ap.parse_args()
    items = collect(args.data, args.limit)
    models: dict[str, object] = {}
    use: dict[str, bool] = {}
    strengths: dict[str, float | None] = {}
    total = dict.fromkeys(
        ("rules_train", "rank_cv", "rules_held", "rank_held", "clean_held", "n_train", "n_held"), 0
    )
    print("question  n_tr rules_tr ranker_cv oracle_tr |  n_ho rules_ho ranker_ho oracle_ho  use")
    for question in QUESTIONS:
        train = [it for it in items if it.question == question and is_training(it.doc_id)]
        held = [it for it in items if it.question == question and not is_training(it.doc_id)]
        ids = sorted({it.doc_id for it in train})
        random.Random(0).shuffle(ids)
        fold_of = {doc_id: n % FOLDS for n, doc_id in enumerate(ids)}
        best_c, cv = args.c, -1
        for c in GRID if args.c is None else (args.c,):
            right = 0
            for fold in range(FOLDS):
                fitted = fit([it for it in train if fold_of[it.doc_id] != fold], c)
                right += top1_right(fitted, [it for it in train if fold_of[it.doc_id] == fold])
            if right > cv:  # the strongest regularisation of equals (GRID ascends)
                best_c, cv = c, right
        assert best_c is not None
        strengths[question] = best_c
        final = fit(train, best_c)
        rules_tr = sum(it.rules_right for it in train)
        rules_ho = sum(it.rules_right for it in held)
        rank_ho = top1_right(final, held)
        # out of sample on the whole file: cross-validated on the training half, held out on the other
        chosen = cv + rank_ho > rules_tr + rules_ho if args.use is None else question in args.use.split(",")
        clean = cv > rules_tr  # the choice the training half alone makes (keeps the held-out half clean)
        total["clean_held"] += rank_ho if clean else rules_ho
        use[question] = chosen
        if final is not None:
            models[question] = to_weights(final)
        oracle_tr = sum(any(it.labels) for it in train)
        oracle_ho = sum(any(it.labels) for it in held)
        print(
            f"{question:8s} {len(train):5d} {rules_tr / len(train):8.3f} {cv / len(train):9.3f} "
            f"{oracle_tr / len(train):9.3f} | {len(held):5d} {rules_ho / len(held):8.3f} "
            f"{rank_ho / len(held):9.3f} {oracle_ho / len(held):9.3f}  {chosen} "
            f"(training half alone: {clean}) C={best_c}"
        )
        total["rules_train"] += rules_tr
        total["rank_cv"] += cv if chosen else rules_tr
        total["rules_held"] += rules_ho
        total["rank_held"] += rank_ho if chosen else rules_ho
        total["n_train"] += len(train)
        total["n_held"] += len(held)
    print(
        f"p1 training half: rules {total['rules_train'] / total['n_train']:.3f}, chosen (CV) "
        f"{total['rank_cv'] / total['n_train']:.3f}; held-out half: rules "
        f"{total['rules_held'] / total['n_held']:.3f}, chosen {total['rank_held'] / total['n_held']:.3f} "
        f"(chosen by the training half alone: {total['clean_held'] / total['n_held']:.3f})"
    )
    if args.dry_run:
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"models": models, "use": use, "c": strengths, "split": "sha256(id) even"}
    with gzip.open(args.out, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, sort_keys=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
