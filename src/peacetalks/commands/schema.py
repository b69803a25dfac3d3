"""CLI commands of the schema stage: generate artifacts from schema/taxonomy.yaml, check that
they are current, and classify changes against the last released schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..paths import Repo


@click.group("schema")
def schema_group() -> None:
    """The label taxonomy (schema/taxonomy.yaml) and everything generated from it.

    \b
    Example:
      peacetalks schema generate
      peacetalks schema check
      peacetalks schema diff
    """


def _rel(repo: Repo, path: Path) -> str:
    try:
        return str(path.relative_to(repo.root))
    except ValueError:
        return str(path)


@schema_group.command("generate")
def generate_cmd() -> None:
    """Regenerate schema/generated/ (Label Studio config, JSON Schema, release features, label
    tables) and the label tables in annotations/GUIDELINES.md from schema/taxonomy.yaml.

    Files are written together or not at all; unchanged files are left alone.

    \b
    Example:
      peacetalks schema generate
    """
    from ..generate import unexpected_files, write_all

    repo = Repo.find()
    changed = write_all(repo)
    for path in changed:
        click.echo(f"wrote {_rel(repo, path)}")
    if not changed:
        click.echo("generated files are already current")
    for path in unexpected_files(repo):
        click.secho(f"warning: {_rel(repo, path)} is not a generated file: remove it", fg="yellow",
                    err=True)


@schema_group.command("check")
def check_cmd() -> None:
    """Exit 1 if a generated file is missing, stale or unknown (run `peacetalks schema generate`).

    \b
    Example:
      peacetalks schema check
    """
    from ..generate import check_current

    repo = Repo.find()
    stale = check_current(repo)
    if stale:
        for path in stale:
            click.secho(f"stale: {_rel(repo, path)}", fg="red", err=True)
        click.secho("Error: generated schema files are not current: run `peacetalks schema "
                    "generate`", fg="red", err=True)
        sys.exit(1)
    click.echo("generated schema files are current")


@schema_group.command("diff")
@click.option("--against", "against", type=click.Path(dir_okay=False, path_type=Path),
              help="Taxonomy to compare with (default: schema/released/taxonomy.yaml).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def diff_cmd(against: Path | None, as_json: bool) -> None:
    """Compare schema/taxonomy.yaml with the last released taxonomy and print the version bump
    the change requires: major (label removed, renamed, moved or reordered; allowed labels
    narrowed), minor (label appended, allowed labels widened) or patch (wording only).

    \b
    Example:
      peacetalks schema diff
      peacetalks schema diff --against /tmp/old-taxonomy.yaml --json
    """
    from ..errors import SchemaError
    from ..schema_diff import diff_files

    repo = Repo.find()
    if against is not None and not against.is_file():
        raise SchemaError(f"{against}: no such taxonomy file")
    result = diff_files(against or repo.released_taxonomy, repo.taxonomy_file)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        for line in result.lines():
            click.echo(line)


COMMANDS: list = [schema_group]
