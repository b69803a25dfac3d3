"""Near-duplicate documents: MinHash over word shingles, LSH Ensemble for candidates, union-find.

The same wire story republished by two outlets is usually trimmed or extended by one of them,
so plain Jaccard similarity is low (a 14-paragraph copy of a 27-paragraph story scores ~0.4).
What identifies it is *containment*: most of the shorter text's shingles occur in the longer
one. datasketch's MinHashLSHEnsemble indexes for containment; candidates are then verified with
the containment estimated from the two signatures and the set sizes. Everything is seeded and
sorted, so the same corpus always yields the same clusters.
"""

from __future__ import annotations

import re
from typing import Iterable

from datasketch import MinHash, MinHashLSHEnsemble

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1  # fixed: signatures (and therefore clusters) are reproducible across runs/machines
CONTAINMENT = 0.5  # share of the smaller document's shingles found in the other one

_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) <= k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def signature(shingle_set: Iterable[bytes]) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch(list(shingle_set))
    return mh


def estimated_containment(a: MinHash, size_a: int, b: MinHash, size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|), from the Jaccard estimate J: |A ∩ B| = J (|A| + |B|) / (1 + J)."""
    j = a.jaccard(b)
    inter = j * (size_a + size_b) / (1 + j)
    return min(1.0, inter / max(1, min(size_a, size_b)))


def cluster_ids(docs: Iterable[tuple[str, str]], threshold: float = CONTAINMENT) -> dict[str, str]:
    """{doc_id: cluster_id} for (doc_id, text) pairs; a cluster id is the smallest doc_id in the
    cluster, so a singleton's cluster id is its own doc_id."""
    items = sorted(docs)
    sets = {doc_id: shingles(text) for doc_id, text in items}
    sigs = {doc_id: signature(s) for doc_id, s in sets.items() if s}
    parent = {doc_id: doc_id for doc_id, _ in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    if len(sigs) > 1:
        lsh = MinHashLSHEnsemble(threshold=threshold, num_perm=NUM_PERM, num_part=8)
        lsh.index((d, sigs[d], len(sets[d])) for d in sorted(sigs))
        for d in sorted(sigs):
            for other in sorted(lsh.query(sigs[d], len(sets[d]))):
                if other == d:
                    continue
                c = estimated_containment(sigs[d], len(sets[d]), sigs[other], len(sets[other]))
                if c >= threshold:
                    ra, rb = find(d), find(other)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    return {doc_id: find(doc_id) for doc_id, _ in items}
