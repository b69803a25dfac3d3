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
.peacetalks/cache/build/). In a shard that is rebuilt, only the changed documents are re-read and
re-tokenised (shards.py); shards are built in a process pool. Reproducible: no timestamps anywhere; the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datasets import Features

from .errors import ReleaseError
from .features import CONFIG_NAMES, release_features
from .fsio import atomic_write_bytes, dumps_json, load_cache_pickle
from .paths import Repo
from .progress import progress_bar
from .rows import Codes
from .shards import Shard, ShardJob, build_shards, plan_shards, sha256, write_public
from .splits import SPLITS, load_clusters, update_splits
from .taxonomy import load_taxonomy

BUILD_FORMAT = "3"  # bump when the meaning of the cache changes
DOCS_PER_SHARD = 1_000  # one changed document rewrites ~1k documents' rows, not the corpus
ROW_GROUP_ROWS = 10_000  # bounded row groups: the Hub viewer refuses very large ones
CODE_FILES = ("build.py", "shards.py", "rows.py", "tokenize.py", "features.py", "card.py")


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


_sha256 = sha256


def file_hashes(repo: Repo, rels: list[str]) -> dict[str, str]:
    """sha256 of files by repository-relative path, re-reading only files whose size or mtime
    changed since the last call (the stat cache keeps a rebuild from reading the whole corpus).

    The cache is a pickle of {rel: ((size, mtime_ns), sha256)}: a private, git-ignored file that
    only this function writes; JSON of 200k entries cost more to parse than the stats it saves."""
    cache_file = repo.cache_dir / "build" / "inputs.pkl"
    cache = load_cache_pickle(cache_file)
    root = f"{repo.root}/"
    stat = os.stat
    out: dict[str, str] = {}
    fresh: dict[str, tuple] = {}
    dirty = len(cache) != len(rels)  # same length and every rel a hit: the same set of files
    for rel in rels:
        st = stat(root + rel)
        key = (st.st_size, st.st_mtime_ns)
        hit = cache.get(rel)
        if hit is not None and hit[0] == key:
            digest = hit[1]
        else:
            with open(root + rel, "rb") as f:
                digest = _sha256(f.read())
            dirty = True
        out[rel] = digest
        fresh[rel] = (key, digest)
    if dirty:
        atomic_write_bytes(cache_file, pickle.dumps(fresh, protocol=pickle.HIGHEST_PROTOCOL))
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


def build_release(
    repo: Repo,
    out_dir: Path | None = None,
    *,
    version: str | None = None,
    verify: str = "auto",
    docs_per_shard: int = DOCS_PER_SHARD,
    workers: int | None = None,
) -> BuildResult:
    """Build the release of `repo` into `out_dir` (default dist/peacetalks) and verify it.

    verify: "full" loads every config and split back with datasets.load_dataset and compares;
    "auto" does that when every shard was rewritten, otherwise checks the rewritten shards and
    every config's features and data files through datasets' own builder (cheap).
    workers: processes building shards (default: the CPUs available, or the environment's
    PEACETALKS_BUILD_WORKERS); the output bytes do not depend on it."""
    from . import card, verify as verify_mod
    from .version import read_dataset_version

    t0 = time.perf_counter()
    out_dir = Path(out_dir or repo.release_dir).resolve()
    tax = load_taxonomy(repo.taxonomy_file)
    features = release_features(tax)
    codes = Codes.from_features(features, tax)
    version = version or read_dataset_version(repo)

    doc_ids = repo.doc_ids()
    assignment = update_splits(repo, doc_ids)
    if not doc_ids:
        raise ReleaseError(f"{repo.clean_dir}: no cleaned documents, nothing to release")
    clusters = load_clusters(repo)
    annotated = sorted(set(doc_ids).intersection(repo.annotated_ids()))
    hashes = file_hashes(repo, [f"corpus/clean/{d}.json" for d in doc_ids]
                         + [f"annotations/{d}.json" for d in annotated])
    ann_hashes = {d: hashes[f"annotations/{d}.json"] for d in annotated}
    base = _sha256("\n".join([_code_version(), _features_hash(features),
                              _sha256(repo.taxonomy_file.read_bytes())]).encode())

    shards = plan_shards(assignment.splits, doc_ids, docs_per_shard)
    entries: dict[str, bytes] = {}  # what a document's rows depend on, hashed into the keys
    for s in shards:
        h = hashlib.sha256(base.encode())
        for d in s.doc_ids:
            entries[d] = entry = (f"\n{d}\0{hashes[f'corpus/clean/{d}.json']}"
                                  f"\0{ann_hashes.get(d, '')}\0{clusters.get(d, d)}").encode()
            h.update(entry)
        s.key = h.hexdigest()

    out_key = _sha256(str(out_dir).encode())[:16]
    # A pickle: private to this function and rewritten by every build; parsing JSON of 100k
    # documents' statistics was a tenth of a rebuild.
    state_file = repo.cache_dir / "build" / f"{out_key}.pkl"
    state = load_cache_pickle(state_file)
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
    jobs: list[ShardJob] = []
    for s in shards:
        gid = f"{s.split}/{s.name}"
        rels = [f"data/{c}/{s.name}" for c in CONFIG_NAMES]
        old = old_groups.get(gid)
        intact = bool(old) and all(unchanged(r) for r in rels if old["rows"].get(r, 0) > 0)
        if old and old["key"] == s.key and intact:
            groups[gid] = old
            for r in rels:
                if r in old_files:
                    files[r] = old_files[r]
            result.reused += [r for r in rels if r in old_files]
        else:
            # per-document keys only where rows are made: they decide which rows are reused
            s.doc_keys = {d: _sha256(base.encode() + entries[d]) for d in s.doc_ids}
            jobs.append(ShardJob(
                str(repo.root), str(out_dir), s, {d: clusters[d] for d in s.doc_ids if d in clusters},
                {d: ann_hashes[d] for d in s.doc_ids if d in ann_hashes}, codes, features,
                ROW_GROUP_ROWS, str(repo.cache_dir / "build" / out_key / f"{s.name}.pkl"), intact,
            ))

    with progress_bar("Building shards", sum(len(j.shard.doc_ids) for j in jobs)) as advance:
        for job, (group, records) in zip(jobs, build_shards(jobs, workers, advance)):
            groups[f"{job.shard.split}/{job.shard.name}"] = group
            files.update(records)
            result.written += list(records)

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
    docs = {d: docs[d] for d in sorted(docs)}  # sorting keys, not (key, value) tuples
    result.manifest = {
        "dataset_version": version,
        "schema_version": tax.version,
        "splits": {s: per_split[s] for s in SPLITS},
        "rows": result.rows,
        # prose changes (card, guidelines) are patch-level changes of a release
        "card_sha256": _sha256(repo.dataset_card.read_bytes()) if repo.dataset_card.is_file() else None,
        "guidelines_sha256": _sha256(repo.guidelines.read_bytes()) if repo.guidelines.is_file() else None,
        "documents": docs,
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
    atomic_write_bytes(state_file, pickle.dumps({"groups": groups, "files": files},
                                                protocol=pickle.HIGHEST_PROTOCOL))

    full = verify == "full" or (verify == "auto" and not result.reused)
    # every written file was already read back and compared with its table by its worker
    verify_mod.verify_release(out_dir, features, result, {}, full=full)
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


_write = write_public


def _write_if_changed(path: Path, data: bytes) -> None:
    """Leave identical files alone (their mtime too): cheaper, and kinder to git and rsync."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    _write(path, data)


__all__ = ["BuildResult", "Shard", "build_release", "file_hashes", "merge_stats", "plan_shards"]
