"""peacetalks validate: the command, the report, the stored suites and the catalogue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from validation_fixtures import ROOT, make_repo, write_release

from peacetalks import gx_suites
from peacetalks.catalogue import render_catalogue
from peacetalks.checks import CHECKS
from peacetalks.paths import Repo
from peacetalks.validate import validate_repo


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PEACETALKS_ROOT": str(cwd)}
    return subprocess.run([sys.executable, "-m", "peacetalks.cli", "validate", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


def test_catalogue_is_current():
    stored = (ROOT / "validation" / "CHECKS.md").read_text(encoding="utf-8")
    assert stored == render_catalogue(), "run `peacetalks validate --generate`"
    for check_id in CHECKS:
        assert f"`{check_id}`" in stored


def test_stored_suites_are_current_and_cover_every_gx_check():
    assert gx_suites.project_problems(ROOT / "validation") == []
    in_suites = {e.check_id for exps in gx_suites.suite_definitions().values() for e in exps}
    gx_checks = {c.id for c in CHECKS.values() if c.engine.startswith("gx:")}
    assert in_suites == gx_checks
    for c in CHECKS.values():
        if c.engine.startswith("gx:"):
            suite = c.engine[3:]
            assert c.id in {e.check_id for e in gx_suites.suite_definitions()[suite]}


def test_suite_files_hold_no_label_names():
    """Label sets are $PARAMETERs filled from the taxonomy, never copied into validation/."""
    from peacetalks.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "schema" / "taxonomy.yaml")
    names = set(tax.entity_labels) | set(tax.event_type_names) | set(tax.role_names)
    for path in (ROOT / "validation" / "gx").rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert not [n for n in names if f'"{n}"' in text], path


def test_cli_reports_rows_and_exits_1(tmp_path):
    root = make_repo(tmp_path, [{"file": "annotations/d1.json",
                                 "set": {"gold.entities.3.text": "Kremli "}}])
    proc = run_cli(root)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    line = next(x for x in proc.stdout.splitlines() if "entities.span-text" in x)
    # The maintainer sees file, layer, entity id, span, stored text and the text there.
    assert "annotations/d1.json: gold entity e4 [59:66]: 'Kremli ' but the text there is 'Kremlin'" in line
    assert "ERROR" in line and " d1 " in line
    assert "FAILED: 1 errors" in proc.stdout
    report = json.loads((root / ".peacetalks" / "reports" / "validation.json").read_text())
    assert report["ok"] is False and report["errors"] == 1
    assert report["incidents"][0]["check_id"] == "entities.span-text"
    assert report["incidents"][0]["doc_id"] == "d1"
    assert report["expectations"]["entities"]["evaluated"] == report["expectations"]["entities"]["declared"]
    docs = root / ".peacetalks" / "reports" / "repo" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert docs.is_file() and "Data Docs" in proc.stdout
    # validation never writes into validation/
    assert not (root / "validation" / "gx" / "uncommitted").exists()


def test_cli_ok_on_valid_repo_and_release(tmp_path):
    root = make_repo(tmp_path)
    release = write_release(root, tmp_path / "release")
    proc = run_cli(root, "--release", str(release))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK: 0 errors, 0 warnings" in proc.stdout
    assert "release:entities 11/11" in proc.stdout


def test_cli_help_has_example():
    proc = subprocess.run([sys.executable, "-m", "peacetalks.cli", "validate", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Example:" in proc.stdout and "--release" in proc.stdout


def test_generate_rewrites_a_deleted_suite(tmp_path):
    root = make_repo(tmp_path, [{"file": "validation/gx/expectations/quotes.json", "delete": True}])
    assert [i.check_id for i in gx_suites.project_problems(root / "validation")] == ["suite.missing"]
    proc = run_cli(root, "--generate")
    assert proc.returncode == 0, proc.stderr
    assert gx_suites.project_problems(root / "validation") == []
    assert validate_repo(Repo(root), write_reports=False).ok


def test_many_failures_are_capped_with_a_count(tmp_path):
    from peacetalks.checks import MAX_PER_CHECK

    n = MAX_PER_CHECK + 5
    ents = [{"id": f"x{i}", "start": 0, "end": 5, "text": "Rubix", "label": "PERSON"} for i in range(n)]
    root = make_repo(tmp_path, [{"file": "annotations/d1.json", "set": {"gold.entities": ents}},
                                {"file": "annotations/d1.json", "set": {"gold.quotes": [], "gold.events": []}}])
    report = validate_repo(Repo(root), write_reports=False)
    span = [i for i in report.incidents if i.check_id == "entities.span-text"]
    assert len(span) == MAX_PER_CHECK + 1
    assert span[-1].message == "... and 5 more rows like the above"


def test_release_built_by_the_project_validates(tmp_path):
    """The real builder's output (not the test writer) passes every check."""
    from peacetalks.build import build_release

    root = make_repo(tmp_path)
    if (ROOT / "dataset_card.md").is_file():
        (root / "dataset_card.md").write_bytes((ROOT / "dataset_card.md").read_bytes())
    out = tmp_path / "dist"
    build_release(Repo(root), out, version="0.1.0")
    report = validate_repo(Repo(root), out, write_reports=False)
    assert [str(i) for i in report.incidents] == []
    assert report.expectations["release:entities"]["rows"] == 8  # d1's six + d3's two gold entities
    assert report.expectations["release:entities"]["evaluated"] == report.expectations["release:entities"]["declared"]


