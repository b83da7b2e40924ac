"""Write each attempt at an output into a file of its own, then move it into place.

A Polars sink that failed can still be flushing buffers into its file for a moment after
the exception; a second attempt writing to the same path would be corrupted by them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path


def write_attempt(out: Path, write: Callable[[Path], None]) -> None:
    """Call `write` with a fresh path beside `out`; on success it becomes `out`."""
    attempt = out.with_name(f".{out.name}.{uuid.uuid4().hex}.attempt")
    try:
        write(attempt)
        os.replace(attempt, out)
    finally:
        attempt.unlink(missing_ok=True)
