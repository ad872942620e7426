"""ACLED-style CSV: one row per event in the columns of ACLED's data export.

Columns and their meaning follow the ACLED Codebook (2023 edition, numeric ``inter`` codes) and the
column order of ACLED's CSV export: event_id_cnty, event_date, year, time_precision, disorder_type,
event_type, sub_event_type, actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2,
interaction, civilian_targeting, iso, region, country, admin1, admin2, admin3, location, latitude,
longitude, geo_precision, source, source_scale, notes, fatalities, tags, timestamp.

Which events: ACLED records events that took place, so only events whose status is ``occurred`` or
``alleged`` are written; an alleged one ("reportedly shot") carries the tag ``status=alleged``.
Planned, threatened, hypothetical and negated events are left out, and so are types ACLED has no
category for (see the table), each counted in the export's ``skipped`` statistics.

Types (PLOVER type and mode, and what else decides -> ACLED event_type: sub_event_type; the
disorder_type is "Political violence" for the ASSAULT rows, "Demonstrations" for the PROTEST rows
and "Strategic developments" for the COERCE rows, as ACLED assigns it to these sub-event types):

- ASSAULT aerial, a missile/rocket/shell word -> Explosions/Remote violence: Shelling/artillery/missile attack
- ASSAULT aerial, otherwise                   -> Explosions/Remote violence: Air/drone strike
- ASSAULT explosives, "suicide" in the text   -> Explosions/Remote violence: Suicide bomb
- ASSAULT explosives, a grenade               -> Explosions/Remote violence: Grenade
- ASSAULT explosives, otherwise               -> Explosions/Remote violence: Remote explosive/landmine/IED
- ASSAULT abduct                              -> Violence against civilians: Abduction/forced disappearance
- ASSAULT other mode, armed targets           -> Battles: Armed clash
- ASSAULT other mode, targets or casualties   -> Violence against civilians: Attack
- ASSAULT other mode, neither                 -> (empty): (empty)
- PROTEST riot                                -> Riots: Violent demonstration
- PROTEST other mode, no casualty             -> Protests: Peaceful protest
- PROTEST other mode, casualties              -> Protests: (empty), disorder_type (empty)
- COERCE arrest                               -> Strategic developments: Arrests
- COERCE seize                                -> Strategic developments: Looting/property destruction
- any other type (ACCIDENT, DISASTER, verbal PLOVER types, other COERCE modes): not exported

"Armed targets" means a target (``whom``) or a casualty phrase naming soldiers, troops, police,
militants, rebels, fighters or the like (a phrase's "by ..." agent is not a target). A protest with
casualties may be "Protest with intervention", "Excessive force against protesters" or a riot; the
text decides, Storyline does not yet, so the sub-event type (and with it the disorder type) stays
empty rather than guessed.

Fields we cannot know stay empty, never invented: region (ACLED's own regional scheme), admin2,
admin3, source_scale, inter codes of named actors (ACLED's actor typology needs knowledge of the
group). What is filled comes from the event: the date and ACLED's time precision from its ``when``
(a day is precision 1; a week is precision 2 and a month precision 3, each dated at its middle day:
ACLED records a range by one day within it and the precision code), the place and its country (ISO
3166 numeric ``iso``, GeoNames name), the geo precision from the gazetteer kind of the place (a town
1, "near" a town 2, a region 3; a country alone has no ACLED precision), actors from
``who``/``whom`` by canonical entity name, protesters, rioters and civilians in ACLED's "Protesters
(Country)" style where the type says who they are, fatalities from ``killed`` (the stated value,
else the lower bound; 0 when no death is reported, as ACLED codes it; empty when only an upper bound
is known), notes from the evidence text, and the timestamp from when the store last changed the
article.

``event_id_cnty`` is Storyline's event id (``{article_id}:{event_id}``), not an ACLED id.
Text is written verbatim with RFC 4180 quoting (commas, quotes and newlines survive); only control
characters other than tab and newline are removed, since CSV readers reject them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from storyline.export.base import (
    ExportStats,
    Geo,
    Location,
    Selection,
    StoredAnalysis,
    TextSink,
    actor_names,
    event_period,
    figure,
    stored,
    uid,
)
from storyline.model import Analysis, Event

COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

#: Statuses ACLED records: the event took place (directly asserted, or reported as unconfirmed).
EXPORTED_STATUSES = frozenset({"occurred", "alleged"})

POLITICAL_VIOLENCE = "Political violence"
DEMONSTRATIONS = "Demonstrations"
STRATEGIC = "Strategic developments"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"

#: ACLED inter codes (Codebook 2023): 5 rioters, 6 protesters, 7 civilians.
INTER_RIOTERS, INTER_PROTESTERS, INTER_CIVILIANS = 5, 6, 7

_SHELLING = re.compile(r"\b(missiles?|rockets?|shell(s|ing|ed)?|artillery|mortars?)\b", re.IGNORECASE)
_SUICIDE = re.compile(r"\bsuicide\b", re.IGNORECASE)
_GRENADE = re.compile(r"\bgrenades?\b", re.IGNORECASE)
_ARMED = re.compile(
    r"\b(soldiers?|troops?|police(men|man|women|woman)?|officers?|militants?|rebels?|fighters?|"
    r"insurgents?|militia(s|men)?|gunm[ae]n|guards?|forces|army|servicem[ae]n|jihadists?)\b",
    re.IGNORECASE,
)
_AGENT = re.compile(r"\bby\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class AcledType:
    """ACLED's three-level classification of one event; empty strings where it cannot be told."""

    disorder_type: str
    event_type: str
    sub_event_type: str
    target_civilians: bool = False
    """The event targets civilians (ACLED ``civilian_targeting``; and actor2 "Civilians (...)")."""


