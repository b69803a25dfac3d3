"""Narrow Arrow tables derived from the repository (or from a built release) for validation.

One row per document, entity, quote, event, event argument, split assignment, cluster
membership and annotation file. The tables carry what the checks need and nothing more: the
long document text lives only in `documents.text`, which is never handed to Great Expectations
(GE hashes whole frames per batch, see validate.py); span checks use the derived `span_text`.

Reading files is per-record Python by nature (JSON); everything after that (derived columns,
joins, checks) works on whole columns. Problems found while reading (an unreadable file, a file
whose doc_id disagrees with its name) are returned as Incidents, never raised.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.compute as pc

from .fsio import read_json
from .gcpause import gc_paused
from .model import DocumentAnnotations, Document, Incident, Layers

GOLD = "gold"
# Annotation layers, named as in the model (Layers' fields): entities, quotes, events.
LAYER_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Layers))

STR = pa.string()
I64 = pa.int64()

DOCUMENTS = pa.schema(
    [("doc_id", STR), ("file", STR), ("title", STR), ("text", STR), ("text_sha256", STR),
     ("date", STR), ("language", STR), ("raw_sha256", STR), ("cleaner_version", STR)]
)
_SPAN = [("doc_id", STR), ("file", STR), ("layer", STR), ("id", STR), ("start", I64),
         ("end", I64), ("text", STR)]
ENTITIES = pa.schema(_SPAN + [("label", STR)])
QUOTES = pa.schema(
    _SPAN + [("kind", STR), ("speaker", STR), ("cue_id", STR), ("cue_start", I64),
             ("cue_end", I64), ("cue_text", STR)]
)
EVENTS = pa.schema(_SPAN + [("type", STR), ("realis", STR)])
EVENT_ARGUMENTS = pa.schema(
    [("doc_id", STR), ("file", STR), ("layer", STR), ("event_id", STR), ("role", STR),
     ("entity_id", STR)]
)
SPLITS = pa.schema([("doc_id", STR), ("file", STR), ("split", STR)])
CLUSTERS = pa.schema([("doc_id", STR), ("cluster_id", STR)])
ANNOTATIONS = pa.schema(
    [("doc_id", STR), ("file", STR), ("anchor_sha256", STR), ("n_passes", I64),
     ("has_gold", pa.bool_())] + [(f"status_{name}", STR) for name in LAYER_NAMES]
)
SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS, "entities": ENTITIES, "quotes": QUOTES, "events": EVENTS,
    "event_arguments": EVENT_ARGUMENTS, "splits": SPLITS, "clusters": CLUSTERS,
    "annotations": ANNOTATIONS,
}


@dataclass(frozen=True)
class Tables:
    """Everything validation looks at, as Arrow tables (see SCHEMAS for their columns).

    `origin` is "repo" or "release". `passes` keeps the annotation objects of documents with
    two or more passes (agreement needs whole passes, not rows). `incidents` are problems met
    while reading."""

    documents: pa.Table
    entities: pa.Table
    quotes: pa.Table
    events: pa.Table
    event_arguments: pa.Table
    splits: pa.Table
    clusters: pa.Table
    annotations: pa.Table
    origin: str = "repo"
    passes: dict[str, DocumentAnnotations] = field(default_factory=dict)
    incidents: tuple[Incident, ...] = ()

    def table(self, name: str) -> pa.Table:
        return getattr(self, name)

    def with_tables(self, **tables: pa.Table) -> Tables:
        return replace(self, **tables)

    def row_counts(self) -> dict[str, int]:
        return {name: self.table(name).num_rows for name in SCHEMAS}


def empty(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()


def from_columns(name: str, columns: dict[str, list[Any]]) -> pa.Table:
    """A table of SCHEMAS[name] from python lists (missing columns become nulls)."""
    schema = SCHEMAS[name]
    n = len(next(iter(columns.values()))) if columns else 0
    arrays = [pa.array(columns.get(f.name, [None] * n), type=f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


ROWS_PER_BATCH = 5_000  # Python lists of this many rows at most, then converted to Arrow


class _Rows:
    """Column-wise accumulator: appending dicts row by row, converting to Arrow in batches.

    Why batches: a Python string or int costs 10× its Arrow size; holding 3M entity rows as
    Python lists until the end put validation of 100k documents at 4 GB peak."""

    def __init__(self, name: str):
        self.name = name
        self.cols: dict[str, list[Any]] = {f.name: [] for f in SCHEMAS[name]}
        self._first = next(iter(self.cols.values()))
        self.batches: list[pa.Table] = []

    def add(self, **row: Any) -> None:
        for key, values in self.cols.items():
            values.append(row.get(key))
        if len(self._first) >= ROWS_PER_BATCH:
            self._flush()

    def extend(self, n: int, **columns: Any) -> None:
        """Add n rows at once: each column is a list of n values or one value for all rows;
        columns not given are null. The per-row path (add) costs a dict and a loop over
        every column per row; entity rows are most of a corpus's rows."""
        if not n:
            return
        for key, values in self.cols.items():
            got = columns.get(key)
            values.extend(got if isinstance(got, list) else [got] * n)
        if len(self._first) >= ROWS_PER_BATCH:
            self._flush()

    def _flush(self) -> None:
        self.batches.append(from_columns(self.name, self.cols))
        for values in self.cols.values():
            values.clear()

    def table(self) -> pa.Table:
        self._flush()
        table, self.batches = pa.concat_tables(self.batches), []  # zero-copy: chunked columns
        return table


