"""Inter-annotator agreement per layer, written as a JSON report and rendered as markdown.

Agreement is computed for documents with two or more submitted passes, for every pair of passes
of a document, then pooled (micro-averaged: counts are summed before dividing) per annotator
pair and overall:

- entities: span F1, exact (same start and end) and overlap (one-to-one matching of overlapping
  spans, largest overlap first), each span-only and label-aware (same label required);
- quotes: span F1 exact and overlap, and exact with the same kind; speaker agreement over
  quotes matched by exact span: the two speakers are the same entity span (start, end), or
  both passes give no speaker;
- events: trigger span F1 exact, and exact with the same type; over triggers matched by exact
  span, type and realis observed agreement and Cohen's kappa (computed here:
  kappa = (po - pe) / (1 - pe)).

F1 = 2 * matched / (|A| + |B|), which equals the F1 of either pass scored against the other.
A figure that is not defined (no items on either side, one category only for kappa) is reported
as null with the reason; no number is ever made up.

The gold rule lives in gold.py (`choose_gold`, re-exported here).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fsio import atomic_write_text, dumps_json
from .gold import Disagreement, choose_gold, disagreements, pass_label
from .model import DocumentAnnotations, Layers, Quote
from .paths import Repo
from .store import load_annotations

REPORT_VERSION = 1
METHOD = (__doc__ or "").split("The gold rule")[0].strip()  # written into every report


# ---------------------------------------------------------------- small measures


def f1_from_counts(matched: int, n_a: int, n_b: int) -> tuple[float | None, str | None]:
    if n_a + n_b == 0:
        return None, "not defined: no items in either pass"
    return 2 * matched / (n_a + n_b), None


def exact_matches(a: Sequence[tuple], b: Sequence[tuple]) -> int:
    """Items equal in both (multiset intersection)."""
    return sum((Counter(a) & Counter(b)).values())


def overlap_matches(a: Sequence[tuple], b: Sequence[tuple], labelled: bool = False) -> int:
    """One-to-one matching of overlapping spans (start, end[, label]), largest overlap first."""
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            ov = min(x[1], y[1]) - max(x[0], y[0])
            if ov > 0 and (not labelled or x[2:] == y[2:]):
                pairs.append((-ov, i, j))
    used_a, used_b, n = set(), set(), 0
    for _, i, j in sorted(pairs):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            n += 1
    return n


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> tuple[float | None, str | None]:
    """Cohen's kappa of two raters over the same items; (None, reason) where not defined."""
    n = len(pairs)
    if n == 0:
        return None, "not defined: no matched items"
    po = sum(1 for x, y in pairs if x == y) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if pe == 1:
        return None, "not defined: both passes used a single, identical category (expected agreement is 1)"
    return (po - pe) / (1 - pe), None


# ---------------------------------------------------------------- per pair counts


@dataclass
class _Counts:
    """Summable counts for one pair of passes (or a pool of pairs)."""

    ent_exact: list[int] = field(default_factory=lambda: [0, 0, 0])  # matched, |A|, |B|
    ent_exact_lab: list[int] = field(default_factory=lambda: [0, 0, 0])
    ent_overlap: list[int] = field(default_factory=lambda: [0, 0, 0])
    ent_overlap_lab: list[int] = field(default_factory=lambda: [0, 0, 0])
    quote_exact: list[int] = field(default_factory=lambda: [0, 0, 0])
    quote_overlap: list[int] = field(default_factory=lambda: [0, 0, 0])
    quote_exact_kind: list[int] = field(default_factory=lambda: [0, 0, 0])
    speaker: list[int] = field(default_factory=lambda: [0, 0])  # same, matched quotes
    trig_exact: list[int] = field(default_factory=lambda: [0, 0, 0])
    trig_exact_typed: list[int] = field(default_factory=lambda: [0, 0, 0])
    types: list[tuple[str, str]] = field(default_factory=list)
    realis: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: _Counts) -> None:
        for name, value in vars(other).items():
            mine = getattr(self, name)
            if name in ("types", "realis"):
                mine.extend(value)
            else:
                for i, v in enumerate(value):
                    mine[i] += v


