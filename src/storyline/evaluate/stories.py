"""Stories: clusters of articles that report the same event, against ``gold.story``.

Clusters are built over all the articles of the files at once; every article gets one cluster label.

- ``bcubed_p``, ``bcubed_r``, ``bcubed_f1``: B-cubed (Bagga & Baldwin 1998). For each article, precision
  is the share of its predicted cluster that shares its gold story, recall the share of its gold story
  that shares its predicted cluster; both are averaged over articles, and F1 is their harmonic mean.
- ``ari``: the adjusted Rand index (Hubert & Arabie 1985) of the two partitions.

Storyline's side calls ``storyline.stories.cluster(analyses)`` (:func:`storyline_clusters`); until that
function exists Storyline has no stories score ("not available"), never a made-up one.

Besides the newscluster file, ``eval-all`` scores a set derived on the fly from the casualties file
(:func:`gva_pairs`): topics of two similar shootings, where text similarity alone fails.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from math import comb
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError
from storyline.evaluate.data import DataIssues, GoldDoc, Scored
from storyline.evaluate.spans import f1, ratio
from storyline.model import Analysis

METRICS = ("bcubed_p", "bcubed_r", "bcubed_f1", "ari")
UNAVAILABLE = "storyline.stories.cluster does not exist yet"


def storyline_clusters(analyses: Sequence[Analysis], scorer: str = "weighted") -> list[str] | None:
    """Storyline's cluster label for each analysis, in order; None when clustering is not available.

    ``storyline.stories.cluster(analyses)`` may return a mapping from article id to a cluster label,
    or clusters as iterables of article ids (or of analyses). An article it leaves out is a cluster of
    its own. ``scorer`` "learned": the learned pair model over sentence embeddings (the ``embed``
    extra; task ``stories-embed``).
    """
    if not is_available():
        return None
    module = importlib.import_module("storyline.stories")
    if scorer == "learned":
        from storyline.stories.clustering import Settings

        result = module.cluster(list(analyses), settings=Settings.learned())
    else:
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


# --- the derived held-out set: pairs of similar shootings (issue 10) ----------------------------------

#: The casualties file the pairs are derived from, under ../shared/data.
GVA_SOURCE = "casualties/gva-dev.jsonl"
#: The names ``eval-all`` reports the derived sets under (no such files exist: they are built on the fly).
GVA_PAIRS = {"dev": "stories/gva-pairs-dev (derived)", "heldout": "stories/gva-pairs-heldout (derived)"}
#: Two incidents make a topic when they are in the same state at most this many days apart.
PAIR_MAX_DAYS = 30
#: Pairs per split: enough incidents for a stable score, few enough to analyse in about a minute.
PAIRS_PER_SPLIT = 60
#: Articles shorter than this are mostly crawler boilerplate (MANIFEST: 102 texts under 300 characters).
MIN_TEXT = 300
_META = ("dataset", "topic", "split", "source_file")


def _digest(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def gva_pairs(
    records: Iterable[Mapping[str, Any]], split: str, pairs: int = PAIRS_PER_SPLIT
) -> list[dict[str, Any]]:
    """Stories-format records where each topic holds two similar shootings (same state, close dates).

    Why derived: newscluster's stories are far apart in topic, so text similarity alone nearly solves
    it; two shootings in one state a few days apart read alike, and only places, dates and names tell
    them apart. Gold story = GVA incident id. Incidents are paired within a state, consecutive by
    date, at most :data:`PAIR_MAX_DAYS` apart; incidents whose text the archive shares with another
    incident, and articles under :data:`MIN_TEXT` characters, are left out. A pair goes to ``dev``
    or ``heldout`` by the parity of the sha256 of its key (never by article), and each split keeps
    the first ``pairs`` pairs in hash order, so the result is deterministic and the halves disjoint.
    Records are returned sorted by id with ``meta.topic`` (the pair) and ``meta.split``.
    """
    import datetime as dt

    if split not in GVA_PAIRS:
        raise ValueError(f"split must be one of {sorted(GVA_PAIRS)}, not {split!r}")
    incidents: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        gold, meta = record.get("gold") or {}, record.get("meta") or {}
        if int(meta.get("same_text_incidents") or 1) > 1 or len(record.get("text") or "") < MIN_TEXT:
            continue
        if isinstance(gold.get("incident_id"), str) and gold.get("date") and gold.get("state"):
            incidents.setdefault(gold["incident_id"], []).append(record)
    by_state: dict[str, list[tuple[dt.date, str]]] = {}
    for incident, members in incidents.items():
        gold = members[0]["gold"]
        by_state.setdefault(gold["state"], []).append((dt.date.fromisoformat(gold["date"]), incident))
    chosen: list[tuple[str, str, str]] = []
    for state in sorted(by_state):
        dated = sorted(by_state[state])
        i = 0
        while i + 1 < len(dated):
            (day_a, a), (day_b, b) = dated[i], dated[i + 1]
            if (day_b - day_a).days <= PAIR_MAX_DAYS:
                key = f"{a}+{b}"
                chosen.append((_digest(key), key, state))
                i += 2
            else:
                i += 1
    wanted = 0 if split == "dev" else 1
    kept = [item for item in sorted(chosen) if int(item[0], 16) % 2 == wanted][:pairs]
    out: list[dict[str, Any]] = []
    for _, key, _state in kept:
        for incident in key.split("+"):
            for record in incidents[incident]:
                meta = dict(record.get("meta") or {})
                meta.update({"dataset": "gva-pairs", "topic": key, "split": split})
                out.append(
                    {
                        "id": record["id"],
                        "title": record.get("title"),
                        "published": record.get("published"),
                        "url": record.get("url"),
                        "text": record["text"],
                        "gold": {"story": incident},
                        "meta": {k: meta[k] for k in _META if k in meta},
                    }
                )
    return sorted(out, key=lambda record: str(record["id"]))


def write_derived(name: str, data_dir: Path, out_dir: Path) -> Path:
    """Derive the set ``eval-all`` reports as ``name`` (a value of :data:`GVA_PAIRS`) into ``out_dir``.

    Returns the JSONL file written; E061 when the source file is missing.
    """
    import json

    split = next((key for key, value in GVA_PAIRS.items() if value == name), None)
    if split is None:
        raise ValueError(f"not a derived stories set: {name!r}")
    source = data_dir / GVA_SOURCE
    if not source.is_file():
        raise StorylineError("E061", path=source, task="stories", expected=GVA_SOURCE)
    with source.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    target = out_dir / f"gva-pairs-{split}.jsonl"
    with target.open("w", encoding="utf-8") as handle:
        for record in gva_pairs(records, split):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target
