"""``nearest-number`` baseline for casualties: the number nearest to a "killed" or an "injured" word.

- killed / injured: over every occurrence of a word of :data:`KILLED` (:data:`INJURED`), the number
  nearest to it in the same sentence, at most :data:`WINDOW` words away (digits or number words;
  ages such as "12-year-old" and numbers over :data:`MAX_COUNT`, years and phone numbers, are
  skipped); none is 0.
- date: the publication date (the crawler's date: often the day after the incident).
- city: the first capitalised name in the text that is a US city of :data:`CITY_SIZE` people or more
  in Storyline's GeoNames index (:mod:`storyline.gazetteer`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storyline.evaluate.casualties import CasualtyPred
from storyline.evaluate.data import DataIssues, GoldDoc
from storyline.gazetteer import get_gazetteer

KILLED = frozenset({"killed", "dead", "died", "dies", "die", "fatally", "slain", "murdered", "deaths"})
INJURED = frozenset({"injured", "wounded", "hurt", "hospitalized", "injuring", "wounding", "injuries"})
WINDOW = 8
MAX_COUNT = 999
CITY_SIZE = 15_000

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
NUMBER_WORDS = {word: value for value, word in enumerate(_UNITS)} | _TENS

_TOKEN = re.compile(r"\d[\d,]*|[A-Za-z]+(?:-[A-Za-z]+)*|[.!?]")
_AGE = re.compile(r"\s*-?\s*years?\b", re.IGNORECASE)
_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3}")


def number(token: str) -> int | None:
    """The value of a digit string or a number word ("21", "1,200", "three", "twenty-one")."""
    if token[0].isdigit():
        return int(token.replace(",", ""))
    parts = token.lower().split("-")
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in NUMBER_WORDS and NUMBER_WORDS[parts[1]] < 10:
        return _TENS[parts[0]] + NUMBER_WORDS[parts[1]]
    return NUMBER_WORDS.get(token.lower()) if len(parts) == 1 else None


def nearest(text: str, keywords: frozenset[str]) -> int | None:
    """The number nearest to a keyword (same sentence, within WINDOW tokens); None when there is none."""
    tokens = list(_TOKEN.finditer(text))
    best: tuple[int, int, int] | None = None  # (distance, position, value)
    for i, match in enumerate(tokens):
        if match.group().lower() not in keywords:
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(tokens) and abs(j - i) <= WINDOW and tokens[j].group() not in ".!?":
                value = number(tokens[j].group())
                if value is not None and value <= MAX_COUNT and not _AGE.match(text, tokens[j].end()):
                    if best is None or (abs(j - i), j) < best[:2]:
                        best = (abs(j - i), j, value)
                    break
                j += step
    return None if best is None else best[2]


def first_city(text: str) -> str | None:
    """The first capitalised name (or its longest leading part) that is a US city of 15,000+ people."""
    gazetteer = get_gazetteer()
    for match in _NAME.finditer(text):
        words = match.group().split(" ")
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            entries = gazetteer.lookup(name)
            if any(e.kind == "city" and e.country == "US" and e.population >= CITY_SIZE for e in entries):
                return name
    return None


def run(docs: Sequence[GoldDoc], issues: DataIssues) -> list[CasualtyPred | None]:
    out: list[CasualtyPred | None] = []
    for doc in docs:
        text = doc.article.text
        published = doc.article.published[:10] if doc.article.published else None
        out.append(
            CasualtyPred(nearest(text, KILLED) or 0, nearest(text, INJURED) or 0, published, first_city(text))
        )
    return out
