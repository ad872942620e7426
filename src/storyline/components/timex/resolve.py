"""Anchoring: a :class:`Frame` plus the publication date (or the text's reference time) -> a TIMEX3 value.

News conventions, as TimeBank and AQUAINT annotate them:

- Deictic expressions ("Friday", "last week", "a year ago", "this morning") count from the publication
  date (DCT). Anaphoric ones ("the next day", "the following year", "a year earlier", "that day") count
  from the reference time the text has moved to: the last date it mentioned.
- A bare weekday or month takes its direction from the tense: past-tense reporting means the most recent
  such day, the publication day itself included ("Friday" in a Friday paper is that day); a future
  ("will", "is scheduled to") means the next one, again the DCT included. Without either, past.
- "last Friday" / "next Friday" are strict: never the DCT itself.
- Quarterly reports: "the quarter", "the latest period", "the year-ago quarter" refer to the reporting
  quarter of the story: the last quarter the text named, else the one before the DCT's.
- Nothing reads the wall clock: without a DCT or a reference time, a relative expression gets no value.

Values are TIMEX3: ``2016-12-23``, ``2016-W51``, ``2016-W51-WE``, ``2016-12``, ``2016-Q3``, ``2016-H1``,
``2016-SU``, ``2016``, ``201`` (decade), ``20`` (century), ``2016-12-23T03:00``, ``2016-12-23TMO``;
``XXXX-12-25`` when the year is unknown. :func:`granularity_and_interval` reads them back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storyline.components.timex.frame import Frame
from storyline.components.timex.lexicon import EASTER_HOLIDAYS, FIXED_HOLIDAYS, WEEKDAY_HOLIDAYS

_SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_POD_HOURS = {"MO": (6, 12), "MI": (11, 14), "AF": (12, 18), "EV": (18, 22), "NI": (21, 30), "DT": (6, 18)}


@dataclass
class Context:
    """What anchors a document's expressions: the DCT and the reference time the text moved to."""

    dct: dt.date | None
    ref_day: dt.date | None = None
    ref_month: tuple[int, int] | None = None
    ref_year: int | None = None
    ref_quarter: tuple[int, int] | None = None
    ref_quarter_pos: int = -(10**9)
    position: int = 0

    def day_anchor(self, anaphoric: bool) -> dt.date | None:
        if anaphoric and self.ref_day is not None:
            return self.ref_day
        return self.dct if self.dct is not None else self.ref_day

    def note(self, value: str, position: int) -> None:
        """Move the reference time to a date the text just named (anaphora count from it)."""
        m = re.match(r"(\d{4})-(\d\d)-(\d\d)", value)
        if m:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            self.ref_day = day
            self.ref_month = (day.year, day.month)
            self.ref_year = day.year
            return
        m = re.fullmatch(r"(\d{4})-Q([1-4])", value)
        if m:
            self.ref_quarter = (int(m.group(1)), int(m.group(2)))
            self.ref_quarter_pos = position
            self.ref_year = int(m.group(1))
            return
        m = re.fullmatch(r"(\d{4})-(\d\d)", value)
        if m:
            self.ref_month = (int(m.group(1)), int(m.group(2)))
            self.ref_year = int(m.group(1))
            return
        m = re.fullmatch(r"(\d{4})", value)
        if m:
            self.ref_year = int(m.group(1))


def easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def holiday_date(name: str, year: int) -> dt.date | None:
    if name in FIXED_HOLIDAYS:
        month, day = FIXED_HOLIDAYS[name]
        return dt.date(year, month, day)
    if name in WEEKDAY_HOLIDAYS:
        month, weekday, n = WEEKDAY_HOLIDAYS[name]
        if n > 0:
            first = dt.date(year, month, 1)
            return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    if name in EASTER_HOLIDAYS:
        return easter(year) + dt.timedelta(days=EASTER_HOLIDAYS[name])
    if name == "election day":
        first = dt.date(year, 11, 2)  # the Tuesday after the first Monday of November
        return first + dt.timedelta(days=(1 - first.weekday()) % 7)
    return None


