"""Pause Python's cyclic garbage collector while a stage builds many long-lived objects.

Parsing a 95 MB Label Studio export or 200k JSON files allocates millions of dicts and lists
that all stay alive; each allocation burst triggers collections that traverse the whole,
growing heap, and those passes cost several times the parsing itself (orjson.loads of a
10k-task export: 2.0 s with the collector, 0.37 s without). None of these objects form
cycles that need the collector, and it runs again as soon as the stage ends.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
