"""Agreement between annotator passes, held to validation/thresholds.yaml.

Scores come from peacetalks.agreement (the Label Studio side owns agreement metrics) through one
small interface: a callable ``(DocumentAnnotations, Taxonomy) -> {"<layer>.<metric>": float|None}``.
`scores_function()` looks for `peacetalks.agreement.document_scores`; until that exists it uses
`exact_f1_scores` below (mean pairwise exact-match F1 per layer), which is a real, documented
metric, never a made-up figure. A threshold naming a metric that the scorer does not produce is
an error of its own, so a typo cannot turn the check off.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from .checks import CHECKS
from .errors import PeacetalksError
from .model import DocumentAnnotations, Incident, Layers

Scores = Mapping[str, "float | None"]
Scorer = Callable[[DocumentAnnotations, Any], Scores]


def _keys(layers: Layers, layer: str) -> set[tuple]:
    if layer == "entities":
        return {(e.span.start, e.span.end, e.label) for e in layers.entities}
    if layer == "quotes":
        return {(q.span.start, q.span.end, q.kind) for q in layers.quotes}
    return {(e.span.start, e.span.end, e.type) for e in layers.events}


def _f1(a: set, b: set) -> float | None:
    if not a and not b:
        return None  # nothing to agree on: undefined, not perfect
    return 2 * len(a & b) / (len(a) + len(b))


def exact_f1_scores(ann: DocumentAnnotations, tax: Any = None) -> dict[str, float | None]:
    """Mean pairwise F1 of exact (start, end, label/kind/type) matches between passes."""
    out: dict[str, float | None] = {}
    for layer in ("entities", "quotes", "events"):
        values = [_f1(_keys(a.layers, layer), _keys(b.layers, layer))
                  for a, b in combinations(ann.passes, 2)]
        values = [v for v in values if v is not None]
        out[f"{layer}.f1_exact"] = sum(values) / len(values) if values else None
    return out


def scores_function() -> Scorer:
    try:
        from . import agreement  # type: ignore[attr-defined]
    except ImportError:
        return exact_f1_scores
    return getattr(agreement, "document_scores", exact_f1_scores)


def load_thresholds(path: Path) -> dict[str, float]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        raw = data.get("min_agreement", {}) or {}
        return {str(k): float(v) for k, v in raw.items()}
    except (yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        raise PeacetalksError(f"{path}: not a valid thresholds file ({exc})") from exc


def check_agreement(passes: Mapping[str, DocumentAnnotations], tax: Any,
                    thresholds: Mapping[str, float], scorer: Scorer | None = None) -> list[Incident]:
    scorer = scorer or scores_function()
    out: list[Incident] = []
    unknown: set[str] = set()
    sev = CHECKS["agreement.below-threshold"].severity
    for doc_id, ann in sorted(passes.items()):
        if len(ann.passes) < 2:
            continue
        scores = scorer(ann, tax)
        for key, minimum in sorted(thresholds.items()):
            if key not in scores:
                unknown.add(key)
                continue
            value = scores[key]
            if value is not None and value < minimum:
                who = ", ".join(sorted({p.annotator for p in ann.passes}))
                out.append(Incident(
                    "agreement.below-threshold", sev, doc_id, f"annotations/{doc_id}.json",
                    f"{key} = {value:.3f} between passes of {who} is below {minimum} "
                    "(validation/thresholds.yaml): adjudicate the disagreements"))
    for key in sorted(unknown):
        out.append(Incident("agreement.unknown-metric", CHECKS["agreement.unknown-metric"].severity,
                            None, "validation/thresholds.yaml",
                            f"metric {key!r} is not computed by the agreement code; known: "
                            "<layer>.<metric> keys such as entities.f1_exact"))
    return out
