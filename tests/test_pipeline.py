"""Declared steps rerun only what changed, and one end-to-end smoke test of the whole flow:
raw files → ingest → clean → split → validate → build → `datasets.load_dataset`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
from click.testing import CliRunner

from peacetalks.cli import cli
from peacetalks.paths import Repo
from peacetalks.pipeline import Pipeline, Step, run_steps

ROOT = Path(__file__).resolve().parents[1]


def _toy(tmp_path: Path) -> tuple[Repo, Pipeline, list[str]]:
    repo = Repo(tmp_path)
    (tmp_path / "in.txt").write_text("a")
    calls: list[str] = []

    def upper(r: Repo) -> str:
        calls.append("upper")
        (r.root / "out.txt").write_text((r.root / "in.txt").read_text().upper())
        return "ok"

    def count(r: Repo) -> str:
        calls.append("count")
        (r.root / "n.txt").write_text(str(len((r.root / "out.txt").read_text())))
        return "ok"

    p = Pipeline()
    p.add(Step("upper", "", ("in.txt",), ("out.txt",), upper))
    p.add(Step("count", "", ("out.txt",), ("n.txt",), count, needs=("upper",)))
    return repo, p, calls


def test_steps_rerun_only_when_inputs_change(tmp_path):
    repo, p, calls = _toy(tmp_path)
    assert [r.ran for r in run_steps(repo, p, ["count"])] == [True, True]
    assert [r.ran for r in run_steps(repo, p, ["count"])] == [False, False]
    (tmp_path / "in.txt").write_text("abc")
    results = run_steps(repo, p, ["count"])
    assert [(r.name, r.ran, r.reason) for r in results] == [
        ("upper", True, "inputs changed"), ("count", True, "inputs changed")]
    assert (tmp_path / "n.txt").read_text() == "3"
    (tmp_path / "n.txt").unlink()
    assert [(r.ran, r.reason) for r in run_steps(repo, p, ["count"])] == [
        (False, ""), (True, "missing n.txt")]
    assert calls == ["upper", "count", "upper", "count", "count"]


def test_whole_flow_from_raw_files_to_load_dataset(tmp_path, monkeypatch):
    """Ingest the committed raw files into an empty repository and run every step: the cleaned
    documents and clusters come out identical to the committed ones (generated files are
    current), the committed annotations stay anchored, and the release loads."""
    root = tmp_path / "repo"
    for rel in ("schema", "validation"):
        shutil.copytree(ROOT / rel, root / rel, ignore=shutil.ignore_patterns("uncommitted"))
    (root / "annotations").mkdir()
    for path in list((ROOT / "annotations").glob("*.json")) + [ROOT / "annotations" / "annotators.yaml"]:
        shutil.copy(path, root / "annotations" / path.name)
    shutil.copy(ROOT / "dataset_card.md", root / "dataset_card.md")
    (root / "pyproject.toml").write_text('[tool.peacetalks]\ndataset-version = "0.0.0"\n')
    monkeypatch.setenv("PEACETALKS_ROOT", str(root))
    monkeypatch.chdir(root)

    raw_inputs = tmp_path / "incoming"
    manifest = json.loads((ROOT / "corpus" / "raw" / "manifest.json").read_text())
    raw_inputs.mkdir()
    for entry in manifest["files"].values():
        shutil.copy(ROOT / entry["raw_file"], raw_inputs / entry["original_name"])

    runner = CliRunner()
    ingested = runner.invoke(cli, ["ingest", str(raw_inputs)])
    assert ingested.exit_code == 0, ingested.output
    assert "5 added" in ingested.output

    ran = runner.invoke(cli, ["run"])
    assert ran.exit_code == 0, ran.output
    assert [line.split()[0] for line in ran.output.splitlines() if line and not line.startswith(" ")][:5] == [
        "clean", "split", "schema", "validate", "release"]

    repo = Repo(root)
    for path in sorted((ROOT / "corpus" / "clean").glob("*.json")):
        assert (repo.clean_dir / path.name).read_bytes() == path.read_bytes(), path.name
    assert repo.clusters_file.read_bytes() == (ROOT / "corpus" / "clusters.json").read_bytes()
    assert json.loads(repo.splits_file.read_text()) == json.loads((ROOT / "corpus" / "splits.json").read_text())

    gold = sum(len(json.loads(p.read_text())["gold"]["entities"]) for p in repo.annotations_dir.glob("*.json"))
    entities = datasets.load_dataset(str(repo.release_dir), "entities")
    assert sum(len(entities[s]) for s in entities) == gold
    names = entities["train"].features["label"].names
    from peacetalks.taxonomy import load_taxonomy

    assert names == load_taxonomy(repo.taxonomy_file).entity_labels

    again = runner.invoke(cli, ["run"])
    assert again.exit_code == 0, again.output
    assert "clean      skipped" in again.output and "release    skipped" in again.output
