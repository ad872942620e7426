"""An ingest with a stand-in analyser, as a process the tests kill: ``python -m tests.scale.fake_ingest``.

The analyser returns the bare article (no spaCy) after ``--delay`` seconds, so the test controls
how far the ingest gets and the kill lands while outcomes wait in the commit buffer.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable, Iterator

from storyline.model import Analysis, Article
from storyline.scale.ingest import Analyser, IngestOptions, run_ingest


def bare(delay: float = 0.0) -> Analyser:
    """An analyser that finds nothing: one empty Analysis per article, in order."""

    def analyse(articles: Iterable[Article]) -> Iterator[Analysis]:
        for article in articles:
            if delay:
                time.sleep(delay)
            yield Analysis(article=article)

    return analyse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs")
    parser.add_argument("db", help="a SQLite file, or a database URL")
    parser.add_argument("--commit-every", type=int, default=64)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    options = IngestOptions(commit_every=args.commit_every, commit_seconds=3600)
    url = args.db if "://" in args.db else f"sqlite:///{args.db}"
    report = run_ingest([args.inputs], url, options, analyser=bare(args.delay))
    print(dict(report.tally), report.commits, report.batch_retries)


if __name__ == "__main__":
    main()
