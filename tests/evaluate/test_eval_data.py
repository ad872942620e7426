"""Reading gold files: bad lines are reported with file and line and skipped; --limit per file."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.evaluate.data import MAX_EXAMPLES, DataIssues, load_corpus


def test_bad_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    good = {"id": "a", "text": "One.", "published": "2020-01-02", "gold": {"timexes": []}, "meta": {}}
    lines = [json.dumps(good), "{not json", json.dumps({"id": "b"}), json.dumps({**good, "id": "c"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus([path])
    assert [doc.id for doc in corpus.docs] == ["a", "c"]
    assert corpus.docs[1].where == f"{path}:4"
    assert corpus.docs[0].article.published == "2020-01-02"
    messages = [str(problem) for problem in corpus.problems]
    assert len(messages) == 2
    assert messages[0].startswith(f"[E003] {path}:2: malformed record")
    assert messages[1].startswith(f"[E003] {path}:3: malformed record")


def test_limit_is_per_file(tmp_path: Path) -> None:
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(
            "\n".join(json.dumps({"id": f"{name}{i}", "text": "x", "gold": {}}) for i in range(3)) + "\n",
            encoding="utf-8",
        )
        paths.append(path)
    corpus = load_corpus(paths, limit=2)
    assert [doc.id for doc in corpus.docs] == ["a0", "a1", "b0", "b1"]


def test_data_issues_keep_a_count_and_the_first_examples() -> None:
    issues = DataIssues()
    for i in range(MAX_EXAMPLES + 2):
        issues.add("span_mismatch", f"example {i}")
    other = DataIssues()
    other.add("span_mismatch", "later")
    other.add("no_story", "x")
    issues.merge(other)
    assert issues.counts == {"span_mismatch": MAX_EXAMPLES + 3, "no_story": 1}
    assert len(issues.examples["span_mismatch"]) == MAX_EXAMPLES
    assert issues.to_json()["no_story"] == {"count": 1, "examples": ["x"]}
