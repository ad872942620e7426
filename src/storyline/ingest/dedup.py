"""Near-duplicate articles: an exact content hash, then MinHash over word shingles with LSH banding.

Why both: a syndicated copy is often byte-identical (the hash finds it for the cost of one dict
look-up), but an updated version or a copy with another byline differs in a few words, which only a
similarity measure finds. MinHash estimates the Jaccard similarity of two articles' sets of word
``SHINGLE``-grams from ``NUM_PERM`` minimum hashes; LSH (``BANDS`` bands of ``ROWS`` hashes) finds the
candidates without comparing every pair, and a candidate is a duplicate only when its estimated
Jaccard similarity reaches the threshold.

Implemented with numpy rather than a MinHash package: the hashing must be stable across processes
and versions (signatures are stored, see ``storyline.store.progress``), so it uses blake2b and a
fixed-seed permutation table, nothing that Python's randomised ``hash`` or a library upgrade could
change. The index is in memory: fine for one machine's ingest (a few hundred bytes per article); a
cluster-wide index would live in the database or a key-value store.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.defaults import DEFAULT_SIMILARITY

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
#: Estimated Jaccard similarity from which two articles count as one (syndicated copy, update).
DEFAULT_THRESHOLD = DEFAULT_SIMILARITY

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_rng = np.random.default_rng(20190101)
_A = _rng.integers(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+")

Signature = npt.NDArray[np.uint32]


def content_hash(text: str) -> str:
    """sha256 of the text with whitespace runs collapsed and case folded: re-wrapped copies are equal."""
    normal = " ".join(text.split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of word ``size``-grams of the text (case-folded); a short text gives its whole word list."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def minhash(text: str) -> Signature:
    """The MinHash signature (``NUM_PERM`` uint32) of the text's shingles."""
    grams = shingles(text)
    if not grams:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    values = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=4).digest(), "little") for g in grams),
        dtype=np.uint64,
        count=len(grams),
    )
    # (a*x + b) mod p per permutation, wrapping in uint64 like the usual MinHash implementations.
    with np.errstate(over="ignore"):
        hashed = (np.outer(values, _A) + _B) % _MERSENNE & _MAX32
    result: Signature = hashed.min(axis=0).astype(np.uint32)
    return result


def jaccard(a: Signature, b: Signature) -> float:
    """The Jaccard similarity estimated from two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def to_bytes(signature: Signature) -> bytes:
    return signature.astype("<u4").tobytes()


def from_bytes(data: bytes) -> Signature:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


@dataclass(frozen=True, slots=True)
class Match:
    """What an article duplicates: the kept article's id, and how (``exact`` or ``near``, with score)."""

    article_id: str
    kind: str
    similarity: float


class DedupIndex:
    """Articles seen so far, by content hash and by MinHash bands; the first one seen is kept."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._hashes: dict[str, str] = {}
        self._signatures: dict[str, Signature] = {}
        self._id_hash: dict[str, str] = {}
        self._bands: list[defaultdict[bytes, list[str]]] = [defaultdict(list) for _ in range(BANDS)]

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def hash_of(self, article_id: str) -> str | None:
        """The content hash kept for this article id (None if unknown)."""
        return self._id_hash.get(article_id)

    def add(self, article_id: str, chash: str, signature: Signature) -> None:
        """Keep an article (a known id is updated: a new version of the same url replaces the old)."""
        self._hashes.setdefault(chash, article_id)
        self._id_hash[article_id] = chash
        self._signatures[article_id] = signature
        for band, table in enumerate(self._bands):
            table[signature[band * ROWS : (band + 1) * ROWS].tobytes()].append(article_id)

    def find(self, article_id: str, chash: str, signature: Signature) -> Match | None:
        """The kept article this one duplicates (never itself), or None."""
        exact = self._hashes.get(chash)
        if exact is not None and exact != article_id:
            return Match(exact, "exact", 1.0)
        best: Match | None = None
        seen: set[str] = set()
        for band, table in enumerate(self._bands):
            for other in table.get(signature[band * ROWS : (band + 1) * ROWS].tobytes(), ()):
                if other == article_id or other in seen:
                    continue
                seen.add(other)
                score = jaccard(signature, self._signatures[other])
                if score >= self.threshold and (best is None or score > best.similarity):
                    best = Match(other, "near", score)
        return best
