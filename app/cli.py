"""The `vpr` command line: serve, migrate, seed."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.table import Table

from app import read_model
from app.backup.service import BackupError
from app.backup.service import Summary as BackupSummary
from app.backup.service import backup as run_backup
from app.backup.service import restore as run_restore
from app.core import migrations
from app.core.config import get_settings
from app.core.db import get_engine, new_session
from app.core.errors import DomainError
from app.core.logs import configure_logging
from app.core.types import utcnow
from app.engines.base import UnsupportedError
from app.keys import service as keys
from app.keys.models import Role

app = typer.Typer(
    help="VP Registry: the Voluntary Principles registry service.", no_args_is_help=True
)
keys_app = typer.Typer(help="API keys: create, list, revoke, rotate.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
console = Console()
CLI_ACTOR = "cli"


@contextmanager
def _domain_errors_exit() -> Iterator[None]:
    """Print the registry's refusal (unknown key, bad company, ...) and exit with status 2."""
    try:
        yield
    except DomainError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(code=2) from exc


def _migrate(downgrade_to: str | None = None) -> None:
    engine = get_engine()
    with engine.connect() as connection:
        before = migrations.current_revision(connection)
    if downgrade_to is None:
        migrations.upgrade(engine)
    else:
        migrations.downgrade(engine, downgrade_to)
    with engine.connect() as connection:
        after = migrations.current_revision(connection)
    console.print(f"schema: {before or 'empty'} -> {after or 'empty'}")
    if downgrade_to is None:
        from app import read_model  # noqa: PLC0415 - as above
        from app.log.backfill import backfill  # noqa: PLC0415 - keeps `vpr serve` start-up lean

        with new_session() as session, session.begin():
            added = backfill(session)
            filled = read_model.fill(session)
        if added:
            console.print(f"log: {added} earlier public changes logged")
        if filled:
            console.print(f"read models: {filled} missing documents and rows filled")


def _seed() -> None:
    from app.seeding.loader import load_seed  # noqa: PLC0415 - keeps `vpr serve` start-up lean

    with new_session() as session:
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
    app_role: Annotated[
        str | None,
        typer.Option(
            help="PostgreSQL: after upgrading, let this role (the one `vpr serve` connects as) "
            "read and write rows, and nothing more: it owns no table."
        ),
    ] = None,
) -> None:
    """Upgrade the schema to the newest revision, or downgrade it to a given one."""
    _migrate(downgrade)
    if app_role is not None:
        try:
            migrations.grant_to_app_role(get_engine(), app_role)
        except UnsupportedError as exc:
            console.print(f"--app-role: {exc}")
            raise typer.Exit(code=2) from exc
        console.print(f"granted row access to {app_role}; it owns nothing")


@app.command()
def rebuild() -> None:
    """Recompute the read models (statuses, published statuses, counts) from the history."""
    with new_session() as session:
        companies = read_model.rebuild(session)
    console.print(f"rebuilt the read models of {companies} companies from their history")


@app.command()
def seed() -> None:
    """Add the registry's initial data; safe to run again (adds only what is missing)."""
    _seed()


def _print_summary(verb: str, summary: BackupSummary) -> None:
    table = Table("table", "rows")
    for name, count in summary.rows.items():
        table.add_row(name, str(count))
    console.print(table)
    console.print(f"{verb}: revision {summary.revision}, checksum {summary.checksum}")


