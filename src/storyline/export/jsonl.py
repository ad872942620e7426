"""JSON lines of whole analyses: one ``storyline.analysis/1`` document a line.

Why whole articles rather than events: this is the lossless export (docs/design.md, the output
contract), readable back with ``Analysis.model_validate_json`` line by line and re-ingestible. A
``--type``/``--since`` selection keeps the articles that have a selected event, each one whole, so
the claims and entities its events point to stay with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from storyline.export.base import ExportStats, Selection, StoredAnalysis, TextSink, json_line, stored
from storyline.model import Analysis, dump


class JsonlExporter:
    """Writes each selected analysis as one line of JSON, keys as in the output contract."""

    name = "jsonl"
    binary = False
    suffix = ".jsonl"

    def write(
        self, items: Iterable[Analysis | StoredAnalysis], sink: IO[bytes], selection: Selection
    ) -> ExportStats:
        stats = ExportStats()
        with TextSink(sink) as text:
            for item in stored(items):
                analysis = item.analysis
                stats.articles += 1
                if not selection.keeps_article(analysis):
                    stats.skipped["no selected event"] += 1
                    continue
                text.write(json_line(dump(analysis)))
                stats.records += 1
                stats.events += len(selection.events(analysis))
        return stats
