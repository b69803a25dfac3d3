"""The anchor of row `validate`: the same rules as peacetalks.validate, vectorized with
pyarrow compute and numpy, over the same in-memory tables (peacetalks.tables.Tables as read by
`tables_from_repo`, before any derived column).

Rules (check ids as in peacetalks.checks.CHECKS): documents.{id-unique, not-null, empty-text,
text-sha256, date, boilerplate}; {entities,quotes,events}.{id-unique, not-null, offsets,
span-text} and their label sets; quotes.{cue-offsets, cue-text, speaker-ref, speaker-label};
event_arguments.{not-null, role, entity-ref, entity-label}; splits.{value, disjoint, missing,
cluster}; annotations.{unknown-document, anchor, missing, status, done-without-gold};
table.empty. Not here: suite.* (file presence of the GE project) and agreement.* (only documents
with two or more passes; the synthetic corpus has single passes, and the benchmark asserts so).

Span text without a Python loop: the texts' UTF-8 bytes are one Arrow buffer. Code point
offsets become byte offsets through the sparse list of multi-byte characters (lead bytes
>= 0xC0): bytes before global code point G = G + extra bytes of the multi-byte characters
before G (one searchsorted). Stored span texts are then compared byte-wise with one gather.
Only the text-sha256 rule loops (hashlib has no vectorized form); it is cheap next to the rest.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peacetalks.checks import BOILERPLATE_MARKERS
from peacetalks.features import SPLITS
from peacetalks.gx_suites import STATUS_VALUES
from peacetalks.tables import LAYER_NAMES, Tables

STR = pa.string()


def _count(mask) -> int:
    return int(pc.sum(pc.cast(pc.fill_null(mask, False), pa.int64())).as_py() or 0)


def _utf8(arr: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(offsets int64 [n+1], data uint8, valid bool [n]) of a string column."""
    a = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    a = a.cast(pa.large_string())
    valid = np.ones(len(a), bool) if a.null_count == 0 else a.is_valid().to_numpy(zero_copy_only=False)
    bufs = a.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64)[a.offset : a.offset + len(a) + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return offsets, data, valid


def _np(col, dtype=np.int64, fill=-1) -> tuple[np.ndarray, np.ndarray]:
    """(values, valid) of a numeric column."""
    a = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    valid = np.ones(len(a), bool) if a.null_count == 0 else a.is_valid().to_numpy(zero_copy_only=False)
    vals = pc.fill_null(a, fill).to_numpy(zero_copy_only=False).astype(dtype, copy=False)
    return vals, valid


class TextIndex:
    """Code point offsets of the document texts -> global byte offsets in one UTF-8 buffer."""

    def __init__(self, documents: pa.Table):
        self.doc_ids = documents["doc_id"].combine_chunks()
        self.offsets, self.data, _ = _utf8(documents["text"])
        self.lens = pc.fill_null(pc.utf8_length(documents["text"]), 0).to_numpy(
            zero_copy_only=False).astype(np.int64)
        self.char_start = np.concatenate([[0], np.cumsum(self.lens)[:-1]]).astype(np.int64)
        lead = np.flatnonzero(self.data >= 0xC0).astype(np.int64)
        b = self.data[lead]
        extra = np.where(b < 0xE0, 1, np.where(b < 0xF0, 2, 3)).astype(np.int64)
        cum = np.concatenate([[0], np.cumsum(extra)])
        self.lead_char = lead - cum[:-1]  # global code point index of each multi-byte char
        self.cum_extra = cum
        # documents with a null text own no bytes; their char_start is never used (len 0)

    def doc_index(self, doc_ids) -> tuple[np.ndarray, np.ndarray]:
        idx = pc.index_in(doc_ids, value_set=self.doc_ids)
        return _np(idx, fill=0)

    def byte_pos(self, d: np.ndarray, s: np.ndarray) -> np.ndarray:
        g = self.char_start[d] + s
        return g + self.cum_extra[np.searchsorted(self.lead_char, g, side="left")]


def _span_rules(name: str, table: pa.Table, ti: TextIndex, fails: Counter, start: str,
                end: str, text: str, offsets_id: str, text_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Offsets and stored-text rules of one (start, end, text) triple."""
    d, found = ti.doc_index(table["doc_id"])
    s, s_ok = _np(table[start])
    e, e_ok = _np(table[end])
    tlen = np.where(found, ti.lens[d], 0)
    fails[offsets_id] += int(np.count_nonzero(s_ok & (s < 0)))
    fails[offsets_id] += int(np.count_nonzero(s_ok & e_ok & (e <= s)))
    fails[offsets_id] += int(np.count_nonzero(found & e_ok & (e > tlen)))
    ok = found & s_ok & e_ok & (s >= 0) & (e > s) & (e <= tlen)
    toff, tdata, tvalid = _utf8(table[text])
    rows = np.flatnonzero(ok & tvalid)
    b0 = ti.byte_pos(d[rows], s[rows])
    b1 = ti.byte_pos(d[rows], e[rows])
    want = toff[rows + 1] - toff[rows]
    bad = (b1 - b0) != want
    same = np.flatnonzero(~bad)
    n = want[same]
    if n.sum():
        seg = np.repeat(np.arange(len(same)), n)
        within = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        diff = ti.data[np.repeat(b0[same], n) + within] != tdata[np.repeat(toff[rows[same]], n) + within]
        bad[same] |= np.bincount(seg[diff], minlength=len(same)) > 0
    fails[text_id] += int(np.count_nonzero(bad))
    return d, found


def _not_null(table: pa.Table, cols, check_id: str, fails: Counter) -> None:
    for c in cols:
        fails[check_id] += table[c].null_count


def _in_set(col, values, check_id: str, fails: Counter) -> None:
    """Nulls pass (as in Great Expectations' map expectations); not-null rules catch them."""
    outside = pc.invert(pc.is_in(col, value_set=pa.array(list(values), STR)))
    fails[check_id] += _count(pc.and_(pc.is_valid(col), outside))


def _unique(table: pa.Table, keys: list[str], check_id: str, fails: Counter,
            joined=None) -> None:
    """Rows whose key occurs more than once. `joined`: the keys already joined into one column
    (one hash pass tells the common all-unique case)."""
    if joined is not None and pc.count_distinct(joined, mode="all").as_py() == len(joined):
        return
    g = table.select(keys).group_by(keys).aggregate([([], "count_all")])
    dup = g.filter(pc.greater(g["count_all"], 1))
    fails[check_id] += int(pc.sum(dup["count_all"]).as_py() or 0)


def _keys(table: pa.Table, col: str):
    return pc.binary_join_element_wise(table["doc_id"], table["layer"], table[col], "\x1f")


def _label_at(entities: pa.Table, rows, known: pa.Array):
    labels = pc.take(entities["label"], rows)
    return pc.if_else(pc.is_in(labels, value_set=known), labels, pa.scalar(None, STR))


def _invalid_dates(date) -> int:
    """Well-shaped dates that are not calendar dates (2025-02-31); Arrow's strptime accepts
    those, so month lengths are checked with numpy."""
    shaped = pc.fill_null(pc.match_substring_regex(date, r"^\d{4}-\d{2}-\d{2}$"), False)
    d = pc.filter(date, shaped)
    if len(d) == 0:
        return 0
    y = pc.cast(pc.utf8_slice_codeunits(d, 0, 4), pa.int64()).to_numpy(zero_copy_only=False)
    m = pc.cast(pc.utf8_slice_codeunits(d, 5, 7), pa.int64()).to_numpy(zero_copy_only=False)
    day = pc.cast(pc.utf8_slice_codeunits(d, 8, 10), pa.int64()).to_numpy(zero_copy_only=False)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    month_len = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(m, 0, 12)]
    month_len = month_len + ((m == 2) & leap)
    ok = (y >= 1) & (m >= 1) & (m <= 12) & (day >= 1) & (day <= month_len)
    return int(np.count_nonzero(~ok))


def anchor_validate(t: Tables, tax) -> Counter:
    """Failing rows per check id (a Counter; a check id absent = passed)."""
    assert not t.passes, "agreement rules are not in the anchor; use single-pass corpora"
    fails: Counter = Counter()
    docs = t.documents
    ti = TextIndex(docs)

    # documents
    _unique(docs, ["doc_id"], "documents.id-unique", fails)
    _not_null(docs, ("doc_id", "title", "text", "text_sha256", "language", "raw_sha256",
                     "cleaner_version"), "documents.not-null", fails)
    fails["documents.empty-text"] += _count(pc.equal(pc.utf8_length(docs["text"]), 0))
    computed = pa.array([None if x is None else hashlib.sha256(x).hexdigest()
                         for x in docs["text"].cast(pa.binary()).to_pylist()], STR)
    fails["documents.text-sha256"] += _count(pc.not_equal(docs["text_sha256"], computed))
    date = docs["date"]
    fails["documents.date"] += _count(pc.invert(pc.match_substring_regex(date, r"^\d{4}-\d{2}-\d{2}$")))
    fails["documents.date"] += _invalid_dates(date)
    # the markers are matched case-insensitively and line-anchored (peacetalks.checks)
    any_marker = "(?im)" + "|".join(f"(?:{p})" for _, p in BOILERPLATE_MARKERS)
    fails["documents.boilerplate"] += _count(pc.match_substring_regex(docs["text"], any_marker))

    # span layers
    known = pa.array(list(tax.entity_labels), STR)
    id_keys: dict = {}
    for name, labels in (("entities", (("label", "entities.label", tax.entity_labels),)),
                         ("quotes", (("kind", "quotes.kind", tax.quote_kind_names),)),
                         ("events", (("type", "events.type", tax.event_type_names),
                                     ("realis", "events.realis", tax.realis_names)))):
        table = t.table(name)
        id_keys[name] = _keys(table, "id")
        _unique(table, ["doc_id", "layer", "id"], f"{name}.id-unique", fails, id_keys[name])
        _not_null(table, ("id", "start", "end", "text") + tuple(c for c, _, _ in labels),
                  f"{name}.not-null", fails)
        for col, check_id, values in labels:
            _in_set(table[col], values, check_id, fails)
        _span_rules(name, table, ti, fails, "start", "end", "text", f"{name}.offsets",
                    f"{name}.span-text")
    q = t.quotes
    _span_rules("quotes", q, ti, fails, "cue_start", "cue_end", "cue_text",
                "quotes.cue-offsets", "quotes.cue-text")
    ent_keys = id_keys["entities"]
    speaker_row = pc.index_in(_keys(q, "speaker"), value_set=ent_keys)
    fails["quotes.speaker-ref"] += _count(pc.and_(pc.is_valid(q["speaker"]), pc.is_null(speaker_row)))
    _in_set(_label_at(t.entities, speaker_row, known), tax.speaker_allowed,
            "quotes.speaker-label", fails)

    args = t.event_arguments
    _not_null(args, ("event_id", "role", "entity_id"), "event_arguments.not-null", fails)
    _in_set(args["role"], tax.role_names, "event_arguments.role", fails)
    entity_row = pc.index_in(_keys(args, "entity_id"), value_set=ent_keys)
    fails["event_arguments.entity-ref"] += _count(
        pc.and_(pc.is_valid(args["entity_id"]), pc.is_null(entity_row)))
    role = pc.if_else(pc.is_in(args["role"], value_set=pa.array(list(tax.role_names), STR)),
                      args["role"], pa.scalar(None, STR))
    role_label = pc.binary_join_element_wise(role, _label_at(t.entities, entity_row, known), ":")
    _in_set(role_label, [f"{r}:{lab}" for r in tax.role_names for lab in tax.role_allowed(r)],
            "event_arguments.entity-label", fails)

    # splits and clusters
    sp = t.splits
    _in_set(sp["split"], SPLITS, "splits.value", fails)
    _unique(sp, ["doc_id"], "splits.disjoint", fails)
    fails["splits.missing"] += _count(pc.invert(pc.is_in(docs["doc_id"], value_set=sp["doc_id"])))
    in_corpus = sp.filter(pc.is_in(sp["doc_id"], value_set=docs["doc_id"]))
    cluster = pc.coalesce(pc.take(t.clusters["cluster_id"],
                                  pc.index_in(in_corpus["doc_id"], value_set=t.clusters["doc_id"])),
                          in_corpus["doc_id"])
    per = pa.table({"c": cluster, "s": in_corpus["split"]}).group_by("c").aggregate(
        [("s", "count_distinct")])
    fails["splits.cluster"] += _count(pc.greater(per["s_count_distinct"], 1))

    # annotation files
    ann = t.annotations
    fails["annotations.unknown-document"] += _count(pc.invert(pc.is_in(ann["doc_id"], value_set=docs["doc_id"])))
    fails["annotations.missing"] += _count(pc.invert(pc.is_in(docs["doc_id"], value_set=ann["doc_id"])))
    doc_sha = pc.take(docs["text_sha256"], pc.index_in(ann["doc_id"], value_set=docs["doc_id"]))
    fails["annotations.anchor"] += _count(pc.not_equal(ann["anchor_sha256"], doc_sha))
    for layer in LAYER_NAMES:
        col = ann[f"status_{layer}"]
        fails["annotations.status"] += col.null_count
        _in_set(col, STATUS_VALUES, "annotations.status", fails)
        fails["annotations.done-without-gold"] += _count(
            pc.and_(pc.equal(col, "done"), pc.invert(ann["has_gold"])))

    if docs.num_rows == 0:
        fails["table.empty"] += 1
    if _count(pc.equal(ann["status_entities"], "done")) and t.entities.num_rows == 0:
        fails["table.empty"] += 1
    return Counter({k: v for k, v in fails.items() if v})
