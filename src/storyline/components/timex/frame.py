"""What a time expression means before it is anchored: the :class:`Frame` the grammar builds.

A frame holds the calendar fields the text gave (``year``, ``month``, ``weekday``, ``hour`` ...), a shift
relative to an anchor (``unit``/``offset``: "last week" is week -1), and for durations, sets and the
PAST/PRESENT/FUTURE references a value fixed when the text was read. Resolution
(:mod:`storyline.components.timex.resolve`) turns a frame plus the anchor into a TIMEX3 value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Kind = Literal["point", "duration", "set", "ref"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(frozen=True)
class Frame:
    """The meaning of one time expression, independent of any anchor date."""

    kind: Kind
    # Calendar fields written in the text.
    year: int | None = None
    month: int | None = None
    day: int | None = None
    decade: int | None = None  # 199 for "the 1990s"
    century: int | None = None  # 19 for "the 20th century" (TIMEX3 writes the years 19xx as "19")
    quarter: int | None = None
    half: int | None = None
    season: str | None = None  # SP, SU, FA, WI
    weekday: int | None = None  # 0 = Monday
    weekend: bool = False
    week_of: bool = False  # "the week of March 6": the week that contains the date
    pod: str | None = None  # part of day: MO, AF, EV, NI, MI, DT
    hour: int | None = None
    minute: int | None = None
    holiday: str | None = None
    # A shift from the anchor: "last week" is unit "week", offset -1; "this year" offset 0.
    unit: str | None = None
    offset: int | None = None
    anaphoric: bool = False  # anchored on the text's reference time ("the next day"), not the DCT
    direction: int = 0  # forced direction for a bare weekday/month: -1 "last Friday", +1 "next Friday"
    strict: bool = False  # "last Friday": strictly before the anchor (not the anchor day itself)
    # Durations, sets and references: the value is fixed at reading time.
    value: str | None = None
    mod: str | None = None  # TIMEX3 mod: START, MID, END, APPROX, MORE_THAN, LESS_THAN, AFTER, BEFORE
    fuzzy: bool = False
    timezone: str | None = None  # an explicit zone abbreviation ("EST")
    local_time: bool = False  # the text said "local time"
    fiscal: bool = False
    period_ref: bool = False  # "the quarter", "the latest period": the reporting period of the story

    def with_(self, **changes: object) -> Frame:
        """A copy with some fields changed (frames are immutable so chunks can share them)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def merge_frames(a: Frame, b: Frame) -> Frame:
    """Unify two point frames that name one time ("Friday" + "Oct. 23", "10 p.m." + "Wednesday").

    Fields set in either frame are kept; where both set one, the first (leftmost) wins, except that a
    written calendar field beats a relative shift, since "June last year" is June of last year.
    """
    fields: dict[str, object] = {}
    for name in (
        "year", "month", "day", "decade", "century", "quarter", "half", "season", "weekday", "pod",
        "hour", "minute", "holiday", "timezone", "mod",
    ):  # fmt: skip
        va, vb = getattr(a, name), getattr(b, name)
        fields[name] = va if va is not None else vb
    if a.unit is not None:
        fields.update(unit=a.unit, offset=a.offset, anaphoric=a.anaphoric, strict=a.strict)
    elif b.unit is not None:
        fields.update(unit=b.unit, offset=b.offset, anaphoric=b.anaphoric, strict=b.strict)
    fields["weekend"] = a.weekend or b.weekend
    fields["local_time"] = a.local_time or b.local_time
    fields["fuzzy"] = a.fuzzy or b.fuzzy
    fields["fiscal"] = a.fiscal or b.fiscal
    fields["direction"] = a.direction or b.direction
    return Frame(kind="point", **fields)  # type: ignore[arg-type]
