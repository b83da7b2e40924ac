"""A small seccomp filter for sandbox kernels: deny syscalls analysis code never needs.

Namespaces and rlimits are the wall; this removes kernel attack surface on top of it
(ptrace and cross-process memory access, kernel modules, BPF, perf, keyrings,
userfaultfd, mount and namespace syscalls). It is a classic BPF program handed to
bubblewrap's `--seccomp`; denied calls fail with EPERM. Calls of another ABI than the
native one (i386 or x32 on x86-64) are denied wholesale.
"""

from __future__ import annotations

import platform
import struct

BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_RET_K = 0x06
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EPERM = 1
OFFSET_NR = 0
OFFSET_ARCH = 4
X32_SYSCALL_BIT = 0x40000000

DENIED_NAMES = (
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "keyctl",
    "add_key",
    "request_key",
    "mount",
    "umount2",
    "pivot_root",
    "swapon",
    "swapoff",
    "reboot",
    "acct",
    "setns",
    "unshare",
    "open_by_handle_at",
    "name_to_handle_at",
)

ARCHITECTURES: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (
        0xC000003E,
        {
            "ptrace": 101,
            "process_vm_readv": 310,
            "process_vm_writev": 311,
            "kexec_load": 246,
            "kexec_file_load": 320,
            "init_module": 175,
            "finit_module": 313,
            "delete_module": 176,
            "bpf": 321,
            "perf_event_open": 298,
            "userfaultfd": 323,
            "keyctl": 250,
            "add_key": 248,
            "request_key": 249,
            "mount": 165,
            "umount2": 166,
            "pivot_root": 155,
            "swapon": 167,
            "swapoff": 168,
            "reboot": 169,
            "acct": 163,
            "setns": 308,
            "unshare": 272,
            "open_by_handle_at": 304,
            "name_to_handle_at": 303,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "ptrace": 117,
            "process_vm_readv": 270,
            "process_vm_writev": 271,
            "kexec_load": 104,
            "kexec_file_load": 294,
            "init_module": 105,
            "finit_module": 273,
            "delete_module": 106,
            "bpf": 280,
            "perf_event_open": 241,
            "userfaultfd": 282,
            "keyctl": 219,
            "add_key": 217,
            "request_key": 218,
            "mount": 40,
            "umount2": 39,
            "pivot_root": 41,
            "swapon": 224,
            "swapoff": 225,
            "reboot": 142,
            "acct": 89,
            "setns": 268,
            "unshare": 97,
            "open_by_handle_at": 265,
            "name_to_handle_at": 264,
        },
    ),
}


def _instruction(code: int, jump_true: int, jump_false: int, value: int) -> bytes:
    """One `struct sock_filter` in native (little-endian) layout."""
    return struct.pack("<HBBI", code, jump_true, jump_false, value)


def seccomp_program(machine: str | None = None) -> bytes | None:
    """The filter for this machine's architecture, or None when it is not supported."""
    entry = ARCHITECTURES.get(machine or platform.machine())
    if entry is None:
        return None
    audit_arch, numbers = entry
    denied = [numbers[name] for name in DENIED_NAMES]
    checks: list[tuple[int, int]] = []
    if audit_arch == ARCHITECTURES["x86_64"][0]:
        checks.append((BPF_JGE_K, X32_SYSCALL_BIT))
    checks += [(BPF_JEQ_K, number) for number in denied]
    deny_index = 4 + len(checks) + 1
    program = [
        _instruction(BPF_LD_W_ABS, 0, 0, OFFSET_ARCH),
        _instruction(BPF_JEQ_K, 1, 0, audit_arch),
        _instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM),
        _instruction(BPF_LD_W_ABS, 0, 0, OFFSET_NR),
    ]
    for offset, (code, value) in enumerate(checks):
        index = 4 + offset
        program.append(_instruction(code, deny_index - index - 1, 0, value))
    program.append(_instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    program.append(_instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM))
    return b"".join(program)
