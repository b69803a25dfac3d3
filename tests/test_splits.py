"""Split assignment: deterministic, near-duplicates together, non-empty, frozen."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from peacetalks.errors import PeacetalksError
from peacetalks.splits import SPLITS, assign_splits, update_splits
from release_fixtures import add_document, make_repo


def ids(n: int, prefix: str = "d") -> list[str]:
    return [f"{prefix}{i:05d}" for i in range(n)]


def test_deterministic_whatever_the_input_order():
    docs = ids(200)
    clusters = {d: f"c{int(d[1:]) // 3}" for d in docs[:60]}
    a = assign_splits(docs, clusters, {})
    b = assign_splits(list(reversed(docs)), dict(reversed(list(clusters.items()))), {})
    assert a.splits == b.splits
    assert set(a.splits.values()) == set(SPLITS)


def test_shares_close_to_80_10_10():
    counts = Counter(assign_splits(ids(1000), {}, {}).splits.values())
    assert counts == {"train": 800, "validation": 100, "test": 100}


def test_near_duplicates_share_a_split():
    docs = ids(60)
    clusters = {d: f"story-{int(d[1:]) % 7}" for d in docs}  # 7 clusters of 8-9 documents
    result = assign_splits(docs, clusters, {}).splits
    by_cluster: dict[str, set[str]] = {}
    for d in docs:
        by_cluster.setdefault(clusters[d], set()).add(result[d])
    assert all(len(s) == 1 for s in by_cluster.values()), by_cluster
    assert set(result.values()) == set(SPLITS)


@pytest.mark.parametrize("sizes", [[1, 1, 1], [50, 1, 1], [1, 40, 1, 1], [5, 5, 5, 5]])
def test_every_split_non_empty_when_possible(sizes):
    docs, clusters = [], {}
    for c, size in enumerate(sizes):
        for k in range(size):
            d = f"c{c}-d{k}"
            docs.append(d)
            clusters[d] = f"c{c}"
    counts = Counter(assign_splits(docs, clusters, {}).splits.values())
    assert all(counts[s] > 0 for s in SPLITS), counts
    assert counts["train"] == max(counts.values())


def test_two_clusters_cannot_fill_three_splits():
    counts = Counter(assign_splits(["a", "b"], {}, {}).splits.values())
    assert sum(counts.values()) == 2 and len(counts) == 2


def test_frozen_documents_never_move_and_new_ones_join_their_cluster():
    first = assign_splits(ids(100), {}, {}).splits
    more = ids(150)
    # d00000's near-duplicate arrives later: it must follow d00000, wherever that is
    clusters = {"d00000": "wire-1", "d00120": "wire-1"}
    # and re-clustering never moves a released document
    second = assign_splits(more, clusters, first)
    assert {d: second.splits[d] for d in first} == first
    assert second.splits["d00120"] == first["d00000"]
    assert second.new == tuple(ids(150)[100:])
    # a recorded document that left the corpus keeps its record (it would come back there)
    third = assign_splits(ids(150)[1:], clusters, second.splits)
    assert third.splits["d00000"] == first["d00000"] and not third.new


def test_straddling_cluster_is_reported_not_moved():
    frozen = {"a": "train", "b": "test"}
    result = assign_splits(["a", "b", "c"], {"a": "k", "b": "k", "c": "k"}, frozen)
    assert result.splits["a"] == "train" and result.splits["b"] == "test"
    assert result.splits["c"] in ("train", "test")
    assert "straddles splits" in result.warnings[0]


def test_unknown_split_in_the_record_is_an_error():
    with pytest.raises(PeacetalksError, match="unknown split names"):
        assign_splits(["a"], {}, {"a": "dev"})


def test_update_splits_records_and_keeps(tmp_path):
    repo = make_repo(tmp_path, validation=False)
    for i in range(10):
        add_document(repo, i, annotate=False)
    first = update_splits(repo)
    recorded = json.loads(repo.splits_file.read_text())
    assert recorded == first.splits and len(recorded) == 10
    mtime = repo.splits_file.stat().st_mtime_ns
    again = update_splits(repo)
    assert again.new == () and repo.splits_file.stat().st_mtime_ns == mtime
    for i in range(10, 30):
        add_document(repo, i, annotate=False)
    repo.clusters_file.write_text(json.dumps({"doc-0000": "x", "doc-0029": "x"}))
    later = update_splits(repo)
    assert {d: later.splits[d] for d in recorded} == recorded
    assert later.splits["doc-0029"] == recorded["doc-0000"]
    assert len(later.new) == 20
