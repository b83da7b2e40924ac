"""Which isolation this host gives kernels: bubblewrap, or a loudly-warned fallback.

The decision is made once per process and per requested mode by actually starting a
tiny sandbox, so `/health` reports what kernels really get.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chatdata.sandbox.commands import SYSTEM_PATH, PythonRuntime
from chatdata.sandbox.errors import SandboxUnavailable
from chatdata.sandbox.launcher import LaunchMode, build_bwrap_command
from chatdata.sandbox.limits import SandboxLimits

logger = logging.getLogger("chatdata.sandbox")

PROBE_MARKER = "chatdata-sandbox-ok"
PROBE_TIMEOUT_SECONDS = 30
FALLBACK_WARNING = (
    "kernels are not isolated ({reason}): they run as restricted subprocesses "
    "(rlimits, clean environment{network}) WITHOUT filesystem isolation. Do not expose "
    "this server to untrusted users; install bubblewrap."
)

_lock = threading.Lock()
_resolved: dict[str, Isolation] = {}


@dataclass(frozen=True)
class Isolation:
    """The isolation kernels get: launch mode, whether it is a real wall, and why not."""

    mode: LaunchMode
    isolated: bool
    network_isolated: bool
    warning: str | None

    def as_dict(self) -> dict[str, Any]:
        """The `/health` shape: mode, isolated, network_isolated, warning."""
        return {
            "mode": self.mode,
            "isolated": self.isolated,
            "network_isolated": self.network_isolated,
            "warning": self.warning,
        }


def resolve_isolation(requested: str = "auto") -> Isolation:
    """The isolation for a `sandbox_mode` setting (`auto`, `bwrap` or `subprocess`).

    `bwrap` raises `SandboxUnavailable` when bubblewrap does not work here; `auto`
    falls back to a subprocess and logs a warning.
    """
    if requested not in ("auto", "bwrap", "subprocess"):
        raise ValueError(f"unknown sandbox mode {requested!r}")
    with _lock:
        if requested not in _resolved:
            _resolved[requested] = _decide(requested)
        return _resolved[requested]


def forget_isolation() -> None:
    """Drop the cached decisions so the next call probes again (e.g. after installing bwrap)."""
    with _lock:
        _resolved.clear()


def sandbox_status(mode: str = "auto") -> dict[str, Any]:
    """What `/health` shows about the sandbox (mode, isolated, warning)."""
    try:
        return resolve_isolation(mode).as_dict()
    except SandboxUnavailable as error:
        return {"mode": mode, "isolated": False, "network_isolated": False, "warning": str(error)}


def _decide(requested: str) -> Isolation:
    """Probe and decide (called once per requested mode)."""
    if requested != "subprocess":
        failure = probe_bwrap()
        if failure is None:
            return Isolation("bwrap", True, True, None)
        if requested == "bwrap":
            raise SandboxUnavailable(
                "sandbox_mode is 'bwrap' but bubblewrap cannot start a sandbox here.",
                details={"reason": failure},
            )
    else:
        failure = "sandbox_mode is 'subprocess', bubblewrap not used"
    network = probe_unshare_net()
    warning = FALLBACK_WARNING.format(
        reason=failure, network=", no network" if network else ", WITH network access"
    )
    logger.warning("SANDBOX NOT ISOLATED: %s", warning)
    return Isolation("subprocess", False, network, warning)


def probe_bwrap() -> str | None:
    """Start a minimal sandbox exactly as kernels are started; None when it works."""
    if shutil.which("bwrap", path=SYSTEM_PATH) is None:
        return "bubblewrap (bwrap) is not installed"
    python = PythonRuntime.current().sandbox_executable()
    inner = [python, "-I", "-S", "-c", f"print({PROBE_MARKER!r})"]
    with tempfile.TemporaryDirectory(prefix="chatdata-probe-") as scratch:
        data_dir = Path(scratch) / "data"
        data_dir.mkdir(mode=0o755)
        Path(scratch).chmod(0o755)
        command = build_bwrap_command(data_dir, SandboxLimits(), inner)
        try:
            completed = subprocess.run(
                command.argv,
                pass_fds=command.pass_fds,
                capture_output=True,
                timeout=PROBE_TIMEOUT_SECONDS,
                env={"PATH": SYSTEM_PATH},
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"bwrap failed to run: {error}"
        finally:
            command.close_child_ends()
            os.close(command.info_read)
    if PROBE_MARKER in completed.stdout.decode("utf-8", "replace"):
        return None
    return completed.stderr.decode("utf-8", "replace").strip()[-500:] or "bwrap failed"


def probe_unshare_net() -> bool:
    """True when `unshare --net` works here (the fallback can then cut the network)."""
    if shutil.which("unshare", path=SYSTEM_PATH) is None:
        return False
    try:
        completed = subprocess.run(
            ["unshare", "--net", "--", "true"],
            capture_output=True,
            timeout=PROBE_TIMEOUT_SECONDS,
            env={"PATH": SYSTEM_PATH},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return completed.returncode == 0
