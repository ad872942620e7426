"""PLOVER JSON lines: one event record a line, with the field names of PLOVER's data specification.

Field names follow "PLOVER: Event, Actor and Data Interchange Specification", draft 0.7b1 (Open
Event Data Alliance, 2021), chapter "JSON Data Fields", which recommends newline-delimited JSON:

- ``id`` (required): Storyline's event id, ``{article_id}:{event_id}``.
- ``date`` (required, YYYY-MM-DD) and ``enddate``: the event's ``when``; a week or a month is given
  as its first and last day; ``time`` when the value has one. Null when the text gives no date:
  PLOVER requires a date, but an invented one would be worse than a visible gap.
- ``event``: the list of categories (here always one; ACCIDENT and DISASTER are Storyline's, outside
  PLOVER, and have no ``quad_code``); ``mode``; ``quad_code`` from the manual's quad table.
- ``context``: PLOVER's "future", "hypothetical" and "negation" from the event's status (planned and
  threatened events have not happened yet: "future"). The exact status is kept in ``status``.
- ``source`` / ``recipient``: lists of actor objects (``actor_text`` as written, ``identifier_text``
  the canonical entity name, ``code`` the ISO 3166 alpha-3 code when the actor is a country the
  analysis geocoded); from ``who`` and ``whom``.
- ``event_loc``: a location object with GeoNames' field names (``geonameid``, ``name``,
  ``latitude``, ``longitude``, ``country code``, ``cc3``, ``admin1 code``) plus ``admin1`` by name.
- ``event_text`` (the evidence sentences), ``text_info`` (``start``/``end`` character offsets of the
  evidence in the article text), ``cite_info`` (url, title, language, publication, coder, codebook).
- Extensions, as the specification invites: ``size_info`` (PLOVER's size object: ``dead``,
  ``injured``), ``trigger`` (span), ``status``, ``confidence``, ``article_id``. A span found only
  in the title carries ``"field": "title"`` and offsets into the title, as in the analysis.

Every status is exported (PLOVER carries factuality in ``context``); filter on ``context`` or
``status`` to keep only what happened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from storyline import __version__
from storyline.export.base import (
    ExportStats,
    Geo,
    Selection,
    StoredAnalysis,
    TextSink,
    event_period,
    figure,
    json_line,
    stored,
    uid,
)
from storyline.model import Analysis, Argument, Event

CODEBOOK = "plover-0.7b1"
_CLOCK = re.compile(r"^\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?$")

#: PLOVER manual 0.7b1, "Quad categories in PLOVER".
QUAD_CODES: dict[str, int] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT", "INVESTIGATE"), 2),
    **dict.fromkeys(("DEMAND", "ACCUSE", "REJECT", "SANCTION", "THREATEN"), 3),
    **dict.fromkeys(("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}

#: Event status -> PLOVER context values (manual 0.7b1, "Event, Mode, and Context").
CONTEXT_OF_STATUS: dict[str, str] = {
    "planned": "future",
    "threatened": "future",
    "hypothetical": "hypothetical",
    "negated": "negation",
}


class PloverExporter:
    """Writes PLOVER event records as JSON lines (see the module docstring for every field)."""

    name = "plover"
    binary = False
    suffix = ".jsonl"

    def __init__(self, geo: Geo | None = None) -> None:
        self.geo = geo or Geo()

    def _actors(self, analysis: Analysis, arguments: list[Argument]) -> list[dict[str, Any]]:
        entities = {entity.id: entity for entity in analysis.entities}
        places_by_name = {place.name: place for place in analysis.places if place.country}
        actors: list[dict[str, Any]] = []
        for argument in arguments:
            actor: dict[str, Any] = {"actor_text": argument.text}
            entity = entities.get(argument.entity) if argument.entity else None
            if entity is not None:
                actor["identifier_text"] = entity.name
                actor["entity"] = entity.id
                place = places_by_name.get(entity.name) if entity.label == "GPE" else None
                country = self.geo.country(place.country) if place is not None else None
                if (
                    place is not None
                    and place.geonameid is not None
                    and country is not None
                    and self.geo.is_country(place.geonameid)
                ):
                    actor["code"] = country.iso3
            if argument.span is not None:
                actor["start"], actor["end"] = argument.span.start, argument.span.end
                if argument.span.field is not None:
                    actor["field"] = argument.span.field  # offsets into the title
            actors.append(actor)
        return actors

    def record(self, analysis: Analysis, event: Event) -> dict[str, Any]:
        """The PLOVER record of one event."""
        article = analysis.article
        period = event_period(event)
        value = event.when.value if event.when else None
        clock = _CLOCK.match(value.split("T", 1)[1]) if value and "T" in value and period else None
        time = clock.group(0) if clock else None  # "T15:00", not TIMEX's "TEV" (evening)
        location = self.geo.locate(analysis, event)
        event_loc: dict[str, Any] | None = None
        if location is not None:
            event_loc = {
                "geonameid": location.place.geonameid if location.place else None,
                "name": location.name,
                "latitude": location.lat,
                "longitude": location.lon,
                "country code": location.country.iso2 if location.country else None,
                "cc3": location.country.iso3 if location.country else None,
                "admin1 code": location.admin1_code,
                "admin1": location.admin1,
            }
        evidence = event.evidence or [event.trigger]
        body = [s for s in evidence if s.field != "title"]
        context = [CONTEXT_OF_STATUS[event.status]] if event.status in CONTEXT_OF_STATUS else []
        return {
            "id": uid(analysis, event),
            "date": period.start.isoformat() if period else None,
            "enddate": period.end.isoformat() if period and period.end != period.start else None,
            "time": time,
            "source": self._actors(analysis, event.who),
            "recipient": self._actors(analysis, event.whom),
            "event": [event.type],
            "mode": event.mode,
            "context": context,
            "quad_code": QUAD_CODES.get(event.type),
            "event_loc": event_loc,
            "event_text": [s.text for s in evidence],
            "text_info": {"start": min(s.start for s in body), "end": max(s.end for s in body)}
            if body
            else None,
            "cite_info": {
                "url": article.url,
                "title": article.title,
                "language": article.language,
                "publication": article.source,
                "coder": f"storyline {__version__}",
                "codebook": CODEBOOK,
            },
            "size_info": {"dead": figure(event.killed), "injured": figure(event.injured)},
            "trigger": event.trigger.model_dump(mode="json", exclude_none=True),
            "status": event.status,
            "confidence": event.confidence,
            "article_id": article.id,
        }

    def write(
        self, items: Iterable[Analysis | StoredAnalysis], sink: IO[bytes], selection: Selection
    ) -> ExportStats:
        stats = ExportStats()
        with TextSink(sink) as text:
            for item in stored(items):
                stats.articles += 1
                for event in selection.events(item.analysis):
                    record = self.record(item.analysis, event)
                    text.write(json_line(record))
                    stats.events += 1
                    stats.records += 1
        return stats
