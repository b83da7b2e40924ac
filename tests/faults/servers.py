"""Throwaway backing services a fault test may stop, kill and start again.

Never the machine's shared PostgreSQL (5432) or Redis (6379): each helper starts its own
server on a free loopback port and removes it afterwards.

- `PostgresServer`: `initdb` + `pg_ctl` into a temp dir (as the `postgres` user when the
  tests run as root, since PostgreSQL refuses to run as root).
- `RedisServer`: `redis-server` in the foreground as a child process, no persistence.
- `MotoS3Server`: moto's S3 server in a child process (the launcher of the storage tests).
- `TcpProxy`: a loopback TCP relay that can drop off the network and come back on the same
  port, so the service behind it "goes away" and returns with its state intact.
- `ServeProcess`: a real `chatdata serve` (uvicorn) process on a data dir.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
import psycopg

from tests.storage.s3server import _LAUNCHER, S3Endpoint, _read_port, dummy_aws_environment

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `predicate` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(0.05)


def port_open(port: int) -> bool:
    """Whether something accepts connections on the loopback port."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((LOOPBACK, port)) == 0


class PostgresServer:
    """A private PostgreSQL cluster in a temp dir; `stop()` and `start()` at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.bin_dir = _postgres_bin_dir()
        self.base = Path(tempfile.mkdtemp(prefix="chatdata-fault-pg-"))
        self.data = self.base / "data"
        self._as_user = _postgres_user_prefix(self.base)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-sync")  # fmt: skip

    def _run(self, tool: str, *args: str) -> None:
        command = [*self._as_user, str(self.bin_dir / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses={LOOPBACK} "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options,
                  "-l", str(self.base / "server.log"), "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop at once (`immediate`: connections are cut, like a crash)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    @property
    def running(self) -> bool:
        """Whether the server accepts connections."""
        return port_open(self.port)

    def create_database(self, name: str) -> str:
        """Create database `name`; its SQLAlchemy asyncpg URL."""
        dsn = f"postgresql://postgres@{LOOPBACK}:{self.port}/postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+asyncpg://postgres@{LOOPBACK}:{self.port}/{name}"

    def close(self) -> None:
        """Stop the server (if it runs) and remove its files."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def _postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin dir (Debian layout), else the PATH's."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return Path(initdb).parent


def _version_key(path: str) -> int:
    version = Path(path).parents[1].name
    return int(version) if version.isdigit() else 0


def _postgres_user_prefix(base: Path) -> list[str]:
    """As root, run the server tools as `postgres` (owning `base`); else as ourselves."""
    if os.geteuid() != 0:
        return []
    user = pwd.getpwnam("postgres")
    os.chown(base, user.pw_uid, user.pw_gid)
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", "--"]


class RedisServer:
    """A private `redis-server` child process without persistence; kill and restart it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="chatdata-fault-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The Redis URL of database 0."""
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> None:
        """Start on the same port as before and wait until it answers."""
        command = ["redis-server", "--port", str(self.port), "--bind", LOOPBACK,
                   "--save", "", "--appendonly", "no", "--daemonize", "no",
                   "--dir", str(self.dir)]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: port_open(self.port), 15, "redis-server start")

    def stop(self) -> None:
        """SIGKILL the server (queued messages are lost, as with a crash)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def close(self) -> None:
        """Stop and remove the working dir."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class MotoS3Server:
    """moto's S3 server in a child process we may SIGKILL."""

    def __init__(self) -> None:
        with dummy_aws_environment():
            self.process = subprocess.Popen(
                [sys.executable, "-c", _LAUNCHER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # moto logs every request
                env=dict(os.environ),
                text=True,
            )
        self.endpoint = S3Endpoint(url=f"http://{LOOPBACK}:{_read_port(self.process, 30)}")

    @property
    def port(self) -> int:
        """The port moto listens on."""
        return int(self.endpoint.url.rsplit(":", 1)[1])

    def kill(self) -> None:
        """SIGKILL the server: every connection drops, nothing listens any more."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def close(self) -> None:
        """Kill (if still running) and release the pipes."""
        self.kill()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


class TcpProxy:
    """Relay a loopback port to `target_port`; `cut()` drops off the network (listener and
    every open connection closed), `restore()` listens on the same port again."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self.restore()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://{LOOPBACK}:{self.port}"

    def restore(self) -> None:
        """Listen again (same port) and relay new connections."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOOPBACK, self.port))
        listener.listen(64)
        self._listener = listener
        self._spawn(self._accept_loop, listener)

    def cut(self) -> None:
        """Stop listening and reset every relayed connection."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        """Cut and join the relay threads."""
        self.cut()
        for thread in self._threads:
            thread.join(timeout=5)

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection((LOOPBACK, self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            self._spawn(_pump, client, upstream)
            self._spawn(_pump, upstream, client)


def _pump(source: socket.socket, sink: socket.socket) -> None:
    """Copy bytes until either side closes."""
    try:
        while data := source.recv(1 << 16):
            sink.sendall(data)
    except OSError:
        pass
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


class ServeProcess:
    """`chatdata serve` on a free port with `env` (a data dir, settings); kill -9 at will."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The API base URL."""
        return f"http://{LOOPBACK}:{self.port}/api/v1"

    def start(self, timeout: float = 90) -> None:
        """Start and wait until `/health` answers 200."""
        command = [sys.executable, "-m", "chatdata", "serve", "--host", LOOPBACK,
                   "--port", str(self.port)]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        wait_until(self._healthy, timeout, f"chatdata serve start (log {self.log})")

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{self.log.read_text()[-3000:]}")
        try:
            return httpx.get(f"{self.url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def descendants(self) -> list[psutil.Process]:
        """The server's child processes (kernels and their sandboxes)."""
        assert self.process is not None
        return psutil.Process(self.process.pid).children(recursive=True)

    def kill(self) -> None:
        """SIGKILL the server process (only it: what it started must die on its own)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """Graceful stop (SIGTERM), then SIGKILL if it hangs."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
