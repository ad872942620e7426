"""A rules-only attribution extractor, kept as the comparison for the trained claims models.

Cue: a verb whose lemma was a cue at least half the times it occurred in the fit slice of PolNeAR
train (a lexicon learned from counts, not from context), or "according to". Source: the verb's
subject subtree (or the object of "according to"). Content: the verb's clausal complement, else the
clause it is attached to, else the rest of its sentence. Scored on the tune slice of train and on any
JSONL given, with the scorer of ``storyline eval quotes``.

    .venv/bin/python training/quotes_rules_baseline.py [/path/to/other.jsonl ...]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc, Span

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_claims as tc

from storyline.evaluate.data import GoldDoc
from storyline.evaluate.quotes import ClaimPred, score
from storyline.evaluate.spans import Extent

MIN_PRECISION = 0.5
MIN_COUNT = 3


def lexicon(docs: list[Doc], records: list[dict]) -> set[str]:  # type: ignore[type-arg]
    seen: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for doc, rec in zip(docs, records, strict=True):
        gold: set[int] = set()
        for att in rec["gold"]["attributions"]:
            gold |= tc._tokens(doc, att["cue"])
        for tok in doc:
            if tok.pos_ == "VERB":
                seen[tok.lemma_.lower()] += 1
                cue[tok.lemma_.lower()] += tok.i in gold
    return {lem for lem, n in seen.items() if n >= MIN_COUNT and cue[lem] / n >= MIN_PRECISION}


def _ext(span: Span) -> Extent:
    return Extent.of(span.start_char, span.end_char, span.text)


def predict(doc: Doc, lex: set[str]) -> list[ClaimPred]:
    preds = []
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            sent = tok.sent
            skip = set(range(tok.left_edge.i, tok.right_edge.i + 1))
            rest = [t for t in sent if t.i not in skip and not t.is_punct and not t.is_space]
            if rest:
                content = doc[rest[0].i : rest[-1].i + 1]
                src = doc[pobj[0].left_edge.i : pobj[0].right_edge.i + 1] if pobj else None
                preds.append(
                    ClaimPred(_ext(content), _ext(src) if src else None, _ext(doc[tok.i : tok.i + 2]))
                )
            continue
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in lex:
            continue
        subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
        comp = [c for c in tok.children if c.dep_ in {"ccomp", "xcomp", "dobj"}]
        if comp:
            c = comp[0]
            content = doc[c.left_edge.i : c.right_edge.i + 1]
        elif tok.head.i != tok.i and tok.dep_ in {"parataxis", "advcl", "conj"}:
            h = tok.head
            content = doc[h.left_edge.i : tok.left_edge.i]
        else:
            rest = [t for t in tok.sent if t.i > tok.i and not t.is_punct and not t.is_space]
            if not rest:
                continue
            content = doc[rest[0].i : rest[-1].i + 1]
        if not content.text.strip():
            continue
        src = doc[subj[0].left_edge.i : subj[0].right_edge.i + 1] if subj else None
        preds.append(ClaimPred(_ext(content), _ext(src) if src else None, _ext(doc[tok.i : tok.i + 1])))
    return preds


def main() -> None:
    records = tc.load_records(tc.DATA)
    fit_set, tune_set, _ = tc.split(records)
    tc._load_gold(tc.DATA)
    docs = tc.parse(records, Path("/tmp/storyline-claims"))
    lex = lexicon(docs[: len(fit_set)], fit_set)
    print(f"lexicon: {len(lex)} lemmas", flush=True)
    tune_docs = docs[len(fit_set) : len(fit_set) + len(tune_set)]
    gold = [GoldDoc("tune", tc._RECORDS[r["id"]]) for r in tune_set]
    m = score(gold, [predict(d, lex) for d in tune_docs]).metrics
    print("tune: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items()), flush=True)
    nlp = spacy.load(tc.BASE_MODEL, exclude=["ner"])
    for path in sys.argv[1:]:
        from storyline.evaluate.data import load_corpus

        corpus = load_corpus([path])
        parsed = list(nlp.pipe(d.article.text for d in corpus.docs))
        m = score(corpus.docs, [predict(d, lex) for d in parsed]).metrics
        print(f"{path}: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items()), flush=True)


if __name__ == "__main__":
    main()
