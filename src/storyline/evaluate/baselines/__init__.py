"""Named peers run on the same articles as Storyline, so a score can be read against a baseline.

One baseline per task, each in its own module with a ``run(docs, issues)`` that returns predictions of
the task's type (see the task module). None of them is tuned on the evaluation data.

| task | name | what it does |
|---|---|---|
| timex | ``dateparser`` | dateparser's ``search_dates``, relative to the publication date |
| geo | ``gazetteer`` | spaCy GPE/LOC entities, each the most populous GeoNames entry of that name |
| quotes | ``textacy`` | textacy's ``direct_quotations`` (speaker, cue, quoted content) |
| casualties | ``nearest-number`` | the number nearest to "killed"/"injured"; published date; first US city |
| fivew1h | ``lead-ner`` | headline and first entities: who, what (headline), when, where; why: "because" |
| templates | ``svo`` | subjects and objects of attack verbs in the parse; weapon nouns |
| stories | ``tfidf`` | average-linkage agglomerative clustering of TF-IDF vectors, cosine distance < 0.8 |
| summaries | ``lead3`` | the first three sentences |
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from storyline.errors import StorylineError
from storyline.evaluate.data import DataIssues, GoldDoc

#: task -> (baseline name, module under storyline.evaluate.baselines)
BASELINES: dict[str, tuple[str, str]] = {
    "timex": ("dateparser", "dates"),
    "geo": ("gazetteer", "gazetteer"),
    "quotes": ("textacy", "quotations"),
    "casualties": ("nearest-number", "nearest_number"),
    "fivew1h": ("lead-ner", "lead_ner"),
    "templates": ("svo", "svo"),
    "stories": ("tfidf", "tfidf"),
    "stories-embed": ("tfidf", "tfidf"),
    "summaries": ("lead3", "lead3"),
}


def baseline_name(task: str) -> str:
    """The name of the task's baseline."""
    return BASELINES[task][0]


def check(task: str, name: str) -> None:
    """Raise E060 unless ``name`` is the task's baseline."""
    if BASELINES[task][0] != name:
        raise StorylineError("E060", name=name, task=task, choices=repr(BASELINES[task][0]))


def run(task: str, docs: Sequence[GoldDoc], issues: DataIssues) -> list[Any]:
    """Run the task's baseline on the documents: one prediction per document, in order."""
    module = importlib.import_module(f"{__name__}.{BASELINES[task][1]}")
    predictions: list[Any] = module.run(docs, issues)
    return predictions
