"""Build ``src/storyline/resources/claims/model.json.gz``: the cue and role models of the claims stage.

Data: ../shared/data/quotes/polnear-train.jsonl, sorted by id and split by document:

- fit:      the first 80 % of the documents, what the models learn from;
- tune:     the next 10 %, where the cue threshold is chosen (and every design decision was measured);
- held-out: the last 10 %, never used for training or tuning; ``--heldout-out`` writes it as JSONL so
  ``storyline eval quotes`` reports on it.

The shipped model is the one fitted on the fit slice, with the threshold chosen on tune (``--refit``
also refits on fit + tune with that threshold; not done for the shipped file). polnear-dev is not read.

    .venv/bin/python training/train_claims.py                # fit, tune, write the model (~15 min)
    .venv/bin/python training/train_claims.py --refit        # ... then refit on fit + tune
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyline.components.attribution.extract import cue_anchor, extract  # noqa: E402
from storyline.components.attribution.features import (  # noqa: E402
    cue_features,
    quote_depth,
    role_features,
    sentence_index,
)
from storyline.components.attribution.model import AttributionModel, LinearModel  # noqa: E402
from storyline.evaluate.quotes import ClaimPred, score  # noqa: E402
from storyline.evaluate.spans import Extent  # noqa: E402
from storyline.pipeline import BASE_MODEL  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "quotes" / "polnear-train.jsonl"
OUT = ROOT / "src" / "storyline" / "resources" / "claims" / "model.json.gz"
ROLE_CLASSES = ["none", "source", "content"]
MIN_COUNT = 2
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def load_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    return sorted(records, key=lambda r: r["id"])


def split(records: list[dict[str, Any]]) -> tuple[list[Any], list[Any], list[Any]]:
    n = len(records)
    a, b = int(n * 0.8), int(n * 0.9)
    return records[:a], records[a:b], records[b:]


def parse(records: list[dict[str, Any]], cache: Path) -> list[Doc]:
    """Parse with the pipeline's base model (its NER is not needed); cached as one DocBin per data file."""
    nlp = spacy.load(BASE_MODEL, exclude=["ner"])
    key = cache / f"polnear-train-{len(records)}.spacy"
    if key.exists():
        docs = list(DocBin().from_disk(key).get_docs(nlp.vocab))
        if [d.text for d in docs] == [r["text"] for r in records]:
            return docs
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=32))
    DocBin(docs=docs).to_disk(key)
    return docs


def _fragments(span: dict[str, Any] | None) -> list[tuple[int, int]]:
    if span is None:
        return []
    if "fragments" in span:
        return [(int(s), int(e)) for s, e in span["fragments"]]
    return [(int(span["start"]), int(span["end"]))]


def _tokens(doc: Doc, span: dict[str, Any] | None) -> set[int]:
    out: set[int] = set()
    for start, end in _fragments(span):
        for tok in doc:
            if tok.idx < end and tok.idx + len(tok.text) > start and not tok.is_space:
                out.add(tok.i)
    return out


def cue_rows(docs: Sequence[Doc], records: Sequence[dict[str, Any]]) -> tuple[list[list[str]], list[int]]:
    feats: list[list[str]] = []
    labels: list[int] = []
    for doc, rec in zip(docs, records, strict=True):
        gold: set[int] = set()
        for att in rec["gold"]["attributions"]:
            gold |= _tokens(doc, att["cue"])
        inside = quote_depth(doc)
        for tok in doc:
            if tok.is_space:
                continue
            feats.append(cue_features(tok, inside))
            labels.append(int(tok.i in gold))
    return feats, labels


def role_rows(docs: Sequence[Doc], records: Sequence[dict[str, Any]]) -> tuple[list[list[str]], list[int]]:
    feats: list[list[str]] = []
    labels: list[int] = []
    for doc, rec in zip(docs, records, strict=True):
        inside = quote_depth(doc)
        sents, sent_of = sentence_index(doc)
        for att in rec["gold"]["attributions"]:
            cue = sorted(_tokens(doc, att["cue"]))
            if not cue:
                continue
            source, content = _tokens(doc, att["source"]), _tokens(doc, att["content"])
            anchor = cue_anchor(doc, cue)
            cue_text = doc[cue[0] : cue[-1] + 1].text
            for i, f in role_features(
                anchor, set(cue), cue_text, sents=sents, sent_of=sent_of, inside=inside
            ):
                feats.append(f)
                labels.append(2 if i in content else 1 if i in source else 0)
    return feats, labels


