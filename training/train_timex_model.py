"""Train the times stage's learned candidate filter on TimeBank; write resources/times/candidate_filter.json.

The rules propose and resolve candidates; a logistic regression over
:func:`storyline.components.timex.learned.candidate_features` decides which are emitted. The label of a
candidate is whether it matches a gold TIMEX3 (one-to-one, largest overlap first, as the scorer
matches) *with the same value*: the filter is there to lift value F1, so a candidate the annotators
marked with another value (TimeBank's "a year ago" = the year-ago quarter, ...) counts as a negative.

Protocol:

- model selection (C, threshold, which categories the filter may drop, the label) by 5-fold
  cross-validation over TimeBank *documents*; the objective is value F1 + relaxed F1 of the out-of-fold
  predictions;
- the chosen setting is refit on all of TimeBank and exported; AQUAINT is never used for training or
  selection and is scored as held-out data (but the rules themselves were tuned while looking at both);
- a clean split is reported as well: train on TimeBank documents with even index, test on odd, and vice
  versa (selection by inner CV on the training half).

Deterministic: documents in file order, folds by index, lbfgs (no randomness), weights
rounded. Usage::

    .venv/bin/python training/train_timex_model.py [--cache DIR] [--out PATH] [--report PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "timex"
OUT = ROOT / "src" / "storyline" / "resources" / "times" / "timex_model.json"

# Categories whose candidates the filter may drop ("vague": references, fuzzy durations, sets, bare
# parts of the day); the alternative is every category.
VAGUE = ("ref", "duration", "set", "pod", "podword", "the_time", "bare", "t")
C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.2, 0.61, 0.05))
FOLDS = 5
# A decision ships only when cross-validation says it adds at least this much (value F1 + relaxed F1 for
# the filter, value F1 for the value decisions): two or three items of TimeBank's 1,243 are noise.
MIN_GAIN = 0.005


@dataclass
class Cand:
    start: int
    end: int
    cat: str
    value: str | None
    type: str
    features: list[str]
    alts: dict[str, tuple[str, str]]


@dataclass
class Doc:
    id: str
    gold: list[tuple[int, int, str, str]]  # start, end, type, value
    cands: list[Cand]


def match(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one greedy matching by largest character overlap (the scorer's rule)."""
    pairs = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                pairs.append((-overlap, gi, pi))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def load_docs(name: str, cache: Path) -> list[Doc]:
    """Run the rules over a file (spaCy parses cached in ``cache``) and featurise every candidate."""
    from spacy.tokens import DocBin

    from storyline.components.times import candidates
    from storyline.components.timex.learned import candidate_features
    from storyline.ingest.base import make_article
    from storyline.pipeline import load, make_doc

    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    nlp = load(stages=())
    articles = [make_article(text=r["text"], published=r["published"], id=r["id"]) for r in records]
    cached = cache / f"{name}.spacy"
    if cached.exists():
        parsed = list(DocBin().from_disk(cached).get_docs(nlp.vocab))
    else:
        parsed = list(nlp.pipe((make_doc(nlp, a) for a in articles), batch_size=16))
        cached.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=parsed).to_disk(cached)
    docs = []
    for record, article, sdoc in zip(records, articles, parsed, strict=True):
        sdoc._.article = article
        published = dt.date.fromisoformat(record["published"][:10])
        document, found = candidates(sdoc, published, alternatives=True)
        cands = [
            Cand(
                c.chunk.start,
                c.chunk.end,
                c.chunk.cat,
                c.value,
                c.type,
                candidate_features(
                    document.text, document.index, c.sentence_start, c.chunk, value=c.value, type_=c.type
                ),
                dict(c.alternatives),
            )
            for c in found
        ]
        gold = [(t["start"], t["end"], t["type"], t["value"]) for t in record["gold"]["timexes"]]
        docs.append(Doc(record["id"], gold, cands))
    return docs


