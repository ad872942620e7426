"""Train the learned same-story model (``resources/stories/pairs.json.gz``) and measure it.

Needs the cached analyses of ``training/tune_story_clusters.py analyse`` and the ``embed`` extra:

    .venv/bin/python training/train_story_pairs.py build/stories/cache/*.jsonl

Training pairs: every pair of articles within the development sets only, the even-hash half of the
newscluster stories and the ``dev`` half of the derived GVA pairs (same gold story = positive). The
threshold is chosen on the same development sets, by clustering them with the online index; the
held-out halves and the Wikinews sample are only reported. Embeddings are cached beside the analyses
(``<name>.embed.json``), since the encoder is the slow part.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tune_story_clusters import half, load_cache

from storyline.evaluate.stories import adjusted_rand_index, bcubed
from storyline.model import Analysis
from storyline.stories.clustering import Settings, StoryIndex, cluster
from storyline.stories.embedding import MiniLM, embedding_text
from storyline.stories.features import extract
from storyline.stories.pairs import PairModel, feature_names, features

#: Where the model goes. Always the shipped file: each trial threshold is written there, since the
#: index it is measured with loads the shipped model (Settings.learned()).
OUT = Path("src/storyline/resources/stories/pairs.json.gz")
Rows = list[tuple[str, dict[str, Any], Analysis]]


def embeddings(path: Path, rows: Rows, model: MiniLM) -> dict[str, tuple[float, ...]]:
    cache = path.with_suffix(".embed.json")
    if cache.exists():
        return {k: tuple(v) for k, v in json.loads(cache.read_text()).items()}
    vectors = model([embedding_text(analysis) for _, _, analysis in rows])
    found = {analysis.article.id: v for (_, _, analysis), v in zip(rows, vectors, strict=True)}
    cache.write_text(json.dumps(found))
    return found


class Cached:
    """An embedder that answers from the cache (so clustering runs do not re-encode)."""

    def __init__(self, table: dict[str, tuple[float, ...]], rows: Rows) -> None:
        self.by_text = {embedding_text(a): table[a.article.id] for _, _, a in rows}

    def __call__(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        return [self.by_text[text] for text in texts]


def pair_rows(rows: Rows, dense: dict[str, tuple[float, ...]]) -> tuple[list[list[float]], list[int]]:
    """Features and labels of every pair of a set (document frequencies over the set)."""
    index = StoryIndex()
    feats = [extract(a, dense[a.article.id]) for _, _, a in rows]
    for item in feats:
        index.count(item)
    items = [index._item(f) for f in feats]
    x: list[list[float]] = []
    y: list[int] = []
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            x.append(features(*index._evidence(a, items[j])))
            y.append(int(rows[i][0] == rows[j][0]))
    return x, y


def measure(rows: Rows, settings: Settings, embedder: Cached, online: bool = False) -> dict[str, float]:
    analyses = [a for _, _, a in rows]
    if online:
        index = StoryIndex(settings, embedder)
        for analysis in analyses:
            index.add(analysis)
        labels = {k: v.story for k, v in index.assignments().items()}
    else:
        labels = cluster(analyses, settings=settings, embedder=embedder)
    pred = [labels[a.article.id] for a in analyses]
    gold = [story for story, _, _ in rows]
    p, r, f = bcubed(gold, pred)
    return {"p": p, "r": r, "f1": f, "ari": adjusted_rand_index(gold, pred)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--c", type=float, default=1.0, help="Inverse regularisation strength.")
    parser.add_argument("--thresholds", default="0.3,0.35,0.4,0.45,0.5,0.55,0.6")
    parser.add_argument("--link-weights", default="0.0,0.25,0.5")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    model = MiniLM()
    sets: dict[str, Rows] = {}
    table: dict[str, tuple[float, ...]] = {}
    every: Rows = []
    for path in args.files:
        rows = load_cache(path)
        table.update(embeddings(path, rows, model))
        every += rows
        if "newscluster" in path.stem:
            for part in ("dev", "heldout"):
                sets[f"{path.stem}:{part}"] = [row for row in rows if half(row[0]) == part]
        sets[path.stem] = rows
    embedder = Cached(table, every)
    dev = {name: rows for name, rows in sets.items() if name.endswith(("-dev", ":dev"))}
    x: list[list[float]] = []
    y: list[int] = []
    for rows in dev.values():
        xs, ys = pair_rows(rows, table)
        x += xs
        y += ys
    fitted = LogisticRegression(C=args.c, max_iter=5000).fit(x, y)
    print(f"{len(y)} pairs ({sum(y)} same story) from {', '.join(dev)}")
    print(dict(zip(feature_names(), (round(float(w), 3) for w in fitted.coef_[0]), strict=True)))
    weights = tuple(float(w) for w in fitted.coef_[0])
    bias = float(fitted.intercept_[0])
    best: tuple[float, float, float] | None = None
    for link in (float(t) for t in args.link_weights.split(",")):
        for threshold in (float(t) for t in args.thresholds.split(",")):
            trial = PairModel(weights, bias, threshold, link_weight=link)
            _save(trial, OUT, dev)
            settings = Settings.learned()
            scores = {name: measure(rows, settings, embedder)["f1"] for name, rows in dev.items()}
            mean = sum(scores.values()) / len(scores)
            shown = {k: round(v, 4) for k, v in scores.items()}
            print(f"link {link} threshold {threshold}: dev mean {mean:.4f}", shown, flush=True)
            if best is None or mean > best[0]:
                best = (mean, threshold, link)
    assert best is not None
    chosen = PairModel(weights, bias, best[1], link_weight=best[2])
    _save(chosen, OUT, dev)
    settings = Settings.learned()
    print(f"chosen threshold {best[1]}, link weight {best[2]}; every set, batch and online:")
    for name, rows in sets.items():
        started = time.perf_counter()
        batch = measure(rows, settings, embedder)
        took = (time.perf_counter() - started) / max(1, len(rows)) * 1000
        online = measure(rows, settings, embedder, online=True)
        print(
            name,
            len(rows),
            {k: round(v, 4) for k, v in batch.items()},
            f"online f1 {online['f1']:.4f}",
            f"{took:.1f} ms/article",
        )
    sys.stdout.flush()


def _save(model: PairModel, out: Path, dev: dict[str, Rows]) -> None:
    data = model.to_json()
    data["trained_on"] = "pairs within " + ", ".join(dev)
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)


if __name__ == "__main__":
    main()
