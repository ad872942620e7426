"""The HTTP API (REST + OpenAPI) and the web UI of Storyline, served by one FastAPI app.

``create_app(db_url)`` builds the app; ``storyline serve`` runs it with uvicorn. See docs/design.md,
Interfaces.
"""

from __future__ import annotations

from storyline.api.app import create_app

__all__ = ["create_app"]
