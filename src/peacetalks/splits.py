"""Split assignment: deterministic, near-duplicates together, frozen once recorded.

corpus/splits.json ({doc_id: split}) is the record (UD style): a document listed there never
moves, even if it later leaves the corpus (if it comes back it returns to the same split). Only
documents not yet listed are assigned, so adding documents never reshuffles a released split.

Rules for new documents, in order:
1. A document whose near-duplicate cluster (corpus/clusters.json {doc_id: cluster_id}) already has
   recorded members joins their split (the split holding most of them; ties in SPLITS order).
   Documents missing from clusters.json form a cluster of their own.
2. The remaining new clusters are placed largest first (ties broken by sha256 of the cluster id,
   so the result depends neither on file order nor on insertion order), each into the split that
   is furthest below its target share (RATIOS) of the corpus after this assignment.
3. Every split gets at least one document when the corpus allows it: if a split is still empty,
   the smallest newly placed cluster is moved there from the split holding the most documents.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from .errors import PeacetalksError
from .fsio import read_json, write_json
from .paths import Repo

SPLITS: tuple[str, ...] = ("train", "validation", "test")
# Target shares: 80/10/10, the usual shape of small annotated corpora (CoNLL, UD treebanks).
RATIOS: dict[str, float] = {"train": 0.8, "validation": 0.1, "test": 0.1}


@dataclass(frozen=True)
class SplitAssignment:
    splits: dict[str, str]  # every recorded doc_id -> split (frozen ones included), sorted
    new: tuple[str, ...]  # doc ids assigned by this call
    warnings: tuple[str, ...]  # e.g. a cluster whose recorded members straddle two splits

    def counts(self, doc_ids: Iterable[str] | None = None) -> dict[str, int]:
        ids = self.splits if doc_ids is None else doc_ids
        c = Counter(self.splits[d] for d in ids)
        return {s: c.get(s, 0) for s in SPLITS}


def _cluster_order_key(cluster_id: str, size: int) -> tuple[int, str]:
    return (-size, hashlib.sha256(cluster_id.encode("utf-8")).hexdigest())


def assign_splits(
    doc_ids: Iterable[str],
    clusters: Mapping[str, str],
    frozen: Mapping[str, str],
    ratios: Mapping[str, float] = RATIOS,
) -> SplitAssignment:
    """Pure function: the split of every document in `doc_ids`, keeping `frozen` as it is."""
    bad = sorted({s for s in frozen.values() if s not in SPLITS})
    if bad:
        raise PeacetalksError(f"corpus/splits.json: unknown split names {bad} (allowed: {SPLITS})")
    doc_ids = sorted(set(doc_ids))
    in_corpus = set(doc_ids)
    result: dict[str, str] = dict(frozen)
    warnings: list[str] = []
    cluster_of = {d: clusters.get(d, d) for d in set(doc_ids) | set(frozen)}

    # Most clusters hold one document: those are placed directly (a fresh one becomes a new
    # cluster), and only the multi-document clusters are grouped and looked at as a whole.
    sizes = Counter(cluster_of.values())
    members: dict[str, list[str]] = defaultdict(list)
    new_clusters: dict[str, list[str]] = {}
    for d in sorted(cluster_of):
        cid = cluster_of[d]
        if sizes[cid] > 1:
            members[cid].append(d)
        elif d not in frozen and d in in_corpus:
            new_clusters[cid] = [d]

    # Rule 1: clusters with recorded members.
    for cid in sorted(members):
        docs = members[cid]
        recorded = Counter(frozen[d] for d in docs if d in frozen)
        fresh = [d for d in docs if d not in frozen and d in in_corpus]
        if len(recorded) > 1:
            warnings.append(
                f"near-duplicate cluster {cid!r} straddles splits {dict(sorted(recorded.items()))}; "
                "recorded documents are never moved"
            )
        if not fresh:
            continue
        if recorded:
            target = max(SPLITS, key=lambda s: (recorded.get(s, 0), -SPLITS.index(s)))
            for d in fresh:
                result[d] = target
        else:
            new_clusters[cid] = fresh

    # Rule 2: greedy by deficit, largest clusters first.
    counts = Counter(result[d] for d in result if d in in_corpus)
    total = len(doc_ids)
    placed: dict[str, str] = {}
    for cid in sorted(new_clusters, key=lambda c: _cluster_order_key(c, len(new_clusters[c]))):
        size = len(new_clusters[cid])
        target = max(
            SPLITS,
            key=lambda s: (ratios[s] * total - counts[s], -SPLITS.index(s)),
        )
        placed[cid] = target
        counts[target] += size

    # Rule 3: no empty split when there are enough clusters to fill all of them.
    for split in SPLITS:
        if counts[split] > 0:
            continue
        donors = [
            c for c in placed
            if counts[placed[c]] - len(new_clusters[c]) > 0  # never empty the donor split
        ]
        if not donors:
            continue
        donor_split = max({placed[c] for c in donors}, key=lambda s: (counts[s], -SPLITS.index(s)))
        movable = [c for c in donors if placed[c] == donor_split]
        cid = min(movable, key=lambda c: (len(new_clusters[c]), _cluster_order_key(c, 0)))
        counts[donor_split] -= len(new_clusters[cid])
        counts[split] += len(new_clusters[cid])
        placed[cid] = split

    for cid, split in placed.items():
        for d in new_clusters[cid]:
            result[d] = split
    new = tuple(sorted(d for d in doc_ids if d not in frozen))  # linear when already sorted
    return SplitAssignment({d: result[d] for d in sorted(result)}, new, tuple(warnings))


def load_clusters(repo: Repo) -> dict[str, str]:
    path = repo.clusters_file
    if not path.is_file():
        return {}
    data = read_json(path)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise PeacetalksError(f"{path}: expected a JSON object {{doc_id: cluster_id}} of strings")
    return data


def load_frozen(repo: Repo) -> dict[str, str]:
    path = repo.splits_file
    if not path.is_file():
        return {}
    data = read_json(path)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise PeacetalksError(f"{path}: expected a JSON object {{doc_id: split}} of strings")
    return data


def update_splits(repo: Repo, doc_ids: Iterable[str] | None = None) -> SplitAssignment:
    """Assign every not yet recorded document and record it in corpus/splits.json.

    The file is rewritten only when something new was assigned, so an unchanged corpus leaves
    the repository untouched."""
    ids = repo.doc_ids() if doc_ids is None else sorted(doc_ids)
    frozen = load_frozen(repo)
    assignment = assign_splits(ids, load_clusters(repo), frozen)
    if assignment.new or not repo.splits_file.is_file():
        write_json(repo.splits_file, assignment.splits)
    return assignment
