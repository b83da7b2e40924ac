"""Keep the start-up heap out of Python's cyclic garbage collector.

With the task families' scientific stack imported, the server holds about 0.4 million
long-lived objects (modules, classes, functions, app objects). Every full collection walked
all of them and held the event loop for about 0.2 s, the worst tail of the list endpoint
under load. Freezing them once start-up is over moves them to the permanent generation,
which collections do not scan; objects created later are collected as before.
"""

from __future__ import annotations

import atexit
import gc
import logging

log = logging.getLogger("chatdata.gc")
_state = {"frozen": False}


def freeze_startup_heap() -> None:
    """Freeze every object alive now, once per process (later apps in the same process,
    such as tests, leave it be)."""
    if _state["frozen"]:
        return
    _state["frozen"] = True
    gc.freeze()
    # Thawed at exit, so the interpreter's final collection frees them (native extensions
    # such as DuckDB's report objects still alive at exit as leaks).
    atexit.register(gc.unfreeze)
    log.info("froze %d start-up objects out of the cyclic GC", gc.get_freeze_count())
