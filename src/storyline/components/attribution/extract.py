"""Decoding: from the two models' token probabilities to (source, cue, content) token ranges.

Kept apart from the spaCy component so training scores exactly what the stage predicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storyline.components.attribution.features import (
    cue_context,
    cue_features,
    inverted,
    quote_depth,
    role_features,
    sentence_index,
)
from storyline.components.attribution.model import AttributionModel

#: Gaps (in tokens) a content or source run may bridge: a comma or a dash inside a clause.
CONTENT_GAP = 2
SOURCE_GAP = 1
#: Reporting verbs that are a cue whenever they stand in the inverted position ("..., continued the
#: tweet."): the small parser mangles that construction, so the cue model alone can miss them.
INVERTED_REPORTING = frozenset({
    "say", "add", "continue", "tell", "write", "tweet", "state", "explain", "note", "report", "insist",
    "argue", "claim", "announce", "warn", "conclude", "reply", "respond", "ask",
})  # fmt: skip
#: Whether inverted cues take their roles from position rather than from the role model.
INVERTED_RULE = True
#: Share of a clause a content run must cover to be widened to the whole clause.
SNAP_COVER = 0.4
#: Tokens that never start a cue (they only join one that a content word starts).
NON_CUE_START = frozenset({",", ".", ";", "(", ")", '"', "“", "”"})


@dataclass
class RawClaim:
    """One attribution as token ranges ``[start, end)`` of the Doc, with the models' confidences."""

    cue: tuple[int, int]
    content: tuple[int, int]
    source: tuple[int, int] | None
    cue_p: float
    content_p: float
    source_p: float


def cue_anchor(doc: Doc, tokens: Sequence[int]) -> Token:
    """The cue's syntactic head: the first of its tokens whose head lies outside the cue."""
    inside = set(tokens)
    for i in tokens:
        if doc[i].head.i not in inside or doc[i].head.i == i:
            return doc[i]
    return doc[tokens[0]]


def detect_cues(doc: Doc, model: AttributionModel, inside: list[int]) -> list[tuple[list[int], float]]:
    """Runs of consecutive cue tokens within a sentence, each with its highest token probability.

    Decoding with hysteresis: a run is a stretch of tokens over ``model.cue_grow`` that holds at least one
    token over ``model.cue_threshold``. The second word of "called for" or "is expected to" is a weaker
    cue on its own than the first, and a per-token threshold either drops it or admits stray words.
    """
    ctx = cue_context(doc, model.cue_prior, inside)
    probs = [0.0] * len(doc)
    dense = dense_cue_scores(doc, model)
    for tok in doc:
        if tok.is_space or not model.may_cue(tok.lemma_.lower()):
            continue
        probs[tok.i] = model.cue.proba(cue_features(tok, ctx), dense[tok.i] if dense else 0.0)[1]
        if _inverted_report(tok) or _nested_report(tok):
            probs[tok.i] = max(probs[tok.i], model.cue_threshold)
    seed = model.cue_threshold
    grow = min(model.cue_grow, seed)
    runs: list[list[int]] = []
    run: list[int] = []
    for tok in doc:
        hit = probs[tok.i] >= grow
        if hit and run and (tok.is_sent_start or tok.i != run[-1] + 1):
            runs.append(run)
            run = []
        if hit and (run or tok.text not in NON_CUE_START):
            run.append(tok.i)
        elif not hit and run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    cues: list[tuple[list[int], float]] = []
    for r in runs:
        top = max(probs[i] for i in r)
        if top < seed:
            continue
        while len(r) > 1 and doc[r[-1]].text in NON_CUE_START and probs[r[-1]] < seed:
            r = r[:-1]
        cues.append((r, top))
    return cues


def dense_cue_scores(doc: Doc, model: AttributionModel) -> list[float] | None:
    """The cue model's score from spaCy's contextual token vectors (``doc.tensor``), per token.

    None when the model has no dense part or the Doc has no tensor of the expected shape (a pipeline
    without the tok2vec component, or tokens merged after it ran).
    """
    width = model.cue.dense_width
    tensor = doc.tensor
    if not width or tensor is None or getattr(tensor, "shape", (0, 0)) != (len(doc), width):
        return None
    return model.cue.dense_scores(tensor)


