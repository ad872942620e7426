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
