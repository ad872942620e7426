"""Features of the two attribution models, computed from spaCy's tagger and parser.

1. Cue model: one row per token ("is this token part of an attribution cue?"). The cue vocabulary of
   PolNeAR is open (7,000 distinct cue strings in train: "said", "according to", "tweeted", "called
   for", "'s claims"), so the lemma alone is not enough: its dependency role, its children (a verb with
   a clausal complement is a cue far more often than the same verb with an object), its subject, its
   neighbours and the quotation marks of its sentence decide. A cue lexicon learned from train
   (P(cue | lemma, part of speech), in a few bins) lets the weights of a bin generalise across the
   long tail of rare cue words, crossed with the syntax that makes them cues.
2. Role model: one row per (cue, token) pair in the cue's sentence and the sentences next to it
   ("is this token part of the cue's source, its content, or neither?"). The central features are the
   classic semantic-role ones (Gildea & Jurafsky 2002): how the token attaches to the lowest common
   ancestor it shares with the cue, the path between them, the side and the distance; quotation marks
   carry the rest (a quote next to "he said" is its content even across sentences).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

OPEN_QUOTES = frozenset({"“", "‘", "«"})
CLOSE_QUOTES = frozenset({"”", "’", "»"})
STRAIGHT_QUOTES = frozenset({'"', "''", "``"})
QUOTES = OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT_QUOTES
#: Function words whose own identity matters at span edges ("that", "if", punctuation).
EDGE_WORDS = frozenset(
    {"that", "if", "whether", "to", "by", "for", "of", ",", ".", ":", ";", "—", "-", "(", ")"}
)
#: How far (in sentences) from its cue a content or source token may be.
SENT_WINDOW = 1


def quote_depth(doc: Doc) -> list[int]:
    """For every token, 1 when it lies inside quotation marks, else 0 (marks themselves count as inside).

    Curly quotes open and close; straight quotes toggle. A paragraph break closes any open quote, since
    news leaves a quote open at the end of a paragraph when the next one goes on quoting.
    """
    inside = [0] * len(doc)
    depth = False
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            depth = False
        text = tok.text
        if text in OPEN_QUOTES or (text == "’" and depth is False and _opens(tok)):
            depth = True
            inside[tok.i] = 1
            continue
        if text in CLOSE_QUOTES and text != "’":
            inside[tok.i] = 1
            depth = False
            continue
        if text in STRAIGHT_QUOTES:
            inside[tok.i] = 1
            depth = not depth
            continue
        inside[tok.i] = int(depth)
    return inside


def _opens(tok: Token) -> bool:
    # A single curly quote opens only where a word follows it directly after a space (not "Amri’s").
    return tok.i + 1 < len(tok.doc) and (tok.i == 0 or tok.doc[tok.i - 1].whitespace_ != "")


def _bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 6:
        return "4-6"
    if n <= 12:
        return "7-12"
    if n <= 25:
        return "13-25"
    return "26+"


@dataclass(frozen=True, slots=True)
class CueContext:
    """What the cue features read besides the token: per-document quotation facts and the cue lexicon.

    Built once per Doc (:func:`cue_context`), so scoring a token stays a handful of look-ups.
    """

    inside: list[int]
    #: Per token: 1 when its sentence holds a quotation mark (quotes make reporting verbs likely).
    sent_quote: list[int]
    #: Per token: side and bucketed distance to the nearest quotation mark of its sentence ("L2", "-").
    quote_dist: list[str]
    #: P(token is part of a cue | lemma and coarse part of speech), learned from training documents.
    prior: Mapping[str, float]


def cue_context(doc: Doc, prior: Mapping[str, float], inside: list[int] | None = None) -> CueContext:
    """The per-document part of the cue features."""
    inside = quote_depth(doc) if inside is None else inside
    sent_quote = [0] * len(doc)
    quote_dist = ["-"] * len(doc)
    for sent in doc.sents:
        marks = [t.i for t in sent if t.text in QUOTES]
        if not marks:
            continue
        for i in range(sent.start, sent.end):
            sent_quote[i] = 1
            k = bisect_left(marks, i)  # the nearest mark is marks[k - 1] or marks[k]; a tie goes left
            left = marks[k - 1] if k > 0 else None
            right = marks[k] if k < len(marks) else None
            near = left if right is None or (left is not None and i - left <= right - i) else right
            assert near is not None
            d = near - i
            quote_dist[i] = "0" if d == 0 else f"{'R' if d > 0 else 'L'}{_bucket(abs(d))}"
    return CueContext(inside, sent_quote, quote_dist, prior)


def prior_key(tok: Token) -> str:
    """The key of the cue lexicon: lemma and coarse part of speech ("call|VERB" is not "call|NOUN")."""
    return f"{tok.lemma_.lower()}|{tok.pos_}"


def prior_bucket(p: float | None) -> str:
    """A cue-lexicon probability as one of a few bins, so the linear model can weigh each bin."""
    if p is None:
        return "none"
    for edge, name in ((0.02, "0"), (0.08, "1"), (0.2, "2"), (0.4, "3"), (0.65, "4")):
        if p < edge:
            return name
    return "5"


def cue_features(tok: Token, ctx: CueContext) -> list[str]:
    """Features of a token as a candidate cue word."""
    doc = tok.doc
    inside = ctx.inside
    lemma = tok.lemma_.lower()
    head = tok.head
    children = list(tok.children)
    child_deps = sorted({c.dep_ for c in children})
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    nxt2 = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
    prev_l = prev.lemma_.lower() if prev is not None else "<s>"
    next_l = nxt.lemma_.lower() if nxt is not None else "</s>"
    next2_l = nxt2.lemma_.lower() if nxt2 is not None else "</s>"
    pb = prior_bucket(ctx.prior.get(prior_key(tok)))
    sq = ctx.sent_quote[tok.i]
    feats = [
        "bias",
        f"w={tok.lower_}",
        f"l={lemma}",
        f"t={tok.tag_}",
        f"d={tok.dep_}",
        f"l|t={lemma}|{tok.tag_}",
        f"l|d={lemma}|{tok.dep_}",
        f"t|d={tok.tag_}|{tok.dep_}",
        f"hd={head.dep_}",
        f"hl={head.lemma_.lower()}",
        f"d|hd={tok.dep_}|{head.dep_}",
        f"d|ht={tok.dep_}|{head.tag_}",
        f"pl={prev_l}",
        f"nl={next_l}",
        f"l|nl={lemma}|{next_l}",
        f"pl|l={prev_l}|{lemma}",
        f"l|nl|nnl={lemma}|{next_l}|{next2_l}",
        f"q={inside[tok.i]}",
        f"t|q={tok.tag_}|{inside[tok.i]}",
        f"nch={len(child_deps)}",
        # the learned cue lexicon, alone and with the syntax that makes a frequent cue word a cue here
        f"pr={pb}",
        f"pr|t={pb}|{tok.tag_}",
        f"pr|d={pb}|{tok.dep_}",
        f"pr|q={pb}|{inside[tok.i]}",
        f"pr|sq={pb}|{sq}",
        f"sq|t={sq}|{tok.tag_}",
        f"dq={ctx.quote_dist[tok.i]}",
        f"dq|t={ctx.quote_dist[tok.i]}|{tok.pos_}",
    ]
    for dep in child_deps:
        feats.append(f"ch={dep}")
        feats.append(f"l|ch={lemma}|{dep}")
        feats.append(f"t|ch={tok.tag_}|{dep}")
        feats.append(f"pr|ch={pb}|{dep}")
    for child in children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            # who is speaking: a person-like subject (pronoun, name) makes a reporting reading likely
            subj = child.lower_ if child.tag_ == "PRP" else child.tag_
            feats.append(f"subj={subj}")
            feats.append(f"pr|subj={pb}|{child.tag_}")
        elif child.dep_ in {"ccomp", "xcomp"}:
            marks = [g.lower_ for g in child.children if g.dep_ in {"mark", "aux"}]
            feats.append(f"comp={child.dep_}|{marks[0] if marks else ''}")
            feats.append(f"pr|comp={pb}|{child.dep_}|{int(bool(inside[child.i]))}")
        elif child.dep_ in {"prep", "prt", "agent"}:
            feats.append(f"l|prep={lemma}|{child.lower_}")
        elif child.dep_ in {"poss"}:
            feats.append(f"pr|poss={pb}")
    if head.i != tok.i:
        feats.append(f"l|hl={lemma}|{head.lemma_.lower()}")
        feats.append(f"l|hd={lemma}|{head.dep_}")
        hpb = prior_bucket(ctx.prior.get(prior_key(head)))
        feats.append(f"hpr={hpb}|{tok.dep_}")
    if tok.text == ":":
        feats.append(f":next_quote={int(nxt is not None and nxt.text in QUOTES)}")
    # "according to X": the head of "to" is "according"
    if tok.lower_ == "to" and head.lower_ == "according":
        feats.append("according_to")
    return feats


def inverted(tok: Token) -> int:
    """1 for a verb in the inverted reporting position: ``..., continued the tweet.``, ``..., said X.``

    The small parser often gets this construction wrong (it makes the verb a conjunct of the reported
    clause), so the decoding checks the token pattern itself: a comma or closing quote before the verb
    and a short stretch without another verb up to the end of the sentence.
    """
    if not tok.tag_.startswith("VB") or tok.i == 0:
        return 0
    doc = tok.doc
    prev = doc[tok.i - 1]
    if prev.text not in {",", "”", '"', "’"}:
        return 0
    end = tok.sent.end
    rest = [t for t in doc[tok.i + 1 : end] if not t.is_space]
    if not rest or len(rest) > 15 or any(t.tag_.startswith("VB") for t in rest):
        return 0
    return 1


def sentence_index(doc: Doc) -> tuple[list[Span], list[int]]:
    """The sentences and, for every token, the index of its sentence."""
    sents = list(doc.sents)
    of_token = [0] * len(doc)
    for k, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            of_token[i] = k
    return sents, of_token


def _ancestors(tok: Token) -> list[Token]:
    """The token itself and its ancestors up to the root of its sentence."""
    chain = [tok]
    while chain[-1].head.i != chain[-1].i and len(chain) < 60:
        chain.append(chain[-1].head)
    return chain


def candidate_range(anchor: Token, sents: list[Span], sent_of: list[int]) -> range:
    """Token positions that may belong to the source or the content of a cue anchored on ``anchor``."""
    k = sent_of[anchor.i]
    first = sents[max(0, k - SENT_WINDOW)].start
    last = sents[min(len(sents) - 1, k + SENT_WINDOW)].end
    return range(first, last)


def role_features(
    anchor: Token, cue: set[int], cue_text: str, *, sents: list[Span], sent_of: list[int], inside: list[int]
) -> list[tuple[int, list[str]]]:
    """(token position, features) for every candidate source or content token of one cue."""
    doc = anchor.doc
    anchor_chain = _ancestors(anchor)
    anchor_pos = {t.i: n for n, t in enumerate(anchor_chain)}
    a_lemma = anchor.lemma_.lower()
    a_cls = "acc" if cue_text.lower().startswith("according") else anchor.pos_
    ks = sent_of[anchor.i]
    cue_lo, cue_hi = min(cue), max(cue)
    rows: list[tuple[int, list[str]]] = []
    for i in candidate_range(anchor, sents, sent_of):
        if i in cue:
            continue
        tok = doc[i]
        if tok.is_space:
            continue
        so = sent_of[i] - ks
        side = "L" if i < cue_lo else "R"
        dist = cue_lo - i if i < cue_lo else i - cue_hi
        word = tok.lower_ if (tok.lower_ in EDGE_WORDS or tok.text in QUOTES) else tok.pos_
        feats = [
            "bias",
            f"so={so}",
            f"side={side}",
            f"so|side={so}|{side}",
            f"dist={_bucket(dist)}|{side}",
            f"tw={word}",
            f"td={tok.dep_}",
            f"q={inside[i]}",
            f"q|side|so={inside[i]}|{side}|{so}",
            f"tw|q={word}|{inside[i]}",
            f"acls={a_cls}",
            f"acls|side={a_cls}|{side}",
        ]
        if so == 0:
            chain = _ancestors(tok)
            # lowest common ancestor: the first of the token's ancestors on the anchor's chain
            up = 0
            while up < len(chain) and chain[up].i not in anchor_pos:
                up += 1
            if up < len(chain):
                lca = chain[up]
                down = anchor_pos[lca.i]
                t_att = chain[up - 1].dep_ if up > 0 else "SELF"
                a_att = anchor_chain[down - 1].dep_ if down > 0 else "SELF"
                rel = f"{t_att}>{a_att}"
                path_t = "^".join(t.dep_ for t in chain[max(0, up - 3) : up])
                path_a = "v".join(t.dep_ for t in anchor_chain[max(0, down - 3) : down])
                feats += [
                    f"rel={rel}",
                    f"rel|side={rel}|{side}",
                    f"rel|acls={rel}|{a_cls}",
                    f"rel|al={rel}|{a_lemma}",
                    f"rel|q={rel}|{inside[i]}",
                    f"rel|tw={rel}|{word}",
                    f"path={path_t}|{path_a}",
                    f"up={_bucket(up)}|{a_att}",
                    f"lcad={lca.dep_}|{a_att}",
                ]
                if up > 0 and lca.i == anchor.i:
                    # which child of the cue the token hangs from, and how that child is introduced
                    child = chain[up - 1]
                    feats.append(f"child={child.dep_}|{child.lower_ if child.dep_ == 'prep' else ''}")
            else:
                feats.append("rel=none")
        else:
            feats += [
                f"xs_start={int(bool(tok.is_sent_start))}",
                f"xs_dep={tok.dep_}|{so}",
                f"xs_q={inside[i]}|{so}|{_anchor_quote_link(anchor, sents[sent_of[anchor.i]], so, inside)}",
            ]
        rows.append((i, feats))
    return rows


def _anchor_quote_link(anchor: Token, sent: Span, so: int, inside: list[int]) -> str:
    """Whether the cue's sentence touches a quotation on the side of the neighbouring sentence.

    ``“...” he said.`` continues a quote from the previous sentence when the cue's sentence starts
    inside quotation marks; a quote opened after the cue and left open runs into the next sentence.
    """
    if so < 0:
        return str(inside[sent.start])
    last = sent.end - 1
    while last > sent.start and anchor.doc[last].is_space:
        last -= 1
    return str(inside[last])
