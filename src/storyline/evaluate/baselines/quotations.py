"""``textacy`` baseline for quotes: textacy 0.13's ``direct_quotations`` on spaCy's parse.

Each (speaker, cue, content) triple is one claim: the content span as textacy gives it (inside the
quotation marks), the cue and the speaker from their first to their last token.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from storyline.errors import Problem
from storyline.evaluate.baselines._nlp import BATCH_SIZE, base_nlp
from storyline.evaluate.data import DataIssues, GoldDoc
from storyline.evaluate.quotes import ClaimPred
from storyline.evaluate.spans import Extent


def _extent(tokens: Sequence[Token]) -> Extent | None:
    if not tokens:
        return None
    start = min(token.idx for token in tokens)
    end = max(token.idx + len(token.text) for token in tokens)
    return Extent.of(start, end, tokens[0].doc.text[start:end])


def run(docs: Sequence[GoldDoc], issues: DataIssues) -> list[list[ClaimPred]]:
    from textacy.extract.triples import direct_quotations

    out = []
    texts = (doc.article.text for doc in docs)
    for doc, parsed in zip(docs, base_nlp().pipe(texts, batch_size=BATCH_SIZE), strict=True):
        preds = []
        try:
            for speaker, cue, content in direct_quotations(parsed):
                quoted = Extent.of(content.start_char, content.end_char, content.text)
                preds.append(ClaimPred(quoted, _extent(speaker), _extent(cue)))
        except Exception as exc:  # textacy fails on some quotation layouts; one article must not stop the run
            problem = Problem("E069", doc.where, name="textacy", article=doc.id, reason=repr(exc))
            issues.add("baseline_failure", str(problem))
        out.append(preds)
    return out
