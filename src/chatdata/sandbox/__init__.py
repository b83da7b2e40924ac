"""The sandbox: an isolated, stateful Python kernel per conversation.

`KernelManager` is the entry point (execute, interrupt, restart, cull, shutdown);
`check_code` is the static courtesy check; `sandbox_status` feeds `/health`.
"""

from chatdata.sandbox.errors import CodeRejected, SandboxUnavailable
from chatdata.sandbox.isolation import Isolation, resolve_isolation, sandbox_status
from chatdata.sandbox.limits import DatasetMount, ExecutionResult, SandboxLimits
from chatdata.sandbox.manager import KernelManager, ReplaySource
from chatdata.sandbox.static_check import check_code

__all__ = [
    "CodeRejected",
    "DatasetMount",
    "ExecutionResult",
    "Isolation",
    "KernelManager",
    "ReplaySource",
    "SandboxLimits",
    "SandboxUnavailable",
    "check_code",
    "resolve_isolation",
    "sandbox_status",
]
