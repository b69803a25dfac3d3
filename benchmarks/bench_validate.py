"""Rows `validate`, `validate_read` and `validate_peak_mb`.

validate: `peacetalks.validate.validate_tables` (every plain check, derived columns and the
Great Expectations suites with Data Docs, as `peacetalks validate` runs them) against
benchmarks/validate_anchor.py (the same rules vectorized), both over the same tables in memory.
Both must flag the same check ids, so the anchor cannot win by skipping work.
validate_read: reading the repository's JSON files into those tables (no goal; reported so the
whole `peacetalks validate` time is visible). validate_peak_mb: the whole `validate_repo` in a
fresh process (goal < 4096 MB).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from peacetalks.checks_agreement import load_thresholds
from peacetalks.paths import Repo
from peacetalks.tables import tables_from_repo
from peacetalks.taxonomy import load_taxonomy
from peacetalks.validate import validate_repo, validate_tables

from .harness import Row, best_of, peak_rss_mb, ratio_row
from .validate_anchor import anchor_validate

# Not rules over the tables: the GE project's files, agreement (multi-pass documents only), and
# what tables_from_repo reports while reading files (unreadable files, ids, annotator registry).
NOT_IN_ANCHOR = ("suite.", "agreement.", "file.", "annotations.undeclared-annotator")


def project_check_ids(report) -> set[str]:
    """Check ids peacetalks.validate flagged (errors and warnings) that the anchor implements."""
    return {i.check_id for i in report.incidents if not i.check_id.startswith(NOT_IN_ANCHOR)}


def bench_validate(repo: Repo, work: Path, repeat: int, log=print) -> list[Row]:
    tax = load_taxonomy(repo.taxonomy_file)
    thresholds = load_thresholds(repo.validation_dir / "thresholds.yaml")
    log("validate: reading the repository into tables ...")
    t0 = time.perf_counter()
    tables = tables_from_repo(repo)
    t_read = time.perf_counter() - t0
    out: dict = {}

    def project() -> None:
        out["report"] = validate_tables(tables, tax, repo.validation_dir, work / "validate-gx",
                                        thresholds=thresholds)

    def anchor() -> None:
        out["anchor"] = anchor_validate(tables, tax)

    t_project = t_anchor = float("inf")
    for _ in range(max(1, repeat)):
        t_anchor = min(t_anchor, best_of(anchor, 1))
        t_project = min(t_project, best_of(project, 1))
    report = out["report"]
    got, want = set(out["anchor"]), project_check_ids(report)
    if got != want:
        raise AssertionError(f"the anchor and peacetalks.validate disagree: anchor flags "
                             f"{sorted(got)}, validate flags {sorted(want)}")
    shutil.rmtree(work / "validate-gx", ignore_errors=True)
    rows = report.rows
    log(f"validate: project {t_project:.2f}s, anchor {t_anchor:.2f}s, read {t_read:.1f}s")
    note = (f"{rows.get('documents', 0)} documents, {rows.get('entities', 0)} entity rows "
            f"(gold + pass), {rows.get('quotes', 0)} quote rows, {rows.get('events', 0)} event rows; "
            f"{len(report.errors)} errors ({', '.join(sorted(want)) or 'none'})")
    return [
        ratio_row("validate", t_project, "same rules vectorized (pyarrow + numpy)", t_anchor, 3.0,
                  note=note),
        Row("validate_read", round(t_read, 3), "s", "", None, None, None, True,
            note="tables_from_repo: reading the JSON files (part of `peacetalks validate`, "
                 "outside the validate row; no goal)"),
    ]


def validate_in_child(root: str) -> None:
    validate_repo(Repo(Path(root)))


def bench_validate_peak(repo: Repo) -> list[Row]:
    mb = peak_rss_mb("benchmarks.bench_validate:validate_in_child", str(repo.root))
    return [Row("validate_peak_mb", round(mb, 1), "MB", "", None, None, 4096.0, True,
                note="peak RSS of the whole validate_repo in a fresh process")]