def _week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + offset
    return index // 12, index % 12 + 1


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(candidates: list[tuple[int, dt.date]], anchor: dt.date, direction: int) -> int:
    """The year whose date is nearest the anchor, a date against the tense counting further.

    A written month and day ("payable Dec. 7", "its record high set on Aug. 6") is nearly always within
    a few months of the publication date. Against a tense the verb governs directly ("the year ended
    Jan. 31") a date counts 270 days further; against a remote one 60 ("declared a dividend, payable
    Dec. 7": the date is the payment's, not the declaration's); without a tense a future date counts 30
    further, news reporting more than it announces.
    """
    penalty = {2: 270, 1: 60, 0: 30}[min(abs(direction), 2)]

    def cost(item: tuple[int, dt.date]) -> int:
        days = (item[1] - anchor).days
        against = (direction < 0 < days) or (days < 0 < direction) or (direction == 0 and days > 0)
        return abs(days) + (penalty if against else 0)

    return min(candidates, key=cost)[0]


def _nearest_month_year(month: int, anchor: dt.date, direction: int) -> int:
    """The year of a bare month name: with a tense, the nearest such month on its side of the DCT month
    (HeidelTime's rule: "stepped down in March", written in November, is this March); without one, the
    nearest, a past one preferred ("worth ... in October", written in January, is last October).
    """

    against_cost = 24 if abs(direction) >= 2 else 6

    def cost(year: int) -> int:
        months = (year - anchor.year) * 12 + month - anchor.month
        if direction < 0 < months or months < 0 < direction:
            return abs(months) * 2 + against_cost  # against a direct tense: only if nothing else fits
        if direction == 0 and months > 0:
            return abs(months) * 2 + 6  # news reports the past more than it announces
        return abs(months) * 2

    return min((anchor.year - 1, anchor.year, anchor.year + 1), key=cost)


def _pick_year(candidates: list[tuple[int, dt.date]], anchor: dt.date, direction: int, strict: bool) -> int:
    """The year whose date fits the direction best: past = the latest not after the anchor, and so on."""
    if direction < 0:
        fit = [(y, d) for y, d in candidates if d < anchor or (d == anchor and not strict)]
        return max(fit, key=lambda t: t[1])[0] if fit else anchor.year
    if direction > 0:
        fit = [(y, d) for y, d in candidates if d > anchor or (d == anchor and not strict)]
        return min(fit, key=lambda t: t[1])[0] if fit else anchor.year
    return min(candidates, key=lambda t: abs((t[1] - anchor).days))[0]


def _time_suffix(frame: Frame) -> str:
    if frame.hour is not None:
        if frame.hour == 24:
            return "T24:00"
        return f"T{frame.hour:02d}:{frame.minute or 0:02d}"
    if frame.pod is not None:
        return f"T{frame.pod}"
    return ""


def resolve_point(frame: Frame, ctx: Context, direction: int, clock_day: dt.date | None = None) -> str | None:
    """The TIMEX3 value of a point frame, or None when nothing anchors it (no DCT, no reference time)."""
    # "a year ago", "two weeks earlier", "10 days from now".
    if frame.value == "ago":
        return _resolve_ago(frame, ctx)
    if frame.period_ref:
        return _resolve_period(frame, ctx)
    anchor = ctx.day_anchor(frame.anaphoric)
    dir_ = frame.direction or direction or -1
    if frame.unit is not None and frame.offset is not None:
        return _resolve_relative(frame, ctx, anchor, dir_)
    if frame.century is not None:
        return f"{frame.century:02d}"
    if frame.decade is not None:
        return f"{frame.decade:03d}"
    if frame.holiday is not None:
        return _resolve_holiday(frame, anchor, dir_)
    year = frame.year
    if frame.month is not None and frame.day is not None:
        if year is None:
            if anchor is None:
                return f"XXXX-{frame.month:02d}-{frame.day:02d}"
            cands = [(y, d) for y in (anchor.year - 1, anchor.year, anchor.year + 1)
                     if (d := _valid(y, frame.month, frame.day)) is not None]  # fmt: skip
            if not cands:
                return None
            if frame.direction:
                year = _pick_year(cands, anchor, frame.direction, frame.strict)
            else:
                year = _nearest_year(cands, anchor, direction)
        day = _valid(year, frame.month, frame.day)
        if day is None:
            return None
        if frame.week_of:
            return _week(day)
        return day.isoformat() + _time_suffix(frame)
    if frame.month is not None:
        if year is None:
            if anchor is None:
                return f"XXXX-{frame.month:02d}"
            if frame.direction:
                # "last April", "next March": the nearest such month strictly before / after the DCT's.
                year = anchor.year
                if frame.direction < 0 and frame.month >= anchor.month:
                    year -= 1
                elif frame.direction > 0 and frame.month <= anchor.month:
                    year += 1
            else:
                year = _nearest_month_year(frame.month, anchor, direction)
        return f"{year:04d}-{frame.month:02d}"
    if frame.quarter is not None or frame.half is not None:
        if year is None:
            if anchor is None:
                return None
            year = anchor.year
            current_q = (anchor.month - 1) // 3 + 1
            if frame.quarter is not None and frame.quarter > current_q and dir_ < 0 and direction < 0:
                year -= 1
        return f"{year:04d}-Q{frame.quarter}" if frame.quarter is not None else f"{year:04d}-H{frame.half}"
    if frame.season is not None:
        if year is None:
            if anchor is None:
                return None
            year = _season_year(frame.season, anchor, frame.direction or direction, frame.strict)
        return f"{year:04d}-{frame.season}"
    if frame.weekday is not None:
        if anchor is None:
            return f"XXXX-WXX-{frame.weekday + 1}"
        day = _weekday_date(frame.weekday, anchor, dir_, frame.strict)
        return day.isoformat() + _time_suffix(frame)
    if year is not None:
        return f"{year:04d}"
    if frame.hour is not None or frame.pod is not None:
        day_ = clock_day or anchor
        if day_ is None:
            return None
        return day_.isoformat() + _time_suffix(frame)
    return None


