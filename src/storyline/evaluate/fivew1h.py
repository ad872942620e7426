"""5W1H: the top answer to who, what, when, where, why and how, against the coders' phrases.

The gold (Giveme5W1H) lists, per question, the phrases the coders chose, without offsets. The top
answer to a question is right when its token F1 with some gold phrase is at least 0.5 (tokens are
lower-cased, without punctuation and articles, as in SQuAD). For ``when``, an answer that is an ISO
date (``YYYY-MM-DD``) is also right when it equals a gold phrase's ``parsed`` date.

- ``who_p1`` … ``how_p1``: right answers over the articles that have gold phrases for the question; no
  answer counts as wrong. Questions without gold phrases are left out (``counts`` says how many); a
  question no article has gold for has no score (None).
- ``p1``: right answers over all scored questions.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Mapping, Sequence

from storyline.components.fivew1h import rule_answers, sentence_around
from storyline.evaluate.data import GoldDoc, Scored
from storyline.evaluate.spans import f1, ratio
from storyline.model import Analysis
from storyline.titlepass import main_event

QUESTIONS = ("who", "what", "when", "where", "why", "how")
METRICS = (*(f"{q}_p1" for q in QUESTIONS), "p1")
THRESHOLD = 0.5
#: ``sentence_around`` lives with the product's answers (storyline.components.fivew1h); re-exported.
__all__ = ["METRICS", "QUESTIONS", "fivew1h_answers", "is_right", "score", "sentence_around", "token_f1"]

Answers = dict[str, str | None]

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation + "“”‘’–—", " "))
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def tokens(text: str) -> list[str]:
    """Lower-cased tokens without punctuation or articles."""
    return _ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split()


def token_f1(answer: str, phrase: str) -> float:
    """Token overlap F1 of two strings (SQuAD's definition)."""
    a, b = tokens(answer), tokens(phrase)
    shared = sum((Counter(a) & Counter(b)).values())
    return f1(ratio(shared, len(a)), ratio(shared, len(b)))


def is_right(question: str, answer: str, phrases: Sequence[Mapping[str, object]]) -> bool:
    """Whether an answer matches one of the gold phrases (see the module docstring)."""
    dated = question == "when" and _ISO_DATE.match(answer)
    if dated and any(str(p.get("parsed") or "")[:10] == answer[:10] for p in phrases):
        return True
    return any(token_f1(answer, str(p["text"])) >= THRESHOLD for p in phrases)


def fivew1h_answers(analysis: Analysis) -> Answers:
    """Storyline's top answer per question, as the analysis gives it (None: no answer).

    The answers are the analysis' own ``fivew1h`` summary of its main event (built at analysis time
    by :mod:`storyline.components.fivew1h`: per question the rules or the learned answer ranker);
    an analysis without one (made before the summary existed, or by hand) is answered by the rules
    from its main event (:func:`storyline.titlepass.main_event`).
    """
    summary = analysis.fivew1h
    if summary is None:
        event = main_event(analysis.events)
        if event is None:
            return dict.fromkeys(QUESTIONS)
        rules = rule_answers(analysis, event)
        return {q: (a.text if (a := rules[q]) is not None else None) for q in QUESTIONS}
    return {q: (a.text if (a := getattr(summary, q)) is not None else None) for q in QUESTIONS}


def score(docs: Sequence[GoldDoc], preds: Sequence[Mapping[str, str | None]]) -> Scored:
    """Score the top answers against the gold phrases (weight-0 phrases are not gold)."""
    right = dict.fromkeys(QUESTIONS, 0)
    asked = dict.fromkeys(QUESTIONS, 0)
    answered = dict.fromkeys(QUESTIONS, 0)
    per_doc = []
    for doc, answers in zip(docs, preds, strict=True):
        row: dict[str, object] = {"id": doc.id}
        for question in QUESTIONS:
            phrases = [p for p in doc.gold.get(question) or [] if p.get("weight", 1) > 0]
            answer = answers.get(question)
            if not phrases:
                continue
            asked[question] += 1
            answered[question] += answer is not None
            ok = answer is not None and is_right(question, answer, phrases)
            right[question] += ok
            row[question] = {"answer": answer, "right": ok}
        per_doc.append(row)
    metrics: dict[str, float | None] = {
        f"{q}_p1": ratio(right[q], asked[q]) if asked[q] else None for q in QUESTIONS
    }
    metrics["p1"] = ratio(sum(right.values()), sum(asked.values())) if any(asked.values()) else None
    counts = {
        **{f"n_{q}": asked[q] for q in QUESTIONS},
        **{f"answered_{q}": answered[q] for q in QUESTIONS},
        **{f"no_gold_{q}": len(docs) - asked[q] for q in QUESTIONS},
    }
    return Scored(metrics, counts, per_doc)
