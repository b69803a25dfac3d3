"""Releases: validated, semver-checked, committed and tagged in a dataset git repository, with a
generated CHANGELOG; splits frozen across releases; an older tag loads from a git worktree."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

import datasets
import pytest

from peacetalks.errors import ReleaseError, SchemaError
from peacetalks.fsio import read_json, write_json
from peacetalks.release import push_release, release
from peacetalks.version import read_dataset_version, write_dataset_version
from release_fixtures import add_document, make_corpus


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "false")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Two real releases (the real validator runs on each), and the refusals in between."""
    tmp = tmp_path_factory.mktemp("history")
    repo = make_corpus(tmp, 12)
    dataset = tmp / "dataset"
    first = release(repo, "minor", dataset)
    splits_1 = read_json(dataset / "release_manifest.json")["documents"]
    changelog_1 = (repo.root / "CHANGELOG.md").read_text()

    for i in range(12, 20):  # new documents, and one changed annotation layer
        add_document(repo, i)
    ann = read_json(repo.annotation_file("doc-0003"))
    ann["gold"]["quotes"] = []
    write_json(repo.annotation_file("doc-0003"), ann)
    with pytest.raises(ReleaseError) as too_small:
        release(repo, "patch", dataset)
    status_after_refusal = git(dataset, "status", "--porcelain")
    second = release(repo, "minor", dataset)

    with pytest.raises(ReleaseError) as nothing:
        release(repo, "patch", dataset)
    return SimpleNamespace(repo=repo, dataset=dataset, first=first, second=second, tmp=tmp,
                           splits_1=splits_1, changelog_1=changelog_1, too_small=too_small.value,
                           nothing=nothing.value, status_after_refusal=status_after_refusal)


def test_versions_tags_and_one_place_for_the_version(history):
    h = history
    assert (h.first.version, h.second.version) == ("0.1.0", "0.2.0")
    assert git(h.dataset, "tag", "--list").split() == ["v0.1.0", "v0.2.0"]
    assert git(h.dataset, "rev-parse", "v0.2.0^{commit}") == h.second.commit
    assert read_dataset_version(h.repo) == "0.2.0"
    pyproject = (h.repo.root / "pyproject.toml").read_text()
    assert '# the dataset version\ndataset-version = "0.2.0"\n' in pyproject  # one line edited
    assert (h.repo.schema_dir / "released" / "taxonomy.yaml").read_bytes() == h.repo.taxonomy_file.read_bytes()
    assert "release 0.2.0" in (h.dataset / "README.md").read_text()
    assert git(h.dataset, "status", "--porcelain") == ""


def test_too_small_bump_is_refused_and_leaves_nothing_behind(history):
    msg = str(history.too_small)
    assert "--bump patch is too small" in msg and "requires --bump minor" in msg
    assert "8 document(s) added, 1 document(s) with changed annotations" in msg
    assert history.status_after_refusal == ""
    assert "nothing changed since v0.2.0" in str(history.nothing)


def test_splits_are_frozen_across_releases(history):
    second = read_json(history.dataset / "release_manifest.json")["documents"]
    assert {d: v[0] for d, v in history.splits_1.items()} == {d: second[d][0] for d in history.splits_1}
    assert len(second) == 20
    recorded = read_json(history.repo.splits_file)
    assert {d: recorded[d] for d in second} == {d: v[0] for d, v in second.items()}