def _triple(matched: int, a: Sequence, b: Sequence) -> list[int]:
    return [matched, len(a), len(b)]


def _speaker_key(layers: Layers, quote: Quote) -> Any:
    if quote.speaker is None:
        return None
    ent = next((e for e in layers.entities if e.id == quote.speaker), None)
    return ("unresolved", quote.speaker) if ent is None else (ent.span.start, ent.span.end)


def compare_layers(a: Layers, b: Layers) -> _Counts:
    c = _Counts()
    ea = [(e.span.start, e.span.end) for e in a.entities]
    eb = [(e.span.start, e.span.end) for e in b.entities]
    la = [(e.span.start, e.span.end, e.label) for e in a.entities]
    lb = [(e.span.start, e.span.end, e.label) for e in b.entities]
    c.ent_exact = _triple(exact_matches(ea, eb), ea, eb)
    c.ent_exact_lab = _triple(exact_matches(la, lb), la, lb)
    c.ent_overlap = _triple(overlap_matches(ea, eb), ea, eb)
    c.ent_overlap_lab = _triple(overlap_matches(la, lb, labelled=True), la, lb)

    qa = [(q.span.start, q.span.end) for q in a.quotes]
    qb = [(q.span.start, q.span.end) for q in b.quotes]
    c.quote_exact = _triple(exact_matches(qa, qb), qa, qb)
    c.quote_overlap = _triple(overlap_matches(qa, qb), qa, qb)
    ka = [(q.span.start, q.span.end, q.kind) for q in a.quotes]
    kb = [(q.span.start, q.span.end, q.kind) for q in b.quotes]
    c.quote_exact_kind = _triple(exact_matches(ka, kb), ka, kb)
    by_span_b = {(q.span.start, q.span.end): q for q in b.quotes}
    for q in a.quotes:
        other = by_span_b.get((q.span.start, q.span.end))
        if other is not None:
            c.speaker[1] += 1
            c.speaker[0] += _speaker_key(a, q) == _speaker_key(b, other)

    ta = [(e.span.start, e.span.end) for e in a.events]
    tb = [(e.span.start, e.span.end) for e in b.events]
    c.trig_exact = _triple(exact_matches(ta, tb), ta, tb)
    ya = [(e.span.start, e.span.end, e.type) for e in a.events]
    yb = [(e.span.start, e.span.end, e.type) for e in b.events]
    c.trig_exact_typed = _triple(exact_matches(ya, yb), ya, yb)
    ev_b = {(e.span.start, e.span.end): e for e in b.events}
    for ev in a.events:
        other = ev_b.get((ev.span.start, ev.span.end))
        if other is not None:
            c.types.append((ev.type, other.type))
            c.realis.append((ev.realis, other.realis))
    return c


def _metric(value: float | None, reason: str | None, **counts: int) -> dict[str, Any]:
    out: dict[str, Any] = {"value": None if value is None else round(value, 4), **counts}
    if reason:
        out["note"] = reason
    return out


def _f1(t: list[int]) -> dict[str, Any]:
    v, why = f1_from_counts(*t)
    return _metric(v, why, matched=t[0], a=t[1], b=t[2])


