"""The command lines that start a kernel: bubblewrap (staged when root) or a plain subprocess.

Bubblewrap gives the kernel new user, mount, network, PID, IPC, UTS and cgroup
namespaces: no network interface but loopback, a read-only root holding only `/usr`,
the Python runtime and the kernel extension, the dataset directory read-only at
`/data`, size-capped tmpfs at `/work`, `/tmp` and `/dev/shm`, and nothing else.

When the server runs as root, bubblewrap would map the sandbox user onto host root,
which exempts it from RLIMIT_NPROC and makes every root-owned file it can see its
own. So a short "stage" runs first: in a private mount namespace it bind-mounts the
bind sources under a fresh tmpfs (they may sit below directories only root may
traverse, such as `/root/.pyenv`) and drops to an unprivileged host uid that is
distinct per kernel before executing bubblewrap. The stage's mounts exist only in
that namespace.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from chatdata.sandbox.limits import SandboxLimits

SANDBOX_UID = 1000
KERNEL_EXT_DIR = Path(__file__).resolve().parent / "kernel_ext"
KERNEL_EXT_MOUNT = "/opt/chatdata"
VENV_MOUNT = "/opt/venv"
DATA_MOUNT = "/data"
WORK_MOUNT = "/work"
SOCKET_DIR = "/run/kernel"
CONNECTION_FILE = "/etc/chatdata-kernel.json"
STAGE_CANDIDATES = ("/mnt", "/media", "/srv", "/opt")
HOST_UID_BASE = 1_700_000_000
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
MIB = 1024 * 1024
STAGE_SCRIPT = """set -eu
stage=$1; uid=$2; count=$3; shift 3
mount -t tmpfs -o mode=0755,size=64k,nosuid,nodev chatdata-stage "$stage"
i=0
while [ "$i" -lt "$count" ]; do
  mkdir "$stage/$i"
  mount --bind "$1" "$stage/$i"
  shift
  i=$((i + 1))
done
exec setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all \
  --bounding-set=-all --no-new-privs -- "$@"
"""

_uid_counter = itertools.count()


@dataclass(frozen=True)
class PythonRuntime:
    """The interpreter kernels run: the server's own (its venv and base installation)."""

    base_prefix: Path
    venv: Path | None
    executable_name: str

    @classmethod
    def current(cls) -> PythonRuntime:
        """The runtime of this process."""
        venv = Path(sys.prefix) if sys.prefix != sys.base_prefix else None
        return cls(Path(sys.base_prefix), venv, Path(sys.executable).name)

    def sandbox_executable(self) -> str:
        """The interpreter path as seen inside bubblewrap."""
        if self.venv is not None:
            return f"{VENV_MOUNT}/bin/{self.executable_name}"
        return str(self.base_prefix / "bin" / self.executable_name)

    def host_executable(self) -> str:
        """The interpreter path on the host."""
        prefix = self.venv if self.venv is not None else self.base_prefix
        return str(prefix / "bin" / self.executable_name)


@dataclass(frozen=True)
class Bind:
    """One read-only bind mount: host `source` shown at `target` in the sandbox."""

    source: str
    target: str


def next_host_uid() -> int:
    """An unprivileged host uid for the next staged kernel (distinct per kernel)."""
    return HOST_UID_BASE + (os.getpid() % 1000) * 10_000 + next(_uid_counter) % 10_000


def kernel_environment(
    limits: SandboxLimits, *, work_dir: str, tmp_dir: str, ext_dir: str, python_bin: str
) -> dict[str, str]:
    """The whole environment of a kernel: no server variable ever reaches it."""
    threads = str(limits.threads)
    return {
        "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": work_dir,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": tmp_dir,
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{tmp_dir}/.matplotlib",
        "IPYTHONDIR": f"{tmp_dir}/.ipython",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MALLOC_ARENA_MAX": "2",
        "ARROW_DEFAULT_MEMORY_POOL": "system",
        "PYTHONPATH": ext_dir,
        "OMP_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "POLARS_MAX_THREADS": threads,
        "SANDBOX_OUT_DIR": f"{work_dir}/out",
        "SANDBOX_TABLE_ROWS": str(limits.table_rows),
    }


def kernel_command(limits: SandboxLimits, python: str, connection_file: str) -> list[str]:
    """`prlimit ... python -m ipykernel_launcher`: rlimits are set just before the kernel."""
    prlimit = shutil.which("prlimit", path=SYSTEM_PATH) or "/usr/bin/prlimit"
    return [
        prlimit,
        f"--as={limits.memory_mb * MIB}",
        f"--cpu={limits.cpu_seconds}",
        f"--nproc={limits.max_processes}",
        f"--fsize={limits.max_file_mb * MIB}",
        "--core=0",
        "--",
        python,
        "-m",
        "ipykernel_launcher",
        "-f",
        connection_file,
        "--IPKernelApp.extensions=['chatdata_kernel_ext']",
        "--HistoryManager.enabled=False",
        "--IPKernelApp.log_level=WARN",
    ]


