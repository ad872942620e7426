"""Error analysis of the claims stage's cue tagger on the tune slice of polnear-train (never on dev).

For every gold cue: was it found (any predicted cue overlaps it, as the scorer matches), and if not,
why: its head word's lemma never seen as a cue in the fit slice (the tagger does not even score it),
scored but under the threshold (with the probability), by part of speech and by length. Also the
predicted cues that overlap no gold cue, by lemma, to see what precision costs.

    .venv/bin/python training/analyse_claims_cues.py [--model path] [--slice tune|heldout]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

from train_claims import DATA, _tokens, add_tensors, load_records, parse, split  # noqa: E402

from storyline.components.attribution.extract import cue_anchor, dense_cue_scores, detect_cues  # noqa: E402
from storyline.components.attribution.features import cue_context, cue_features, quote_depth  # noqa: E402
from storyline.components.attribution.model import AttributionModel  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--slice", choices=["tune", "heldout"], default="tune")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/storyline-claims"))
    ap.add_argument("--show", type=int, default=40)
    args = ap.parse_args()
    model = AttributionModel.load(args.model)
    records = load_records(DATA)
    fit_set, tune_set, heldout = split(records)
    docs = parse(records, args.cache)
    add_tensors(docs, args.cache)
    if args.slice == "tune":
        lo, part = len(fit_set), tune_set
    else:
        lo, part = len(fit_set) + len(tune_set), heldout
    part_docs = docs[lo : lo + len(part)]
    n_gold = n_found = n_pred = n_fp = 0
    missed_kind: Counter[str] = Counter()
    missed_text: Counter[str] = Counter()
    fp_text: Counter[str] = Counter()
    found_kind: Counter[str] = Counter()
    near = 0
    for doc, rec in zip(part_docs, part, strict=True):
        inside = quote_depth(doc)
        cues = detect_cues(doc, model, inside)
        pred_sets = [set(run) for run, _ in cues]
        n_pred += len(pred_sets)
        gold_sets = []
        for att in rec["gold"]["attributions"]:
            toks = _tokens(doc, att["cue"])
            if toks:
                gold_sets.append(toks)
        for g in gold_sets:
            n_gold += 1
            anchor = cue_anchor(doc, sorted(g))
            length = "1" if len(g) == 1 else "2" if len(g) == 2 else "3+"
            kind = f"{anchor.pos_}/{length}"
            if any(g & p for p in pred_sets):
                n_found += 1
                found_kind[kind] += 1
                continue
            seen = model.may_cue(anchor.lemma_.lower())
            dense = dense_cue_scores(doc, model)
            feats = cue_features(anchor, cue_context(doc, model.cue_prior, inside))
            p = model.cue.proba(feats, dense[anchor.i] if dense else 0.0)[1] if seen else 0.0
            reason = "unseen" if not seen else ("near" if p >= model.cue_threshold - 0.15 else "low")
            near += reason == "near"
            missed_kind[f"{kind}/{reason}"] += 1
            missed_text[" ".join(doc[i].lower_ for i in sorted(g))] += 1
        for p in pred_sets:
            if not any(p & g for g in gold_sets):
                n_fp += 1
                fp_text[" ".join(doc[i].lower_ for i in sorted(p))] += 1
    print(
        f"gold cues {n_gold}, found {n_found} (recall {n_found / n_gold:.3f}); "
        f"predicted {n_pred}, unmatched {n_fp} (precision {(n_pred - n_fp) / n_pred:.3f})"
    )
    print(f"missed {n_gold - n_found}, of which within 0.15 of the threshold: {near}")
    print("\nmissed by anchor POS / length / reason:")
    for k, v in missed_kind.most_common(30):
        print(f"  {v:5d}  {k}   (found {found_kind[k.rsplit('/', 1)[0]]})")
    print("\nmost frequent missed cue strings:")
    for k, v in missed_text.most_common(args.show):
        print(f"  {v:4d}  {k}")
    print("\nmost frequent false-positive cue strings:")
    for k, v in fp_text.most_common(args.show):
        print(f"  {v:4d}  {k}")


if __name__ == "__main__":
    main()
