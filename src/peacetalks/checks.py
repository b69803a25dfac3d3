"""The check catalogue and the checks Great Expectations cannot express cleanly.

Every check has a stable id (UD-validate style) registered in CHECKS with its severity and
meaning; validation/CHECKS.md is generated from CHECKS (`peacetalks validate --generate`) and a
test keeps it current. Checks implemented as Great Expectations expectations live in
gx_suites.py and carry their check id in the expectation's `meta`; the ones here are plain
functions over the Arrow tables of tables.py, vectorized (joins, group-bys, regex kernels), that
return Incident records with a message a maintainer can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc

from .model import Incident, Severity
from .tables import GOLD, LAYER_NAMES, Tables


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    meaning: str
    engine: str  # "gx:<suite>" (an expectation in that suite) or "plain" (a function here)


CHECKS: dict[str, Check] = {}


def _register(check_id: str, severity: Severity, engine: str, meaning: str) -> None:
    assert check_id not in CHECKS, check_id
    CHECKS[check_id] = Check(check_id, severity, meaning, engine)


# Reading and meta checks (cheapest first: nothing else is meaningful if these fail).
_register("file.unreadable", "error", "plain", "A JSON or Parquet file cannot be read, or does not have the shape of its kind (cleaned document, annotation file, splits/clusters mapping, release table).")
_register("file.doc-id-mismatch", "error", "plain", "corpus/clean/<id>.json or annotations/<id>.json holds a different doc_id than its file name.")
_register("suite.missing", "error", "plain", "A Great Expectations suite, validation definition or checkpoint under validation/gx/ is missing or cannot be loaded.")
_register("suite.stale", "error", "plain", "A suite file under validation/gx/ differs from the suites defined in peacetalks.gx_suites (edited by hand, or not regenerated).")
_register("suite.vacuous", "error", "plain", "A suite evaluated fewer expectations than its file declares (for example an expectation type that did not load), so its success would be vacuous.")
_register("suite.error", "error", "plain", "An expectation raised an error instead of evaluating.")
_register("table.empty", "error", "plain", "A table that must have rows is empty: documents always; entities when a document has its entities layer done (or a release has documents).")
# Documents.
_register("documents.id-unique", "error", "gx:documents", "Two documents share a doc_id.")
_register("documents.not-null", "error", "gx:documents", "A document lacks a required field (doc_id, title, text, text_sha256, language, raw_sha256, cleaner_version).")
_register("documents.empty-text", "error", "gx:documents", "A document's cleaned text is empty.")
_register("documents.text-sha256", "error", "gx:documents", "A document's text_sha256 is not the sha256 of its text.")
_register("documents.date", "error", "gx:documents", "A document's date is neither null nor a valid ISO date YYYY-MM-DD.")
_register("documents.boilerplate", "error", "plain", "Cleaned text still contains a known boilerplate marker (cookie/consent banner, error page, legal disclaimer, link list heading, hotline, licence number).")
# Span layers.
for _t, _a, _what, _fields in (("entities", "An", "entity", "label"), ("quotes", "A", "quote", "kind"),
                               ("events", "An", "event trigger", "type, realis")):
    _register(f"{_t}.id-unique", "error", f"gx:{_t}", f"Two {_what} spans share an id within one document and layer (gold or one annotator pass).")
    _register(f"{_t}.not-null", "error", f"gx:{_t}", f"{_a} {_what} lacks a required field (id, start, end, text, {_fields}).")
    _register(f"{_t}.offsets", "error", f"gx:{_t}", f"{_a} {_what} span is not 0 <= start < end <= len(text) of its document.")
    _register(f"{_t}.span-text", "error", f"gx:{_t}", f"{_a} {_what}'s stored text is not text[start:end] of its document.")
_register("entities.label", "error", "gx:entities", "An entity label is not one of the taxonomy's entity labels.")
_register("quotes.kind", "error", "gx:quotes", "A quote kind is not one of the taxonomy's quote kinds.")
_register("quotes.cue-offsets", "error", "gx:quotes", "A quote's cue span is not 0 <= start < end <= len(text).")
_register("quotes.cue-text", "error", "gx:quotes", "A quote's cue text is not text[cue_start:cue_end].")
_register("quotes.speaker-ref", "error", "plain", "A quote's speaker is not the id of an entity in the same document and layer.")
_register("quotes.speaker-label", "error", "gx:quotes", "A quote's speaker points to an entity whose label the taxonomy does not allow for speakers.")
_register("events.type", "error", "gx:events", "An event type is not one of the taxonomy's event types.")
_register("events.realis", "error", "gx:events", "An event's realis is not one of the taxonomy's realis values.")
_register("event_arguments.not-null", "error", "gx:event_arguments", "An event argument lacks its role or entity.")
_register("event_arguments.role", "error", "gx:event_arguments", "An event argument role is not one of the taxonomy's roles.")
_register("event_arguments.entity-ref", "error", "plain", "An event argument does not point to an entity in the same document and layer.")
_register("event_arguments.entity-label", "error", "gx:event_arguments", "An event argument points to an entity whose label the taxonomy does not allow for that role.")
# Splits and clusters.
_register("splits.value", "error", "gx:splits", "A split name is not train, validation or test.")
_register("splits.disjoint", "error", "gx:splits", "A document is listed in more than one split (twice in corpus/splits.json, or in two splits of a release).")
_register("splits.missing", "error", "plain", "A document of the corpus has no split in corpus/splits.json (run the split step).")
_register("splits.cluster", "error", "plain", "The documents of one near-duplicate cluster (corpus/clusters.json; a document not listed is its own cluster) are in different splits.")
# Annotation files.
_register("annotations.unknown-document", "error", "plain", "annotations/<id>.json exists for a document that is not in corpus/clean/.")
_register("annotations.anchor", "error", "gx:annotations", "An annotation file is anchored to a text_sha256 that is not its document's current one (re-anchor it).")
_register("annotations.missing", "warning", "plain", "A document has no annotations/<id>.json: it has not been annotated (or pulled) yet, so every layer counts as pending. A warning, not an error, so that new raw files can land before annotation; the release card counts such documents as having no gold layer.")
_register("annotations.status", "error", "gx:annotations", "An annotation file does not mark every layer (entities, quotes, events) as 'done' or 'pending'.")
_register("annotations.done-without-gold", "error", "plain", "A layer is marked 'done' but the file has no gold layers.")
_register("annotations.undeclared-annotator", "error", "plain", "A pass's annotator pseudonym is not declared in annotations/annotators.yaml (its kind, human or AI model, must be known for the dataset card to state provenance truthfully), or that file is invalid.")
_register("agreement.below-threshold", "error", "plain", "A document with two or more passes has an agreement score below validation/thresholds.yaml.")
_register("agreement.unknown-metric", "error", "plain", "validation/thresholds.yaml names a metric the agreement code does not compute (it would never be checked).")
# Releases (peacetalks validate --release DIR).
_register("release.missing-config", "error", "plain", "A release lacks its README.md configs, a config, or a data file the README names.")
_register("release.columns", "error", "plain", "A release table's columns or types differ from the release Features (a missing column would load as all None).")
_register("release.class-id", "error", "plain", "A ClassLabel column of a release holds an id outside 0..len(names)-1 (datasets loads it silently).")


# ---- boilerplate markers: phrases that never belong to an article body (seen in the seeds and
# on common news sites). Matched case-insensitively, line-anchored (^...$ is one line).
BOILERPLATE_MARKERS: tuple[tuple[str, str], ...] = (
    ("cookie banner", r"\b(use of|accept( all)?|we use|our) cookies\b|\bcookie (settings|policy|preferences)\b"),
    ("error page", r"page you were looking for|\b(403 forbidden|404 not found)\b"),
    ("legal disclaimer", r"legal disclaimer:|provides the information .as is. without warranty"),
    ("link list heading", r"^most popular stories$|^related (stories|articles)$"),
    ("hotline", r"disinformation report hotline"),
    ("licence number", r"互联网新闻信息许可证"),
    ("language menu", r"^choose your language$"),
    ("newsletter prompt", r"subscribe to our newsletter|sign up for our newsletter"),
)
_FLAGS = "(?im)"
# One pass of one kernel over all texts; only the (few) matching documents are looked at again.
_ANY_MARKER = _FLAGS + "|".join(f"(?:{p})" for _, p in BOILERPLATE_MARKERS)

MAX_PER_CHECK = 200  # rows reported per check and table; the rest are summed up in one line


def layer_label(layer: str) -> str:
    return "gold" if layer == GOLD else layer.replace(":", " ", 1)


def capped(check_id: str, rows: list[dict], make: Callable[[dict], Incident],
           total: int | None = None) -> list[Incident]:
    """One Incident per row, at most MAX_PER_CHECK, then one line saying how many more.
    `total` is the number of failing rows when `rows` was already cut."""
    total = len(rows) if total is None else total
    out = [make(r) for r in rows[:MAX_PER_CHECK]]
    if total > MAX_PER_CHECK:
        out.append(Incident(check_id, CHECKS[check_id].severity, None, "(more)",
                            f"... and {total - MAX_PER_CHECK} more rows like the above"))
    return out


def _incident(check_id: str, doc_id: str | None, where: str, message: str) -> Incident:
    return Incident(check_id, CHECKS[check_id].severity, doc_id, where, message)


def _rows(table: pa.Table, mask: pa.Array | pa.ChunkedArray, columns: Iterable[str]) -> list[dict]:
    return table.select(list(columns)).filter(pc.fill_null(mask, False)).to_pylist()


def check_boilerplate(t: Tables) -> list[Incident]:
    docs = t.documents
    out: list[Incident] = []
    mask = pc.match_substring_regex(docs["text"], _ANY_MARKER)
    for r in _rows(docs, mask, ["doc_id", "file", "text"]):
        for name, pattern in BOILERPLATE_MARKERS:
            m = re.search(_FLAGS + pattern, r["text"])
            if m is not None:
                out.append(_incident(
                    "documents.boilerplate", r["doc_id"], r["file"],
                    f"cleaned text still contains a {name} [{m.start()}:{m.end()}] {m.group(0)!r}; "
                    "improve the cleaner and re-clean this document"))
    return out


def _dangling(table: pa.Table, ref_col: str, row_col: str) -> pa.Array:
    """Rows whose `ref_col` is set but names no entity of the same document and layer
    (`row_col`, the referenced entity's row, is derived by tables.add_derived_columns)."""
    return pc.and_(pc.is_valid(table[ref_col]), pc.is_null(table[row_col]))


def check_references(t: Tables) -> list[Incident]:
    out: list[Incident] = []
    rows = _rows(t.quotes, _dangling(t.quotes, "speaker", "speaker_row"),
                 ["doc_id", "file", "layer", "id", "start", "end", "speaker"])
    out += capped("quotes.speaker-ref", rows, lambda r: _incident(
        "quotes.speaker-ref", r["doc_id"],
        f"{r['file']}: {layer_label(r['layer'])} quote {r['id']} [{r['start']}:{r['end']}]",
        f"speaker {r['speaker']!r} is not an entity of this document's {layer_label(r['layer'])} layer"))
    rows = _rows(t.event_arguments, _dangling(t.event_arguments, "entity_id", "entity_row"),
                 ["doc_id", "file", "layer", "event_id", "role", "entity_id"])
    out += capped("event_arguments.entity-ref", rows, lambda r: _incident(
        "event_arguments.entity-ref", r["doc_id"],
        f"{r['file']}: {layer_label(r['layer'])} event {r['event_id']} {r['role']}",
        f"argument entity {r['entity_id']!r} is not an entity of this document's "
        f"{layer_label(r['layer'])} layer"))
    return out


def check_splits(t: Tables) -> list[Incident]:
    docs, splits = t.documents, t.splits
    out: list[Incident] = []
    splits_file = "corpus/splits.json" if t.origin == "repo" else "the release's data files"
    missing = pc.invert(pc.is_in(docs["doc_id"], value_set=splits["doc_id"]))
    for r in _rows(docs, missing, ["doc_id", "file"]):
        out.append(_incident("splits.missing", r["doc_id"], r["file"],
                             f"document {r['doc_id']!r} has no split in {splits_file}"))
    # Clusters: a document not listed is its own cluster (as in peacetalks.splits).
    in_corpus = splits.filter(pc.is_in(splits["doc_id"], value_set=docs["doc_id"]))
    cluster_idx = pc.index_in(in_corpus["doc_id"], value_set=t.clusters["doc_id"])
    cluster = pc.coalesce(pc.take(t.clusters["cluster_id"], cluster_idx), in_corpus["doc_id"])
    pairs = pa.table({"cluster": cluster, "split": in_corpus["split"], "doc_id": in_corpus["doc_id"]})
    # A document listed twice is splits.disjoint's finding: count its first listing only here.
    pairs = pairs.group_by("doc_id", use_threads=False).aggregate(
        [("cluster", "first"), ("split", "first")]).rename_columns(["doc_id", "cluster", "split"])
    n_splits = pairs.group_by("cluster").aggregate([("split", "count_distinct")])
    bad = n_splits.filter(pc.greater(n_splits["split_count_distinct"], 1))["cluster"]
    if len(bad):
        members = pairs.filter(pc.is_in(pairs["cluster"], value_set=bad)).sort_by(
            [("cluster", "ascending"), ("doc_id", "ascending")]).to_pylist()
        by_cluster: dict[str, list[str]] = {}
        for m in members:
            by_cluster.setdefault(m["cluster"], []).append(f"{m['doc_id']}={m['split']}")
        for cid, docs_in in by_cluster.items():
            out.append(_incident("splits.cluster", None, f"cluster {cid}",
                                 f"near-duplicates in different splits: {', '.join(docs_in)}"))
    return out


def check_annotation_files(t: Tables) -> list[Incident]:
    docs, ann = t.documents, t.annotations
    out: list[Incident] = []
    if t.origin != "repo":  # a release carries no annotation files
        return out
    unknown = pc.invert(pc.is_in(ann["doc_id"], value_set=docs["doc_id"]))
    for r in _rows(ann, unknown, ["doc_id", "file"]):
        out.append(_incident("annotations.unknown-document", r["doc_id"], r["file"],
                             f"no corpus/clean/{r['doc_id']}.json: delete this file or restore "
                             "the document"))
    missing = pc.invert(pc.is_in(docs["doc_id"], value_set=ann["doc_id"]))
    for r in _rows(docs, missing, ["doc_id"]):
        out.append(_incident("annotations.missing", r["doc_id"], f"annotations/{r['doc_id']}.json",
                             "no annotation file: annotate the document (peacetalks ls push, "
                             "annotate, pull) or mark it explicitly pending with a file whose "
                             "status is 'pending' for entities, quotes and events"))
    for layer in LAYER_NAMES:
        col = ann[f"status_{layer}"]
        done_no_gold = pc.and_(pc.equal(col, "done"), pc.invert(ann["has_gold"]))
        for r in _rows(ann, done_no_gold, ["doc_id", "file"]):
            out.append(_incident("annotations.done-without-gold", r["doc_id"], r["file"],
                                 f"layer {layer!r} is marked 'done' but the file has no gold "
                                 "layers; pull again or mark it 'pending'"))
    return out


def check_required_rows(t: Tables) -> list[Incident]:
    out: list[Incident] = []
    if t.documents.num_rows == 0:
        where = "corpus/clean/" if t.origin == "repo" else "release documents config"
        out.append(_incident("table.empty", None, where, "the documents table has no rows"))
    if t.origin == "repo":
        done = pc.sum(pc.cast(pc.equal(t.annotations["status_entities"], "done"), pa.int64())).as_py()
        need_entities = bool(done)
    else:
        need_entities = t.documents.num_rows > 0
    if need_entities and t.entities.num_rows == 0:
        out.append(_incident("table.empty", None, "entities",
                             "the entities table has no rows although documents are annotated"))
    return out


PLAIN_CHECKS: tuple[Callable[[Tables], list[Incident]], ...] = (
    check_required_rows,
    check_annotation_files,
    check_splits,
    check_references,
    check_boilerplate,
)


def run_plain_checks(t: Tables) -> list[Incident]:
    """Every plain check above over derived tables (tables.add_derived_columns)."""
    out: list[Incident] = []
    for check in PLAIN_CHECKS:
        out += check(t)
    return out
