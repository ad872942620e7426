"""The driver side of an ingest: inputs in order, each record turned into one unit of work.

Why the decisions are taken here, sequentially, and not in the workers: whether an article is a
near-duplicate depends on every article before it, and a resumed or a Ray run must take the same
decisions as a clean local run. Reading, language identification and MinHash cost a few
milliseconds per article against a few hundred for the analysis, so one driver keeps many workers
busy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from storyline.errors import Problem
from storyline.ingest import dedup
from storyline.ingest.dedup import DEFAULT_THRESHOLD
from storyline.ingest.folder import STDIN, read_file, walk
from storyline.ingest.language import detect_language
from storyline.model import Article
from storyline.store.progress import InputFile, Ledger

#: spaCy refuses longer texts (``nlp.max_length``); such an article is reported, not analysed.
MAX_TEXT_CHARS = 1_000_000

Kind = Literal["analyse", "duplicate", "unchanged", "problem", "file_done"]


@dataclass(slots=True)
class Work:
    """One record of one input and what to do with it (``kind``), in input order."""

    kind: Kind
    input: InputFile | None
    record: int
    where: str
    article: Article | None = None
    problem: Problem | None = None
    match: dedup.Match | None = None
    content_hash: str = ""
    signature: bytes = b""


@dataclass(slots=True)
class PlanOptions:
    published: str | None = None
    source: str | None = None
    languages: tuple[str, ...] = ("en",)
    dedup: bool = True
    threshold: float = DEFAULT_THRESHOLD
    resume: bool = True
    stats: dict[str, int] = field(default_factory=dict)


def input_files(paths: Iterable[str | Path]) -> Iterator[Path | Problem]:
    """Files named and files under folders named, in order (folders walked in sorted order)."""
    for item in paths:
        if str(item) == STDIN:
            yield Problem("E001", STDIN, path=STDIN, reason="standard input cannot be ingested resumably")
            continue
        path = Path(item)
        if path.is_dir():
            yield from walk(path)
        elif not os.path.lexists(path):
            yield Problem("E001", str(path), path=str(path), reason="No such file or directory")
        else:
            yield path


def load_index(ledger: Ledger, threshold: float) -> dedup.DedupIndex:
    """The dedup index of every article already kept in the store."""
    index = dedup.DedupIndex(threshold)
    for article_id, chash, signature in ledger.fingerprints():
        index.add(article_id, chash, dedup.from_bytes(signature))
    return index


def plan(paths: Iterable[str | Path], ledger: Ledger, options: PlanOptions) -> Iterator[Work]:
    """Every record of every input as a :class:`Work`, skipping what the ledger says is committed."""
    index = load_index(ledger, options.threshold) if options.dedup else None
    stats = options.stats
    for found in input_files(paths):
        if isinstance(found, Problem):
            yield Work("problem", None, 0, found.where, problem=found)
            continue
        try:
            item = InputFile.of(found)
        except OSError as exc:
            problem = Problem("E001", str(found), path=str(found), reason=exc.strerror or str(exc))
            yield Work("problem", None, 0, str(found), problem=problem)
            continue
        done, status = ledger.records_done(item) if options.resume else (0, None)
        if status == "done":
            stats["inputs already done"] = stats.get("inputs already done", 0) + 1
            continue
        if done:
            stats["records resumed past"] = stats.get("records resumed past", 0) + done
        record = -1
        for record, result in enumerate(read_file(found, published=options.published, source=options.source)):
            if record < done:
                continue
            yield _work(item, record, result, index, options)
        yield Work("file_done", item, record + 1, str(found))


def _work(
    item: InputFile,
    record: int,
    result: Article | Problem,
    index: dedup.DedupIndex | None,
    options: PlanOptions,
) -> Work:
    where = f"{item.path}@record {record}"
    if isinstance(result, Problem):
        return Work("problem", item, record, result.where, problem=result)
    article = result
    if len(article.text) > MAX_TEXT_CHARS:
        size = len(article.text.encode("utf-8"))
        problem = Problem(
            "E123", where, path=item.path, offset=f"record {record}", size=size, limit=MAX_TEXT_CHARS
        )
        return Work("problem", item, record, where, problem=problem)
    if options.languages:
        language = detect_language(article.text)
        if language not in options.languages:
            problem = Problem(
                "E120",
                where,
                path=item.path,
                offset=f"record {record}",
                language=language,
                allowed=", ".join(options.languages),
            )
            return Work("problem", item, record, where, article=article, problem=problem)
    if index is None:
        return Work("analyse", item, record, where, article=article)
    chash = dedup.content_hash(article.text)
    signature = dedup.minhash(article.text)
    if index.hash_of(article.id) == chash:
        return Work("unchanged", item, record, where, article=article)
    match = index.find(article.id, chash, signature)
    if match is not None:
        return Work("duplicate", item, record, where, article=article, match=match)
    index.add(article.id, chash, signature)
    return Work(
        "analyse",
        item,
        record,
        where,
        article=article,
        content_hash=chash,
        signature=dedup.to_bytes(signature),
    )
