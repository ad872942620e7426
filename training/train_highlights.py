"""Build ``src/storyline/resources/highlights/model.json.gz``: the learned highlights scorer.

Data: ../shared/data/summaries/bbc-news-summary.jsonl (BBC News Summary, extractive references). 133
articles repeat another's text, so the file is deduplicated first (the first record of each text is
kept) and then split by a hash of the document id, as the other splits of this repository are:
sha256(id) even -> the training half, odd -> held out (never trained or tuned on).

Every body sentence (:func:`storyline.components.highlights.sentence_facts`, computed on the same Docs
the stage sees: all stages up to events) is labelled 1 when the reference summary keeps it (its
whitespace-normalised text occurs in the reference). A logistic regression over
:func:`~storyline.components.highlights.features` is fitted on the training half (L2 strength by
3-fold cross-validation by document, log loss). The sentence-count rule (3 sentences, or 4 from
``four_from`` candidate sentences on) and the redundancy penalty are chosen on the training half by
ROUGE (the mean of rouge1, rouge2 and rougeLsum F1) of out-of-fold scores; the same is done for the
hand-set rules (printed: they are constants of the stage).

ROUGE is the eval's own scorer (:func:`storyline.evaluate.summaries.score`), for lead3, the rules and
the learned scorer on the training half (in-sample for the learned scorer), the held-out half and the
whole file (2,225 records, duplicates included, as ``storyline eval summaries`` reads it).

    .venv/bin/python training/train_highlights.py [--cache facts.pkl] [--split-dir DIR] [--dry-run]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import pickle
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from storyline.components.highlights import (
    FORMAT,
    Selection,
    SentenceFacts,
    candidates,
    features,
    rule_score,
    select,
    sentence_facts,
)
from storyline.evaluate.baselines import lead3
from storyline.evaluate.data import DataIssues, GoldDoc, load_corpus
from storyline.evaluate.summaries import score
from storyline.pipeline import load, make_doc

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "summaries" / "bbc-news-summary.jsonl"
DEFAULT_OUT = ROOT / "src" / "storyline" / "resources" / "highlights" / "model.json.gz"
STAGES = ("entities", "times", "places", "claims", "events")
FOLDS = 3
#: Inverse L2 strengths tried by cross-validation on the training half.
GRID = (0.03, 0.1, 0.3, 1.0)
#: Redundancy penalties tried (the scorer's scale: a probability, or the rules' score).
REDUNDANCY = (0.0, 0.1, 0.2, 0.3, 0.5)
#: Sentence-count thresholds tried: 4 sentences from this many candidate sentences on (99: always 3).
FOUR_FROM = (0, 6, 8, 10, 12, 14, 16, 18, 20, 25, 99)
OBJECTIVE = ("rouge1", "rouge2", "rougeLsum")
#: Settings whose training-half objective is this close to the best count as equally good.
TOLERANCE = 0.0005


def is_training(doc_id: str) -> bool:
    """The training half: documents whose id hashes (sha256) to an even number."""
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0


@dataclass
class Item:
    """One article: its sentences' facts and texts, and which of them the reference keeps."""

    doc_id: str
    facts: list[SentenceFacts]
    texts: list[str]
    labels: list[int]


def normalise(text: str) -> str:
    return " ".join(text.split())


def collect(docs: Sequence[GoldDoc]) -> list[Item]:
    """The facts of every article's sentences (one pipeline, ``nlp.pipe`` batches), labelled."""
    nlp = load(stages=STAGES)
    items: list[Item] = []
    bodies = (make_doc(nlp, doc.article) for doc in docs)
    for gold, body in zip(docs, nlp.pipe(bodies, batch_size=64), strict=True):
        facts = sentence_facts(body)
        texts = [body.text[f.start : f.end] for f in facts]
        reference = normalise(str(gold.gold.get("summary") or ""))
        labels = [int(f.words >= 3 and normalise(t) in reference) for f, t in zip(facts, texts, strict=True)]
        items.append(Item(gold.id, facts, texts, labels))
    return items


def split(docs: Sequence[GoldDoc]) -> tuple[list[int], list[int]]:
    """Indexes of the training and held-out halves, after dropping repeated texts."""
    seen: set[str] = set()
    train: list[int] = []
    held: list[int] = []
    for i, doc in enumerate(docs):
        key = normalise(doc.article.text)
        if key in seen:
            continue
        seen.add(key)
        (train if is_training(doc.id) else held).append(i)
    return train, held


