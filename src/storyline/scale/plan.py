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


@dataclass(slots=True)
class Prepared:
    """One record after the work that does not depend on other records: read, size, language, hash.

    Why split from the decision: this is the costly part (HTML extraction, language identification,
    MinHash: a few milliseconds an article) and it can run wherever the record is read (on the
    driver for the local engine, on a Ray worker next to the shard for ``--engine ray``); only
    :func:`decide` must run in input order on the driver.
    """

    record: int
    where: str
    article: Article | None = None
    problem: Problem | None = None
    content_hash: str = ""
    signature: bytes = b""


def prepare(path: str, record: int, result: Article | Problem, options: PlanOptions) -> Prepared:
    """The order-independent part of a record's work (``path`` as :class:`InputFile` shows it)."""
    where = f"{path}@record {record}"
    if isinstance(result, Problem):
        return Prepared(record, result.where, problem=result)
    article = result
    if len(article.text) > MAX_TEXT_CHARS:
        size = len(article.text.encode("utf-8"))
        problem = Problem(
            "E123", where, path=path, offset=f"record {record}", size=size, limit=MAX_TEXT_CHARS
        )
        return Prepared(record, where, problem=problem)
    if options.languages:
        language = detect_language(article.text)
        if language not in options.languages:
            problem = Problem(
                "E120",
                where,
                path=path,
                offset=f"record {record}",
                language=language,
                allowed=", ".join(options.languages),
            )
            return Prepared(record, where, article=article, problem=problem)
    if not options.dedup:
        return Prepared(record, where, article=article)
    signature = dedup.to_bytes(dedup.minhash(article.text))
    return Prepared(
        record, where, article=article, content_hash=dedup.content_hash(article.text), signature=signature
    )


@dataclass(frozen=True, slots=True)
class FileEnd:
    """The end of an input file: how many records it had (what ``file_done`` advances to)."""

    records: int


def prepare_file(found: Path, path: str, done: int, options: PlanOptions) -> Iterator[Prepared | FileEnd]:
    """Every record of one input from record ``done`` on, prepared, then its :class:`FileEnd`.

    ``found`` is the path as given (readers name it in their problems), ``path`` the resolved one.
    Records before ``done`` are committed already (a resumed run): read, to count them, not prepared.
    """
    record = -1
    for record, result in enumerate(read_file(found, published=options.published, source=options.source)):
        if record < done:
            continue
        yield prepare(path, record, result, options)
    yield FileEnd(record + 1)


def decide(item: InputFile, prepared: Prepared, index: dedup.DedupIndex | None) -> Work:
    """The order-dependent part: analyse, or store as a duplicate of an earlier article, or report.

    Must see the records in input order: whether an article is a duplicate depends on every article
    kept before it (``index`` is updated here with each article to analyse).
    """
    record, where, article = prepared.record, prepared.where, prepared.article
    if prepared.problem is not None or article is None:
        return Work("problem", item, record, where, article=article, problem=prepared.problem)
    if index is None or not prepared.signature:
        return Work("analyse", item, record, where, article=article)
    chash, article_id = prepared.content_hash, article.id
    if index.hash_of(article_id) == chash:
        return Work("unchanged", item, record, where, article=article)
    signature = dedup.from_bytes(prepared.signature)
    match = index.find(article_id, chash, signature)
    if match is not None:
        return Work("duplicate", item, record, where, article=article, match=match)
    index.add(article_id, chash, signature)
    return Work(
        "analyse", item, record, where, article=article, content_hash=chash, signature=prepared.signature
    )


@dataclass(slots=True)
class Shard:
    """An input file to read, with what the ledger says: records committed by an earlier run."""

    found: Path
    item: InputFile
    done: int


def shards(paths: Iterable[str | Path], ledger: Ledger, options: PlanOptions) -> Iterator[Shard | Work]:
    """The inputs in order: a :class:`Shard` for each file to read, a problem ``Work`` for the others.

    Files an earlier run finished are left out (counted in ``options.stats``); nothing is read here.
    """
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
        yield Shard(found, item, done)


def plan(paths: Iterable[str | Path], ledger: Ledger, options: PlanOptions) -> Iterator[Work]:
    """Every record of every input as a :class:`Work`, skipping what the ledger says is committed.

    Reads and prepares on this process (the local engine); ``--engine ray`` prepares on its workers
    and calls :func:`decide` the same way, so both take the same decisions.
    """
    index = load_index(ledger, options.threshold) if options.dedup else None
    for entry in shards(paths, ledger, options):
        if isinstance(entry, Work):
            yield entry
            continue
        for prepared in prepare_file(entry.found, entry.item.path, entry.done, options):
            if isinstance(prepared, FileEnd):
                yield Work("file_done", entry.item, prepared.records, str(entry.found))
            else:
                yield decide(entry.item, prepared, index)
