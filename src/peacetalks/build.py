"""Build the release folder: Parquet configs × splits, README.md card, checksums; then verify it.

Layout of the output (what the Hub and `datasets.load_dataset(DIR, config)` read):
    README.md                      card: YAML front matter (generated from Features) + prose
    data/<config>/<split>-0000K-of-0000N.parquet
    taxonomy.yaml                  the schema this release was built with
    GUIDELINES.md                  the annotation manual (when the repository has one)
    release_manifest.json          per-document hashes and statistics (the next release diffs it)
    SHA256SUMS                     sha256 of every other file (`sha256sum -c SHA256SUMS`)

Incremental: the documents of a split are cut into shards by a hash of their doc_id, so one
changed or added document changes one shard. A shard's key hashes its documents' input files,
their clusters, the taxonomy, the Features and the code that makes rows; a shard whose key and
output files are unchanged since the last build into the same folder is not rebuilt (state in
.peacetalks/cache/build/). Reproducible: no timestamps anywhere; the same inputs give the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from .errors import ReleaseError
from .features import CONFIG_NAMES, release_features
from .fsio import atomic_write_bytes, dumps_json, read_json
from .model import Document, DocumentAnnotations
from .paths import Repo
from .progress import progress_bar
from .rows import Codes, DocStats, Row, check_row_keys, document_rows
from .splits import SPLITS, load_clusters, update_splits
from .store import load_document
from .taxonomy import load_taxonomy

BUILD_FORMAT = "3"  # bump when the meaning of the cache changes
DOCS_PER_SHARD = 1_000  # one changed document rewrites ~1k documents' rows, not the corpus
ROW_GROUP_ROWS = 10_000  # bounded row groups: the Hub viewer refuses very large ones
CODE_FILES = ("build.py", "rows.py", "tokenize.py", "features.py", "card.py")


@dataclass
class Shard:
    split: str
    index: int
    count: int
    doc_ids: list[str]
    key: str = ""

    @property
    def name(self) -> str:
        return f"{self.split}-{self.index:05d}-of-{self.count:05d}.parquet"


@dataclass
class BuildResult:
    out_dir: Path
    files: dict[str, dict[str, list[str]]]  # config -> split -> [relative parquet paths]
    rows: dict[str, dict[str, int]]  # config -> split -> rows
    nbytes: dict[str, dict[str, int]]  # config -> split -> Arrow bytes in memory
    manifest: dict[str, Any]  # release_manifest.json content
    written: list[str] = field(default_factory=list)  # parquet files rewritten by this build
    reused: list[str] = field(default_factory=list)
    verified: str = ""  # "full" (load_dataset of everything) or "changed"
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def load_line(self) -> str:
        return f'datasets.load_dataset("{self.out_dir}", "documents")'


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hashes(repo: Repo, rels: list[str]) -> dict[str, str]:
    """sha256 of files by repository-relative path, re-reading only files whose size or mtime
    changed since the last call (the stat cache keeps a rebuild from reading the whole corpus)."""
    cache_file = repo.cache_dir / "build" / "inputs.json"
    try:
        cache = read_json(cache_file)
    except (OSError, ValueError):
        cache = {}
    root = str(repo.root)
    out: dict[str, str] = {}
    fresh: dict[str, list] = {}
    for rel in rels:
        path = os.path.join(root, rel)
        st = os.stat(path)
        hit = cache.get(rel)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            digest = hit[2]
        else:
            with open(path, "rb") as f:
                digest = _sha256(f.read())
        out[rel] = digest
        fresh[rel] = [st.st_size, st.st_mtime_ns, digest]
    if fresh != cache:
        atomic_write_bytes(cache_file, json.dumps(fresh, separators=(",", ":")).encode())
    return out


def _code_version() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256(BUILD_FORMAT.encode())
    for name in CODE_FILES:
        p = here / name
        h.update(p.read_bytes() if p.is_file() else b"")
    return h.hexdigest()


def _features_hash(features: dict[str, Features]) -> str:
    return _sha256(dumps_json({c: f.to_dict() for c, f in features.items()}).encode())


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
            buckets[int(_sha256(d.encode())[:8], 16) % count].append(d)
        shards += [Shard(split, i, count, b) for i, b in enumerate(buckets)]
    return shards


def _parquet_bytes(table: pa.Table, schema: pa.Schema) -> bytes:
    buf = io.BytesIO()
    # An empty table is written with no row group at all: datasets' Parquet reader fails on a
    # zero-row row group ("BatchSize must be greater than 0"); such shards are left out of the
    # card's data_files anyway, but the file must not exist half-broken either.
    with pq.ParquetWriter(buf, schema, compression="zstd") as writer:
        if table.num_rows:
            writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
    return buf.getvalue()


def _load_group(repo: Repo, doc_ids: list[str]) -> list[tuple[Document, DocumentAnnotations | None]]:
    out = []
    for d in doc_ids:
        doc = load_document(repo.clean_dir / f"{d}.json")
        if doc.doc_id != d:
            raise ReleaseError(f"corpus/clean/{d}.json: its doc_id is {doc.doc_id!r}, not {d!r}")
        path = repo.annotation_file(d)
        ann = None
        if path.is_file():
            try:
                ann = DocumentAnnotations.from_dict(read_json(path))
            except (ValueError, KeyError, TypeError) as exc:
                raise ReleaseError(f"annotations/{d}.json: not a valid annotation file ({exc})") from exc
        out.append((doc, ann))
    return out


def _stats_dict(stats: list[DocStats]) -> dict[str, Any]:
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


def merge_stats(parts: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "documents": 0, "tokens": 0, "sentences": 0, "entities": {}, "quotes": {}, "events": {},
        "passes": 0, "ner_dropped": 0, "gold_sources": {}, "annotators": [], "languages": {},
        "publishers": {}, "passes_by_annotator": {},
    }
    for p in parts:
        for k, v in p.items():
            if isinstance(v, int):
                out[k] += v
            elif isinstance(v, dict):
                c = Counter(out[k])
                c.update(v)
                out[k] = dict(sorted(c.items()))
            else:
                out[k] = sorted(set(out[k]) | set(v))
    return out


# Metadata of a document: everything but the text and where it came from in the raw file.
META_FIELDS = tuple(f.name for f in dataclasses.fields(Document)
                    if f.name not in ("text", "text_sha256", "provenance"))


def _doc_summary(doc: Document, ann_sha: str | None, split: str) -> list:
    """The manifest row of a document: [split, text_sha256, annotations sha256, metadata hash]."""
    meta = json.dumps([getattr(doc, f) for f in META_FIELDS], ensure_ascii=False)
    return [split, doc.text_sha256, ann_sha, _sha256(meta.encode())[:16]]


def _build_shard(repo, shard, clusters, codes, features, ann_hashes) -> tuple[dict, dict]:
    rows: dict[str, list[Row]] = {c: [] for c in CONFIG_NAMES}
    stats: list[DocStats] = []
    docs: dict[str, list] = {}
    for doc, ann in _load_group(repo, shard.doc_ids):
        doc_rows, st = document_rows(doc, ann, clusters.get(doc.doc_id, doc.doc_id), codes)
        for c in CONFIG_NAMES:
            rows[c].extend(doc_rows[c])
        stats.append(st)
        docs[doc.doc_id] = _doc_summary(doc, ann_hashes.get(doc.doc_id), shard.split)
    check_row_keys(features, rows)
    tables = {c: pa.Table.from_pylist(rows[c], schema=features[c].arrow_schema) for c in CONFIG_NAMES}
    return tables, {"key": shard.key, "stats": _stats_dict(stats), "docs": docs}


def build_release(
    repo: Repo,
    out_dir: Path | None = None,
    *,
    version: str | None = None,
    verify: str = "auto",
    docs_per_shard: int = DOCS_PER_SHARD,
) -> BuildResult:
    """Build the release of `repo` into `out_dir` (default dist/peacetalks) and verify it.

    verify: "full" loads every config and split back with datasets.load_dataset and compares;
    "auto" does that when every shard was rewritten, otherwise checks the rewritten shards and
    every config's features and data files through datasets' own builder (cheap)."""
    from . import card, verify as verify_mod
    from .version import read_dataset_version

    t0 = time.perf_counter()
    out_dir = Path(out_dir or repo.release_dir).resolve()
    tax = load_taxonomy(repo.taxonomy_file)
    features = release_features(tax)
    codes = Codes.from_features(features, tax)
    version = version or read_dataset_version(repo)

    assignment = update_splits(repo)
    doc_ids = sorted(p.stem for p in repo.clean_dir.glob("*.json"))
    if not doc_ids:
        raise ReleaseError(f"{repo.clean_dir}: no cleaned documents, nothing to release")
    clusters = load_clusters(repo)
    annotated = sorted(set(doc_ids) & {p.stem for p in repo.annotations_dir.glob("*.json")})
    hashes = file_hashes(repo, [f"corpus/clean/{d}.json" for d in doc_ids]
                         + [f"annotations/{d}.json" for d in annotated])
    ann_hashes = {d: hashes[f"annotations/{d}.json"] for d in annotated}
    base = _sha256("\n".join([_code_version(), _features_hash(features),
                              _sha256(repo.taxonomy_file.read_bytes())]).encode())

    shards = plan_shards(assignment.splits, doc_ids, docs_per_shard)
    for s in shards:
        h = hashlib.sha256(base.encode())
        for d in s.doc_ids:
            h.update(f"\n{d}\0{hashes[f'corpus/clean/{d}.json']}\0{ann_hashes.get(d, '')}"
                     f"\0{clusters.get(d, d)}".encode())
        s.key = h.hexdigest()

    state_file = repo.cache_dir / "build" / f"{_sha256(str(out_dir).encode())[:16]}.json"
    try:
        state = read_json(state_file)
    except (OSError, ValueError):
        state = {}
    old_groups, old_files = state.get("groups", {}), state.get("files", {})

    def unchanged(rel: str) -> bool:
        p, rec = out_dir / rel, old_files.get(rel)
        if not rec or not p.is_file():
            return False
        st = p.stat()
        return rec["size"] == st.st_size and rec["mtime_ns"] == st.st_mtime_ns

    result = BuildResult(out_dir, *({c: {} for c in CONFIG_NAMES} for _ in range(3)), {})
    result.warnings += assignment.warnings
    groups: dict[str, dict] = {}
    files: dict[str, dict] = {}
    expected: dict[str, pa.Table] = {}  # rel path -> table written in this build
    todo = []
    for s in shards:
        gid = f"{s.split}/{s.name}"
        rels = [f"data/{c}/{s.name}" for c in CONFIG_NAMES]
        old = old_groups.get(gid)
        if old and old["key"] == s.key and all(
            unchanged(r) for r in rels if old["rows"].get(r, 0) > 0
        ):
            groups[gid] = old
            for r in rels:
                if r in old_files:
                    files[r] = old_files[r]
            result.reused += [r for r in rels if r in old_files]
        else:
            todo.append((s, gid, rels))

    with progress_bar("Building shards", sum(len(s.doc_ids) for s, _, _ in todo)) as advance:
        for s, gid, rels in todo:
            tables, group = _build_shard(repo, s, clusters, codes, features, ann_hashes)
            group["rows"] = {}
            for c, rel in zip(CONFIG_NAMES, rels):
                table = tables[c]
                group["rows"][rel] = table.num_rows
                if table.num_rows == 0:  # datasets cannot load an empty split: leave it out
                    (out_dir / rel).unlink(missing_ok=True)
                    continue
                data = _parquet_bytes(table, features[c].arrow_schema)
                _write(out_dir / rel, data)
                st = (out_dir / rel).stat()
                files[rel] = {"sha256": _sha256(data), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                              "rows": table.num_rows, "nbytes": table.nbytes}
                expected[rel] = table
                result.written.append(rel)
            groups[gid] = group
            advance(len(s.doc_ids))

    # Drop Parquet files of an earlier build that are no longer part of the plan.
    for p in sorted((out_dir / "data").glob("*/*.parquet")):
        if p.relative_to(out_dir).as_posix() not in files:
            p.unlink()

    for rel in sorted(files):
        _, config, name = rel.split("/")
        split = name.split("-", 1)[0]
        result.files[config].setdefault(split, []).append(rel)
        result.rows[config][split] = result.rows[config].get(split, 0) + files[rel]["rows"]
        result.nbytes[config][split] = result.nbytes[config].get(split, 0) + files[rel]["nbytes"]

    per_split = {
        split: merge_stats([g["stats"] for gid, g in sorted(groups.items()) if gid.startswith(f"{split}/")])
        for split in SPLITS
    }
    docs = {d: v for g in groups.values() for d, v in g["docs"].items()}
    result.manifest = {
        "dataset_version": version,
        "schema_version": tax.version,
        "splits": {s: per_split[s] for s in SPLITS},
        "rows": result.rows,
        # prose changes (card, guidelines) are patch-level changes of a release
        "card_sha256": _sha256(repo.dataset_card.read_bytes()) if repo.dataset_card.is_file() else None,
        "guidelines_sha256": _sha256(repo.guidelines.read_bytes()) if repo.guidelines.is_file() else None,
        "documents": dict(sorted(docs.items())),
    }
    extra = {
        "release_manifest.json": manifest_json(result.manifest).encode(),
        "taxonomy.yaml": repo.taxonomy_file.read_bytes(),
        "README.md": card.render_readme(repo, features, result, per_split, version).encode(),
    }
    if repo.guidelines.is_file():
        extra["GUIDELINES.md"] = repo.guidelines.read_bytes()
    else:
        (out_dir / "GUIDELINES.md").unlink(missing_ok=True)
    for rel, data in extra.items():
        _write_if_changed(out_dir / rel, data)
    sums = {r: files[r]["sha256"] for r in files} | {r: _sha256(d) for r, d in extra.items()}
    _write_if_changed(
        out_dir / "SHA256SUMS", "".join(f"{sums[r]}  {r}\n" for r in sorted(sums)).encode()
    )
    atomic_write_bytes(state_file, json.dumps({"groups": groups, "files": files},
                                              separators=(",", ":")).encode())

    full = verify == "full" or (verify == "auto" and not result.reused)
    verify_mod.verify_release(out_dir, features, result, expected, full=full)
    result.verified = "full" if full else "changed"
    result.seconds = time.perf_counter() - t0
    return result


def manifest_json(manifest: dict[str, Any]) -> str:
    """Readable and diff-friendly, but one line per document (100k documents stay small)."""
    head = {k: v for k, v in manifest.items() if k != "documents"}
    text = dumps_json(head).rstrip()[:-1].rstrip() + ',\n  "documents": {\n'
    docs = manifest["documents"]
    text += ",\n".join(f"    {json.dumps(d)}: {json.dumps(v)}" for d, v in docs.items())
    return text + "\n  }\n}\n"


def _write(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data)
    path.chmod(0o644)  # temp files are created 0600; a published file is world-readable


def _write_if_changed(path: Path, data: bytes) -> None:
    """Leave identical files alone (their mtime too): cheaper, and kinder to git and rsync."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    _write(path, data)


__all__ = ["BuildResult", "Shard", "build_release", "file_hashes", "merge_stats", "plan_shards"]
