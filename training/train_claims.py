"""Build ``src/storyline/resources/claims/model.json.gz``: the cue and role models of the claims stage.

Data: ../shared/data/quotes/polnear-train.jsonl, sorted by id and split by document:

- fit:      the first 80 % of the documents, what the models learn from;
- tune:     the next 10 %, where the cue threshold is chosen (and every design decision was measured);
- held-out: the last 10 %, never used for training or tuning; ``--heldout-out`` writes it as JSONL so
  ``storyline eval quotes`` reports on it.

The cue tagger reads a cue lexicon (P(cue | lemma, POS)) counted on its training documents; its own rows
see a lexicon cross-fitted over FOLDS folds, as a new article sees one counted elsewhere. Decoding is
with hysteresis (a seed and a grow threshold, both chosen on tune).

The shipped model: C of the cue model 0.5 (tune, against 0.3 and 1.0), seed 0.5 and grow 0.15 (tune),
then both models refitted on fit + tune with those settings. polnear-dev is not read.

    .venv/bin/python training/train_claims.py --refit --refit-role     # the shipped model (~20 min)
    .venv/bin/python training/train_claims.py                          # fit only, with the tune grid
    .venv/bin/python training/train_claims.py --role-from M --refit    # cue model only, role from M
    .venv/bin/python training/analyse_claims_cues.py                   # missed cues on tune, by kind
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
from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression
from spacy.pipeline import Tok2Vec
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyline.components.attribution.extract import cue_anchor, extract  # noqa: E402
from storyline.components.attribution.features import (  # noqa: E402
    cue_context,
    cue_features,
    prior_key,
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
#: Weights under this (in absolute value, for every class) are left out of the shipped table: they move
#: a score by hundredths, and leaving them out keeps the file at ~2 MB and its loading under a second.
PRUNE = 0.01
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
#: Grow thresholds tried with each seed threshold (hysteresis decoding; equal to the seed = none).
GROWS = (0.15, 0.25, 1.0)
#: Folds of the cross-fitted cue lexicon: a training row sees the lexicon of the other folds only, as a
#: new article sees the lexicon of the training set (else the prior would be a copy of the label).
FOLDS = 5


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


def add_tensors(docs: list[Doc], cache: Path) -> None:
    """Set ``doc.tensor`` (the base model's contextual token vectors, which a DocBin does not keep).

    Only the tok2vec component runs: its output depends on the tokens alone, so it is exactly what the
    stage sees at run time. Cached as one array per data file.
    """
    key = cache / f"polnear-train-{len(docs)}-tensor.npy"
    sizes = [len(d) for d in docs]
    if key.exists():
        flat = np.load(key)
        if flat.shape[0] == sum(sizes):
            start = 0
            for doc, n in zip(docs, sizes, strict=True):
                doc.tensor = flat[start : start + n]
                start += n
            return
    tok2vec = spacy.load(BASE_MODEL, exclude=["ner"]).get_pipe("tok2vec")
    assert isinstance(tok2vec, Tok2Vec)
    for _ in tok2vec.pipe(docs, batch_size=32):
        pass
    np.save(key, np.concatenate([d.tensor for d in docs]).astype(np.float32))


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


def gold_cue_tokens(doc: Doc, record: dict[str, Any]) -> set[int]:
    gold: set[int] = set()
    for att in record["gold"]["attributions"]:
        gold |= _tokens(doc, att["cue"])
    return gold


def lexicon_counts(docs: Sequence[Doc], records: Sequence[dict[str, Any]]) -> dict[str, list[int]]:
    """For every lemma|POS key: [times inside a gold cue, times seen]."""
    counts: dict[str, list[int]] = {}
    for doc, rec in zip(docs, records, strict=True):
        gold = gold_cue_tokens(doc, rec)
        for tok in doc:
            if tok.is_space:
                continue
            row = counts.setdefault(prior_key(tok), [0, 0])
            row[0] += tok.i in gold
            row[1] += 1
    return counts


def prior_table(counts: dict[str, list[int]]) -> dict[str, float]:
    """P(cue | key), add-one smoothed on the denominator; only keys that were ever part of a cue."""
    return {k: c / (n + 1) for k, (c, n) in counts.items() if c > 0}


def cross_fitted_priors(docs: Sequence[Doc], records: Sequence[dict[str, Any]]) -> list[dict[str, float]]:
    """The lexicon each document's rows are built with: counted on the other folds only."""
    per_fold = [lexicon_counts(docs[f::FOLDS], records[f::FOLDS]) for f in range(FOLDS)]
    tables = []
    for f in range(FOLDS):
        merged: dict[str, list[int]] = {}
        for g, counts in enumerate(per_fold):
            if g == f:
                continue
            for k, (c, n) in counts.items():
                row = merged.setdefault(k, [0, 0])
                row[0] += c
                row[1] += n
        tables.append(prior_table(merged))
    return [tables[n % FOLDS] for n in range(len(docs))]


def cue_rows(
    docs: Sequence[Doc],
    records: Sequence[dict[str, Any]],
    priors: Sequence[dict[str, float]],
    dense_rows: bool = False,
) -> tuple[list[list[str]], list[int], np.ndarray[Any, Any]]:
    """Sparse features, labels and (with ``dense_rows``) the rows of ``doc.tensor`` of every token."""
    feats: list[list[str]] = []
    labels: list[int] = []
    dense: list[np.ndarray[Any, Any]] = []
    for doc, rec, prior in zip(docs, records, priors, strict=True):
        gold = gold_cue_tokens(doc, rec)
        ctx = cue_context(doc, prior)
        keep = []
        for tok in doc:
            if tok.is_space:
                continue
            feats.append(cue_features(tok, ctx))
            labels.append(int(tok.i in gold))
            keep.append(tok.i)
        if dense_rows:
            dense.append(np.asarray(doc.tensor)[keep])
    matrix = np.concatenate(dense).astype(np.float32) if dense else np.zeros((len(labels), 0), np.float32)
    return feats, labels, matrix


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


def fit(
    feats: list[list[str]],
    labels: list[int],
    classes: list[str],
    c: float,
    dense: np.ndarray[Any, Any] | None = None,
) -> LinearModel:
    """Logistic regression over the features seen at least MIN_COUNT times; exported as a weight table.

    ``dense`` (one row per example) joins the sparse columns standardised; its weights are exported
    with the center and scale so that the stage standardises the same way.
    """
    counts = Counter(f for row in feats for f in row)
    vocab = {f: n for n, f in enumerate(sorted(f for f, k in counts.items() if k >= MIN_COUNT))}
    indptr, indices = [0], []
    for row in feats:
        cols = sorted({vocab[f] for f in row if f in vocab})
        indices.extend(cols)
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(feats), len(vocab)))
    center = scale = None
    if dense is not None:
        center, scale = dense.mean(axis=0), dense.std(axis=0) + 1e-6
        x = hstack([x, csr_matrix((dense - center) / scale)], format="csr")
    y = np.array(labels)
    started = time.perf_counter()
    clf = LogisticRegression(C=c, max_iter=400, fit_intercept=False)
    clf.fit(x, y)
    print(f"  fitted {x.shape} in {time.perf_counter() - started:.0f}s", flush=True)
    coef = clf.coef_  # (1, n) binary or (k, n) multinomial
    names = sorted(vocab, key=vocab.__getitem__)
    dense_w = None
    if dense is not None and center is not None and scale is not None:
        dense_w = [round(float(v), 5) for v in coef[0, len(vocab) :]]
        coef = coef[:, : len(vocab)]
    weights = {}
    for n, name in enumerate(names):
        w = [round(float(v), 4) for v in coef[:, n]]
        if any(abs(v) >= PRUNE for v in w):
            weights[name] = w
    if dense_w is None or center is None or scale is None:
        return LinearModel(classes=classes, weights=weights)
    return LinearModel(
        classes=classes,
        weights=weights,
        dense=dense_w,
        center=[round(float(v), 5) for v in center],
        scale=[round(float(v), 5) for v in scale],
    )


