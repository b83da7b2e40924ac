"""LocalStore behaviour beyond the shared contract: real paths, temp files, folders."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from chatdata.errors import Conflict, NotFound, ServiceUnavailable
from chatdata.storage import LocalStore


def files_under(root: Path) -> list[str]:
    """Every file and folder below `root`, relative, sorted."""
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*"))


def test_local_path_is_the_real_file(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "files")
    store.put_bytes("t1/datasets/d1/v1.parquet", b"PAR1")

    path = store.local_path("t1/datasets/d1/v1.parquet")

    assert path == (tmp_path / "files" / "t1/datasets/d1/v1.parquet").resolve()
    assert path.read_bytes() == b"PAR1"
    with pytest.raises(NotFound):
        store.local_path("t1/datasets/d1/v2.parquet")


def test_in_progress_write_is_a_hidden_temp_file_in_the_same_folder(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    writer = store.open_writer("t1/datasets/d1/data.csv")
    writer.write(b"a,b\n")

    [temp] = list((tmp_path / "t1/datasets/d1").iterdir())
    assert temp.name.startswith(".")
    assert temp.name.endswith(".chatdata-partial")
    assert store.list_prefix("") == []

    writer.commit()
    assert files_under(tmp_path / "t1/datasets/d1") == ["data.csv"]


def test_abort_and_delete_remove_folders_left_empty(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put_bytes("t1/keep", b"k")
    with store.open_writer("t1/datasets/d1/data.csv") as writer:
        writer.write(b"discarded")
    assert files_under(tmp_path) == ["t1", "t1/keep"]

    store.put_bytes("t1/datasets/d2/versions/v1.parquet", b"v")
    store.delete("t1/datasets/d2/versions/v1.parquet")
    assert files_under(tmp_path) == ["t1", "t1/keep"]

    store.put_bytes("t2/datasets/d3/a", b"a")
    assert store.delete_prefix("t2/datasets") == 1
    assert files_under(tmp_path) == ["t1", "t1/keep"]
    assert tmp_path.is_dir()


def test_object_and_folder_with_one_name_conflict(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put_bytes("t1/a", b"file")
    store.put_bytes("t1/b/c", b"nested")

    with pytest.raises(Conflict):
        store.put_bytes("t1/a/inner", b"x")
    with pytest.raises(Conflict):
        store.put_bytes("t1/b", b"x")
    assert [info.key for info in store.list_prefix("")] == ["t1/a", "t1/b/c"]


def test_check_fails_when_the_root_is_gone(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "files")
    store.check()
    shutil.rmtree(tmp_path / "files")
    (tmp_path / "files").write_bytes(b"not a folder")

    with pytest.raises(ServiceUnavailable) as caught:
        store.check()
    assert caught.value.status_code == 503


def test_committed_file_has_default_permissions(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put_bytes("t1/a", b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "t1/a").stat().st_mode & 0o777 == 0o666 & ~umask


def test_adopt_file_moves_the_scratch_file_into_place(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    scratch = tmp_path / "work" / "data.parquet"
    scratch.parent.mkdir()
    scratch.write_bytes(b"version one")
    inode = scratch.stat().st_ino
    info = store.adopt_file("t/datasets/d/v1.parquet", scratch)
    assert not scratch.exists()
    assert info.size == len(b"version one")
    assert store.read_bytes("t/datasets/d/v1.parquet") == b"version one"
    assert store.local_path("t/datasets/d/v1.parquet").stat().st_ino == inode  # no copy
    scratch.write_bytes(b"other")
    store.adopt_file("t/datasets/d/v1.parquet", scratch)  # replaces, like any write
    assert store.read_bytes("t/datasets/d/v1.parquet") == b"other"


def test_adopt_file_copies_across_file_systems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalStore(tmp_path / "store")
    scratch = tmp_path / "data.parquet"
    scratch.write_bytes(b"x" * 10_000)

    real_replace = os.replace

    def cross_device(src: Path, dst: Path) -> None:
        if Path(src) == scratch:  # the rename of the scratch file; the copy's own works
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", cross_device)
    info = store.adopt_file("a/b.parquet", scratch)
    monkeypatch.undo()
    assert info.size == 10_000 and not scratch.exists()
    assert store.read_bytes("a/b.parquet") == b"x" * 10_000
