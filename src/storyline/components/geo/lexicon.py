"""Small tables the places stage adds to the gazetteer (wrapped here; the gazetteer itself is shared).

* AP-style US state abbreviations ("Va.", "Calif.", "Ill."): US news writes "Manassas, Va."; these are
  standard (the AP Stylebook's list), typed by hand.
* The adjectives of the UK's nations ("English", "Scottish", "Welsh"): the gazetteer maps them to the
  United Kingdom, but "English football" is about England, a point 270 km from the UK's centre.
* ``resources/places/country_points.json``: for countries (and admin1 regions) whose GeoNames point
  (what geoparsing gold uses, e.g. Canada 60.1 N 113.6 W, Japan at Tokyo, Ontario 49.3 N 84.5 W) is
  far from the gazetteer's territory centre, that point. Learned from the *training* half of
  GeoWebNews by ``training/train_places.py``.
* ``resources/places/supplement.json``: names the gazetteer lacks or always resolves far away
  ("Middle East", "Indian Ocean"), with the point the training half's gold gives them. Also learned
  from the training half only.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from storyline.gazetteer import Gazetteer, GeoEntry, fold

PLACES_DIR: Final = Path(__file__).resolve().parents[2] / "resources" / "places"
COUNTRY_POINTS_PATH: Final = PLACES_DIR / "country_points.json"
SUPPLEMENT_PATH: Final = PLACES_DIR / "supplement.json"

AP_STATES: Final[dict[str, str]] = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "colo": "CO", "conn": "CT", "del": "DE",
    "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA",
    "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT",
    "neb": "NE", "nebr": "NE", "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM", "ny": "NY", "nc": "NC",
    "nd": "ND", "okla": "OK", "ore": "OR", "pa": "PA", "ri": "RI", "sc": "SC", "sd": "SD", "tenn": "TN",
    "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA", "wva": "WV", "wis": "WI", "wyo": "WY",
}  # fmt: skip
NATION_ADJECTIVES: Final[dict[str, str]] = {
    "english": "England", "scottish": "Scotland", "scots": "Scotland", "welsh": "Wales",
    "northern irish": "Northern Ireland", "englishman": "England", "englishmen": "England",
    "scot": "Scotland", "scotsman": "Scotland", "welshman": "Wales",
}  # fmt: skip


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class GeoLexicon:
    """The tables above, applied to gazetteer entries."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.country_points: dict[str, tuple[float, float]] = {
            iso: (float(v[0]), float(v[1])) for iso, v in _read(COUNTRY_POINTS_PATH).get("points", {}).items()
        }
        self.supplement: dict[str, GeoEntry] = {}
        for key, item in _read(SUPPLEMENT_PATH).get("names", {}).items():
            self.supplement[key] = GeoEntry(
                geonameid=int(item["geonameid"] or 0),
                name=str(item["name"]),
                kind="continent",
                country=item.get("country"),
                admin1=None,
                lat=float(item["lat"]),
                lon=float(item["lon"]),
                population=0,
                timezone=None,
                feature="RGN",
            )
        self._fixed: dict[int, GeoEntry] = {}

    def fix(self, entry: GeoEntry) -> GeoEntry:
        """The entry with its country's or region's GeoNames point where the training data gave one."""
        if entry.kind == "country" and entry.country is not None:
            key = entry.country
        elif entry.kind == "admin1" and entry.country is not None and entry.admin1 is not None:
            key = f"{entry.country}.{entry.admin1}"
        else:
            return entry
        if key not in self.country_points:
            return entry
        fixed = self._fixed.get(entry.geonameid)
        if fixed is None:
            lat, lon = self.country_points[key]
            fixed = self._fixed[entry.geonameid] = replace(entry, lat=lat, lon=lon)
        return fixed

    def ap_state(self, text: str) -> GeoEntry | None:
        """ "Va." -> Virginia (only with the abbreviation's dot, or a two-capital postal code)."""
        if text.endswith(".") and text[0].isupper():
            code = AP_STATES.get(text[:-1].replace(".", "").lower())
            return None if code is None else self.gaz.us_state(code)
        return None

    def nation(self, word: str) -> GeoEntry | None:
        """ "English" -> England (an admin1 region of GB), for the UK's nations; else None."""
        name = NATION_ADJECTIVES.get(fold(word))
        if name is None:
            return None
        return next((e for e in self.gaz.lookup(name) if e.kind == "admin1" and e.country == "GB"), None)

    def supplemented(self, name: str) -> GeoEntry | None:
        return self.supplement.get(fold(name))
