"""Near-duplicate clustering (peacetalks.dedup)."""

from __future__ import annotations

from pathlib import Path

from peacetalks.dedup import cluster_ids, estimated_containment, shingles, signature
from peacetalks.fsio import read_json
from peacetalks.ingest import current_entries, load_manifest
from peacetalks.paths import Repo
from peacetalks.store import load_documents

REPO = Repo.find(Path(__file__).parent)


def _ids_by_prefix() -> dict[str, str]:
    return {e["original_name"][:3]: e["doc_id"] for e in current_entries(load_manifest(REPO))}


def test_seed_wire_story_copies_share_a_cluster_others_are_singletons() -> None:
    ids = _ids_by_prefix()
    docs = load_documents(REPO)
    clusters = cluster_ids((d.doc_id, d.text) for d in docs)
    assert clusters[ids["000"]] == clusters[ids["001"]] == min(ids["000"], ids["001"])
    for key in ("002", "003", "004"):
        assert clusters[ids[key]] == ids[key]
    assert read_json(REPO.clusters_file) == clusters  # the committed file is current


def test_clusters_are_deterministic_and_order_independent() -> None:
    docs = [(d.doc_id, d.text) for d in load_documents(REPO)]
    assert cluster_ids(docs) == cluster_ids(list(reversed(docs))) == cluster_ids(docs)


def test_trimmed_copy_clusters_with_its_source_and_unrelated_text_does_not() -> None:
    docs = {d.doc_id: d.text for d in load_documents(REPO)}
    ids = _ids_by_prefix()
    source = docs[ids["004"]]
    paras = source.split("\n\n")
    trimmed = "\n\n".join(paras[: len(paras) // 3])  # an outlet that ran the first third only
    edited = source.replace("Rubio", "Marco Rubio").replace("said", "stated", 3)
    out = cluster_ids([("a-source", source), ("b-trimmed", trimmed), ("c-edited", edited),
                       ("d-other", docs[ids["002"]]), ("e-empty", "")])
    assert out == {"a-source": "a-source", "b-trimmed": "a-source", "c-edited": "a-source",
                   "d-other": "d-other", "e-empty": "e-empty"}


def test_containment_estimate_is_close_to_exact() -> None:
    docs = {d.doc_id: d.text for d in load_documents(REPO)}
    ids = _ids_by_prefix()
    a, b = shingles(docs[ids["000"]]), shingles(docs[ids["001"]])
    exact = len(a & b) / min(len(a), len(b))
    est = estimated_containment(signature(a), len(a), signature(b), len(b))
    assert abs(est - exact) < 0.15 and est > 0.6
