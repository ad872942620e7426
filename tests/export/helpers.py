"""Running an exporter into bytes and reading each format back with its ordinary reader."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from storyline.export import Selection, get_exporter, iter_stored
from storyline.export.base import ExportStats, StoredAnalysis
from storyline.model import Analysis
from storyline.store import Store

EVERYTHING = Selection()


def run(
    fmt: str, source: Store | list[Analysis], selection: Selection = EVERYTHING
) -> tuple[bytes, ExportStats]:
    """Export a store (streamed through iter_stored) or a list of analyses; the bytes and the stats."""
    items: Any = iter_stored(source, selection, page_size=3) if isinstance(source, Store) else source
    sink = io.BytesIO()
    stats = get_exporter(fmt).write(items, sink, selection)
    return sink.getvalue(), stats


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def read_jsonl(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def read_gkg(data: bytes) -> list[dict[str, Any]]:
    """GKG records with V2.1COUNTS split into blocks of 11 named fields."""
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == ""
    header = lines[0].split("\t")
    records = []
    for line in lines[1:-1]:
        cells = line.split("\t")
        assert len(cells) == len(header), line
        record: dict[str, Any] = dict(zip(header, cells, strict=True))
        record["blocks"] = [
            dict(zip(BLOCK_FIELDS, block.split("#"), strict=True))
            for block in record["V2.1COUNTS"].split(";")
        ]
        records.append(record)
    return records


BLOCK_FIELDS = (
    "type", "number", "object", "loc_type", "loc_name", "country", "adm1", "lat", "lon", "feature", "offset"
)  # fmt: skip


def read_parquet(data: bytes) -> list[dict[str, Any]]:
    # use_threads=False: pyarrow 26's threaded reader may abort the interpreter at exit
    # ("terminate called without an active exception", apache/arrow#34314), failing the whole run.
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data), use_threads=False)
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def stored_items(analyses: list[Analysis]) -> list[StoredAnalysis]:
    return [StoredAnalysis(a) for a in analyses]
