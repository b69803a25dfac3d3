"""One shard of the release: its documents' rows for every config, written as Parquet.

A shard is a pure function of its documents' input files (plus code, taxonomy and Features), so
shards are built independently, in a process pool when there are many (build_shards), and the
bytes do not depend on which process built them or in what order.

Per-document reuse: next to the shard's Parquet files the build keeps a small sidecar (under
.peacetalks/cache/build/) with each document's key (hash of its input files, cluster and the
code/features version), its statistics and its number of rows per config. When a shard is
rebuilt because one of its documents changed, the rows of the unchanged documents are sliced
out of the shard's previous Parquet files instead of being re-read and re-tokenised, so a rebuild
after one changed document re-tokenises that one document.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import multiprocessing as mp
import os
import pickle
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from .errors import ReleaseError
from .features import CONFIG_NAMES
from .fsio import atomic_write_bytes, load_cache_pickle, read_json
from .gcpause import gc_paused
from .model import Document, DocumentAnnotations
from .rows import Codes, DocStats, Row, check_row_keys, document_rows
from .splits import SPLITS
from .store import load_document

SIDECAR_FORMAT = 1
POOL_MIN_DOCS = 2_000  # below this a worker's start-up (imports) costs more than it saves


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Shard:
    split: str
    index: int
    count: int
    doc_ids: list[str]
    key: str = ""
    doc_keys: dict[str, str] = field(default_factory=dict)  # doc_id -> key of its inputs

    @property
    def name(self) -> str:
        return f"{self.split}-{self.index:05d}-of-{self.count:05d}.parquet"


@dataclass
class ShardJob:
    """Everything a worker needs to build one shard (picklable; no repository scan)."""

    root: str
    out_dir: str
    shard: Shard
    clusters: dict[str, str]
    ann_hashes: dict[str, str]
    codes: Codes
    features: dict[str, Features]
    row_group_rows: int
    sidecar: str  # path of this shard's sidecar (per-document keys, stats, row counts)
    reuse_rows: bool  # the shard's previous Parquet files are intact: slice unchanged documents


def plan_shards(splits: dict[str, str], doc_ids: list[str], per_shard: int) -> list[Shard]:
    """Shards per split; a document's shard is a hash of its id (stable while the count is)."""
    shards: list[Shard] = []
    for split in SPLITS:
        ids = sorted(d for d in doc_ids if splits[d] == split)
        if not ids:
            continue
        count = max(1, math.ceil(len(ids) / per_shard))
        buckets: list[list[str]] = [[] for _ in range(count)]
        for d in ids:
            buckets[int(sha256(d.encode())[:8], 16) % count].append(d)
        shards += [Shard(split, i, count, b) for i, b in enumerate(buckets)]
    return shards


def parquet_bytes(table: pa.Table, schema: pa.Schema, row_group_rows: int) -> bytes:
    buf = io.BytesIO()
    # An empty table is written with no row group at all: datasets' Parquet reader fails on a
    # zero-row row group ("BatchSize must be greater than 0"); such shards are left out of the
    # card's data_files anyway, but the file must not exist half-broken either.
    with pq.ParquetWriter(buf, schema, compression="zstd") as writer:
        if table.num_rows:
            writer.write_table(table, row_group_size=row_group_rows)
    return buf.getvalue()


def write_public(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data)
    path.chmod(0o644)  # temp files are created 0600; a published file is world-readable


def load_pair(root: Path, d: str) -> tuple[Document, DocumentAnnotations | None]:
    doc = load_document(root / "corpus" / "clean" / f"{d}.json")
    if doc.doc_id != d:
        raise ReleaseError(f"corpus/clean/{d}.json: its doc_id is {doc.doc_id!r}, not {d!r}")
    path = root / "annotations" / f"{d}.json"
    ann = None
    if path.is_file():
        try:
            ann = DocumentAnnotations.from_dict(read_json(path))
        except (ValueError, KeyError, TypeError) as exc:
            raise ReleaseError(f"annotations/{d}.json: not a valid annotation file ({exc})") from exc
    return doc, ann


def stats_dict(stats: list[DocStats]) -> dict[str, Any]:
    ent, quo, eve, gs, by = Counter(), Counter(), Counter(), Counter(), Counter()
    annotators: set[str] = set()
    for s in stats:
        ent.update(s.entities), quo.update(s.quotes), eve.update(s.events), gs.update(s.gold_sources)
        annotators |= s.annotators
        by.update(s.passes_by_annotator)
    return {
        "documents": len(stats),
        "tokens": sum(s.tokens for s in stats),
        "sentences": sum(s.sentences for s in stats),
        "entities": dict(sorted(ent.items())),
        "quotes": dict(sorted(quo.items())),
        "events": dict(sorted(eve.items())),
        "passes": sum(s.passes for s in stats),
        "ner_dropped": sum(s.ner_dropped for s in stats),
        "gold_sources": dict(sorted(gs.items())),
        "annotators": sorted(annotators),
        "passes_by_annotator": dict(sorted(by.items())),
        "languages": dict(sorted(Counter(s.language for s in stats).items())),
        "publishers": dict(sorted(Counter(s.publisher for s in stats).items())),
    }


# Metadata of a document: everything but the text and where it came from in the raw file.
META_FIELDS = tuple(f.name for f in dataclasses.fields(Document)
                    if f.name not in ("text", "text_sha256", "provenance"))


def doc_summary(doc: Document, ann_sha: str | None, split: str) -> list:
    """The manifest row of a document: [split, text_sha256, annotations sha256, metadata hash]."""
    meta = json.dumps([getattr(doc, f) for f in META_FIELDS], ensure_ascii=False)
    return [split, doc.text_sha256, ann_sha, sha256(meta.encode())[:16]]