def _weekday_date(weekday: int, anchor: dt.date, direction: int, strict: bool) -> dt.date:
    if direction > 0:
        diff = (weekday - anchor.weekday()) % 7
        if diff == 0 and strict:
            diff = 7
        return anchor + dt.timedelta(days=diff)
    diff = (anchor.weekday() - weekday) % 7
    if diff == 0 and strict:
        diff = 7
    return anchor - dt.timedelta(days=diff)


def _weekend(anchor: dt.date, offset: int, direction: int) -> str:
    """ "the weekend" in a past-tense report is the one just gone (the DCT's own on a Saturday or Sunday);
    "last weekend" the one before the DCT's week ends, "next weekend" the coming one."""
    saturday_before = anchor - dt.timedelta(days=(anchor.weekday() - 5) % 7)
    if offset < 0:
        day = saturday_before if anchor.weekday() < 5 else saturday_before - dt.timedelta(weeks=1)
    elif offset > 0 or (direction > 0 and anchor.weekday() < 5):
        day = saturday_before + dt.timedelta(weeks=1)
    else:
        day = saturday_before
    return _week(day) + "-WE"


def _season_year(season: str, anchor: dt.date, direction: int, strict: bool) -> int:
    """The year of a season name. TIMEX3 gives winter the year it starts in (1994-WI is 1994/95).

    "this summer" is the DCT year's summer (winter: the one under way or just over until June, else the
    coming one); "last X" is the one a year before "this X", "next X" a year after (TimeBank: "last
    spring" written in October 1989 is 1988-SP). A bare season follows the tense from "this X".
    """
    this_year = anchor.year
    if season == "WI" and anchor.month <= 6:
        this_year -= 1
    if strict:
        return this_year - 1 if direction < 0 else this_year + 1
    start = dt.date(this_year, _SEASON_START[season], 1)
    if direction < 0 and start > anchor:
        return this_year - 1
    return this_year


def _resolve_holiday(frame: Frame, anchor: dt.date | None, direction: int) -> str | None:
    name = frame.holiday or ""
    if frame.year is not None:
        day = holiday_date(name, frame.year)
        return day.isoformat() if day else None
    if anchor is None:
        if name in FIXED_HOLIDAYS:
            month, day_ = FIXED_HOLIDAYS[name]
            return f"XXXX-{month:02d}-{day_:02d}"
        return None
    cands = [(y, d) for y in (anchor.year - 1, anchor.year, anchor.year + 1)
             if (d := holiday_date(name, y)) is not None]  # fmt: skip
    if not cands:
        return None
    year = _pick_year(cands, anchor, frame.direction or direction, frame.strict)
    day = holiday_date(name, year)
    return day.isoformat() if day else None


