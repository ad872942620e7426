"""Features of the two attribution models, computed from spaCy's tagger and parser.

1. Cue model: one row per token ("is this token part of an attribution cue?"). The cue vocabulary of
   PolNeAR is open (7,000 distinct cue strings in train: "said", "according to", "tweeted", "called
   for", "'s claims"), so the lemma alone is not enough: its dependency role, its children (a verb with
   a clausal complement is a cue far more often than the same verb with an object) and its neighbours
   decide.
2. Role model: one row per (cue, token) pair in the cue's sentence and the sentences next to it
   ("is this token part of the cue's source, its content, or neither?"). The central features are the
   classic semantic-role ones (Gildea & Jurafsky 2002): how the token attaches to the lowest common
   ancestor it shares with the cue, the path between them, the side and the distance; quotation marks
   carry the rest (a quote next to "he said" is its content even across sentences).
"""

from __future__ import annotations

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


def cue_features(tok: Token, inside: list[int]) -> list[str]:
    """Features of a token as a candidate cue word."""
    doc = tok.doc
    lemma = tok.lemma_.lower()
    head = tok.head
    child_deps = sorted({c.dep_ for c in tok.children})
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    prev_l = prev.lemma_.lower() if prev is not None else "<s>"
    next_l = nxt.lemma_.lower() if nxt is not None else "</s>"
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
        f"q={inside[tok.i]}",
        f"t|q={tok.tag_}|{inside[tok.i]}",
        f"nch={len(child_deps)}",
    ]
    for dep in child_deps:
        feats.append(f"ch={dep}")
        feats.append(f"l|ch={lemma}|{dep}")
        feats.append(f"t|ch={tok.tag_}|{dep}")
    if head.i != tok.i:
        feats.append(f"l|hl={lemma}|{head.lemma_.lower()}")
        feats.append(f"l|hd={lemma}|{head.dep_}")
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
