"""Defaults shared by the library and the CLI, in a module light enough for the CLI to import.

The CLI's option defaults must be the library's, not copies of them; importing them from
``storyline.pipeline`` would load spaCy before ``--help`` could answer.
"""

from __future__ import annotations

#: Articles per spaCy ``nlp.pipe`` batch: larger batches amortise the parser's overhead, smaller
#: ones bound the memory one batch of long articles takes.
DEFAULT_BATCH_SIZE = 16
#: Records whose outcomes are committed in one transaction: large enough that commits (an fsync
#: each) cost little next to the analyses, small enough that a crash redoes little.
DEFAULT_COMMIT_EVERY = 64
#: Jaccard similarity of two articles' shingles from which they are stored as one (MinHash).
DEFAULT_SIMILARITY = 0.8
