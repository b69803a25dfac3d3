"""`peacetalks run`: the declared steps of the corpus, rerunning only what changed."""

from __future__ import annotations

import click

from ..paths import Repo
from ..pipeline import Pipeline, Step, run_steps


def _clean(repo: Repo) -> str:
    from ..clean import clean_corpus
    from ..errors import PeacetalksError

    report = clean_corpus(repo)
    if report.rejected:
        raise PeacetalksError("; ".join(str(r) for r in report.rejected))
    return f"{len(report.written)} documents, {len(set(report.clusters.values()))} clusters"


def _split(repo: Repo) -> str:
    from ..splits import update_splits

    assignment = update_splits(repo)
    counts: dict[str, int] = {}
    for split in assignment.splits.values():
        counts[split] = counts.get(split, 0) + 1
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))


def _cleaner_version() -> str:
    from ..clean import CLEANER_VERSION

    return CLEANER_VERSION


def _schema(repo: Repo) -> str:
    from ..generate import write_all

    return f"{len(write_all(repo))} generated files rewritten (the rest are current)"


def _validate(repo: Repo) -> str:
    from ..validate import require_valid

    return f"ok ({len(require_valid(repo).incidents)} warnings)"


def _build(repo: Repo) -> str:
    from ..build import build_release
    from ..validate import require_valid

    result = build_release(repo, repo.release_dir, verify="full")
    require_valid(repo, result.out_dir)
    docs = sum(result.rows["documents"].values())
    return (f"{docs} documents in {result.out_dir}, verified by load_dataset, validated; try:\n"
            f"  python -c 'import datasets; print({result.load_line()})'")


def corpus_pipeline() -> Pipeline:
    p = Pipeline()
    p.add(Step("clean", "raw files → corpus/clean/ + near-duplicate clusters",
               ("corpus/raw/**/*",), ("corpus/clean", "corpus/clusters.json"), _clean,
               version=_cleaner_version))
    p.add(Step("split", "clusters → corpus/splits.json (frozen: assigned once, never moved)",
               ("corpus/clean/*.json", "corpus/clusters.json"), ("corpus/splits.json",), _split,
               needs=("clean",)))
    p.add(Step("schema", "schema/taxonomy.yaml → schema/generated/",
               ("schema/taxonomy.yaml",), ("schema/generated",), _schema))
    p.add(Step("validate", "Great Expectations suites + checks over corpus/ and annotations/",
               ("corpus/**/*", "annotations/*.json", "schema/**/*", "validation/**/*"), (),
               _validate, needs=("split", "schema"), always=True))
    p.add(Step("release", "Parquet configs × splits + card into dist/peacetalks, verified",
               ("corpus/clean/*.json", "corpus/*.json", "annotations/*.json", "annotations/*.yaml",
                "annotations/GUIDELINES.md", "schema/**/*",
                "dataset_card.md", "pyproject.toml"),
               ("dist/peacetalks/README.md",), _build, needs=("validate",)))
    return p


@click.command("run")
@click.argument("targets", nargs=-1)
@click.option("--force", is_flag=True, help="Run the steps even if their inputs did not change.")
@click.option("--list", "list_steps", is_flag=True, help="List the steps and exit.")
def run_cmd(targets: tuple[str, ...], force: bool, list_steps: bool) -> None:
    """Run pipeline steps (default: `release`, i.e. everything), skipping up-to-date ones.

    Steps: clean → split → schema → validate → release. A step reruns when its inputs (files and code
    version) changed since its last successful run, or when an output is missing.

    \b
    Example:
      peacetalks run            # everything up to the release in dist/peacetalks
      peacetalks run clean      # only re-clean the corpus if corpus/raw changed
      peacetalks run --list
    """
    pipeline = corpus_pipeline()
    if list_steps:
        for step in pipeline.steps.values():
            needs = f" (needs {', '.join(step.needs)})" if step.needs else ""
            click.echo(f"{step.name:10} {step.help}{needs}")
        return
    repo = Repo.find()
    for result in run_steps(repo, pipeline, list(targets) or ["release"], force=force):
        mark = "ran" if result.ran else "skipped"
        why = f" [{result.reason}]" if result.reason else ""
        click.echo(f"{result.name:10} {mark}{why}: {result.summary}")


COMMANDS = [run_cmd]
