"""Stories: articles clustered as they arrive, their events merged across sources, timelines, briefs.

- :mod:`storyline.stories.clustering`: :class:`StoryIndex` (online clustering; every assignment has a
  score) and :func:`cluster` (a batch of analyses at once, what ``storyline eval stories`` calls).
- :mod:`storyline.stories.build`: :func:`build_story`, one story's articles -> a ``storyline.story/1``
  record (merged events with every source's figures, in event-time order, and a brief).

Names are imported lazily so that ``import storyline.stories`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Assignment", "StoryIndex", "build_story", "cluster"]

_HOME = {
    "Assignment": "storyline.stories.clustering",
    "StoryIndex": "storyline.stories.clustering",
    "cluster": "storyline.stories.clustering",
    "build_story": "storyline.stories.build",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name not in _HOME:
        raise AttributeError(f"module 'storyline.stories' has no attribute {name!r}")
    try:
        module = importlib.import_module(_HOME[name])
    except ModuleNotFoundError as exc:
        if exc.name != _HOME[name]:
            raise  # a broken import inside the module is an error, not a missing name
        raise AttributeError(f"module 'storyline.stories' has no attribute {name!r}") from exc
    return getattr(module, name)
