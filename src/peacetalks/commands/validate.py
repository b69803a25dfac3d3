"""`peacetalks validate`: check the corpus, annotations (and a built release)."""

from __future__ import annotations

from pathlib import Path

import click

from ..paths import Repo


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)


def print_report(report, echo=click.echo) -> None:
    for i in report.incidents:
        color = "red" if i.severity == "error" else "yellow"
        head = click.style(f"{i.severity.upper():7} {i.check_id}", fg=color)
        echo(f"{head}  {i.doc_id or '-'}  {i.where}: {i.message}")
    if report.expectations:
        parts = [f"{name} {c['evaluated']}/{c['declared']}" for name, c in report.expectations.items()]
        echo("Expectations evaluated/declared: " + ", ".join(parts))
    echo("Rows: " + ", ".join(f"{k} {v}" for k, v in report.rows.items()))
    if report.json_path:
        echo(f"Report: {report.json_path}")
    for docs in report.data_docs:
        echo(f"Data Docs: {docs}")
    summary = f"{len(report.errors)} errors, {len(report.warnings)} warnings"
    echo(click.style(("FAILED: " if report.errors else "OK: ") + summary,
                     fg="red" if report.errors else "green", bold=True))


@click.command("validate")
@click.option("--release", "release_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Also validate a built release folder (Parquet configs + README.md).")
@click.option("--generate", is_flag=True,
              help="Regenerate validation/gx/ (suites) and validation/CHECKS.md from the code.")
def validate_cmd(release_dir: Path | None, generate: bool) -> None:
    """Check corpus/clean, annotations/, splits and clusters (and a release with --release).

    Prints one line per incident (severity, check id, document, file and span, message),
    writes .peacetalks/reports/validation.json and the Great Expectations Data Docs, and
    exits 1 when any error was found. validation/CHECKS.md lists every check.

    \b
    Example:
      peacetalks validate
      peacetalks validate --release dist/peacetalks
      peacetalks validate --generate
    """
    from ..validate import generate_validation_files, validate_repo

    repo = Repo.find()
    if generate:
        for path in generate_validation_files(repo):
            click.echo(f"wrote {path.relative_to(repo.root)}")
        return
    with _progress() as progress:
        report = validate_repo(repo, release_dir, progress=progress)
    print_report(report)
    if report.errors:
        raise SystemExit(1)


COMMANDS: list = [validate_cmd]