def matrix(items: Sequence[Item], vectorizer: DictVectorizer, fit: bool = False) -> Any:
    rows = [dict.fromkeys(features(f, len(item.facts)), 1) for item in items for f in item.facts]
    return vectorizer.fit_transform(rows) if fit else vectorizer.transform(rows)


def labels_of(items: Sequence[Item]) -> np.ndarray[Any, Any]:
    return np.array([y for item in items for y in item.labels])


def fit(items: Sequence[Item], c: float) -> tuple[DictVectorizer, LogisticRegression]:
    vectorizer = DictVectorizer()
    x = matrix(items, vectorizer, fit=True)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, labels_of(items))
    return vectorizer, model


def predict(
    items: Sequence[Item], vectorizer: DictVectorizer, model: LogisticRegression
) -> list[list[float]]:
    proba = model.predict_proba(matrix(items, vectorizer))[:, 1]
    out: list[list[float]] = []
    k = 0
    for item in items:
        out.append([float(p) for p in proba[k : k + len(item.facts)]])
        k += len(item.facts)
    return out


def out_of_fold(items: Sequence[Item], c: float) -> tuple[list[list[float]], float]:
    """Scores of every training sentence from a model that did not see its article; mean log loss."""
    groups = list(range(len(items)))
    scores: list[list[float]] = [[] for _ in items]
    losses = []
    for fit_idx, test_idx in GroupKFold(FOLDS).split(groups, groups=groups):
        vectorizer, model = fit([items[i] for i in fit_idx], c)
        test = [items[i] for i in test_idx]
        predicted = predict(test, vectorizer, model)
        for i, p in zip(test_idx, predicted, strict=True):
            scores[i] = p
        y = labels_of(test)
        p = np.clip(np.concatenate([np.array(v) for v in predicted]), 1e-6, 1 - 1e-6)
        losses.append(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))
    return scores, statistics.fmean(losses)


def summary(item: Item, scores: Sequence[float], selection: Selection) -> str:
    return " ".join(item.texts[i] for i in select(item.facts, scores, selection))


def rouge(docs: Sequence[GoldDoc], preds: Sequence[str]) -> dict[str, float]:
    metrics = score(docs, preds).metrics
    return {k: round(float(v), 4) for k, v in metrics.items() if v is not None}


def objective(metrics: dict[str, float]) -> float:
    return statistics.fmean(metrics[m] for m in OBJECTIVE)


def per_doc_rouge(docs: Sequence[GoldDoc], preds: Sequence[str]) -> list[float]:
    rows = score(docs, preds).per_doc
    return [statistics.fmean(float(row[m]) for m in OBJECTIVE) for row in rows]


def choose_selection(
    docs: Sequence[GoldDoc], items: Sequence[Item], scores: Sequence[Sequence[float]], anchor: bool
) -> tuple[Selection, float]:
    """The redundancy penalty and the count threshold with the best mean ROUGE on these articles.

    For each penalty, every article is summarised with 3 and with 4 sentences once; a threshold's
    figure then is the mean over articles of the one its rule picks (ROUGE is per article). Of the
    settings within :data:`TOLERANCE` of the best, the one giving the fewest sentences (the highest
    threshold), then the smallest penalty, is kept: a difference that small is noise.
    """
    results: list[tuple[float, Selection]] = []
    for redundancy in REDUNDANCY:
        three = per_doc_rouge(
            docs,
            [
                summary(it, s, Selection(10**6, redundancy, anchor))
                for it, s in zip(items, scores, strict=True)
            ],
        )
        four = per_doc_rouge(
            docs,
            [summary(it, s, Selection(0, redundancy, anchor)) for it, s in zip(items, scores, strict=True)],
        )
        sizes = [len(candidates(it.facts)) for it in items]
        for four_from in FOUR_FROM:
            value = statistics.fmean(
                f if n >= four_from else t for t, f, n in zip(three, four, sizes, strict=True)
            )
            print(f"  redundancy {redundancy:.2f} four_from {four_from:>3}: {value:.4f}")
            results.append((value, Selection(four_from, redundancy, anchor)))
    top = max(value for value, _ in results)
    near = [(sel, value) for value, sel in results if value >= top - TOLERANCE]
    return min(near, key=lambda pair: (-pair[0].four_from, pair[0].redundancy))