def _resolve_relative(frame: Frame, ctx: Context, anchor: dt.date | None, direction: int) -> str | None:
    unit, offset = frame.unit, frame.offset or 0
    if frame.anaphoric and unit == "year" and ctx.ref_year is not None:
        base_year: int | None = ctx.ref_year
    elif frame.anaphoric and unit == "quarter" and ctx.ref_quarter is not None:
        q_index = ctx.ref_quarter[0] * 4 + ctx.ref_quarter[1] - 1 + offset
        return f"{q_index // 4:04d}-Q{q_index % 4 + 1}"
    elif frame.anaphoric and unit == "month" and ctx.ref_month is not None:
        y, m = _shift_month(*ctx.ref_month, offset)
        return f"{y:04d}-{m:02d}"
    else:
        base_year = anchor.year if anchor is not None else None
    if anchor is None and base_year is None:
        return None
    if unit == "day":
        if anchor is None:
            return None
        return (anchor + dt.timedelta(days=offset)).isoformat() + _time_suffix(frame)
    if unit == "week":
        if anchor is None:
            return None
        if frame.weekend and frame.weekday is None:
            return _weekend(anchor, offset, direction)
        day = anchor + dt.timedelta(weeks=offset)
        if frame.weekday is not None:
            monday = day - dt.timedelta(days=day.weekday())
            return (monday + dt.timedelta(days=frame.weekday)).isoformat() + _time_suffix(frame)
        return _week(day) + ("-WE" if frame.weekend else "")
    if unit == "month":
        if anchor is None:
            return None
        y, m = _shift_month(anchor.year, anchor.month, offset)
        return f"{y:04d}-{m:02d}"
    if unit == "quarter":
        if anchor is None:
            return None
        q_index = anchor.year * 4 + (anchor.month - 1) // 3 + offset
        return f"{q_index // 4:04d}-Q{q_index % 4 + 1}"
    assert base_year is not None
    if unit == "year":
        year = base_year + offset
        if frame.month is not None:
            if frame.day is not None:
                day_ = _valid(year, frame.month, frame.day)
                return day_.isoformat() if day_ else None
            return f"{year:04d}-{frame.month:02d}"
        if frame.quarter is not None:
            return f"{year:04d}-Q{frame.quarter}"
        if frame.half is not None:
            return f"{year:04d}-H{frame.half}"
        if frame.season is not None:
            return f"{year:04d}-{frame.season}"
        return f"{year:04d}"
    if unit == "decade":
        return f"{base_year // 10 + offset:03d}"
    if unit == "century":
        return f"{base_year // 100 + offset:02d}"
    return None


def _resolve_ago(frame: Frame, ctx: Context) -> str | None:
    unit, offset = frame.unit or "day", frame.offset
    if offset is None:
        # "several years ago", "a few days from now": vague, only the side of now is known.
        return "FUTURE_REF" if frame.direction > 0 else "PAST_REF"
    anchor = ctx.day_anchor(frame.anaphoric)
    # In a quarterly report "a year ago" is the year-ago quarter.
    if unit == "year" and ctx.ref_quarter is not None and abs(offset) == 1:
        y, q = ctx.ref_quarter
        return f"{y + offset:04d}-Q{q}"
    if anchor is None:
        return None
    if unit == "year" and frame.anaphoric and ctx.ref_year is not None:
        return f"{ctx.ref_year + offset:04d}"
    if unit in ("second", "minute", "hour"):
        delta = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24}[unit] * offset
        return (anchor + dt.timedelta(days=int(delta))).isoformat()
    if unit in ("day", "night"):
        return (anchor + dt.timedelta(days=offset)).isoformat()
    if unit in ("week", "fortnight"):
        weeks = offset * (2 if unit == "fortnight" else 1)
        return _week(anchor + dt.timedelta(weeks=weeks))
    if unit == "month":
        y, m = _shift_month(anchor.year, anchor.month, offset)
        return f"{y:04d}-{m:02d}"
    if unit == "quarter":
        q_index = anchor.year * 4 + (anchor.month - 1) // 3 + offset
        return f"{q_index // 4:04d}-Q{q_index % 4 + 1}"
    if unit == "year":
        return f"{anchor.year + offset:04d}"
    if unit == "decade":
        return f"{(anchor.year + 10 * offset) // 10:03d}"
    if unit == "century":
        return f"{(anchor.year + 100 * offset) // 100:02d}"
    return None


