"""Label Studio result JSON <-> model.Layers, both directions.

The labeling config (generated from schema/ by the schema stage) has these controls:
  Labels "entity" (entity labels), "attribution" (QUOTE, CUE), "event" (event types),
  per-region Choices "quote_kind" (on QUOTE regions) and "realis" (on event regions),
  Relations named speaker, cue and the lower-cased event roles, drawn FROM the quote/event
  region TO the entity/cue region. Region ids are our ids.

Decisions (documented in annotations/GUIDELINES.md terms):
- A quote without quote_kind, or an event without realis, is refused: a default would invent
  annotation content that no annotator gave.
- One label per region. A relation is read by the kinds of its two ends (its `direction` flag
  is ignored): exactly one end must be a quote or event region.
- A CUE region no quote points to is refused (it would be lost silently).
- Which entity labels a role/speaker may point to is a validation concern (checks), not a
  conversion one: such a pass is stored as annotated and flagged by `peacetalks validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import LabelStudioError
from .model import Entity, Event, EventArgument, Layers, OffsetRepair, Quote, Span
from .offsets import resolve_span
from .taxonomy import Taxonomy

# Control names of the labeling config (not label names: those come from the taxonomy).
TEXT = "text"
ENTITY = "entity"
ATTRIBUTION = "attribution"
EVENT = "event"
QUOTE_KIND = "quote_kind"
REALIS = "realis"


def _region(rid: str, control: str, span: Span, label: str) -> dict[str, Any]:
    return {
        "id": rid, "from_name": control, "to_name": TEXT, "type": "labels", "origin": "manual",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [label]},
    }


def _choice(rid: str, control: str, span: Span, choice: str) -> dict[str, Any]:
    return {
        "id": rid, "from_name": control, "to_name": TEXT, "type": "choices", "origin": "manual",
        "value": {"start": span.start, "end": span.end, "text": span.text, "choices": [choice]},
    }


def _relation(src: str, dst: str, name: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": src, "to_id": dst, "direction": "right",
            "labels": [name]}


def layers_to_results(layers: Layers, tax: Taxonomy) -> list[dict[str, Any]]:
    """Label Studio `result` items (for predictions.create / annotations.create)."""
    out: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for e in layers.entities:
        out.append(_region(e.id, ENTITY, e.span, e.label))
    cues: dict[str, Span] = {}
    for q in layers.quotes:
        out.append(_region(q.id, ATTRIBUTION, q.span, tax.quote_label))
        out.append(_choice(q.id, QUOTE_KIND, q.span, q.kind))
        if q.speaker is not None:
            relations.append(_relation(q.id, q.speaker, "speaker"))
        if q.cue is not None:
            cue_id = q.cue_id or f"{q.id}-cue"
            if cue_id not in cues:
                cues[cue_id] = q.cue
                out.append(_region(cue_id, ATTRIBUTION, q.cue, tax.cue_label))
            relations.append(_relation(q.id, cue_id, "cue"))
    for ev in layers.events:
        out.append(_region(ev.id, EVENT, ev.span, ev.type))
        out.append(_choice(ev.id, REALIS, ev.span, ev.realis))
        for arg in ev.arguments:
            relations.append(_relation(ev.id, arg.entity, tax.role_relation(arg.role)))
    return out + relations


@dataclass
class _Region:
    id: str
    control: str
    label: str
    span: Span
    choices: dict[str, str] = field(default_factory=dict)


def results_to_layers(
    results: list[dict[str, Any]], text: str, tax: Taxonomy, where: str, annotation_id: int = 0
) -> tuple[Layers, list[OffsetRepair]]:
    """Resolve regions and relations into entities, quotes and events.

    `where` names the task and annotation in messages ("task 12 annotation 40");
    every span is checked against `text` (offsets.resolve_span)."""
    known = {ENTITY: set(tax.entity_labels),
             ATTRIBUTION: {tax.quote_label, tax.cue_label},
             EVENT: set(tax.event_type_names)}
    choice_names = {QUOTE_KIND: set(tax.quote_kind_names), REALIS: set(tax.realis_names)}
    regions: dict[str, _Region] = {}
    repairs: list[OffsetRepair] = []
    choices: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []

    for item in results:
        kind = item.get("type")
        if kind == "relation":
            relations.append(item)
            continue
        rid = str(item.get("id"))
        control = item.get("from_name")
        at = f"{where} region {rid}"
        if kind == "choices":
            if control not in choice_names:
                raise LabelStudioError(f"{at}: unknown choices control {control!r} "
                                       f"(known: {sorted(choice_names)})")
            choices.append(item)
            continue
        if kind != "labels":
            raise LabelStudioError(f"{at}: result type {kind!r} is not part of the schema")
        if control not in known:
            raise LabelStudioError(f"{at}: unknown labels control {control!r} (known: {sorted(known)})")
        value = item.get("value") or {}
        labels = value.get("labels") or []
        if len(labels) != 1:
            raise LabelStudioError(f"{at} {value.get('text')!r}: a region needs exactly one label, "
                                   f"got {labels}")
        label = labels[0]
        if label not in known[control]:
            raise LabelStudioError(f"{at} {value.get('text')!r}: label {label!r} is not in the "
                                   f"schema's {control} labels")
        if rid in regions:
            raise LabelStudioError(f"{at}: one region carries two labels "
                                   f"({regions[rid].label!r} and {label!r}); keep one")
        got = resolve_span(text, value.get("start"), value.get("end"), value.get("text"), at)
        if got.reason is not None:
            repairs.append(OffsetRepair(annotation_id, rid, got.reason, value["start"],
                                        value["end"], got.start, got.end))
        regions[rid] = _Region(rid, control, label, Span(got.start, got.end, text[got.start:got.end]))

    for item in choices:
        rid, control = str(item.get("id")), item["from_name"]
        at = f"{where} region {rid}"
        picked = (item.get("value") or {}).get("choices") or []
        region = regions.get(rid)
        wanted = QUOTE_KIND if region and region.label == tax.quote_label else (
            REALIS if region and region.control == EVENT else None)
        if region is None or wanted != control:
            raise LabelStudioError(f"{at}: {control} choice {picked} is not attached to a "
                                   f"{'QUOTE' if control == QUOTE_KIND else 'event'} region")
        if len(picked) != 1 or picked[0] not in choice_names[control]:
            raise LabelStudioError(f"{at}: {control} must be one of "
                                   f"{sorted(choice_names[control])}, got {picked}")
        region.choices[control] = picked[0]

    return _assemble(regions, relations, tax, where), repairs


def _assemble(regions: dict[str, _Region], relations: list[dict[str, Any]], tax: Taxonomy,
              where: str) -> Layers:
    role_of = {tax.role_relation(r): r for r in tax.role_names}
    speaker: dict[str, str] = {}
    cue: dict[str, str] = {}
    args: dict[str, list[EventArgument]] = {}
    linked_cues: set[str] = set()

    def is_head(r: _Region) -> bool:
        return r.control == EVENT or r.label == tax.quote_label

    for rel in relations:
        names = rel.get("labels") or []
        a, b = regions.get(str(rel.get("from_id"))), regions.get(str(rel.get("to_id")))
        at = f"{where} relation {rel.get('from_id')}->{rel.get('to_id')}"
        if a is None or b is None:
            raise LabelStudioError(f"{at}: points to a region that does not exist")
        if len(names) != 1:
            raise LabelStudioError(f"{at} ({a.span.text!r} -> {b.span.text!r}): a relation needs "
                                   f"exactly one label, got {names}")
        name = names[0]
        if name not in tax.relation_names:
            raise LabelStudioError(f"{at}: relation {name!r} is not in the schema "
                                   f"(known: {tax.relation_names})")
        if is_head(a) == is_head(b):
            raise LabelStudioError(f"{at} {name}: one end must be a quote or an event, the other "
                                   f"an entity or cue ({a.label} -> {b.label})")
        head, tail = (a, b) if is_head(a) else (b, a)
        if name == "cue":
            if head.label != tax.quote_label or tail.label != tax.cue_label:
                raise LabelStudioError(f"{at}: 'cue' links a QUOTE to a CUE, not {head.label} "
                                       f"to {tail.label}")
            if cue.setdefault(head.id, tail.id) != tail.id:
                raise LabelStudioError(f"{at}: quote {head.id} has two cues")
            linked_cues.add(tail.id)
        elif name == "speaker":
            if head.label != tax.quote_label or tail.control != ENTITY:
                raise LabelStudioError(f"{at}: 'speaker' links a QUOTE to an entity, not "
                                       f"{head.label} to {tail.label}")
            if speaker.setdefault(head.id, tail.id) != tail.id:
                raise LabelStudioError(f"{at}: quote {head.id} has two speakers")
        else:
            if head.control != EVENT or tail.control != ENTITY:
                raise LabelStudioError(f"{at}: role {name!r} links an event to an entity, not "
                                       f"{head.label} to {tail.label}")
            arg = EventArgument(role_of[name], tail.id)
            if arg not in args.setdefault(head.id, []):
                args[head.id].append(arg)

    entities, quotes, events = [], [], []
    for r in regions.values():
        at = f"{where} region {r.id} {r.span.text!r}"
        if r.control == ENTITY:
            entities.append(Entity(r.id, r.span, r.label))
        elif r.label == tax.quote_label:
            if QUOTE_KIND not in r.choices:
                raise LabelStudioError(f"{at}: QUOTE has no quote_kind "
                                       f"(pick one of {tax.quote_kind_names})")
            c = regions[cue[r.id]] if r.id in cue else None
            quotes.append(Quote(r.id, r.span, r.choices[QUOTE_KIND], speaker.get(r.id),
                                None if c is None else c.span, None if c is None else c.id))
        elif r.control == EVENT:
            if REALIS not in r.choices:
                raise LabelStudioError(f"{at}: event {r.label} has no realis "
                                       f"(pick one of {tax.realis_names})")
            events.append(Event(r.id, r.span, r.label, r.choices[REALIS],
                                tuple(sorted(args.get(r.id, []), key=lambda x: (x.role, x.entity)))))
        elif r.id not in linked_cues:
            raise LabelStudioError(f"{at}: CUE is not linked to any QUOTE by a 'cue' relation")
    return Layers(tuple(entities), tuple(quotes), tuple(events))