def _best_run(
    doc: Doc, scored: dict[int, float], *, gap: int, bounds: tuple[int, int], blocked: set[int]
) -> tuple[tuple[int, int], float] | None:
    """The run of labelled tokens with the largest summed probability; runs bridge short gaps only."""
    lo, hi = bounds
    positions = sorted(i for i in scored if lo <= i < hi)
    best: tuple[tuple[int, int], float] | None = None
    run: list[int] = []

    def close() -> None:
        nonlocal best
        if run:
            total = sum(scored[i] for i in run)
            if best is None or total > best[1]:
                best = ((run[0], run[-1] + 1), total)

    for i in positions:
        if run and (i - run[-1] - 1 > gap or any(j in blocked for j in range(run[-1] + 1, i))):
            close()
            run = []
        run.append(i)
    close()
    if best is None:
        return None
    (start, end), total = best
    while start < end and (doc[start].is_space):
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start >= end:
        return None
    return (start, end), total / max(1, sum(1 for i in range(start, end) if i in scored))


def _extend_quote(doc: Doc, span: tuple[int, int], inside: list[int], cue: set[int]) -> tuple[int, int]:
    """Stretch a content that starts or ends on a quotation to the whole quotation (several sentences)."""
    start, end = span
    if inside[start]:
        j = end
        while j < len(doc) and inside[j] and j not in cue:
            j += 1
        end = j
    if inside[end - 1]:
        j = start
        while j > 0 and inside[j - 1] and (j - 1) not in cue:
            j -= 1
        start = j
    while end > start and doc[end - 1].is_space:
        end -= 1
    return start, end


def _snap_to_clause(doc: Doc, span: tuple[int, int], cue: set[int], blocked: set[int]) -> tuple[int, int]:
    """Widen a content run to the clause it mostly covers, when that clause excludes cue and source.

    The role model scores tokens one by one, so the far end of a long reported clause ("Amri and several
    members of the network backpacked ..., a police informant told investigators") can fall under 0.5
    while the rest of it is content; the parse knows the clause is one unit.
    """
    start, end = span
    run = set(range(start, end))
    roots = [i for i in range(start, end) if doc[i].head.i not in run or doc[i].head.i == i]
    if not roots:
        return span
    node = doc[roots[0]]
    while node.head.i != node.i:
        head = node.head
        if any(i in cue or i in blocked for i in range(head.left_edge.i, head.right_edge.i + 1)):
            break
        node = head
    lo, hi = node.left_edge.i, node.right_edge.i + 1
    if any(i in cue or i in blocked for i in range(lo, hi)):
        return span
    if (end - start) / (hi - lo) >= SNAP_COVER:
        return min(start, lo), max(end, hi)
    return span


def _one_paragraph(doc: Doc, span: tuple[int, int], cue: int, inside: list[int]) -> tuple[int, int]:
    """Cut a content at paragraph breaks outside quotation marks, keeping the part nearest the cue.

    The parser does not always end a sentence at a blank line, so a heading ("Suspect at large since
    attack") can run into the next paragraph's first sentence.
    """
    start, end = span
    breaks = [i for i in range(start, end) if doc[i].is_space and "\n" in doc[i].text and not inside[i]]
    if not breaks:
        return span
    pieces, lo = [], start
    for b in breaks:
        if b > lo:
            pieces.append((lo, b))
        lo = b + 1
    if lo < end:
        pieces.append((lo, end))
    if not pieces:
        return span
    return min(pieces, key=lambda p: 0 if p[0] <= cue < p[1] else min(abs(cue - p[0]), abs(cue - p[1])))


def _inverted_report(tok: Token) -> bool:
    """A finite reporting verb in the inverted position: ``..., continued the tweet.``"""
    return (
        tok.tag_ in {"VBD", "VBZ", "VBP"} and tok.lemma_.lower() in INVERTED_REPORTING and bool(inverted(tok))
    )


