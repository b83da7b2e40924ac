"""Sandbox escape attempts as data: each case is code plus a check of what it achieved.

The cases do not know how they are run: a runner (KernelManager.execute here, the HTTP
execute endpoint elsewhere) renders a case's code against a `Target` describing the
host (secrets, listening services, files), runs it in a conversation, turns the
response into an `Outcome`, and calls `case.verify(outcome, target)`. Every case must
show the attack failing by its effect: no secret in the output, nothing received by
the host's services, host files unchanged (see `Target.assert_host_intact`).

Attack code deliberately dodges the static check (it is a courtesy, not the wall):
modules are loaded through `getattr(importlib, "import_" + "module")`, names are built
from pieces. It reports with `_blocked(...)` or `_escaped(...)`, whose printed words are
assembled at run time so a traceback quoting the code can never fake either.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

BLOCKED = "BLOCKED"
ESCAPED = "ESCAPED"
PRELUDE = """\
import importlib as _il, os, sys, json
_load = getattr(_il, "import_" + "module")
def _blocked(*why): print("BLO" + "CKED", *why)
def _escaped(*what): print("ESC" + "APED", *what)
"""


@dataclass
class Target:
    """What the attacks aim at on the host, and the host-side evidence of success."""

    secrets: list[str]
    secret_env_name: str
    server_data_dir: Path
    jwt_secret_file: Path
    repo_dir: Path
    dataset_path: Path
    http_port: int
    udp_port: int
    abstract_socket: str
    host_unix_socket: Path
    host_ip: str
    host_pid: int
    host_tmp_probe: Path
    victim_marker: str
    limits: dict[str, int]
    http_hits: list[str] = field(default_factory=list)
    udp_datagrams: list[bytes] = field(default_factory=list)
    abstract_connections: list[int] = field(default_factory=list)
    unix_connections: list[int] = field(default_factory=list)
    dataset_fingerprint: tuple[str, int] = ("", 0)
    jwt_fingerprint: str = ""

    def remember_host_state(self) -> None:
        """Record the dataset and secret file as they are before any attack."""
        self.dataset_fingerprint = _fingerprint(self.dataset_path)
        self.jwt_fingerprint = _fingerprint(self.jwt_secret_file)[0]

    def substitutions(self) -> dict[str, Any]:
        """Values the case templates refer to as `$name`."""
        half = len(self.victim_marker) // 2
        return {
            "http_port": self.http_port,
            "udp_port": self.udp_port,
            "abstract": self.abstract_socket,
            "host_unix_socket": str(self.host_unix_socket),
            "host_ip": self.host_ip,
            "host_pid": self.host_pid,
            "host_tmp_probe": str(self.host_tmp_probe),
            "server_data_dir": str(self.server_data_dir),
            "jwt_file": str(self.jwt_secret_file),
            "repo_dir": str(self.repo_dir),
            "secret_env_name": self.secret_env_name,
            "marker_head": self.victim_marker[:half],
            "marker_tail": self.victim_marker[half:],
            **self.limits,
        }

    def assert_host_intact(self) -> None:
        """No trace of any attack on the host: services untouched, files unchanged."""
        assert self.http_hits == [], self.http_hits
        assert self.udp_datagrams == [], self.udp_datagrams
        assert self.abstract_connections == [], self.abstract_connections
        assert self.unix_connections == [], self.unix_connections
        assert _fingerprint(self.dataset_path) == self.dataset_fingerprint
        assert _fingerprint(self.jwt_secret_file)[0] == self.jwt_fingerprint
        assert not self.host_tmp_probe.exists()
        assert subprocess.run(["true"], check=False).returncode == 0


@dataclass(frozen=True)
class Outcome:
    """A runner's view of one execution: status, output parts, copied file contents."""

    status: str
    outputs: list[dict[str, Any]]
    files: dict[str, bytes] = field(default_factory=dict)

    def text(self) -> str:
        """Everything the attacker got back, as one searchable string."""
        chunks = [json.dumps(self.outputs, ensure_ascii=False)]
        chunks += [content.decode("utf-8", "replace") for content in self.files.values()]
        return "\n".join(chunks)

    def printed(self) -> str:
        """Only what the cell wrote to stdout."""
        return "".join(
            part.get("text", "") for part in self.outputs if part.get("name") == "stdout"
        )


