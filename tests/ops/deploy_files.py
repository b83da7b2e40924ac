"""Readers for the deployment kit in `deploy/`: settings names, CLI commands, systemd units,
nginx configs. Used by `test_deploy_docs.py`."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import typer.main

from chatdata.cli import app as cli_app
from chatdata.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTING_VAR = re.compile(r"\bCHATDATA_[A-Z0-9_]*[A-Z0-9]\b")


def setting_names() -> set[str]:
    """Every environment variable the Settings class reads."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    return {f"{prefix}{name}".upper() for name in Settings.model_fields}


def unknown_settings(text: str) -> set[str]:
    """`CHATDATA_*` names in `text` that are no setting (`X_FILE` counts as `X`, which the
    container entry point reads from the file)."""
    known = setting_names()
    found = set(SETTING_VAR.findall(text))
    return {name for name in found if name not in known and name.removesuffix("_FILE") not in known}


def cli_problem(command: list[str]) -> str | None:
    """Why `command` (`chatdata ...`) is not a valid CLI call, or None when it is."""
    if not command or Path(command[0]).name != "chatdata":
        return f"not a chatdata command: {command}"
    current: Any = typer.main.get_command(cli_app)  # typer's own click types
    words = list(command[1:])
    while hasattr(current, "commands"):
        if not words or words[0] not in current.commands:
            return f"no such subcommand in {command}"
        current = current.commands[words.pop(0)]
    options = {opt for param in current.params for opt in param.opts}
    unknown = [
        w.split("=")[0] for w in words if w.startswith("--") and w.split("=")[0] not in options
    ]
    return f"unknown options {unknown} in {command}" if unknown else None


def unit_entries(path: Path) -> dict[str, list[str]]:
    """A systemd unit's `Key=value` lines, by key (keys may repeat)."""
    entries: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        entries.setdefault(key.strip(), []).append(value.strip())
    return entries


def exec_start(path: Path) -> list[str]:
    """The unit's ExecStart command line, split."""
    return shlex.split(unit_entries(path)["ExecStart"][0])


def nginx_blocks_balanced(text: str) -> bool:
    """Braces open and close in order (outside comments and quotes)."""
    depth = 0
    for line in text.splitlines():
        code = re.sub(r'"[^"]*"', "", line.split("#", 1)[0])
        for char in code:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                return False
    return depth == 0


def nginx_affinity_pattern(text: str) -> re.Pattern[str]:
    """The regex of the `map $uri $chatdata_affinity` block, as a Python pattern."""
    block = text[text.index("map $uri $chatdata_affinity") :]
    match = re.search(r'"~(\^[^"]+)"', block)
    assert match, "the affinity map has no regex"
    return re.compile(match.group(1).replace("(?<", "(?P<"))


def nginx_locations(text: str) -> list[str]:
    """The paths of `location` blocks (exact, prefix or regex)."""
    return re.findall(r"location\s+(?:=\s+|~\s+)?(\S+)\s*\{", text)


def nginx_upstream_servers(text: str) -> list[str]:
    """`host:port` of the servers in the `chatdata_api` upstream."""
    block = text[text.index("upstream chatdata_api") :].split("}", 1)[0]
    return re.findall(r"^\s*server\s+(\S+)", block, flags=re.MULTILINE)