def write_split(path: Path, docs: Sequence[GoldDoc], data: Path) -> None:
    """The held-out and training halves as JSONL files of the original records (for the eval CLI)."""
    wanted = {doc.id for doc in docs}
    with data.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for line in src:
            if line.strip() and json.loads(line)["id"] in wanted:
                out.write(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--cache", type=Path, default=None, help="Pickle of the sentence facts (made if absent).")
    ap.add_argument("--split-dir", type=Path, default=None, help="Write the two halves as JSONL here.")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--dry-run", action="store_true", help="Measure only; write no model file.")
    args = ap.parse_args()

    docs = load_corpus([args.data], args.limit).docs
    if args.cache is not None and args.cache.is_file():
        items: list[Item] = pickle.loads(args.cache.read_bytes())
        assert [it.doc_id for it in items] == [d.id for d in docs], "cache of another file"
    else:
        items = collect(docs)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(items))
    train_idx, held_idx = split(docs)
    print(
        f"{len(docs)} records, {len(train_idx) + len(held_idx)} distinct texts: "
        f"{len(train_idx)} training, {len(held_idx)} held out"
    )
    if args.split_dir is not None:
        args.split_dir.mkdir(parents=True, exist_ok=True)
        write_split(args.split_dir / "bbc-train.jsonl", [docs[i] for i in train_idx], args.data)
        write_split(args.split_dir / "bbc-heldout.jsonl", [docs[i] for i in held_idx], args.data)
    train_docs, train_items = [docs[i] for i in train_idx], [items[i] for i in train_idx]
    positives = sum(sum(it.labels) for it in train_items)
    sentences = sum(len(it.labels) for it in train_items)
    print(f"training sentences {sentences}, kept by the reference {positives} ({positives / sentences:.3f})")

    # the learned scorer: L2 strength by out-of-fold log loss, then the selection on out-of-fold scores
    best_c, best_loss, best_oof = GRID[0], float("inf"), None
    for c in GRID:
        oof, loss = out_of_fold(train_items, c)
        print(f"C={c}: out-of-fold log loss {loss:.4f}")
        if loss < best_loss:
            best_c, best_loss, best_oof = c, loss, oof
    assert best_oof is not None
    print("learned scorer, selection on the training half (out of fold):")
    learned_selection, value = choose_selection(train_docs, train_items, best_oof, anchor=True)
    print(f"learned: C={best_c} {learned_selection} training-half objective {value:.4f}")
    free_selection, value = choose_selection(train_docs, train_items, best_oof, anchor=False)
    print(f"learned, no anchor (measured, not shipped): {free_selection} training-half objective {value:.4f}")
    print("rules, selection on the training half:")
    rule_scores = [[rule_score(f, len(it.facts)) for f in it.facts] for it in items]
    train_rules = [rule_scores[i] for i in train_idx]
    rules_selection, value = choose_selection(train_docs, train_items, train_rules, anchor=True)
    print(f"rules: {rules_selection} training-half objective {value:.4f}")

    vectorizer, model = fit(train_items, best_c)
    learned_scores = predict(items, vectorizer, model)
    report: dict[str, dict[str, dict[str, float]]] = {}
    parts = {"training half": train_idx, "held-out half": held_idx, "whole file": list(range(len(docs)))}
    leads = lead3.run(docs, DataIssues())
    for name, idx in parts.items():
        part_docs = [docs[i] for i in idx]
        systems = {
            "lead3": [leads[i] for i in idx],
            "rules": [summary(items[i], rule_scores[i], rules_selection) for i in idx],
            "learned": [summary(items[i], learned_scores[i], learned_selection) for i in idx],
            "learned_no_anchor": [summary(items[i], learned_scores[i], free_selection) for i in idx],
        }
        report[name] = {system: rouge(part_docs, preds) for system, preds in systems.items()}
        for system, metrics in report[name].items():
            print(f"{name:>14} {system:>17}: {metrics}")

    names = vectorizer.get_feature_names_out()
    weights = {str(f): [round(float(w), 5)] for f, w in zip(names, model.coef_[0], strict=True)}
    weights["bias"] = [round(float(weights.get("bias", [0.0])[0] + model.intercept_[0]), 5)]
    payload = {
        "format": FORMAT,
        "model": {"classes": ["0", "1"], "weights": weights},
        "selection": asdict(learned_selection),
        "rules_selection": asdict(rules_selection),
        "c": best_c,
        "split": "bbc-news-summary.jsonl deduplicated by text, sha256(id) even = training",
        "report": report,
    }
    if args.dry_run:
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, sort_keys=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
