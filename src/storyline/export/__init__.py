"""Exports of the events: ACLED-style CSV, PLOVER JSON lines, GKG-style counts, JSON lines, Parquet.

``get_exporter(name)`` builds one format's exporter (loading what it needs, once); its
``write(analyses, sink, selection)`` streams analyses (from :func:`iter_stored` or ``analyze``) to a
binary file object and returns :class:`ExportStats`. Each format's module docstring documents its
fields and the codebook version it follows. ``storyline export`` is the command (commands.py).

>>> from storyline.export import Selection, get_exporter  # doctest: +SKIP
>>> get_exporter("acled").write([analysis], open("events.csv", "wb"), Selection())  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable

from storyline.errors import StorylineError
from storyline.export.base import (
    KNOWN_TYPES,
    Exporter,
    ExportStats,
    Selection,
    StoredAnalysis,
    parse_since,
    parse_types,
)
from storyline.export.source import iter_stored


def _acled() -> Exporter:
    from storyline.export.acled import AcledExporter

    return AcledExporter()


def _plover() -> Exporter:
    from storyline.export.plover import PloverExporter

    return PloverExporter()


def _gkg() -> Exporter:
    from storyline.export.gkg import GkgCountsExporter

    return GkgCountsExporter()


def _jsonl() -> Exporter:
    from storyline.export.jsonl import JsonlExporter

    return JsonlExporter()


def _parquet() -> Exporter:
    from storyline.export.parquet import ParquetExporter

    return ParquetExporter()


#: Format name -> factory. Factories import lazily, so pyarrow is needed only for parquet.
FORMATS: dict[str, Callable[[], Exporter]] = {
    "acled": _acled,
    "plover": _plover,
    "gkg-counts": _gkg,
    "jsonl": _jsonl,
    "parquet": _parquet,
}


def get_exporter(name: str) -> Exporter:
    """The exporter of a format by name (E160 for an unknown one; E163 for parquet without pyarrow)."""
    factory = FORMATS.get(name)
    if factory is None:
        raise StorylineError("E160", name=name, choices=", ".join(FORMATS))
    return factory()


__all__ = [
    "FORMATS",
    "KNOWN_TYPES",
    "ExportStats",
    "Exporter",
    "Selection",
    "StoredAnalysis",
    "get_exporter",
    "iter_stored",
    "parse_since",
    "parse_types",
]
