"""Dev-loop scorer for the times stage (TempEval-3 Task A rules), until storyline.evaluate.timex exists.

Rules (the same as the harness will use):
- one-to-one greedy matching per document: candidate (gold, predicted) pairs with a character overlap,
  taken largest overlap first (ties: earlier gold, then earlier prediction);
- strict extent F1: matched pairs with identical offsets; relaxed extent F1: matched pairs;
- value F1: matched pairs with equal value (a prediction without a value never counts);
- type accuracy: the share of matched pairs with equal type;
- everything micro-averaged over the documents of a file.

Usage::

    .venv/bin/python training/score_timex_dev.py [FILES...] [--system storyline|dateparser]
        [--errors PATH] [--cache DIR]

``--cache`` keeps the spaCy-parsed documents (DocBin) so that the dev loop re-runs only the times stage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "timex"


@dataclass(frozen=True)
class Item:
    start: int
    end: int
    type: str
    value: str | None
    text: str = ""


@dataclass
class Scores:
    n_gold: int = 0
    n_pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def _f1(hits: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
        p = hits / n_pred if n_pred else 0.0
        r = hits / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def table(self) -> dict[str, Any]:
        out: dict[str, Any] = {"gold": self.n_gold, "pred": self.n_pred}
        for name, hits in (("strict", self.strict), ("relaxed", self.relaxed), ("value", self.value)):
            p, r, f = self._f1(hits, self.n_pred, self.n_gold)
            out[name] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
        out["type_accuracy"] = round(self.type / self.relaxed, 4) if self.relaxed else 0.0
        out["type_f1"] = round(self._f1(self.type, self.n_pred, self.n_gold)[2], 4)
        return out


def match(gold: Sequence[Item], pred: Sequence[Item]) -> list[tuple[int, int]]:
    """One-to-one greedy matching by largest character overlap: (gold index, predicted index) pairs."""
    pairs: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                pairs.append((-overlap, gi, pi))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def score_document(scores: Scores, gold: Sequence[Item], pred: Sequence[Item], doc_id: str = "") -> None:
    """Add one document's counts (and its errors) to ``scores``."""
    scores.n_gold += len(gold)
    scores.n_pred += len(pred)
    pairs = match(gold, pred)
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        scores.relaxed += 1
        scores.strict += g.start == p.start and g.end == p.end
        scores.value += p.value is not None and g.value == p.value
        scores.type += g.type == p.type
        kinds = []
        if (g.start, g.end) != (p.start, p.end):
            kinds.append("extent")
        if g.value != p.value:
            kinds.append("value")
        if g.type != p.type:
            kinds.append("type")
        if kinds:
            scores.errors.append(
                {"doc": doc_id, "kind": "+".join(kinds), "gold": g.__dict__, "pred": p.__dict__}
            )
    for gi, g in enumerate(gold):
        if gi not in matched_g:
            scores.errors.append({"doc": doc_id, "kind": "missed", "gold": g.__dict__, "pred": None})
    for pi, p in enumerate(pred):
        if pi not in matched_p:
            scores.errors.append({"doc": doc_id, "kind": "spurious", "gold": None, "pred": p.__dict__})


def read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def gold_items(doc: dict[str, Any]) -> list[Item]:
    return [Item(t["start"], t["end"], t["type"], t["value"], t["text"]) for t in doc["gold"]["timexes"]]


