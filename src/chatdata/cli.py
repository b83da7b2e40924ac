"""The `chatdata` command: serve, worker, db upgrade, create-user."""

from __future__ import annotations

import asyncio
from pathlib import Path
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


@app.command()
def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="Worker processes (default: task_workers).")
    ] = None,
    pool: Annotated[str, typer.Option(help="Celery pool: prefork, threads or solo.")] = "prefork",
    loglevel: Annotated[str, typer.Option(help="Log level.")] = "INFO",
) -> None:
    """Run a Celery worker for long tasks (needs task_runner=celery and Redis)."""
    from chatdata.tasks.celery_app import start_worker

    settings = get_settings()
    console.print(f"Celery worker on {settings.redis_url} ({settings.mode} mode)")
    start_worker(settings, concurrency or settings.task_workers, loglevel, pool)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply database migrations."""
    from chatdata.db.migrate import upgrade_database

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings.resolved_database_url, revision)
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
    settings.data_dir.mkdir(parents=True, exist_ok=True)
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


@app.command("eval")
def evaluate(
    questions: Annotated[Path, typer.Argument(help="Questions JSONL (InfiAgent-DABench).")],
    tables: Annotated[Path, typer.Option(help="Folder with the questions' data files.")],
    labels: Annotated[Path | None, typer.Option(help="Labels JSONL (common_answers).")] = None,
    provider: Annotated[str, typer.Option(help="builtin or configured.")] = "builtin",
    limit: Annotated[int | None, typer.Option(help="Only the first N questions.")] = None,
    out: Annotated[Path, typer.Option(help="Per-question results JSONL.")] = Path(
        "eval-results.jsonl"
    ),
    share_conversations: Annotated[
        bool, typer.Option(help="One conversation per data file instead of per question.")
    ] = False,
    backend: Annotated[
        str, typer.Option(help="app (HTTP API in-process) or kernel (provider + sandbox only).")
    ] = "app",
) -> None:
    """Run evaluation questions through the upload and chat API and score the answers."""
    from chatdata.evaluation.command import run_eval_command
    from chatdata.evaluation.runner import RunOptions

    if provider not in {"builtin", "configured"} or backend not in {"app", "kernel"}:
        raise typer.BadParameter("provider: builtin or configured; backend: app or kernel")
    options = RunOptions(provider, limit, share_conversations, get_settings(), backend)
    run_eval_command(questions, tables, labels, options, out, console)
