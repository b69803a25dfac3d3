"""Great Expectations results -> Incidents a maintainer can act on.

A failed expectation comes back with the `row` of each failing row (its index in the Arrow
table, see gx_suites.batch_frame); the message is built from the whole row of the table (file,
layer, id, span, stored text and the text there), never from a DataFrame index."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .checks import CHECKS, MAX_PER_CHECK, capped, layer_label
from .model import Incident

ROW = "row"

# ---- failed rows -> Incidents -------------------------------------------------------------

_KIND = {"entities": "entity", "quotes": "quote", "events": "event"}


def _where(name: str, r: dict) -> str:
    if name in _KIND:
        return (f"{r['file']}: {layer_label(r['layer'])} {_KIND[name]} {r['id']} "
                f"[{_num(r.get('start'))}:{_num(r.get('end'))}]")
    if name == "event_arguments":
        return f"{r['file']}: {layer_label(r['layer'])} event {r['event_id']} argument {r['role']}"
    if name == "splits":
        return f"{r['file']}: {r['doc_id']}"
    return r.get("file") or r.get("doc_id") or name


def _num(x: Any) -> Any:
    return int(x) if isinstance(x, float) and x == x else x


def _message(check_id: str, name: str, r: dict, kwargs: dict, params: dict) -> str:
    col = kwargs.get("column")
    suffix = check_id.split(".", 1)[1]
    if suffix == "span-text":
        return f"{r['text']!r} but the text there is {r['span_text']!r}"
    if suffix == "cue-text":
        return (f"cue [{_num(r['cue_start'])}:{_num(r['cue_end'])}] {r['cue_text']!r} but the text "
                f"there is {r['cue_span_text']!r}")
    if suffix in ("offsets", "cue-offsets"):
        s, e = ("cue_start", "cue_end") if suffix == "cue-offsets" else ("start", "end")
        return (f"{'cue ' if suffix == 'cue-offsets' else ''}offsets [{_num(r.get(s))}:{_num(r.get(e))}] "
                f"are not within 0 <= start < end <= {_num(r.get('text_len'))} (the text length)")
    if suffix == "not-null":
        return f"{col} is missing"
    if suffix == "id-unique":
        ident = r.get("id", r.get("doc_id"))
        return f"id {ident!r} is used more than once" + (" in this layer" if "layer" in r else "")
    if suffix == "text-sha256":
        return (f"text_sha256 {str(r['text_sha256'])[:12]}... is not the sha256 of the text "
                f"({str(r['computed_sha256'])[:12]}...): re-run cleaning or fix the hash")
    if suffix == "date":
        return f"date {r['date']!r} is not an ISO date YYYY-MM-DD"
    if suffix == "empty-text":
        return "the cleaned text is empty"
    if suffix == "speaker-label":
        return (f"speaker {r['speaker']!r} is a {r['speaker_label']} entity; a speaker may be "
                f"{', '.join(params['speaker_labels'])}")
    if suffix == "entity-label":
        allowed = [x.split(":", 1)[1] for x in params["role_entity_labels"] if x.startswith(f"{r['role']}:")]
        return (f"{r['role']} argument {r['entity_id']!r} is a {r['entity_label']} entity; "
                f"{r['role']} may point to {', '.join(allowed) or 'nothing'}")
    if suffix == "anchor":
        return (f"anchored to text_sha256 {str(r['anchor_sha256'])[:12]}... but "
                f"corpus/clean/{r['doc_id']}.json now has {str(r['doc_sha256'])[:12]}...: the text "
                "changed after annotation; re-anchor the annotations (peacetalks ls reanchor)")
    if suffix == "status":
        return f"{col} is {r.get(col)!r}; each layer must be marked 'done' or 'pending'"
    if suffix == "disjoint":
        return f"document {r['doc_id']!r} is listed in more than one split ({r['split']!r} here)"
    if suffix == "value":
        return f"split {r['split']!r} is not one of {', '.join(params['split_names'])}"
    if "value_set" in kwargs:  # labels, kinds, types, realis, roles
        vs = kwargs["value_set"]  # resolved by GE to the list, or still the $PARAMETER
        allowed = params.get(vs.get("$PARAMETER", ""), []) if isinstance(vs, dict) else list(vs)
        return (f"{col} {r.get(col)!r} is not in the taxonomy (schema/taxonomy.yaml): "
                f"{', '.join(allowed)}")
    return f"failed {check_id}"


def failed_rows(name: str, table: pa.Table, check_id: str, r: Any, params: dict) -> list[Incident]:
    result = r.result or {}
    kwargs = r.expectation_config.kwargs
    idx = sorted({int(u[ROW]) for u in result.get("unexpected_index_list") or [] if ROW in u})
    if not idx:
        return [Incident(check_id, CHECKS[check_id].severity, None, f"table {name}",
                         f"{r.expectation_config.type} failed ({result.get('observed_value')!r})")]
    cols = [c for c in table.column_names if c != "text" or name != "documents"]
    rows = table.select(cols).take(pa.array(idx[:MAX_PER_CHECK], pa.int64())).to_pylist()
    return capped(check_id, rows, lambda row: Incident(
        check_id, CHECKS[check_id].severity, row.get("doc_id"), _where(name, row),
        _message(check_id, name, row, kwargs, params)), total=len(idx))
