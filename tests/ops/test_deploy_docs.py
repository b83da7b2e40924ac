"""The deployment kit cannot drift from the code: the settings reference is the generated
one; every `CHATDATA_*` variable in deploy/ is a real setting; the compose file, systemd
units and entry point run commands the CLI has; nginx routes paths the app serves and keeps
a conversation on one instance. `docker compose config` and `systemd-analyze verify` run
too where those tools exist."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import yaml
from fastapi.routing import iter_route_contexts

from chatdata.app import create_app
from chatdata.config import Settings
from tests.ops.deploy_files import (
    DEPLOY,
    ROOT,
    cli_problem,
    exec_start,
    nginx_affinity_pattern,
    nginx_blocks_balanced,
    nginx_locations,
    nginx_upstream_servers,
    unit_entries,
    unknown_settings,
)

UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
NGINX = [DEPLOY / "nginx.conf", DEPLOY / "nginx-compose.conf"]
# systemd options that stop bubblewrap (namespaces, /proc overmounts): never in the units.
BWRAP_BREAKERS = {"PrivateUsers", "RestrictNamespaces", "ProtectKernelTunables", "ProtectProc"}


def compose() -> dict[str, Any]:
    """docker-compose.yml parsed (YAML anchors and merge keys resolved)."""
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    return data


def test_settings_reference_is_generated_from_settings() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_settings_reference", ROOT / "scripts" / "gen_settings_reference.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (DEPLOY / "settings-reference.md").read_text(encoding="utf-8")
    assert committed == module.render(), "run: .venv/bin/python scripts/gen_settings_reference.py"
    for name in Settings.model_fields:
        assert f"`CHATDATA_{name.upper()}`" in committed
    secret_rows = [r for r in committed.splitlines() if "| secret |" in r]
    assert len(secret_rows) >= 4 and all("| unset |" in r for r in secret_rows)


def test_every_chatdata_variable_in_deploy_is_a_setting() -> None:
    files = [
        p
        for p in DEPLOY.rglob("*")
        if p.is_file() and p.name != "settings-reference.md" and "secrets" not in p.parts
    ]
    assert len(files) >= 10
    for path in files:
        assert unknown_settings(path.read_text()) == set(), path


def _docker_compose_config_problem(tmp_path: Path) -> str | None:
    """What `docker compose config` says is wrong with the file (None when it accepts it).
    Only called where the compose plugin exists; the structural checks run everywhere."""
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("secrets"))
    subprocess.run(["sh", str(copy / "make-secrets.sh")], check=True, capture_output=True)
    checked = subprocess.run(
        ["docker", "compose", "-f", str(copy / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return None if checked.returncode == 0 else checked.stderr


def _compose_plugin_present() -> bool:
    if shutil.which("docker") is None:
        return False
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return plugin.returncode == 0


def test_compose_services_use_real_commands_and_secrets(tmp_path: Path) -> None:
    spec = compose()
    services = spec["services"]
    apis = sorted(name for name in services if name.startswith("api-"))
    assert {"postgres", "redis", "minio", "migrate", "worker", "nginx"} <= set(services)
    assert len(apis) >= 2
    own = {name: s for name, s in services.items() if s.get("image") == "chatdata:local"}
    assert set(own) == {"migrate", "worker", *apis}
    for name, service in own.items():
        assert cli_problem(service["command"]) is None, name
        assert (ROOT / service["build"]["dockerfile"]).is_file()
        env = service["environment"]
        assert env["CHATDATA_STORAGE_BACKEND"] == "s3" and env["CHATDATA_TASK_RUNNER"] == "celery"
        assert env["CHATDATA_MIGRATE_ON_START"] == "false"
        for var, value in env.items():
            if var.endswith("_FILE"):
                secret = value.removeprefix("/run/secrets/")
                assert secret in service["secrets"] and secret in spec["secrets"], (name, var)
    assert services["migrate"]["command"][1:] == ["db", "upgrade"]
    for name in apis:
        api = services[name]
        assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert {"seccomp=unconfined", "systempaths=unconfined"} <= set(api["security_opt"])
        assert api["environment"]["CHATDATA_SANDBOX_MODE"] == "bwrap"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"].startswith("/run/secrets")
    if _compose_plugin_present():  # the real parser too, where the machine has it
        assert _docker_compose_config_problem(tmp_path) is None


def test_make_secrets_creates_every_compose_secret(tmp_path: Path) -> None:
    target = tmp_path / "secrets"
    subprocess.run(
        ["sh", str(DEPLOY / "make-secrets.sh"), str(target)], check=True, capture_output=True
    )
    declared = {Path(s["file"]).name for s in compose()["secrets"].values()}
    assert {p.name for p in target.iterdir()} == declared
    password = (target / "postgres_password").read_text().strip()
    assert f"chatdata:{password}@postgres:5432/chatdata" in (target / "database_url").read_text()
    first = (target / "jwt_secret").read_text()
    subprocess.run(
        ["sh", str(DEPLOY / "make-secrets.sh"), str(target)], check=True, capture_output=True
    )
    assert len(first.strip()) >= 64 and (target / "jwt_secret").read_text() == first  # kept


def test_entrypoint_turns_secret_files_into_settings(tmp_path: Path) -> None:
    (tmp_path / "jwt").write_text("a secret value\n")
    (tmp_path / "empty").write_text("")
    env = {
        "PATH": "/usr/bin:/bin",
        "CHATDATA_JWT_SECRET_FILE": str(tmp_path / "jwt"),
        "CHATDATA_LLM_API_KEY_FILE": str(tmp_path / "empty"),
        "CHATDATA_S3_BUCKET": "kept",
    }
    shown = subprocess.run(
        ["sh", str(DEPLOY / "docker-entrypoint.sh"), "env"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    variables = dict(line.split("=", 1) for line in shown.splitlines())
    assert variables["CHATDATA_JWT_SECRET"] == "a secret value"
    assert variables["CHATDATA_S3_BUCKET"] == "kept"
    assert not any(name.endswith("_FILE") or "LLM_API_KEY" in name for name in variables)


def test_systemd_units_run_real_commands_and_keep_bwrap_working() -> None:
    assert {u.name for u in UNITS} == {
        "chatdata-api@.service", "chatdata-worker@.service", "chatdata-migrate.service",
    }  # fmt: skip
    for unit in UNITS:
        entries = unit_entries(unit)
        assert cli_problem(exec_start(unit)) is None, unit
        assert entries["User"] == ["chatdata"] and not BWRAP_BREAKERS & set(entries), unit
        assert "/etc/chatdata/chatdata.env" in entries["EnvironmentFile"]
    api = unit_entries(DEPLOY / "systemd" / "chatdata-api@.service")
    assert "CHATDATA_MIGRATE_ON_START=false" in api["Environment"]
    assert "CHATDATA_DATA_DIR=/var/lib/chatdata/api-%i" in api["Environment"]
    assert exec_start(DEPLOY / "systemd" / "chatdata-api@.service")[-2:] == ["--port", "%i"]


def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    assert shutil.which("systemd-analyze"), "systemd-analyze (Debian package systemd) is needed"
    installed = Path(sys.executable).with_name("chatdata")
    names = {"chatdata-api@.service": "chatdata-api@8001.service"}
    names["chatdata-worker@.service"] = "chatdata-worker@1.service"
    for unit in UNITS:
        text = unit.read_text().replace("/opt/chatdata/venv/bin/chatdata", str(installed))
        (tmp_path / names.get(unit.name, unit.name)).write_text(text)
    verified = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(p.name for p in tmp_path.iterdir())],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )  # fmt: skip
    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr


def test_nginx_routes_app_paths_and_keeps_conversations_on_one_instance() -> None:
    app = create_app(Settings(migrate_on_start=False, log_level="WARNING"))
    routes = [str(c.path) for c in iter_route_contexts(app.routes) if getattr(c, "methods", None)]
    concrete = [re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path) for path in routes]
    conversation = str(uuid.uuid4())
    for path in NGINX:
        text = path.read_text()
        assert nginx_blocks_balanced(text), path
        assert "hash $chatdata_affinity consistent;" in text
        pattern = nginx_affinity_pattern(text)
        match = pattern.match(f"/api/v1/conversations/{conversation}/chat")
        assert match and match.group("conversation") == conversation
        assert not pattern.match("/api/v1/conversations") and not pattern.match("/api/v1/datasets")
        for location in nginx_locations(text):
            if location == "/":
                continue
            regex = re.compile(location) if location.startswith("^") else None
            served = [p for p in concrete if (regex.match(p) if regex else p.startswith(location))]
            assert served, f"{path.name}: no app route under {location}"
        assert "proxy_buffering off;" in text and "proxy_request_buffering off;" in text
    servers = nginx_upstream_servers((DEPLOY / "nginx-compose.conf").read_text())
    apis = sorted(name for name in compose()["services"] if name.startswith("api-"))
    assert sorted(s.split(":")[0] for s in servers) == apis


def test_guide_is_linked_and_names_existing_files() -> None:
    guide = (DEPLOY / "README.md").read_text()
    assert "deploy/README.md" in (ROOT / "README.md").read_text()
    named = set(re.findall(r"`((?:systemd/)?[\w.@-]+\.(?:md|yml|conf|service|sh|example))`", guide))
    named |= {"Dockerfile"}
    assert len(named) >= 10
    for name in named:
        assert (DEPLOY / name).is_file() or (DEPLOY / "systemd" / name).is_file(), name
    for command in re.findall(r"(chatdata (?:serve|worker|db upgrade)[^`\n]*)", guide):
        words = command.split()
        assert cli_problem([w for w in words if not w.startswith("<")]) is None, command
