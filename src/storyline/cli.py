"""The ``storyline`` command: thin wrappers over the library.

Each feature area registers its commands from its own module (``register(app)``), so this file stays
a table of contents.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="storyline",
    help="Turn news articles into sourced knowledge: events, claims, entities, places, dates, stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from storyline.api.commands import register as register_serve
    from storyline.commands import register as register_core
    from storyline.evaluate.commands import register as register_eval
    from storyline.export.commands import register as register_export

    register_core(app)
    register_eval(app)
    register_serve(app)
    register_export(app)


def main() -> None:
    _register()
    app()
