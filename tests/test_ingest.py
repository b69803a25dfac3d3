"""Raw ingest: byte-identical storage, manifest, idempotence, versions, hand edits (peacetalks.ingest)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from peacetalks.cli import cli
from peacetalks.clean import clean_corpus
from peacetalks.fsio import read_json, write_json
from peacetalks.ingest import current_entries, ingest_paths, load_manifest
from peacetalks.paths import Repo

REPO = Repo.find(Path(__file__).parent)
ARTICLE = (
    "Talks resume in Geneva\n"
    "Negotiators from both sides met in Geneva on Monday for a new round of talks on a ceasefire, "
    "officials said, after weeks of preparation by Swiss and Turkish diplomats.\n"
    "The delegations agreed to meet again next week and to exchange lists of prisoners, according to "
    "a statement released by the Swiss foreign ministry after the meeting ended.\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    (tmp_path / "schema").mkdir()
    (tmp_path / "corpus" / "raw").mkdir(parents=True)
    (tmp_path / "corpus" / "clean").mkdir(parents=True)
    return Repo(tmp_path)


def seed_copies(tmp_path: Path) -> list[Path]:
    """The seeds as an outside user would have them (original names, from the committed raw)."""
    out = tmp_path / "incoming"
    out.mkdir()
    manifest = load_manifest(REPO)
    paths = []
    for entry in current_entries(manifest):
        target = out / entry["original_name"]
        shutil.copyfile(REPO.root / entry["raw_file"], target)
        paths.append(target)
    return sorted(paths)


def test_committed_seeds_are_raw_and_described(tmp_path: Path) -> None:
    manifest = load_manifest(REPO)
    names = sorted(e["original_name"] for e in manifest["files"].values())
    assert [n[:4] for n in names] == ["000_", "001_", "002_", "003_", "004_"]
    for doc_id, e in manifest["files"].items():
        data = (REPO.root / e["raw_file"]).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        assert e["sha256"] == digest and doc_id == digest[:16] == e["doc_id"]
        assert e["size"] == len(data) and e["media_type"] == "text/plain" and e["encoding"] == "utf-8"
        assert e["raw_file"] == f"corpus/raw/{doc_id}.txt"
        for key in ("publisher", "url", "retrieved_at", "licence"):
            assert key in e  # null unless someone filled it in: never guessed


def test_ingest_is_byte_identical_and_idempotent(repo: Repo, tmp_path: Path) -> None:
    paths = seed_copies(tmp_path)
    report = ingest_paths(repo, paths)
    assert len(report.added) == 5 and not report.rejected
    for p in paths:
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        assert (repo.raw_dir / f"{digest[:16]}.txt").read_bytes() == p.read_bytes()
    before = repo.manifest.read_bytes()
    again = ingest_paths(repo, paths)
    assert not again.added and len(again.unchanged) == 5
    assert repo.manifest.read_bytes() == before
    assert json.loads(before) == json.loads((REPO.manifest).read_bytes())  # what is committed


def test_changed_file_under_old_name_is_a_new_version(repo: Repo, tmp_path: Path) -> None:
    src = tmp_path / "story.txt"
    src.write_text(ARTICLE)
    first = ingest_paths(repo, [src]).added[0]
    manifest = read_json(repo.manifest)
    manifest["files"][first]["publisher"] = "Geneva Gazette"  # a maintainer's hand edit
    write_json(repo.manifest, manifest)
    src.write_text(ARTICLE + "A third paragraph was added later by the editors of the page, with more detail.\n")
    report = ingest_paths(repo, [src])
    second = report.added[0]
    assert second != first and report.superseded == [(first, second)]
    files = read_json(repo.manifest)["files"]
    assert files[first]["superseded_by"] == second and files[second]["supersedes"] == first
    assert files[second]["version"] == 2 and files[second]["publisher"] == "Geneva Gazette"
    assert (repo.root / files[first]["raw_file"]).read_text() == ARTICLE  # old raw kept
    assert [e["doc_id"] for e in current_entries(load_manifest(repo))] == [second]


def test_hand_edits_survive_reingest_and_options_only_fill_gaps(repo: Repo, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE)
    doc_id = ingest_paths(repo, [src], {"licence": "CC-BY-4.0"}).added[0]
    manifest = read_json(repo.manifest)
    manifest["files"][doc_id]["url"] = "https://example.org/geneva"
    write_json(repo.manifest, manifest)
    ingest_paths(repo, [src], {"url": "https://other.example/", "publisher": "Gazette"})
    entry = read_json(repo.manifest)["files"][doc_id]
    assert entry["url"] == "https://example.org/geneva"  # not overwritten
    assert entry["publisher"] == "Gazette" and entry["licence"] == "CC-BY-4.0"
    assert entry["retrieved_at"] is None


@pytest.mark.parametrize("name", ["../../etc/passwd", "Ünïcödé name (1).txt", "a b?c*.html", "CON"])
def test_ids_are_filename_safe_whatever_the_name(repo: Repo, tmp_path: Path, name: str) -> None:
    safe = tmp_path / "in" / name.replace("/", "_")
    safe.parent.mkdir(exist_ok=True)
    safe.write_text(ARTICLE if not name.endswith(".html") else f"<html><body><article><p>{ARTICLE}</p></article></body></html>")
    doc_id = ingest_paths(repo, [safe]).added[0]
    entry = read_json(repo.manifest)["files"][doc_id]
    assert entry["original_name"] == safe.name
    assert entry["raw_file"] in (f"corpus/raw/{doc_id}.txt", f"corpus/raw/{doc_id}.html")
    assert all(c in "0123456789abcdef" for c in doc_id) and len(doc_id) == 16


def test_bad_files_are_refused_and_the_batch_proceeds(repo: Repo, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blob = tmp_path / "photo.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    report = ingest_paths(repo, [empty, good, blob])
    assert len(report.added) == 1
    assert sorted((e.where, e.reason) for e in report.rejected) == [
        (str(empty), "empty"), (str(blob), "binary")]
    assert blob.read_bytes().startswith(b"\x89PNG") and empty.exists()  # inputs untouched
    assert len(list(repo.raw_dir.glob("*.txt"))) == 1


def test_clean_corpus_writes_documents_clusters_and_drops_superseded(repo: Repo, tmp_path: Path) -> None:
    src = tmp_path / "story.txt"
    src.write_text(ARTICLE)
    old = ingest_paths(repo, [src]).added[0]
    clean_corpus(repo)
    assert (repo.clean_dir / f"{old}.json").exists()
    src.write_text(ARTICLE.replace("Monday", "Tuesday"))
    new = ingest_paths(repo, [src]).added[0]
    report = clean_corpus(repo)
    assert report.written == [new] and report.removed == [old]
    assert sorted(p.stem for p in repo.clean_dir.glob("*.json")) == [new]
    assert read_json(repo.clusters_file) == {new: new}


def test_cli_ingest_and_clean(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEACETALKS_ROOT", str(repo.root))
    paths = seed_copies(tmp_path)
    empty = tmp_path / "incoming" / "zz_empty.txt"
    empty.write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(tmp_path / "incoming")])
    assert result.exit_code == 1, result.output
    assert "5 added" in result.output and "zz_empty.txt: empty" in result.output
    result = runner.invoke(cli, ["clean"])
    assert result.exit_code == 0, result.output
    assert "5 documents cleaned" in result.output and "4 near-duplicate clusters" in result.output
    assert len(paths) == 5
