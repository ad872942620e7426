"""Word lists of English news time expressions, and the parsers of their numbers.

Kept as Python constants rather than data files: they are small, they are the vocabulary the regular
expressions in :mod:`storyline.components.timex.grammar` are built from, and type-checking them with the
code that reads them keeps the two in step.
"""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

#: TIMEX3 season codes.
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}

#: TIMEX3 part-of-day codes.
PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "tonight": "NI", "midday": "MI", "dawn": "MO", "daybreak": "MO", "dusk": "EV", "nightfall": "EV",
    "mid-afternoon": "AF", "mid afternoon": "AF", "midafternoon": "AF", "mid-morning": "MO",
    "midmorning": "MO", "mid morning": "MO", "daytime": "DT", "day time": "DT", "late night": "NI",
}  # fmt: skip

#: Duration units: TIMEX3 letter, whether it sits after ``T``, and how many of the base unit it counts.
UNITS: dict[str, tuple[str, bool, int]] = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1),
    "fortnight": ("W", False, 2), "month": ("M", False, 1), "quarter": ("Q", False, 1),
    "year": ("Y", False, 1), "decade": ("DE", False, 1), "century": ("CE", False, 1),
    "millennium": ("ML", False, 1), "weekend": ("WE", False, 1),
}  # fmt: skip

UNIT_PLURALS: dict[str, str] = {
    "seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "nights": "night",
    "weeks": "week", "fortnights": "fortnight", "months": "month", "quarters": "quarter", "years": "year",
    "decades": "decade", "centuries": "century", "millennia": "millennium", "weekends": "weekend",
}  # fmt: skip

SMALL_NUMBERS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "last": -1, "final": -1,
}  # fmt: skip

#: Vague quantities: TIMEX3 writes their amount as ``X`` ("several years" = PXY).
FUZZY_QUANTITIES = ("a couple of", "a few", "several", "few", "many", "some", "a number of", "countless")

#: Holidays with a fixed date (month, day).
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "new years day": (1, 1), "new years eve": (12, 31),
    "independence day": (7, 4), "halloween": (10, 31), "valentine's day": (2, 14), "boxing day": (12, 26),
    "bastille day": (7, 14), "veterans day": (11, 11), "armistice day": (11, 11),
    "remembrance day": (11, 11), "may day": (5, 1), "st. patrick's day": (3, 17), "flag day": (6, 14),
}  # fmt: skip

#: Holidays on the nth weekday of a month: (month, weekday, n); n = -1 is the month's last such day.
WEEKDAY_HOLIDAYS: dict[str, tuple[int, int, int]] = {
    "thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1),
    "memorial day": (5, 0, -1), "martin luther king day": (1, 0, 3), "presidents day": (2, 0, 3),
    "presidents' day": (2, 0, 3), "columbus day": (10, 0, 2), "mother's day": (5, 6, 2),
    "father's day": (6, 6, 3),
}  # fmt: skip

#: Holidays that move with Easter: days after Easter Sunday.
EASTER_HOLIDAYS: dict[str, int] = {
    "easter": 0, "easter sunday": 0, "good friday": -2, "easter monday": 1, "ash wednesday": -46,
    "palm sunday": -7, "pentecost": 49,
}  # fmt: skip

_NUMBER_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)?")


def number_word_pattern() -> str:
    """A regular expression (no groups) for a cardinal number written in words, up to the thousands."""
    small = "|".join(sorted(SMALL_NUMBERS, key=len, reverse=True))
    tens = "|".join(TENS)
    below_hundred = (
        rf"(?:(?:{tens})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine)(?![\w-]))?|{small})"
    )
    hundreds = (
        rf"(?:(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+(?:and\s+)?{below_hundred})?)"
    )
    thousands = r"(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten)\s+thousand)"
    return rf"(?:{thousands}|{hundreds}|{below_hundred})"


def parse_number(text: str) -> float | None:
    """The value of a cardinal number in digits or words ("26", "1,000", "twenty-six", "2 1/2")."""
    t = text.lower().replace(",", "").strip()
    if not t:
        return None
    half = 0.0
    if t.endswith("and a half"):
        half, t = 0.5, t[: -len("and a half")].strip()
    m = re.fullmatch(r"(\d+)\s+(\d)/(\d)", t)
    if m:
        return int(m.group(1)) + int(m.group(2)) / int(m.group(3)) + half
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t) + half
    if t in ("a", "an"):
        return 1.0 + half
    total = 0
    current = 0
    seen = False
    for word in _NUMBER_TOKEN.findall(t):
        if word in SMALL_NUMBERS:
            current += SMALL_NUMBERS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif word in ("a", "an", "and"):
            if word != "and" and current == 0:
                current = 1
            continue
        else:
            return None
        seen = True
    return float(total + current) + half if seen else None


def parse_year_words(text: str) -> int | None:
    """A year said in words: "nineteen ninety-six" = 1996, "two thousand" = 2000, "two thousand one"."""
    t = text.lower().replace("-", " ").split()
    if len(t) >= 2 and t[0] in SMALL_NUMBERS and 10 <= SMALL_NUMBERS[t[0]] <= 20 and t[1] != "hundred":
        rest = parse_number(" ".join(t[1:]))
        if rest is not None and rest < 100:
            return SMALL_NUMBERS[t[0]] * 100 + int(rest)
    value = parse_number(text)
    return int(value) if value is not None and 1000 <= value <= 2100 else None


def parse_ordinal(text: str) -> int | None:
    """The value of an ordinal ("third", "3rd", "twenty-first")."""
    t = text.lower().strip()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", t)
    if m:
        return int(m.group(1))
    if t in ORDINALS:
        return ORDINALS[t]
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ORDINALS:
        return TENS[parts[0]] + ORDINALS[parts[1]]
    return None
