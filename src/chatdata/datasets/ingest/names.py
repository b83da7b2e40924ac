"""Column names a table can use: non-empty and unique, with a note for each change."""

from __future__ import annotations

from collections.abc import Sequence


def positional_names(count: int) -> list[str]:
    """Names for a file without a header row: column_1 ... column_N."""
    return [f"column_{index}" for index in range(1, count + 1)]


def unique_column_names(raw: Sequence[str | None]) -> tuple[list[str], list[str]]:
    """Make header names usable; return the names and human-readable notes on changes.

    Whitespace around a name is dropped; an empty name becomes `column_<position>`
    (1-based); a repeated name gets `_2`, `_3`, ... (skipping names already taken),
    so `["a", "a", ""]` becomes `["a", "a_2", "column_3"]`.
    """
    cleaned = [(name or "").replace("\ufeff", "").strip() for name in raw]
    taken = {name for name in cleaned if name}
    seen: set[str] = set()
    names: list[str] = []
    empty_positions: list[int] = []
    renamed: list[str] = []
    for position, name in enumerate(cleaned, start=1):
        if not name:
            final = _free_name(f"column_{position}", taken | seen)
            empty_positions.append(position)
        elif name in seen:
            final = _free_name(name, taken | seen, start=2)
            renamed.append(f'"{name}" -> "{final}"')
        else:
            final = name
        seen.add(final)
        names.append(final)
    return names, _notes(empty_positions, renamed)


def _free_name(base: str, used: set[str], start: int | None = None) -> str:
    """`base` itself when free (and no suffix is forced), else the first free `base_<n>`."""
    if start is None:
        if base not in used:
            return base
        start = 2
    suffix = start
    while f"{base}_{suffix}" in used:
        suffix += 1
    return f"{base}_{suffix}"


def _notes(empty_positions: list[int], renamed: list[str]) -> list[str]:
    notes: list[str] = []
    if empty_positions:
        shown = ", ".join(str(p) for p in empty_positions[:10])
        more = "" if len(empty_positions) <= 10 else f" and {len(empty_positions) - 10:,} more"
        notes.append(f"Columns with an empty header were named by position ({shown}{more}).")
    if renamed:
        shown = ", ".join(renamed[:10])
        more = "" if len(renamed) <= 10 else f" and {len(renamed) - 10:,} more"
        notes.append(f"Repeated column names were made unique: {shown}{more}.")
    return notes
