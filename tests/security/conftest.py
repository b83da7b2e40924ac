"""Security fixtures: the host target (secrets, listening services) and a real sandbox.

These tests need real bubblewrap and never skip: without it `mode="bwrap"` raises and
every test here errors loudly.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import polars as pl
import pytest

import chatdata
from chatdata.sandbox import DatasetMount, KernelManager, SandboxLimits
from tests.security.escape_cases import Target, host_secret_env, victim_code

SECURITY_LIMITS = SandboxLimits(
    memory_mb=2048,
    max_processes=64,
    max_file_mb=16,
    scratch_mb=64,
    tmp_mb=32,
    timeout_seconds=60.0,
    interrupt_grace_seconds=1.5,
    start_timeout_seconds=120.0,
    output_cap_bytes=20_000,
    sample_rows=1000,
)
LIMIT_VALUES = {
    "memory_mb": SECURITY_LIMITS.memory_mb,
    "max_processes": SECURITY_LIMITS.max_processes,
    "max_file_mb": SECURITY_LIMITS.max_file_mb,
    "scratch_mb": SECURITY_LIMITS.scratch_mb,
    "tmp_mb": SECURITY_LIMITS.tmp_mb,
    "output_cap_bytes": SECURITY_LIMITS.output_cap_bytes,
}
VICTIM = "victim"


def host_ip() -> str:
    """A non-loopback address of this host (no packet is sent), else loopback."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def serve_http(hits: list[str]) -> http.server.ThreadingHTTPServer:
    """An HTTP server on all host interfaces that records every request."""

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"a,b\n1,2\n")

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("0.0.0.0", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve_udp(received: list[bytes]) -> socket.socket:
    """A UDP socket on all host interfaces that records every datagram."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", 0))

    def receive() -> None:
        while True:
            try:
                received.append(sock.recv(4096))
            except OSError:
                return

    threading.Thread(target=receive, daemon=True).start()
    return sock


def serve_abstract(name: str, accepted: list[int]) -> socket.socket:
    """An abstract-namespace unix socket on the host that records connections."""
    sock = socket.socket(socket.AF_UNIX)
    sock.bind("\0" + name)
    sock.listen(8)

    def accept() -> None:
        while True:
            try:
                connection, _ = sock.accept()
            except OSError:
                return
            accepted.append(1)
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    return sock


def serve_unix_path(path: Path, accepted: list[int]) -> socket.socket:
    """A unix socket at a host path that records connections (as a host service would)."""
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.listen(8)

    def accept() -> None:
        while True:
            try:
                connection, _ = sock.accept()
            except OSError:
                return
            accepted.append(1)
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    return sock


def shadow_first_line() -> list[str]:
    """The host's first /etc/shadow line, when this process can read it."""
    try:
        line = Path("/etc/shadow").read_text().splitlines()[0]
    except (OSError, IndexError):
        return []
    return [line] if len(line) > 8 else []


@pytest.fixture(scope="package")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """Secrets in the server's environment and data dir, services listening on the host."""
    secrets = host_secret_env()
    saved = {name: os.environ.get(name) for name in secrets}
    os.environ.update(secrets)
    data_dir = tmp_path_factory.mktemp("server-data")
    jwt_file = data_dir / ".jwt_secret"
    jwt_value = "jwt-file-" + os.urandom(12).hex()
    jwt_file.write_text(jwt_value)
    jwt_file.chmod(0o600)
    (data_dir / "chatdata.db").write_text("database " + jwt_value)
    dataset = data_dir / "datasets" / "sales.parquet"
    dataset.parent.mkdir()
    pl.DataFrame({"region": ["north", "south"], "amount": [1.5, 2.5]}).write_parquet(dataset)
    dataset.chmod(0o644)
    hits: list[str] = []
    datagrams: list[bytes] = []
    accepted: list[int] = []
    http_server = serve_http(hits)
    udp = serve_udp(datagrams)
    abstract_name = "chatdata-escape-" + os.urandom(6).hex()
    abstract = serve_abstract(abstract_name, accepted)
    unix_connections: list[int] = []
    unix_socket = serve_unix_path(data_dir / "service.sock", unix_connections)
    marker = "victim-" + os.urandom(12).hex()
    found = Target(
        secrets=[*secrets.values(), jwt_value, marker, *shadow_first_line()],
        secret_env_name=next(iter(secrets)),
        server_data_dir=data_dir,
        jwt_secret_file=jwt_file,
        repo_dir=Path(chatdata.__file__).resolve().parents[2],
        dataset_path=dataset,
        http_port=http_server.server_address[1],
        udp_port=udp.getsockname()[1],
        abstract_socket=abstract_name,
        host_unix_socket=data_dir / "service.sock",
        host_ip=host_ip(),
        host_pid=os.getpid(),
        host_tmp_probe=Path("/tmp") / f"chatdata-escape-{os.urandom(6).hex()}",
        victim_marker=marker,
        limits=LIMIT_VALUES,
        http_hits=hits,
        udp_datagrams=datagrams,
        abstract_connections=accepted,
        unix_connections=unix_connections,
    )
    found.remember_host_state()
    yield found
    http_server.shutdown()
    udp.close()
    abstract.close()
    unix_socket.close()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="package")
async def sandbox(
    target: Target, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[KernelManager]:
    """A bubblewrap manager (never the fallback) with a victim conversation running."""
    manager = KernelManager(
        runtime_dir=tmp_path_factory.mktemp("security-runtime"),
        limits=SECURITY_LIMITS,
        mode="bwrap",
        pool_size=1,
    )
    await manager.start()
    assert manager.status()["isolated"] is True
    victim = await manager.execute(
        VICTIM, victim_code(target.victim_marker), datasets=datasets_of(target)
    )
    assert victim.status == "ok", victim.outputs
    yield manager
    await manager.shutdown()


def datasets_of(target: Target) -> list[DatasetMount]:
    """The conversation's dataset: the target's Parquet file."""
    return [DatasetMount("sales", target.dataset_path)]