def test_release_row_in_two_splits_is_reported(tmp_path):
    import shutil

    root = make_repo(tmp_path)
    release = write_release(root, tmp_path / "release")
    # The same documents file appearing as a second split: every document is in two splits.
    shutil.copy(release / "data/documents/test-00000-of-00001.parquet",
                release / "data/documents/validation-00000-of-00001.parquet")
    report = validate_repo(Repo(root), release, write_reports=False)
    disjoint = [i for i in report.incidents if i.check_id == "splits.disjoint"]
    assert [i.doc_id for i in disjoint] == ["d3", "d3"]
    assert "more than one split" in disjoint[0].message


def test_ci_workflow_runs_make_test_and_keeps_reports():
    import yaml

    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert "pull_request" in wf[True]  # YAML 1.1 reads the key `on` as True
    steps = wf["jobs"]["test"]["steps"]
    assert any(s.get("run") == "make test" for s in steps)
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == ".peacetalks/reports" and upload["if"] == "always()"
    assert "peacetalks validate" in (ROOT / "Makefile").read_text()


def test_validate_tables_in_memory(tmp_path):
    """The entry point the benchmark times: tables built in memory, no files read."""
    from peacetalks.model import sha256_text
    from peacetalks.tables import Tables, empty, from_columns
    from peacetalks.taxonomy import load_taxonomy
    from peacetalks.validate import validate_tables

    tax = load_taxonomy(ROOT / "schema" / "taxonomy.yaml")
    text = "Peskov said talks were difficult."
    docs = from_columns("documents", {
        "doc_id": ["a"], "file": ["mem"], "title": ["t"], "text": [text],
        "text_sha256": [sha256_text(text)], "date": ["2025-05-16"], "language": ["en"],
        "raw_sha256": ["0" * 64], "cleaner_version": ["1"]})
    ents = from_columns("entities", {
        "doc_id": ["a", "a"], "file": ["mem", "mem"], "layer": ["gold", "gold"], "id": ["e1", "e2"],
        "start": [0, 12], "end": [6, 99], "text": ["Peskov", "talks"], "label": ["PERSON", "EVENT"]})
    tables = Tables(documents=docs, entities=ents, quotes=empty("quotes"), events=empty("events"),
                    event_arguments=empty("event_arguments"),
                    splits=from_columns("splits", {"doc_id": ["a"], "file": ["mem"], "split": ["train"]}),
                    clusters=empty("clusters"), annotations=empty("annotations"), origin="release")
    report = validate_tables(tables, tax, ROOT / "validation", tmp_path / "work", data_docs=False)
    assert [(i.check_id, i.where) for i in report.incidents] == [
        ("entities.offsets", "mem: gold entity e2 [12:99]")]
    assert "<= 33 (the text length)" in report.incidents[0].message


def test_reading_in_small_batches_gives_the_same_tables_and_findings(tmp_path, monkeypatch):
    """tables_from_repo converts rows to Arrow in batches (memory); the batch size must not
    change a value, a row order or what the checks report (incl. span text after a batch edge)."""
    import peacetalks.tables as tables_mod
    from peacetalks.tables import SCHEMAS, tables_from_repo

    root = make_repo(tmp_path, [{"file": "annotations/d1.json",
                                 "set": {"gold.entities.3.text": "Kremli "}}])
    repo = Repo(root)
    whole = tables_from_repo(repo)
    first = validate_repo(repo, write_reports=False)
    monkeypatch.setattr(tables_mod, "ROWS_PER_BATCH", 2)
    batched = tables_from_repo(repo)
    assert whole.entities.num_rows > 4  # several batches, really
    assert batched.entities["doc_id"].num_chunks > 1
    for name in SCHEMAS:
        assert batched.table(name).combine_chunks().equals(whole.table(name).combine_chunks()), name
    again = validate_repo(repo, write_reports=False)
    assert [i.to_dict() for i in again.incidents] == [i.to_dict() for i in first.incidents]
    assert [i.check_id for i in again.errors] == ["entities.span-text"]