def test_changelog_is_generated_from_the_diff(history):
    text = (history.repo.root / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog")
    assert text.index("## v0.2.0") < text.index("## v0.1.0")  # newest first
    entry = text[text.index("## v0.2.0"):text.index("## v0.1.0")]
    assert "Bump: minor (previous release: v0.1.0)." in entry
    assert "- Documents added: 8 (`doc-0012`, `doc-0013`" in entry
    assert "- Documents annotations changed: 1 (`doc-0003`)" in entry
    assert "- Documents removed: 0" in entry and "- Schema: unchanged (taxonomy 1.0.0)." in entry
    # per-split table with deltas: every document has one quote, doc-0003 lost its quote
    second = read_json(history.dataset / "release_manifest.json")["documents"]
    split = history.splits_1["doc-0003"][0]
    before = sum(1 for v in history.splits_1.values() if v[0] == split)
    added = sum(1 for d, v in second.items() if d not in history.splits_1 and v[0] == split)
    row = next(line for line in entry.splitlines() if line.startswith(f"| {split} |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == f"{before + added} ({added:+d})"  # documents
    assert cells[4] == f"{before + added - 1} ({added - 1:+d})"  # quotes
    person = next(line for line in entry.splitlines() if line.startswith("| PERSON |"))
    assert f"{2 * (before + added)} ({2 * added:+d})" in person  # two PERSON mentions per document
    assert (history.dataset / "CHANGELOG.md").read_text() == text
    assert "- Documents added: 12" in history.changelog_1


def test_old_release_loads_from_a_git_worktree(history, tmp_path):
    old = tmp_path / "v0.1.0"
    git(history.dataset, "worktree", "add", "--detach", str(old), "v0.1.0")
    try:
        dd = datasets.load_dataset(str(old), "documents", cache_dir=str(tmp_path / "c"))
        assert sum(dd[s].num_rows for s in dd) == 12
        new = datasets.load_dataset(str(history.dataset), "documents", cache_dir=str(tmp_path / "c2"))
        assert sum(new[s].num_rows for s in new) == 20
        old_quotes = datasets.load_dataset(str(old), "quotes", cache_dir=str(tmp_path / "c3"))
        assert "doc-0003" in {r["doc_id"] for s in old_quotes for r in old_quotes[s]}
    finally:
        git(history.dataset, "worktree", "remove", "--force", str(old))


def test_metadata_fix_is_a_patch_and_validation_failure_refuses(tmp_path):
    repo = make_corpus(tmp_path, 6)
    dataset = tmp_path / "dataset"
    release(repo, "major", dataset)
    path = repo.clean_dir / "doc-0002.json"
    doc = read_json(path)
    doc["title"] = "Talks update two (corrected headline)"
    write_json(path, doc)
    patch = release(repo, "patch", dataset)
    assert patch.version == "1.0.1" and patch.diff.metadata_changed == ["doc-0002"]
    assert patch.diff.required == "patch"
    # an invalid date is not a build error but a validation error: nothing is released
    doc["date"] = "2025-13-45"
    write_json(path, doc)
    with pytest.raises(ReleaseError, match="validation failed with .* error"):
        release(repo, "patch", dataset)
    assert git(dataset, "tag", "--list").split() == ["v1.0.0", "v1.0.1"]
    assert read_dataset_version(repo) == "1.0.1"


def test_schema_break_requires_a_major_bump(tmp_path):
    repo = make_corpus(tmp_path, 6)
    dataset = tmp_path / "dataset"
    release(repo, "minor", dataset)
    tax = repo.taxonomy_file.read_text()
    assert "  NEGATED:\n" in tax  # the fixture data never uses it; removing it is still breaking
    head, rest = tax.split("  NEGATED:\n", 1)
    rest = rest.split("\n", 2)[2]  # drop its description and example lines
    repo.taxonomy_file.write_text(head.replace("schema_version: 1.0.0", "schema_version: 2.0.0") + rest)
    with pytest.raises(ReleaseError, match=r"a major schema change requires --bump major"):
        release(repo, "minor", dataset)
    assert git(dataset, "tag", "--list").split() == ["v0.1.0"]
    # the schema's own version must say so too
    repo.taxonomy_file.write_text(head + rest)
    with pytest.raises(ReleaseError, match="schema_version 1.0.0 is too low for a major change"):
        release(repo, "major", dataset)


def test_released_taxonomy_is_validated_like_the_current_one(tmp_path):
    repo = make_corpus(tmp_path, 3)
    dataset = tmp_path / "dataset"
    release(repo, "minor", dataset)
    released = repo.released_taxonomy
    assert released.read_text() == repo.taxonomy_file.read_text()
    # A duplicate key: yaml.safe_load would silently keep the last value; load_taxonomy refuses.
    released.write_text("schema_version: 9.9.9\n" + released.read_text())
    add_document(repo, 3)
    with pytest.raises(SchemaError, match=r"released/taxonomy\.yaml.*duplicate"):
        release(repo, "minor", dataset)
    assert git(dataset, "tag", "--list").split() == ["v0.1.0"]


def test_refuses_a_foreign_or_dirty_dataset_repository(tmp_path):
    repo = make_corpus(tmp_path, 3, validation=False)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not a git repository")
    with pytest.raises(ReleaseError, match="not a git repository"):
        release(repo, "minor", foreign)
    write_dataset_version(repo, "0.3.0")
    empty = tmp_path / "empty"
    with pytest.raises(ReleaseError, match="pyproject.toml says dataset-version 0.3.0 but .* holds release 0.0.0"):
        release(repo, "minor", empty)


def test_push_without_token_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with pytest.raises(ReleaseError, match="cannot push to me/peacetalks: no Hugging Face token"):
        push_release(tmp_path, "me/peacetalks", "v0.1.0")


def test_push_with_a_token_but_no_network_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_TOKEN", "hf_" + "x" * 34)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    import huggingface_hub.constants as c

    monkeypatch.setattr(c, "ENDPOINT", "http://127.0.0.1:9")
    (tmp_path / "README.md").write_text("x")
    with pytest.raises(ReleaseError, match="cannot push v0.1.0 to the Hub repository me/peacetalks"):
        push_release(tmp_path, "me/peacetalks", "v0.1.0")