def labels(doc: Doc, kind: str) -> list[int]:
    """1 for a candidate that matches gold (``match``) or matches it with the gold value (``value``)."""
    pairs = match([(g[0], g[1]) for g in doc.gold], [(c.start, c.end) for c in doc.cands])
    y = [0] * len(doc.cands)
    for gi, pi in pairs:
        if kind == "match" or doc.cands[pi].value == doc.gold[gi][3]:
            y[pi] = 1
    return y


def score(
    docs: Sequence[Doc], keep: Sequence[Sequence[bool]], switch: Sequence[Sequence[str | None]] | None = None
) -> dict[str, float]:
    """Strict / relaxed / value F1 and type accuracy of the kept candidates (the harness's rules), each
    with its alternative value when ``switch`` names one."""
    n_gold = n_pred = strict = relaxed = value = typed = 0
    for d, (doc, mask) in enumerate(zip(docs, keep, strict=True)):
        chosen = switch[d] if switch is not None else [None] * len(doc.cands)
        pred = []
        for c, k, alt in zip(doc.cands, mask, chosen, strict=True):
            if k:
                v, t = c.alts[alt] if alt is not None else (c.value, c.type)
                pred.append((c.start, c.end, v, t))
        pairs = match([(g[0], g[1]) for g in doc.gold], [(p[0], p[1]) for p in pred])
        n_gold += len(doc.gold)
        n_pred += len(pred)
        relaxed += len(pairs)
        for gi, pi in pairs:
            g, p = doc.gold[gi], pred[pi]
            strict += (g[0], g[1]) == (p[0], p[1])
            value += p[2] is not None and p[2] == g[3]
            typed += p[3] == g[2]

    def f1(hits: int) -> float:
        return 2 * hits / (n_pred + n_gold) if n_pred + n_gold else 0.0

    return {
        "strict_f1": round(f1(strict), 4),
        "relaxed_f1": round(f1(relaxed), 4),
        "value_f1": round(f1(value), 4),
        "type_acc": round(typed / relaxed, 4) if relaxed else 0.0,
        "n_pred": n_pred,
        "n_gold": n_gold,
    }


def fit(
    docs: Sequence[Doc], c: float, label: str, scope: tuple[str, ...] | None
) -> tuple[DictVectorizer, Any]:
    rows, y = [], []
    for doc in docs:
        for cand, lab in zip(doc.cands, labels(doc, label), strict=True):
            if scope is None or cand.cat in scope:
                rows.append(dict.fromkeys(cand.features, 1.0))
                y.append(lab)
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(rows)
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=2000)
    model.fit(x, np.array(y))
    return vec, model


def predict(vec: DictVectorizer, model: Any, docs: Sequence[Doc]) -> list[list[float]]:
    out = []
    for doc in docs:
        if not doc.cands:
            out.append([])
            continue
        x = vec.transform([dict.fromkeys(c.features, 1.0) for c in doc.cands])
        out.append(model.predict_proba(x)[:, 1].tolist())
    return out


def masks(
    docs: Sequence[Doc], probs: Sequence[Sequence[float]], thr: float, scope: tuple[str, ...] | None
) -> list[list[bool]]:
    return [
        [p >= thr or (scope is not None and c.cat not in scope) for c, p in zip(doc.cands, ps, strict=True)]
        for doc, ps in zip(docs, probs, strict=True)
    ]


def objective(s: dict[str, float]) -> float:
    return s["value_f1"] + s["relaxed_f1"]


