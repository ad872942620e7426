"""Error codes, in the style of spaCy's ``Errors``: every message a user sees names its code."""

from __future__ import annotations


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
