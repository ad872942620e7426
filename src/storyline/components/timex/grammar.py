"""The grammar of English news time expressions: regular expressions over the text, then composition.

Reading a text takes three passes, all over precompiled patterns:

1. **atoms**: each rule's pattern finds the pieces ("10 p.m.", "Wednesday", "Sept. 30, 1989", "last
   week", "three years", "now") and builds a :class:`~storyline.components.timex.frame.Frame` for each;
   overlapping atoms are resolved leftmost-longest;
2. **composition**: adjacent atoms that name one time are merged ("10 p.m." + "Wednesday", "Saturday,"
   + "April 25", "Thursday" + "evening", "January" + "this year", "two years" + "ago");
3. **extent**: modifiers are taken into the span the way TimeML/TempEval-3 annotators did (learnt from
   TimeBank with ``training/analyse_timex_gold.py``): "early", "mid-", "the end of", "nearly", "more
   than", "just after" (clock times), "local time", and the determiner "the" when the expression heads
   its noun phrase ("the third quarter", "the past three months"), but not when it modifies another noun
   ("the [third-quarter] loss", "the [Feb. 23] accord").

Nothing here anchors a date: that is :mod:`storyline.components.timex.resolve`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.components.timex.frame import Frame, TimexType, merge_frames
from storyline.components.timex.lexicon import (
    EASTER_HOLIDAYS,
    FIXED_HOLIDAYS,
    MONTHS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    UNIT_PLURALS,
    UNITS,
    WEEKDAY_HOLIDAYS,
    WEEKDAYS,
    number_word_pattern,
    parse_number,
    parse_ordinal,
    parse_year_words,
)


@dataclass
class Chunk:
    """A candidate time expression: its character extent, what it means and how sure we are."""

    start: int
    end: int
    cat: str  # the grammatical category the composition rules look at
    type: TimexType
    frame: Frame
    confidence: float = 0.9
    rule: str = ""
    weak: bool = False  # only kept when composition absorbs it ("evening" alone is not a timex)
    notes: list[str] = field(default_factory=list)


# --- building blocks -------------------------------------------------------------------------------

B = r"(?<![\w])"  # start of a word (a hyphen before is checked in the filter)
E = r"(?![\w]|-\w)"  # end of a word, and of a hyphenated compound ("year-ago" is not "year")
_NUMW = number_word_pattern()
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s+\d/\d)?|{_NUMW}|a\s+couple\s+of|a\s+couple)"
# "two to three weeks", "12 to 18 months": TimeBank spans the range and values it by its first number.
NUM_RANGE = rf"(?:{NUM}(?:\s+(?:to|or)\s+{NUM}|\s*-\s*\d+)?)"
FUZZY = r"(?:a\s+few|several|a\s+number\s+of|many|few|countless|some)"
_UNIT_SG = "|".join(sorted(UNITS, key=len, reverse=True))
_UNIT_PL = "|".join(sorted(UNIT_PLURALS, key=len, reverse=True))
UNIT = rf"(?:{_UNIT_PL}|{_UNIT_SG})"
# "March" and "May" are verbs too, and the abbreviations are names ("Jan"): those must be capitalised.
MONTH_NAME = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?:\.|(?=\s+\d)))"
)
# "March", "May" and "August" are also words, and "Jan" a name: these must be capitalised in the text.
_CASED_MONTHS = {"march", "may", "august"}


def month_case_ok(word: str) -> bool:
    """Whether a month name as written can be the month ("May 5", not "may" the verb)."""
    bare = word.rstrip(".")
    if bare.lower() in _CASED_MONTHS or (len(bare) <= 4 and bare.lower() not in ("june", "july")):
        return bare[:1].isupper()
    return True


WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
YEAR4 = r"(?:1[0-9]\d\d|20\d\d)(?![\d,.]\d)"
_ORD_WORDS = "|".join(sorted((k for k in ORDINALS if ORDINALS[k] > 0), key=len, reverse=True))
DAY = rf"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)|(?:(?:twenty|thirty)-)?(?:{_ORD_WORDS})"
_TENS_YEAR = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
YEAR_WORDS = (
    rf"(?:(?:nineteen|eighteen)[- ](?:{_TENS_YEAR}(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|hundred|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
TZ = r"(?:[ecmp][sd]t|gmt|utc|bst|cet|cest|eet|eest|wet|west|msk|ist|jst|hkt|sgt|aest|aedt)"
CLOCK = (
    r"(?:(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.m\.?|p\.m\.?|am|pm|a\s?m|p\s?m)(?![\w])"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d(?![\d])"
    r"|(?:1[0-2]|[1-9])\s+o'clock"
    r"|noon|midnight|midday)"
)
QORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|final|last)"
ORD_WORD = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"

_PODS = r"(?:morning|afternoon|evening|night|overnight|mid-?\s?afternoon|mid-?\s?morning)"


def _month(text: str) -> int:
    t = text.lower().rstrip(".").strip()
    return MONTHS[t] if t in MONTHS else MONTHS[t[:3]]


def _day(text: str) -> int | None:
    value = parse_ordinal(text.strip())
    return value if value is not None and 1 <= value <= 31 else None


def _year(text: str) -> int | None:
    t = text.strip()
    if re.fullmatch(r"\d{4}", t):
        return int(t)
    if re.fullmatch(r"'\d\d", t):
        return None
    return parse_year_words(t)


def _amount(text: str) -> float | None:
    t = text.lower().strip()
    if t.startswith("a couple"):
        return 2.0
    if re.fullmatch(FUZZY, t):
        return None
    return parse_number(t)


def _fmt_amount(amount: float | None) -> str:
    if amount is None:
        return "X"
    return str(int(amount)) if float(amount).is_integer() else str(amount)


def duration_value(amount: float | None, unit: str) -> str:
    """The TIMEX3 duration for an amount of a unit: P3D, PT2H, P2Y6M ("2 1/2 years"), PXY (vague)."""
    unit = UNIT_PLURALS.get(unit, unit)
    letter, timed, mult = UNITS[unit]
    prefix = "PT" if timed else "P"
    if amount is None:
        return (
            f"{prefix}X{letter}"
            if letter not in ("DE", "CE", "ML", "WE", "Q")
            else {"DE": "PXDE", "CE": "PXCE", "ML": "PXML", "WE": "PXWE", "Q": "PXQ"}[letter]
        )
    amount *= mult
    if letter == "DE":
        letter, amount = "Y", amount * 10
    elif letter == "CE":
        letter, amount = "Y", amount * 100
    elif letter == "ML":
        letter, amount = "Y", amount * 1000
    elif letter == "Q":
        letter, amount = "M", amount * 3
    elif letter == "WE":
        letter, amount = "D", amount * 2
    if not float(amount).is_integer() and timed:
        whole, frac = int(amount), amount - int(amount)
        sub = {"H": "M", "M": "S"}.get(letter)
        if sub is None:
            return f"PT{amount}{letter}"
        head = f"{whole}{letter}" if whole else ""
        return f"PT{head}{round(frac * 60)}{sub}"
    if not float(amount).is_integer():
        whole, frac = int(amount), amount - int(amount)
        smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60)}
        if letter in smaller:
            sub, factor = smaller[letter]
            subamount = round(frac * factor)
            if sub == "H" and not timed:
                return f"P{whole}DT{subamount}H" if whole else f"PT{subamount}H"
            if letter == "H" and sub == "M":
                return f"PT{whole}H{subamount}M" if whole else f"PT{subamount}M"
            return f"{prefix}{whole}{letter}{subamount}{sub}" if whole else f"{prefix}{subamount}{sub}"
        if letter == "M" and timed:
            return f"PT{whole}M{round(frac * 60)}S"
    return f"{prefix}{_fmt_amount(amount)}{letter}"


# --- atom rules ------------------------------------------------------------------------------------

# A builder reads a match over the lower-cased text; ``src`` is the original text, for case checks.
Builder = Callable[[re.Match[str], str], Chunk | None]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    build: Builder


RULES: list[Rule] = []


def rule(name: str, pattern: str, flags: int = 0) -> Callable[[Builder], Builder]:
    """Register an atom rule: ``pattern`` is compiled once, at import.

    Patterns are written in lower case and run case-sensitively over the lower-cased text: the same
    matches as IGNORECASE, four times faster. Where case matters ("May" the month, "may" the verb) the
    builder looks at the original text.
    """

    def register(build: Builder) -> Builder:
        RULES.append(Rule(name, re.compile(pattern, flags), build))
        return build

    return register


def _chunk(
    m: re.Match[str],
    cat: str,
    type_: TimexType,
    frame: Frame,
    conf: float = 0.9,
    *,
    notes: list[str] | None = None,
) -> Chunk:
    """The chunk of the whole match."""
    return Chunk(m.start(), m.end(), cat, type_, frame, conf, notes=notes or [])


@rule("clock", rf"{B}(?P<clock>{CLOCK})(?:\s*\(?(?P<tz>{TZ})\)?(?![\w]))?(?P<local>,?\s+local\s+time)?")
def _clock(m: re.Match[str], src: str) -> Chunk | None:
    text = m.group("clock").lower()
    hour: int
    minute = 0
    if text in ("noon", "midday"):
        hour = 12
    elif text == "midnight":
        hour = 24
    else:
        hm = re.match(r"(\d{1,2})(?:[:.](\d\d))?", text)
        if hm is None:
            return None
        hour, minute = int(hm.group(1)), int(hm.group(2) or 0)
        if "p" in text[hm.end() :] and hour < 12:
            hour += 12
        elif re.search(r"a\.?\s?m", text[hm.end() :]) and hour == 12:
            hour = 0
        if "." in (hm.group(0)) and not re.search(r"[ap]\.?\s?m", text):
            return None  # "3.45" without a.m./p.m. is a number, not a time
    tz = m.group("tz")
    if tz and not src[m.start("tz") : m.end("tz")].isupper():
        tz = None  # "est" in lower case is not a zone
    frame = Frame("point", hour=hour, minute=minute, timezone=tz.upper() if tz else None,
                  local_time=bool(m.group("local")))  # fmt: skip
    return _chunk(m, "clock", "TIME", frame, 0.9)


@rule("clock_in_the", rf"{B}(?P<h>[01]?\d|2[0-3])(?::(?P<mm>[0-5]\d))?(?:\s+o'clock)?\s+in\s+the\s+"
      r"(?P<pod>morning|afternoon|evening)")  # fmt: skip
def _clock_in_the(m: re.Match[str], src: str) -> Chunk | None:
    hour = int(m.group("h"))
    if m.group("pod").lower() != "morning" and hour < 12:
        hour += 12
    return _chunk(m, "clock", "TIME", Frame("point", hour=hour, minute=int(m.group("mm") or 0)))


@rule("pod", rf"{B}(?P<det>this|last|tomorrow|yesterday|early|late|later|earlier)?\s*(?P<pod>{_PODS}){E}"
      r"|\b(?P<tonight>tonight)\b")  # fmt: skip
def _pod(m: re.Match[str], src: str) -> Chunk | None:
    if m.group("tonight"):
        return _chunk(m, "pod", "TIME", Frame("point", pod="NI", unit="day", offset=0))
    pod_text = re.sub(r"\s+", " ", m.group("pod").lower())
    pod = PARTS_OF_DAY.get(pod_text, PARTS_OF_DAY.get(pod_text.replace(" ", "-"), "MO"))
    det = (m.group("det") or "").lower()
    if det == "this":
        return _chunk(m, "pod", "TIME", Frame("point", pod=pod, unit="day", offset=0))
    if det == "last" and pod == "NI":
        return _chunk(m, "pod", "TIME", Frame("point", pod=pod, unit="day", offset=-1))
    if det == "tomorrow":
        return _chunk(m, "pod", "TIME", Frame("point", pod=pod, unit="day", offset=1))
    if det == "yesterday":
        return _chunk(m, "pod", "TIME", Frame("point", pod=pod, unit="day", offset=-1))
    if pod_text == "overnight":
        # "overnight" is a time of its own only as an adverb; its night is the one before the anchor.
        return _chunk(m, "pod", "TIME", Frame("point", pod="NI", unit="day", offset=-1), 0.6)
    # A bare part of day ("evening", "late evening") names a time only attached to a day: "Thursday evening";
    # "mid-afternoon" is precise enough alone ("By mid-afternoon, ..."): the day is the sentence's.
    start = m.start("pod") if det in ("", "last") else m.start()
    mod = {"early": "START", "late": "END"}.get(det)
    alone = pod_text.startswith("mid")
    frame = Frame("point", pod=pod, mod=mod)
    return Chunk(start, m.end(), "podword", "TIME", frame, 0.7 if alone else 0.8, weak=not alone)


@rule("dayref", r"\b(?P<w>today|tomorrow|yesterday)\b")
def _dayref(m: re.Match[str], src: str) -> Chunk | None:
    offset = {"today": 0, "tomorrow": 1, "yesterday": -1}[m.group("w").lower()]
    return _chunk(m, "dayref", "DATE", Frame("point", unit="day", offset=offset), 0.95)


@rule("day_after", r"\b(?:the\s+)?day\s+(?P<w>after\s+tomorrow|before\s+yesterday)\b")
def _day_after(m: re.Match[str], src: str) -> Chunk | None:
    offset = 2 if m.group("w").lower().startswith("after") else -2
    return _chunk(m, "dayref", "DATE", Frame("point", unit="day", offset=offset), 0.9)


@rule(
    "weekday",
    rf"{B}(?:(?P<det>this\s+coming|this\s+past|this|last|next|coming|past|previous|the\s+following"
    rf"|the\s+previous|the\s+next|the\s+same|that)\s+)?(?P<wd>{WEEKDAY})(?P<pl>s)?{E}",
)
def _weekday(m: re.Match[str], src: str) -> Chunk | None:
    wd = WEEKDAYS[m.group("wd").lower()]
    det = re.sub(r"\s+", " ", (m.group("det") or "").lower())
    if m.group("pl") and not det:
        return _chunk(m, "weekdays", "SET", Frame("set", value=f"XXXX-WXX-{wd + 1}"), 0.8)
    if m.group("pl"):
        return None
    if det in ("last", "past", "previous", "this past"):
        frame = Frame("point", weekday=wd, direction=-1, strict=True)
    elif det in ("next", "coming", "this coming"):
        frame = Frame("point", weekday=wd, direction=1, strict=True)
    elif det in ("the following", "the next"):
        frame = Frame("point", weekday=wd, direction=1, strict=True, anaphoric=True)
    elif det == "the previous":
        frame = Frame("point", weekday=wd, direction=-1, strict=True, anaphoric=True)
    elif det == "this":
        frame = Frame("point", weekday=wd)
    elif det in ("the same", "that"):
        frame = Frame("point", weekday=wd, anaphoric=True)
    else:
        frame = Frame("point", weekday=wd)
    return _chunk(m, "weekday", "DATE", frame, 0.9)


@rule(
    "monthday",
    rf"{B}(?:(?P<det>last|next|this)\s+)?(?P<month>{MONTH_NAME})\s*(?P<day>{DAY}){E}(?:,?\s*(?P<year>{YEAR4}|{YEAR_WORDS}){E})?"
    rf"|{B}(?P<day2>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month2>{MONTH_NAME})"
    rf"(?:,?\s+(?P<year2>{YEAR4}){E})?"
    rf"|{B}the\s+(?P<day3>{DAY})\s+of\s+(?P<month3>{MONTH_NAME})(?:,?\s+(?P<year3>{YEAR4}){E})?",
)
def _monthday(m: re.Match[str], src: str) -> Chunk | None:
    group = "month" if m.group("month") else "month2" if m.group("month2") else "month3"
    month_text = m.group(group)
    if not month_case_ok(src[m.start(group) : m.end(group)]):
        return None
    day_text = m.group("day") or m.group("day2") or m.group("day3")
    year_text = m.group("year") or m.group("year2") or m.group("year3")
    day = _day(day_text)
    if day is None:
        return None
    year = _year(year_text) if year_text else None
    frame = Frame("point", year=year, month=_month(month_text), day=day)
    det = (m.group("det") or "").lower()
    if det == "last":
        frame = frame.with_(direction=-1, strict=True)
    elif det == "next":
        frame = frame.with_(direction=1, strict=True)
    return _chunk(m, "monthday", "DATE", frame, 0.95)


@rule(
    "month",
    rf"{B}(?:(?P<det>last|next|this|this\s+past|this\s+coming|(?:(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+))\s+)?"
    rf"(?P<month>{MONTH_NAME})(?![\w])(?:,?\s+(?:of\s+)?(?P<year>{YEAR4}|{YEAR_WORDS}){E}|\s+'(?P<yy>\d\d){E})?",
)
def _month_rule(m: re.Match[str], src: str) -> Chunk | None:
    if not month_case_ok(src[m.start("month") : m.end("month")]):
        return None
    month = _month(m.group("month"))
    year = _year(m.group("year")) if m.group("year") else None
    if m.group("yy"):
        year = 1900 + int(m.group("yy")) if int(m.group("yy")) > 30 else 2000 + int(m.group("yy"))
    det = re.sub(r"\s+", " ", (m.group("det") or "").lower())
    frame = Frame("point", year=year, month=month)
    if det in ("last", "this past"):
        frame = frame.with_(direction=-1, strict=True)
    elif det in ("next", "this coming"):
        frame = frame.with_(direction=1, strict=True)
    elif det == "this":
        frame = frame.with_(unit="year", offset=0)
    start = m.start()
    if det and ("of" in det):
        frame = frame.with_(mod="END" if "end" in det else "MID" if "middle" in det else "START")
    return Chunk(start, m.end(), "month", "DATE", frame, 0.9 if year else 0.85)


@rule(
    "year",
    rf"{B}(?P<pre>(?:fiscal(?:\s+year)?|fy|calendar(?:\s+year)?|the\s+year|model\s+year|mid-|pre-|post-|early\s+|late\s+)\s*)?"
    rf"(?P<year>{YEAR4}|(?<=fiscal\s)'\d\d|{YEAR_WORDS}|(?<=year\s)two\s+thousand){E}"
    r"(?P<after>\s+or\s+(?:later|earlier|so|before|after))?",
)
def _year_rule(m: re.Match[str], src: str) -> Chunk | None:
    text = m.group("year")
    year: int | None
    if text.startswith("'"):
        yy = int(text[1:])
        year = 1900 + yy if yy > 30 else 2000 + yy
    else:
        year = _year(text)
    if year is None:
        return None
    pre = (m.group("pre") or "").lower().strip()
    mod = None
    if pre in ("mid-",):
        mod = "MID"
    elif pre.startswith("early"):
        mod = "START"
    elif pre.startswith("late"):
        mod = "END"
    elif pre == "pre-":
        mod = "BEFORE"
    elif pre == "post-":
        mod = "AFTER"
    elif (m.group("after") or "").strip().lower() == "or later":
        mod = "ON_OR_AFTER"
    words = not text[:1].isdigit()
    conf = 0.9 if not words else 0.8
    frame = Frame("point", year=year, mod=mod, fiscal=pre.startswith(("fiscal", "fy")))
    return _chunk(m, "year", "DATE", frame, conf, notes=["words"] if words else [])


@rule(
    "decade",
    rf"{B}(?:the\s+)?(?:(?P<mod>early|mid|late)[- ]?)?(?:(?P<y>1[0-9]\d0|20\d0)'?s|'(?P<yy>\d0)'?s"
    rf"|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)){E}",
)
def _decade(m: re.Match[str], src: str) -> Chunk | None:
    if m.group("y"):
        decade = int(m.group("y")) // 10
    elif m.group("yy"):
        decade = 190 + int(m.group("yy")) // 10
    else:
        words = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
        if not m.group(0).lower().startswith("the"):
            return None  # "in his forties" is an age
        decade = 192 + words.index(m.group("w").lower())
    mod = {"early": "START", "mid": "MID", "late": "END"}.get((m.group("mod") or "").lower())
    return _chunk(m, "decade", "DATE", Frame("point", decade=decade, mod=mod), 0.85)


@rule(
    "century",
    rf"{B}(?:the\s+)?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{ORD_WORD}|eleventh|twelfth|thirteenth|fourteenth|fifteenth"
    rf"|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)\s+century{E}"
    rf"|{B}(?P<det>this|last|next|the\s+last|the\s+past|the\s+next|the\s+previous)\s+century{E}",
)
def _century(m: re.Match[str], src: str) -> Chunk | None:
    if m.group("ord"):
        n = parse_ordinal(m.group("ord"))
        if n is None or not 1 <= n <= 21:
            return None
        return _chunk(m, "century", "DATE", Frame("point", century=n - 1), 0.9)
    det = re.sub(r"\s+", " ", m.group("det").lower())
    offset = {"this": 0, "next": 1, "the next": 1}.get(det, -1)
    return _chunk(m, "rel", "DATE", Frame("point", unit="century", offset=offset), 0.85)


_REL_UNITS = r"(?:week|month|year|quarter|decade|weekend|fiscal\s+year)"


@rule(
    "rel_unit",
    rf"{B}(?P<det>this|last|next|past|previous|coming|current|the\s+current|the\s+past|the\s+last|the\s+previous"
    rf"|the\s+coming|the\s+next|the\s+following|the\s+preceding|the\s+prior|that|the\s+same|that\s+same|the"
    rf"|this\s+past|this\s+coming|the\s+latest|the\s+most\s+recent|the\s+full|the\s+entire|the\s+whole)\s+"
    rf"(?P<unit>{_REL_UNITS}|day|morning|afternoon|evening|night){E}",
)
def _rel_unit(m: re.Match[str], src: str) -> Chunk | None:
    det = re.sub(r"\s+", " ", m.group("det").lower())
    unit = re.sub(r"\s+", " ", m.group("unit").lower())
    fiscal = unit.startswith("fiscal")
    if fiscal:
        unit = "year"
    if unit in ("morning", "afternoon", "evening", "night"):
        pod = PARTS_OF_DAY[unit]
        if det in ("the next", "the following"):
            return _chunk(m, "pod", "TIME", Frame("point", pod=pod, unit="day", offset=1, anaphoric=True))
        if det in ("that", "the same", "that same"):
            return _chunk(m, "pod", "TIME", Frame("point", pod=pod, unit="day", offset=0, anaphoric=True))
        if det in ("the previous", "the preceding", "the prior"):
            return _chunk(m, "pod", "TIME", Frame("point", pod=pod, unit="day", offset=-1, anaphoric=True))
        return None  # "this morning", "last night" are the pod rule's
    if unit == "day":
        if det in ("the next", "the following"):
            return _chunk(m, "anaph", "DATE", Frame("point", unit="day", offset=1, anaphoric=True), 0.8)
        if det in ("the previous", "the preceding", "the prior"):
            return _chunk(m, "anaph", "DATE", Frame("point", unit="day", offset=-1, anaphoric=True), 0.8)
        if det in ("that", "the same", "that same"):
            return _chunk(m, "anaph", "DATE", Frame("point", unit="day", offset=0, anaphoric=True), 0.8)
        return None
    if det == "this" and unit == "quarter":
        # In a quarterly report "this quarter" is the one reported on, as "the quarter" is.
        return _chunk(m, "quarter", "DATE", Frame("point", period_ref=True), 0.75)
    if det in ("this", "current", "the current", "the latest" if unit == "week" else "-"):
        frame = Frame("point", unit=unit, offset=0, fiscal=fiscal)
    elif det in ("last", "previous", "this past"):
        frame = Frame("point", unit=unit, offset=-1, fiscal=fiscal)
    elif det in ("next", "coming", "this coming"):
        frame = Frame("point", unit=unit, offset=1, fiscal=fiscal)
    elif det in ("the following", "the next") and unit != "weekend":
        # "the next year": anaphoric in narrative ("the following year he was appointed").
        frame = Frame("point", unit=unit, offset=1, anaphoric=True)
    elif det in ("the previous", "the preceding", "the prior"):
        frame = Frame("point", unit=unit, offset=-1, anaphoric=True)
    elif det in ("that", "the same", "that same"):
        frame = Frame("point", unit=unit, offset=0, anaphoric=True)
    elif det in ("the past", "the last") and unit in ("year", "decade"):
        # "over the past year": the year up to now; TimeBank writes it as the previous calendar unit.
        frame = Frame("point", unit=unit, offset=-1, fuzzy=True)
    elif det in ("the past", "the last") and unit in ("week", "month"):
        frame = Frame("point", unit=unit, offset=-1, fuzzy=True)
    elif det in ("the past", "the last") and unit == "quarter":
        frame = Frame("point", unit=unit, offset=-1)
    elif det in ("the coming", "the next"):
        frame = Frame("point", unit=unit, offset=1)
    elif det == "the" and unit == "weekend":
        frame = Frame("point", weekend=True, unit="week", offset=0)
        return _chunk(m, "rel", "DATE", frame, 0.8, notes=["the_weekend"])
    elif det == "the" and unit == "quarter":
        return _chunk(m, "quarter", "DATE", Frame("point", period_ref=True), 0.75)
    elif det in ("the latest", "the most recent") and unit == "quarter":
        return _chunk(m, "quarter", "DATE", Frame("point", period_ref=True), 0.8)
    elif det in ("the full", "the entire", "the whole") and unit == "year":
        return _chunk(m, "rel", "DATE", Frame("point", unit="year", offset=0), 0.7)
    elif det == "the" and unit in ("year", "fiscal year"):
        return _chunk(m, "the_year", "DATE", Frame("point", unit="year", offset=0, fiscal=fiscal), 0.6)
    elif det == "the" and unit == "week":
        # "the week" alone is this week; "the week of March 6" is composed with its date.
        return _chunk(m, "the_week", "DATE", Frame("point", unit="week", offset=0), 0.6)
    else:
        return None
    if unit == "weekend":
        frame = frame.with_(unit="week", weekend=True)
    return _chunk(m, "rel", "DATE", frame, 0.85 if not frame.fuzzy else 0.7)


@rule("end_of_unit", rf"{B}(?:the\s+)?(?P<which>end|beginning|start|middle|close|turn)\s+of\s+"
      rf"(?P<det>the|this|next|last)\s+(?P<unit>week|month|year|quarter|decade|century){E}")  # fmt: skip
def _end_of_unit(m: re.Match[str], src: str) -> Chunk | None:
    det = m.group("det").lower()
    offset = {"the": 0, "this": 0, "next": 1, "last": -1}[det]
    mod = {"end": "END", "close": "END", "middle": "MID"}.get(m.group("which").lower(), "START")
    frame = Frame("point", unit=m.group("unit").lower(), offset=offset, mod=mod)
    return _chunk(m, "rel", "DATE", frame, 0.8)


@rule(
    "year_end",
    r"\b(?:the\s+)?(?P<w>year[- ]end|year's\s+end|end[- ]of[- ]year|mid-?year|month[- ]end)\b(?![\w-])",
)
def _year_end(m: re.Match[str], src: str) -> Chunk | None:
    w = m.group("w").lower()
    unit = "month" if w.startswith("month") else "year"
    mod = "MID" if w.startswith("mid") else "END"
    return _chunk(m, "rel", "DATE", Frame("point", unit=unit, offset=0, mod=mod), 0.7)


@rule(
    "quarter",
    rf"{B}(?:(?P<pre>this\s+year's|last\s+year's|next\s+year's|the\s+year-ago|the\s+year-earlier"
    rf"|year-ago|year-earlier|the\s+comparable\s+year-ago|the\s+comparable|the\s+corresponding"
    rf"|the\s+(?P<py>\d{{4}})|(?P<py2>\d{{4}})|the\s+current|this|last|next|its)\s+)?"
    rf"(?:(?P<fiscal>fiscal|calendar)[- ])?(?P<ord>{QORD})(?:[- ](?P<fiscal2>fiscal))?[- ]"
    rf"(?P<unit>quarter|half|period)"
    rf"(?:s?)(?:\s+of\s+(?:fiscal\s+)?(?P<year>{YEAR4})|\s+of\s+(?P<yrel>this|last|next)\s+year)?{E}",
)
def _quarter(m: re.Match[str], src: str) -> Chunk | None:
    n = parse_ordinal(m.group("ord"))
    unit = m.group("unit").lower()
    if n is None or unit == "period":
        return None
    frame = Frame("point", fiscal=bool(m.group("fiscal") or m.group("fiscal2")))
    if n == -1:
        if unit == "quarter" and not m.group("year"):
            # "the last quarter": the quarter before the current one.
            return _chunk(m, "rel", "DATE", Frame("point", unit="quarter", offset=-1), 0.7)
        n = 4 if unit == "quarter" else 2
    if (unit == "quarter" and not 1 <= n <= 4) or (unit == "half" and not 1 <= n <= 2):
        return None
    frame = frame.with_(quarter=n) if unit == "quarter" else frame.with_(half=n)
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower())
    if m.group("year"):
        frame = frame.with_(year=int(m.group("year")))
    elif m.group("py") or m.group("py2"):
        frame = frame.with_(year=int(m.group("py") or m.group("py2")))
    elif m.group("yrel") or pre.endswith("year's"):
        word = m.group("yrel") or pre.split()[0]
        frame = frame.with_(unit="year", offset={"this": 0, "last": -1, "next": 1}[word.lower()])
    elif "year-ago" in pre or "year-earlier" in pre or "corresponding" in pre:
        frame = frame.with_(unit="year", offset=-1)
    start = m.start()
    if pre == "its":
        start = m.start("ord") if not m.group("fiscal") else m.start("fiscal")
    plural = m.group(0).rstrip().lower().endswith(("quarters", "halves"))
    if plural:
        value = f"XXXX-Q{n}" if unit == "quarter" else f"XXXX-H{n}"
        return Chunk(start, m.end(), "set", "SET", Frame("set", value=value), 0.6, rule="quarter")
    return Chunk(start, m.end(), "quarter", "DATE", frame, 0.9, rule="quarter")


@rule(
    "period",
    r"\b(?:the\s+)?(?P<pre>year-ago|year-earlier|comparable\s+year-ago|comparable|corresponding|year\s+ago|latest"
    r"|last\s+year's|this\s+year's|next\s+year's"
    r"|most\s+recent|current|same|(?P<y>\d{4}))\s+(?:fiscal\s+)?(?P<unit>quarter|period|three\s+months)"
    r"(?P<post>\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year|a\s+year\s+before))?(?![\w-])"
    r"|\b(?:the\s+)?(?P<qago>quarter|period)\s+a\s+year\s+(?:ago|earlier)\b",
)
def _period(m: re.Match[str], src: str) -> Chunk | None:
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower())
    if (
        m.group("qago")
        or m.group("post")
        or pre in ("year-ago", "year-earlier", "comparable year-ago", "year ago")
    ):
        frame = Frame("point", period_ref=True, unit="year", offset=-1)
    elif pre in ("corresponding", "comparable", "same"):
        return None
    elif pre.endswith("year's"):
        offset = {"last": -1, "this": 0, "next": 1}[pre.split()[0]]
        frame = Frame("point", period_ref=True, unit="year", offset=offset)
    elif m.group("y"):
        frame = Frame("point", period_ref=True, year=int(m.group("y")))
    elif pre == "current":
        frame = Frame("point", unit="quarter", offset=0)
    else:
        frame = Frame("point", period_ref=True)
    return _chunk(m, "quarter", "DATE", frame, 0.75)


@rule("year_ago_adj", r"\b(?P<w>year-ago|year-earlier)(?![\w-])")
def _year_ago_adj(m: re.Match[str], src: str) -> Chunk | None:
    return _chunk(
        m, "quarter", "DATE", Frame("point", period_ref=True, unit="year", offset=-1, fuzzy=True), 0.7
    )


@rule(
    "season",
    rf"{B}(?:(?P<det>this|last|next|this\s+past|this\s+coming|the|early|late|mid-?|the\s+early|the\s+late)\s+)?"
    rf"(?P<season>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<year>{YEAR4}|{YEAR_WORDS}){E})?{E}",
)
def _season(m: re.Match[str], src: str) -> Chunk | None:
    det = re.sub(r"\s+", " ", (m.group("det") or "").lower())
    season = SEASONS[m.group("season").lower()]
    year = _year(m.group("year")) if m.group("year") else None
    if not det and year is None:
        return None  # a bare "fall" is mostly the verb, a bare "spring" the noun
    frame = Frame("point", season=season, year=year)
    if det == "this" and year is None:
        frame = frame.with_(unit="year", offset=0)
    elif det == "this past":
        frame = frame.with_(direction=-1)
    elif det == "last":
        frame = frame.with_(direction=-1, strict=True)
    elif det in ("next", "this coming"):
        frame = frame.with_(direction=1, strict=True)
    elif det in ("the", "the early", "the late") and year is None:
        frame = frame.with_(anaphoric=False)
    mod = {"early": "START", "late": "END", "mid": "MID", "mid-": "MID"}.get(det.replace("the ", ""))
    return _chunk(m, "season", "DATE", frame.with_(mod=mod), 0.8 if det != "the" else 0.6)


_HOLIDAY_NAMES = sorted(
    [*FIXED_HOLIDAYS, *WEEKDAY_HOLIDAYS, *EASTER_HOLIDAYS, "election day"], key=len, reverse=True
)


@rule(
    "holiday",
    rf"{B}(?:(?P<det>last|next|this)\s+)?(?P<name>{'|'.join(re.escape(n) for n in _HOLIDAY_NAMES)})"
    rf"(?:\s+(?P<year>{YEAR4}))?{E}",
)
def _holiday(m: re.Match[str], src: str) -> Chunk | None:
    name = m.group("name")
    if not src[m.start("name")].isupper():
        return None  # "christmas" in lower case is not the holiday's name
    det = (m.group("det") or "").lower()
    year = int(m.group("year")) if m.group("year") else None
    frame = Frame("point", holiday=name, year=year)
    if det == "last":
        frame = frame.with_(direction=-1, strict=True)
    elif det == "next":
        frame = frame.with_(direction=1, strict=True)
    return _chunk(m, "holiday", "DATE", frame, 0.85)


@rule(
    "duration",
    rf"{B}(?P<amount>{NUM_RANGE}|an?|{FUZZY})(?:\s+(?P<more>more|additional|extra|full|straight|consecutive|long))?"
    rf"(?:\s+(?:trading|business|working|calendar|school))?[\s-]+(?P<unit>{UNIT})(?P<half>\s+and\s+a\s+half)?"
    rf"(?P<long>-long|-plus)?(?![\w]|-old|-\w)",
)
def _duration(m: re.Match[str], src: str) -> Chunk | None:
    amount_text = m.group("amount").lower()
    # "two to three", "10-15": the first amount ("twenty-one" is one number, not a range).
    ranged = re.match(rf"({NUM})(?:\s+(?:to|or)\s+|\s*-\s*(?=\d))", amount_text)
    if ranged is not None and ranged.end() < len(amount_text):
        amount_text = ranged.group(1)
    amount = _amount(amount_text)
    unit = UNIT_PLURALS.get(m.group("unit").lower(), m.group("unit").lower())
    hyphen = "-" in m.group(0)[len(m.group("amount")) : m.start("unit") - m.start() + 1]
    if m.group("half"):
        amount = (amount or 1) + 0.5
    if amount is not None and amount == 0:
        return None
    if amount is not None and amount > 10000:
        return None
    if unit == "quarter" and (hyphen or m.group(0).lower().startswith(("a ", "an ", "one "))):
        return None  # "three-quarters of", "a quarter of": fractions
    if amount_text in ("a", "an") and m.group("unit").lower() in UNIT_PLURALS:
        return None
    if unit == "weekend" and amount_text in ("a", "an"):
        return None
    if unit == "second" and amount_text in ("a", "an"):
        return None  # "a second" is mostly the ordinal ("a second time")
    if amount_text == "some" and m.group("unit").lower() in UNIT_PLURALS:
        return None  # "some days" / "some years": too vague to be sure
    value = duration_value(amount, unit)
    conf = 0.85 if amount is not None else 0.6
    cat = "duration_adj" if hyphen else "duration"
    return _chunk(m, cat, "DURATION", Frame("duration", value=value, unit=unit,
                                              offset=int(amount) if amount and amount.is_integer() else None,
                                              fuzzy=amount is None), conf)  # fmt: skip


@rule(
    "span_of",
    rf"{B}(?P<det>the\s+(?:past|last|next|first|coming|previous|following|final|preceding|ensuing|remaining)"
    rf"|past|last|next|first|coming|previous|recent|the\s+recent)\s+"
    rf"(?:(?P<amount>{NUM}|{FUZZY}|couple\s+of)\s+)?(?:(?:full|trading|business|calendar)\s+)?(?P<unit>{_UNIT_PL}|{_UNIT_SG}){E}"
    rf"(?P<orso>\s+or\s+so)?",
)
def _span_of(m: re.Match[str], src: str) -> Chunk | None:
    det = re.sub(r"\s+", " ", m.group("det").lower())
    unit_text = m.group("unit").lower()
    unit = UNIT_PLURALS.get(unit_text, unit_text)
    plural = unit_text in UNIT_PLURALS
    amount_text = (m.group("amount") or "").lower()
    if not amount_text and not plural:
        return None  # "the past year", "last week": rel_unit's
    amount = _amount(amount_text) if amount_text else None
    if amount_text.startswith("couple"):
        amount = 2
    if (amount_text and amount is None) or not amount_text:
        fuzzy = True
        amount = None
    else:
        fuzzy = False
    if det in ("recent", "the recent"):
        if unit == "year" and not amount_text:
            return _chunk(m, "ref", "DATE", Frame("ref", value="PAST_REF", fuzzy=True), 0.6)
        frame = Frame("duration", value=duration_value(None, unit), fuzzy=True)
        return _chunk(m, "duration", "DURATION", frame, 0.6)
    if det in ("coming", "the coming") and not amount_text:
        return _chunk(m, "ref", "DATE", Frame("ref", value="FUTURE_REF", fuzzy=True), 0.6)
    if not amount_text and det == "past" and unit in ("year", "decade", "month"):
        return _chunk(m, "ref", "DATE", Frame("ref", value="PAST_REF", fuzzy=True), 0.5)  # "in past years"
    if not amount_text and det in ("past", "last", "next", "first", "previous"):
        return None  # "last months", "first days": too vague
    if amount is not None and not plural and amount != 1:
        return None
    value = duration_value(amount, unit)
    frame = Frame("duration", value=value, unit=unit, offset=int(amount) if amount else None, fuzzy=fuzzy)
    return _chunk(m, "duration", "DURATION", frame, 0.85 if not fuzzy else 0.6)


@rule(
    "bare_units",
    rf"{B}(?P<pre>for|over|in|within|after|took)\s+(?P<the>the\s+)?"
    rf"(?P<unit>years|months|weeks|days|decades|centuries|hours|minutes){E}"
    r"(?!\s+(?:of|and\s+years|to\s+come|ago|later|earlier|before|after))",
)
def _bare_units(m: re.Match[str], src: str) -> Chunk | None:
    unit = UNIT_PLURALS[m.group("unit").lower()]
    start = m.start("the") if m.group("the") else m.start("unit")
    if m.group("pre").lower() in ("after", "took") and not m.group("the"):
        pass
    frame = Frame("duration", value=duration_value(None, unit), fuzzy=True)
    return Chunk(start, m.end(), "duration", "DURATION", frame, 0.55)


@rule(
    "ref",
    r"\b(?P<w>now|right\s+now|just\s+now|currently|current|presently|at\s+present|nowadays|these\s+days|today's"
    r"|recently|recent|lately|more\s+recently|most\s+recently|the\s+past|the\s+future|the\s+near\s+future"
    r"|the\s+distant\s+future|the\s+near\s+term|the\s+short\s+term"
    r"|future|as\s+soon\s+as\s+possible|a\s+later\s+date|then-current|formerly|the\s+present)\b(?![\w-])",
)
def _ref(m: re.Match[str], src: str) -> Chunk | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    if w == "today's":
        return None
    present = ("now", "right now", "just now", "currently", "current", "presently", "at present", "nowadays",
               "these days", "the present", "at the moment", "the time being", "this time")  # fmt: skip
    past = ("recently", "recent", "lately", "more recently", "most recently", "the past", "then-current",
            "formerly")  # fmt: skip
    value = "PRESENT_REF" if w in present else "PAST_REF" if w in past else "FUTURE_REF"
    start = m.start()
    if w == "at present":
        start = m.start() + 3
    conf = 0.5 if w in ("the short term", "the near term") else 0.7
    return Chunk(start, m.end(), "ref", "DATE", Frame("ref", value=value, fuzzy=True), conf, rule=w)


@rule(
    "set",
    rf"{B}(?P<adv>daily|weekly|monthly|yearly|hourly|nightly|biweekly|bimonthly|semiannually)(?![\w-])"
    rf"|{B}(?P<q>every|each|per|a|an)\s+(?P<n>other\s+)?(?P<unit>second|minute|hour|day|night|week|month|quarter|year"
    rf"|decade|morning|evening|afternoon|weekend|{WEEKDAY}|{MONTH_NAME}){E}"
    rf"|{B}(?P<times>once|twice|(?:{NUM})\s+times)\s+(?:a|an|per|each|every)\s+(?P<unit2>second|minute|hour|day|week|month|year|decade){E}",
)
def _set(m: re.Match[str], src: str) -> Chunk | None:
    if m.group("adv"):
        adv = m.group("adv").lower()
        value = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
                 "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W", "bimonthly": "P2M",
                 "semiannually": "P6M", "quarterly": "P3M"}[adv]  # fmt: skip
        return _chunk(m, "set", "SET", Frame("set", value=value), 0.7 if adv != "quarterly" else 0.4)
    if m.group("times"):
        unit = m.group("unit2").lower()
        return _chunk(m, "set", "SET", Frame("set", value=duration_value(1, unit)), 0.7)
    q = m.group("q").lower()
    unit = m.group("unit").lower()
    step = 2 if m.group("n") else 1
    if unit.capitalize() in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        if q in ("a", "an", "per"):
            return None
        return _chunk(m, "set", "SET", Frame("set", value=f"XXXX-WXX-{WEEKDAYS[unit] + 1}"), 0.8)
    if unit in ("morning", "evening", "afternoon"):
        if q in ("a", "an", "per"):
            return None
        return _chunk(m, "set", "SET", Frame("set", value=f"TXX{PARTS_OF_DAY[unit]}"), 0.7)
    if unit not in UNITS:
        if not month_case_ok(src[m.start("unit") : m.end("unit")]):
            return None
        month = _month(m.group("unit"))
        if q in ("a", "an", "per"):
            return None
        return _chunk(m, "set", "SET", Frame("set", value=f"XXXX-{month:02d}"), 0.8)
    if q in ("a", "an", "per"):
        # "$5 a week", "$1.76 a year": rates, which TimeBank and AQUAINT leave unmarked.
        return None
    value = duration_value(step, unit)
    return _chunk(m, "set", "SET", Frame("set", value=value), 0.8)


@rule(
    "the_time",
    r"\b(?P<pre>at|by)\s+(?P<t>the\s+time|that\s+time)(?![\w-])(?!\s+(?:of|when|that|he|she|they|it|we))",
)
def _the_time(m: re.Match[str], src: str) -> Chunk | None:
    return Chunk(m.start("t"), m.end(), "ref", "DATE", Frame("ref", value="PAST_REF", fuzzy=True), 0.4,
                 rule="the_time")  # fmt: skip


# --- composition -----------------------------------------------------------------------------------

_AGO = re.compile(
    r"\s+(?:or\s+(?:so|two|three)\s+)?(?P<w>ago|earlier|later|from\s+now|hence|previously)(?![\w])", re.I
)
_LOCAL = re.compile(r",?\s+local\s+time(?![\w])|\s*\(?(?P<tz>" + TZ + r")\)?(?![\w])", re.I)


def _merge(a: Chunk, b: Chunk, cat: str, type_: TimexType, conf: float | None = None) -> Chunk:
    frame = merge_frames(a.frame, b.frame)
    return Chunk(
        a.start, b.end, cat, type_, frame, conf if conf is not None else max(a.confidence, b.confidence)
    )


def _combine(a: Chunk, b: Chunk, gap: str) -> Chunk | None:
    """The chunk that ``a`` + ``gap`` + ``b`` make together, or None when they stay apart."""
    g = gap.lower()
    comma_space = re.fullmatch(r",?\s*", g) is not None
    space = re.fullmatch(r"[ \t]+", g) is not None
    # "Saturday, April 25" / "Friday, Oct. 23": the weekday confirms the date.
    if a.cat == "weekday" and b.cat == "monthday" and comma_space:
        return Chunk(
            a.start, b.end, "monthday", "DATE", merge_frames(b.frame, a.frame.with_(weekday=None)), 0.95
        )
    # "10 p.m. Wednesday", "5 p.m. EST, Nov. 9", "noon Thursday", "midnight Friday".
    if (
        a.cat == "clock"
        and b.cat in ("weekday", "monthday", "dayref", "anaph")
        and re.fullmatch(r",?\s*(?:on\s+)?", g)
    ):
        return _merge(a, b, "clockday", "TIME")
    # "Saturday 8:00 p.m.", "Nov. 9, 5 p.m.": the day, then its clock time ("Friday at 3 p.m." stays two).
    if a.cat in ("weekday", "monthday", "dayref") and b.cat == "clock" and comma_space:
        return _merge(a, b, "clockday", "TIME", 0.9)
    # "Thursday evening", "yesterday morning", "Saturday night".
    if a.cat in ("weekday", "dayref", "monthday", "anaph") and b.cat == "podword" and space:
        return _merge(a, b, "podday", "TIME")
    # "mid-afternoon yesterday": the part of the day first ("early Tuesday" is a modifier: extend()).
    if a.cat == "podword" and b.cat in ("dayref", "weekday") and space:
        return _merge(a, b, "podday", "TIME", 0.85)
    # "January this year", "June last year".
    if a.cat == "month" and a.frame.year is None and b.cat == "rel" and b.frame.unit == "year" and space:
        return Chunk(a.start, b.end, "month", "DATE", a.frame.with_(unit="year", offset=b.frame.offset), 0.9)
    # "Tuesday of last week", "Monday next week".
    if a.cat == "weekday" and b.cat == "rel" and b.frame.unit == "week" and re.fullmatch(r"\s+(?:of\s+)?", g):
        return Chunk(
            a.start, b.end, "weekday", "DATE", a.frame.with_(unit="week", offset=b.frame.offset), 0.9
        )
    # "the week of March 6".
    if a.cat == "the_week" and b.cat == "monthday" and g.strip() == "of":
        return Chunk(a.start, b.end, "week_of", "DATE", b.frame.with_(week_of=True), 0.8)
    # "4 in the morning (4 a.m. EDT Thursday)" stays two; "Sunday, March eighth" handled above.
    return None


def compose(text: str, chunks: list[Chunk]) -> list[Chunk]:
    """Merge adjacent chunks that name one time, then the "ago" forms and zones (see the module doc)."""
    chunks = sorted(chunks, key=lambda c: c.start)
    out: list[Chunk] = []
    for chunk in chunks:
        if out:
            prev = out[-1]
            gap = text[prev.end : chunk.start]
            if len(gap) <= 6 and "\n" not in gap:
                merged = _combine(prev, chunk, gap)
                if merged is not None:
                    out[-1] = merged
                    continue
        out.append(chunk)
    result: list[Chunk] = []
    for chunk in out:
        if chunk.cat in ("duration",) and chunk.frame.value is not None:
            m = _AGO.match(text, chunk.end)
            w = m.group("w").lower() if m is not None else ""
            if w in ("later", "earlier", "previously") and chunk.frame.unit not in (
                "year",
                "month",
                "quarter",
                "decade",
            ):
                m = None  # TimeBank: "three days later" is the duration "three days"
            if m is not None:
                offset = chunk.frame.offset
                sign = 1 if w in ("later", "from now", "hence") else -1
                unit = chunk.frame.unit or "day"
                frame = Frame(
                    "point",
                    unit=unit,
                    offset=sign * offset if offset is not None else None,
                    anaphoric=w in ("earlier", "later", "previously"),
                    fuzzy=chunk.frame.fuzzy or offset is None,
                    direction=sign,
                    value="ago",
                )
                result.append(Chunk(chunk.start, m.end(), "ago", "DATE", frame, 0.85 if offset else 0.5))
                continue
        if chunk.cat in ("clock", "clockday", "pod", "podday"):
            m = _LOCAL.match(text, chunk.end)
            if m is not None:
                tz = m.group("tz")
                chunk = Chunk(
                    chunk.start, m.end(), chunk.cat, chunk.type,
                    chunk.frame.with_(timezone=tz) if tz else chunk.frame.with_(local_time=True),
                    chunk.confidence,
                )  # fmt: skip
        result.append(chunk)
    return result


# --- extent ----------------------------------------------------------------------------------------

_LEFT_MODS: list[tuple[re.Pattern[str], str | None, tuple[str, ...]]] = [
    # (pattern ending at the chunk, TIMEX3 mod, categories it applies to)
    (
        re.compile(r"(?:\b(?:just|shortly|right|soon|immediately)\s+(?:after|before)\s+)$", re.I),
        "AFTER",
        ("clock", "clockday"),
    ),
    (
        re.compile(r"(?:\baround\s+)$", re.I),
        "APPROX",
        ("clock", "clockday", "monthday", "ago", "rel", "year"),
    ),
    (
        re.compile(
            r"(?:\b(?:approximately|roughly|nearly|almost|more\s+than|less\s+than|at\s+least|up\s+to"
            r"|fewer\s+than|no\s+more\s+than|no\s+less\s+than|at\s+most|just\s+over|just\s+under|well\s+over"
            r"|barely|little\s+more\s+than|a\s+little\s+over|a\s+little\s+more\s+than|upwards\s+of"
            r"|some|almost|close\s+to|not\s+quite|the\s+better\s+part\s+of|a\s+full|an\s+extra"
            r"|another|an\s+additional)\s+)$",
            re.I,
        ),
        "APPROX",
        ("duration", "ago"),
    ),
    (
        re.compile(r"(?:\b(?:early|earlier|late|later|mid)\s+|\bmid-|\blate-|\bearly-)$", re.I),
        "MOD",
        (
            "weekday",
            "dayref",
            "rel",
            "month",
            "monthday",
            "year",
            "decade",
            "season",
            "podday",
            "pod",
            "quarter",
            "holiday",
            "century",
            "anaph",
        ),
    ),
    (
        re.compile(
            r"(?:\b(?:the\s+)?(?:end|beginning|start|middle|close|turn|rest|remainder|latter\s+part|first\s+half"
            r"|second\s+half|early\s+part|bulk|first\s+part|last\s+half|first\s+days|last\s+days)\s+of\s+(?:the\s+)?)$",
            re.I,
        ),
        "MOD",
        ("year", "month", "rel", "decade", "century", "quarter", "season", "monthday"),
    ),
    (re.compile(r"(?:\b(?:this|that)\s+(?:past|coming)\s+)$", re.I), None, ("season", "holiday")),
]

_THE = re.compile(r"(?:\bthe\s+)$", re.I)
# Chunks that take a preceding "the" into the extent when they head the noun phrase.
_THE_CATS = {
    "duration",
    "rel",
    "quarter",
    "decade",
    "century",
    "season",
    "ref",
    "ago",
    "podday",
    "month",
    "year",
}


def _mod_for(word: str) -> str | None:
    w = word.lower().strip()
    if w.startswith(("early", "begin", "start", "first")):
        return "START"
    if w.startswith(("late", "end", "close", "last", "latter", "rest", "remainder")):
        return "END"
    if w.startswith(("mid", "middle")):
        return "MID"
    return None


def extend(text: str, chunk: Chunk, next_is_noun: Callable[[int], bool]) -> Chunk:
    """Take modifiers and the determiner into the chunk's extent (TempEval-3 conventions)."""
    changed = True
    while changed:
        changed = False
        left = text[max(0, chunk.start - 40) : chunk.start]
        for pattern, mod, cats in _LEFT_MODS:
            if chunk.cat not in cats:
                continue
            m = pattern.search(left)
            if m is None:
                continue
            words = m.group(0)
            if mod == "MOD":
                # "earlier this week": earlier/later keep the value; early/late/mid mark the part.
                new_mod = _mod_for(words.replace("the ", "").strip())
                if words.lower().strip().startswith(("earlier", "later")):
                    new_mod = None
            else:
                new_mod = mod
            if (
                mod == "APPROX"
                and words.lower().strip() == "some"
                and text[chunk.start : chunk.start + 4].lower() == "the "
            ):
                continue
            frame = chunk.frame.with_(mod=new_mod or chunk.frame.mod)
            chunk = Chunk(chunk.start - len(words), chunk.end, chunk.cat, chunk.type, frame, chunk.confidence)
            changed = True
            break
    if chunk.cat in _THE_CATS and not text[chunk.start : chunk.start + 4].lower().startswith("the "):
        m = _THE.search(text[max(0, chunk.start - 8) : chunk.start])
        heads = chunk.cat not in ("year", "month") or chunk.frame.mod is not None or chunk.frame.fiscal
        if m is not None and heads and not next_is_noun(chunk.end):
            start = chunk.start - len(m.group(0))
            chunk = Chunk(start, chunk.end, chunk.cat, chunk.type, chunk.frame, chunk.confidence)
    return chunk


