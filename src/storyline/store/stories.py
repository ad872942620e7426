"""Keeping a store's stories up to date: the clustering's index, its state, and the story records.

Why a keeper beside the store: an ingest commits articles in batches, and the stories they change must
be committed with them (a crash leaves the articles and their stories, or neither), so the keeper
writes through the store's open :meth:`~storyline.store.Store.batch`. It holds one
:class:`storyline.stories.StoryIndex` in memory for the whole ingest, loaded from the state the last
ingest saved, so clustering continues across runs. Every batch saves the state (table
``story_state``: settings, document frequencies, stories) and one row per article it added (table
``story_items``: the article's vectors and embedding, which never change), not every article's again.
When a batch is rolled back the index is read back from the store, which holds what was last
committed (:meth:`StoryKeeper.rollback`), since the index itself has no transactions.

After a batch only the stories it touched are rebuilt (:func:`storyline.stories.build_story` over
the stored analyses of their articles): the stories of its new or updated articles, and every story
whose membership the clustering changed (a merge moves articles; the younger story is deleted).
Articles already in the index (a rerun, an unchanged upsert) are not added again, so re-ingesting
the same input changes nothing; an updated article keeps its story, whose record is rebuilt. An
ingest first clusters any stored article the index lacks (:meth:`StoryKeeper.catch_up`: articles
stored with ``--no-stories`` or before stories existed), so its stories cover the whole store.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storyline.model import Analysis, Figure, Quantity, StoryEvent

if TYPE_CHECKING:
    from storyline.store.db import Store
    from storyline.stories.clustering import Assignment, Scorer, StoryIndex
    from storyline.stories.embedding import Embedder


@dataclass(slots=True)
class StoryChanges:
    """What one update did: stories written (new or changed), left as they were, and deleted."""

    clustered: int = 0
    """Articles added to the index."""
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def new_index(
    state: Mapping[str, Any] | None = None,
    scorer: Scorer = "weighted",
    embedder: Embedder | None = None,
    items: Iterable[Mapping[str, Any]] = (),
) -> StoryIndex:
    """An empty index with ``scorer``'s settings, or one restored from a saved state and items (it
    keeps the scorer it was made with)."""
    from storyline.stories.clustering import Settings, StoryIndex

    if state is not None:
        return StoryIndex.from_state(dict(state), embedder, items)
    return StoryIndex(Settings.learned() if scorer == "learned" else Settings(), embedder)


#: Analyses read (and embedded) at a time by a rebuild.
REBUILD_CHUNK = 64
#: Analyses a keeper holds between batches to rebuild growing stories (least recently used out):
#: about 50 MB at the ~200 KB in memory of a long article's analysis.
RECENT_ANALYSES = 256


def _stories_of(assignments: Mapping[str, Assignment]) -> dict[str, str]:
    """Article id -> story id of every clustered article."""
    return {article: a.story for article, a in assignments.items()}


class StoryKeeper:
    """The clustering index of one store, and the writes that keep the store's stories in step with it.

    Every method writes through ``store`` (inside its open batch, when there is one). Not thread-safe:
    one keeper per ingest, driven by the thread that commits.
    """

    def __init__(self, store: Store, scorer: Scorer | None = None) -> None:
        """``scorer``: how a new clustering scores (``learned`` needs the embed extra); None keeps
        the store's own (its saved state), else "weighted". An existing clustering keeps its scorer
        until :meth:`rebuild`."""
        from storyline.stories.embedding import MiniLM

        self.store = store
        self._embedder = MiniLM()  # loaded on first use, once per keeper (not per rollback)
        self._recent: OrderedDict[str, Analysis] = OrderedDict()
        self.index = self._load(scorer or "weighted")
        self.scorer: Scorer = scorer or self.index.settings.scorer

    def _load(self, scorer: Scorer) -> StoryIndex:
        """The index as the store last committed it (a new one with ``scorer`` when there is none)."""
        state = self.store.story_state()
        items = self.store.story_items() if state is not None else []
        return new_index(state, scorer, self._embedder, items)

    def update(self, analyses: Sequence[Analysis], changed: Iterable[str] = ()) -> StoryChanges:
        """Cluster the new articles of ``analyses`` (in their order) and rebuild the stories touched.

        ``changed`` names articles already clustered whose analysis changed (an "updated" upsert):
        their stories are rebuilt too. ``analyses`` must be stored (or in the open batch) already.
        Saves the index's state in the same transaction.
        """
        changes = StoryChanges()
        before = _stories_of(self.index.assignments())
        fresh: dict[str, Analysis] = {}
        for analysis in analyses:
            aid = analysis.article.id
            if aid not in before and aid not in fresh:
                fresh[aid] = analysis
        # What StoryIndex.add does one by one, with the embeddings (if any) computed in one batch.
        for features in self.index.features(list(fresh.values())):
            self.index.count(features)
            self.index.add_features(features)
        changes.clustered = len(fresh)
        if not fresh and not changed:
            return changes
        assignments = self.index.assignments()
        after = _stories_of(assignments)
        touched = {after[aid] for aid in fresh if aid in after}
        touched |= {after[aid] for aid in changed if aid in after}
        for aid, story in after.items():
            old = before.get(aid)
            if old is not None and old != story:  # moved by a merge or a split
                touched |= {old, story}
        known = {a.article.id: a for a in analyses}
        alive = set(after.values())
        for story_id in sorted(touched):
            if story_id not in alive:
                if self.store.delete_story(story_id):
                    changes.deleted.append(story_id)
                continue
            self._write_story(story_id, assignments, known, changes)
        self.save()
        return changes

    def _write_story(
        self,
        story_id: str,
        assignments: Mapping[str, Assignment],
        known: Mapping[str, Analysis],
        changes: StoryChanges,
    ) -> None:
        from storyline.stories import build_story

        members = [
            aid
            for aid in self.index.members(story_id)
            if aid in assignments and assignments[aid].story == story_id
        ]
        analyses: list[Analysis] = []
        for aid in members:
            analysis = self._analysis(aid, known)
            if analysis is not None:  # an article deleted from the store since it was clustered
                analyses.append(analysis)
        if not analyses:
            if self.store.delete_story(story_id):
                changes.deleted.append(story_id)
            return
        scores = {a.article.id: assignments[a.article.id].score for a in analyses}
        story = build_story(story_id, analyses, scores)
        result = self.store.put_story(story)
        (changes.unchanged if result == "unchanged" else changes.written).append(story_id)

    def _analysis(self, aid: str, known: Mapping[str, Analysis]) -> Analysis | None:
        """An article's analysis: this batch's, else a recently used one, else the stored one.

        Why a cache: a developing story gains articles batch after batch, and its record is rebuilt
        from all its members each time; without it every rebuild re-reads (and re-validates) them."""
        analysis = known.get(aid)
        if analysis is None:
            analysis = self._recent.get(aid)
            if analysis is None:
                analysis = self.store.get_analysis(aid)
        if analysis is not None:
            self._recent[aid] = analysis
            self._recent.move_to_end(aid)
            while len(self._recent) > RECENT_ANALYSES:
                self._recent.popitem(last=False)
        return analysis

    def catch_up(self, chunk: int = 64) -> int:
        """Cluster stored articles the index does not hold yet (stored by an ingest with
        ``--no-stories``, or before stories existed), in the order they were stored, ``chunk`` per
        transaction; returns how many. Costs one read of the article ids when there are none."""
        assigned = self.index.assignments()
        missing = [aid for aid in self.store.article_ids() if aid not in assigned]
        for start in range(0, len(missing), chunk):
            analyses = [
                analysis
                for aid in missing[start : start + chunk]
                if (analysis := self.store.get_analysis(aid)) is not None
            ]
            try:
                with self.store.batch():
                    self.update(analyses)
            except BaseException:
                self.rollback()
                raise
        return len(missing)

    def save(self) -> None:
        """Write the index to the store (in its open batch, if any): the state without the items,
        and a row per item added since the last save."""
        self.store.save_story_state(self.index.to_state(items=False))
        self.store.save_story_items(self.index.unsaved_items())
        self.index.mark_saved()

    def rollback(self) -> None:
        """The batch was rolled back: forget what the index learnt since, by reading it back from the
        store (which holds what was last committed)."""
        self._recent.clear()  # it may hold analyses of the rolled-back batch
        self.index = self._load(self.scorer)

    def rebuild(self) -> StoryChanges:
        """Recluster every stored article from scratch, in the order they were stored, with the
        keeper's scorer; one transaction."""
        with self.store.batch():
            self.store.clear_stories()
            self.index = new_index(None, self.scorer, self._embedder)
            changes = StoryChanges()
            # As storyline.stories.cluster() does for a batch: document frequencies over every
            # article first, then the articles in order, then re-checks until nothing moves. Only
            # the features stay in memory, not the analyses.
            features = []
            ids = self.store.article_ids()
            for start in range(0, len(ids), REBUILD_CHUNK):
                chunk = [self.store.get_analysis(aid) for aid in ids[start : start + REBUILD_CHUNK]]
                for item in self.index.features([a for a in chunk if a is not None]):
                    features.append(item)
                    self.index.count(item)
            for item in features:
                self.index.add_features(item)
            changes.clustered = len(features)
            self.index.refine()
            assignments = self.index.assignments()
            for story_id in sorted({a.story for a in assignments.values()}):
                self._write_story(story_id, assignments, {}, changes)
            self.save()
        return changes