def layer_name(p: Any) -> str:
    """How a pass is named in rows and messages: "pass:<pseudonym>#<Label Studio id>"."""
    return f"pass:{p.annotator}#{p.ls_annotation_id}"


def _add_layers(rows: dict[str, _Rows], doc_id: str, file: str, layer: str, layers: Layers) -> None:
    base = {"doc_id": doc_id, "file": file, "layer": layer}
    ents = layers.entities
    rows["entities"].extend(
        len(ents), **base, id=[e.id for e in ents], start=[e.span.start for e in ents],
        end=[e.span.end for e in ents], text=[e.span.text for e in ents],
        label=[e.label for e in ents])
    qs = layers.quotes
    cues = [q.cue for q in qs]
    rows["quotes"].extend(
        len(qs), **base, id=[q.id for q in qs], start=[q.span.start for q in qs],
        end=[q.span.end for q in qs], text=[q.span.text for q in qs], kind=[q.kind for q in qs],
        speaker=[q.speaker for q in qs], cue_id=[q.cue_id for q in qs],
        cue_start=[None if c is None else c.start for c in cues],
        cue_end=[None if c is None else c.end for c in cues],
        cue_text=[None if c is None else c.text for c in cues])
    evs = layers.events
    rows["events"].extend(
        len(evs), **base, id=[ev.id for ev in evs], start=[ev.span.start for ev in evs],
        end=[ev.span.end for ev in evs], text=[ev.span.text for ev in evs],
        type=[ev.type for ev in evs], realis=[ev.realis for ev in evs])
    args = [(ev.id, a) for ev in evs for a in ev.arguments]
    rows["event_arguments"].extend(
        len(args), **base, event_id=[e for e, _ in args], role=[a.role for _, a in args],
        entity_id=[a.entity for _, a in args])


def _read_json_pairs(path: Path) -> list[tuple[str, Any]]:
    """A JSON object as its list of (key, value) pairs: duplicate keys stay visible."""
    data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_Pairs)
    if not isinstance(data, _Pairs) or any(not isinstance(v, str) for _, v in data):
        raise ValueError("expected a JSON object mapping document ids to strings")
    return list(data)


class _Pairs(list):
    """A JSON object kept as its (key, value) pairs."""


def _unreadable(file: str, exc: Exception, what: str) -> Incident:
    reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, (ValueError, KeyError)) else str(exc)
    if isinstance(exc, KeyError):
        reason = f"missing field {exc}"
    return Incident("file.unreadable", "error", None, file, f"not a valid {what} ({reason})")


def _undeclared_annotators(repo: Any, seen: list[tuple[str, str, str, int]]) -> list[Incident]:
    """Every pseudonym in a pass must be declared (kind + description) in annotators.yaml.
    `seen`: (doc_id, file, annotator, ls_annotation_id) of every pass read."""
    from .annotators import load_registry, registry_file
    from .errors import PeacetalksError

    where = registry_file(repo).relative_to(repo.root).as_posix()
    try:
        registry = load_registry(repo)
    except PeacetalksError as exc:
        return [Incident("annotations.undeclared-annotator", "error", None, where, str(exc))]
    return [
        Incident("annotations.undeclared-annotator", "error", doc_id, file,
                 f"annotator {who!r} (annotation {ls_id}) is not declared in {where}; add its "
                 "kind (human, crowd, ai-model or synthetic) and a description")
        for doc_id, file, who, ls_id in seen if who not in registry
    ]