def select(
    docs: Sequence[Doc], folds: int = FOLDS, fold_of: Sequence[int] | None = None
) -> tuple[dict[str, Any], list[list[float]]]:
    """Cross-validated choice of (label, scope, C, threshold), and its out-of-fold probabilities."""
    best: tuple[float, dict[str, Any], list[list[float]]] | None = None
    fold_of = fold_of or [i % folds for i in range(len(docs))]
    for label in ("value", "match"):
        for scope_name, scope in (("all", None), ("vague", VAGUE)):
            for c in C_GRID:
                oof: list[list[float]] = [[] for _ in docs]
                for k in range(folds):
                    train = [d for d, f in zip(docs, fold_of, strict=True) if f != k]
                    test_idx = [i for i, f in enumerate(fold_of) if f == k]
                    vec, model = fit(train, c, label, scope)
                    for i, p in zip(test_idx, predict(vec, model, [docs[i] for i in test_idx]), strict=True):
                        oof[i] = p
                for thr in THRESHOLDS:
                    s = score(docs, masks(docs, oof, thr, scope))
                    setting = {"label": label, "scope": scope_name, "C": c, "threshold": thr, "cv": s}
                    if best is None or objective(s) > best[0] + 1e-9:
                        best = (objective(s), setting, oof)
    assert best is not None
    return best[1], best[2]


def export_emit(vec: DictVectorizer, model: Any, setting: dict[str, Any]) -> dict[str, Any]:
    names = vec.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= 1e-3
    }
    return {
        "label": setting["label"],
        "C": setting["C"],
        "threshold": setting["threshold"],
        "categories": list(VAGUE) if setting["scope"] == "vague" else None,
        "bias": round(float(model.intercept_[0]), 4),
        "weights": dict(sorted(weights.items())),
    }


def scope_of(setting: dict[str, Any]) -> tuple[str, ...] | None:
    return VAGUE if setting["scope"] == "vague" else None


# --- the value decisions ---------------------------------------------------------------------------

V_C_GRID = (0.03, 0.1, 0.3, 1.0)
V_THRESHOLDS = (0.5, 0.6, 0.7, 0.8)


def value_examples(docs: Sequence[Doc]) -> tuple[list[dict[str, float]], list[int]]:
    """(alternative features, 1 when the alternative is the gold value / 0 when the rules' value is),
    for matched candidates with alternatives; pairs where neither is gold teach nothing and are left out."""
    from storyline.components.timex.learned import alternative_features

    rows, y = [], []
    for doc in docs:
        pairs = match([(g[0], g[1]) for g in doc.gold], [(c.start, c.end) for c in doc.cands])
        for gi, pi in pairs:
            cand, gold_value = doc.cands[pi], doc.gold[gi][3]
            for name, (alt, _) in sorted(cand.alts.items()):
                if gold_value not in (alt, cand.value):
                    continue
                rows.append(dict.fromkeys(alternative_features(name, cand.features), 1.0))
                y.append(int(alt == gold_value))
    return rows, y


def fit_values(docs: Sequence[Doc], c: float) -> tuple[DictVectorizer, Any] | None:
    rows, y = value_examples(docs)
    if len(set(y)) < 2:
        return None
    vec = DictVectorizer(sort=True)
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=2000)
    model.fit(vec.fit_transform(rows), np.array(y))
    return vec, model


def choose_values(
    fitted: tuple[DictVectorizer, Any] | None, docs: Sequence[Doc], thr: float
) -> list[list[str | None]]:
    from storyline.components.timex.learned import alternative_features

    out: list[list[str | None]] = []
    for doc in docs:
        row: list[str | None] = []
        for cand in doc.cands:
            best: tuple[float, str] | None = None
            if fitted is not None and cand.alts:
                vec, model = fitted
                names = sorted(cand.alts)
                x = vec.transform([dict.fromkeys(alternative_features(n, cand.features), 1.0) for n in names])
                for n, p in zip(names, model.predict_proba(x)[:, 1], strict=True):
                    if p >= thr and (best is None or p > best[0]):
                        best = (float(p), n)
            row.append(best[1] if best else None)
        out.append(row)
    return out