def _agreement(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    kappa, why = cohen_kappa(pairs)
    observed = sum(x == y for x, y in pairs) / len(pairs) if pairs else None
    return {
        "observed": _metric(observed, None if pairs else "not defined: no matched triggers",
                            same=sum(x == y for x, y in pairs), matched=len(pairs)),
        "cohen_kappa": _metric(kappa, why, matched=len(pairs)),
    }


def render_counts(c: _Counts) -> dict[str, Any]:
    same, matched = c.speaker
    return {
        "entities": {
            "exact_span_f1": _f1(c.ent_exact),
            "exact_labelled_f1": _f1(c.ent_exact_lab),
            "overlap_span_f1": _f1(c.ent_overlap),
            "overlap_labelled_f1": _f1(c.ent_overlap_lab),
        },
        "quotes": {
            "exact_span_f1": _f1(c.quote_exact),
            "overlap_span_f1": _f1(c.quote_overlap),
            "exact_kind_f1": _f1(c.quote_exact_kind),
            "speaker_agreement": _metric(
                same / matched if matched else None,
                None if matched else "not defined: no quotes matched by exact span",
                same=same, matched=matched,
            ),
        },
        "events": {
            "trigger_exact_span_f1": _f1(c.trig_exact),
            "trigger_exact_typed_f1": _f1(c.trig_exact_typed),
            "type": _agreement(c.types),
            "realis": _agreement(c.realis),
        },
    }


# ---------------------------------------------------------------- report


def document_scores(ann: DocumentAnnotations, tax: Any = None) -> dict[str, float | None]:
    """Flat "<layer>.<metric>" scores of one document, pooled over its pairs of passes (what
    validation/thresholds.yaml refers to). None where not defined. `*.f1_exact` keeps the
    meaning of the validation stage's fallback: exact (start, end, label / kind / type) F1."""
    counts = _Counts()
    for pa, pb in itertools.combinations(ann.passes, 2):
        counts.add(compare_layers(pa.layers, pb.layers))
    out: dict[str, float | None] = {}
    for layer, metrics in render_counts(counts).items():
        for name, m in metrics.items():
            if "value" in m:
                out[f"{layer}.{name}"] = m["value"]
            else:  # type / realis: observed agreement and kappa
                out.update({f"{layer}.{name}_{k}": v["value"] for k, v in m.items()})
    out["entities.f1_exact"] = out["entities.exact_labelled_f1"]
    out["quotes.f1_exact"] = out["quotes.exact_kind_f1"]
    out["events.f1_exact"] = out["events.trigger_exact_typed_f1"]
    return out


def agreement_report(annotations: Mapping[str, DocumentAnnotations]) -> dict[str, Any]:
    by_doc, by_pair, overall = [], {}, _Counts()
    multi, single, none = [], [], []
    gold = []
    for doc_id in sorted(annotations):
        passes = sorted(annotations[doc_id].passes, key=lambda p: (p.annotator, p.ls_annotation_id))
        (multi if len(passes) > 1 else single if passes else none).append(doc_id)
        if len(passes) > 1:
            _, source, dis = choose_gold(passes)
            gold.append({"doc_id": doc_id, "gold_source": source,
                         "disagreements": [d.to_dict() for d in dis]})
        for pa, pb in itertools.combinations(passes, 2):
            counts = compare_layers(pa.layers, pb.layers)
            a, b = pass_label(pa, passes), pass_label(pb, passes)
            by_doc.append({"doc_id": doc_id, "annotators": [a, b], **render_counts(counts)})
            key = tuple(sorted((pa.annotator, pb.annotator)))
            by_pair.setdefault(key, [_Counts(), set()])
            by_pair[key][0].add(counts)
            by_pair[key][1].add(doc_id)
            overall.add(counts)
    return {
        "report": "peacetalks inter-annotator agreement",
        "report_version": REPORT_VERSION,
        "method": METHOD,
        "documents": {"two_or_more_passes": multi, "single_pass": single, "no_pass": none},
        "pairs_compared": len(by_doc),
        "overall": render_counts(overall) if by_doc else None,
        "by_annotator_pair": [
            {"annotators": list(k), "documents": len(docs), **render_counts(c)}
            for k, (c, docs) in sorted(by_pair.items())
        ],
        "by_document": by_doc,
        "gold": gold,
    }


def write_agreement_report(report: Mapping[str, Any], json_path: Path, md_path: Path | None = None) -> None:
    atomic_write_text(json_path, dumps_json(report))
    if md_path is not None:
        atomic_write_text(md_path, render_markdown(report))


def write_corpus_agreement(repo: Repo) -> tuple[Path, Path, dict[str, Any]]:
    """Agreement over annotations/*.json, written to the git-ignored reports folder as
    agreement.json and agreement.md (what `peacetalks ls agreement` calls)."""
    report = agreement_report(load_annotations(repo))
    json_path, md_path = repo.reports_dir / "agreement.json", repo.reports_dir / "agreement.md"
    write_agreement_report(report, json_path, md_path)
    return json_path, md_path, report


def _fmt(m: Mapping[str, Any]) -> str:
    if m["value"] is None:
        return "n/d"
    n = m.get("matched")
    return f"{m['value']:.3f}" + (f" (n={n})" if n is not None else "")


_COLUMNS = [
    ("Entity exact F1", ("entities", "exact_span_f1")),
    ("Entity exact+label F1", ("entities", "exact_labelled_f1")),
    ("Entity overlap F1", ("entities", "overlap_span_f1")),
    ("Entity overlap+label F1", ("entities", "overlap_labelled_f1")),
    ("Quote exact F1", ("quotes", "exact_span_f1")),
    ("Speaker agreement", ("quotes", "speaker_agreement")),
    ("Trigger exact F1", ("events", "trigger_exact_span_f1")),
    ("Event type kappa", ("events", "type", "cohen_kappa")),
    ("Realis kappa", ("events", "realis", "cohen_kappa")),
]


def _row(name: str, layers: Mapping[str, Any]) -> str:
    cells = []
    for _, path in _COLUMNS:
        m: Any = layers
        for k in path:
            m = m[k]
        cells.append(_fmt(m))
    return f"| {name} | " + " | ".join(cells) + " |"


def render_markdown(report: Mapping[str, Any]) -> str:
    docs = report["documents"]
    lines = [
        "# Inter-annotator agreement",
        "",
        f"Documents with two or more passes: {len(docs['two_or_more_passes'])}; single pass: "
        f"{len(docs['single_pass'])}; no pass: {len(docs['no_pass'])}. Pairs of passes compared: "
        f"{report['pairs_compared']}.",
        "",
    ]
    if report["overall"] is None:
        lines += ["No document has two passes: agreement is not defined.", ""]
    else:
        lines += [
            "n/d = not defined (see the JSON report for the reason). F1 values are micro-averaged.",
            "",
            "| Scope | " + " | ".join(c for c, _ in _COLUMNS) + " |",
            "|---" * (len(_COLUMNS) + 1) + "|",
            _row("overall", report["overall"]),
            *(_row(" vs ".join(p["annotators"]), p) for p in report["by_annotator_pair"]),
            *(_row(f"{d['doc_id']}: {' vs '.join(d['annotators'])}", d) for d in report["by_document"]),
            "",
        ]
    to_adjudicate = [g for g in report["gold"] if g["gold_source"] is None]
    if to_adjudicate:
        lines += ["## To adjudicate", ""]
        for g in to_adjudicate:
            lines.append(f"- {g['doc_id']}: {len(g['disagreements'])} disagreement(s)")
            for d in g["disagreements"]:
                values = "; ".join(
                    f"{k}: {'(absent)' if v is None else v}" for k, v in d["values"].items()
                )
                where = f"{d['layer']} [{d['start']}:{d['end']}] {d['text']!r}"
                lines.append(f"  - {where} {d['reason']}: {values}")
        lines.append("")
    return "\n".join(lines)


__all__ = [
    "Disagreement",
    "agreement_report",
    "choose_gold",
    "cohen_kappa",
    "compare_layers",
    "document_scores",
    "disagreements",
    "pass_label",
    "render_markdown",
    "write_agreement_report",
    "write_corpus_agreement",
]