# -- views of a story record (the CLI's table and the web page show the same) ---------------------


@dataclass(frozen=True, slots=True)
class SourceFigure:
    """One source's count of an event: ``12`` from CNN on 2016-12-20 (``text`` is how it is shown)."""

    text: str
    source: str | None
    published: str | None
    article: str


def quantity_text(quantity: Quantity | None) -> str | None:
    """A count as the source gave it: ``12``, ``at least 24`` (low only), ``up to 100`` (high only)."""
    if quantity is None:
        return None
    if quantity.value is not None:
        return str(quantity.value)
    if quantity.low is not None and quantity.high is not None:
        return f"{quantity.low}-{quantity.high}"
    if quantity.low is not None:
        return f"at least {quantity.low}"
    if quantity.high is not None:
        return f"up to {quantity.high}"
    return None


def source_figures(event: StoryEvent, count: str) -> list[SourceFigure]:
    """Every source's ``killed`` or ``injured`` figure for the event, oldest report first.

    Why per source and not one number: sources disagree, and tolls rise as reports come in; a reader
    must see who said what, and when.
    """
    figures: list[SourceFigure] = []
    for report in event.reports:
        text = quantity_text(report.killed if count == "killed" else report.injured)
        if text is not None:
            figures.append(SourceFigure(text, report.source, report.published, report.article))
    figures.sort(key=lambda f: (f.published is None, f.published or "", f.article))
    return figures


def figures_text(event: StoryEvent, count: str) -> str:
    """``12 (CNN 2016-12-20), 13 (BBC 2016-12-21)``; the merged figure when no source gave one; ''."""
    figures = source_figures(event, count)
    if figures:
        parts = []
        for f in figures:
            where = " ".join(x for x in (f.source, (f.published or "")[:10]) if x)
            parts.append(f"{f.text} ({where})" if where else f.text)
        return ", ".join(parts)
    figure: Figure | None = event.killed if count == "killed" else event.injured
    if figure is None or figure.latest is None:
        return ""
    return str(figure.latest)