def fit(feats: list[list[str]], labels: list[int], classes: list[str], c: float) -> LinearModel:
    """Logistic regression over the features seen at least MIN_COUNT times; exported as a weight table."""
    counts = Counter(f for row in feats for f in row)
    vocab = {f: n for n, f in enumerate(sorted(f for f, k in counts.items() if k >= MIN_COUNT))}
    indptr, indices = [0], []
    for row in feats:
        cols = sorted({vocab[f] for f in row if f in vocab})
        indices.extend(cols)
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(feats), len(vocab)))
    y = np.array(labels)
    started = time.perf_counter()
    clf = LogisticRegression(C=c, max_iter=400, fit_intercept=False)
    clf.fit(x, y)
    print(f"  fitted {x.shape} in {time.perf_counter() - started:.0f}s", flush=True)
    coef = clf.coef_  # (1, n) binary or (k, n) multinomial
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {}
    for n, name in enumerate(names):
        w = [round(float(v), 4) for v in coef[:, n]]
        if any(abs(v) >= 1e-3 for v in w):
            weights[name] = w
    return LinearModel(classes=classes, weights=weights)


def train(
    docs: Sequence[Doc], records: Sequence[dict[str, Any]], c_cue: float, c_role: float
) -> AttributionModel:
    print(f"training on {len(records)} documents", flush=True)
    feats, labels = cue_rows(docs, records)
    print(f"  cue rows {len(labels)}, positive {sum(labels)}", flush=True)
    cue = fit(feats, labels, ["no", "cue"], c_cue)
    lemmas = frozenset(
        f[2:] for row, y in zip(feats, labels, strict=True) if y for f in row if f.startswith("l=")
    )
    feats, labels = role_rows(docs, records)
    print(f"  role rows {len(labels)}, {Counter(labels)}", flush=True)
    role = fit(feats, labels, ROLE_CLASSES, c_role)
    return AttributionModel(cue=cue, role=role, cue_lemmas=lemmas, meta={"c_cue": c_cue, "c_role": c_role})


def predict(doc: Doc, model: AttributionModel) -> list[ClaimPred]:
    preds = []
    for raw in extract(doc, model):

        def ext(span: tuple[int, int]) -> Extent:
            s = doc[span[0] : span[1]]
            return Extent.of(s.start_char, s.end_char, s.text)

        preds.append(ClaimPred(ext(raw.content), ext(raw.source) if raw.source else None, ext(raw.cue)))
    return preds


def evaluate(
    docs: Sequence[Doc], records: Sequence[dict[str, Any]], model: AttributionModel
) -> dict[str, Any]:
    """The scorer of ``storyline eval quotes`` on the models' raw predictions (no entity linking)."""
    from storyline.evaluate.data import GoldDoc

    gold = [GoldDoc("tune", _RECORDS[r["id"]]) for r in records]
    return dict(score(gold, [predict(d, model) for d in docs]).metrics)


_RECORDS: dict[str, Any] = {}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/storyline-claims"))
    ap.add_argument("--heldout-out", type=Path, default=None, help="write the held-out slice here (JSONL)")
    ap.add_argument("--refit", action="store_true", help="after tuning, refit on fit + tune")
    ap.add_argument("--c-cue", type=float, default=1.0)
    ap.add_argument("--c-role", type=float, default=1.0)
    ap.add_argument("--limit", type=int, default=None, help="fit on the first N documents only (debugging)")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    records = load_records(args.data)
    fit_set, tune_set, heldout = split(records)
    print(f"fit {len(fit_set)}, tune {len(tune_set)}, held-out {len(heldout)} documents", flush=True)
    if args.heldout_out is not None:
        with args.heldout_out.open("w", encoding="utf-8") as fh:
            for r in heldout:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    _load_gold(args.data)
    docs = parse(records, args.cache)
    fit_docs, tune_docs = docs[: len(fit_set)], docs[len(fit_set) : len(fit_set) + len(tune_set)]
    if args.limit is not None:
        fit_docs, fit_set = fit_docs[: args.limit], fit_set[: args.limit]
    model = train(fit_docs, fit_set, args.c_cue, args.c_role)
    best: tuple[float, float] | None = None
    for threshold in THRESHOLDS:
        model.cue_threshold = threshold
        m = evaluate(tune_docs, tune_set, model)
        print(f"tune threshold {threshold}: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items()), flush=True)
        objective = m["attribution_f1"] + m["cue_f1"] + m["source_f1"] + m["content_f1"]
        if best is None or objective > best[1]:
            best = (threshold, objective)
    assert best is not None
    model.cue_threshold = best[0]
    if args.refit:
        model = train([*fit_docs, *tune_docs], [*fit_set, *tune_set], args.c_cue, args.c_role)
        model.cue_threshold = best[0]
    model.meta.update(
        {"cue_threshold_from": "tune slice", "documents": len(fit_set) + len(tune_set) * args.refit}
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), threshold {best[0]}")


def _load_gold(path: Path) -> None:
    from storyline.ingest import Record, read_records

    for item in read_records(path):
        if isinstance(item, Record):
            _RECORDS[item.article.id] = item


if __name__ == "__main__":
    main()