def _texts(event: Event) -> str:
    """The words that describe the event itself: trigger, how, and the evidence sentences."""
    parts = [event.trigger.text, *(s.text for s in event.how), *(s.text for s in event.evidence)]
    return " ".join(parts)


def _target_texts(event: Event) -> list[str]:
    """Who was hit: the targets, and the casualty phrases without their agent ("shot dead by police"
    names the police as the shooter, not as the victims)."""
    texts = [a.text for a in event.whom]
    texts += [_AGENT.split(q.text, maxsplit=1)[0] for q in (event.killed, event.injured) if q is not None]
    return texts


def classify(event: Event) -> AcledType | None:
    """The ACLED type of a PLOVER event per the module's table; None when ACLED has no category."""
    kind, mode = event.type, event.mode
    if kind == "ASSAULT":
        described = _texts(event)
        targets = _target_texts(event)
        civilians = bool(targets) and not any(_ARMED.search(t) for t in targets)
        if mode == "aerial":
            sub = "Shelling/artillery/missile attack" if _SHELLING.search(described) else "Air/drone strike"
            return AcledType(POLITICAL_VIOLENCE, REMOTE, sub, target_civilians=civilians)
        if mode == "explosives":
            if _SUICIDE.search(described):
                sub = "Suicide bomb"
            elif _GRENADE.search(described):
                sub = "Grenade"
            else:
                sub = "Remote explosive/landmine/IED"
            return AcledType(POLITICAL_VIOLENCE, REMOTE, sub, target_civilians=civilians)
        if mode == "abduct":
            return AcledType(
                POLITICAL_VIOLENCE, VAC, "Abduction/forced disappearance", target_civilians=civilians
            )
        if any(_ARMED.search(t) for t in targets):
            return AcledType(POLITICAL_VIOLENCE, "Battles", "Armed clash")
        if civilians:
            return AcledType(POLITICAL_VIOLENCE, VAC, "Attack", target_civilians=True)
        return AcledType(POLITICAL_VIOLENCE, "", "")
    if kind == "PROTEST":
        if mode == "riot":
            return AcledType(DEMONSTRATIONS, "Riots", "Violent demonstration")
        if figure(event.killed) or figure(event.injured):
            return AcledType("", "Protests", "")
        return AcledType(DEMONSTRATIONS, "Protests", "Peaceful protest")
    if kind == "COERCE" and mode == "arrest":
        return AcledType(STRATEGIC, STRATEGIC, "Arrests")
    if kind == "COERCE" and mode == "seize":
        return AcledType(STRATEGIC, STRATEGIC, "Looting/property destruction")
    return None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return _CONTROL.sub("", str(value))


def _group(label: str, location: Location | None) -> str:
    """ACLED's name for an unnamed group: "Protesters (France)", or "Protesters" with no country."""
    country = location.country.name if location and location.country else None
    return f"{label} ({country})" if country else label


def _geo_precision(location: Location | None) -> int | None:
    if location is None or location.kind is None:
        return None
    if location.kind == "city":
        return 2 if location.relative else 1
    if location.kind == "admin1":
        return 3
    return None  # a country or a continent: coarser than any ACLED precision