# --- driver ----------------------------------------------------------------------------------------


# Every rule needs one of these words (or a year, a clock time) near its match. Scanning for them once
# and running the rules only in windows around them is what keeps the tagger at a few milliseconds per
# thousand words: most of a news text holds no time expression.
_TRIGGER = re.compile(
    r"\b(?:1[0-9]\d\d|20\d\d|\d{1,2}(?:[:.]\d\d)?\s*[ap]\.?\s?m\b|\d{1,2}:\d\d|'\d0s"
    r"|jan|feb|march|mar\.|apr|may|jun|jul|aug|sep\b|sep\.|sept|oct\b|oct\.|october|nov\b|nov\.|november"
    r"|dec\b|dec\.|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|today|tomorrow|yesterday|tonight|now|current|recent|future|past|ago|lately|presently|formerly|present"
    r"|morning|afternoon|evening|night|overnight|noon|midnight|midday|o'clock|daily|weekly|monthly|yearly"
    r"|hourly|nightly|biweekly|bimonthly|semiannually|spring|summer|fall|autumn|winter|quarter|period|half"
    r"|halves|year|month|week|day|hour|minute|second|decade|centur|millenni|fortnight|christmas|easter"
    r"|thanksgiving|halloween|valentine|independence|labor|memorial|election|new\s+year|boxing|bastille"
    r"|veterans|armistice|remembrance|patrick|flag|columbus|mother|father|presidents|martin|good|ash|palm"
    r"|pentecost|nineteen|eighteen|thousand|twenties|thirties|forties|fifties|sixties|seventies|eighties"
    r"|nineties|time|term|soon|later)"
)
_WINDOW_BEFORE = 45
_WINDOW_AFTER = 70


