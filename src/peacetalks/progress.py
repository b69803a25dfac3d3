"""One rich progress bar helper for long loops (shown on a terminal, silent otherwise)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """`with progress_bar("Building", n) as advance: ... advance(k)`; on stderr, transient."""
    if total <= 0 or not sys.stderr.isatty():
        yield lambda k=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda k=1: progress.advance(task, k)