Check = Callable[[Outcome, Target], None]


@dataclass(frozen=True)
class EscapeCase:
    """One escape attempt and what a failed attempt looks like."""

    name: str
    area: str
    code: str
    expect: str = BLOCKED
    statuses: tuple[str, ...] = ("ok",)
    timeout: float | None = None
    extra: Check | None = None

    def render(self, target: Target) -> str:
        """The cell code for this target."""
        return PRELUDE + Template(self.code).substitute(target.substitutions())

    def verify(self, outcome: Outcome, target: Target) -> None:
        """Assert the attack failed, judged by what came back and by the host."""
        assert outcome.status in self.statuses, (outcome.status, outcome.outputs)
        text = outcome.text()
        assert ESCAPED not in text, text[:2000]
        for secret in target.secrets:
            assert secret not in text, f"secret leaked: {secret[:6]}..."
        if self.expect:
            assert self.expect in outcome.printed(), outcome.outputs
        if self.extra is not None:
            self.extra(outcome, target)
        target.assert_host_intact()


def _fingerprint(path: Path) -> tuple[str, int]:
    """Content hash and permission bits of a host file."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode


def _number_after(outcome: Outcome, word: str) -> int:
    """The integer printed right after `word` in the cell's stdout."""
    tail = outcome.printed().split(word, 1)[1].split()
    return int(tail[0])


def at_most(limit_name: str) -> Check:
    """A check that the count printed after BLOCKED is within a limit."""

    def check(outcome: Outcome, target: Target) -> None:
        assert _number_after(outcome, BLOCKED) <= target.limits[limit_name]

    return check


def no_file_named(*names: str) -> Check:
    """A check that no returned file has one of these names."""

    def check(outcome: Outcome, _target: Target) -> None:
        returned = {part["name"] for part in outcome.outputs if part["type"] == "file"}
        assert not returned & set(names), returned

    return check


def output_capped(outcome: Outcome, target: Target) -> None:
    """The flood was cut to the cap and said so."""
    text_bytes = sum(
        len(part.get("text", "").encode()) for part in outcome.outputs if part["type"] == "stream"
    )
    assert text_bytes <= target.limits["output_cap_bytes"]
    assert any("bytes of output were cut" in part.get("text", "") for part in outcome.outputs)


def tcp_case(name: str, host: str, port: str) -> EscapeCase:
    """Connect to a TCP service on the host."""
    code = f"""
socket = _load("soc" + "ket")
sock = socket.socket()
sock.settimeout(3)
try:
    sock.connect(("{host}", {port}))
    _escaped("connected")
except OSError as error:
    _blocked(repr(error))
"""
    return EscapeCase(name, "network", code)


def unix_case(name: str, path: str) -> EscapeCase:
    """Connect to a unix socket of a host service."""
    code = f"""
socket = _load("soc" + "ket")
sock = socket.socket(socket.AF_UNIX)
try:
    sock.connect({path!r})
    _escaped("connected")
except OSError as error:
    _blocked(repr(error))
"""
    return EscapeCase(name, "network", code)


def reader_case(name: str, call: str) -> EscapeCase:
    """Fetch a URL from the host's HTTP server through a data library reader."""
    code = f"""
url = "ht" + "tp://127.0.0.1:$http_port/{name}.csv"
try:
    frame = {call}
    _escaped(frame)
except Exception as error:
    _blocked(type(error).__name__)
"""
    return EscapeCase(name, "network", code)


def read_case(name: str, area: str, paths: list[str]) -> EscapeCase:
    """Read host files that must not be visible."""
    code = f"""
readable = []
for path in {paths!r}:
    try:
        with open(path, "rb") as handle:
            readable.append((path, handle.read(200)))
    except OSError:
        pass
(_escaped if readable else _blocked)(readable)
"""
    return EscapeCase(name, area, code)


