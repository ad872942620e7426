"""Scale: resumable, deduplicating ingest on one machine (``--workers N``) or a Ray cluster.

:func:`storyline.scale.ingest.run_ingest` is what ``storyline ingest`` calls. The driver reads the
inputs, filters languages and near-duplicates (:mod:`storyline.scale.plan`), hands the articles to an
engine that analyses them (local worker processes, or Ray Data actors in :mod:`storyline.scale.ray_job`)
and commits the results in input order, advancing the per-file progress after each record. Ray is
imported only when ``--engine ray`` is asked for (the ``scale`` extra).
"""

from __future__ import annotations

from storyline.scale.ingest import IngestOptions, run_ingest

__all__ = ["IngestOptions", "run_ingest"]
