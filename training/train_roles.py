"""Build ``src/storyline/resources/roles/model.json.gz``: the event role model (MUC-4 role fillers).

Data: ../shared/data/templates/muc4-train.jsonl only (muc4-dev is never read), split by a hash of the
document id so the split does not depend on file order:

- fit:      ~65 % of the documents, what the models learn from;
- tune:     ~15 %, where the regularisation and the thresholds (per role, and of the relevance gate)
  are chosen;
- held-out: ~20 %, never used for fitting or choosing; ``--heldout-out`` writes it as JSONL so
  ``storyline eval templates`` (and its ``svo`` baseline) report on it end to end.

Every candidate extent of :func:`storyline.components.roles.candidates` is labelled with the role whose
gold entity (GRIT's ``meta.grit_extracts``) has its normalised text as a mention, else ``none``. The
shipped model is refitted on fit + tune with the chosen settings.

    .venv/bin/python training/train_roles.py --heldout-out /tmp/roles/muc4-train-heldout.jsonl

The thresholds chosen here are for the model's own decoding. The shipped ones are then chosen end to
end (pipeline -> Analysis -> adapter -> scorer) on the tune slice by ``tune_roles_e2e.py``, which
scores that slice with the model fitted on the fit slice alone:

    .venv/bin/python training/train_roles.py --no-refit --out /tmp/roles/fitonly.json.gz
    .venv/bin/python training/tune_roles_e2e.py --fit-only /tmp/roles/fitonly.json.gz
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyline.components.roles import (  # noqa: E402
    CLASSES,
    ROLES,
    Candidate,
    DocContext,
    RoleModel,
    candidates,
    decode,
    doc_features,
    features,
)
from storyline.evaluate.templates import max_matching, normalize  # noqa: E402
from storyline.linear import LinearModel  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "templates" / "muc4-train.jsonl"
OUT = ROOT / "src" / "storyline" / "resources" / "roles" / "model.json.gz"
CACHE = Path("/tmp/roles")
MIN_COUNT = 2
C_GRID = (0.3, 1.0)
DOC_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
THRESHOLD_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def bucket(doc_id: str) -> int:
    """0-99 from the id's hash: the split is stable whatever the file order."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 100


def slice_of(doc_id: str) -> str:
    b = bucket(doc_id)
    return "fit" if b < 65 else "tune" if b < 80 else "heldout"


