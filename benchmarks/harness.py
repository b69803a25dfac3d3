"""The benchmark harness: rows measured against an anchor in the same run, a results file, a table.

Each row is the ratio of the project's stage to the best available baseline doing the same work
on the same data, measured side by side, because these machines are noisy. Timings take the
best of `repeat` runs (the least disturbed one) for both sides.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.table import Table


@dataclass
class Row:
    name: str
    value: float
    unit: str
    anchor: str
    anchor_value: float | None
    ratio: float | None
    goal: float | None
    lower_is_better: bool
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        measured = self.ratio if self.ratio is not None else self.value
        return measured <= self.goal if self.lower_is_better else measured >= self.goal


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Minimum wall time of `repeat` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def best_of_setup(setup: Callable[[], object], fn: Callable[[], object], repeat: int) -> float:
    """Like best_of, with `setup()` run untimed before every call (e.g. wipe an output dir)."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        setup()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def load_average() -> list[float]:
    """1/5/15-minute load averages: these machines are shared, so every row records them."""
    return [round(x, 2) for x in os.getloadavg()]


def significant(x: float, digits: int = 4) -> float:
    """Round to significant digits, not decimals: smoke runs time in milliseconds, and a fixed
    4-decimal rounding of 0.0053 s would make the printed value disagree with the ratio."""
    return float(f"{x:.{digits}g}")


def ratio_row(name: str, value: float, anchor: str, anchor_value: float, goal: float,
              unit: str = "s", note: str = "") -> Row:
    return Row(name, significant(value), unit, anchor, significant(anchor_value),
               round(value / anchor_value, 3) if anchor_value else None, goal, True, note)


def run_child(module_fn: str, *args: str) -> tuple[object, float]:
    """Run `module:function(*args)` in a fresh Python process: (its JSON-able return value,
    the child's peak resident memory in MB). A fresh process keeps the harness's own memory
    out of the peak."""
    code = (
        "import importlib, json, sys, resource\n"
        f"mod, fn = {module_fn!r}.split(':')\n"
        "out = getattr(importlib.import_module(mod), fn)(*sys.argv[1:])\n"
        "print('@@' + json.dumps(out))\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child of a big
        # harness process would report the harness's own peak.
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
        "print('@@', int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{module_fn} failed in a child process:\n{_error_lines(proc.stderr)}")
    marked = [line[2:] for line in proc.stdout.splitlines() if line.startswith("@@")]
    return json.loads(marked[-2]), int(marked[-1]) / 1024  # Linux reports KiB


def _error_lines(stderr: str) -> str:
    """The traceback's frames and the exception line, each cut short (datasets errors can carry
    thousands of file names)."""
    lines = [ln if len(ln) < 400 else ln[:400] + " …" for ln in stderr.strip().splitlines()]
    return "\n".join(lines[-40:])


def peak_rss_mb(module_fn: str, *args: str) -> float:
    """Peak resident memory of `module:function(*args)` run in a fresh child process."""
    return run_child(module_fn, *args)[1]


def machine() -> dict:
    packages = {}
    for name in ("peacetalks", "datasets", "pyarrow", "great-expectations", "label-studio-sdk",
                 "trafilatura", "datasketch"):
        try:
            packages[name] = version(name)
        except Exception:  # noqa: BLE001 - a missing package is reported, not fatal
            packages[name] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "packages": packages,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_results(rows: list[Row], path: Path, extra: dict) -> None:
    data = {"machine": machine(), **extra, "rows": [asdict(r) for r in rows]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(path)


def print_table(rows: list[Row], console: Console | None = None) -> None:
    table = Table(title="peacetalks benchmarks")
    for col in ("name", "value", "anchor", "anchor value", "ratio", "goal", "met"):
        table.add_column(col)
    for r in rows:
        goal = "" if r.goal is None else ("≤ " if r.lower_is_better else "≥ ") + str(r.goal)
        met = {True: "[green]yes", False: "[red]NO", None: ""}[r.met]
        table.add_row(
            r.name, f"{r.value:g} {r.unit}", r.anchor,
            "" if r.anchor_value is None else f"{r.anchor_value:g}",
            "" if r.ratio is None else f"{r.ratio:g}", goal, met,
        )
    (console or Console()).print(table)


def resource_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
