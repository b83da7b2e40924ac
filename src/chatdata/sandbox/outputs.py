"""Turn kernel messages into typed output parts, within a size budget.

Parts are JSON-serialisable dicts with a `type`: `stream`, `error`, `table`, `image`,
`plotly`, `text`, `file`, and `notice` (what the sandbox itself has to say: output
cut, timeout, kernel rebuilt). The kernel is untrusted, so every payload is checked
before it becomes a part and nothing it sends can grow the server's memory without
bound: text beyond the cap keeps its head and its tail and says how much was cut.
"""

from __future__ import annotations

import collections
import json
import re
from typing import Any

TABLE_MIME = "application/vnd.chatdata.table+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
RICH_TYPES = frozenset({"table", "image", "plotly"})
TEXT_FIELDS = ("text", "evalue", "traceback")
TABLE_TEXT_LIMIT = 4000
ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def strip_ansi(text: str) -> str:
    """`text` without terminal colour and cursor escape sequences."""
    return ANSI_ESCAPE.sub("", text)


def part_from_message(message: dict[str, Any]) -> dict[str, Any] | None:
    """The output part an IOPub message carries, or None for bookkeeping messages."""
    kind = message.get("msg_type") or message.get("header", {}).get("msg_type")
    content = message.get("content")
    if not isinstance(content, dict):
        return None
    if kind == "stream":
        name = content.get("name")
        return {
            "type": "stream",
            "name": name if name in ("stdout", "stderr") else "stdout",
            "text": _text(content.get("text")),
        }
    if kind == "error":
        return error_part(content)
    if kind in ("execute_result", "display_data"):
        return _display_part(content)
    return None


def error_part(content: dict[str, Any]) -> dict[str, Any]:
    """An `error` part from an error message or execute reply (traceback as plain text)."""
    traceback = content.get("traceback")
    lines = [_text(line) for line in traceback] if isinstance(traceback, list) else []
    return {
        "type": "error",
        "ename": _text(content.get("ename")),
        "evalue": strip_ansi(_text(content.get("evalue"))),
        "traceback": strip_ansi("\n".join(lines)),
    }


def notice(text: str) -> dict[str, Any]:
    """A message from the sandbox itself (not from the user's code)."""
    return {"type": "notice", "text": text}


