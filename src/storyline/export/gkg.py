"""GKG-style counts: GDELT Global Knowledge Graph V2.1 count blocks, bound to each event's own place.

Format (GDELT GKG 2.1 codebook, "V2.1COUNTS"): one record a line, tab-separated, here with the
columns GKGRECORDID, V2.1DATE, V2SOURCECOMMONNAME, V2DOCUMENTIDENTIFIER and V2.1COUNTS and a header
line naming them. V2.1COUNTS holds ``;``-separated blocks of ``#``-separated fields:

    COUNTTYPE#NUMBER#OBJECTTYPE#LOCATIONTYPE#LOCATIONFULLNAME#LOCATIONCOUNTRYCODE#
    LOCATIONADM1CODE#LOCATIONLAT#LOCATIONLONG#LOCATIONFEATUREID#CHARACTEROFFSET

Why this is better than GKG's own counts: GKG attaches a count to the location mentioned nearest to
it in the text; here ``KILL`` (from ``killed``) and ``WOUND`` (from ``injured``) carry the place the
events stage bound to the event itself, so "12 killed in Berlin" reported from Paris stays in Berlin.

Fields: NUMBER is the stated value, else the lower bound ("dozens" -> 24); a count with only an
upper bound is left out. OBJECTTYPE is empty (GKG's noun after the number; not kept by Storyline).
LOCATIONTYPE is GKG's 1 country, 2 US state, 3 US city, 4 world city, 5 world state (admin1), and 0
with empty location fields when the event has no resolved place. LOCATIONCOUNTRYCODE is the FIPS
10-4 code, as GKG uses; LOCATIONADM1CODE is the FIPS country code followed by GeoNames' admin1 code,
which is GKG's code for most countries (GeoNames keeps FIPS admin1 codes for them; for the US it is
the state's postal code, "USCA", as in GKG), and the country code alone for a country. LOCATIONFEATUREID
is the GeoNames id (GKG uses GNS/GNIS ids, which Storyline does not have). CHARACTEROFFSET is the
offset of the count's phrase in the article text (else of the event's trigger).

V2.1DATE is the article's publication date as YYYYMMDDHHMMSS. GKGRECORDID is the article id.
GKG has no escaping: ``#``, ``;``, tabs and newlines inside a field are replaced by spaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import IO

from storyline.export.base import (
    ExportStats,
    Geo,
    Location,
    Selection,
    StoredAnalysis,
    TextSink,
    figure,
    stored,
    strip_chars,
)
from storyline.model import Analysis, Event, Quantity

COLUMNS: tuple[str, ...] = (
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V2.1COUNTS",
)
#: The delimiters of a count block; a field must contain none of them.
BLOCK_DELIMITERS = "#;\t"
#: Counts of events that did not happen are not counts: only these statuses are exported.
EXPORTED_STATUSES = frozenset({"occurred", "alleged"})


def gkg_date(published: str | None) -> str:
    """An ISO date or date-time as GKG's YYYYMMDDHHMMSS; empty when absent or unreadable."""
    if not published:
        return ""
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return ""
    return moment.strftime("%Y%m%d%H%M%S")


def location_type(location: Location | None) -> int:
    """GKG's LOCATIONTYPE: 1 country, 2 US state, 3 US city, 4 world city, 5 world state, 0 unknown."""
    if location is None or location.kind is None or location.country is None:
        return 0
    us = location.country.iso2 == "US"
    if location.kind == "country":
        return 1
    if location.kind == "admin1":
        return 2 if us else 5
    if location.kind == "city":
        return 3 if us else 4
    return 0


def full_name(location: Location) -> str:
    """ "Sesto San Giovanni, Lombardy, Italy": the place, its admin1 and its country, without repeats."""
    parts: list[str] = []
    country = location.country.name if location.country else None
    for part in (location.name, location.admin1, country):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


def _field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return strip_chars(str(value), BLOCK_DELIMITERS)


def _offset(quantity: Quantity, event: Event) -> int | None:
    if quantity.span is not None and quantity.span.field != "title":
        return quantity.span.start
    return event.trigger.start if event.trigger.field != "title" else None


class GkgCountsExporter:
    """Writes GKG-style V2.1COUNTS records, one per article with a casualty count."""

    name = "gkg-counts"
    binary = False
    suffix = ".tsv"

    def __init__(self, geo: Geo | None = None) -> None:
        self.geo = geo or Geo()

    def blocks(self, analysis: Analysis, event: Event) -> list[str]:
        """The KILL and WOUND blocks of one event (none when it has no count)."""
        location = self.geo.locate(analysis, event)
        out: list[str] = []
        for count_type, quantity in (("KILL", event.killed), ("WOUND", event.injured)):
            number = figure(quantity)
            if quantity is None or number is None:
                continue
            ltype = location_type(location)
            if location is not None and ltype:
                country = location.country
                fips = country.fips if country else None
                if location.kind == "country":
                    adm1 = fips
                elif fips and location.admin1_code:
                    adm1 = fips + location.admin1_code
                else:
                    adm1 = None
                geo_fields: list[object] = [
                    ltype,
                    full_name(location),
                    fips,
                    adm1,
                    location.lat,
                    location.lon,
                    location.place.geonameid if location.place else None,
                ]
            else:
                geo_fields = [0, None, None, None, None, None, None]
            fields = [count_type, number, None, *geo_fields, _offset(quantity, event)]
            out.append("#".join(_field(f) for f in fields))
        return out

    def write(
        self, items: Iterable[Analysis | StoredAnalysis], sink: IO[bytes], selection: Selection
    ) -> ExportStats:
        stats = ExportStats()
        with TextSink(sink) as text:
            text.write("\t".join(COLUMNS) + "\n")
            for item in stored(items):
                analysis = item.analysis
                stats.articles += 1
                blocks: list[str] = []
                for event in selection.events(analysis):
                    if event.status not in EXPORTED_STATUSES:
                        stats.skipped[f"status {event.status}"] += 1
                        continue
                    found = self.blocks(analysis, event)
                    if not found:
                        stats.skipped["no casualty count"] += 1
                        continue
                    blocks.extend(found)
                    stats.events += 1
                if not blocks:
                    continue
                article = analysis.article
                columns = [
                    article.id,
                    gkg_date(article.published),
                    article.source,
                    article.url,
                    ";".join(blocks),
                ]
                text.write("\t".join(strip_chars(c, "\t") for c in columns) + "\n")
                stats.records += 1
        return stats
