"""Helpers for the validation tests: tiny temporary repositories built from
tests/fixtures/validation/valid/ plus the edits an invalid fixture describes, and tiny releases
written with the release Features (so the release checks can be tested without the builder)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "validation"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"


def make_repo(tmp_path: Path, edits: list[dict[str, Any]] | None = None) -> Path:
    """A repository in tmp_path/repo: the valid fixture, the real schema and validation/."""
    root = tmp_path / "repo"
    shutil.copytree(VALID, root)
    (root / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "taxonomy.yaml", root / "schema" / "taxonomy.yaml")
    shutil.copytree(ROOT / "validation", root / "validation",
                    ignore=shutil.ignore_patterns("uncommitted"))
    for edit in edits or []:
        apply_edit(root, edit)
    return root


def _walk(data: Any, dotted: str) -> tuple[Any, Any]:
    keys = [int(k) if k.lstrip("-").isdigit() else k for k in dotted.split(".")]
    for k in keys[:-1]:
        data = data[k]
    return data, keys[-1]


def apply_edit(root: Path, edit: dict[str, Any]) -> None:
    """One edit: {file, set: {dotted.path: value}} | {file, remove: [dotted.path]} |
    {file, delete: true} | {file, text: "..."} | {file, copy_from: other} | {file, json: value}."""
    if "retext" in edit:  # a document's new text, with its sha256 and annotation anchor updated
        from peacetalks.model import sha256_text

        doc_id, text = edit["retext"], edit["text"]
        sha = sha256_text(text)
        apply_edit(root, {"file": f"corpus/clean/{doc_id}.json", "set": {"text": text, "text_sha256": sha}})
        apply_edit(root, {"file": f"annotations/{doc_id}.json", "set": {"text_sha256": sha}})
        return
    path = root / edit["file"]
    if edit.get("delete"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        return
    if "text" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(edit["text"], encoding="utf-8")
        return
    if "copy_from" in edit:
        shutil.copy(root / edit["copy_from"], path)
    if "json" in edit:
        path.write_text(json.dumps(edit["json"], indent=2), encoding="utf-8")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    for dotted, value in (edit.get("set") or {}).items():
        parent, key = _walk(data, dotted)
        if isinstance(parent, list) and key == len(parent):
            parent.append(value)
        else:
            parent[key] = value
    for dotted in edit.get("remove") or []:
        parent, key = _walk(data, dotted)
        del parent[key]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def load_fixture(check_id: str) -> dict[str, Any]:
    return yaml.safe_load((INVALID / f"{check_id}.yaml").read_text(encoding="utf-8"))


def write_release(repo_root: Path, out: Path, edits: list[dict[str, Any]] | None = None,
                  readme: str | None = None) -> Path:
    """A minimal release of the repository: data/documents/<split>-00000-of-00001.parquet (gold
    layers nested) and data/entities/..., written with the release Features' Arrow schema, and a
    README.md whose front matter names them. `edits` change rows before writing:
    {config, split, row, set: {dotted.path: value}} or {config, drop_column: name}."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from peacetalks.features import release_features
    from peacetalks.model import Document, DocumentAnnotations
    from peacetalks.taxonomy import load_taxonomy

    tax = load_taxonomy(repo_root / "schema" / "taxonomy.yaml")
    features = release_features(tax)
    cid = lambda names, x: names.index(x)  # noqa: E731
    splits = json.loads((repo_root / "corpus" / "splits.json").read_text())
    clusters = json.loads((repo_root / "corpus" / "clusters.json").read_text())
    rows: dict[str, dict[str, list[dict]]] = {"documents": {}, "entities": {}}
    for path in sorted((repo_root / "corpus" / "clean").glob("*.json")):
        doc = Document.from_dict(json.loads(path.read_text()))
        ann_path = repo_root / "annotations" / path.name
        ann = DocumentAnnotations.from_dict(json.loads(ann_path.read_text())) if ann_path.is_file() else None
        gold = ann.gold if ann else None
        ents = [{"id": e.id, "start": e.span.start, "end": e.span.end, "text": e.span.text,
                 "label": cid(tax.entity_labels, e.label)} for e in (gold.entities if gold else ())]
        by_id = {e.id: e for e in (gold.entities if gold else ())}
        quotes = [{"id": q.id, "start": q.span.start, "end": q.span.end, "text": q.span.text,
                   "kind": cid(tax.quote_kind_names, q.kind), "speaker_id": q.speaker,
                   "speaker": by_id[q.speaker].span.text if q.speaker in by_id else None,
                   "cue_start": q.cue.start if q.cue else None, "cue_end": q.cue.end if q.cue else None,
                   "cue": q.cue.text if q.cue else None} for q in (gold.quotes if gold else ())]
        events = [{"id": e.id, "start": e.span.start, "end": e.span.end, "text": e.span.text,
                   "type": cid(tax.event_type_names, e.type), "cameo": list(tax.cameo_of(e.type)),
                   "realis": cid(tax.realis_names, e.realis),
                   "arguments": [{"role": cid(tax.role_names, a.role), "entity_id": a.entity,
                                  "text": by_id[a.entity].span.text} for a in e.arguments]}
                  for e in (gold.events if gold else ())]
        split = splits[doc.doc_id]
        rows["documents"].setdefault(split, []).append({
            "doc_id": doc.doc_id, "title": doc.title, "text": doc.text, "date": doc.date,
            "dateline": doc.dateline, "publisher": doc.publisher, "url": doc.url,
            "language": doc.language, "cluster_id": clusters.get(doc.doc_id, doc.doc_id),
            "text_sha256": doc.text_sha256, "raw_sha256": doc.raw_sha256,
            "cleaner_version": doc.cleaner_version, "gold_source": ann.gold_source if ann else None,
            "entities": ents, "quotes": quotes, "events": events})
        rows["entities"].setdefault(split, []).extend({"doc_id": doc.doc_id, **e} for e in ents)
    drop: dict[str, str] = {}
    for edit in edits or []:
        if "drop_column" in edit:
            drop[edit["config"]] = edit["drop_column"]
            continue
        row = rows[edit["config"]][edit["split"]][edit["row"]]
        for dotted, value in edit["set"].items():
            parent, key = _walk(row, dotted)
            parent[key] = value
    configs = []
    for config, by_split in rows.items():
        schema = features[config].arrow_schema
        files = []
        for split, items in sorted(by_split.items()):
            if not items:
                continue
            table = pa.Table.from_pylist(items, schema=schema)
            if config in drop:
                table = table.drop_columns([drop[config]])
            rel = f"data/{config}/{split}-00000-of-00001.parquet"
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, out / rel)
            files.append({"split": split, "path": rel})
        configs.append({"config_name": config, "data_files": files})
    if readme is None:
        readme = "---\n" + yaml.safe_dump({"configs": configs}) + "---\n# test\n"
    (out / "README.md").write_text(readme)
    return out