def select_values(
    docs: Sequence[Doc], folds: int = FOLDS, fold_of: Sequence[int] | None = None
) -> tuple[dict[str, Any], list[list[str | None]]]:
    """Cross-validated (C, threshold) of the value decisions; the objective is value F1."""
    fold_of = fold_of or [i % folds for i in range(len(docs))]
    keep_all = [[True] * len(d.cands) for d in docs]
    best: tuple[float, dict[str, Any], list[list[str | None]]] = (
        score(docs, keep_all)["value_f1"],
        {"C": None, "threshold": None},
        [[None] * len(d.cands) for d in docs],
    )
    for c in V_C_GRID:
        fitted = [
            fit_values([d for d, f in zip(docs, fold_of, strict=True) if f != k], c) for k in range(folds)
        ]
        for thr in V_THRESHOLDS:
            oof: list[list[str | None]] = [[] for _ in docs]
            for k in range(folds):
                idx = [i for i, f in enumerate(fold_of) if f == k]
                for i, row in zip(idx, choose_values(fitted[k], [docs[i] for i in idx], thr), strict=True):
                    oof[i] = row
            v = score(docs, keep_all, oof)["value_f1"]
            if v > best[0] + 1e-9:
                best = (v, {"C": c, "threshold": thr}, oof)
    return best[1], best[2]


def export_values(fitted: tuple[DictVectorizer, Any], setting: dict[str, Any]) -> dict[str, Any]:
    vec, model = fitted
    names = vec.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= 1e-3
    }
    return {
        "C": setting["C"],
        "threshold": setting["threshold"],
        "categories": None,
        "bias": round(float(model.intercept_[0]), 4),
        "weights": dict(sorted(weights.items())),
    }


def dedup_folds(docs: Sequence[Doc], texts: Sequence[str], folds: int = FOLDS) -> list[int]:
    """Folds by document, near-duplicates (reprinted wire stories: 8-word shingles, overlap > 0.3 of the
    smaller) kept in one fold so that no story is trained and tested on."""
    shingles = []
    for t in texts:
        w = t.lower().split()
        shingles.append({tuple(w[i : i + 8]) for i in range(len(w) - 7)})
    group = list(range(len(docs)))
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            a, b = shingles[i], shingles[j]
            if a and b and len(a & b) / min(len(a), len(b)) > 0.3:
                group[j] = group[i]
    return [group[i] % folds for i in range(len(docs))]


def pooled(
    timebank: Sequence[Doc], aquaint: Sequence[Doc], texts: Sequence[str], report: dict[str, Any]
) -> None:
    """The other protocol: TimeBank + AQUAINT pooled, 5-fold CV by (de-duplicated) document; figures per
    corpus are out-of-fold, so AQUAINT's are an estimate on unseen AQUAINT-like stories."""
    docs = list(timebank) + list(aquaint)
    fold_of = dedup_folds(docs, texts)
    setting, oof = select(docs, fold_of=fold_of)
    scope = scope_of(setting)
    vsetting, voof = select_values(docs, fold_of=fold_of)
    report["selected_emit"] = {k: v for k, v in setting.items() if k != "cv"}
    report["selected_values"] = vsetting
    mask = masks(docs, oof, setting["threshold"], scope)
    keep_all = [[True] * len(d.cands) for d in docs]
    for name, lo, hi in (("timebank", 0, len(timebank)), ("aquaint", len(timebank), len(docs))):
        part = docs[lo:hi]
        report[f"{name}_rules"] = score(part, keep_all[lo:hi])
        report[f"{name}_cv_emit"] = score(part, mask[lo:hi])
        report[f"{name}_cv_values"] = score(part, keep_all[lo:hi], voof[lo:hi])
        report[f"{name}_cv_both"] = score(part, mask[lo:hi], voof[lo:hi])


