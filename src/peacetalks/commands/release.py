"""CLI commands of the release stage: `peacetalks build` and `peacetalks release`."""

from __future__ import annotations

from pathlib import Path

import click

from ..paths import Repo


@click.command("build")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Release folder (default: dist/peacetalks in the repository).")
@click.option("--verify", type=click.Choice(["auto", "full"]), default="auto", show_default=True,
              help="full: load every config and split back with load_dataset; auto: do that when "
                   "everything was rebuilt, else check only what changed.")
@click.option("--no-validate", is_flag=True, help="Skip the validation of the built release.")
def build_cmd(out: Path | None, verify: str, no_validate: bool) -> None:
    """Build the dataset release (Parquet configs × splits, README.md card, checksums),
    verify it by loading it back, validate it, and print where it is.

    \b
    Example:
      peacetalks build --out dist/peacetalks
      python -c 'import datasets; print(datasets.load_dataset("dist/peacetalks", "ner"))'
    """
    from ..build import build_release

    repo = Repo.find()
    result = build_release(repo, out, verify=verify)
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    validated = "skipped"
    if not no_validate:
        from ..validate import require_valid

        require_valid(repo, result.out_dir)
        validated = "ok"
    docs = sum(result.rows["documents"].values())
    click.echo(f"Release built in {result.out_dir} ({docs} documents, "
               f"{len(result.written)} Parquet files written, {len(result.reused)} unchanged, "
               f"verified: {result.verified}, validation: {validated}, {result.seconds:.1f}s)")
    click.echo("Try it:")
    click.echo(f"  python -c 'import datasets; print({result.load_line()})'")


@click.command("release")
@click.option("--bump", type=click.Choice(["major", "minor", "patch"]), required=True,
              help="Size of the version change; refused when smaller than the change requires.")
@click.option("--repo", "dataset_repo", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="The dataset repository folder (a git repository; created if missing).")
@click.option("--push", "push_repo_id", default=None, metavar="REPO_ID",
              help="Also upload the release and its tag to this Hugging Face Hub dataset repository.")
def release_cmd(bump: str, dataset_repo: Path, push_repo_id: str | None) -> None:
    """Validate, build and publish a new version: commit + tag vX.Y.Z in the dataset repository,
    record the version in pyproject.toml and a generated entry in CHANGELOG.md.

    \b
    Example:
      peacetalks release --bump minor --repo ../peacetalks-dataset
      peacetalks release --bump patch --repo ../peacetalks-dataset --push my-org/peacetalks
    """
    from ..release import release

    result = release(Repo.find(), bump, dataset_repo, push_repo_id)
    click.echo(f"Released {result.tag} (previous: {result.previous}) in {result.dataset_repo} "
               f"at commit {result.commit[:12]}")
    if result.pushed:
        click.echo(f"Pushed to the Hub: {result.pushed}")
    click.echo(f"An older version: git -C {result.dataset_repo} worktree add ../old v<version>")


COMMANDS = [build_cmd, release_cmd]
