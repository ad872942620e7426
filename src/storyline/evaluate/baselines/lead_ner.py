"""``lead-ner`` baseline for 5W1H: the headline and the first named entities of the right kind.

- who: the first PERSON, ORG or NORP entity of the headline, else of the text.
- what: the headline (else the first sentence).
- when: the first DATE or TIME entity of the text, else of the headline.
- where: the first GPE, LOC or FAC entity of the headline, else of the text.
- why: the rest of the first sentence that has "because" or "due to", from that word on.
- how: no answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc

from storyline.evaluate.baselines._nlp import BATCH_SIZE, base_nlp
from storyline.evaluate.data import DataIssues, GoldDoc
from storyline.evaluate.fivew1h import QUESTIONS, Answers

WHO = ("PERSON", "ORG", "NORP")
WHEN = ("DATE", "TIME")
WHERE = ("GPE", "LOC", "FAC")
_WHY = re.compile(r"\b(because|due to)\b", re.IGNORECASE)


def _first(docs: Sequence[Doc], labels: tuple[str, ...]) -> str | None:
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ in labels:
                return str(ent.text)
    return None


def answers(title: Doc, body: Doc) -> Answers:
    sentences = [sent.text.strip() for sent in body.sents if sent.text.strip()]
    why = None
    for sentence in sentences:
        found = _WHY.search(sentence)
        if found:
            why = sentence[found.start() :]
            break
    what = title.text.strip() or (sentences[0] if sentences else None)
    result: Answers = dict.fromkeys(QUESTIONS)
    result.update(
        who=_first([title, body], WHO),
        what=what or None,
        when=_first([body, title], WHEN),
        where=_first([title, body], WHERE),
        why=why,
    )
    return result


def run(docs: Sequence[GoldDoc], issues: DataIssues) -> list[Answers]:
    nlp = base_nlp()
    titles = nlp.pipe((doc.article.title or "" for doc in docs), batch_size=BATCH_SIZE)
    bodies = nlp.pipe((doc.article.text for doc in docs), batch_size=BATCH_SIZE)
    return [answers(title, body) for title, body in zip(titles, bodies, strict=True)]
