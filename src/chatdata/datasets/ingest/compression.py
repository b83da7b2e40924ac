"""Unpack a gzip file or a single-file zip into the work dir, guarding against bombs.

Both guards count the bytes actually produced, never the sizes an archive claims:
the output may not pass `max_decompressed_bytes`, nor (once past a floor) a fixed
multiple of the compressed size.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from chatdata.datasets.ingest.errors import IngestError, format_bytes, format_count
from chatdata.datasets.ingest.models import IngestOptions

CHUNK_BYTES = 1024**2


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


@dataclass(frozen=True)
class ExpansionLimits:
    """How far a compressed upload may expand."""

    max_bytes: int
    max_ratio: int
    ratio_floor: int
    compressed_size: int

    @classmethod
    def for_file(cls, options: IngestOptions, compressed_size: int) -> ExpansionLimits:
        """The limits from the ingest options for a compressed file of this size."""
        return cls(
            max_bytes=options.max_decompressed_bytes,
            max_ratio=options.max_expansion_ratio,
            ratio_floor=options.expansion_ratio_floor,
            compressed_size=max(compressed_size, 1),
        )

    def check(self, produced: int) -> None:
        """Raise once `produced` bytes break a limit."""
        if produced > self.max_bytes:
            raise IngestError(
                f"The compressed file expands past {format_bytes(self.max_bytes)}, "
                "the largest size accepted after decompression."
            )
        ratio_limit = max(self.ratio_floor, self.max_ratio * self.compressed_size)
        if produced > ratio_limit:
            raise IngestError(
                f"The compressed file expands past {format_count(self.max_ratio)} times its "
                "own size, which is how a zip bomb behaves; it was not unpacked."
            )


def gunzip(src: Path, dst: Path, options: IngestOptions) -> None:
    """Decompress a gzip file (several members are fine) into `dst`."""
    limits = ExpansionLimits.for_file(options, src.stat().st_size)
    try:
        with gzip.open(src, "rb") as reader:
            _copy_limited(reader, dst, limits)
    except (OSError, EOFError, zlib.error) as exc:
        raise IngestError("The gzip file is damaged or cut short and could not be read.") from exc


def unzip_single(src: Path, dst: Path, options: IngestOptions) -> str:
    """Extract the one data file of a zip into `dst`; return its name inside the zip."""
    try:
        with zipfile.ZipFile(src) as archive:
            member = _single_member(archive)
            limits = ExpansionLimits.for_file(options, member.compress_size)
            with archive.open(member) as reader:
                _copy_limited(reader, dst, limits)
            return member.filename
    except zipfile.BadZipFile as exc:
        raise IngestError("The zip file is damaged and could not be read.") from exc
    except NotImplementedError as exc:
        raise IngestError("The zip file uses a compression method that is not supported.") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise IngestError("The zip file is damaged or cut short and could not be read.") from exc


def _single_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    members = [info for info in archive.infolist() if _is_data_member(info)]
    if not members:
        raise IngestError("The zip file holds no files.")
    if len(members) > 1:
        names = ", ".join(info.filename for info in members[:5])
        more = "" if len(members) <= 5 else ", ..."
        raise IngestError(
            f"The zip file holds {format_count(len(members))} files ({names}{more}); "
            "upload a zip with exactly one data file."
        )
    member = members[0]
    if member.flag_bits & 0x1:
        raise IngestError("The zip file is password-protected; upload it without a password.")
    return member


def _is_data_member(info: zipfile.ZipInfo) -> bool:
    """Skip folders and the clutter macOS and Windows add to archives."""
    if info.is_dir():
        return False
    path = PurePosixPath(info.filename)
    hidden = path.name.startswith("._") or path.name in (".DS_Store", "Thumbs.db", "desktop.ini")
    return not hidden and "__MACOSX" not in path.parts


def _copy_limited(reader: _Readable, dst: Path, limits: ExpansionLimits) -> None:
    produced = 0
    with dst.open("wb") as writer:
        for chunk in _chunks(reader):
            produced += len(chunk)
            limits.check(produced)
            writer.write(chunk)


def _chunks(reader: _Readable) -> Iterator[bytes]:
    while chunk := reader.read(CHUNK_BYTES):
        yield chunk