def train_cue(
    docs: Sequence[Doc], records: Sequence[dict[str, Any]], c_cue: float, dense: bool = False
) -> tuple[LinearModel, frozenset[str], dict[str, float]]:
    """The cue tagger, the lemmas it scores and the cue lexicon shipped with it.

    ``dense`` also weighs spaCy's contextual token vectors (``doc.tensor``, 96 dimensions). Measured on
    the tune slice: no gain over the sparse features (cue F1 0.773 against 0.775) for a fit five times
    slower, so it is off in the shipped model (``--dense`` turns it on).
    """
    print(f"training the cue model on {len(records)} documents", flush=True)
    feats, labels, rows = cue_rows(docs, records, cross_fitted_priors(docs, records), dense)
    print(f"  cue rows {len(labels)}, positive {sum(labels)}", flush=True)
    cue = fit(feats, labels, ["no", "cue"], c_cue, rows if dense else None)
    lemmas = frozenset(
        f[2:] for row, y in zip(feats, labels, strict=True) if y for f in row if f.startswith("l=")
    )
    return cue, lemmas, prior_table(lexicon_counts(docs, records))


def train_role(docs: Sequence[Doc], records: Sequence[dict[str, Any]], c_role: float) -> LinearModel:
    print(f"training the role model on {len(records)} documents", flush=True)
    feats, labels = role_rows(docs, records)
    print(f"  role rows {len(labels)}, {Counter(labels)}", flush=True)
    return fit(feats, labels, ROLE_CLASSES, c_role)


