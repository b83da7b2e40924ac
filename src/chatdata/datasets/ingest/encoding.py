"""Find a text file's encoding and turn non-UTF-8 text into UTF-8, streaming.

Detection looks at the first bytes: a BOM decides at once (UTF-8, UTF-16, UTF-32); then
valid UTF-8 is UTF-8; otherwise charset-normalizer's guess is taken for the multi-byte
East Asian encodings (GB18030, Big5, Shift-JIS, EUC-KR...), and Western single-byte text
is read as Windows-1252 (a superset of Latin-1 in its printable range), because
charset-normalizer is unreliable on short Latin samples.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from chatdata.datasets.ingest.errors import IngestError, format_count

CHUNK_BYTES = 4 * 1024**2
DETECTION_BYTES = 256 * 1024

# BOM -> (name we report, codec that reads the BOM and drops it)
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# charset-normalizer name -> (name we report, codec we decode with: the Windows superset)
_MULTIBYTE: dict[str, tuple[str, str]] = {
    "gb2312": ("gb18030", "gb18030"),
    "gbk": ("gb18030", "gb18030"),
    "gb18030": ("gb18030", "gb18030"),
    "hz": ("gb18030", "gb18030"),
    "big5": ("big5", "cp950"),
    "cp950": ("big5", "cp950"),
    "big5hkscs": ("big5hkscs", "big5hkscs"),
    "shift_jis": ("shift_jis", "cp932"),
    "cp932": ("shift_jis", "cp932"),
    "shift_jis_2004": ("shift_jis", "cp932"),
    "shift_jisx0213": ("shift_jis", "cp932"),
    "euc_jp": ("euc_jp", "euc_jp"),
    "euc_kr": ("euc_kr", "cp949"),
    "cp949": ("euc_kr", "cp949"),
    "iso2022_jp": ("iso2022_jp", "iso2022_jp"),
    "iso2022_kr": ("iso2022_kr", "iso2022_kr"),
}


@dataclass(frozen=True)
class TextEncoding:
    """How a file's text is encoded: `name` to report, `codec` to decode it with."""

    name: str
    codec: str

    @property
    def is_utf8(self) -> bool:
        """UTF-8 (with or without BOM): readable as it is, no transcoding pass needed."""
        return self.codec in ("utf-8", "utf-8-sig")


def detect_encoding(head: bytes) -> TextEncoding:
    """Guess the encoding of text whose first bytes are `head`."""
    for bom, name, codec in _BOMS:
        if head.startswith(bom):
            return TextEncoding(name, codec)
    utf16 = _utf16_without_bom(head)
    if utf16 is not None:
        return TextEncoding(utf16, utf16)
    sample = _whole_lines(head[:DETECTION_BYTES])
    if _is_utf8(sample):
        return TextEncoding("utf-8", "utf-8")
    return _guess_legacy(sample)


def _whole_lines(data: bytes) -> bytes:
    """Cut at the last newline so no multi-byte character is split (0x0A is never a
    trail byte in the encodings we read)."""
    cut = data.rfind(b"\n")
    return data[: cut + 1] if cut > 0 else data


def _is_utf8(sample: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    odd_zero = sample[1::2].count(0) / len(sample[1::2])
    if odd_zero > 0.4 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.4 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _guess_legacy(sample: bytes) -> TextEncoding:
    best = charset_normalizer.from_bytes(sample).best()
    guessed = codecs.lookup(best.encoding).name if best is not None else ""
    if guessed in _MULTIBYTE:
        name, codec = _MULTIBYTE[guessed]
        return TextEncoding(name, codec)
    if _reads_as_western(sample) or not guessed:
        return _western(sample)
    return TextEncoding(guessed, guessed)


def _western(sample: bytes) -> TextEncoding:
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return TextEncoding("latin-1", "latin-1")
    return TextEncoding("cp1252", "cp1252")


def _reads_as_western(sample: bytes) -> bool:
    """Accented letters in Western text sit inside words of ASCII letters ("café",
    "Müller"); Cyrillic or Greek bytes read as Windows-1252 make whole words of them."""
    text = sample.decode("cp1252", errors="replace")
    high = [i for i, char in enumerate(text) if ord(char) > 127]
    if not high:
        return True
    beside_ascii = sum(
        1
        for i in high
        if (i > 0 and text[i - 1].isascii() and text[i - 1].isalpha())
        or (i + 1 < len(text) and text[i + 1].isascii() and text[i + 1].isalpha())
    )
    return beside_ascii / len(high) >= 0.5


def transcode_to_utf8(src: Path, dst: Path, encoding: TextEncoding) -> list[str]:
    """Rewrite `src` as UTF-8 (no BOM) into `dst` in one streaming pass.

    Bytes that are not valid in `encoding` become U+FFFD; the returned notes say how
    many, so the person knows the guess was imperfect.
    """
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors="replace")
    replaced = 0
    try:
        with src.open("rb") as reader, dst.open("wb") as writer:
            while chunk := reader.read(CHUNK_BYTES):
                text = decoder.decode(chunk)
                replaced += text.count("\ufffd")
                writer.write(text.encode("utf-8"))
            tail = decoder.decode(b"", final=True)
            replaced += tail.count("\ufffd")
            writer.write(tail.encode("utf-8"))
    except (UnicodeError, LookupError) as exc:
        raise IngestError(f"The file could not be decoded as {encoding.name}.") from exc
    if not replaced:
        return []
    return [
        f"{format_count(replaced)} characters could not be decoded as {encoding.name} "
        "and were replaced with \ufffd."
    ]
