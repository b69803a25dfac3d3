"""Documents + annotations → row dicts of every release config (see features.py).

Label columns are written as class ids taken from the Features' own ClassLabels (so the ids are
exactly the ones `load_dataset` decodes). Before anything is published, spans are checked against
the text they claim to cover and labels against the schema: a bad span stops the build with the
file, the span and the reason, because a release with shifted offsets is worse than none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from datasets import ClassLabel, Features, List

from .errors import ReleaseError
from .model import Document, DocumentAnnotations, Layers, Span
from .taxonomy import Taxonomy
from .tokenize import ner_doc

Row = dict[str, Any]


def _classlabel(features: Features, *path: str) -> dict[str, int]:
    node: Any = features
    for key in path:
        while isinstance(node, List):
            node = node.feature
        node = node[key]
    while isinstance(node, List):
        node = node.feature
    if not isinstance(node, ClassLabel):
        raise ReleaseError(f"features: column {'.'.join(path)} is not a ClassLabel ({node!r})")
    return {name: i for i, name in enumerate(node.names)}


@dataclass(frozen=True)
class Codes:
    """name → class id for every label column, read from the Features."""

    entity: dict[str, int]
    quote_kind: dict[str, int]
    event_type: dict[str, int]
    realis: dict[str, int]
    role: dict[str, int]
    ner_tag: dict[str, int]
    cameo: dict[str, list[str]]

    @classmethod
    def from_features(cls, features: dict[str, Features], tax: Taxonomy) -> Codes:
        docs = features["documents"]
        return cls(
            entity=_classlabel(docs, "entities", "label"),
            quote_kind=_classlabel(docs, "quotes", "kind"),
            event_type=_classlabel(docs, "events", "type"),
            realis=_classlabel(docs, "events", "realis"),
            role=_classlabel(docs, "events", "arguments", "role"),
            ner_tag=_classlabel(features["ner"], "ner_tags"),
            cameo={t: list(tax.cameo_of(t)) for t in tax.event_type_names},
        )


@dataclass
class DocStats:
    """What the card's statistics and the release manifest need from one document."""

    language: str = ""
    publisher: str = ""
    tokens: int = 0
    sentences: int = 0
    entities: Counter = field(default_factory=Counter)  # label -> mentions (gold)
    quotes: Counter = field(default_factory=Counter)  # kind -> quotes (gold)
    events: Counter = field(default_factory=Counter)  # type -> events (gold)
    ner_dropped: int = 0
    passes: int = 0
    annotators: set[str] = field(default_factory=set)
    passes_by_annotator: Counter = field(default_factory=Counter)  # pseudonym -> passes
    gold_sources: Counter = field(default_factory=Counter)  # "single-pass" -> docs


def _code(table: dict[str, int], name: str, what: str, where: str) -> int:
    try:
        return table[name]
    except KeyError:
        raise ReleaseError(
            f"{where}: {what} {name!r} is not in schema/taxonomy.yaml ({', '.join(table)})"
        ) from None


def _check_span(doc: Document, span: Span, where: str) -> None:
    if not (0 <= span.start < span.end <= len(doc.text)) or doc.text[span.start : span.end] != span.text:
        actual = doc.text[max(0, span.start) : max(0, span.end)]
        raise ReleaseError(
            f"{where} [{span.start}:{span.end}] {span.text!r} but the text there is {actual!r}"
        )


def layer_rows(doc: Document, layers: Layers, codes: Codes, where: str) -> dict[str, list[Row]]:
    """entities/quotes/events of one layer as row dicts (without doc_id)."""
    surface = {e.id: e.span.text for e in layers.entities}
    entities, quotes, events = [], [], []
    for e in sorted(layers.entities, key=lambda x: (x.span.start, x.span.end, x.id)):
        w = f"{where}: entity {e.id}"
        _check_span(doc, e.span, w)
        entities.append({
            "id": e.id, "start": e.span.start, "end": e.span.end, "text": e.span.text,
            "label": _code(codes.entity, e.label, "label", w),
        })
    for q in sorted(layers.quotes, key=lambda x: (x.span.start, x.span.end, x.id)):
        w = f"{where}: quote {q.id}"
        _check_span(doc, q.span, w)
        if q.cue is not None:
            _check_span(doc, q.cue, f"{w} cue")
        quotes.append({
            "id": q.id, "start": q.span.start, "end": q.span.end, "text": q.span.text,
            "kind": _code(codes.quote_kind, q.kind, "quote kind", w),
            "speaker_id": q.speaker,
            "speaker": surface.get(q.speaker) if q.speaker else None,
            "cue_start": None if q.cue is None else q.cue.start,
            "cue_end": None if q.cue is None else q.cue.end,
            "cue": None if q.cue is None else q.cue.text,
        })
    for ev in sorted(layers.events, key=lambda x: (x.span.start, x.span.end, x.id)):
        w = f"{where}: event {ev.id}"
        _check_span(doc, ev.span, w)
        events.append({
            "id": ev.id, "start": ev.span.start, "end": ev.span.end, "text": ev.span.text,
            "type": _code(codes.event_type, ev.type, "event type", w),
            "cameo": codes.cameo.get(ev.type, []),
            "realis": _code(codes.realis, ev.realis, "realis", w),
            "arguments": [
                {"role": _code(codes.role, a.role, "role", w), "entity_id": a.entity,
                 "text": surface.get(a.entity)}
                for a in ev.arguments
            ],
        })
    return {"entities": entities, "quotes": quotes, "events": events}


