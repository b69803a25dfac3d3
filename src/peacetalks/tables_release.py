"""The tables of tables.py read back from a built release (data/<config>/<split>-*.parquet).

Release-only checks happen here, while reading, because they guard what the tables are made of:
the files the README's `configs` name exist (`release.missing-config`), every Parquet file has
exactly the columns and types of the release Features (`release.columns`: a missing column
would load as all None), and every ClassLabel id is in range (`release.class-id`: datasets loads
out-of-range ids silently). The `documents` config (gold layers nested) then becomes the same
narrow tables as the repository, so every other check runs on the release too; the split of a
row is the split of the file it came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from .checks import CHECKS, MAX_PER_CHECK
from .model import Incident
from .tables import GOLD, I64, STR, Tables, empty, from_columns


def _incident(check_id: str, where: str, message: str, doc_id: str | None = None) -> Incident:
    return Incident(check_id, CHECKS[check_id].severity, doc_id, where, message)


def _front_matter(readme: Path) -> dict[str, Any] | None:
    text = readme.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return None
    parts = text.split("\n---", 1)
    try:
        data = yaml.safe_load(parts[0][3:])
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def discover(release_dir: Path, config_names: tuple[str, ...]) -> tuple[dict[str, dict[str, list[Path]]], list[Incident]]:
    """config -> split -> parquet files, and incidents about the layout."""
    incidents: list[Incident] = []
    files: dict[str, dict[str, list[Path]]] = {}
    for path in sorted(release_dir.glob("data/*/*.parquet")):
        config, split = path.parent.name, path.name.split("-", 1)[0]
        files.setdefault(config, {}).setdefault(split, []).append(path)
    readme = release_dir / "README.md"
    meta = _front_matter(readme) if readme.is_file() else None
    if meta is None or not isinstance(meta.get("configs"), list):
        incidents.append(_incident("release.missing-config", "README.md",
                                   "no YAML front matter with `configs`: load_dataset would not "
                                   "know the configs and splits"))
    else:
        for cfg in meta["configs"]:
            name = cfg.get("config_name") if isinstance(cfg, dict) else None
            for df in (cfg.get("data_files") or []) if isinstance(cfg, dict) else []:
                pattern = df.get("path") if isinstance(df, dict) else None
                if isinstance(pattern, str) and not list(release_dir.glob(pattern)):
                    incidents.append(_incident(
                        "release.missing-config", "README.md",
                        f"config {name!r} split {df.get('split')!r} names {pattern!r}, which "
                        "matches no file"))
    if "documents" not in files:
        incidents.append(_incident("release.missing-config", "data/documents/",
                                   "the default config `documents` has no Parquet file"))
    unknown = sorted(set(files) - set(config_names))
    for name in unknown:
        incidents.append(_incident("release.missing-config", f"data/{name}/",
                                   f"config {name!r} is not a release config ({', '.join(config_names)})"))
    return files, incidents


def _class_arrays(feature: Any, arr: pa.Array, rows: pa.Array, path: str) -> Iterator[tuple[str, pa.Array, pa.Array, Any]]:
    """(column path, int ids, top-level row of each id, ClassLabel) for every ClassLabel."""
    from datasets import ClassLabel, List, Sequence

    if isinstance(feature, ClassLabel):
        yield path, arr, rows, feature
    elif isinstance(feature, (List, Sequence)):
        yield from _class_arrays(feature.feature, pc.list_flatten(arr),
                                 pc.take(rows, pc.list_parent_indices(arr)), path)
    elif isinstance(feature, list) and feature:
        yield from _class_arrays(feature[0], pc.list_flatten(arr),
                                 pc.take(rows, pc.list_parent_indices(arr)), path)
    elif isinstance(feature, dict):
        for key, sub in feature.items():
            yield from _class_arrays(sub, pc.struct_field(arr, key), rows, f"{path}.{key}")


def check_release_table(table: pa.Table, features: Any, where: str) -> list[Incident]:
    expected = features.arrow_schema
    out: list[Incident] = []
    missing = [f.name for f in expected if f.name not in table.column_names]
    extra = [n for n in table.column_names if n not in expected.names]
    wrong = [f"{f.name}: {table.schema.field(f.name).type} instead of {f.type}" for f in expected
             if f.name in table.column_names and not table.schema.field(f.name).type.equals(f.type)]
    if missing:
        out.append(_incident("release.columns", where, f"missing columns {missing} (they would "
                                                        "load as all None)"))
    if extra:
        out.append(_incident("release.columns", where, f"columns not in the release Features: {extra}"))
    if wrong:
        out.append(_incident("release.columns", where, "wrong types: " + "; ".join(wrong)))
    if out:
        return out
    top_rows = pa.array(range(table.num_rows), pa.int64())
    doc_ids = table["doc_id"].combine_chunks() if "doc_id" in table.column_names else None
    for name, feature in features.items():
        column = table[name].combine_chunks()
        for path, ids, rows, label in _class_arrays(feature, column, top_rows, name):
            bad = pc.or_(pc.less(ids, 0), pc.greater_equal(ids, label.num_classes))
            bad = pc.fill_null(bad, False)
            n_bad = pc.sum(pc.cast(bad, I64)).as_py() or 0
            if not n_bad:
                continue
            bad_ids = pc.filter(ids, bad).to_pylist()[:MAX_PER_CHECK]
            bad_rows = pc.filter(rows, bad).to_pylist()[:MAX_PER_CHECK]
            for value, row in zip(bad_ids, bad_rows):
                doc = None if doc_ids is None else doc_ids[row].as_py()
                out.append(_incident("release.class-id", f"{where}: row {row}",
                                     f"{path} = {value} but {path} has {label.num_classes} classes "
                                     f"(0..{label.num_classes - 1})", doc))
            if n_bad > MAX_PER_CHECK:
                out.append(_incident("release.class-id", where, f"... and {n_bad - MAX_PER_CHECK} more"))
    return out


def _names(ids: pa.Array, names: list[str]) -> pa.Array:
    """Class ids -> names; out-of-range ids -> null (release.class-id reports them)."""
    ok = pc.and_(pc.greater_equal(ids, 0), pc.less(ids, len(names)))
    safe = pc.if_else(pc.fill_null(ok, False), ids, pa.scalar(None, ids.type))
    return pc.take(pa.array(names, STR), safe)


def _flat(docs: pa.Table, column: str) -> tuple[pa.Array, pa.Array]:
    col = docs[column].combine_chunks()
    return pc.list_flatten(col), pc.list_parent_indices(col)


def _narrow(docs: pa.Table, tax: Any) -> dict[str, pa.Table]:
    """documents config rows (with `file` and `split` columns) -> the narrow tables."""
    def field(struct: pa.Array, name: str, cast: pa.DataType | None = None) -> pa.Array:
        arr = pc.struct_field(struct, name)
        return arr.cast(cast) if cast is not None else arr

    base = lambda parents: {  # noqa: E731
        "doc_id": pc.take(docs["doc_id"], parents), "file": pc.take(docs["file"], parents),
        "layer": pa.array([GOLD] * len(parents), STR)}
    out: dict[str, pa.Table] = {}
    ent, p = _flat(docs, "entities")
    out["entities"] = pa.table({**base(p), "id": field(ent, "id"), "start": field(ent, "start", I64),
                                "end": field(ent, "end", I64), "text": field(ent, "text"),
                                "label": _names(field(ent, "label"), tax.entity_labels)})
    q, p = _flat(docs, "quotes")
    out["quotes"] = pa.table({
        **base(p), "id": field(q, "id"), "start": field(q, "start", I64), "end": field(q, "end", I64),
        "text": field(q, "text"), "kind": _names(field(q, "kind"), tax.quote_kind_names),
        "speaker": field(q, "speaker_id"), "cue_id": pa.nulls(len(q), STR),
        "cue_start": field(q, "cue_start", I64), "cue_end": field(q, "cue_end", I64),
        "cue_text": field(q, "cue")})
    ev, p = _flat(docs, "events")
    out["events"] = pa.table({
        **base(p), "id": field(ev, "id"), "start": field(ev, "start", I64), "end": field(ev, "end", I64),
        "text": field(ev, "text"), "type": _names(field(ev, "type"), tax.event_type_names),
        "realis": _names(field(ev, "realis"), tax.realis_names)})
    args_col = pc.struct_field(ev, "arguments")
    args, ap = pc.list_flatten(args_col), pc.list_parent_indices(args_col)
    doc_of_arg = pc.take(p, ap)
    out["event_arguments"] = pa.table({
        **base(doc_of_arg), "event_id": pc.take(field(ev, "id"), ap),
        "role": _names(field(args, "role"), tax.role_names), "entity_id": field(args, "entity_id")})
    return out


def tables_from_release(release_dir: Path, tax: Any) -> Tables:
    from .features import CONFIG_NAMES, release_features

    features = release_features(tax)
    files, incidents = discover(release_dir, CONFIG_NAMES)
    doc_parts: list[pa.Table] = []
    keep = ["doc_id", "title", "text", "text_sha256", "date", "language", "raw_sha256",
            "cleaner_version", "cluster_id", "entities", "quotes", "events"]
    for config, splits in sorted(files.items()):
        if config not in features:
            continue
        for split, paths in sorted(splits.items()):
            for path in paths:
                rel = path.relative_to(release_dir).as_posix()
                try:
                    table = pq.read_table(path)
                except (OSError, pa.ArrowException) as exc:
                    incidents.append(_incident("file.unreadable", rel, f"not a Parquet file ({exc})"))
                    continue
                found = check_release_table(table, features[config], rel)
                incidents += found
                if config == "documents" and not any(i.check_id == "release.columns" for i in found):
                    part = table.select(keep)
                    part = part.append_column("file", pa.array([rel] * part.num_rows, STR))
                    part = part.append_column("split", pa.array([split] * part.num_rows, STR))
                    doc_parts.append(part)
    if doc_parts:
        docs = pa.concat_tables(doc_parts).combine_chunks()
        narrow = _narrow(docs, tax)
        documents = docs.select([f.name for f in empty("documents").schema])
        splits = docs.select(["doc_id", "file", "split"])
        clusters = docs.select(["doc_id", "cluster_id"]).filter(pc.is_valid(docs["cluster_id"]))
    else:
        narrow = {n: empty(n) for n in ("entities", "quotes", "events", "event_arguments")}
        documents, splits, clusters = empty("documents"), empty("splits"), empty("clusters")
    return Tables(documents=documents, splits=splits, clusters=clusters,
                  annotations=from_columns("annotations", {}), origin="release",
                  incidents=tuple(incidents), **narrow)