def tables_from_repo(repo: Any, *, progress: Any = None) -> Tables:
    """Read corpus/clean, annotations/, corpus/splits.json and corpus/clusters.json."""
    with gc_paused():  # the rows read stay alive until the tables are built (see gcpause)
        return _tables_from_repo(repo, progress)


def _tables_from_repo(repo: Any, progress: Any) -> Tables:
    root: Path = repo.root
    incidents: list[Incident] = []
    rows = {name: _Rows(name) for name in SCHEMAS}
    passes: dict[str, DocumentAnnotations] = {}
    annotators_seen: list[tuple[str, str, str, int]] = []

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix()

    clean_files = sorted(repo.clean_dir.glob("*.json")) if repo.clean_dir.is_dir() else []
    ann_files = sorted(repo.annotations_dir.glob("*.json")) if repo.annotations_dir.is_dir() else []
    task = progress.add_task("reading files", total=len(clean_files) + len(ann_files)) if progress else None

    for path in clean_files:
        try:
            doc = Document.from_dict(read_json(path))
        except (ValueError, KeyError, TypeError) as exc:
            incidents.append(_unreadable(rel(path), exc, "cleaned document"))
            continue
        finally:
            if progress:
                progress.advance(task)
        if doc.doc_id != path.stem:
            incidents.append(Incident(
                "file.doc-id-mismatch", "error", doc.doc_id, rel(path),
                f"the file says doc_id {doc.doc_id!r}; rename the file or fix the id"))
        rows["documents"].add(
            doc_id=doc.doc_id, file=rel(path), title=doc.title, text=doc.text,
            text_sha256=doc.text_sha256, date=doc.date, language=doc.language,
            raw_sha256=doc.raw_sha256, cleaner_version=doc.cleaner_version)

    for path in ann_files:
        try:
            ann = DocumentAnnotations.from_dict(read_json(path))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            incidents.append(_unreadable(rel(path), exc, "annotation file"))
            continue
        finally:
            if progress:
                progress.advance(task)
        file = rel(path)
        if ann.doc_id != path.stem:
            incidents.append(Incident(
                "file.doc-id-mismatch", "error", ann.doc_id, file,
                f"the file says doc_id {ann.doc_id!r}; rename the file or fix the id"))
        status = ann.status if isinstance(ann.status, dict) else {}
        rows["annotations"].add(
            doc_id=ann.doc_id, file=file, anchor_sha256=ann.text_sha256,
            n_passes=len(ann.passes), has_gold=ann.gold is not None,
            **{f"status_{name}": status.get(name) for name in LAYER_NAMES})
        if ann.gold is not None:
            _add_layers(rows, ann.doc_id, file, GOLD, ann.gold)
        for p in ann.passes:
            _add_layers(rows, ann.doc_id, file, layer_name(p), p.layers)
            annotators_seen.append((ann.doc_id, file, p.annotator, p.ls_annotation_id))
        if len(ann.passes) >= 2:
            passes[ann.doc_id] = ann

    incidents += _undeclared_annotators(repo, annotators_seen)

    for path, name, col in ((repo.splits_file, "splits", "split"),
                            (repo.clusters_file, "clusters", "cluster_id")):
        if not path.is_file():
            continue
        try:
            pairs = _read_json_pairs(path)
        except (ValueError, OSError) as exc:
            incidents.append(_unreadable(rel(path), exc, name + " file"))
            continue
        for doc_id, value in pairs:
            rows[name].add(doc_id=doc_id, file=rel(path), **{col: value})

    return Tables(**{n: r.table() for n, r in rows.items()}, origin="repo", passes=passes,
                  incidents=tuple(incidents))


# ---- derived columns (vectorized where pyarrow can; slicing by per-row offsets cannot be) ----

def text_lengths(documents: pa.Table) -> pa.Array:
    return pc.utf8_length(documents["text"])


def _doc_lookup(documents: pa.Table, doc_ids: pa.ChunkedArray) -> pa.Array:
    """Row index into `documents` for each doc_id (null when the document does not exist)."""
    return pc.index_in(doc_ids, value_set=documents["doc_id"].combine_chunks())


def slice_spans(texts: list[str | None], idx: list[int | None], starts: Iterable[Any],
                ends: Iterable[Any]) -> list[str | None]:
    """text[start:end] per row, None where the offsets are not valid (the offsets check reports
    those; leaving them None keeps the span-text check from firing on the same row)."""
    out: list[str | None] = []
    append = out.append
    for i, s, e in zip(idx, starts, ends):
        t = None if i is None else texts[i]
        if t is None or s is None or e is None or s < 0 or e <= s or e > len(t):
            append(None)
        else:
            append(t[s:e])
    return out