def _text(value: Any) -> str:
    """A value the kernel claims is text, as text."""
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _display_part(content: dict[str, Any]) -> dict[str, Any] | None:
    """The richest part a display/execute_result bundle supports."""
    data = content.get("data")
    if not isinstance(data, dict):
        return None
    raw_metadata = content.get("metadata")
    metadata: dict[str, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
    plain = _text(data.get("text/plain"))
    table = _table_part(data.get(TABLE_MIME), plain)
    if table is not None:
        return table
    if isinstance(data.get(PLOTLY_MIME), dict):
        return {"type": "plotly", "figure": data[PLOTLY_MIME]}
    if isinstance(data.get("image/png"), str):
        return _image_part(data["image/png"], metadata.get("image/png"))
    if "text/plain" in data:
        return {"type": "text", "text": plain}
    return None


def _table_part(payload: Any, plain: str) -> dict[str, Any] | None:
    """A `table` part when `payload` has the shape the kernel extension produces."""
    if not isinstance(payload, dict):
        return None
    columns, dtypes, rows = payload.get("columns"), payload.get("dtypes"), payload.get("rows")
    total = payload.get("total_rows")
    if not (
        isinstance(columns, list)
        and isinstance(dtypes, list)
        and isinstance(rows, list)
        and all(isinstance(row, list) for row in rows)
        and isinstance(total, int)
    ):
        return None
    return {
        "type": "table",
        "columns": [_text(column) for column in columns],
        "dtypes": [_text(dtype) for dtype in dtypes],
        "rows": rows,
        "total_rows": total,
        "truncated": total > len(rows),
        "text": plain[:TABLE_TEXT_LIMIT],
    }


def _image_part(data: str, metadata: Any) -> dict[str, Any]:
    """An `image` part (base64 PNG) with its pixel size when known."""
    part: dict[str, Any] = {"type": "image", "mime": "image/png", "data": data.strip()}
    if isinstance(metadata, dict):
        for key in ("width", "height"):
            if isinstance(metadata.get(key), int):
                part[key] = metadata[key]
    return part


def _utf8_size(text: str) -> int:
    """Bytes of `text` in UTF-8."""
    return len(text.encode("utf-8", "replace"))


def text_size(part: dict[str, Any]) -> int:
    """The text bytes a part counts against the output cap."""
    return sum(_utf8_size(part[key]) for key in TEXT_FIELDS if isinstance(part.get(key), str))


def _head_bytes(text: str, limit: int) -> str:
    """The longest prefix of `text` that fits in `limit` UTF-8 bytes."""
    return text.encode("utf-8", "replace")[: max(limit, 0)].decode("utf-8", "ignore")


def _tail_bytes(text: str, limit: int) -> str:
    """The longest suffix of `text` that fits in `limit` UTF-8 bytes."""
    if limit <= 0:
        return ""
    return text.encode("utf-8", "replace")[-limit:].decode("utf-8", "ignore")


def shorten_middle(text: str, limit: int) -> str:
    """`text` cut in the middle to about `limit` bytes, saying how much went."""
    size = _utf8_size(text)
    if size <= limit:
        return text
    half = max(limit // 2, 0)
    cut = size - 2 * half
    return f"{_head_bytes(text, half)}\n[... {cut} bytes cut ...]\n{_tail_bytes(text, half)}"


class OutputCollector:
    """Accumulates a cell's parts: text head and tail within a cap, rich parts within theirs."""

    def __init__(self, text_cap: int, rich_cap: int) -> None:
        self._head_budget = text_cap // 2
        self._tail_budget = text_cap - self._head_budget
        self._rich_cap = rich_cap
        self._head: list[dict[str, Any]] = []
        self._tail: collections.deque[dict[str, Any]] = collections.deque()
        self._head_used = 0
        self._tail_used = 0
        self._rich_used = 0
        self._cut_bytes = 0
        self._cutting = False

    def add(self, part: dict[str, Any]) -> None:
        """Add one part in arrival order."""
        if part["type"] in RICH_TYPES:
            self._add_rich(part)
        else:
            self._add_text(part)

    def parts(self) -> list[dict[str, Any]]:
        """The kept parts: head, a notice of what was cut, tail."""
        kept = list(self._head)
        if self._cut_bytes:
            kept.append(
                notice(
                    f"[... {self._cut_bytes:,} bytes of output were cut here; "
                    "the beginning and the end are kept ...]"
                )
            )
        return kept + list(self._tail)

    def _add_rich(self, part: dict[str, Any]) -> None:
        """A table, image or chart: kept while the rich budget lasts, else a notice."""
        size = len(json.dumps(part, default=str))
        if self._rich_used + size > self._rich_cap:
            part = notice(
                f"{part['type'].capitalize()} output of {size:,} bytes was left out: this cell's "
                f"charts and tables are over {self._rich_cap:,} bytes."
            )
            self._add_text(part)
            return
        self._rich_used += size
        (self._tail if self._cutting else self._head).append(part)

    def _add_text(self, part: dict[str, Any]) -> None:
        """Text: into the head until it is full, then into the bounded tail."""
        if part["type"] == "error":
            part = dict(part, traceback=shorten_middle(part["traceback"], self._tail_budget // 2))
            part["evalue"] = shorten_middle(part["evalue"], self._tail_budget // 4)
        size = text_size(part)
        if not self._cutting:
            room = self._head_budget - self._head_used
            if size <= room:
                self._append(self._head, part)
                self._head_used += size
                return
            self._cutting = True
            if part["type"] == "stream" and room > 0:
                head_text = _head_bytes(part["text"], room)
                self._append(self._head, dict(part, text=head_text))
                self._head_used += _utf8_size(head_text)
                part = dict(part, text=part["text"][len(head_text) :])
                size = text_size(part)
        self._append(self._tail, part)
        self._tail_used += size
        self._evict()

    def _append(
        self, target: list[dict[str, Any]] | collections.deque[dict[str, Any]], part: dict[str, Any]
    ) -> None:
        """Append, merging consecutive text of the same stream."""
        if target and part["type"] == "stream":
            last = target[-1]
            if last["type"] == "stream" and last["name"] == part["name"]:
                target[-1] = dict(last, text=last["text"] + part["text"])
                return
        target.append(part)

    def _evict(self) -> None:
        """Drop the oldest tail text until the tail fits its budget."""
        while self._tail_used > self._tail_budget:
            index = next(
                (i for i, part in enumerate(self._tail) if part["type"] not in RICH_TYPES), None
            )
            if index is None:
                return
            part = self._tail[index]
            excess = self._tail_used - self._tail_budget
            size = text_size(part)
            if part["type"] == "stream" and size > excess:
                kept = _tail_bytes(part["text"], size - excess)
                self._tail[index] = dict(part, text=kept)
                removed = size - _utf8_size(kept)
            else:
                del self._tail[index]
                removed = size
            self._tail_used -= removed
            self._cut_bytes += removed
