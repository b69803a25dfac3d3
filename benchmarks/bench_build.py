"""Rows `build`, `rebuild` and `build_peak_mb`: the release build against bare pyarrow writes.

Anchor of `build`: the very tables the build wrote (read back from its Parquet files, untimed),
written again with bare `pyarrow.parquet.write_table` using the same compression and row-group
size. That is the least any build of these tables must pay; everything else the build does
(reading the JSON files, making rows, NER tokenisation, checks, the card, verification by
loading the release back) is overhead measured against it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pyarrow.parquet as pq

from peacetalks.build import ROW_GROUP_ROWS, build_release
from peacetalks.paths import Repo

from .harness import Row, best_of_setup, ratio_row, run_child
from .repo import change_document


def _fresh(repo: Repo, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(repo.cache_dir / "build", ignore_errors=True)


def build_in_child(root: str, out: str) -> dict:
    """Child process: a full build from scratch; its wall time measured inside the child."""
    repo = Repo(Path(root))
    _fresh(repo, Path(out))
    t0 = time.perf_counter()
    result = build_release(repo, Path(out))
    return {"seconds": time.perf_counter() - t0, "verified": result.verified,
            "files": {c: v for c, v in result.files.items()}}


def bench_build(repo: Repo, work: Path, repeat: int, log=print) -> list[Row]:
    """Rows build, build_peak_mb and rebuild. A full build of 100k documents takes tens of
    minutes here, so it runs `repeat` times only when asked (--build-repeat)."""
    out = work / "release"
    anchor_out = work / "anchor-release"
    t_build, peak = float("inf"), 0.0
    result: dict = {}
    for k in range(max(1, repeat)):
        log(f"build: full build {k + 1}/{max(1, repeat)} in a child process ...")
        result, mb = run_child("benchmarks.bench_build:build_in_child", str(repo.root), str(out))
        t_build, peak = min(t_build, result["seconds"]), max(peak, mb)
    assert result["verified"] == "full", "a fresh build must verify fully"

    tables = {rel: pq.read_table(out / rel) for c in result["files"].values()
              for files in c.values() for rel in files}
    n_rows = {rel: t.num_rows for rel, t in tables.items()}

    def write_all() -> None:
        for rel, table in tables.items():
            path = anchor_out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP_ROWS)

    log("build: anchor (bare pyarrow writes) ...")
    t_anchor = best_of_setup(lambda: shutil.rmtree(anchor_out, ignore_errors=True), write_all, 3)
    del tables
    shutil.rmtree(anchor_out, ignore_errors=True)
    rows = [
        ratio_row("build", t_build, "pyarrow.parquet.write_table of the same tables", t_anchor,
                  1.3, note=f"{len(n_rows)} Parquet files, {sum(n_rows.values())} rows; the build "
                            "reads JSON, makes rows, tokenizes for ner, verifies with load_dataset"),
        Row("build_peak_mb", round(peak, 1), "MB", "", None, None, None, True,
            note="peak RSS of the full build (its own process); no goal set"),
    ]

    # Rebuild: the release of the full build above is current; change one document per repeat.
    doc_ids = repo.doc_ids()
    t_rebuild = float("inf")
    written = []
    for k in range(max(3, repeat)):
        change_document(repo, doc_ids[(k * 7919) % len(doc_ids)])
        t0 = time.perf_counter()
        r = build_release(repo, out)
        t_rebuild = min(t_rebuild, time.perf_counter() - t0)
        # a rebuild that rewrote nothing timed bookkeeping only: the row would flatter us
        if not r.written:
            raise RuntimeError("rebuild after a changed document rewrote no Parquet file")
        written.append(len(r.written))
    log(f"build: full {t_build:.1f}s, anchor {t_anchor:.2f}s, rebuild {t_rebuild:.2f}s")
    rows.append(ratio_row("rebuild", t_rebuild, "full build (row build)", t_build, 0.05,
                          note=f"one changed document rewrote {min(written)}-{max(written)} Parquet files "
                               f"(of {len(n_rows)})"))
    _fresh(repo, out)
    return rows
