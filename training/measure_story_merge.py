"""Measure the cross-article event merge of stories (storyline.stories.build) on real articles.

The Gun Violence Archive file gives a ready-made test: articles that share a gold incident id report
the same shooting, so building a story from each multi-article incident should yield one shooting
event whose figures are the incident's (gold killed/injured; an early article may give an earlier,
lower count, which the story's latest report or range should correct). Incidents are split by
``training/split_casualties.py``'s hash (even: development, odd: held-out); choices were made on the
development half only.

    # 1. analyse the articles of multi-article incidents once (CPU-heavy; cached as JSON lines)
    .venv/bin/python training/measure_story_merge.py analyse [--incidents 200] [--out /tmp/story_merge]
    # 2. measure (cheap: reads the cached analyses)
    .venv/bin/python training/measure_story_merge.py measure [--out /tmp/story_merge] [--half dev|held|both]
    # 3. print the timelines of the multi-article stories of data/sample (to check by eye)
    .venv/bin/python training/measure_story_merge.py sample [--story hong-kong-protests-2019]

Per half it prints, over incidents: how often the merged shooting event's ``killed.latest`` /
``killed.high`` (and the same for injured) equals the gold, against the expected accuracy of taking
one article's figure (the mean over the incident's articles) and the first published article's; and
how many story events, and how many ASSAULT story events, an incident yields.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))

from split_casualties import is_development  # noqa: E402

from storyline.evaluate.casualties import count, shooting_event  # noqa: E402
from storyline.model import Analysis, Story, StoryEvent  # noqa: E402

GVA = ROOT.parent / "shared" / "data" / "casualties" / "gva-dev.jsonl"
SAMPLE = ROOT / "data" / "sample" / "articles.jsonl"


def _hash(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)


def _incidents(path: Path) -> dict[str, list[dict[str, object]]]:
    by_incident: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            by_incident[str(record["gold"]["incident_id"])].append(record)
    return {k: v for k, v in by_incident.items() if len(v) > 1}


def _pipeline() -> object:
    """The full pipeline; without the highlights stage if its model is not built yet (the merge
    does not read highlights, only the brief does)."""
    from storyline.errors import StorylineError
    from storyline.pipeline import STAGES, load

    try:
        return load()
    except StorylineError as exc:
        print(f"note: {exc}; analysing without highlights", file=sys.stderr)
        return load(tuple(s for s in STAGES if s != "highlights"))


def analyse(out: Path, incidents: int) -> None:
    """Analyse the articles of up to ``incidents`` multi-article incidents per half (by id hash)."""
    from storyline.ingest.tabular import Record, read_records
    from storyline.pipeline import analyze_many

    chosen = _incidents(GVA)
    keep: set[str] = set()
    for dev in (True, False):
        ids = sorted((i for i in chosen if is_development(i) == dev), key=_hash)[:incidents]
        keep.update(ids)
    records = [r for r in read_records(GVA) if isinstance(r, Record) and str(r.gold["incident_id"]) in keep]
    nlp = _pipeline()
    out.mkdir(parents=True, exist_ok=True)
    with (out / "gva.jsonl").open("w", encoding="utf-8") as handle:
        for record, result in zip(records, analyze_many(nlp, (r.article for r in records)), strict=True):
            if not isinstance(result, Analysis):
                continue
            row = {"gold": record.gold, "analysis": result.model_dump(mode="json", by_alias=True)}
            handle.write(json.dumps(row) + "\n")
    print(f"analysed {len(records)} articles of {len(keep)} incidents -> {out / 'gva.jsonl'}")


@dataclass(frozen=True, slots=True)
class IncidentResult:
    """One incident's outcome: the merged figures against the gold and the single-article baselines."""

    incident: str
    articles: int
    story_events: int
    assault_events: int
    merged_reports: int
    latest_ok: tuple[bool, bool]
    high_ok: tuple[bool, bool]
    single_ok: tuple[float, float]
    first_ok: tuple[bool, bool]


def shooting(story: Story) -> StoryEvent | None:
    """The story's shooting: the ASSAULT story event with the most reports (then figures)."""
    assaults = [e for e in story.events if e.type == "ASSAULT"]
    if not assaults:
        return None
    return max(assaults, key=lambda e: (len(e.reports), e.killed is not None or e.injured is not None))


def _eq(value: int | None, gold: int) -> bool:
    return (value or 0) == gold


def measure_incident(incident: str, rows: Sequence[tuple[dict[str, int], Analysis]]) -> IncidentResult:
    from storyline.stories.build import build_story

    gold = rows[0][0]
    analyses = [a for _, a in rows]
    story = build_story("s" + incident, analyses, {a.article.id: 1.0 for a in analyses})
    event = shooting(story)
    latest = (
        (None, None)
        if event is None
        else (
            event.killed.latest if event.killed else None,
            event.injured.latest if event.injured else None,
        )
    )
    high = (
        (None, None)
        if event is None
        else (event.killed.high if event.killed else None, event.injured.high if event.injured else None)
    )
    singles: list[tuple[bool, bool]] = []
    for analysis in analyses:
        shot = shooting_event(analysis)
        k = count(shot.killed) if shot else None
        i = count(shot.injured) if shot else None
        singles.append((_eq(k, gold["killed"]), _eq(i, gold["injured"])))
    order = sorted(range(len(analyses)), key=lambda j: (analyses[j].article.published or "", j))
    return IncidentResult(
        incident=incident,
        articles=len(analyses),
        story_events=len(story.events),
        assault_events=sum(1 for e in story.events if e.type == "ASSAULT"),
        merged_reports=len(event.reports) if event else 0,
        latest_ok=(_eq(latest[0], gold["killed"]), _eq(latest[1], gold["injured"])),
        high_ok=(_eq(high[0], gold["killed"]), _eq(high[1], gold["injured"])),
        single_ok=(
            statistics.fmean(s[0] for s in singles),
            statistics.fmean(s[1] for s in singles),
        ),
        first_ok=singles[order[0]],
    )


