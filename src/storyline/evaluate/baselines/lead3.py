"""``lead3`` baseline for summaries: the first three sentences of the text."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.evaluate.data import DataIssues, GoldDoc
from storyline.evaluate.summaries import sentences

LEAD = 3


def run(docs: Sequence[GoldDoc], issues: DataIssues) -> list[str]:
    return [" ".join(lines[:LEAD]) for lines in sentences(doc.article.text for doc in docs)]
