"""The `chatdata` command: serve, db upgrade, create-user."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from chatdata.config import get_settings

app = typer.Typer(help="Chat Data Platform", no_args_is_help=True)
db_app = typer.Typer(help="Database commands", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Run the web server (migrations run on start-up)."""
    import uvicorn

    settings = get_settings()
    console.print(f"Chat Data Platform on http://{host}:{port} ({settings.mode} mode)")
    uvicorn.run(
        "chatdata.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level=settings.log_level.lower(),
        access_log=False,
    )


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply database migrations."""
    from chatdata.db.migrate import upgrade_database

    upgrade_database(get_settings().resolved_database_url, revision)
    console.print(f"database upgraded to {revision}")


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(help="Email address (sign-in name).")],
    password: Annotated[str, typer.Option(help="Password.", prompt=True, hide_input=True)],
    username: Annotated[str | None, typer.Option(help="Display name.")] = None,
    role: Annotated[str, typer.Option(help="user, admin or superadmin.")] = "user",
) -> None:
    """Create a user (e.g. the first superadmin). Migrations are applied first."""
    if role not in {"user", "admin", "superadmin"}:
        raise typer.BadParameter("role must be user, admin or superadmin")
    from chatdata.errors import AppError

    try:
        user_id = asyncio.run(_create_user(email, password, username or email.split("@")[0], role))
    except AppError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"created {role} {email} ({user_id})")


async def _create_user(email: str, password: str, username: str, role: str) -> str:
    from chatdata.auth.service import check_password_policy
    from chatdata.auth.service import create_user as create
    from chatdata.db.migrate import upgrade_database
    from chatdata.runtime import Runtime

    settings = get_settings()
    await asyncio.to_thread(upgrade_database, settings.resolved_database_url)
    check_password_policy(password, email, settings.password_min_length)
    runtime = Runtime.build(settings)
    try:
        async with runtime.sessions() as session:
            user = await create(
                session, email=email, username=username, password=password, role=role
            )
            await session.commit()
            return str(user.id)
    finally:
        await runtime.close()
