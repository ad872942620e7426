"""Scale: resumable, deduplicating ingest on one machine (``--workers N``) or a Ray cluster.

:func:`storyline.scale.ingest.run_ingest` is what ``storyline ingest`` calls. Each record is
prepared (read, extracted, language checked, fingerprinted: :func:`storyline.scale.plan.prepare`)
and analysed by an engine: local worker processes, with the driver reading, or Ray, where tasks
read the shards and actors analyse (:mod:`storyline.scale.ray_job`). The driver alone takes the
decisions that depend on earlier records (:func:`storyline.scale.plan.decide`), in input order, and
commits the outcomes in batches, each in one transaction with its progress. Ray is imported only
when ``--engine ray`` is asked for (the ``scale`` extra).
"""

from __future__ import annotations

from storyline.scale.ingest import IngestOptions, run_ingest

__all__ = ["IngestOptions", "run_ingest"]
