"""The matching rules of tests/acceptance/seed/README.md, as functions over a serialised analysis.

Each ``match_*`` returns None when the expected item is matched, else a message saying what is
missing, so a failing test shows why.
"""

from __future__ import annotations

import math
from typing import Any

Json = dict[str, Any]
EARTH_RADIUS_KM = 6371.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _entities(out: Json) -> dict[str, Json]:
    return {e["id"]: e for e in out["entities"]}


def match_entity(out: Json, exp: Json) -> str | None:
    for e in out["entities"]:
        name_ok = (
            exp["name_contains"].lower() in e["name"].lower()
            if "name_contains" in exp
            else e["name"].lower() == exp["name"].lower()
        )
        if not name_ok or e["label"] != exp["label"]:
            continue
        problems = []
        if len(e["mentions"]) < exp.get("min_mentions", 1):
            problems.append(f"{len(e['mentions'])} mentions < {exp['min_mentions']}")
        if "titles_any" in exp and not {t.lower() for t in e["titles"]} & {
            t.lower() for t in exp["titles_any"]
        }:
            problems.append(f"titles {e['titles']} not among {exp['titles_any']}")
        for key, value in exp.get("attributes", {}).items():
            if e["attributes"].get(key) != value:
                problems.append(f"attribute {key}={e['attributes'].get(key)!r}, expected {value!r}")
        if not problems:
            return None
        return f"{exp['name']}: " + "; ".join(problems)
    return f"no {exp['label']} entity named {exp.get('name_contains') or exp['name']}"


def match_place(out: Json, exp: Json) -> str | None:
    for p in out["places"]:
        if p["name"].lower() != exp["name"].lower() or p.get("country") != exp["country"]:
            continue
        if "lat" in exp and (
            p.get("lat") is None or km(p["lat"], p["lon"], exp["lat"], exp["lon"]) > exp["within_km"]
        ):
            continue
        return None
    return f"no place {exp['name']} ({exp['country']}) within {exp.get('within_km')} km"


def match_time(out: Json, exp: Json) -> str | None:
    for t in out["times"]:
        if t["span"]["text"] != exp["text"]:
            continue
        value = t.get("value") or ""
        if "value" in exp and value == exp["value"]:
            return None
        if "value_prefix" in exp and value.startswith(exp["value_prefix"]):
            return None
        if "value_any" in exp and value in exp["value_any"]:
            return None
    return f"no time {exp['text']!r} with the expected value"


def claim_source_name(out: Json, claim: Json) -> str:
    source = claim.get("source") or {}
    entity = _entities(out).get(source.get("entity") or "")
    if entity is not None:
        return str(entity["name"])
    span = source.get("span") or {}
    return str(span.get("text") or source.get("text") or "")


def match_claim(out: Json, exp: Json) -> str | None:
    wanted = {s.lower() for s in exp.get("source_any", [exp.get("source", "")])}
    for c in out["claims"]:
        if exp["content_contains"] in c["content"]["text"] and claim_source_name(out, c).lower() in wanted:
            return None
    return f"no claim by {sorted(wanted)} containing {exp['content_contains']!r}"


def _participants(out: Json, event: Json) -> set[str]:
    ents = _entities(out)
    return {ents[a["entity"]]["name"] for a in event["who"] + event["whom"] if a.get("entity") in ents}


def match_event(out: Json, exp: Json) -> str | None:
    best: list[str] | None = None
    for v in out["events"]:
        problems = []
        if v["type"] not in exp["type_any"]:
            problems.append(f"type {v['type']}")
        if v["status"] != exp["status"]:
            problems.append(f"status {v['status']}")
        when = (v.get("when") or {}).get("value") or ""
        if not when.startswith(exp["when"]):
            problems.append(f"when {when!r}")
        where = v.get("where") or {}
        w = exp["where"]
        if where.get("lat") is None or km(where["lat"], where["lon"], w["lat"], w["lon"]) > w["within_km"]:
            problems.append(f"where {where.get('name')!r}")
        if (v.get("killed") or {}).get("value") != exp["killed"]:
            problems.append(f"killed {v.get('killed')}")
        injured = v.get("injured") or {}
        if "injured" in exp and injured.get("value") != exp["injured"]:
            problems.append(f"injured {injured}")
        if "injured_low_at_least" in exp and not (
            (injured.get("low") or 0) >= exp["injured_low_at_least"]
            and exp["injured_text_contains"] in (injured.get("text") or "")
        ):
            problems.append(f"injured {injured}")
        if "participants_any" in exp and not _participants(out, v) & set(exp["participants_any"]):
            problems.append(f"participants {_participants(out, v)}")
        hows = [s["text"] for s in v.get("how", [])]
        if not any(h in text for h in exp["how_contains_any"] for text in hows):
            problems.append(f"how {hows}")
        if not problems:
            return None
        if best is None or len(problems) < len(best):
            best = problems
    return f"{exp['label']}: " + ("; ".join(best) if best else "no events")


def violates(out: Json, rule: Json) -> str | None:
    """A must_not rule: a message if the output contains what the rule forbids."""
    if "entity_names_merged" in rule:
        a, b = rule["entity_names_merged"]
        for e in out["entities"]:
            names = {m["text"] for m in e["mentions"] if m.get("kind", "name") == "name"}
            names.add(e["name"])
            hit_a = any(n in a or a.split()[-1] == n for n in names)
            hit_b = any(n in b or b.split()[-1] == n for n in names)
            if hit_a and hit_b:
                return f"{rule['what']}: entity {e['id']} has mentions {sorted(names)}"
        return None
    for v in out["events"]:
        if "event_trigger_contains" in rule:
            if rule["event_trigger_contains"] in v["trigger"]["text"] and v["status"] == rule["status"]:
                return f"{rule['what']}: event {v['id']}"
            # the trigger may be one word of the phrase: check the evidence too
            ev = " ".join(s["text"] for s in v.get("evidence", []))
            if (
                v["trigger"]["text"] in rule["event_trigger_contains"]
                and rule["event_trigger_contains"] in ev
            ) and v["status"] == rule["status"]:
                return f"{rule['what']}: event {v['id']}"
        if "event_where_near" in rule:
            where, near = v.get("where") or {}, rule["event_where_near"]
            killed = (v.get("killed") or {}).get("value") or 0
            if (
                where.get("lat") is not None
                and km(where["lat"], where["lon"], near["lat"], near["lon"]) <= near["within_km"]
                and killed >= rule["killed_at_least"]
            ):
                return f"{rule['what']}: event {v['id']} killed {killed}"
    return None
