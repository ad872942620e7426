"""Casualty counts, date and place of the article's main violent event, against the incident record.

The gold is the Gun Violence Archive's record of the incident (``gold.killed``, ``gold.injured``,
``gold.date``, ``gold.city_or_county``): an article may report an earlier, lower count, so even a
perfect reader of the article does not reach 1.0.

Per article, the system gives one :class:`CasualtyPred`, or None when it found no violent event:

- ``killed_acc``, ``injured_acc``, ``both_acc``: the count equals the record's. No event is wrong; an
  event that gives one figure and not the other ("two were wounded") says 0 for the other.
- ``killed_mae``, ``injured_mae``: mean absolute error; a missing count (no event, or an event that
  gives no figure) is read as 0, so the two stay comparable between systems that abstain differently.
- ``date_acc``: the event date (``YYYY-MM-DD``, first ten characters of its value) equals the record's.
- ``city_acc``: the place name equals the record's city or county, compared by :func:`place_keys`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from storyline.evaluate.data import DataIssues, GoldDoc, Scored
from storyline.evaluate.spans import ratio
from storyline.model import Analysis, Event, Quantity

METRICS = ("killed_acc", "injured_acc", "both_acc", "killed_mae", "injured_mae", "date_acc", "city_acc")
LOWER_IS_BETTER = frozenset({"killed_mae", "injured_mae"})

#: Event statuses that report something that happened (not planned, hypothetical or denied).
REPORTED = frozenset({"occurred", "alleged"})
#: The type of a violent event that may give no figure ("police are investigating a shooting").
VIOLENT = "ASSAULT"


@dataclass(frozen=True, slots=True)
class CasualtyPred:
    """The main violent event's figures; None for a figure the event does not give."""

    killed: int | None = None
    injured: int | None = None
    date: str | None = None
    city: str | None = None


def count(quantity: Quantity | None) -> int | None:
    """A Quantity as one number: its value, else its lower bound ("at least 3" is 3, "dozens" is 24)."""
    if quantity is None:
        return None
    return quantity.value if quantity.value is not None else quantity.low


def _text_order(event: Event) -> tuple[bool, int]:
    return (event.trigger.field != "title", event.trigger.start)


def _counted(event: Event) -> bool:
    return event.status in REPORTED and (count(event.killed) is not None or count(event.injured) is not None)


def main_event(analysis: Analysis) -> Event | None:
    """The article's main violent event: the first reported event in text order that gives a count,
    else the first reported assault (a shooting the article reports without a figure: none hurt).

    "First in text order" (by trigger offset; an event found in the title comes first, as the
    headline) rather than "the largest figures": a news report leads with its incident, while the
    largest figure is often a running total ("the 300th shooting this year"). Measured on the
    development half of the GVA incidents, the first counted event also beats the most salient one.
    """
    candidates = [event for event in analysis.events if _counted(event)]
    if not candidates:
        candidates = [e for e in analysis.events if e.status in REPORTED and e.type == VIOLENT]
    if not candidates:
        return None
    return min(candidates, key=_text_order)


def _same_incident(main: Event, other: Event) -> bool:
    """Another mention of the main event's incident: same type, no other place or day."""
    if other.id == main.id or other.type != main.type or not _counted(other):
        return False
    if main.where is not None and other.where is not None and main.where.name != other.where.name:
        return False
    return not (
        main.when is not None
        and other.when is not None
        and main.when.value is not None
        and other.when.value is not None
        and main.when.value[:10] != other.when.value[:10]
    )


def from_analysis(analysis: Analysis) -> CasualtyPred | None:
    """The article's figures: the rules' answer (:func:`rule_figures`) with each count re-chosen among
    the article's candidate counts by the learned chooser (:func:`choose`), when one is shipped."""
    pred = rule_figures(analysis)
    model = chooser()
    if pred is None or model is None:
        return pred
    killed = choose(analysis, "killed", pred, model)
    injured = choose(analysis, "injured", pred, model)
    return CasualtyPred(killed, injured, pred.date, pred.city)


def rule_figures(analysis: Analysis) -> CasualtyPred | None:
    """Storyline's main violent event (:func:`main_event`) as figures, date and place name.

    When the main event gives no death figure and a later mention of the same incident does ("a
    teenager was shot ... the 17-year-old died from his wounds"), that figure is the incident's; a lone
    person hurt is then the one who died, not one more casualty.
    """
    event = main_event(analysis)
    if event is None:
        return None
    date = event.when.value[:10] if event.when is not None and event.when.value else None
    city = event.where.name if event.where is not None else None
    killed, injured = count(event.killed), count(event.injured)
    later = sorted((e for e in analysis.events if _same_incident(event, e)), key=_text_order)
    if killed is None:
        killed = next((k for e in later if (k := count(e.killed)) is not None), None)
        if killed is not None and killed >= 1 and injured == 1:
            injured = 0
    if injured is None:  # "... Three other victims were taken to hospitals": the survivors
        others = [e.injured for e in later if e.injured is not None and _OTHERS.search(e.injured.text)]
        injured = count(others[0]) if others else None
    return CasualtyPred(killed, injured, date, city)


_OTHERS = re.compile(r"\bothers?\b", re.IGNORECASE)