def evaluate(train: Sequence[Doc], tests: dict[str, Sequence[Doc]], report: dict[str, Any]) -> dict[str, Any]:
    """Select both decisions on ``train`` by CV, refit on it, score each test set three ways.

    Returns the exported model (both decisions) and fills ``report``.
    """
    setting, oof = select(train)
    scope = scope_of(setting)
    vsetting, voof = select_values(train)
    report["selected_emit"] = {k: v for k, v in setting.items() if k != "cv"}
    report["selected_values"] = vsetting
    keep_all = [[True] * len(d.cands) for d in train]
    report["train_rules"] = score(train, keep_all)
    report["train_cv_emit"] = score(train, masks(train, oof, setting["threshold"], scope))
    report["train_cv_values"] = score(train, keep_all, voof)
    report["train_cv_both"] = score(train, masks(train, oof, setting["threshold"], scope), voof)
    vec, model = fit(train, setting["C"], setting["label"], scope)
    fitted_v = fit_values(train, vsetting["C"]) if vsetting["C"] is not None else None
    for name, test in tests.items():
        mask = masks(test, predict(vec, model, test), setting["threshold"], scope)
        chosen = choose_values(fitted_v, test, vsetting["threshold"]) if fitted_v else None
        report[f"{name}_rules"] = score(test, [[True] * len(d.cands) for d in test])
        report[f"{name}_emit"] = score(test, mask)
        report[f"{name}_values"] = score(test, [[True] * len(d.cands) for d in test], chosen)
        report[f"{name}_both"] = score(test, mask, chosen)
    emit_gain = objective(report["train_cv_emit"]) - objective(report["train_rules"])
    values_gain = report["train_cv_values"]["value_f1"] - report["train_rules"]["value_f1"]
    report["cv_gain"] = {"emit": round(emit_gain, 4), "values": round(values_gain, 4), "min_gain": MIN_GAIN}
    return {
        "about": "times stage learned decisions (storyline.components.timex.learned), trained on TimeBank "
        "by training/train_timex_model.py; a decision is null when cross-validation did not show a gain "
        f"of at least {MIN_GAIN}",
        "cv_gain": report["cv_gain"],
        "emit": export_emit(vec, model, setting) if emit_gain >= MIN_GAIN else None,
        "values": export_values(fitted_v, vsetting) if fitted_v and values_gain >= MIN_GAIN else None,
        "emit_candidate": export_emit(vec, model, setting) if emit_gain < MIN_GAIN else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sl_timex_cache"))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--report", type=Path, help="write the figures as JSON here")
    parser.add_argument("--no-splits", action="store_true", help="skip the even/odd clean split")
    parser.add_argument("--pooled", action="store_true", help="also report TimeBank+AQUAINT pooled CV")
    args = parser.parse_args()
    timebank = load_docs("timebank", args.cache)
    aquaint = load_docs("aquaint", args.cache)
    report: dict[str, Any] = {"shipped (train: all TimeBank)": {}}
    data = evaluate(timebank, {"aquaint": aquaint}, report["shipped (train: all TimeBank)"])
    if not args.no_splits:
        even, odd = timebank[0::2], timebank[1::2]
        report["split even->odd"] = {}
        evaluate(even, {"odd": odd}, report["split even->odd"])
        report["split odd->even"] = {}
        evaluate(odd, {"even": even}, report["split odd->even"])
    if args.pooled:
        texts = []
        for name in ("timebank", "aquaint"):
            with (DATA / f"{name}.jsonl").open(encoding="utf-8") as f:
                texts += [json.loads(line)["text"] for line in f]
        report["pooled TimeBank+AQUAINT, CV by document"] = {}
        pooled(timebank, aquaint, texts, report["pooled TimeBank+AQUAINT, CV by document"])
    for key in ("emit", "values", "emit_candidate"):
        if data.get(key):
            ranked = sorted(data[key]["weights"].items(), key=lambda kv: kv[1])
            report[f"{key}_top_negative"] = ranked[:20]
            report[f"{key}_top_positive"] = ranked[::-1][:20]
            report[f"{key}_n_weights"] = len(ranked)
    data.pop("emit_candidate")  # reported (its top weights above), not shipped
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    text = json.dumps(report, indent=1)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
