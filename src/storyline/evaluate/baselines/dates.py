"""``dateparser`` baseline for timex: ``search_dates`` over the text, relative to the publication date.

Each hit becomes a DATE (value ``YYYY-MM-DD``), or a TIME (``YYYY-MM-DDTHH:MM``) when the matched text
shows a clock time. dateparser returns the matched substrings, not offsets: each is located in the
text after the previous one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from storyline.errors import Problem
from storyline.evaluate.data import DataIssues, GoldDoc
from storyline.evaluate.spans import Extent
from storyline.evaluate.timex import TimexPred
from storyline.pipeline import parse_published

_CLOCK = re.compile(r"\d:\d|\b[ap]\.?m\b|\bnoon\b|\bmidnight\b|o'clock", re.IGNORECASE)


def predict(text: str, published: str | None) -> list[TimexPred]:
    from dateparser.search import search_dates

    day = parse_published(published)
    settings = {"RELATIVE_BASE": dt.datetime.combine(day, dt.time())} if day is not None else {}
    found = search_dates(text, languages=["en"], settings=settings) or []
    preds = []
    cursor = 0
    for substring, moment in found:
        start = text.find(substring, cursor)
        if start < 0:
            start = text.find(substring)
        if start < 0:
            continue
        cursor = start + len(substring)
        extent = Extent.of(start, cursor, substring)
        if _CLOCK.search(substring):
            preds.append(TimexPred(extent, "TIME", moment.strftime("%Y-%m-%dT%H:%M")))
        else:
            preds.append(TimexPred(extent, "DATE", moment.date().isoformat()))
    return preds


def run(docs: Sequence[GoldDoc], issues: DataIssues) -> list[list[TimexPred]]:
    out = []
    for doc in docs:
        try:
            out.append(predict(doc.article.text, doc.article.published))
        except Exception as exc:  # a third-party failure on one article must not stop the run
            problem = Problem("E069", doc.where, name="dateparser", article=doc.id, reason=repr(exc))
            issues.add("baseline_failure", str(problem))
            out.append([])
    return out