def write_case(name: str, code_for_path: str) -> EscapeCase:
    """Write somewhere outside /work."""
    code = f"""
target = {code_for_path}
try:
    with open(target, "ab") as handle:
        handle.write(b"escape")
    _escaped(target)
except OSError as error:
    _blocked(error.errno)
"""
    return EscapeCase(name, "write-outside-work", code)


def fill_case(name: str, directory_expression: str, limit_name: str) -> EscapeCase:
    """Write 1 MiB files into a directory until the filesystem says no."""
    code = f"""
directory = {directory_expression}
written = 0
try:
    for index in range(4096):
        with open(f"{{directory}}/fill{{index}}.bin", "wb") as handle:
            handle.write(b"x" * 1048576)
        written += 1
    _escaped(written)
except OSError as error:
    _blocked(written, error.errno)
finally:
    for index in range(written + 1):
        if os.path.exists(f"{{directory}}/fill{{index}}.bin"):
            os.remove(f"{{directory}}/fill{{index}}.bin")
"""
    return EscapeCase(name, "resources", code, extra=at_most(limit_name))


NETWORK = [
    tcp_case("tcp_host_postgres", "127.0.0.1", "5432"),
    tcp_case("tcp_host_redis", "127.0.0.1", "6379"),
    tcp_case("tcp_host_http_loopback", "127.0.0.1", "$http_port"),
    tcp_case("tcp_host_http_external_ip", "$host_ip", "$http_port"),
    unix_case("unix_postgres_socket", "/var/run/postgresql/.s.PGSQL.5432"),
    unix_case("unix_mysql_socket", "/run/mysqld/mysqld.sock"),
    unix_case("unix_redis_socket", "/run/redis/redis-server.sock"),
    unix_case("unix_abstract_host_socket", "\0$abstract"),
    unix_case("unix_host_socket_by_path", "$host_unix_socket"),
    EscapeCase(
        "swap_kernel_sockets_for_links_to_host",
        "network",
        """
zmq, gc, time = _load("zmq"), _load("gc"), _load("time")
link, remove = getattr(os, "sym" + "link"), getattr(os, "re" + "move")
for name in os.listdir("/run/kernel"):
    remove("/run/kernel/" + name)
    link("$host_unix_socket", "/run/kernel/" + name)
for sock in [o for o in gc.get_objects() if isinstance(o, zmq.Socket)]:
    try:
        sock.close(linger=0)
    except Exception:
        pass
time.sleep(30)
""",
        expect="",
        statuses=("timeout", "killed"),
        timeout=2.0,
    ),
    EscapeCase(
        "udp_to_host",
        "network",
        """
socket = _load("soc" + "ket")
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for host in ("127.0.0.1", "$host_ip"):
    try:
        sock.sendto(b"escape", (host, $udp_port))
    except OSError as error:
        print(repr(error))
""",
        expect="",
    ),
    EscapeCase(
        "dns_lookup",
        "network",
        """
socket = _load("soc" + "ket")
try:
    _escaped(socket.getaddrinfo("example.com", 443))
except OSError as error:
    _blocked(repr(error))
""",
    ),
    EscapeCase(
        "network_interfaces",
        "network",
        """
names = [line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]]
(_escaped if set(names) - {"lo"} else _blocked)(names)
""",
    ),
    EscapeCase(
        "urllib_to_host_http",
        "network",
        """
request = _load("urllib." + "request")
try:
    request.urlopen("ht" + "tp://127.0.0.1:$http_port/urllib", timeout=3)
    _escaped("fetched")
except Exception as error:
    _blocked(type(error).__name__)
""",
    ),
    reader_case("pandas_read_csv_url", "pd.read_csv(url)"),
    reader_case("polars_read_csv_url", "pl.read_csv(url)"),
    reader_case("duckdb_read_csv_url", 'con.sql("SELECT * FROM read_csv(\'" + url + "\')").df()'),
    EscapeCase(
        "duckdb_install_httpfs",
        "network",
        """
try:
    con.sql("INS" + "TALL httpfs")
    con.sql("LO" + "AD httpfs")
    _escaped("httpfs loaded")
except Exception as error:
    _blocked(type(error).__name__)
""",
    ),
]