def runtime_binds(runtime: PythonRuntime, host_data_dir: Path) -> list[Bind]:
    """The host directories a kernel needs: Python, its venv, the extension, the data."""
    binds = []
    if not _under(runtime.base_prefix, Path("/usr")):
        binds.append(Bind(str(runtime.base_prefix), str(runtime.base_prefix)))
    if runtime.venv is not None:
        binds.append(Bind(str(runtime.venv), VENV_MOUNT))
    binds.append(Bind(str(KERNEL_EXT_DIR), KERNEL_EXT_MOUNT))
    binds.append(Bind(str(host_data_dir), DATA_MOUNT))
    return binds


def stage_point(binds: list[Bind]) -> str:
    """A directory to overmount in the stage namespace that hides no bind source."""
    for candidate in STAGE_CANDIDATES:
        if Path(candidate).is_dir() and not any(
            _under(Path(bind.source), Path(candidate)) for bind in binds
        ):
            return candidate
    raise RuntimeError("no directory available to stage bind mounts")


def staged_prefix(binds: list[Bind], host_uid: int) -> tuple[list[str], list[Bind]]:
    """The stage command prefix, and the binds rewritten to their staged sources."""
    stage = stage_point(binds)
    prefix = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        STAGE_SCRIPT,
        "chatdata-stage",
        stage,
        str(host_uid),
        str(len(binds)),
        *(bind.source for bind in binds),
    ]
    staged = [Bind(f"{stage}/{index}", bind.target) for index, bind in enumerate(binds)]
    return prefix, staged


@dataclass(frozen=True)
class BwrapFiles:
    """File descriptors whose contents bubblewrap copies into the sandbox."""

    connection_fd: int
    passwd_fd: int
    group_fd: int
    hosts_fd: int
    info_fd: int
    seccomp_fd: int | None = None


def bwrap_arguments(
    limits: SandboxLimits, binds: list[Bind], env: dict[str, str], files: BwrapFiles
) -> list[str]:
    """The bubblewrap command line up to (not including) the kernel command."""
    args = [
        "bwrap",
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--hostname",
        "sandbox",
        "--die-with-parent",
        "--as-pid-1",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--clearenv",
    ]
    for name, value in env.items():
        args += ["--setenv", name, value]
    args += _system_mounts()
    for bind in binds:
        args += ["--ro-bind", bind.source, bind.target]
    args += _private_mounts(limits, files)
    if files.seccomp_fd is not None:
        args += ["--seccomp", str(files.seccomp_fd)]
    args += ["--info-fd", str(files.info_fd), "--remount-ro", "/", "--chdir", WORK_MOUNT]
    return args


def _system_mounts() -> list[str]:
    """`/usr` read-only, the merged-usr links, and a few harmless `/etc` files."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in ("/etc/ld.so.cache", "/etc/localtime", "/etc/fonts"):
        args += ["--ro-bind-try", name, name]
    return args


def _private_mounts(limits: SandboxLimits, files: BwrapFiles) -> list[str]:
    """proc, dev, the size-capped tmpfs mounts and the synthesised files."""
    args = ["--proc", "/proc", "--dev", "/dev"]
    args += _tmpfs("/dev/shm", min(limits.tmp_mb, 64) * MIB, "1777")  # noqa: S108
    args += ["--remount-ro", "/dev"]
    args += _tmpfs(WORK_MOUNT, limits.scratch_mb * MIB, "0755")
    args += _tmpfs("/tmp", limits.tmp_mb * MIB, "1777")  # noqa: S108 - inside the sandbox
    args += _tmpfs(SOCKET_DIR, MIB, "0700")
    args += _data_file(files.connection_fd, CONNECTION_FILE)
    args += _data_file(files.passwd_fd, "/etc/passwd")
    args += _data_file(files.group_fd, "/etc/group")
    args += _data_file(files.hosts_fd, "/etc/hosts")
    return args


def _tmpfs(path: str, size: int, perms: str) -> list[str]:
    """A tmpfs of at most `size` bytes at `path`."""
    return ["--size", str(size), "--perms", perms, "--tmpfs", path]


def _data_file(fd: int, path: str) -> list[str]:
    """A read-only file at `path` holding what `fd` delivers."""
    return ["--perms", "0444", "--ro-bind-data", str(fd), path]


def etc_files() -> dict[str, bytes]:
    """Contents of the synthesised `/etc/passwd`, `/etc/group` and `/etc/hosts`."""
    return {
        "passwd": f"sandbox:x:{SANDBOX_UID}:{SANDBOX_UID}:sandbox:{WORK_MOUNT}:/bin/sh\n".encode(),
        "group": f"sandbox:x:{SANDBOX_UID}:\n".encode(),
        "hosts": b"127.0.0.1 localhost sandbox\n::1 localhost\n",
    }


def _under(path: Path, root: Path) -> bool:
    """True when `path` is `root` or inside it."""
    return path == root or root in path.parents
