"""`python -m benchmarks`: run every row, write benchmarks/results.json, print the table.

    python -m benchmarks                    # every row at full size (about half an hour on 2 cores)
    python -m benchmarks --only validate    # one row (results.json keeps the other rows)
    python -m benchmarks --smoke            # every row at tiny sizes into a temp file (CI)
    python -m benchmarks --docs 20000 --ls-tasks 2000 --repeat 1   # smaller sizes

Rows: build, rebuild, build_peak_mb (synthetic repository of --docs documents), clean_html,
clean_text (--pages pages), ls_push, ls_pull (--ls-tasks tasks on a real Label Studio started
in a temp data dir), validate, validate_read, validate_peak_mb (the same repository).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from rich.console import Console  # noqa: E402

from .harness import Row, load_average, print_table, write_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("results.json")
# Row name -> the group that measures it (one group can yield several rows).
GROUPS = {
    "build": "build", "rebuild": "build", "build_peak_mb": "build",
    "clean_html": "clean_html", "clean_text": "clean_text",
    "ls_push": "ls", "ls_pull": "ls",
    "validate": "validate", "validate_read": "validate", "validate_peak_mb": "validate_peak",
}
ROW_NAMES = tuple(GROUPS)
# Groups run cheapest first, and results.json is rewritten after each group, so a long run
# that is interrupted still leaves the rows it finished.
GROUP_ORDER = ("clean_text", "clean_html", "validate", "validate_peak", "ls", "build")
FULL = {"docs": 100_000, "pages": 300, "ls_tasks": 10_000, "repeat": 3, "build_repeat": 1}
SMOKE = {"docs": 40, "pages": 4, "ls_tasks": 12, "repeat": 1, "build_repeat": 1}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--smoke", action="store_true", help="tiny sizes, results to a temp file")
    p.add_argument("--only", action="append", choices=ROW_NAMES, metavar="NAME",
                   help=f"run only this row (repeatable): {', '.join(ROW_NAMES)}")
    p.add_argument("--docs", type=int, help="documents of the synthetic repository (100000)")
    p.add_argument("--pages", type=int, help="pages for the cleaning rows (300)")
    p.add_argument("--ls-tasks", type=int, help="tasks pushed and pulled (10000)")
    p.add_argument("--repeat", type=int, help="best of N runs per side (3)")
    p.add_argument("--build-repeat", type=int,
                   help="full builds (1: one full build of 100k documents takes tens of minutes)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, help="results file (default benchmarks/results.json; "
                                           "with --smoke a temp file)")
    p.add_argument("--work", type=Path, help="work dir (default .peacetalks/cache/benchmarks; "
                                            "the synthetic repository is reused from there)")
    return p.parse_args(argv)


def run(args: argparse.Namespace, console: Console) -> Iterator[tuple[list[Row], dict]]:
    """Yields (rows so far, extra) after every group."""
    from peacetalks.taxonomy import load_taxonomy

    from . import bench_build, bench_clean, bench_ls, bench_validate
    from .repo import corpus_stats, make_repo
    from .synth import SyntheticCorpus

    sizes = {k: getattr(args, k) or (SMOKE if args.smoke else FULL)[k] for k in FULL}
    wanted = list(args.only or ROW_NAMES)
    groups = [g for g in GROUP_ORDER if g in {GROUPS[n] for n in wanted}]
    work = args.work
    log = lambda msg: console.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {msg}")  # noqa: E731
    tax = load_taxonomy(ROOT / "schema" / "taxonomy.yaml")
    corpus = SyntheticCorpus(tax, args.seed, ROOT)
    extra: dict = {"sizes": sizes, "load_average": {}, "smoke": bool(args.smoke)}
    rows: list[Row] = []
    repo = None
    if {"build", "validate", "validate_peak"} & set(groups):
        repo = make_repo(work / f"repo-{sizes['docs']}-seed{args.seed}", sizes["docs"], args.seed,
                         log=log)
        extra["corpus"] = corpus_stats(repo)
    for group in groups:
        before = load_average()
        t0 = time.perf_counter()
        if group == "build":
            got = bench_build.bench_build(repo, work, sizes["build_repeat"], log)
        elif group == "clean_html":
            got = bench_clean.bench_clean_html(corpus, sizes["pages"], sizes["repeat"], log)
        elif group == "clean_text":
            got = bench_clean.bench_clean_text(corpus, sizes["pages"], sizes["repeat"], log)
        elif group == "ls":
            with bench_ls.label_studio(work / "label-studio", log) as ls:
                got = []
                if {"ls_push"} & set(wanted):
                    got += bench_ls.bench_push(ls, corpus, tax, sizes["ls_tasks"], sizes["repeat"], log)
                if {"ls_pull"} & set(wanted):
                    got += bench_ls.bench_pull(ls, corpus, tax, sizes["ls_tasks"], sizes["repeat"],
                                               work, log)
        elif group == "validate":
            got = bench_validate.bench_validate(repo, work, sizes["repeat"], log)
        elif group == "validate_peak":
            got = bench_validate.bench_validate_peak(repo)
        else:  # pragma: no cover - GROUPS and this chain are kept in step
            raise AssertionError(group)
        for r in got:
            if r.name in wanted:
                rows.append(r)
                extra["load_average"][r.name] = {"before": before, "after": load_average(),
                                                 "group_seconds": round(time.perf_counter() - t0, 1)}
        yield rows, extra


def merge_into(path: Path, rows: list[Row], extra: dict) -> tuple[list[Row], dict]:
    """--only: keep the other rows of an existing results file."""
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        return rows, extra
    names = {r.name for r in rows}
    kept = [Row(**r) for r in old.get("rows", []) if r["name"] not in names]
    loads = {**old.get("load_average", {}), **extra["load_average"]}
    order = {n: i for i, n in enumerate(ROW_NAMES)}
    merged = sorted(kept + rows, key=lambda r: order.get(r.name, 99))
    return merged, {**{k: v for k, v in old.items() if k not in ("rows", "machine")}, **extra,
                    "load_average": loads}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(stderr=True)
    tmp = None
    if args.smoke and args.work is None:
        tmp = Path(tempfile.mkdtemp(prefix="peacetalks-bench-"))
        args.work = tmp
    args.work = (args.work or ROOT / ".peacetalks" / "cache" / "benchmarks").resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    out = args.out or ((args.work / "results.json") if args.smoke else RESULTS)
    started = time.perf_counter()
    done: list[Row] = []
    merge = bool(args.only) and out.is_file()
    try:
        for got, extra in run(args, console):
            extra["seconds"] = round(time.perf_counter() - started, 1)
            done, info = merge_into(out, got, extra) if merge else (got, extra)
            write_results(done, out, info)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp / "label-studio", ignore_errors=True)
    rows = done
    print_table(rows, Console(width=None if sys.stdout.isatty() else 160))
    for r in rows:
        if r.note:
            print(f"  {r.name}: {r.note}")
    print(f"results: {out}")
    if tmp is not None:  # a smoke run's temp work dir: keep only its results file, if there
        for child in tmp.iterdir():
            if child != out:
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
        if not any(tmp.iterdir()):
            tmp.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
