"""The claims stage: who said what, with the speaker resolved to an entity.

An attribution has a source (who), a cue ("said", "according to", "tweeted", "told investigators")
and a content (what). PolNeAR (political news, 840 training articles) is large enough to *learn* the
parts that rules get wrong: its cue vocabulary is open ("called for", "is expected to endorse", "'s
claims") and its span conventions ("that" belongs to the content, the comma after a source does not)
are easier to copy than to write down. So the stage is two small linear models over spaCy's parse
(:mod:`storyline.components.attribution`), trained by ``training/train_claims.py``:

1. a cue tagger over tokens (lemma, dependency role, children, subject, neighbours, quotation marks, and
   a cue lexicon learned from train: P(cue | lemma, part of speech)), decoded with hysteresis: a cue
   starts at a confident word and takes in weaker neighbours ("called for", "is expected to");
2. for each cue, a role labeller over the tokens of its sentence and the sentences next to it (how the
   token attaches to the cue in the parse, the path, the side, the quotation marks): source, content
   or neither; the content run that starts or ends on a quotation stretches to the whole quotation,
   so a quote of several sentences is one claim.

Then what the models cannot know is done by rules:

- the speaker: the source's head word resolves through the entities stage's coreference
  (:func:`~storyline.components.entities.entity_at`), so "he added" and "The Interior Minister" link
  to the person they refer to; the head word, not any overlapping name, so "a spokesman for Mayor
  Jackson" is not Jackson and "files obtained by CNN" is not CNN. The source span keeps the noun phrase
  up to its head with its left modifiers ("a police informant", not "... inside the network").
- "continued the tweet": a channel ("the tweet", "the statement") that continues an earlier claim
  takes that claim's source, and becomes the claim's channel;
- the channel when the text names it: "in a press conference", "in their Twitter feed", "files";
- the kind: ``according_to`` from the cue, ``direct``/``mixed``/``indirect`` from how much of the content
  is inside quotation marks.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from storyline.components.attribution.extract import RawClaim, cue_anchor, extract
from storyline.components.attribution.features import quote_depth
from storyline.components.attribution.model import AttributionModel
from storyline.components.entities import entity_at
from storyline.model import Argument, Claim, ClaimKind
from storyline.model import Span as OutSpan

if not Doc.has_extension("sl_claims"):
    Doc.set_extension("sl_claims", default=None)

#: Nouns that name the medium of a statement rather than its author.
CHANNEL_NOUNS = frozenset({
    "statement", "conference", "briefing", "interview", "tweet", "feed", "post", "release", "letter",
    "email", "e-mail", "speech", "video", "broadcast", "memo", "file", "document", "report", "op-ed",
    "twitter", "facebook", "instagram", "television", "tv", "radio", "message", "blog", "podcast",
    "communique", "transcript", "filing", "affidavit", "testimony",
})  # fmt: skip
#: Channels that carry someone else's words: "continued the tweet" goes on quoting the tweet's author.
RELAY_CHANNELS = frozenset({"tweet", "feed", "post", "statement", "release", "message"})
CHANNEL_PREPS = frozenset({"in", "on", "at", "during", "via", "through"})
#: Dependents that end a source noun phrase: what follows its head is description, not the source.
SOURCE_POSTMODIFIERS = frozenset({"acl", "relcl", "prep", "advmod", "npadvmod"})
#: How many sentences back a relayed channel may look for the claim it continues.
RELAY_WINDOW = 3
DIRECT_SHARE = 0.9


class ClaimsStage:
    """Finds attributions with the trained models and links their sources to entities."""

    def __init__(self, model: AttributionModel) -> None:
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        raws = sorted(extract(doc, self.model), key=lambda r: r.cue[0])
        inside = quote_depth(doc) if raws else []
        claims: list[Claim] = []
        history: list[tuple[int, Argument]] = []  # (sentence start, source) of claims with a real author
        for raw in raws:
            claim = self._claim(doc, raw, inside, history, len(claims) + 1)
            if claim is None:
                continue
            claims.append(claim)
        doc._.sl_claims = claims
        return doc

    def _claim(
        self, doc: Doc, raw: RawClaim, inside: list[int], history: list[tuple[int, Argument]], n: int
    ) -> Claim | None:
        cue = doc[raw.cue[0] : raw.cue[1]]
        content = doc[raw.content[0] : raw.content[1]]
        if not content.text.strip():
            return None
        channel: str | None = None
        source: Argument | None = None
        sent_start = cue.sent.start
        if raw.source is not None:
            span = doc[raw.source[0] : raw.source[1]]
            head = _head(span)
            if _is_channel(head):
                channel = _channel_name(head)
                relayed = _relayed(doc, head, cue, history, sent_start)
                source = relayed if relayed is not None else _argument(doc, span, head)
            else:
                source = _argument(doc, span, head)
                history.append((sent_start, source))
        channel = channel or _channel_near(doc, cue, content)
        return Claim(
            id=f"c{n}",
            source=source,
            cue=_out(cue),
            content=_out(content),
            kind=_kind(cue, content, inside),
            channel=channel,
            confidence=round(max(0.0, min(1.0, raw.cue_p * raw.content_p**0.5)), 3),
        )


def _out(span: Span) -> OutSpan:
    return OutSpan(start=span.start_char, end=span.end_char, text=span.text)


def _head(span: Span) -> Token:
    """The syntactic head of a token run: the first token whose head lies outside the run."""
    return cue_anchor(span.doc, list(range(span.start, span.end)))


def _trim_source(span: Span, head: Token) -> Span:
    """The source up to its head and the head's left modifiers; drop post-modifiers and edge punctuation."""
    doc = span.doc
    end = span.end
    for child in head.rights:
        if child.dep_ in SOURCE_POSTMODIFIERS or (child.dep_ == "punct" and child.text in {",", "(", "—"}):
            end = min(end, child.left_edge.i)
            break
    start = span.start
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if not start <= head.i < end:
        return span
    return doc[start:end]