def _resolve_period(frame: Frame, ctx: Context) -> str | None:
    if ctx.ref_quarter is not None:
        y, q = ctx.ref_quarter
    elif ctx.dct is not None:
        index = ctx.dct.year * 4 + (ctx.dct.month - 1) // 3 - 1
        y, q = index // 4, index % 4 + 1
        # The story is a quarterly report: later "a year ago"s are the year-ago quarter.
        ctx.ref_quarter = (y, q)
    else:
        return None
    if frame.year is not None:
        return f"{frame.year:04d}-Q{q}"
    if frame.unit == "year" and frame.offset is not None:
        return f"{y + frame.offset:04d}-Q{q}"
    return f"{y:04d}-Q{q}"


# --- reading values back ---------------------------------------------------------------------------

_VALUE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)"), "minute"),
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d)$"), "hour"),
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)T(MO|MI|AF|EV|NI|DT)"), "part_of_day"),
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)$"), "day"),
    (re.compile(r"(\d{4})-W(\d\d)-WE$"), "weekend"),
    (re.compile(r"(\d{4})-W(\d\d)$"), "week"),
    (re.compile(r"(\d{4})-(\d\d)$"), "month"),
    (re.compile(r"(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"(\d{4})-H([12])$"), "half"),
    (re.compile(r"(\d{4})-(SP|SU|FA|WI)$"), "season"),
    (re.compile(r"(\d{4})$"), "year"),
    (re.compile(r"(\d{3})$"), "decade"),
    (re.compile(r"(\d{2})$"), "century"),
]


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def granularity_and_interval(value: str | None, type_: str) -> tuple[str | None, list[str] | None]:
    """The granularity of a TIMEX3 value and, for a calendar value, its interval [start, end) in ISO form."""
    if value is None:
        return None, None
    if type_ == "DURATION":
        return "duration", None
    if type_ == "SET":
        return "set", None
    if value.endswith("_REF"):
        return "reference", None
    for pattern, gran in _VALUE_PATTERNS:
        m = pattern.match(value)
        if m is None:
            continue
        if gran == "minute" and m.group(5) == "00":
            gran = "hour"  # "3am" is written T03:00 but names the hour
        try:
            start, end = _bounds(gran, m)
        except (ValueError, OverflowError):
            return gran, None
        return gran, [_iso(start), _iso(end)]
    return None, None


def _bounds(gran: str, m: re.Match[str]) -> tuple[dt.datetime, dt.datetime]:
    g = m.groups()
    if gran in ("minute", "hour", "part_of_day", "day"):
        day = dt.datetime(int(g[0]), int(g[1]), int(g[2]))
        if gran == "day":
            return day, day + dt.timedelta(days=1)
        if gran == "part_of_day":
            lo, hi = _POD_HOURS[g[3]]
            return day + dt.timedelta(hours=lo), day + dt.timedelta(hours=hi)
        start = day + dt.timedelta(hours=int(g[3]), minutes=int(g[4]) if gran == "minute" else 0)
        return start, start + (dt.timedelta(minutes=1) if gran == "minute" else dt.timedelta(hours=1))
    if gran in ("week", "weekend"):
        monday = dt.datetime.fromisocalendar(int(g[0]), int(g[1]), 1)
        if gran == "weekend":
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=7)
        return monday, monday + dt.timedelta(days=7)
    year = int(g[0])
    if gran == "month":
        y, mth = _shift_month(year, int(g[1]), 1)
        return dt.datetime(year, int(g[1]), 1), dt.datetime(y, mth, 1)
    if gran == "quarter":
        q = int(g[1])
        y, mth = _shift_month(year, 3 * q - 2, 3)
        return dt.datetime(year, 3 * q - 2, 1), dt.datetime(y, mth, 1)
    if gran == "half":
        h = int(g[1])
        y, mth = _shift_month(year, 6 * h - 5, 6)
        return dt.datetime(year, 6 * h - 5, 1), dt.datetime(y, mth, 1)
    if gran == "season":
        start_month = _SEASON_START[g[1]]
        y, mth = _shift_month(year, start_month, 3)
        return dt.datetime(year, start_month, 1), dt.datetime(y, mth, 1)
    if gran == "year":
        return dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    if gran == "decade":
        return dt.datetime(year * 10, 1, 1), dt.datetime(year * 10 + 10, 1, 1)
    return dt.datetime(max(1, year * 100), 1, 1), dt.datetime(year * 100 + 100, 1, 1)