HOST_FILES = [
    read_case("etc_shadow", "host-files", ["/etc/shadow", "/etc/gshadow", "/etc/sudoers"]),
    read_case(
        "root_home_secrets",
        "host-files",
        ["/root/.bash_history", "/root/.ssh/id_rsa", "/root/.profile", "/root/.bashrc"],
    ),
    read_case("server_data_dir", "host-files", ["$jwt_file", "$server_data_dir/chatdata.db"]),
    read_case(
        "repo_env_and_jwt",
        "host-files",
        [
            "$repo_dir/.env",
            "$repo_dir/data/.jwt_secret",
            "$repo_dir/pyproject.toml",
            "/work/main/.env",
            "/work/main/data/.jwt_secret",
        ],
    ),
    read_case(
        "host_files_through_proc_root",
        "host-files",
        ["/proc/1/root/etc/shadow", "/proc/self/root/etc/shadow", "/proc/1/cwd/etc/shadow"],
    ),
    EscapeCase(
        "list_root_home",
        "host-files",
        """
try:
    entries = sorted(os.listdir("/root"))
except OSError:
    entries = []
(_escaped if set(entries) - {".pyenv"} else _blocked)(entries)
""",
    ),
    EscapeCase(
        "sandbox_root_is_not_host_root",
        "host-files",
        """
seen = set(os.listdir("/")) | set(os.listdir("/data/..")) | set(os.listdir("/proc/1/root"))
host_only = {"home", "var", "boot", "srv", "mnt", "media", "root_secret"} & seen
(_escaped if host_only else _blocked)(sorted(seen))
""",
    ),
    EscapeCase(
        "other_conversation_scratch",
        "host-files",
        """
marker = "$marker_head" + "$marker_tail"
found = []
skip = ("/proc", "/sys", "/usr", "/opt", "/root", "/dev")
for top, dirs, files in os.walk("/"):
    if top.startswith(skip):
        dirs[:] = []
        continue
    for name in files:
        path = os.path.join(top, name)
        try:
            if os.path.getsize(path) < 1_000_000 and marker in open(path, errors="ignore").read():
                found.append(path)
        except OSError:
            pass
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    for name in ("victim.txt", "out/victim.txt"):
        try:
            if marker in open(f"/proc/{pid}/root/work/{name}").read():
                found.append(pid)
        except OSError:
            pass
(_escaped if found else _blocked)(found)
""",
    ),
    EscapeCase(
        "artifact_symlink_and_fifo",
        "host-files",
        """
os.makedirs("/work/out/deep", exist_ok=True)
link = getattr(os, "sym" + "link")
link("/etc/shadow", "/work/out/shadow.txt")
link("$jwt_file", "/work/out/jwt.txt")
link("/etc", "/work/out/deep/etc")
os.mkfifo("/work/out/pipe")
_blocked("planted links for the server to follow")
""",
        extra=no_file_named("shadow.txt", "jwt.txt", "pipe", "deep/etc/shadow"),
    ),
]

ENVIRONMENT = [
    EscapeCase(
        "own_environment",
        "environment",
        """
names = sorted(os.environ)
bad = [n for n in names if n.startswith(("CHATDATA", "AWS_")) or n.endswith(("_KEY", "SECRET"))]
(_escaped if bad else _blocked)(dict(os.environ))
""",
    ),
    EscapeCase(
        "proc_self_environ",
        "environment",
        """
data = open("/proc/self/environ", "rb").read()
(_escaped if b"$secret_env_name" in data else _blocked)(data)
""",
    ),
    EscapeCase(
        "pid1_and_parent_environ",
        "environment",
        """
seen = []
for pid in {1, os.getppid()}:
    try:
        seen.append(open(f"/proc/{pid}/environ", "rb").read())
    except OSError as error:
        seen.append(repr(error))
_blocked(seen)
""",
    ),
    EscapeCase(
        "every_visible_process_environ_and_cmdline",
        "environment",
        """
dump = []
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    for name in ("environ", "cmdline"):
        try:
            dump.append(open(f"/proc/{pid}/{name}", "rb").read())
        except OSError:
            pass
_blocked(len(dump), dump)
""",
    ),
    EscapeCase(
        "server_process_environ",
        "environment",
        """
try:
    _escaped(open("/proc/$host_pid/environ", "rb").read())
except OSError as error:
    _blocked(repr(error))
""",
    ),
]

