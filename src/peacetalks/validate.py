"""Validation of the repository (and of a built release): the orchestration.

Order (cheap format checks before semantic ones, UD-validate style):
1. read the files into narrow Arrow tables (unreadable files become `file.unreadable`);
2. check the stored Great Expectations project is present and current (`suite.*`);
3. add derived columns (text length, sha256, text[start:end], referenced labels);
4. plain vectorized checks (checks.py) and agreement (checks_agreement.py);
5. the Great Expectations suites (gx_suites.py), failed rows turned into Incidents;
6. a JSON report and the Data Docs under .peacetalks/reports/ (git-ignored).

`validate_tables` runs steps 2-5 on tables already in memory: the benchmark times it against a
bare vectorized implementation of the same rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import CHECKS, run_plain_checks
from .checks_agreement import check_agreement, load_thresholds
from .fsio import write_json
from .model import Incident
from .paths import Repo
from .tables import Tables, add_derived_columns, tables_from_repo

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

REPORT_NAME = "validation.json"
RELEASE_REPORT_NAME = "validation-release.json"


@dataclass
class ValidationReport:
    incidents: list[Incident] = field(default_factory=list)
    # per suite: {declared, evaluated, failed, rows}; a suite key prefixed "release:" for releases
    expectations: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    json_path: Path | None = None
    data_docs: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Incident]:
        return [i for i in self.incidents if i.severity == "error"]

    @property
    def warnings(self) -> list[Incident]:
        return [i for i in self.incidents if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def fired(self) -> set[str]:
        return {i.check_id for i in self.incidents}

    def merge(self, other: ValidationReport, prefix: str = "") -> None:
        self.incidents += other.incidents
        self.expectations.update({prefix + k: v for k, v in other.expectations.items()})
        self.rows.update({prefix + k: v for k, v in other.rows.items()})
        self.data_docs += other.data_docs

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "expectations": self.expectations,
            "rows": self.rows,
            "incidents": [i.to_dict() for i in self.incidents],
            "data_docs": [str(p) for p in self.data_docs],
        }


def _sorted(incidents: list[Incident]) -> list[Incident]:
    order = {cid: n for n, cid in enumerate(CHECKS)}
    # Stable: within a check, rows stay in table order and a "... and N more" line stays last.
    return sorted(incidents, key=lambda i: order.get(i.check_id, len(order)))


def validate_tables(tables: Tables, tax: Any, validation_dir: Path, work_dir: Path, *,
                    thresholds: dict[str, float] | None = None, progress: Any = None,
                    run_gx: bool = True, data_docs: bool = True) -> ValidationReport:
    """Every check over tables in memory (steps 2-5 above)."""
    from . import gx_suites

    report = ValidationReport(incidents=list(tables.incidents), rows=tables.row_counts())
    project = gx_suites.project_problems(validation_dir)
    report.incidents += project
    t = add_derived_columns(tables, tax)
    report.incidents += run_plain_checks(t)
    if tables.origin == "repo":
        report.incidents += check_agreement(t.passes, tax, thresholds or {})
    if run_gx and not any(i.check_id == "suite.missing" and "great_expectations.yml" in i.where
                          for i in project):
        names = tuple(n for n in gx_suites.SUITE_NAMES
                      if tables.origin == "repo" or n not in gx_suites.REPO_ONLY)
        found, counts, docs = gx_suites.run_suites(t, tax, validation_dir, work_dir, names,
                                                   progress, data_docs=data_docs)
        report.incidents += found
        report.expectations = counts
        report.data_docs = [docs] if docs else []
    report.incidents = _sorted(report.incidents)
    return report


def validate_repo(repo: Repo, release_dir: Path | None = None, *, progress: Any = None,
                  write_reports: bool = True) -> ValidationReport:
    """Validate corpus/, annotations/ (and a built release when `release_dir` is given)."""
    from .taxonomy import load_taxonomy

    tax = load_taxonomy(repo.taxonomy_file)
    thresholds = load_thresholds(repo.validation_dir / "thresholds.yaml")
    tables = tables_from_repo(repo, progress=progress)
    report = validate_tables(tables, tax, repo.validation_dir, repo.reports_dir / "repo",
                             thresholds=thresholds, progress=progress, data_docs=write_reports)
    if release_dir is not None:
        from .tables_release import tables_from_release

        rel_tables = tables_from_release(Path(release_dir), tax)
        rel = validate_tables(rel_tables, tax, repo.validation_dir, repo.reports_dir / "release",
                              progress=progress, data_docs=write_reports)
        report.merge(rel, prefix="release:")
        report.incidents = _sorted(report.incidents)
    if write_reports:
        report.json_path = repo.reports_dir / REPORT_NAME
        write_json(report.json_path, report.to_dict())
    return report


SHOWN_ERRORS = 20  # incidents quoted in the exception; the JSON report has them all


def require_valid(repo: Repo, release_dir: Path | None = None) -> ValidationReport:
    """validate_repo, raising ValidationFailed (first errors quoted, report path named) when
    anything is wrong: what `peacetalks build` and `peacetalks run` stop on."""
    from .errors import ValidationFailed

    report = validate_repo(repo, release_dir)
    if not report.ok:
        what = f"the release in {release_dir}" if release_dir is not None else "the repository"
        shown = "\n".join(f"  {i}" for i in report.errors[:SHOWN_ERRORS])
        raise ValidationFailed(
            f"validation of {what} found {len(report.errors)} error(s) "
            f"(report: {report.json_path}):\n{shown}"
        )
    return report


def generate_validation_files(repo: Repo) -> list[Path]:
    """Regenerate validation/gx/ (the GE project) and validation/CHECKS.md from the code."""
    from . import gx_suites
    from .catalogue import write_catalogue

    written = []
    if gx_suites.project_problems(repo.validation_dir):
        written.append(gx_suites.write_project(repo.validation_dir))
    written.append(write_catalogue(repo.validation_dir / "CHECKS.md"))
    return written