def regions(text: str) -> list[tuple[int, int]]:
    """Disjoint windows of the text around trigger words, where the rules are run."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in _TRIGGER.finditer(text):
        start, end = max(0, m.start() - _WINDOW_BEFORE), min(n, m.end() + _WINDOW_AFTER)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def lower_same_length(text: str) -> str:
    """``text.lower()`` with every offset kept: a character whose lower case is longer stays as it is."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def find_atoms(text: str) -> list[Chunk]:
    """Every rule's atoms, overlaps resolved leftmost-longest (earlier rules win ties)."""
    found: list[tuple[int, int, int, Chunk | None]] = []
    low = lower_same_length(text)
    windows = regions(low)
    for priority, r in enumerate(RULES):
        for lo, hi in windows:
            for m in r.pattern.finditer(low, lo, hi):
                if m.end() == m.start():
                    continue
                chunk = r.build(m, text)
                if chunk is not None and not chunk.rule:
                    chunk.rule = r.name
                found.append((m.start(), m.end(), priority, chunk))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0]), t[2]))
    chosen: list[Chunk] = []
    taken_until = -1
    for start, end, _, chunk in found:
        if chunk is None:
            continue
        start, end = chunk.start, chunk.end
        if start < taken_until:
            continue
        chosen.append(chunk)
        taken_until = end
    return chosen