@app.command()
def backup(
    path: Annotated[Path, typer.Argument(help="File to write (.jsonl, or .jsonl.gz to compress).")],
) -> None:
    """Export the whole registry (keys' hashes included) to one file, from one snapshot."""
    _print_summary("backed up", run_backup(get_engine(), path))


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="A file written by `vpr backup`.", exists=True)],
) -> None:
    """Import a backup into an empty database (VPR_DATABASE_URL), checking its checksum."""
    try:
        summary = run_restore(get_engine(), path)
    except BackupError as exc:
        console.print(f"[red]restore refused: {exc}[/red]")
        raise typer.Exit(code=2) from exc
    _print_summary("restored", summary)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    prepare: Annotated[
        bool, typer.Option(help="Migrate and seed first (the zero-setup SQLite path).")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (default VPR_WORKERS, 1).", min=1, max=64),
    ] = None,
) -> None:
    """Run the HTTP service with Uvicorn."""
    if prepare:
        _migrate()
        _seed()
    settings = get_settings()
    processes = workers or settings.workers
    console.print(f"VP Registry on http://{host}:{port} (docs at /docs), {processes} worker(s)")
    configure_logging(settings.log_level)
    trusted = settings.trusted_proxies.strip()
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=processes,
        log_config=None,  # keep the JSON logging configured above
        log_level=settings.log_level.lower(),
        # X-Forwarded-For and -Proto are believed only from the proxies named: from anyone
        # else they would let a client pick the address its limits are counted against.
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
        server_header=False,  # do not advertise the server software (OWASP API8)
        http="app.http.server_protocol:HeaderDeadlineProtocol",  # headers that stall time out
    )


@app.command()
def verify(
    url: Annotated[str, typer.Argument(help="The registry, e.g. https://registry.example")],
    key: Annotated[str, typer.Option(help="The log's verifier key (GET /api/v1/log/key).")],
    checkpoint: Annotated[
        Path | None, typer.Option(help="A checkpoint saved earlier: the log must extend it.")
    ] = None,
    record: Annotated[
        list[str] | None, typer.Option(help="A record's API URL (repeat for several).")
    ] = None,
    save: Annotated[Path | None, typer.Option(help="Save the new checkpoint here.")] = None,
) -> None:
    """Check the registry's log: its signed checkpoint, that it extends a saved one, and that
    each record is in it with the public state it shows now (exit 1, naming what failed)."""
    from app.log.verifier import main as verify_main  # noqa: PLC0415

    argv = [url, "--key", key]
    argv += ["--checkpoint", str(checkpoint)] if checkpoint else []
    argv += [arg for found in record or [] for arg in ("--record", found)]
    argv += ["--save", str(save)] if save else []
    raise typer.Exit(code=verify_main(argv))


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="admin, government, ngo or company.")],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "unnamed",
    company: Annotated[str | None, typer.Option(help="Company slug (company keys).")] = None,
    government: Annotated[
        str | None, typer.Option(help="Government or body (government keys).")
    ] = None,
    expires_in_days: Annotated[int | None, typer.Option(min=1, max=3650)] = None,
) -> None:
    """Create a key. The key itself is printed once, alone on the last line."""
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    spec = keys.KeySpec(role, name, company, government, expires_at)
    with new_session() as session, _domain_errors_exit():
        issued = keys.issue_key(session, spec, created_by=CLI_ACTOR)
    console.print(f"created {role} key {issued.key.key_id} ({name}); store it now:")
    print(issued.plaintext)


@keys_app.command("list")
def keys_list() -> None:
    """Every key with its role and owner; never the secret."""
    table = Table("name", "role", "owner", "created", "last used", "expires", "revoked")
    table.add_column("id", no_wrap=True, min_width=8)
    with new_session() as session:
        for row in keys.list_keys(session):
            key = row.key
            table.add_row(
                key.name,
                key.role,
                row.company_slug or key.government or "",
                f"{key.created_at:%Y-%m-%d}",
                f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "",
                f"{key.expires_at:%Y-%m-%d}" if key.expires_at else "",
                f"{key.revoked_at:%Y-%m-%d}" if key.revoked_at else "",
                key.key_id,
            )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's 8-character id.")]) -> None:
    """Revoke a key at once."""
    with new_session() as session, _domain_errors_exit():
        keys.revoke_key(session, key_id, CLI_ACTOR)
    console.print(f"revoked {key_id}")


@keys_app.command("rotate")
def keys_rotate(key_id: Annotated[str, typer.Argument(help="The key's 8-character id.")]) -> None:
    """Replace a key with a new one (same role and owner); printed alone on the last line."""
    with new_session() as session, _domain_errors_exit():
        issued = keys.rotate_key(session, key_id, created_by=CLI_ACTOR)
    console.print(f"{key_id} revoked; its replacement is {issued.key.key_id}; store it now:")
    print(issued.plaintext)


if __name__ == "__main__":
    app()