def train(
    docs: Sequence[Doc],
    records: Sequence[dict[str, Any]],
    c_cue: float,
    c_role: float,
    *,
    role: LinearModel | None = None,
    dense: bool = False,
) -> AttributionModel:
    """Both models; ``role`` reuses a fitted role model (its features do not depend on the cue model's)."""
    cue, lemmas, prior = train_cue(docs, records, c_cue, dense)
    if role is None:
        role = train_role(docs, records, c_role)
    return AttributionModel(
        cue=cue, role=role, cue_lemmas=lemmas, cue_prior=prior, meta={"c_cue": c_cue, "c_role": c_role}
    )


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
    ap.add_argument("--refit-role", action="store_true", help="with --refit, refit the role model too")
    ap.add_argument(
        "--role-from", type=Path, default=None, help="reuse the role model of this model file (no role fit)"
    )
    ap.add_argument("--thresholds", type=float, nargs="+", default=THRESHOLDS, help="seed thresholds tried")
    ap.add_argument(
        "--grows", type=float, nargs="+", default=GROWS, help="grow thresholds tried (last: none)"
    )
    ap.add_argument("--dense", action="store_true", help="also weigh doc.tensor in the cue model")
    ap.add_argument("--c-cue", type=float, default=0.5)
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
    if args.dense:
        add_tensors(docs, args.cache)
    fit_docs, tune_docs = docs[: len(fit_set)], docs[len(fit_set) : len(fit_set) + len(tune_set)]
    if args.limit is not None:
        fit_docs, fit_set = fit_docs[: args.limit], fit_set[: args.limit]
    reused = AttributionModel.load(args.role_from) if args.role_from is not None else None
    role = reused.role if reused is not None else None
    model = train(fit_docs, fit_set, args.c_cue, args.c_role, role=role, dense=args.dense)
    best: tuple[float, float, float] | None = None
    for threshold in args.thresholds:
        for grow in args.grows:
            if grow >= threshold and grow != args.grows[-1]:
                continue
            model.cue_threshold, model.cue_grow = threshold, min(grow, threshold)
            m = evaluate(tune_docs, tune_set, model)
            print(
                f"tune threshold {threshold} grow {model.cue_grow}: "
                + ", ".join(f"{k} {v:.3f}" for k, v in m.items()),
                flush=True,
            )
            objective = m["attribution_f1"] + m["cue_f1"] + m["source_f1"] + m["content_f1"]
            if best is None or objective > best[2]:
                best = (threshold, model.cue_grow, objective)
    assert best is not None
    model.cue_threshold, model.cue_grow = best[0], best[1]
    if args.refit:
        role = None if args.refit_role else model.role
        model = train(
            [*fit_docs, *tune_docs],
            [*fit_set, *tune_set],
            args.c_cue,
            args.c_role,
            role=role,
            dense=args.dense,
        )
        model.cue_threshold, model.cue_grow = best[0], best[1]
    model.meta.update(
        {
            "cue_threshold_from": "tune slice",
            "prune": PRUNE,
            "cue_documents": len(fit_set) + len(tune_set) * args.refit,
            "role_documents": (
                reused.meta.get("role_documents", "fit slice")
                if reused is not None
                else len(fit_set) + len(tune_set) * (args.refit and args.refit_role)
            ),
        }
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), threshold {best[0]}, grow {best[1]}")


def _load_gold(path: Path) -> None:
    from storyline.ingest import Record, read_records

    for item in read_records(path):
        if isinstance(item, Record):
            _RECORDS[item.article.id] = item


if __name__ == "__main__":
    main()
