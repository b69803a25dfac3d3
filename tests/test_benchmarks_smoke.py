"""The benchmark harness cannot rot: a tiny run of every row, and the validate anchor implements
the same rules as peacetalks.validate. No timing is asserted here (speed targets live in
benchmarks/results.json, never in tests)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a top-level folder, not part of the package
    sys.path.insert(0, str(ROOT))

from benchmarks.__main__ import ROW_NAMES  # noqa: E402
from benchmarks.bench_validate import project_check_ids
from benchmarks.repo import change_document, make_repo
from benchmarks.synth import SyntheticCorpus
from benchmarks.validate_anchor import anchor_validate
from peacetalks.fsio import read_json, write_json
from peacetalks.model import (
    AnnotatorPass,
    Document,
    DocumentAnnotations,
    Entity,
    Layers,
    Span,
    sha256_text,
)
from peacetalks.tables import tables_from_repo
from peacetalks.validate import validate_tables

FIXED_ROWS = {"build", "rebuild", "clean_html", "clean_text", "ls_push", "ls_pull", "validate",
              "build_peak_mb", "validate_peak_mb"}


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


@pytest.mark.labelstudio
def test_smoke_run_writes_every_row(tmp_path):
    out = tmp_path / "results.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "GX_ANALYTICS_ENABLED": "false", "HF_DATASETS_CACHE": str(tmp_path / "hf")}
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--out", str(out),
                           "--work", str(tmp_path / "work")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads(out.read_text())
    rows = {r["name"]: r for r in data["rows"]}
    assert FIXED_ROWS <= set(rows) == set(ROW_NAMES)
    for name, r in rows.items():
        assert set(r) >= {"name", "value", "unit", "anchor", "anchor_value", "ratio", "goal",
                          "lower_is_better"}, name
        assert _number(r["value"]) and r["value"] > 0, (name, r["value"])
        if r["anchor_value"] is not None:  # a ratio row: both sides and their ratio
            assert _number(r["anchor_value"]) and r["anchor_value"] > 0, name
            assert r["ratio"] == pytest.approx(r["value"] / r["anchor_value"], rel=0.01, abs=1e-3)
    for name in ("build", "rebuild", "clean_html", "ls_push", "ls_pull", "validate"):
        assert _number(rows[name]["ratio"]), name
        assert rows[name]["lower_is_better"] is True
    assert rows["clean_text"]["lower_is_better"] is False and rows["clean_text"]["goal"] == 5.0
    assert rows["validate_peak_mb"]["goal"] == 4096.0 and rows["validate_peak_mb"]["unit"] == "MB"
    assert data["machine"]["packages"]["pyarrow"] and data["machine"]["cpus"] >= 1
    assert data["smoke"] is True and data["sizes"]["docs"] > 0
    assert "peacetalks benchmarks" in proc.stdout and "ls_pull" in proc.stdout  # the table


def test_synthetic_documents_are_deterministic_and_spans_exact(tax):
    a, b = SyntheticCorpus(tax, seed=3), SyntheticCorpus(tax, seed=3)
    for i in range(30):
        (d1, ann1), (d2, ann2) = a.document(i), b.document(i)
        assert d1 == d2 and ann1 == ann2
        g = ann1.gold
        assert g.entities and len(d1.text) > 500
        for span in [e.span for e in g.entities] + [q.span for q in g.quotes] + \
                [q.cue for q in g.quotes] + [e.span for e in g.events]:
            assert d1.text[span.start:span.end] == span.text
    texts = {a.document(i)[0].text for i in range(30)}
    assert len(texts) == 30
    words = " ".join(texts).split()
    assert len(set(words)) > 0.2 * len(words) / 3  # a real vocabulary, not a few repeated words


def _fault_repo(tmp_path: Path):
    repo = make_repo(tmp_path / "repo", 12, workers=1, log=lambda m: None)
    ids = sorted(p.stem for p in repo.clean_dir.glob("*.json"))

    def edit(path: Path, fn) -> None:
        d = read_json(path)
        fn(d)
        write_json(path, d)

    def gold_faults(d):
        g = d["gold"]
        g["entities"][0]["text"] = "WRONG"
        g["entities"][1]["label"] = "NOT-A-LABEL"
        g["entities"][2]["end"] = 10**6
        g["quotes"][0]["speaker"] = "nobody"
        g["quotes"][0]["cue"]["text"] = "x"
        g["events"][0]["realis"] = "MAYBE"
        g["events"][0]["arguments"][0]["role"] = "HELPER"

    def doc_faults(d):
        d["date"] = "2025-02-31"
        d["text_sha256"] = "0" * 64
        d["text"] += "\n\nMOST POPULAR STORIES"  # a boilerplate marker (whole line, any case)

    edit(repo.annotation_file(ids[0]), gold_faults)
    edit(repo.clean_dir / f"{ids[1]}.json", doc_faults)
    edit(repo.annotation_file(ids[2]), lambda d: d["status"].update(entities="half"))
    repo.annotation_file(ids[3]).unlink()
    change_document(repo, ids[4])  # a legal edit: must stay clean
    return repo


def test_validate_anchor_flags_what_validate_flags(tmp_path, tax):
    repo = _fault_repo(tmp_path)
    tables = tables_from_repo(repo)
    report = validate_tables(tables, tax, repo.validation_dir, tmp_path / "gx", data_docs=False)
    want = project_check_ids(report)
    got = anchor_validate(tables, tax)
    assert set(got) == want
    assert want == {
        "entities.span-text", "entities.label", "entities.offsets", "quotes.speaker-ref",
        "quotes.cue-text", "events.realis", "event_arguments.role", "documents.date",
        "documents.text-sha256", "documents.boilerplate", "annotations.anchor", "annotations.status",
        "annotations.missing",
    }


def test_validate_anchor_span_text_after_multibyte_characters(tmp_path, tax):
    repo = make_repo(tmp_path / "repo", 3, workers=1, log=lambda m: None)
    text = "Talks 😀 in Genève 北京 e\u0301 then 👩‍👩‍👧 Rubio said “yes” Rutte."
    spans = [("Genève", "GPE"), ("北京", "GPE"), ("Rubio", "PERSON"), ("Rutte", "PERSON")]
    ents = tuple(Entity(f"e{k}", Span(text.index(s), text.index(s) + len(s), s), label)
                 for k, (s, label) in enumerate(spans))
    sha = sha256_text(text)
    doc = Document("uni", "Unicode", text, sha, None, None, None, None, "en", sha,
                   "corpus/raw/uni.txt", "text/plain", "test")
    write_json(repo.clean_dir / "uni.json", doc.to_dict())
    layers = Layers(ents)
    ann = DocumentAnnotations("uni", sha, None, (AnnotatorPass("ann-x", 1, "t", "t", None, False,
                                                               layers),), gold=layers,
                              gold_source="single-pass:ann-x",
                              status={"entities": "done", "quotes": "done", "events": "done"})
    write_json(repo.annotation_file("uni"), ann.to_dict())
    splits = read_json(repo.splits_file)
    write_json(repo.splits_file, {**splits, "uni": "train"})
    tables = tables_from_repo(repo)
    assert anchor_validate(tables, tax) == {}
    bad = ann.to_dict()
    bad["gold"]["entities"][1]["start"] += 1  # "京" + next char: same length, wrong place
    bad["gold"]["entities"][1]["end"] += 1
    write_json(repo.annotation_file("uni"), bad)
    got = anchor_validate(tables_from_repo(repo), tax)
    assert got == {"entities.span-text": 1}