WRITES = [
    write_case("append_to_dataset", '"/data/" + "sales.parquet"'),
    write_case("write_new_file_in_data", '"/data/" + "injected.parquet"'),
    write_case("write_usr", '"/usr/" + "lib/escape.txt"'),
    write_case("write_python_prefix", 'sys.base_prefix + "/escape.txt"'),
    write_case(
        "plant_sitecustomize_in_venv",
        '_load("site").getsitepackages()[0] + "/sitecustomize.py"',
    ),
    write_case("write_etc_passwd", '"/etc/" + "passwd"'),
    write_case("write_root_of_sandbox", '"/" + "escape.txt"'),
    write_case("write_proc_sys", '"/proc/sys/kernel/" + "hostname"'),
    EscapeCase(
        "write_host_tmp",
        "write-outside-work",
        """
with open("$host_tmp_probe", "w") as handle:
    handle.write("escape")
print("wrote the sandbox's private /tmp only")
""",
        expect="",
    ),
    EscapeCase(
        "delete_chmod_rename_dataset",
        "write-outside-work",
        """
path = "/data/" + "sales.parquet"
errors = []
for action in (lambda: os.chmod(path, 0o777), lambda: os.remove(path),
               lambda: os.rename(path, "/work/moved.parquet"), lambda: os.truncate(path, 0)):
    try:
        action()
        _escaped("changed the dataset")
    except OSError as error:
        errors.append(error.errno)
_blocked(errors)
""",
    ),
]

