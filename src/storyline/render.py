"""A readable terminal view of an analysis (``storyline extract --format table``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from storyline.model import Analysis, Quantity


def _quantity(q: Quantity | None) -> str:
    if q is None:
        return ""
    if q.value is not None:
        return str(q.value)
    bounds = [f">={q.low}" if q.low is not None else "", f"<={q.high}" if q.high is not None else ""]
    return " ".join(b for b in bounds if b) or q.text


def print_analysis(console: Console, analysis: Analysis) -> None:
    """Print every section of an analysis as tables; empty sections say so rather than vanish."""
    art = analysis.article
    console.print(f"[bold]{art.title or art.id}[/bold]  {art.published or 'no date'}  {art.source or ''}")

    entities = Table("id", "label", "name", "titles", "attributes", "mentions", title="Entities")
    for e in analysis.entities:
        attrs = ", ".join(f"{k}={v}" for k, v in e.attributes.items())
        entities.add_row(e.id, e.label, e.name, "; ".join(e.titles), attrs, str(len(e.mentions)))
    places = Table("id", "name", "country", "lat", "lon", "confidence", title="Places")
    for p in analysis.places:
        places.add_row(p.id, p.name, p.country or "", _coord(p.lat), _coord(p.lon), f"{p.confidence:.2f}")
    times = Table("id", "text", "type", "value", title="Times")
    for t in analysis.times:
        times.add_row(t.id, t.span.text, t.type, t.value or "")
    claims = Table("id", "source", "kind", "content", title="Claims")
    for c in analysis.claims:
        claims.add_row(c.id, c.source.text if c.source else "", c.kind, c.content.text[:90])
    events = Table("id", "type", "status", "when", "where", "killed", "injured", title="Events")
    for v in analysis.events:
        events.add_row(
            v.id,
            v.type,
            v.status,
            v.when.value or "" if v.when else "",
            v.where.name if v.where else "",
            _quantity(v.killed),
            _quantity(v.injured),
        )
    for table in (entities, places, times, claims, events):
        if table.row_count:
            console.print(table)
        else:
            console.print(f"[dim]{table.title}: none found[/dim]")


def _coord(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"