def _load(out: Path) -> dict[str, list[tuple[dict[str, int], Analysis]]]:
    grouped: dict[str, list[tuple[dict[str, int], Analysis]]] = defaultdict(list)
    for line in (out / "gva.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        grouped[str(row["gold"]["incident_id"])].append(
            (row["gold"], Analysis.model_validate(row["analysis"]))
        )
    return {k: v for k, v in grouped.items() if len(v) > 1}


def report(name: str, results: Iterable[IncidentResult]) -> None:
    rs = list(results)
    if not rs:
        print(f"{name}: no incidents")
        return
    n = len(rs)

    def pct(values: Iterable[float]) -> str:
        return f"{sum(values) / n:.3f}"

    print(f"== {name}: {n} incidents, {sum(r.articles for r in rs)} articles")
    print("                 killed  injured  both")
    for label, pick in (
        ("merged latest", lambda r: r.latest_ok),
        ("merged high", lambda r: r.high_ok),
        ("first article", lambda r: r.first_ok),
    ):
        print(
            f"  {label:14} {pct(float(pick(r)[0]) for r in rs):>6}  {pct(float(pick(r)[1]) for r in rs):>6}"
            f"  {pct(float(pick(r)[0] and pick(r)[1]) for r in rs):>6}"
        )
    print(
        f"  {'any one article':14} {pct(r.single_ok[0] for r in rs):>6}  {pct(r.single_ok[1] for r in rs):>6}"
    )
    print(
        f"  story events per incident: mean {statistics.fmean(r.story_events for r in rs):.2f}, "
        f"ASSAULT events mean {statistics.fmean(r.assault_events for r in rs):.2f}, "
        f"exactly one ASSAULT {sum(r.assault_events == 1 for r in rs) / n:.3f}; "
        f"shooting merges all articles {sum(r.merged_reports == r.articles for r in rs) / n:.3f}"
    )


def measure(out: Path, half: str) -> None:
    grouped = _load(out)
    for name, dev in (("development", True), ("held-out", False)):
        if half != "both" and (half == "dev") != dev:
            continue
        report(name, (measure_incident(k, v) for k, v in sorted(grouped.items()) if is_development(k) == dev))


def sample(story_name: str | None, out: Path) -> None:
    """Analyse the sample's multi-article stories (cached in OUT/sample.jsonl) and print each story's
    timeline and brief."""
    from storyline.ingest.tabular import Record, read_records
    from storyline.pipeline import analyze_many
    from storyline.stories.build import build_story

    cache = out / "sample.jsonl"
    if not cache.exists():
        records = [r for r in read_records(SAMPLE) if isinstance(r, Record) and r.meta.get("story")]
        nlp = _pipeline()
        out.mkdir(parents=True, exist_ok=True)
        with cache.open("w", encoding="utf-8") as handle:
            for record, result in zip(records, analyze_many(nlp, (r.article for r in records)), strict=True):
                if isinstance(result, Analysis):
                    row = {
                        "story": record.meta["story"],
                        "analysis": result.model_dump(mode="json", by_alias=True),
                    }
                    handle.write(json.dumps(row) + "\n")
    stories: dict[str, list[Analysis]] = defaultdict(list)
    for line in cache.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if story_name is None or row["story"] == story_name:
            stories[row["story"]].append(Analysis.model_validate(row["analysis"]))
    for name, analyses in stories.items():
        story = build_story(name, analyses, {a.article.id: 1.0 for a in analyses})
        print(f"\n=== {name}: {story.title!r} ({len(story.articles)} articles, {len(story.events)} events)")
        for event in story.events:
            figures = ""
            if event.killed:
                figures += f" killed {event.killed.latest} [{event.killed.low}-{event.killed.high}]"
            if event.injured:
                figures += f" injured {event.injured.latest} [{event.injured.low}-{event.injured.high}]"
            where = event.where.name if event.where else "-"
            sources = ",".join(sorted({r.published or "?" for r in event.reports}))
            print(
                f"  {event.when or 'undated':19} {event.granularity or '':6} {event.type:10}"
                f" {event.label[:60]!r}"
                f" @{where}{figures} [{len(event.reports)} reports: {sources}]"
            )
        print("  brief:")
        for sentence in story.brief:
            print(f"   - {sentence.text[:160]!r} ({len(sentence.sources)} sources)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyse")
    a.add_argument("--out", type=Path, default=Path("/tmp/story_merge"))
    a.add_argument("--incidents", type=int, default=200, help="multi-article incidents per half")
    m = sub.add_parser("measure")
    m.add_argument("--out", type=Path, default=Path("/tmp/story_merge"))
    m.add_argument("--half", choices=("dev", "held", "both"), default="dev")
    s = sub.add_parser("sample")
    s.add_argument("--story", default=None)
    s.add_argument("--out", type=Path, default=Path("/tmp/story_merge"))
    args = ap.parse_args()
    if args.command == "analyse":
        analyse(args.out, args.incidents)
    elif args.command == "measure":
        measure(args.out, args.half)
    else:
        sample(args.story, args.out)


if __name__ == "__main__":
    main()
