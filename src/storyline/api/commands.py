"""The ``storyline serve`` command: the HTTP API and the web UI over a store."""

from __future__ import annotations

from typing import Annotated

import typer

from storyline.commands import DbOption


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every one).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the HTTP API (/v1, OpenAPI at /docs) and the web UI over a store.

    Example:

        storyline serve --db sqlite:///storyline.db --port 8000
    """
    import uvicorn

    from storyline.api import create_app
    from storyline.errors import StorylineError
    from storyline.store import Store

    try:
        store = Store(db)  # opened here, so a bad --db fails before the server starts
    except StorylineError as exc:
        typer.echo(f"error {exc}", err=True)
        raise typer.Exit(1) from exc
    try:
        typer.echo(f"Storyline on http://{host}:{port}/ (API docs at /docs) over {store!r}")
        uvicorn.run(create_app(store=store), host=host, port=port, log_level="info")
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``storyline`` app."""
    app.command()(serve)
