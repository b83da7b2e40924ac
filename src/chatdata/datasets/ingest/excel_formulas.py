"""Does a sheet of an xlsx/xlsm workbook hold formulas? (Used to explain an empty sheet.)

Workbooks written by scripts (openpyxl and the like) store formulas without their
results; calamine then reads no values. The sheet's XML part is found through
`xl/workbook.xml` and its relationships, and searched for `<f>` elements.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_REL_ID = re.compile(rb'\b(?:\w+:)?id="([^"]+)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(Id|Target)="([^"]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
CHUNK_BYTES = 1024**2


def sheet_has_formulas(path: Path, index: int) -> bool:
    """True when the `index`-th sheet's XML has formula cells; False when unknown."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, index)
            return part is not None and _has_formula(archive, part)
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def _sheet_part(archive: zipfile.ZipFile, index: int) -> str | None:
    sheets = _SHEET_TAG.findall(archive.read("xl/workbook.xml"))
    if index >= len(sheets):
        return None
    rel_id = _REL_ID.search(sheets[index])
    if rel_id is None:
        return None
    targets = _relationship_targets(archive.read("xl/_rels/workbook.xml.rels"))
    target = targets.get(rel_id.group(1))
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _relationship_targets(rels: bytes) -> dict[bytes, str]:
    targets: dict[bytes, str] = {}
    for tag in _RELATIONSHIP.findall(rels):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if b"Id" in attributes and b"Target" in attributes:
            targets[attributes[b"Id"]] = attributes[b"Target"].decode("utf-8", "replace")
    return targets


def _has_formula(archive: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with archive.open(part) as reader:
        while chunk := reader.read(CHUNK_BYTES):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False
