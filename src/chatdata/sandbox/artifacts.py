"""Find and copy the files a cell wrote under the kernel's `/work/out/`.

The scratch directory belongs to the untrusted kernel (in bubblewrap mode the server
reaches it through `/proc/<pid>/root`). Every component below the scratch root is
opened relative to its parent with `O_NOFOLLOW`, and only regular files are read, so
a symlink or FIFO planted by the kernel can never make the server read a host file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OUT_DIR_NAME = "out"
MAX_DEPTH = 4
MAX_FILES = 200
COPY_CHUNK = 1024 * 1024
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC

FileState = tuple[int, int]


@contextmanager
def _open_out_dir(scratch_root: str) -> Iterator[int | None]:
    """A descriptor of `<scratch_root>/out`, or None when it is missing or not a directory."""
    parent, name = os.path.split(scratch_root.rstrip("/"))
    fds: list[int] = []
    try:
        fds.append(os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))
        fds.append(os.open(name, DIR_FLAGS, dir_fd=fds[-1]))
        fds.append(os.open(OUT_DIR_NAME, DIR_FLAGS, dir_fd=fds[-1]))
    except OSError:
        for fd in fds:
            os.close(fd)
        fds = []
    for fd in fds[:-1]:
        os.close(fd)
    if not fds:
        yield None
        return
    try:
        yield fds[-1]
    finally:
        os.close(fds[-1])


def scan_out(scratch_root: str) -> dict[str, FileState]:
    """Regular files under `out/`: relative path -> (size, mtime in ns)."""
    found: dict[str, FileState] = {}
    with _open_out_dir(scratch_root) as out_fd:
        if out_fd is not None:
            _walk(out_fd, "", 0, found)
    return found


def _walk(dir_fd: int, prefix: str, depth: int, found: dict[str, FileState]) -> None:
    """Collect regular files below `dir_fd` without following links."""
    try:
        entries = sorted(os.listdir(dir_fd))
    except OSError:
        return
    for name in entries:
        if len(found) >= MAX_FILES:
            return
        try:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            continue
        relative = f"{prefix}{name}"
        if stat.S_ISREG(info.st_mode):
            found[relative] = (info.st_size, info.st_mtime_ns)
        elif stat.S_ISDIR(info.st_mode) and depth < MAX_DEPTH:
            try:
                child = os.open(name, DIR_FLAGS, dir_fd=dir_fd)
            except OSError:
                continue
            try:
                _walk(child, f"{relative}/", depth + 1, found)
            finally:
                os.close(child)


def changed_files(before: dict[str, FileState], after: dict[str, FileState]) -> list[str]:
    """Files that are new or whose size or modification time changed."""
    return [name for name, state in after.items() if before.get(name) != state]


def copy_out(scratch_root: str, relative: str, destination: Path, max_bytes: int) -> int | None:
    """Copy `out/<relative>` to `destination`; its size, or None when it cannot be read."""
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    with _open_out_dir(scratch_root) as out_fd:
        if out_fd is None:
            return None
        return _copy_below(out_fd, parts, destination, max_bytes)


def _copy_below(dir_fd: int, parts: list[str], destination: Path, max_bytes: int) -> int | None:
    """Descend `parts[:-1]` without following links, then copy the regular file."""
    opened: list[int] = []
    try:
        current = dir_fd
        for part in parts[:-1]:
            current = os.open(part, DIR_FLAGS, dir_fd=current)
            opened.append(current)
        source = os.open(parts[-1], FILE_FLAGS, dir_fd=current)
        opened.append(source)
        if not stat.S_ISREG(os.fstat(source).st_mode):
            return None
        return _copy_fd(source, destination, max_bytes)
    except OSError:
        return None
    finally:
        for fd in opened:
            os.close(fd)


def _copy_fd(source: int, destination: Path, max_bytes: int) -> int | None:
    """Copy an open regular file to `destination` (None if it is over `max_bytes`)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    copied = 0
    with destination.open("wb") as target:
        while chunk := os.read(source, COPY_CHUNK):
            copied += len(chunk)
            if copied > max_bytes:
                target.close()
                destination.unlink(missing_ok=True)
                return None
            target.write(chunk)
    return copied