def load_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def parse(records: Sequence[dict[str, Any]], parser: str) -> list[Doc]:
    """Parse as the pipeline does before the events stage (``entities``: the base model with
    Storyline's entities stage, whose repaired NER the runtime features see) or with the bare base
    model (``base``, faster); cached as a DocBin under /tmp/roles."""
    from storyline.pipeline import load

    nlp = load(stages=("entities",)) if parser == "entities" else load(stages=())
    CACHE.mkdir(parents=True, exist_ok=True)
    key = CACHE / f"muc4-train-{parser}-{len(records)}.spacy"
    texts = [r["text"] for r in records]
    if key.exists():
        docs = list(DocBin().from_disk(key).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    print(f"parsed {len(docs)} docs in {time.perf_counter() - started:.0f}s", flush=True)
    DocBin(docs=docs).to_disk(key)
    return docs


def gold_sets(record: dict[str, Any]) -> dict[str, list[set[str]]]:
    """Per role, the gold entities as sets of normalised mentions (GRIT's document-level gold)."""
    extracts = record["meta"]["grit_extracts"]
    return {
        role: [{normalize(m["text"]) for m in entity} for entity in extracts.get(role) or []]
        for role in ROLES
    }


def label(text: str, gold: dict[str, list[set[str]]]) -> str:
    key = normalize(text)
    for role in ROLES:
        if any(key in entity for entity in gold[role]):
            return role
    return CLASSES[0]


@dataclass
class Example:
    doc: int
    cand: Candidate
    feats: list[str]
    label: str


def examples(docs: Sequence[Doc], records: Sequence[dict[str, Any]]) -> list[Example]:
    out = []
    for n, (doc, record) in enumerate(zip(docs, records, strict=True)):
        gold = gold_sets(record)
        context = DocContext(doc)
        for cand in candidates(doc):
            out.append(
                Example(n, cand, features(doc, cand, context), label(doc[cand.start : cand.end].text, gold))
            )
    return out


def coverage(docs: Sequence[Doc], records: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Share of gold entities with at least one mention among the candidates: the recall ceiling."""
    hit: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for doc, record in zip(docs, records, strict=True):
        texts = {normalize(doc[c.start : c.end].text) for c in candidates(doc)}
        for role, entities in gold_sets(record).items():
            for entity in entities:
                total[role] += 1
                hit[role] += bool(entity & texts)
    return {role: round(hit[role] / max(total[role], 1), 3) for role in ROLES} | {
        "all": round(sum(hit.values()) / max(sum(total.values()), 1), 3)
    }


def fit_linear(
    feats: Sequence[Sequence[str]], labels: Sequence[str], classes: Sequence[str], c: float
) -> LinearModel:
    """Logistic regression over binary features seen at least MIN_COUNT times, as a weight table."""
    counts = Counter(f for fs in feats for f in set(fs))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for f in set(fs):
            if f in vocab:
                rows.append(r)
                cols.append(vocab[f])
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(feats), len(vocab)))
    y = np.array([classes.index(label) for label in labels])
    clf = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
    clf.fit(x, y)
    found = [classes[k] for k in clf.classes_]
    if found != list(classes):
        raise SystemExit(f"a class never occurs in training: {found}")
    coef = clf.coef_  # binary: one row (the positive class)
    weights: dict[str, list[float]] = {}
    for f, i in vocab.items():
        w = [round(float(v), 4) for v in coef[:, i]]
        if any(abs(v) >= 1e-4 for v in w):
            weights[f] = w
    # the intercept rides on the "bias" feature every example has
    bias = weights.get("bias", [0.0] * coef.shape[0])
    weights["bias"] = [round(a + float(b), 4) for a, b in zip(bias, clf.intercept_, strict=True)]
    return LinearModel(list(classes), weights)


def fit(train: Sequence[Example], c: float) -> LinearModel:
    return fit_linear([ex.feats for ex in train], [ex.label for ex in train], CLASSES, c)


def fit_relevance(docs: Sequence[Doc], records: Sequence[dict[str, Any]]) -> LinearModel:
    """The document gate: does the document have any gold filler?"""
    labels = ["yes" if any(gold_sets(r)[role] for role in ROLES) else "no" for r in records]
    return fit_linear([doc_features(d) for d in docs], labels, ["no", "yes"], 0.3)


Scored = list[tuple[Candidate, list[float]]]


def score_docs(model: LinearModel, n_docs: int, exs: Sequence[Example]) -> list[Scored]:
    by_doc: list[Scored] = [[] for _ in range(n_docs)]
    for ex in exs:
        by_doc[ex.doc].append((ex.cand, model.proba(ex.feats)))
    return by_doc


def predict(
    docs: Sequence[Doc], scored: Sequence[Scored], relevance: Sequence[float], thresholds: dict[str, float]
) -> list[dict[str, list[list[str]]]]:
    preds = []
    for doc, cands, rel in zip(docs, scored, relevance, strict=True):
        pred: dict[str, list[list[str]]] = {role: [] for role in ROLES}
        if rel >= thresholds.get("document", 0.0):
            for f in decode(doc, cands, thresholds):
                pred[f.role].append([f.text])
        preds.append(pred)
    return preds


def ceaf(records: Sequence[dict[str, Any]], preds: Sequence[dict[str, list[list[str]]]]) -> dict[str, Any]:
    """CEAF-REE (phi_strict) as :mod:`storyline.evaluate.templates` scores it, per role and micro."""
    tally = {role: [0, 0, 0] for role in ROLES}
    for record, pred in zip(records, preds, strict=True):
        gold = gold_sets(record)
        for role in ROLES:
            p = [[normalize(m) for m in e] for e in pred[role]]
            p = [e for e in p if all(e)]
            g = [sorted(e) for e in gold[role]]
            tally[role][0] += max_matching(p, g)
            tally[role][1] += len(p)
            tally[role][2] += len(g)

    def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        return round(p, 4), round(r, 4), round(2 * p * r / (p + r) if p + r else 0.0, 4)

    total = [sum(t[k] for t in tally.values()) for k in range(3)]
    out: dict[str, Any] = {"role": prf(*total)}
    out.update({role: prf(*t) for role, t in tally.items()})
    return out


def tune_thresholds(
    docs: Sequence[Doc],
    scored: Sequence[Scored],
    relevance: Sequence[float],
    records: Sequence[dict[str, Any]],
) -> tuple[dict[str, float], float]:
    """Coordinate ascent on micro role F1, one threshold at a time (the gate's, then each role's)."""
    thresholds = dict.fromkeys(ROLES, 0.5) | {"document": 0.0}
    best = ceaf(records, predict(docs, scored, relevance, thresholds))["role"][2]
    for _ in range(2):
        for key in ("document", *ROLES):
            grid = DOC_GRID if key == "document" else THRESHOLD_GRID
            for t in grid:
                trial = thresholds | {key: t}
                f1 = ceaf(records, predict(docs, scored, relevance, trial))["role"][2]
                if f1 > best:
                    best, thresholds = f1, trial
    return thresholds, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parser", choices=("entities", "base"), default="entities")
    ap.add_argument("--limit", type=int, default=None, help="only the first N train records (a quick run)")
    ap.add_argument("--heldout-out", type=Path, default=None, help="write the held-out slice as JSONL")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--c", type=float, default=None, help="use this regularisation, not the grid")
    ap.add_argument("--no-refit", action="store_true", help="ship the model fitted on the fit slice only")
    args = ap.parse_args()

    records = load_records(DATA)[: args.limit]
    if args.heldout_out is not None:
        args.heldout_out.parent.mkdir(parents=True, exist_ok=True)
        with args.heldout_out.open("w", encoding="utf-8") as fh:
            for r in records:
                if slice_of(r["id"]) == "heldout":
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    docs = parse(records, args.parser)
    parts: dict[str, list[int]] = {"fit": [], "tune": [], "heldout": []}
    for n, r in enumerate(records):
        parts[slice_of(r["id"])].append(n)
    print({k: len(v) for k, v in parts.items()}, flush=True)

    def part(name: str) -> tuple[list[Doc], list[dict[str, Any]], list[Example]]:
        d = [docs[n] for n in parts[name]]
        r = [records[n] for n in parts[name]]
        return d, r, examples(d, r)

    fit_docs, fit_recs, fit_ex = part("fit")
    tune_docs, tune_recs, tune_ex = part("tune")
    held_docs, held_recs, held_ex = part("heldout")
    print("candidate coverage (fit):", coverage(fit_docs, fit_recs), flush=True)
    print("examples:", len(fit_ex), Counter(ex.label for ex in fit_ex), flush=True)

    gate = fit_relevance(fit_docs, fit_recs)
    tune_rel = [gate.proba(doc_features(d))[1] for d in tune_docs]
    held_rel = [gate.proba(doc_features(d))[1] for d in held_docs]
    best: tuple[float, float, dict[str, float]] | None = None
    for c in (args.c,) if args.c is not None else C_GRID:
        model = fit(fit_ex, c)
        thresholds, f1 = tune_thresholds(
            tune_docs, score_docs(model, len(tune_docs), tune_ex), tune_rel, tune_recs
        )
        print(f"C={c}: tune role_f1 {f1:.4f} thresholds {thresholds}", flush=True)
        if best is None or f1 > best[0]:
            best = (f1, c, thresholds)
    assert best is not None
    tune_f1, c, thresholds = best
    model = fit(fit_ex, c)
    held_scored = score_docs(model, len(held_docs), held_ex)
    held = ceaf(held_recs, predict(held_docs, held_scored, held_rel, thresholds))
    print(f"chosen C={c}; held-out (fit-only models, document-level decoding): {held}", flush=True)
    no_gate = ceaf(held_recs, predict(held_docs, held_scored, held_rel, thresholds | {"document": 0.0}))
    print(f"held-out without the relevance gate: {no_gate}", flush=True)
    if not args.no_refit:
        model = fit(fit_ex + tune_ex, c)
        gate = fit_relevance(fit_docs + tune_docs, fit_recs + tune_recs)
    meta = {
        "data": "muc4-train.jsonl (GRIT), fit+tune slices by sha1(id) % 100 < 80"
        if not args.no_refit
        else "muc4-train.jsonl (GRIT), fit slice by sha1(id) % 100 < 65",
        "C": c,
        "parser": args.parser,
        "tune_role_f1": tune_f1,
        "heldout_doc_level": held,
        "n_features": len(model.weights),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    RoleModel(model, thresholds, gate, meta).save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, {len(model.weights)} features)")


if __name__ == "__main__":
    main()
