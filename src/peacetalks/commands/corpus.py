"""CLI commands of the corpus stage: ingest raw files, clean the corpus, clean outside files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable

import click

from ..paths import Repo
from ..progress import progress_bar


def _track(items: Iterable[Any], description: str, total: int) -> Iterable[Any]:
    with progress_bar(description, total) as advance:
        for item in items:
            yield item
            advance(1)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; directories contribute their files (recursively, sorted, no dotfiles)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        else:
            out.append(p)
    return out


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--publisher", help="Provenance for the new files (only fills empty fields).")
@click.option("--url", help="Source URL (only fills empty fields).")
@click.option("--retrieved-at", help="When the files were fetched, ISO 8601.")
@click.option("--licence", help="Licence of the files, e.g. CC-BY-4.0 (never guessed).")
def ingest_cmd(paths: tuple[Path, ...], publisher: str | None, url: str | None,
               retrieved_at: str | None, licence: str | None) -> None:
    """Add raw text/HTML files to corpus/raw/ (byte-identical) and its manifest.

    The same bytes twice are one document; a changed file under a known name becomes a new
    version and the old raw file is kept (marked superseded). Files that are empty, binary,
    too large or contain no article are refused with a reason; the others are still added.
    Run `peacetalks clean` afterwards to (re)build corpus/clean/.

    \b
    Example:
      peacetalks ingest ~/Downloads/rubio-antalya.html notes/dump.txt
      peacetalks ingest --publisher "Kyiv Ledger" --licence CC-BY-4.0 incoming/
    """
    from ..ingest import ingest_paths

    files = _expand(paths)
    given = {"publisher": publisher, "url": url, "retrieved_at": retrieved_at, "licence": licence}
    repo = Repo.find()
    with progress_bar("ingesting", len(files)) as advance:
        report = ingest_paths(repo, files, given, progress=lambda _: advance(1))
    for where, notes in report.repaired:
        click.echo(f"repaired {where}: {', '.join(notes)}")
    for old, new in report.superseded:
        click.echo(f"new version {new} supersedes {old}")
    for exc in report.rejected:
        click.secho(f"rejected {exc}", fg="red", err=True)
    click.echo(f"{len(report.added)} added, {len(report.unchanged)} already present, "
               f"{len(report.rejected)} rejected")
    if report.rejected:
        sys.exit(1)


@click.command("clean")
def clean_cmd() -> None:
    """Re-clean every current raw file into corpus/clean/ and recompute corpus/clusters.json.

    Stale cleaned files (superseded versions) are removed; all files are replaced together.

    \b
    Example:
      peacetalks clean
    """
    from ..clean import clean_corpus

    report = clean_corpus(Repo.find(), track=_track)
    for exc in report.rejected:
        click.secho(f"rejected {exc}", fg="red", err=True)
    clusters = len(set(report.clusters.values()))
    click.echo(f"{len(report.written)} documents cleaned, {len(report.removed)} stale removed, "
               f"{len(report.rejected)} rejected, {clusters} near-duplicate clusters")
    if report.rejected:
        sys.exit(1)


@click.command("clean-files")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the <input file name>.json results (created if missing).")
def clean_files_cmd(paths: tuple[Path, ...], out: Path) -> None:
    """Clean files that are not in the corpus; writes OUT/<input file name>.json each.

    Exit status: 0 when every file was cleaned, 1 when some were rejected (their names and
    reasons are printed, the others are still written), 2 on usage errors.

    \b
    Example:
      peacetalks clean-files page1.html dump.txt --out /tmp/cleaned
    """
    from ..clean import clean_files

    names = [p.name for p in paths]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise click.UsageError(f"two inputs share the file name {dupes[0]!r}; outputs would collide")
    written, rejected = clean_files(list(paths), out, track=_track)
    for exc in rejected:
        click.secho(f"rejected {exc.where}: {exc.reason}", fg="red", err=True)
    click.echo(f"{len(written)} cleaned into {out}, {len(rejected)} rejected")
    if rejected:
        sys.exit(1)


COMMANDS: list = [ingest_cmd, clean_cmd, clean_files_cmd]
