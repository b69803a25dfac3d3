"""The gold rule: which layers of a document are gold, and what is left to adjudicate.

`choose_gold(passes)`, in order:
1. passes marked ground truth in Label Studio: the one updated last wins (ties: the higher Label
   Studio annotation id, i.e. the one created last); gold_source "ground-truth:<pseudonym>";
2. exactly one pass: it is gold; gold_source "single-pass:<pseudonym>";
3. several passes, none ground truth: no gold, and the list of disagreements to adjudicate
   (adjudicate by marking a pass as ground truth in Label Studio, then pull). If that list is
   empty the passes agree, but gold is still left to a human decision.

Disagreements compare items by span: an item absent from some pass, or whose label / kind /
speaker / cue / type / realis / arguments differ. Speakers and arguments are compared by the
span of the entity they point to, not by region id (ids differ between annotators).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from .errors import PeacetalksError
from .model import AnnotatorPass, Layers

Key = tuple[int, int]


def pass_label(p: AnnotatorPass, passes: Sequence[AnnotatorPass]) -> str:
    """The pseudonym, plus the Label Studio annotation id when that annotator has two passes."""
    if sum(q.annotator == p.annotator for q in passes) > 1:
        return f"{p.annotator}#{p.ls_annotation_id}"
    return p.annotator


@dataclass(frozen=True)
class Disagreement:
    """One item (by span) on which the passes of a document differ."""

    layer: str  # entities | quotes | events
    start: int
    end: int
    text: str
    reason: str  # "not-in-every-pass" or the differing fields joined by "+", e.g. "label"
    values: dict[str, str | None]  # pass label -> summary of the item (None: absent)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _span_of(layers: Layers, entity_id: str | None) -> str | None:
    if entity_id is None:
        return None
    ent = next((e for e in layers.entities if e.id == entity_id), None)
    return f"?{entity_id}" if ent is None else f"{ent.span.text}[{ent.span.start}:{ent.span.end}]"


def _signatures(layers: Layers, layer: str) -> dict[Key, dict[str, Any]]:
    out: dict[Key, dict[str, Any]] = {}
    if layer == "entities":
        for e in layers.entities:
            out[(e.span.start, e.span.end)] = {"text": e.span.text, "label": e.label}
    elif layer == "quotes":
        for q in layers.quotes:
            cue = None if q.cue is None else f"{q.cue.text}[{q.cue.start}:{q.cue.end}]"
            out[(q.span.start, q.span.end)] = {
                "text": q.span.text, "kind": q.kind, "speaker": _span_of(layers, q.speaker), "cue": cue,
            }
    else:
        for ev in layers.events:
            args = sorted(f"{a.role}={_span_of(layers, a.entity)}" for a in ev.arguments)
            out[(ev.span.start, ev.span.end)] = {
                "text": ev.span.text, "type": ev.type, "realis": ev.realis, "arguments": ", ".join(args),
            }
    return out


def disagreements(passes: Sequence[AnnotatorPass]) -> list[Disagreement]:
    labels = [pass_label(p, passes) for p in passes]
    out = []
    for layer in ("entities", "quotes", "events"):
        sigs = [_signatures(p.layers, layer) for p in passes]
        for key in sorted(set().union(*sigs)):
            items = [s.get(key) for s in sigs]
            present = [i for i in items if i is not None]
            if len(present) == len(items) and all(i == present[0] for i in present):
                continue
            if len(present) < len(items):
                reason = "not-in-every-pass"
            else:
                fields = [f for f in present[0] if f != "text" and len({str(i[f]) for i in present}) > 1]
                reason = "+".join(fields)
            values = {
                lab: None if i is None else " ".join(f"{k}={v}" for k, v in i.items() if k != "text")
                for lab, i in zip(labels, items)
            }
            out.append(Disagreement(layer, key[0], key[1], present[0]["text"], reason, values))
    return out


def _updated(p: AnnotatorPass) -> datetime:
    try:
        ts = datetime.fromisoformat(p.updated_at)
    except (TypeError, ValueError) as exc:
        raise PeacetalksError(
            f"pass {p.annotator} (Label Studio annotation {p.ls_annotation_id}): "
            f"updated_at {p.updated_at!r} is not an ISO 8601 timestamp"
        ) from exc
    # Naive timestamps are taken as UTC so that they compare with aware ones.
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def choose_gold(passes: Sequence[AnnotatorPass]) -> tuple[Layers | None, str | None, list[Disagreement]]:
    """(gold layers, gold_source, disagreements to adjudicate); see the module docstring."""
    truth = [p for p in passes if p.ground_truth]
    if truth:
        best = max(truth, key=lambda p: (_updated(p), p.ls_annotation_id))
        return best.layers, f"ground-truth:{best.annotator}", []
    if len(passes) == 1:
        return passes[0].layers, f"single-pass:{passes[0].annotator}", []
    if not passes:
        return None, None, []
    ordered = sorted(passes, key=lambda p: (p.annotator, p.ls_annotation_id))
    return None, None, disagreements(ordered)


__all__ = ["Disagreement", "choose_gold", "disagreements", "pass_label"]