PROCESSES = [
    EscapeCase(
        "subprocess_reads_shadow",
        "processes",
        """
sp = _load("sub" + "process")
result = sp.run(["cat", "/etc/shadow"], capture_output=True)
print(result.returncode, result.stdout, result.stderr)
(_blocked if result.returncode else _escaped)()
""",
    ),
    EscapeCase(
        "sudo_and_su",
        "processes",
        """
sp = _load("sub" + "process")
codes = []
for command in (["sudo", "-n", "id"], ["su", "-c", "id"]):
    try:
        codes.append(sp.run(command, capture_output=True, timeout=5).returncode)
    except (OSError, sp.TimeoutExpired) as error:
        codes.append(repr(error))
(_escaped if 0 in codes else _blocked)(codes)
""",
    ),
    EscapeCase(
        "fork_bomb",
        "processes",
        """
fork, kill = getattr(os, "fo" + "rk"), getattr(os, "ki" + "ll")
children = []
try:
    for _ in range(5000):
        pid = fork()
        if pid == 0:
            _load("time").sleep(30)
            os._exit(0)
        children.append(pid)
    _escaped(len(children))
except OSError as error:
    _blocked(len(children), error.errno)
finally:
    for pid in children:
        kill(pid, 9)
        os.waitpid(pid, 0)
""",
        extra=at_most("max_processes"),
    ),
    EscapeCase(
        "thread_bomb",
        "processes",
        """
threading = _load("threading")
stop = threading.Event()
threads = []
try:
    for _ in range(5000):
        thread = threading.Thread(target=stop.wait)
        thread.start()
        threads.append(thread)
    _escaped(len(threads))
except RuntimeError:
    _blocked(len(threads))
finally:
    stop.set()
    for thread in threads:
        thread.join()
""",
        extra=at_most("max_processes"),
    ),
    EscapeCase(
        "kill_sandbox_init",
        "processes",
        """
getattr(os, "ki" + "ll")(1, 9)
_blocked("pid 1 is the sandbox's own init", os.path.exists("/proc/1"))
""",
    ),
    EscapeCase(
        "kill_server_process",
        "processes",
        """
try:
    getattr(os, "ki" + "ll")($host_pid, 9)
    _escaped("signalled")
except OSError as error:
    _blocked(repr(error))
""",
    ),
    EscapeCase(
        "kill_every_process",
        "processes",
        """
try:
    getattr(os, "ki" + "ll")(-1, 9)
except OSError as error:
    _blocked("nothing else to kill in the sandbox", error.errno)
""",
        expect="",
        statuses=("killed", "ok"),
    ),
    EscapeCase(
        "ptrace_attach",
        "processes",
        """
ctypes = _load("ct" + "ypes")
libc = ctypes.CDLL(None, use_errno=True)
results = [(pid, libc.ptrace(16, pid, 0, 0), ctypes.get_errno()) for pid in (1, $host_pid)]
(_escaped if any(result == 0 for _, result, _ in results) else _blocked)(results)
""",
    ),
    EscapeCase(
        "proc_mem_of_other_processes",
        "processes",
        """
opened = []
for pid in [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]:
    try:
        with open("/proc/" + pid + "/mem", "r+b"):
            opened.append(pid)
    except OSError:
        pass
for pid in ("$host_pid", "1"):
    try:
        with open("/proc/" + pid + "/root/etc/shadow", "rb") as handle:
            if pid != "1" or handle.read(5) == b"root:":
                opened.append(pid)
    except OSError:
        pass
(_escaped if opened else _blocked)(opened)
""",
    ),
    EscapeCase(
        "ctypes_libc_system",
        "processes",
        """
ctypes = _load("ct" + "ypes")
status = ctypes.CDLL(None).system(b"cat /etc/shadow /proc/1/environ; id")
print("exit status", status)
""",
        expect="",
    ),
    EscapeCase(
        "ctypes_unshare_mount_setns",
        "processes",
        """
ctypes = _load("ct" + "ypes")
libc = ctypes.CDLL(None, use_errno=True)
results = [
    libc.unshare(0x10000000),
    libc.unshare(0x00020000),
    libc.mount(b"none", b"/work", b"tmpfs", 0, None),
    libc.setns(os.open("/proc/1/ns/net", os.O_RDONLY), 0),
]
(_escaped if 0 in results else _blocked)(results)
""",
    ),
    EscapeCase(
        "become_root_or_chroot",
        "processes",
        """
attempts = []
for action in (lambda: os.setuid(0), lambda: os.setgid(0), lambda: os.chroot("/work")):
    try:
        action()
        attempts.append("worked")
    except OSError as error:
        attempts.append(error.errno)
(_escaped if "worked" in attempts else _blocked)(attempts, os.getuid())
""",
    ),
]

DODGES = [
    EscapeCase(
        "subclasses_walk_to_popen",
        "static-check-dodge",
        """
subclasses = getattr(object, "__subcla" + "sses__")()
popen = next((c for c in subclasses if c.__name__ == "Popen"), None)
if popen is None:
    _blocked("no Popen loaded")
else:
    out, err = popen(["cat", "/etc/shadow"], stdout=-1, stderr=-1).communicate()
    (_escaped if out else _blocked)(out, err)
""",
    ),
    EscapeCase(
        "builtins_import_socket",
        "static-check-dodge",
        """
builtins = _load("built" + "ins")
socket = getattr(builtins, "__imp" + "ort__")("soc" + "ket")
try:
    socket.create_connection(("127.0.0.1", 5432), 3)
    _escaped("connected")
except OSError as error:
    _blocked(repr(error))
""",
    ),
    EscapeCase(
        "eval_hex_encoded_code",
        "static-check-dodge",
        """
source = bytes.fromhex(
    "5f5f696d706f72745f5f2827736f636b657427292e6372656174655f636f6e6e656374696f6e"
    "2828273132372e302e302e31272c2035343332292c203329"
).decode()
try:
    eval(source)
    _escaped("connected")
except OSError as error:
    _blocked(repr(error))
""",
    ),
    EscapeCase(
        "exec_base64_write_dataset",
        "static-check-dodge",
        """
base64 = _load("base64")
code = base64.b64decode("b3BlbignL2RhdGEvc2FsZXMucGFycXVldCcsICd3YicpLndyaXRlKGInJyk=").decode()
try:
    exec(code)
    _escaped("truncated the dataset")
except OSError as error:
    _blocked(repr(error))
""",
    ),
    EscapeCase(
        "pickle_reduce_runs_shell",
        "static-check-dodge",
        """
pickle = _load("pickle")
class Payload:
    def __reduce__(self):
        command = "cat /etc/shadow $jwt_file > /work/out/pickled.txt 2>&1"
        return (getattr(os, "sys" + "tem"), (command,))
pickle.loads(pickle.dumps(Payload()))
_blocked("the payload ran inside the sandbox only")
""",
    ),
]

