"""Split the GVA casualties file by incident into a development half and a held-out half.

Articles of one incident share its gold (1-10 articles each), so an article-level split would leak the
answer of a held-out article through its siblings. The half is decided by the incident id's hash:
sha256(incident_id) even -> development, odd -> held-out. A fixed development sample (the first N
development articles by the hash of the article id) is written too, for quick iterations.

    .venv/bin/python training/split_casualties.py [--data ../shared/data/casualties/gva-dev.jsonl]
        [--out /tmp/casualties] [--sample 600]

Writes OUT/gva-devhalf.jsonl, OUT/gva-heldout.jsonl and OUT/gva-devsample.jsonl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "casualties" / "gva-dev.jsonl"


def _hash(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)


def is_development(incident_id: str) -> bool:
    """The development half: incidents whose id hashes to an even number."""
    return _hash(incident_id) % 2 == 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("/tmp/casualties"))
    ap.add_argument("--sample", type=int, default=600)
    args = ap.parse_args()
    dev: list[str] = []
    held: list[str] = []
    for line in args.data.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        (dev if is_development(str(record["gold"]["incident_id"])) else held).append(line)
    args.out.mkdir(parents=True, exist_ok=True)
    sample = sorted(dev, key=lambda line: _hash(json.loads(line)["id"]))[: args.sample]
    sample_ids = {json.loads(line)["id"] for line in sample}
    sample = [line for line in dev if json.loads(line)["id"] in sample_ids]  # keep the file's id order
    for name, lines in (("gva-devhalf", dev), ("gva-heldout", held), ("gva-devsample", sample)):
        (args.out / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(lines)} articles")


if __name__ == "__main__":
    main()
