"""stories scorer: B-cubed and ARI by hand; Storyline's clusters through storyline.stories.cluster."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

import pytest

from storyline.evaluate.data import GoldDoc
from storyline.evaluate.stories import adjusted_rand_index, bcubed, labels_from, score, storyline_clusters
from storyline.model import Analysis, Article

MakeDoc = Callable[..., GoldDoc]

GOLD = ["a", "a", "b", "b", "b"]
PRED = ["x", "x", "x", "y", "y"]


def test_bcubed_by_hand() -> None:
    # Cells (gold, pred): (a, x) 2 items, (b, x) 1, (b, y) 2; |x| = 3, |y| = 2, |a| = 2, |b| = 3.
    # Precision: (2 * 2/3 + 1 * 1/3 + 2 * 2/2) / 5 = (11/3) / 5 = 11/15.
    # Recall:    (2 * 2/2 + 1 * 1/3 + 2 * 2/3) / 5 = (11/3) / 5 = 11/15.
    p, r, f = bcubed(GOLD, PRED)
    assert p == pytest.approx(11 / 15)
    assert r == pytest.approx(11 / 15)
    assert f == pytest.approx(11 / 15)


def test_ari_by_hand() -> None:
    # Pairs together in both: C(2,2) + C(1,2) + C(2,2) = 2; in gold: C(2,2) + C(3,2) = 4; in pred:
    # C(3,2) + C(2,2) = 4; all pairs C(5,2) = 10. Expected 4 * 4 / 10 = 1.6, max (4 + 4) / 2 = 4.
    # ARI = (2 - 1.6) / (4 - 1.6) = 1/6.
    assert adjusted_rand_index(GOLD, PRED) == pytest.approx(1 / 6)
    assert adjusted_rand_index(GOLD, ["p", "p", "q", "q", "q"]) == 1.0


def test_ari_agrees_with_scikit_learn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    gold = [0, 0, 1, 1, 2, 2, 2, 3]
    pred = [1, 1, 1, 0, 2, 2, 3, 3]
    assert adjusted_rand_index(gold, pred) == pytest.approx(metrics.adjusted_rand_score(gold, pred))


def test_score_reads_gold_story(make_doc: MakeDoc) -> None:
    docs = [make_doc("t", {"story": story}, id=f"d{i}") for i, story in enumerate(GOLD)]
    docs.append(make_doc("t", {}, id="d5"))  # no story: its own cluster, and reported
    result = score(docs, [*PRED, "z"])
    # The extra article is alone in both partitions: B-cubed (11/3 + 1) / 6 = 7/9.
    assert result.metrics["bcubed_f1"] == pytest.approx(7 / 9)
    assert result.issues.counts == {"no_story": 1}


def test_labels_from_mapping_or_clusters() -> None:
    ids = ["a", "b", "c"]
    assert labels_from({"a": 1, "b": 1, "c": 2}, ids) == ["1", "1", "2"]
    assert labels_from([["a", "c"]], ids) == ["c0", "single:1", "c0"]


def test_storyline_clusters_calls_storyline_stories_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    analyses = [Analysis(article=Article(id=i, text="t")) for i in ("a", "b", "c")]
    fake = types.ModuleType("storyline.stories")
    fake.cluster = lambda items: [[items[0], items[2]], [items[1]]]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "storyline.stories", fake)
    assert storyline_clusters(analyses) == ["c0", "c1", "c0"]
    monkeypatch.setitem(sys.modules, "storyline.stories", types.ModuleType("storyline.stories"))
    assert storyline_clusters(analyses) is None  # no cluster(): not available, no made-up score
