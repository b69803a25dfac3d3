"""The release build: every config and split loads with the schema's labels, byte-reproducible,
incremental, honest when nothing is annotated, and its self-verification catches datasets' traps."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from peacetalks import build as build_mod
from peacetalks.build import build_release
from peacetalks.errors import ReleaseError
from peacetalks.features import CONFIG_NAMES, SPLITS, release_features
from peacetalks.fsio import read_json, write_json
from peacetalks.taxonomy import load_taxonomy
from peacetalks.tokenize import ner_doc, resolve_overlaps, tokenize
from peacetalks.verify import check_class_ids, verify_release
from release_fixtures import add_document, make_corpus, make_repo, pending_annotations


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))


def load(out: Path, config: str, tmp_path: Path):
    return datasets.load_dataset(str(out), config, cache_dir=str(tmp_path / "load-cache"))


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("built")
    repo = make_corpus(tmp, 12, validation=False)
    write_json(repo.clusters_file, {"doc-0000": "wire", "doc-0001": "wire"})
    result = build_release(repo, tmp / "out")
    return repo, result, tmp


def test_every_config_and_split_loads_with_class_labels(built, tmp_path):
    repo, result, _ = built
    tax = load_taxonomy(repo.taxonomy_file)
    features = release_features(tax)
    assert result.verified == "full"
    for config in CONFIG_NAMES:
        dd = load(result.out_dir, config, tmp_path)
        assert sorted(dd) == sorted(SPLITS), config
        for split in SPLITS:
            assert dd[split].features == features[config]
            assert dd[split].num_rows == result.rows[config][split] > 0
    docs = load(result.out_dir, "documents", tmp_path)
    ent_names = docs["train"].features["entities"].feature["label"].names
    assert ent_names == tax.entity_labels
    row = next(r for s in SPLITS for r in docs[s] if r["doc_id"] == "doc-0003")
    assert [ent_names[e["label"]] for e in row["entities"]] == ["PERSON", "DATE", "GPE", "PERSON"]
    assert [e["text"] for e in row["entities"]][:3] == ["Dmitry Peskov", "Tuesday", "Riyadh"]
    quote = row["quotes"][0]
    assert quote["speaker"] == "Peskov" and quote["cue"] == "said"
    assert row["text"][quote["start"]:quote["end"]] == quote["text"]
    ev = row["events"][0]
    assert ev["text"] == "talks" and ev["cameo"] == ["04"]
    assert [a["text"] for a in ev["arguments"]] == ["Riyadh", "Tuesday"]
    assert row["gold_source"] == "single-pass:ann-000000"

    ner = load(result.out_dir, "ner", tmp_path)
    tags = ner["train"].features["ner_tags"].feature.names
    assert tags[:3] == ["O", f"B-{tax.entity_labels[0]}", f"I-{tax.entity_labels[0]}"]
    first = next(r for s in SPLITS for r in ner[s] if r["id"] == "doc-0003-00000")
    labelled = [(t, tags[k]) for t, k in zip(first["tokens"], first["ner_tags"]) if k]
    assert labelled == [("Dmitry", "B-PERSON"), ("Peskov", "I-PERSON"), ("Tuesday", "B-DATE"),
                        ("Riyadh", "B-GPE")]
    passes = load(result.out_dir, "annotator_passes", tmp_path)
    assert sum(passes[s].num_rows for s in SPLITS) == 12
    assert passes["train"][0]["annotator"].startswith("ann-")


def test_near_duplicates_share_a_split_in_the_release(built):
    _, result, _ = built
    docs = result.manifest["documents"]
    assert docs["doc-0000"][0] == docs["doc-0001"][0]


def test_card_front_matter_is_generated_from_features(built):
    _, result, _ = built
    text = (result.out_dir / "README.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert [c["config_name"] for c in meta["configs"]] == sorted(CONFIG_NAMES)
    assert next(c for c in meta["configs"] if c["config_name"] == "documents")["default"] is True
    assert meta["language"] == ["en"] and meta["size_categories"] == ["n<1K"]
    assert meta["license"] == "unknown"
    info = {i["config_name"]: i for i in meta["dataset_info"]}
    assert {s["name"]: s["num_examples"] for s in info["quotes"]["splits"]} == result.rows["quotes"]
    assert "{{" not in text
    assert "| `documents` |" in text and "No licence is recorded" in text
    assert "12 submitted annotation passes by 1 annotator(s)" in text
    # statistics are per split and per label
    stats = result.manifest["splits"]
    assert sum(stats[s]["entities"]["PERSON"] for s in SPLITS) == 24
    assert sum(stats[s]["documents"] for s in SPLITS) == 12


def test_checksums_manifest_matches_files(built):
    _, result, _ = built
    lines = (result.out_dir / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    files = {p.relative_to(result.out_dir).as_posix() for p in result.out_dir.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS"}
    for rel, digest in listed.items():
        assert hashlib.sha256((result.out_dir / rel).read_bytes()).hexdigest() == digest
    assert (result.out_dir / "taxonomy.yaml").read_bytes() == (built[0].taxonomy_file).read_bytes()


def test_byte_reproducible(built, tmp_path):
    repo, result, _ = built
    # same repository state, another folder, no build cache: identical bytes
    shutil.rmtree(repo.cache_dir, ignore_errors=True)
    again = build_release(repo, tmp_path / "again")
    assert tree_bytes(again.out_dir) == tree_bytes(result.out_dir)


def test_incremental_rebuild_rewrites_only_the_changed_shard(tmp_path):
    repo = make_corpus(tmp_path, 30, validation=False)
    out = tmp_path / "out"
    first = build_release(repo, out, docs_per_shard=5)
    assert not first.reused and first.verified == "full"
    unchanged = build_release(repo, out, docs_per_shard=5)
    assert not unchanged.written and unchanged.verified == "changed"
    # change one document's annotations (drop its event)
    path = repo.annotation_file("doc-0007")
    ann = read_json(path)
    ann["gold"]["events"] = []
    write_json(path, ann)
    second = build_release(repo, out, docs_per_shard=5)
    changed = {Path(p).name for p in second.written}
    assert len(changed) == 1, second.written  # one shard, in every config that has rows
    assert {Path(p).parent.name for p in second.written} >= {"documents", "events", "ner"}
    assert len(second.reused) > len(second.written)
    fresh = build_release(repo, tmp_path / "fresh", docs_per_shard=5)
    assert tree_bytes(fresh.out_dir) == tree_bytes(out)
    assert sum(second.manifest["splits"][s]["events"].get("CONSULT", 0) for s in SPLITS) == 29


def test_row_groups_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(build_mod, "ROW_GROUP_ROWS", 4)
    repo = make_corpus(tmp_path, 12, validation=False)
    result = build_release(repo, tmp_path / "out")
    meta = pq.ParquetFile(result.out_dir / result.files["entities"]["train"][0]).metadata
    assert meta.num_rows > 4 and meta.num_row_groups == -(-meta.num_rows // 4)
    assert meta.row_group(0).column(0).compression == "ZSTD"


def test_build_without_any_annotation_is_honest(tmp_path):
    repo = make_repo(tmp_path, validation=False)
    for i in range(6):
        doc = add_document(repo, i, annotate=False)
        if i % 2:
            write_json(repo.annotation_file(doc.doc_id), pending_annotations(doc).to_dict())
    result = build_release(repo, tmp_path / "out")
    assert {c for c, s in result.files.items() if s} == {"documents", "ner"}
    text = (result.out_dir / "README.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["annotations_creators"] == ["no-annotation"]
    assert "No annotations exist yet" in text
    assert "absent (no rows yet)" in text
    docs = datasets.load_dataset(str(result.out_dir), "documents", cache_dir=str(tmp_path / "c"))
    assert all(r["entities"] == [] and r["gold_source"] is None for s in docs for r in docs[s])


def test_bad_span_stops_the_build_naming_file_and_span(tmp_path):
    repo = make_corpus(tmp_path, 4, validation=False)
    path = repo.annotation_file("doc-0002")
    ann = read_json(path)
    ann["gold"]["entities"][0]["start"] += 1
    write_json(path, ann)
    with pytest.raises(ReleaseError, match=r"annotations/doc-0002.json: gold: entity e1 \[1:11\] 'Hakan Fidan' but the text there is 'akan Fidan'"):
        build_release(repo, tmp_path / "out")


def test_unknown_label_and_stale_anchor_are_refused(tmp_path):
    repo = make_corpus(tmp_path, 4, validation=False)
    path = repo.annotation_file("doc-0001")
    ann = read_json(path)
    ann["gold"]["events"][0]["type"] = "NEGOTIATE"
    write_json(path, ann)
    with pytest.raises(ReleaseError, match="event type 'NEGOTIATE' is not in schema/taxonomy.yaml"):
        build_release(repo, tmp_path / "out")
    ann["text_sha256"] = "0" * 64
    write_json(path, ann)
    with pytest.raises(ReleaseError, match="doc-0001.json: anchored to text_sha256 000000000000"):
        build_release(repo, tmp_path / "out")


def test_verification_catches_a_typo_in_config_name(built, tmp_path):
    repo, result, _ = built
    out = tmp_path / "copy"
    shutil.copytree(result.out_dir, out)
    readme = out / "README.md"
    readme.write_text(readme.read_text().replace("- config_name: ner\n  features:", "- config_name: nre\n  features:"))
    features = release_features(load_taxonomy(repo.taxonomy_file))
    result.out_dir, saved = out, result.out_dir
    try:
        with pytest.raises(ReleaseError, match="ner: the features datasets reads"):
            verify_release(out, features, result, {}, full=False)
    finally:
        result.out_dir = saved


def test_verification_catches_a_missing_column_and_bad_class_ids(built, tmp_path):
    repo, result, _ = built
    features = release_features(load_taxonomy(repo.taxonomy_file))
    out = tmp_path / "copy"
    shutil.copytree(result.out_dir, out)
    rel = result.files["entities"]["train"][0]
    table = pq.read_table(out / rel)
    saved = result.out_dir
    result.out_dir = out
    try:
        pq.write_table(table.drop_columns(["text"]), out / rel)
        with pytest.raises(ReleaseError, match=r"entities/train .*: columns missing \['text'\]"):
            verify_release(out, features, result, {}, full=False)
        # right schema, wrong values (what a missing column looks like after load_dataset)
        nulls = table.set_column(table.schema.get_field_index("text"), table.schema.field("text"),
                                 pa.nulls(table.num_rows, pa.string()))
        pq.write_table(nulls, out / rel)
        with pytest.raises(ReleaseError, match=r"entities/train .*: column text differs after loading"):
            verify_release(out, features, result, {rel: table}, full=False)
    finally:
        result.out_dir = saved
    bad = table.set_column(table.schema.get_field_index("label"), "label",
                           pa.array([99] * table.num_rows, pa.int64()))
    with pytest.raises(ReleaseError, match=r"column label has class ids outside 0..7"):
        check_class_ids(bad, features["entities"], "entities/train")


def test_unknown_card_placeholder_is_an_error(tmp_path):
    repo = make_corpus(tmp_path, 3, validation=False)
    repo.dataset_card.write_text(repo.dataset_card.read_text() + "\n{{statistcs}}\n")
    with pytest.raises(ReleaseError, match=r"unknown placeholders \['statistcs'\]"):
        build_release(repo, tmp_path / "out")


# --- tokenization of the ner config -------------------------------------------------------

def test_tokenizer_rules():
    text = "Mr. Smith of the U.S. didn't see Ukraine's 1,000.5 Euro-Atlantic O'Brien (\"ok\")."
    assert [t.text for t in tokenize(text)] == [
        "Mr.", "Smith", "of", "the", "U.S.", "did", "n't", "see", "Ukraine", "'s", "1,000.5",
        "Euro-Atlantic", "O'Brien", "(", '"', "ok", '"', ")", ".",
    ]
    # entity boundaries cut tokens
    assert [t.text for t in tokenize("Ukraine-Russia talks", [0, 7])] == ["Ukraine", "-Russia", "talks"]


def test_sentences_and_iob2():
    text = 'Gen. Doe met J. Smith in Paris. "Fine." He left.\nNew paragraph here'
    doc = ner_doc(text, [(5, 8, "PERSON"), (13, 21, "PERSON"), (25, 30, "GPE")])
    assert [s.tokens for s in doc.sentences] == [
        ("Gen.", "Doe", "met", "J", ".", "Smith", "in", "Paris", "."),
        ('"', "Fine", ".", '"'), ("He", "left", "."), ("New", "paragraph", "here"),
    ]
    assert doc.sentences[0].tags == ("O", "B-PERSON", "O", "B-PERSON", "I-PERSON", "I-PERSON",
                                     "O", "B-GPE", "O")
    assert doc.n_tokens == 19 and doc.dropped == 0


def test_overlapping_entities_longest_wins():
    kept, dropped = resolve_overlaps([(0, 4, "ORG"), (0, 12, "EVENT"), (10, 20, "GPE"), (14, 20, "LOC")])
    assert kept == [(0, 12, "EVENT"), (14, 20, "LOC")] and dropped == 2
    doc = ner_doc("NATO meeting in Antalya", [(0, 4, "ORG"), (0, 12, "EVENT")])
    assert doc.sentences[0].tags == ("B-EVENT", "I-EVENT", "O", "O") and doc.dropped == 1


def test_rebuild_retokenises_only_the_changed_document(tmp_path, monkeypatch):
    from peacetalks import shards

    repo = make_corpus(tmp_path, 30, validation=False)
    out = tmp_path / "out"
    build_release(repo, out, docs_per_shard=10, workers=1)
    made: list[str] = []
    real = shards.document_rows
    monkeypatch.setattr(shards, "document_rows", lambda doc, *a: made.append(doc.doc_id) or real(doc, *a))
    path = repo.annotation_file("doc-0011")
    ann = read_json(path)
    ann["gold"]["events"] = []
    write_json(path, ann)
    second = build_release(repo, out, docs_per_shard=10, workers=1)
    assert made == ["doc-0011"]  # the shard's other documents were sliced from its old files
    assert len({Path(p).name for p in second.written}) == 1
    # the same bytes as a build from scratch (no build cache at all)
    shutil.rmtree(repo.cache_dir / "build")
    fresh = build_release(repo, tmp_path / "fresh", docs_per_shard=10, workers=1)
    assert tree_bytes(fresh.out_dir) == tree_bytes(out)
    assert made[1:] and "doc-0011" in made[1:]


def test_process_pool_gives_the_same_bytes(tmp_path, monkeypatch):
    from peacetalks import shards

    monkeypatch.setattr(shards, "POOL_MIN_DOCS", 0)
    repo = make_corpus(tmp_path, 12, validation=False)
    one = build_release(repo, tmp_path / "one", docs_per_shard=3, workers=1)
    shutil.rmtree(repo.cache_dir / "build")
    two = build_release(repo, tmp_path / "two", docs_per_shard=3, workers=2)
    assert len(two.written) == len(one.written) > 6
    assert tree_bytes(one.out_dir) == tree_bytes(two.out_dir)
