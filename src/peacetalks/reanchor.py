"""Re-anchor annotations when a document's cleaned text changes (e.g. the cleaner improved).

`map_spans` aligns the old text with the new one, character by character (rapidfuzz's Indel
opcodes: an optimal longest-common-subsequence alignment computed bit-parallel in C++, about 1 ms
for two 10 KB texts), then places each span:

- exact / "aligned": the whole span lies in one aligned (equal) block: it moves with it;
- exact / "searched": the alignment split the span (repeated text can fool it), but the span's
  text occurs, between the nearest solid anchors around it, at exactly one best place, judged by
  how much of its old left and right context surrounds it;
- unmappable, with a reason: "deleted" (no part of it of 3 or more characters survives and its
  text is not in the region), "changed" (its text is different now; `detail` shows the text at the aligned
  place, e.g. a whitespace change inside the span), "ambiguous" (several equally good places).

A mapped span always has new_text[start:end] == old span text; nothing is guessed.

`reanchor_annotations` applies this to every pass and to gold. Policy: unmappable spans make it
REFUSE (ReanchorRefused carries the full report) unless force=True; with force the regions that
cannot be mapped are removed and the report lists each of them and every consequence (a quote
losing its speaker or cue, an event losing an argument). Nothing is ever dropped silently.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz.distance import Indel

from .errors import PeacetalksError
from .model import AnnotatorPass, DocumentAnnotations, Layers, Span, sha256_text

# Aligned blocks at least this long are trusted as anchors that bound where a span may be.
ANCHOR_CHARS = 8
CONTEXT_CHARS = 32  # context compared on each side when a span's text is searched for
SURVIVING_CHARS = 3  # a part of a span shorter than this in an aligned block is not evidence


@dataclass(frozen=True)
class SpanMapping:
    old: Span
    new: Span | None  # None when unmappable
    status: str  # "exact" | "unmappable"
    reason: str | None = None  # unmappable: "deleted" | "changed" | "ambiguous"
    method: str | None = None  # exact: "aligned" | "searched"
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.to_dict(),
            "new": None if self.new is None else self.new.to_dict(),
            "status": self.status,
            "reason": self.reason,
            "method": self.method,
            "detail": self.detail,
        }


class _Alignment:
    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        # Equal blocks (old_start, old_end, new_start), sorted by old_start.
        self.blocks = [
            (op.src_start, op.src_end, op.dest_start)
            for op in Indel.opcodes(old, new)
            if op.tag == "equal"
        ]
        self.starts = [b[0] for b in self.blocks]

    def block_of(self, i: int) -> int | None:
        k = bisect.bisect_right(self.starts, i) - 1
        return k if k >= 0 and i < self.blocks[k][1] else None

    def image(self, i: int) -> int | None:
        k = self.block_of(i)
        return None if k is None else self.blocks[k][2] + i - self.blocks[k][0]

    def surviving(self, start: int, end: int) -> list[tuple[int, int]]:
        """New-text images of the parts of old[start:end] that survive in aligned blocks. Parts
        shorter than SURVIVING_CHARS are ignored: an alignment keeps stray letters of deleted text
        ("said" -> its "s", "a", "i", "d" matched to letters elsewhere)."""
        out = []
        k = max(0, bisect.bisect_right(self.starts, start) - 1)
        while k < len(self.blocks) and self.blocks[k][0] < end:
            a, b, n = self.blocks[k]
            lo, hi = max(a, start), min(b, end)
            if hi - lo >= min(SURVIVING_CHARS, end - start):
                out.append((n + lo - a, n + hi - a))
            k += 1
        return out

    def window(self, start: int, end: int) -> tuple[int, int]:
        """The new-text region between the images of the nearest solid anchors around
        old[start:end] (or the text ends)."""
        lo, hi = 0, len(self.new)
        k = bisect.bisect_right(self.starts, start) - 1
        while k >= 0:
            a, b, n = self.blocks[k]
            if b - a >= ANCHOR_CHARS and b <= start:
                lo = n + (b - a)
                break
            k -= 1
        k = bisect.bisect_left(self.starts, end)
        while k < len(self.blocks):
            a, b, n = self.blocks[k]
            if b - a >= ANCHOR_CHARS and a >= end:
                hi = n
                break
            k += 1
        return lo, max(lo, hi)


def _context_score(old: str, new: str, s: int, e: int, c: int) -> int:
    left, right = old[max(0, s - CONTEXT_CHARS) : s], old[e : e + CONTEXT_CHARS]
    n_end = c + (e - s)
    new_left, new_right = new[max(0, c - CONTEXT_CHARS) : c], new[n_end : n_end + CONTEXT_CHARS]
    score = 0
    while score < min(len(left), len(new_left)) and left[-1 - score] == new_left[-1 - score]:
        score += 1
    r = 0
    while r < min(len(right), len(new_right)) and right[r] == new_right[r]:
        r += 1
    return score + r


def _map_one(al: _Alignment, span: Span) -> SpanMapping:
    s, e, text = span.start, span.end, span.text
    if e <= s:
        pos = al.image(s) if s < len(al.old) else len(al.new) if s == len(al.old) else None
        if pos is None:
            return SpanMapping(span, None, "unmappable", "deleted", detail="empty span in removed text")
        return SpanMapping(span, Span(pos, pos, ""), "exact", method="aligned")
    k = al.block_of(s)
    if k is not None and al.block_of(e - 1) == k:
        n = al.image(s)
        return SpanMapping(span, Span(n, n + e - s, text), "exact", method="aligned")
    lo, hi = al.window(s, e)
    candidates, c = [], al.new.find(text, lo, hi)
    while c != -1:
        candidates.append(c)
        c = al.new.find(text, c + 1, hi)
    if candidates:
        scored = sorted(((_context_score(al.old, al.new, s, e, c), c) for c in candidates), reverse=True)
        best = [c for score, c in scored if score == scored[0][0]]
        if len(best) == 1:
            c = best[0]
            return SpanMapping(span, Span(c, c + e - s, text), "exact", method="searched")
        return SpanMapping(
            span, None, "unmappable", "ambiguous",
            detail=f"{len(best)} equally likely places at offsets {best[:5]}",
        )
    pieces = al.surviving(s, e)
    if not pieces:
        return SpanMapping(span, None, "unmappable", "deleted", detail="its text was removed")
    now = al.new[pieces[0][0] : pieces[-1][1]]
    return SpanMapping(span, None, "unmappable", "changed", detail=f"the text there is now {now!r}")


def map_spans(old_text: str, new_text: str, spans: Sequence[Span]) -> list[SpanMapping]:
    """Map spans of old_text onto new_text, one SpanMapping per span, in order."""
    for sp in spans:
        if old_text[sp.start : sp.end] != sp.text:
            raise PeacetalksError(
                f"span [{sp.start}:{sp.end}] {sp.text!r} is not anchored in the old text "
                f"(which has {old_text[sp.start:sp.end]!r} there)"
            )
    if old_text == new_text:
        return [SpanMapping(sp, sp, "exact", method="aligned") for sp in spans]
    al = _Alignment(old_text, new_text)
    return [_map_one(al, sp) for sp in spans]


# ---------------------------------------------------------------- annotations


@dataclass
class ReanchorReport:
    doc_id: str
    old_sha256: str
    new_sha256: str
    mapped: int = 0  # spans (regions) mapped exactly, in passes and gold
    moved: int = 0  # of these, spans whose offsets changed
    unmappable: list[dict[str, Any]] = field(default_factory=list)  # one per region, with reason
    consequences: list[str] = field(default_factory=list)  # with force: what removal caused
    applied: bool = False  # False when refused

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "doc_id", "old_sha256", "new_sha256", "applied", "mapped", "moved", "unmappable", "consequences"
        )}

    def summary(self) -> str:
        head = f"{self.doc_id}: {self.mapped} span(s) mapped exactly ({self.moved} moved)"
        if not self.unmappable:
            return head
        lines = [head + f", {len(self.unmappable)} cannot be mapped:"]
        lines += [
            f"  {u['scope']} {u['region']} {u['kind']} [{u['start']}:{u['end']}] {u['text']!r}: "
            f"{u['reason']}" + (f" ({u['detail']})" if u["detail"] else "")
            for u in self.unmappable
        ]
        return "\n".join(lines + [f"  -> {c}" for c in self.consequences])


class ReanchorRefused(PeacetalksError):
    """Some spans cannot be mapped exactly and force was not given; `report` lists them."""

    def __init__(self, report: ReanchorReport):
        self.report = report
        super().__init__(report.summary() + "\nNothing was changed; rerun with --force to drop them.")


def _regions(layers: Layers) -> list[tuple[str, str, Span]]:
    out = [("entity", e.id, e.span) for e in layers.entities]
    out += [("quote", q.id, q.span) for q in layers.quotes]
    out += [("cue", q.cue_id or f"{q.id}/cue", q.cue) for q in layers.quotes if q.cue is not None]
    out += [("trigger", ev.id, ev.span) for ev in layers.events]
    return out


def _remap(scope: str, layers: Layers, by_span: dict[tuple[int, int], SpanMapping],
           report: ReanchorReport) -> Layers:
    def new(span: Span) -> Span | None:
        return by_span[(span.start, span.end)].new

    for kind, rid, span in _regions(layers):
        m = by_span[(span.start, span.end)]
        if m.new is None:
            report.unmappable.append({
                "scope": scope, "region": rid, "kind": kind, "start": span.start, "end": span.end,
                "text": span.text, "reason": m.reason, "detail": m.detail,
            })
        else:
            report.mapped += 1
            report.moved += (m.new.start, m.new.end) != (span.start, span.end)
    entities = tuple(replace(e, span=new(e.span)) for e in layers.entities if new(e.span) is not None)
    kept = {e.id for e in entities}
    quotes = []
    for q in layers.quotes:
        if new(q.span) is None:
            report.consequences.append(f"{scope}: quote {q.id} removed")
            continue
        speaker, cue, cue_id = q.speaker, q.cue, q.cue_id
        if speaker is not None and speaker not in kept:
            report.consequences.append(f"{scope}: quote {q.id} loses its speaker {speaker}")
            speaker = None
        if cue is not None and new(cue) is None:
            report.consequences.append(f"{scope}: quote {q.id} loses its cue {cue.text!r}")
            cue, cue_id = None, None
        quotes.append(replace(q, span=new(q.span), speaker=speaker,
                              cue=None if cue is None else new(cue), cue_id=cue_id))
    events = []
    for ev in layers.events:
        if new(ev.span) is None:
            report.consequences.append(f"{scope}: event {ev.id} removed")
            continue
        args = tuple(a for a in ev.arguments if a.entity in kept)
        for a in ev.arguments:
            if a.entity not in kept:
                report.consequences.append(f"{scope}: event {ev.id} loses argument {a.role}={a.entity}")
        events.append(replace(ev, span=new(ev.span), arguments=args))
    for e in layers.entities:
        if e.id not in kept:
            report.consequences.append(f"{scope}: entity {e.id} {e.span.text!r} removed")
    return Layers(entities=entities, quotes=tuple(quotes), events=tuple(events))


def reanchor_annotations(
    doc_ann: DocumentAnnotations, old_text: str, new_text: str, *, force: bool = False
) -> tuple[DocumentAnnotations, ReanchorReport]:
    """Move every span of every pass and of gold from old_text to new_text.

    Raises PeacetalksError if the annotations are not anchored to old_text, and ReanchorRefused
    (with the report) if a span cannot be mapped exactly and force is False.
    """
    old_sha, new_sha = sha256_text(old_text), sha256_text(new_text)
    if doc_ann.text_sha256 != old_sha:
        raise PeacetalksError(
            f"annotations/{doc_ann.doc_id}.json: anchored to text sha256 {doc_ann.text_sha256[:12]}, "
            f"but the old text given has sha256 {old_sha[:12]}"
        )
    report = ReanchorReport(doc_ann.doc_id, old_sha, new_sha)
    scopes: list[tuple[str, Layers]] = [
        (f"pass {p.annotator}#{p.ls_annotation_id}", p.layers) for p in doc_ann.passes
    ]
    if doc_ann.gold is not None:
        scopes.append(("gold", doc_ann.gold))
    spans = sorted({(s.start, s.end): s for _, layers in scopes for *_, s in _regions(layers)}.values(),
                   key=lambda s: (s.start, s.end))
    by_span = {(m.old.start, m.old.end): m for m in map_spans(old_text, new_text, spans)}
    new_layers = [_remap(scope, layers, by_span, report) for scope, layers in scopes]
    if report.unmappable and not force:
        raise ReanchorRefused(report)
    passes: list[AnnotatorPass] = [
        replace(p, layers=layers) for p, layers in zip(doc_ann.passes, new_layers)
    ]
    gold = new_layers[-1] if doc_ann.gold is not None else None
    report.applied = True
    return replace(doc_ann, text_sha256=new_sha, passes=tuple(passes), gold=gold), report


__all__ = ["ReanchorRefused", "ReanchorReport", "SpanMapping", "map_spans", "reanchor_annotations"]