def _argument(doc: Doc, span: Span, head: Token) -> Argument:
    """A source as text, span and (through coreference of its head word) entity."""
    trimmed = _trim_source(span, head)
    entity = entity_at(doc, head.idx, head.idx + len(head.text))
    return Argument(text=trimmed.text, span=_out(trimmed), entity=entity)


def _is_channel(head: Token) -> bool:
    return head.lemma_.lower() in CHANNEL_NOUNS or head.lower_ in CHANNEL_NOUNS


def _channel_name(head: Token) -> str:
    """The channel noun with its compound modifiers: "tweet", "Twitter feed", "press conference"."""
    words = [t for t in head.lefts if t.dep_ == "compound"] + [head]
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def _relayed(
    doc: Doc, head: Token, cue: Span, history: list[tuple[int, Argument]], sent_start: int
) -> Argument | None:
    """The author a definite relay channel ("the tweet", "the statement") continues quoting."""
    if head.lemma_.lower() not in RELAY_CHANNELS or head.lower_ == "twitter":
        return None
    if not any(t.lower_ in {"the", "that", "this", "their", "his", "her", "its"} for t in head.lefts):
        return None
    sents = [s.start for s in doc.sents]
    k = sents.index(sent_start) if sent_start in sents else 0
    earliest = sents[max(0, k - RELAY_WINDOW)]
    for start, source in reversed(history):
        if earliest <= start <= sent_start:
            return source
    return None


def _channel_near(doc: Doc, cue: Span, content: Span) -> str | None:
    """A channel named by a prepositional phrase of the cue's clause: "in a press conference"."""
    anchor = cue.root
    sent = cue.sent
    preps = [t for t in anchor.children if t.dep_ == "prep"]
    preps += [
        t for t in sent if t.dep_ == "prep" and t not in preps and not content.start <= t.i < content.end
    ]
    for prep in preps:
        if prep.lower_ not in CHANNEL_PREPS:
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and _is_channel(pobj):
                return _channel_name(pobj)
    return None


def _kind(cue: Span, content: Span, inside: list[int]) -> ClaimKind:
    if cue.text.lower().startswith("according"):
        return "according_to"
    words = [t for t in content if not t.is_space and not t.is_punct]
    if not words:
        return "indirect"
    share = sum(inside[t.i] for t in words) / len(words)
    if share >= DIRECT_SHARE:
        return "direct"
    return "mixed" if share > 0 else "indirect"


@Language.factory("storyline_claims", assigns=["doc._.sl_claims"], default_config={"model_path": None})
def make_claims(nlp: Language, name: str, model_path: str | None) -> ClaimsStage:
    """Load the shipped model once (or ``model_path``, for a model being trained)."""
    return ClaimsStage(AttributionModel.load(Path(model_path) if model_path else None))