RESOURCES = [
    EscapeCase(
        "memory_bomb",
        "resources",
        """
try:
    block = bytearray(10**10)
    _escaped(len(block))
except MemoryError:
    _blocked("MemoryError")
""",
    ),
    EscapeCase(
        "memory_creep",
        "resources",
        """
blocks = []
try:
    for _ in range(1000):
        blocks.append(bytearray(64 * 1048576))
    _escaped(len(blocks) * 64)
except MemoryError:
    _blocked(len(blocks) * 64)
finally:
    blocks.clear()
""",
        extra=at_most("memory_mb"),
    ),
    fill_case("disk_fill_work", '"/work"', "scratch_mb"),
    fill_case("disk_fill_tmp", '"/tmp"', "tmp_mb"),
    fill_case("disk_fill_dev_shm", '"/dev/" + "shm"', "tmp_mb"),
    EscapeCase(
        "file_over_size_limit",
        "resources",
        """
written = 0
try:
    with open("/work/big.bin", "wb") as handle:
        for _ in range(4096):
            handle.write(b"x" * 1048576)
            handle.flush()
            written += 1
    _escaped(written)
except OSError as error:
    _blocked(written, error.errno)
finally:
    os.remove("/work/big.bin")
""",
        extra=at_most("max_file_mb"),
    ),
    EscapeCase(
        "infinite_loop",
        "resources",
        "while True:\n    pass\n",
        expect="",
        statuses=("timeout",),
        timeout=2.0,
    ),
    EscapeCase(
        "loop_ignoring_interrupts",
        "resources",
        """
signal = _load("sig" + "nal")
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
""",
        expect="",
        statuses=("timeout",),
        timeout=2.0,
    ),
    EscapeCase(
        "output_flood",
        "resources",
        "while True:\n    print('x' * 1000)\n",
        expect="",
        statuses=("timeout",),
        timeout=2.0,
        extra=output_capped,
    ),
    EscapeCase(
        "single_huge_print",
        "resources",
        "print('y' * 20_000_000)\n",
        expect="",
        extra=output_capped,
    ),
    EscapeCase(
        "segfault_the_kernel",
        "resources",
        """
ctypes = _load("ct" + "ypes")
ctypes.string_at(0)
""",
        expect="",
        statuses=("killed",),
    ),
]

CASES: list[EscapeCase] = [*NETWORK, *HOST_FILES, *ENVIRONMENT, *WRITES, *PROCESSES, *DODGES]
CASES += RESOURCES


def victim_code(marker: str) -> str:
    """What the other conversation leaves in its scratch space (and memory)."""
    return (
        f"secret = {marker!r}\n"
        "import os\n"
        "os.makedirs('/work/out', exist_ok=True)\n"
        "for path in ('/work/victim.txt', '/work/out/victim.txt', '/tmp/victim.txt'):\n"
        "    open(path, 'w').write(secret)\n"
    )


def host_secret_env() -> dict[str, str]:
    """Secrets a server typically has in its environment (values made up per run)."""
    token = os.urandom(12).hex()
    return {
        "CHATDATA_JWT_SECRET": f"jwt-{token}",
        "CHATDATA_LLM_API_KEY": f"llm-{token}",
        "AWS_SECRET_ACCESS_KEY": f"aws-{token}",
    }