def document_rows(
    doc: Document,
    ann: DocumentAnnotations | None,
    cluster_id: str,
    codes: Codes,
) -> tuple[dict[str, list[Row]], DocStats]:
    """Rows of every config for one document, and its statistics."""
    where = f"annotations/{doc.doc_id}.json"
    if ann is not None and ann.text_sha256 != doc.text_sha256:
        raise ReleaseError(
            f"{where}: anchored to text_sha256 {ann.text_sha256[:12]}… but corpus/clean/"
            f"{doc.doc_id}.json has {doc.text_sha256[:12]}… (the text changed; re-sync annotations)"
        )
    gold = ann.gold if ann is not None and ann.gold is not None else Layers()
    layers = layer_rows(doc, gold, codes, f"{where}: gold")
    stats = DocStats(language=doc.language, publisher=doc.publisher or "")
    inv_entity = {v: k for k, v in codes.entity.items()}
    inv_kind = {v: k for k, v in codes.quote_kind.items()}
    inv_type = {v: k for k, v in codes.event_type.items()}
    stats.entities.update(inv_entity[e["label"]] for e in layers["entities"])
    stats.quotes.update(inv_kind[q["kind"]] for q in layers["quotes"])
    stats.events.update(inv_type[e["type"]] for e in layers["events"])

    meta = {
        "doc_id": doc.doc_id, "title": doc.title, "text": doc.text, "date": doc.date,
        "dateline": doc.dateline, "publisher": doc.publisher, "url": doc.url,
        "language": doc.language, "cluster_id": cluster_id, "text_sha256": doc.text_sha256,
        "raw_sha256": doc.raw_sha256, "cleaner_version": doc.cleaner_version,
        "gold_source": None if ann is None else ann.gold_source,
    }
    rows: dict[str, list[Row]] = {"documents": [{**meta, **layers}]}
    for config in ("entities", "quotes", "events"):
        rows[config] = [{"doc_id": doc.doc_id, **item} for item in layers[config]]

    ner = ner_doc(doc.text, [(e.span.start, e.span.end, e.label) for e in gold.entities], codes.ner_tag)
    stats.tokens, stats.sentences, stats.ner_dropped = ner.n_tokens, len(ner.sentences), ner.dropped
    rows["ner"] = [
        {
            "id": f"{doc.doc_id}-{i:05d}",
            "doc_id": doc.doc_id,
            "tokens": s.tokens,  # tuples: pyarrow takes them as lists, no copy needed
            "ner_tags": s.tags,
        }
        for i, s in enumerate(ner.sentences)
    ]

    passes: list[Row] = []
    if ann is not None:
        for p in sorted(ann.passes, key=lambda p: (p.annotator, p.ls_annotation_id)):
            w = f"{where}: pass {p.annotator}/{p.ls_annotation_id}"
            passes.append({
                "doc_id": doc.doc_id, "annotator": p.annotator,
                "ls_annotation_id": p.ls_annotation_id, "created_at": p.created_at,
                "updated_at": p.updated_at, "lead_time": p.lead_time,
                "ground_truth": p.ground_truth, "from_prediction": p.from_prediction,
                **layer_rows(doc, p.layers, codes, w),
            })
            stats.annotators.add(p.annotator)
            stats.passes_by_annotator[p.annotator] += 1
        stats.passes = len(passes)
        if ann.gold_source:
            stats.gold_sources[ann.gold_source.split(":", 1)[0]] += 1
    rows["annotator_passes"] = passes
    return rows, stats


def check_row_keys(features: dict[str, Features], rows: dict[str, list[Row]]) -> None:
    """A key missing from a row dict would be written as null without complaint: compare every
    config's first row (recursively into nested structs) with its Features once per build."""

    def walk(feature: Any, value: Any, path: str, config: str) -> None:
        while isinstance(feature, List):
            if not value:
                return
            feature, value = feature.feature, value[0]
        if isinstance(feature, (dict, Features)):
            if not isinstance(value, dict) or set(value) != set(feature):
                got = set(value) if isinstance(value, dict) else type(value).__name__
                raise ReleaseError(
                    f"config {config}: column {path or '<row>'} has fields {sorted(got) if isinstance(got, set) else got}, "
                    f"the features declare {sorted(feature)}"
                )
            for key, sub in feature.items():
                walk(sub, value[key], f"{path}.{key}" if path else key, config)

    for config, feats in features.items():
        if rows.get(config):
            walk(feats, rows[config][0], "", config)