def add_derived_columns(t: Tables, tax: Any = None) -> Tables:
    """Columns the checks compare against: text_len and computed_sha256 on documents;
    text_len and span_text on span tables (cue_span_text on quotes); labels of the entities
    that quote speakers and event arguments point to (`role_label` = "ROLE:LABEL"); the
    current text_sha256 of annotated documents. Idempotent.

    With a taxonomy, a referenced label or a role the taxonomy does not know is left null: the
    label/role check reports it once, instead of every check that looks through it."""
    if "text_len" in t.documents.column_names:
        return t
    docs = t.documents
    texts = docs["text"].to_pylist()
    sha = [None if x is None else hashlib.sha256(x.encode("utf-8")).hexdigest() for x in texts]
    lens = text_lengths(docs)
    docs = docs.append_column("text_len", lens).append_column("computed_sha256", pa.array(sha, STR))

    def spans(table: pa.Table, pairs: tuple[tuple[str, str, str], ...]) -> pa.Table:
        idx_arr = _doc_lookup(docs, table["doc_id"])
        table = table.append_column("text_len", pc.take(lens, idx_arr).cast(I64))
        for start, end, out in pairs:
            # in slices of rows: the Python lists of offsets and span strings stay bounded
            chunks = []
            for lo in range(0, table.num_rows, ROWS_PER_BATCH):
                n = min(ROWS_PER_BATCH, table.num_rows - lo)
                chunks.append(pa.array(slice_spans(
                    texts, idx_arr.slice(lo, n).to_pylist(), table[start].slice(lo, n).to_pylist(),
                    table[end].slice(lo, n).to_pylist()), STR))
            table = table.append_column(out, pa.chunked_array(chunks, STR))
        return table

    entities = spans(t.entities, (("start", "end", "span_text"),))
    quotes = spans(t.quotes, (("start", "end", "span_text"), ("cue_start", "cue_end", "cue_span_text")))
    events = spans(t.events, (("start", "end", "span_text"),))
    known = None if tax is None else pa.array(tax.entity_labels, STR)
    # Row of the referenced entity (same doc and layer), null when there is none: computed once
    # here (hashing the entity keys is the expensive part) and read by the reference checks.
    ent_keys = ref_keys(entities, "id") if (t.quotes.num_rows or t.event_arguments.num_rows) else None
    quotes = quotes.append_column("speaker_row", _referenced_row(ent_keys, quotes, "speaker"))
    quotes = quotes.append_column("speaker_label", _label(entities, quotes["speaker_row"], known))
    args = t.event_arguments
    args = args.append_column("entity_row", _referenced_row(ent_keys, args, "entity_id"))
    args = args.append_column("entity_label", _label(entities, args["entity_row"], known))
    role = args["role"]
    if tax is not None:
        role = pc.if_else(pc.is_in(role, value_set=pa.array(tax.role_names, STR)), role,
                          pa.scalar(None, STR))
    role_label = pc.binary_join_element_wise(role, args["entity_label"], ":")
    args = args.append_column("role_label", role_label)
    ann = t.annotations
    ann = ann.append_column("doc_sha256", pc.take(docs["text_sha256"], _doc_lookup(docs, ann["doc_id"])))
    return t.with_tables(documents=docs, entities=entities, quotes=quotes, events=events,
                         event_arguments=args, annotations=ann)


def ref_keys(table: pa.Table, id_column: str) -> pa.Array:
    """One string key per row for joins within a document and layer: doc_id, layer, id."""
    sep = "\x1f"  # a separator no id contains
    return pc.binary_join_element_wise(table["doc_id"], table["layer"], table[id_column], sep)


def _referenced_row(ent_keys: pa.Array | None, table: pa.Table, ref_col: str) -> pa.Array:
    if ent_keys is None or table.num_rows == 0:
        return pa.nulls(table.num_rows, pa.int32())
    return pc.index_in(ref_keys(table, ref_col), value_set=ent_keys)


def _label(entities: pa.Table, rows: pa.ChunkedArray | pa.Array, known: pa.Array | None) -> pa.Array:
    """Label of the entity at `rows` (null if none, or if its label is not in `known`)."""
    labels = pc.take(entities["label"], rows)
    if known is not None:
        labels = pc.if_else(pc.is_in(labels, value_set=known), labels, pa.scalar(None, STR))
    return labels