def _interaction(inter1: int | None, inter2: int | None, has_actor2: bool) -> str:
    """ACLED's joint code: the two inter codes, lowest first; a sole actor pairs with 0 ("60")."""
    if inter1 is not None and inter2 is not None:
        low, high = sorted((inter1, inter2))
        return f"{low}{high}"
    if inter1 is not None and not has_actor2:
        return f"{inter1}0"
    return ""


def _split(people: Sequence[str]) -> tuple[str, str]:
    """(actor, associated actors): the first name, and the rest joined with "; " as ACLED joins them."""
    if not people:
        return "", ""
    return people[0], "; ".join(people[1:])


class AcledExporter:
    """Writes ACLED-style CSV (see the module docstring for every column)."""

    name = "acled"
    binary = False
    suffix = ".csv"

    def __init__(self, geo: Geo | None = None) -> None:
        self.geo = geo or Geo()

    def row(self, item: StoredAnalysis, event: Event, kind: AcledType) -> dict[str, object]:
        """The ACLED row of one event."""
        analysis = item.analysis
        location = self.geo.locate(analysis, event)
        period = event_period(event)
        event_date = year = precision = None
        if period is not None:
            if period.start.year == period.end.year:
                year = period.start.year
            if period.granularity == "day":
                event_date, precision = period.start, 1
            elif period.granularity == "week":
                event_date, precision = period.midpoint, 2
            elif period.granularity == "month":
                event_date, precision = period.midpoint, 3
        who = actor_names(analysis, event.who)
        whom = actor_names(analysis, event.whom)
        inter1 = inter2 = None
        if kind.event_type == "Protests":
            actor1, assoc1 = _group("Protesters", location), "; ".join(who)
            actor2, assoc2, inter1 = "", "", INTER_PROTESTERS
        elif kind.event_type == "Riots":
            actor1, assoc1 = _group("Rioters", location), "; ".join(who)
            actor2, assoc2, inter1 = "", "", INTER_RIOTERS
        elif kind.target_civilians:
            actor1, assoc1 = _split(who)
            actor2, assoc2, inter2 = _group("Civilians", location), "; ".join(whom), INTER_CIVILIANS
        else:
            actor1, assoc1 = _split(who)
            actor2, assoc2 = _split(whom)
        killed = figure(event.killed)
        fatalities: int | None = killed if killed is not None else (0 if event.killed is None else None)
        notes = " ".join(s.text for s in event.evidence) or event.trigger.text
        country = location.country if location else None
        return {
            "event_id_cnty": uid(analysis, event),
            "event_date": event_date.isoformat() if event_date else None,
            "year": year,
            "time_precision": precision,
            "disorder_type": kind.disorder_type,
            "event_type": kind.event_type,
            "sub_event_type": kind.sub_event_type,
            "actor1": actor1,
            "assoc_actor_1": assoc1,
            "inter1": inter1,
            "actor2": actor2,
            "assoc_actor_2": assoc2,
            "inter2": inter2,
            "interaction": _interaction(inter1, inter2, bool(actor2)),
            "civilian_targeting": "Civilians targeted" if kind.target_civilians else "",
            "iso": country.isonumeric if country else None,
            "region": "",
            "country": country.name if country else None,
            "admin1": location.admin1 if location else None,
            "admin2": "",
            "admin3": "",
            "location": location.name if location else None,
            "latitude": location.lat if location else None,
            "longitude": location.lon if location else None,
            "geo_precision": _geo_precision(location),
            "source": analysis.article.source,
            "source_scale": "",
            "notes": notes,
            "fatalities": fatalities,
            "tags": "status=alleged" if event.status == "alleged" else "",
            "timestamp": int(item.updated_at.timestamp()) if item.updated_at else None,
        }

    def write(
        self, items: Iterable[Analysis | StoredAnalysis], sink: IO[bytes], selection: Selection
    ) -> ExportStats:
        stats = ExportStats()
        with TextSink(sink) as text:
            writer = csv.writer(text)
            writer.writerow(COLUMNS)
            for item in stored(items):
                stats.articles += 1
                for event in selection.events(item.analysis):
                    if event.status not in EXPORTED_STATUSES:
                        stats.skipped[f"status {event.status}"] += 1
                        continue
                    kind = classify(event)
                    if kind is None:
                        stats.skipped[f"no ACLED type for {event.type}"] += 1
                        continue
                    row = self.row(item, event, kind)
                    writer.writerow([_cell(row[c]) for c in COLUMNS])
                    stats.events += 1
                    stats.records += 1
        return stats
