"""Build data/sample/articles.jsonl, the small corpus bundled for demos, docs and smoke tests.

Usage: .venv/bin/python training/build_sample.py [SHARED] [--out FILE] [--check]

SHARED is the ../shared folder (default: next to the repository). The sample is the seed article of
the acceptance test followed by Wikinews articles (CC BY 2.5) copied verbatim from
SHARED/data/corpus/wikinews-2019-2020.jsonl. The articles are chosen by the explicit id lists below,
not by a search, so that the sample is reproducible and a reviewer can see exactly what is in it.
Every multi-day story listed in STORIES is complete: it holds every article of the corpus on that
story, so that story clustering and timelines have whole stories to work on.

Records have the shape of SHARED/data/FORMAT.md plus ``source``; ``gold`` is empty and ``meta``
keeps the corpus's own meta, with ``story`` added for articles of a multi-article story.
``--check`` rebuilds in memory and exits 1 if the file on disk differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_OUT = ROOT / "data" / "sample" / "articles.jsonl"
CORPUS = Path("data") / "corpus" / "wikinews-2019-2020.jsonl"
SEED_TEXT = Path("acceptance") / "seed" / "article.txt"

#: The CNN report the acceptance test starts from (tests/acceptance, ../shared/acceptance/seed).
SEED: dict[str, Any] = {
    "id": "seed-cnn-amri",
    "title": "Berlin attack suspect Anis Amri killed in Milan",
    "published": "2016-12-23",
    "url": None,
    "source": "CNN",
    "meta": {
        "dataset": "acceptance-seed",
        "source_file": "acceptance/seed/article.txt",
        "license": "CNN report, quoted for the acceptance test",
    },
}

#: Multi-day stories, each with EVERY article the corpus has on it (found by keyword search over
#: titles and texts — Hong Kong/extradition/Carrie Lam; impeach/Ukraine; Brexit/prorogation/
#: suspend Parliament/Boris Johnson; Soleimani; Dorian; Rosselló; Navalny — then read one by one).
STORIES: dict[str, tuple[str, ...]] = {
    # The 2019 Hong Kong protests, from the extradition bill to the district council elections.
    "hong-kong-protests-2019": (
        "wikinews-2019-06-23-fa8cc910",  # Hong Kong protesters surround downtown police complex
        "wikinews-2019-08-19-559d70b6",  # Hong Kong protests continue through police opposition, rainstorms
        "wikinews-2019-09-06-4a9cec19",  # Hong Kong leader announces withdrawal of extradition bill
        "wikinews-2019-10-02-1c35cce7",  # Police shoot teenage protester as Hong Kong demonstrations continue
        "wikinews-2019-10-16-e7c25818",  # Hong Kong's Carrie Lam delivers speech on video after protests
        "wikinews-2019-11-27-494c38be",  # Hundreds of Hong Kong district council seats go to pro-democracy
    ),
    # The first impeachment of Donald Trump (Ukraine), from the inquiry to the articles sent to the Senate.
    "trump-impeachment-2019": (
        "wikinews-2019-09-25-59c18890",  # US Speaker Pelosi announces Trump impeachment investigation
        "wikinews-2019-09-30-8682d613",  # U.S. House issues subpoena to secretary of state as envoy resigns
        "wikinews-2019-11-01-f4f5d189",  # U.S. House formalizes rules for Trump impeachment proceedings
        "wikinews-2019-12-21-2b6091fa",  # US House of Representatives impeaches President Trump
        "wikinews-2020-01-15-4bd5eea3",  # U.S. House to decide on sending articles of impeachment to Senate
    ),
    # Brexit in 2019: the march, Johnson's election, the prorogation and the courts, the general election.
    "brexit-prorogation-2019": (
        "wikinews-2019-03-28-11d06cd2",  # Thousands march in anti-Brexit protest, London
        "wikinews-2019-07-24-034cfe0d",  # Boris Johnson elected Conservative leader
        "wikinews-2019-08-29-66df845d",  # Queen Elizabeth agrees to suspend UK Parliament ahead of deadline
        "wikinews-2019-09-11-64c459db",  # UK Prime Minister Johnson suspends parliament for five weeks
        "wikinews-2019-09-13-7484c413",  # Scottish court finds suspension of UK parliament unlawful
        "wikinews-2019-09-24-0e56b5af",  # UK Supreme Court rules prorogation of parliament unlawful
        "wikinews-2019-12-16-cdc760b6",  # Conservative Party wins majority in 2019 UK general election
    ),
    # The killing of Qasem Soleimani and what followed.
    "us-iran-soleimani-2020": (
        "wikinews-2020-01-05-4ad5512f",  # United States military kills Qasem Soleimani
        "wikinews-2020-01-06-aafee3e2",  # Iraqi Parliament votes for expulsion of United States troops
        "wikinews-2020-01-09-b181a7ab",  # Stampede during funeral procession of Qasem Soleimani causes deaths
        "wikinews-2020-01-13-35146812",  # Iran admits downing Ukrainian jet, cites 'human error'
        "wikinews-2020-07-02-9100f9b8",  # Iran issues arrest warrants for 36 people, including Trump
    ),
    "puerto-rico-governor-2019": (
        "wikinews-2019-07-28-0a99d465",  # Puerto Rico governor announces resignation following protests
        "wikinews-2019-08-04-e865a6ee",  # Puerto Rico's governor Rosselló resigns, new governor sworn in
        "wikinews-2019-08-08-131a0102",  # Puerto Rico Supreme Court removes Governor Pierluisi
    ),
    "hurricane-dorian-2019": (
        "wikinews-2019-09-01-c77aaa17",  # Hurricane Dorian strengthens to Category 5, hits the Bahamas
        "wikinews-2019-09-05-adb763de",  # Hurricane Dorian leaves trail of destruction in the Bahamas
    ),
    "new-hampshire-motorcycle-crash-2019": (
        "wikinews-2019-06-24-8863b390",  # New Hampshire crash kills seven, including former US Marines
        "wikinews-2019-06-28-f6d09389",  # Driver in New Hampshire multi-motorcycle crash pleads not guilty
    ),
    "navalny-poisoning-2020": (
        "wikinews-2020-08-22-5f59f378",  # Russia's Navalny airlifted to Germany
        "wikinews-2020-09-05-5793d7c7",  # Germany says Alexei Navalny poisoned with Novichok
    ),
}

#: Single articles, chosen for variety and for what the demo shows: casualty counts and quotes.
SINGLES: dict[str, tuple[str, ...]] = {
    "disasters and accidents": (
        "wikinews-2019-01-04-e8d671d3",  # Magnitogorsk apartment building collapses after explosion
        "wikinews-2019-01-05-e55f7744",  # Escape room fire kills five teen girls in Koszalin, Poland
        "wikinews-2019-01-15-eb3feb53",  # Iranian cargo plane crashes into Karaj houses
        "wikinews-2019-02-13-ed3e0088",  # Hotel fire kills at least seventeen in Karol Bagh, New Delhi
        "wikinews-2019-04-16-fa626d79",  # Notre Dame in Paris catches fire
        "wikinews-2019-09-04-e9c0ea85",  # Dozens dead in California boat fire
        "wikinews-2019-10-03-e9baf981",  # World War II era plane crashes in Connecticut, killing seven
        "wikinews-2019-10-22-f6c0cfba",  # Aftershocks increase death toll of magnitude 6.3 earthquake
        "wikinews-2020-08-08-2700a201",  # Passenger flight crashes upon landing at Calicut airport in India
    ),
    "attacks and shootings": (
        "wikinews-2019-01-14-d9ce1c43",  # Arrest made as mayor of Gdańsk, Poland stabbed on stage
        "wikinews-2019-01-24-0cdc653d",  # Car bomb attack kills dozens at military base in Maidan Wardak
        "wikinews-2019-01-28-40cea1fc",  # Bombs kill at least 20 at cathedral in Mindanao, Philippines
        "wikinews-2019-03-17-91eee3b4",  # New Zealand mosque murder suspect appears in court at Christchurch
        "wikinews-2019-08-08-2dd1fc1e",  # Gunman opens fire in El Paso, Texas superstore; more than 20 dead
        "wikinews-2019-09-15-8a4f3602",  # Oil facilities in Saudi Arabia hit by drone attacks
        "wikinews-2019-10-05-29cfc811",  # Four stabbed to death at Paris police headquarters
        "wikinews-2019-12-02-f92b0f82",  # Bystanders foil knife-wielding man on London Bridge
        "wikinews-2020-02-05-0e3bd1fb",  # Police shoot man dead after 'terrorist-related' knife attack
        "wikinews-2020-06-23-245f5668",  # Three killed, three injured in stabbing attack in Reading, UK
    ),
    "elections and politics": (
        "wikinews-2019-10-23-b99832ae",  # Canada 2019 general election produces Liberal minority government
        "wikinews-2020-08-03-558c3144",  # Belarusian opposition candidate Tsikhanouskaya holds major rally
        "wikinews-2020-11-07-553396af",  # Joe Biden projected US president-elect
    ),
    "science and health": (
        "wikinews-2019-03-05-81ff8e1a",  # SpaceX Crew Dragon capsule docks with International Space Station
        "wikinews-2019-08-15-143f417d",  # Scientists report two life-saving treatments for Ebola
        "wikinews-2019-09-14-0b52b082",  # Astronomers find water vapour in atmosphere of exoplanet K2-18b
        "wikinews-2020-03-14-ceaf8a9e",  # World Health Organization declares COVID-19 pandemic
        "wikinews-2020-05-31-eee45ef3",  # SpaceX successfully launches its first crewed spaceflight
    ),
}

#: Key order of every output record: FORMAT.md's, with ``source`` after ``url``.
KEYS = ("id", "title", "published", "url", "source", "text", "gold", "meta")


def selected() -> dict[str, str | None]:
    """Every chosen Wikinews id with its story (None for a single article); fails on a duplicate."""
    chosen: dict[str, str | None] = {}
    groups: list[tuple[str | None, tuple[str, ...]]] = [*STORIES.items()]
    groups += [(None, ids) for ids in SINGLES.values()]
    for story, ids in groups:
        for article_id in ids:
            if article_id in chosen:
                raise SystemExit(f"{article_id} is listed twice")
            chosen[article_id] = story
    return chosen


def build(shared: Path) -> str:
    """The content of articles.jsonl: the seed, then the chosen Wikinews records in id (date) order."""
    seed_text = (shared / SEED_TEXT).read_bytes().decode("utf-8")  # exact bytes: offsets count into it
    records: list[dict[str, Any]] = [{**SEED, "text": seed_text, "gold": {}}]
    chosen = selected()
    found: dict[str, dict[str, Any]] = {}
    with (shared / CORPUS).open(encoding="utf-8") as corpus:
        for line in corpus:
            record = json.loads(line)
            if record["id"] in chosen:
                meta = dict(record.get("meta") or {})
                story = chosen[record["id"]]
                if story is not None:
                    meta["story"] = story
                found[record["id"]] = {**record, "source": "Wikinews", "gold": {}, "meta": meta}
    missing = sorted(set(chosen) - set(found))
    if missing:
        raise SystemExit(f"not in {shared / CORPUS}: {', '.join(missing)}")
    records += [found[article_id] for article_id in sorted(found)]
    lines = [json.dumps({key: record[key] for key in KEYS}, ensure_ascii=False) for record in records]
    return "".join(line + "\n" for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("shared", nargs="?", type=Path, default=DEFAULT_SHARED, help="the ../shared folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the sample")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file on disk is not up to date")
    args = parser.parse_args(argv)
    content = build(args.shared)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != content:
            print(f"{args.out} is out of date: run training/build_sample.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(content, encoding="utf-8", newline="\n")
    print(f"wrote {content.count(chr(10))} articles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
