"""Summaries: ROUGE of the article's highlights against ``gold.summary``.

ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum F1 from the ``rouge-score`` package (Porter stemming on),
computed per article and averaged over articles. For ``rougeLsum`` both texts are split into
sentences, one per line (published LEAD-3 figures are ROUGE-Lsum); the other three ignore line breaks.
Sentences are split by spaCy's rule-based sentencizer, the same for the summary, the reference and the
baselines, so no tokenizer model is downloaded at run time.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from functools import lru_cache

from spacy.language import Language

from storyline.evaluate.data import DataIssues, GoldDoc, Scored
from storyline.model import Analysis

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")
BATCH_SIZE = 64


def from_analysis(analysis: Analysis) -> str:
    """Storyline's summary: the highlights of the text, in text order, joined by spaces."""
    return " ".join(span.text for span in analysis.highlights if span.field != "title")


@lru_cache(maxsize=1)
def _sentencizer() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(texts: Iterable[str]) -> list[list[str]]:
    """Each text split into its sentences (whitespace-trimmed, empty ones dropped)."""
    out = []
    for doc in _sentencizer().pipe(texts, batch_size=BATCH_SIZE):
        out.append([text for sent in doc.sents if (text := " ".join(sent.text.split()))])
    return out


def score(docs: Sequence[GoldDoc], preds: Sequence[str]) -> Scored:
    """Average ROUGE F1 of each predicted summary against its reference."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    issues = DataIssues()
    pairs = []
    for doc, pred in zip(docs, preds, strict=True):
        reference = doc.gold.get("summary")
        if not isinstance(reference, str) or not reference.strip():
            issues.left_out("no_summary", doc.where, "no reference summary")
            continue
        pairs.append((doc, reference, pred))
    references = sentences(reference for _, reference, _ in pairs)
    predictions = sentences(pred for _, _, pred in pairs)
    totals: dict[str, list[float]] = {metric: [] for metric in METRICS}
    per_doc = []
    for (doc, _, _), reference_lines, pred_lines in zip(pairs, references, predictions, strict=True):
        scores = scorer.score("\n".join(reference_lines), "\n".join(pred_lines))
        row: dict[str, object] = {"id": doc.id}
        for metric in METRICS:
            totals[metric].append(scores[metric].fmeasure)
            row[metric] = round(scores[metric].fmeasure, 4)
        per_doc.append(row)
    metrics: dict[str, float | None] = {
        metric: statistics.fmean(values) if values else None for metric, values in totals.items()
    }
    counts = {"n_docs": len(pairs), "empty_summaries": sum(1 for lines in predictions if not lines)}
    return Scored(metrics, counts, per_doc, issues)