def _nested_report(tok: Token) -> bool:
    """A reporting verb that is itself reported: "an informant told investigators, according to files".

    PolNeAR folds such a chain into the outer "according to" and leaves the verb unannotated, so the
    cue model learns to drop it; but who told whom is what a reader of the claims wants (the seed
    article's informant), and the verb is unambiguous, so the chain's inner link is kept as a claim.
    """
    return (
        tok.tag_.startswith("VB")
        and tok.lemma_.lower() in INVERTED_REPORTING
        and any(c.dep_ == "prep" and c.lower_ == "according" for c in tok.children)
    )


def _inverted_roles(
    doc: Doc, anchor: Token, tokens: list[int]
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Content and source of an inverted cue, by position: ``CONTENT, said SOURCE.``

    Used instead of the role model because the parse of this construction is often wrong (the verb
    becomes a conjunct of the reported clause), and the positions alone are unambiguous.
    """
    sent = anchor.sent
    end = sent.end
    while end > tokens[-1] + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end <= tokens[-1] + 1:
        return None
    start, stop = sent.start, tokens[0]
    while stop > start and (doc[stop - 1].text == "," or doc[stop - 1].is_space):
        stop -= 1
    while start < stop and doc[start].is_space:
        start += 1
    if stop <= start:
        return None
    return (start, stop), (tokens[-1] + 1, end)


def extract(doc: Doc, model: AttributionModel) -> list[RawClaim]:
    """Every attribution the models find in a parsed Doc, in text order of their cues."""
    if len(doc) == 0:
        return []
    inside = quote_depth(doc)
    sents, sent_of = sentence_index(doc)
    out: list[RawClaim] = []
    for tokens, cue_p in detect_cues(doc, model, inside):
        anchor = cue_anchor(doc, tokens)
        cue = set(tokens)
        cue_text = doc[tokens[0] : tokens[-1] + 1].text
        content: dict[int, float] = {}
        source: dict[int, float] = {}
        lo, hi = len(doc), 0
        for i, feats in role_features(anchor, cue, cue_text, sents=sents, sent_of=sent_of, inside=inside):
            lo, hi = min(lo, i), max(hi, i + 1)
            p_none, p_source, p_content = model.role.proba(feats)
            if p_content > p_none and p_content >= p_source:
                content[i] = p_content
            elif p_source > p_none:
                source[i] = p_source
        found = _best_run(doc, content, gap=CONTENT_GAP, bounds=(lo, hi), blocked=cue)
        # An inverted cue whose content the role model put after it: the parse misled it; use positions.
        probe = _best_run(doc, source, gap=SOURCE_GAP, bounds=(lo, hi), blocked=cue)
        if (
            INVERTED_RULE
            and _inverted_report(anchor)
            and (found is None or found[0][0] > tokens[-1])
            and (probe is None or probe[0][1] <= tokens[0])
        ):
            forced = _inverted_roles(doc, anchor, tokens)
            if forced is not None:
                content_span, source_span = forced
                out.append(RawClaim((tokens[0], tokens[-1] + 1), content_span, source_span, cue_p, 0.8, 0.8))
                continue
        if found is None:
            continue
        snapped = _snap_to_clause(doc, found[0], cue, set(source)) if SNAP_COVER < 1 else found[0]
        content_span = _one_paragraph(doc, _extend_quote(doc, snapped, inside, cue), anchor.i, inside)
        content_p = found[1]
        blocked = cue | set(range(*content_span))
        src = _best_run(doc, source, gap=SOURCE_GAP, bounds=(lo, hi), blocked=blocked)
        out.append(
            RawClaim(
                cue=(tokens[0], tokens[-1] + 1),
                content=content_span,
                source=src[0] if src else None,
                cue_p=cue_p,
                content_p=content_p,
                source_p=src[1] if src else 0.0,
            )
        )
    return out