#: Where the learned chooser's weights live (built by training/train_casualties.py).
CHOOSER = ("casualties", "chooser.json")
FEATURES = (
    "is_rule", "in_title", "in_main", "first_position", "n_events", "is_max", "is_zero", "log_value",
    "exact", "most_salient", "injured_equals_killed",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Chooser:
    """A logistic regression over an article's candidate counts of one kind (killed or injured)."""

    weights: dict[str, tuple[float, ...]]
    bias: dict[str, float]


@cache
def chooser() -> Chooser | None:
    """The shipped chooser (read once), None when the file is absent."""
    path = resources.files("storyline.resources").joinpath(*CHOOSER)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        return None  # a model of other features: the rules answer alone
    return Chooser({k: tuple(v) for k, v in data["weights"].items()}, dict(data["bias"]))


def candidates(analysis: Analysis, kind: str, rule: CasualtyPred) -> list[tuple[int, list[float]]]:
    """Every count of ``kind`` the article's reported events give, plus 0 and the rules' answer, each
    with the evidence for it: where it is said (title, main event, how early), how often, whether it
    is the largest, exact, the rules' choice; and for injured, whether it repeats the killed figure
    (a victim counted once as shot and once as dead)."""
    length = max(1, len(analysis.article.text))
    events = [e for e in analysis.events if e.status in REPORTED]
    main = main_event(analysis)
    rule_value = getattr(rule, kind) or 0
    values = {0, rule_value} | {v for e in events if (v := count(getattr(e, kind))) is not None}
    top = max(values)
    best_salience = max((e.salience or 0.0 for e in events), default=0.0)
    out = []
    for v in sorted(values):
        giving = [e for e in events if count(getattr(e, kind)) == v]
        positions = [-0.1 if e.trigger.field == "title" else e.trigger.start / length for e in giving]
        features = [
            v == rule_value,
            any(e.trigger.field == "title" for e in giving),
            main is not None and count(getattr(main, kind)) == v,
            min(positions, default=1.0),
            math.log1p(len(giving)),
            v == top,
            v == 0,
            math.log1p(v),
            any(getattr(e, kind).value is not None for e in giving),
            any(e.salience is not None and e.salience == best_salience for e in giving),
            kind == "injured" and v == (rule.killed or 0),
        ]
        out.append((v, [float(f) for f in features]))
    return out


def choose(analysis: Analysis, kind: str, rule: CasualtyPred, model: Chooser) -> int | None:
    """The candidate count the chooser scores highest; the rules' answer on a tie."""
    scored = [
        (sum(w * f for w, f in zip(model.weights[kind], feats, strict=True)) + model.bias[kind], v == 0, v)
        for v, feats in candidates(analysis, kind, rule)
    ]
    if not scored:
        return getattr(rule, kind)  # type: ignore[no-any-return]
    best = max(scored, key=lambda x: x[0])[2]
    return None if best == 0 and getattr(rule, kind) is None else best


_PARENS = re.compile(r"\(([^)]*)\)")
_COUNTY = re.compile(r"\b(county|parish|borough)\b")


def place_keys(name: str) -> set[str]:
    """The comparable forms of a place name: lower-case, no ", State", no "County"/"(county)".

    GVA writes "City (Neighbourhood)" and "Name (county)"; both the city and the part in parentheses
    are accepted: "Pittsburgh (Wilkinsburg)" -> {"pittsburgh", "wilkinsburg"}.
    """
    name = name.lower().split(",")[0]
    inner = [part.strip() for part in _PARENS.findall(name)]
    outer = _PARENS.sub(" ", name)
    keys = set()
    for part in [outer, *inner]:
        key = " ".join(_COUNTY.sub(" ", part).split())
        if key:
            keys.add(key)
    return keys


def score(docs: Sequence[GoldDoc], preds: Sequence[CasualtyPred | None]) -> Scored:
    """Score the main event of each article against its incident record."""
    issues = DataIssues()
    n = 0
    killed_ok = injured_ok = both_ok = date_ok = city_ok = 0
    killed_err = injured_err = 0
    abstained = 0
    per_doc = []
    for doc, pred in zip(docs, preds, strict=True):
        gold = doc.gold
        if not all(isinstance(gold.get(key), int) for key in ("killed", "injured")):
            issues.left_out("malformed_gold", doc.where, "gold needs integer 'killed' and 'injured'")
            continue
        n += 1
        if pred is None:
            abstained += 1
            pred_killed = pred_injured = None
            k_ok = i_ok = d_ok = c_ok = False
        else:
            pred_killed, pred_injured = pred.killed, pred.injured
            k_ok = (pred_killed or 0) == gold["killed"]
            i_ok = (pred_injured or 0) == gold["injured"]
            d_ok = pred.date is not None and pred.date == gold.get("date")
            gold_place = gold.get("city_or_county")
            c_ok = bool(pred.city and gold_place and place_keys(pred.city) & place_keys(gold_place))
        killed_ok += k_ok
        injured_ok += i_ok
        both_ok += k_ok and i_ok
        date_ok += d_ok
        city_ok += c_ok
        killed_err += abs((pred_killed or 0) - gold["killed"])
        injured_err += abs((pred_injured or 0) - gold["injured"])
        per_doc.append(
            {
                "id": doc.id,
                "gold": [gold["killed"], gold["injured"], gold.get("date"), gold.get("city_or_county")],
                "pred": None if pred is None else [pred.killed, pred.injured, pred.date, pred.city],
            }
        )
    metrics: dict[str, float | None] = {
        "killed_acc": ratio(killed_ok, n),
        "injured_acc": ratio(injured_ok, n),
        "both_acc": ratio(both_ok, n),
        "killed_mae": ratio(killed_err, n),
        "injured_mae": ratio(injured_err, n),
        "date_acc": ratio(date_ok, n),
        "city_acc": ratio(city_ok, n),
    }
    return Scored(metrics, {"n_docs": n, "no_event": abstained}, per_doc, issues)