def _read_sidecar(job: ShardJob) -> dict | None:
    if not job.reuse_rows:
        return None
    old = load_cache_pickle(Path(job.sidecar))
    return old if old.get("format") == SIDECAR_FORMAT else None


def _old_slices(job: ShardJob, old: dict, rels: list[str]) -> dict[str, dict[str, pa.Table]]:
    """doc_id -> config -> that document's rows sliced out of the shard's previous files."""
    out: dict[str, dict[str, pa.Table]] = {d: {} for d in old["order"]}
    for c, rel in zip(CONFIG_NAMES, rels):
        schema = job.features[c].arrow_schema
        total = sum(old["counts"][d][c] for d in old["order"])
        try:
            table = pq.read_table(Path(job.out_dir) / rel).cast(schema) if total else schema.empty_table()
        except (OSError, pa.ArrowException):
            return {}  # gone or damaged since the last build: rebuild every document
        if table.num_rows != total:
            return {}
        offset = 0
        for d in old["order"]:
            n = old["counts"][d][c]
            out[d][c] = table.slice(offset, n)
            offset += n
    return out


def build_shard(job: ShardJob) -> tuple[dict, dict[str, dict]]:
    """Build and write one shard: (group state, {rel path: file record}). Runs in a worker."""
    with gc_paused():  # a shard's rows stay alive until its tables are made (see gcpause)
        return _build_shard(job)


def _build_shard(job: ShardJob) -> tuple[dict, dict[str, dict]]:
    from .verify import check_written

    shard, root, out_dir = job.shard, Path(job.root), Path(job.out_dir)
    rels = [f"data/{c}/{shard.name}" for c in CONFIG_NAMES]
    old = _read_sidecar(job)
    reusable = {d for d in shard.doc_ids if old and old["keys"].get(d) == shard.doc_keys[d]}
    slices = _old_slices(job, old, rels) if reusable else {}
    if not slices:
        reusable = set()
    pieces: dict[str, list[pa.Table]] = {c: [] for c in CONFIG_NAMES}
    pending: dict[str, list[Row]] = {c: [] for c in CONFIG_NAMES}
    stats: dict[str, DocStats] = {}
    docs: dict[str, list] = {}
    counts: dict[str, dict[str, int]] = {}

    def flush() -> None:
        if any(pending.values()):
            check_row_keys(job.features, pending)
        for c in CONFIG_NAMES:
            if pending[c]:
                pieces[c].append(pa.Table.from_pylist(pending[c], schema=job.features[c].arrow_schema))
                pending[c] = []

    for d in shard.doc_ids:
        if d in reusable:
            flush()
            for c in CONFIG_NAMES:
                pieces[c].append(slices[d][c])
            stats[d], docs[d], counts[d] = old["stats"][d], old["docs"][d], old["counts"][d]
            continue
        doc, ann = load_pair(root, d)
        doc_rows, stats[d] = document_rows(doc, ann, job.clusters.get(d, d), job.codes)
        for c in CONFIG_NAMES:
            pending[c].extend(doc_rows[c])
        counts[d] = {c: len(doc_rows[c]) for c in CONFIG_NAMES}
        docs[d] = doc_summary(doc, job.ann_hashes.get(d), shard.split)
    flush()

    group: dict[str, Any] = {"key": shard.key, "stats": stats_dict([stats[d] for d in shard.doc_ids]),
                             "docs": docs, "rows": {}}
    records: dict[str, dict] = {}
    for c, rel in zip(CONFIG_NAMES, rels):
        schema = job.features[c].arrow_schema
        # one chunk, as if made by a single from_pylist: the same bytes however it was assembled
        table = (pa.concat_tables(pieces[c]) if pieces[c] else schema.empty_table()).combine_chunks()
        group["rows"][rel] = table.num_rows
        path = out_dir / rel
        if table.num_rows == 0:  # datasets cannot load an empty split: leave it out
            path.unlink(missing_ok=True)
            continue
        data = parquet_bytes(table, schema, job.row_group_rows)
        write_public(path, data)
        check_written(path, table, job.features[c], f"{c}/{shard.split} ({rel})")
        st = path.stat()
        records[rel] = {"sha256": sha256(data), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                        "rows": table.num_rows, "nbytes": table.nbytes}
    sidecar = {"format": SIDECAR_FORMAT, "order": list(shard.doc_ids), "keys": shard.doc_keys,
               "stats": stats, "docs": docs, "counts": counts}
    atomic_write_bytes(Path(job.sidecar), pickle.dumps(sidecar, protocol=pickle.HIGHEST_PROTOCOL))
    return group, records


def default_workers() -> int:
    env = os.environ.get("PEACETALKS_BUILD_WORKERS")
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _context() -> mp.context.BaseContext:
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def build_shards(jobs: list[ShardJob], workers: int | None,
                 advance: Callable[[int], None]) -> Iterator[tuple[dict, dict[str, dict]]]:
    """Results of build_shard for every job, in job order. A process pool when there is enough
    work for more than one worker. 'fork' where there is one (Linux; as datasets' own num_proc
    does): workers start at once without re-importing datasets, and unlike 'spawn' it does not
    re-run the caller's __main__, so a script calling build_release needs no main guard."""
    workers = default_workers() if workers is None else max(1, workers)
    docs = sum(len(j.shard.doc_ids) for j in jobs)
    if workers == 1 or len(jobs) < 2 or docs < POOL_MIN_DOCS:
        for job in jobs:
            yield build_shard(job)
            advance(len(job.shard.doc_ids))
        return
    with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=_context()) as pool:
        for job, result in zip(jobs, pool.map(build_shard, jobs)):
            yield result
            advance(len(job.shard.doc_ids))
