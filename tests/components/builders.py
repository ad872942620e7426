"""Records the component tests build by hand (what the pipeline would make from a sentence)."""

from __future__ import annotations

from storyline.model import Event, Quantity, Span


def assault(n: int, start: int, killed: int | None, injured: int | None, text: str = "two") -> Event:
    """An occurred ASSAULT ``v{n}`` triggered by "shot" at ``start``, with exact killed/injured counts
    (``text`` is each count's wording) and ten characters of evidence from its trigger."""

    def quantity(value: int | None) -> Quantity | None:
        return None if value is None else Quantity(value=value, low=value, high=value, text=text)

    return Event(
        id=f"v{n}",
        type="ASSAULT",
        trigger=Span(start=start, end=start + 4, text="shot"),
        status="occurred",
        killed=quantity(killed),
        injured=quantity(injured),
        evidence=[Span(start=start, end=start + 10, text="x" * 10)],
    )