def run_storyline(docs: Sequence[dict[str, Any]], cache: Path | None, name: str) -> list[list[Item]]:
    """Predictions of the times stage; spaCy's parse is cached in ``cache`` when given."""
    from spacy.tokens import DocBin

    from storyline.components.times import make_times
    from storyline.ingest.base import make_article
    from storyline.pipeline import load, make_doc

    nlp = load(stages=())
    articles = [make_article(text=d["text"], published=d["published"], id=d["id"]) for d in docs]
    cached = cache / f"{name}.spacy" if cache else None
    if cached and cached.exists():
        parsed = list(DocBin().from_disk(cached).get_docs(nlp.vocab))
    else:
        parsed = list(nlp.pipe((make_doc(nlp, a) for a in articles), batch_size=16))
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            DocBin(docs=parsed).to_disk(cached)
    stage = make_times(nlp, "storyline_times")
    out: list[list[Item]] = []
    started = time.perf_counter()
    for article, doc in zip(articles, parsed, strict=True):
        doc._.article = article
        doc._.published = dt.date.fromisoformat(article.published[:10]) if article.published else None
        stage(doc)
    elapsed = time.perf_counter() - started
    words = sum(len(d["text"].split()) for d in docs)
    print(f"  times stage: {1000 * elapsed / words * 1000:.1f} ms per 1000 words", file=sys.stderr)
    for doc in parsed:
        out.append(
            [Item(t.span.start, t.span.end, t.type, t.value, t.span.text) for t in doc._.sl_times or []]
        )
    return out


def run_dateparser(docs: Sequence[dict[str, Any]]) -> list[list[Item]]:
    """Baseline: dateparser's search_dates relative to the DCT; a hit is a DATE (a TIME with a clock time)."""
    from dateparser.search import search_dates

    out: list[list[Item]] = []
    for d in docs:
        base = dt.datetime.fromisoformat(d["published"][:10])
        found = search_dates(d["text"], languages=["en"], settings={"RELATIVE_BASE": base}) or []
        items: list[Item] = []
        cursor = 0
        for substring, when in found:
            start = d["text"].find(substring, cursor)
            if start < 0:
                start = d["text"].find(substring)
                if start < 0:
                    continue
            else:
                cursor = start + len(substring)
            if when.time() == dt.time(0):
                items.append(Item(start, start + len(substring), "DATE", when.date().isoformat(), substring))
            else:
                value = when.strftime("%Y-%m-%dT%H:%M")
                items.append(Item(start, start + len(substring), "TIME", value, substring))
        out.append(items)
    return out


def harness_check(path: Path, preds: Sequence[Sequence[Item]]) -> dict[str, Any]:
    """The same predictions through the eval harness's scorer (storyline.evaluate.timex), to cross-check."""
    from storyline.evaluate import timex
    from storyline.evaluate.data import load_corpus
    from storyline.evaluate.spans import Extent

    corpus = load_corpus([path])
    converted = [[timex.TimexPred(Extent.of(p.start, p.end), p.type, p.value) for p in doc] for doc in preds]
    return timex.score(corpus.docs, converted).metrics


def evaluate(path: Path, system: str, cache: Path | None, harness: bool = False) -> Scores:
    docs = read(path)
    preds = run_dateparser(docs) if system == "dateparser" else run_storyline(docs, cache, path.stem)
    scores = Scores()
    for d, pred in zip(docs, preds, strict=True):
        score_document(scores, gold_items(d), pred, d["id"])
    if harness:
        print(
            "  harness:",
            json.dumps({k: round(v, 4) if v else v for k, v in harness_check(path, preds).items()}),
        )
    return scores


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--system", choices=("storyline", "dateparser"), default="storyline")
    parser.add_argument("--errors", type=Path, help="write every error as JSON lines here")
    parser.add_argument("--cache", type=Path, help="cache spaCy parses (DocBin) in this folder")
    parser.add_argument("--harness", action="store_true", help="also score with storyline.evaluate.timex")
    args = parser.parse_args(list(argv) if argv is not None else None)
    files = args.files or [DATA / "timebank.jsonl", DATA / "aquaint.jsonl"]
    for path in files:
        scores = evaluate(path, args.system, args.cache, args.harness)
        print(path.name, json.dumps(scores.table()))
        if args.errors:
            target = args.errors if len(files) == 1 else args.errors.with_suffix(f".{path.stem}.jsonl")
            with target.open("w", encoding="utf-8") as f:
                for error in scores.errors:
                    f.write(json.dumps(error) + "\n")


if __name__ == "__main__":
    main()
