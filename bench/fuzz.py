"""The long API fuzzing run: schemathesis against a running server, many examples per operation.

    python -m bench.fuzz                          # starts `chatdata serve` (SQLite), 200 each
    python -m bench.fuzz --examples 1000 --seed 7
    python -m bench.fuzz --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/fuzz
    python -m bench.fuzz --url http://127.0.0.1:8000   # a server already running

The same engine and checks as `tests/security/test_fuzz_api.py` (no 5xx, documented status
codes and content types, bodies matching the schema, every error in the one error shape),
with seeded objects so requests reach real data. A server it starts gets a platform admin
(created in its database, as `chatdata create-user` does); against `--url` it registers a
plain user, so the admin routes answer 403. Prints the operations tested, examples run and
every failure found; exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

import requests
from tests.security.fuzz_engine import (
    API,
    PASSWORD,
    FuzzReport,
    create_account,
    fuzz_api,
    seed_objects,
    sign_in,
)

from bench.common import running_server
from chatdata.config import Settings


def fuzz_running(url: str, email: str, examples: int, seed: int) -> FuzzReport:
    """Seed objects as `email` (an existing account) and fuzz the server at `url`."""
    target = seed_objects(url, sign_in(url, email))
    return fuzz_api(target, examples, seed)


def fuzz_own_server(examples: int, seed: int, database_url: str | None) -> FuzzReport:
    """Start `chatdata serve` on a fresh data dir, create its admin, fuzz it."""
    env = {"CHATDATA_DATABASE_URL": database_url} if database_url else {}
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        data_dir = Path(tmp)
        with running_server(data_dir, **env) as (url, _process):
            email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
            settings = Settings(data_dir=data_dir, database_url=database_url)
            create_account(settings, email, "admin")
            return fuzz_running(url, email, examples, seed)


def register(url: str) -> str:
    """A new plain account on a server we do not own; its email."""
    email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "username": "fuzzer", "password": PASSWORD}
    requests.post(f"{url}{API}/auth/register", json=body, timeout=30).raise_for_status()
    return email


def main() -> int:
    """Run, print the report, exit 1 on any finding."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="examples per operation")
    parser.add_argument("--seed", type=int, default=0, help="Hypothesis seed")
    parser.add_argument("--url", help="fuzz this running server instead of starting one")
    parser.add_argument("--database-url", help="database of the server this run starts")
    args = parser.parse_args()
    if args.url:
        report = fuzz_running(args.url.rstrip("/"), register(args.url), args.examples, args.seed)
    else:
        report = fuzz_own_server(args.examples, args.seed, args.database_url)
    print(report.summary())
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
