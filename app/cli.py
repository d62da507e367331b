"""The `vpr` command line: serve, migrate, seed."""

from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from app.core import migrations
from app.core.config import get_settings
from app.core.db import get_engine

app = typer.Typer(
    help="VP Registry: the Voluntary Principles registry service.", no_args_is_help=True
)
console = Console()


def _migrate(downgrade_to: str | None = None) -> None:
    with get_engine().begin() as connection:
        before = migrations.current_revision(connection)
        if downgrade_to is None:
            migrations.upgrade(connection)
        else:
            migrations.downgrade(connection, downgrade_to)
        after = migrations.current_revision(connection)
    console.print(f"schema: {before or 'empty'} -> {after or 'empty'}")


def _seed() -> None:
    from seed.loader import load_seed  # noqa: PLC0415 - keeps `vpr serve` start-up lean

    with Session(get_engine()) as session:
        inserted = load_seed(session)
    if not inserted:
        console.print("seed: nothing new to add")
        return
    table = Table("seeded", "rows")
    for kind, count in sorted(inserted.items()):
        table.add_row(kind, str(count))
    console.print(table)


@app.command()
def migrate(
    downgrade: Annotated[
        str | None,
        typer.Option(help="Downgrade to this revision (use 'base' for an empty schema)."),
    ] = None,
) -> None:
    """Upgrade the schema to the newest revision, or downgrade it to a given one."""
    _migrate(downgrade)


@app.command()
def seed() -> None:
    """Add the registry's initial data; safe to run again (adds only what is missing)."""
    _seed()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    prepare: Annotated[
        bool, typer.Option(help="Migrate and seed first (the zero-setup SQLite path).")
    ] = False,
) -> None:
    """Run the HTTP service with Uvicorn."""
    if prepare:
        _migrate()
        _seed()
    settings = get_settings()
    console.print(f"VP Registry on http://{host}:{port} (docs at /docs)")
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
    )
