"""Stories: clusters of articles that report the same event, against ``gold.story``.

Clusters are built over all the articles of the files at once; every article gets one cluster label.

- ``bcubed_p``, ``bcubed_r``, ``bcubed_f1``: B-cubed (Bagga & Baldwin 1998). For each article, precision
  is the share of its predicted cluster that shares its gold story, recall the share of its gold story
  that shares its predicted cluster; both are averaged over articles, and F1 is their harmonic mean.
- ``ari``: the adjusted Rand index (Hubert & Arabie 1985) of the two partitions.

Storyline's side calls ``storyline.stories.cluster(analyses)`` (:func:`storyline_clusters`); until that
function exists Storyline has no stories score ("not available"), never a made-up one.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from math import comb
from typing import Any

from storyline.evaluate.data import DataIssues, GoldDoc, Scored
from storyline.evaluate.spans import f1, ratio
from storyline.model import Analysis

METRICS = ("bcubed_p", "bcubed_r", "bcubed_f1", "ari")
UNAVAILABLE = "storyline.stories.cluster does not exist yet"


def storyline_clusters(analyses: Sequence[Analysis]) -> list[str] | None:
    """Storyline's cluster label for each analysis, in order; None when clustering is not available.

    ``storyline.stories.cluster(analyses)`` may return a mapping from article id to a cluster label,
    or clusters as iterables of article ids (or of analyses). An article it leaves out is a cluster of
    its own.
    """
    if not is_available():
        return None
    module = importlib.import_module("storyline.stories")
    result = module.cluster(list(analyses))
    return labels_from(result, [analysis.article.id for analysis in analyses])


def is_available() -> bool:
    """Whether ``storyline.stories.cluster`` exists."""
    try:
        module = importlib.import_module("storyline.stories")
    except ImportError:
        return False
    return callable(getattr(module, "cluster", None))


def labels_from(result: Any, ids: Sequence[str]) -> list[str]:
    """Cluster labels aligned with ``ids`` from a mapping id -> label or from an iterable of clusters."""
    by_id: dict[str, str] = {}
    if isinstance(result, Mapping):
        by_id = {str(key): str(label) for key, label in result.items()}
    else:
        for number, members in enumerate(result):
            for member in members:
                key = member.article.id if isinstance(member, Analysis) else str(member)
                by_id[key] = f"c{number}"
    return [by_id.get(article_id, f"single:{i}") for i, article_id in enumerate(ids)]


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted partition (labels per item) against the gold."""
    pairs = Counter(zip(gold, pred, strict=True))
    gold_sizes, pred_sizes = Counter(gold), Counter(pred)
    n = len(gold)
    # Every item of the cell (g, p) has |cell| items in common with its own clusters.
    precision = ratio(sum(size * size / pred_sizes[p] for (_, p), size in pairs.items()), n)
    recall = ratio(sum(size * size / gold_sizes[g] for (g, _), size in pairs.items()), n)
    return precision, recall, f1(precision, recall)


def adjusted_rand_index(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """ARI from the contingency table; 1.0 when both partitions are trivial in the same way."""
    n = len(gold)
    if n < 2:
        return 1.0
    index = sum(comb(size, 2) for size in Counter(zip(gold, pred, strict=True)).values())
    gold_pairs = sum(comb(size, 2) for size in Counter(gold).values())
    pred_pairs = sum(comb(size, 2) for size in Counter(pred).values())
    expected = gold_pairs * pred_pairs / comb(n, 2)
    maximum = (gold_pairs + pred_pairs) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def score(docs: Sequence[GoldDoc], preds: Iterable[str]) -> Scored:
    """Score one cluster label per article against ``gold.story``."""
    labels = list(preds)
    issues = DataIssues()
    gold = []
    for i, doc in enumerate(docs):
        story = doc.gold.get("story")
        if not isinstance(story, str) or not story:
            issues.left_out("no_story", doc.where, "no gold story; scored as a story of its own")
            story = f"missing:{i}"
        gold.append(story)
    precision, recall, f = bcubed(gold, labels)
    metrics: dict[str, float | None] = {
        "bcubed_p": precision,
        "bcubed_r": recall,
        "bcubed_f1": f,
        "ari": adjusted_rand_index(gold, labels),
    }
    counts = {"n_docs": len(docs), "gold_stories": len(set(gold)), "pred_clusters": len(set(labels))}
    per_doc = [{"id": doc.id, "gold": g, "pred": p} for doc, g, p in zip(docs, gold, labels, strict=True)]
    return Scored(metrics, counts, per_doc, issues)
