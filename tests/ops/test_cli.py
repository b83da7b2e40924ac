"""The CLI on a fresh machine: the data dir does not exist yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from chatdata.app import create_app
from chatdata.config import Settings


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHATDATA_DATA_DIR": str(data_dir)}
    env.pop("CHATDATA_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "chatdata", *args], env=env, capture_output=True, text=True
    )


def test_db_upgrade_and_create_user_on_a_missing_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "does" / "not" / "exist"
    upgraded = run_cli(data_dir, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (data_dir / "chatdata.db").exists()
    created = run_cli(
        data_dir, "create-user", "--email", "root@example.com", "--password", "super-secret-1",
        "--role", "superadmin",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "created superadmin root@example.com" in created.stdout
    weak = run_cli(data_dir, "create-user", "--email", "x@example.com", "--password", "weak")
    assert weak.returncode == 1 and "at least 10 characters" in weak.stdout


async def test_app_starts_on_a_missing_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    app = create_app(Settings(data_dir=data_dir, log_level="WARNING", kernel_pool_size=0))
    async with app.router.lifespan_context(app):
        assert (data_dir / "chatdata.db").exists()
        assert (data_dir / ".jwt_secret").stat().st_mode & 0o777 == 0o600
