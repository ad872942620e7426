"""Reading gold data for the scorers: files in ../shared/data/FORMAT.md, one :class:`GoldDoc` per record.

Records come from :func:`storyline.ingest.read_records` (the same reader as every other JSONL input),
so a malformed line is a Problem E003 naming the file and line, and reading goes on. This module adds
what scoring needs on top: the file a record came from (for messages), a ``--limit``, and
:class:`DataIssues`, where a scorer notes gold it could not score (a span whose offsets do not match
its text, a null source) so the report can give a count and the first examples instead of scoring
broken gold silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import Problem
from storyline.ingest import Record, read_records
from storyline.model import Article

#: How many examples of each kind of data issue a report keeps.
MAX_EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One record of a gold file and the file it came from."""

    path: str
    record: Record

    @property
    def article(self) -> Article:
        return self.record.article

    @property
    def gold(self) -> dict[str, Any]:
        return self.record.gold

    @property
    def meta(self) -> dict[str, Any]:
        return self.record.meta

    @property
    def id(self) -> str:
        return self.record.article.id

    @property
    def where(self) -> str:
        """``path:line``, for messages that point at the record."""
        return f"{self.path}:{self.record.line}"


@dataclass(slots=True)
class Corpus:
    """The records of one or more files, in file order, and what could not be read."""

    docs: list[GoldDoc] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_corpus(paths: Iterable[str | Path], limit: int | None = None) -> Corpus:
    """Read every file; ``limit`` keeps the first N readable records of each file."""
    corpus = Corpus()
    for path in paths:
        kept = 0
        for item in read_records(path):
            if isinstance(item, Problem):
                corpus.problems.append(item)
                continue
            if limit is not None and kept >= limit:
                break
            corpus.docs.append(GoldDoc(str(path), item))
            kept += 1
    return corpus


@dataclass(slots=True)
class DataIssues:
    """Gold items left out of scoring, by kind: a count and the first few messages of each."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, message: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < MAX_EXAMPLES:
            shown.append(message)

    def left_out(self, kind: str, where: str, reason: str) -> None:
        """Note a gold item left out of scoring, with ``where`` its record's ``path:line`` (E067)."""
        path, _, line = where.rpartition(":")
        self.add(kind, str(Problem("E067", where, path=path, line=line, reason=reason)))

    def merge(self, other: DataIssues) -> None:
        """Add another collection's counts and examples to this one."""
        for kind, count in other.counts.items():
            self.counts[kind] = self.counts.get(kind, 0) + count
            shown = self.examples.setdefault(kind, [])
            shown.extend(other.examples.get(kind, [])[: MAX_EXAMPLES - len(shown)])

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> dict[str, Any]:
        return {
            kind: {"count": n, "examples": self.examples.get(kind, [])} for kind, n in self.counts.items()
        }


def problem_messages(problems: Sequence[Problem]) -> list[str]:
    """Problems as plain strings (a Problem does not survive pickling between processes)."""
    return [str(problem) for problem in problems]


@dataclass(slots=True)
class Scored:
    """What a scorer returns: the metrics (None where undefined), counts, one row per document, issues.

    ``counts`` says what the metrics were computed over (gold items, predictions, items left out), so a
    reader can tell a score of 0 on 2,000 items from one on none.
    """

    metrics: dict[str, float | None]
    counts: dict[str, int] = field(default_factory=dict)
    per_doc: list[dict[str, Any]] = field(default_factory=list)
    issues: DataIssues = field(default_factory=DataIssues)
