"""Materialise a synthetic repository on disk, laid out exactly as the stages read it.

corpus/clean/<id>.json (Document.to_dict), annotations/<id>.json (DocumentAnnotations.to_dict),
corpus/clusters.json (every 50th document paired with the next one as a near-duplicate),
corpus/splits.json (peacetalks.splits.assign_splits, the project's own rule), and the real
schema/, validation/, dataset_card.md and GUIDELINES.md copied from this checkout.

Writing 200k files takes a few minutes, so a finished repository is marked with a key (size,
seed, generator source) and reused by the next run; state that the stages write (.peacetalks/,
dist/) is wiped on reuse so every run starts from the same files.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import shutil
from pathlib import Path

from peacetalks.fsio import dumps_json, read_json, write_json
from peacetalks.model import Document, DocumentAnnotations, replace, sha256_text
from peacetalks.paths import Repo
from peacetalks.splits import assign_splits
from peacetalks.taxonomy import load_taxonomy

from .synth import SyntheticCorpus

ROOT = Path(__file__).resolve().parents[1]
READY = ".bench-ready"
PAIR_EVERY = 50  # one near-duplicate pair per 50 documents


def _key(n_docs: int, seed: int) -> str:
    h = hashlib.sha256(f"{n_docs}:{seed}".encode())
    for name in ("synth.py", "repo.py"):
        h.update((Path(__file__).parent / name).read_bytes())
    h.update((ROOT / "schema" / "taxonomy.yaml").read_bytes())
    return h.hexdigest()[:16]


def doc_id(seed: int, i: int) -> str:
    return f"syn{seed:02d}{i:08d}"


def _skeleton(root: Path) -> None:
    shutil.copytree(ROOT / "schema", root / "schema", dirs_exist_ok=True)
    if (ROOT / "validation").is_dir():
        shutil.copytree(ROOT / "validation", root / "validation", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("uncommitted"))
    for rel in ("dataset_card.md", "annotations/GUIDELINES.md", "annotations/entity_patterns.yaml"):
        if (ROOT / rel).is_file():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / rel, root / rel)
    (root / "corpus" / "clean").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(exist_ok=True)
    (root / "annotations" / "annotators.yaml").write_text(
        "ann-synthetic:\n  kind: synthetic\n"
        "  description: benchmarks/synth.py, a generator of synthetic documents and spans.\n",
        encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "peacetalks-benchmark"\n\n[tool.peacetalks]\n'
        'dataset-version = "0.0.0"\n', encoding="utf-8")


_CORPUS: SyntheticCorpus | None = None


def _init_worker(seed: int) -> None:
    global _CORPUS
    _CORPUS = SyntheticCorpus(load_taxonomy(ROOT / "schema" / "taxonomy.yaml"), seed, ROOT)


def _write_range(args: tuple[str, int, int]) -> int:
    root, lo, hi = Path(args[0]), args[1], args[2]
    assert _CORPUS is not None
    for i in range(lo, hi):
        doc, ann = _CORPUS.document(i)
        (root / "corpus" / "clean" / f"{doc.doc_id}.json").write_text(
            dumps_json(doc.to_dict()), encoding="utf-8")
        (root / "annotations" / f"{doc.doc_id}.json").write_text(
            dumps_json(ann.to_dict()), encoding="utf-8")
    return hi - lo


def make_repo(root: Path, n_docs: int, seed: int = 0, workers: int = 2,
              log=print) -> Repo:
    """A repository of `n_docs` synthetic annotated documents at `root` (reused if current)."""
    root = Path(root)
    key = _key(n_docs, seed)
    marker = root / READY
    if marker.is_file() and marker.read_text().strip() == key:
        reset_state(Repo(root))
        return Repo(root)
    shutil.rmtree(root, ignore_errors=True)
    _skeleton(root)
    log(f"materialising {n_docs} synthetic documents into {root} ...")
    step = 500
    ranges = [(str(root), lo, min(lo + step, n_docs)) for lo in range(0, n_docs, step)]
    if workers > 1 and len(ranges) > 1:
        with mp.get_context("fork").Pool(workers, _init_worker, (seed,)) as pool:
            sum(pool.imap_unordered(_write_range, ranges))
    else:
        _init_worker(seed)
        for r in ranges:
            _write_range(r)
    ids = [doc_id(seed, i) for i in range(n_docs)]
    clusters = {}
    for i in range(0, n_docs - 1, PAIR_EVERY):
        clusters[ids[i]] = clusters[ids[i + 1]] = f"c-{ids[i]}"
    repo = Repo(root)
    write_json(repo.clusters_file, dict(sorted(clusters.items())))
    write_json(repo.splits_file, assign_splits(ids, clusters, {}).splits)
    marker.write_text(key + "\n")
    return repo


def reset_state(repo: Repo) -> None:
    """Forget what earlier runs left behind (build caches, reports, releases)."""
    shutil.rmtree(repo.state_dir, ignore_errors=True)
    shutil.rmtree(repo.root / "dist", ignore_errors=True)


def change_document(repo: Repo, doc_id_: str, k: int) -> None:
    """Edit one document the way a re-clean does (its text changes), keeping its annotations
    anchored: the sentence is appended after every span, and the file's anchor hash follows."""
    path = repo.clean_dir / f"{doc_id_}.json"
    doc = Document.from_dict(read_json(path))
    base = doc.text.split("\n\n[edit ")[0]
    text = f"{base}\n\n[edit {k}] The ministry later corrected the figures."
    sha = sha256_text(text)
    write_json(path, replace(doc, text=text, text_sha256=sha).to_dict())
    apath = repo.annotation_file(doc_id_)
    ann = DocumentAnnotations.from_dict(read_json(apath))
    write_json(apath, replace(ann, text_sha256=sha).to_dict())


def corpus_stats(repo: Repo, sample: int = 200) -> dict:
    """Sizes the rows were measured on (spans counted on a sample, scaled up)."""
    files = sorted(repo.annotations_dir.glob("*.json"))
    n = len(files)
    step = max(1, n // sample)
    ents = quotes = events = chars = 0
    picked = files[::step]
    for p in picked:
        g = json.loads(p.read_text(encoding="utf-8"))["gold"] or {}
        ents += len(g.get("entities", ()))
        quotes += len(g.get("quotes", ()))
        events += len(g.get("events", ()))
        d = json.loads((repo.clean_dir / p.name).read_text(encoding="utf-8"))
        chars += len(d["text"])
    scale = n / max(1, len(picked))
    return {
        "documents": n,
        "gold_entities": round(ents * scale),
        # a quote is two spans (quote + cue), an event one trigger
        "gold_spans": round((ents + 2 * quotes + events) * scale),
        "mean_text_chars": round(chars / max(1, len(picked))),
    }
