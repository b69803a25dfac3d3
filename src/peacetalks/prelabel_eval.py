"""How useful the quote pre-annotator is: its quotes scored against gold quotes, per quote kind.

Method (one document at a time, then summed):
- A predicted QUOTE matches a gold QUOTE when their character spans overlap with a Jaccard index
  (|intersection| / |union| of the two offset ranges) of at least JACCARD_MIN = 0.5: the
  annotator then adjusts a boundary instead of deleting one region and drawing another. Pairs
  are one-to-one, best Jaccard first.
- Span scores ignore the kind: precision = matched / predicted, recall = matched / gold.
- Per kind (the taxonomy's quote kinds): a predicted quote of kind K counts for precision of K
  when it matches a gold quote of kind K; recall of K = gold quotes of kind K matched by a
  predicted quote of kind K. "all kinds" sums these (kind-strict).
- On matched pairs: `exact` = identical offsets; `speaker` = both have no speaker, or the two
  speaker mentions overlap (same mention; another mention of the same person does not count);
  `cue` = both have no cue, or identical cue offsets; `cue~` = both none or overlapping
  ("said" for gold "has said").

`evaluate_repo` runs the rule pre-annotator exactly as `ls push` does, except that the gold
propagation index of each document is built from the OTHER documents' gold (leave-one-out), so
a document's own gold entities cannot hand the quote rules their speakers. Quotes themselves have
no gold propagation: the quote rules never read gold quotes, so scoring them on the committed
gold is fair, with one caveat for whoever reads the numbers: the rules were written while looking
at these same few documents, so the scores are development-set scores, not a held-out estimate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .model import Entity, Layers, Quote, Span

JACCARD_MIN = 0.5
ALL = "all kinds"


def jaccard(a: Span, b: Span) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    if inter <= 0:
        return 0.0
    return inter / (max(a.end, b.end) - min(a.start, b.start))


def _overlap(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def match_quotes(pred: Iterable[Quote], gold: Iterable[Quote],
                 threshold: float = JACCARD_MIN) -> list[tuple[Quote, Quote]]:
    """One-to-one pairs (predicted, gold) with span Jaccard >= threshold, best Jaccard first."""
    pairs = sorted(
        ((jaccard(p.span, g.span), i, j, p, g)
         for i, p in enumerate(pred) for j, g in enumerate(gold)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for score, i, j, p, g in pairs:
        if score < threshold:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((p, g))
    return out


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0


@dataclass
class QuoteScores:
    span: Counts = field(default_factory=Counts)  # kind ignored
    kinds: dict[str, Counts] = field(default_factory=dict)  # kind-strict, plus ALL
    exact: int = 0  # matched pairs with identical offsets
    kind_ok: int = 0
    speaker_ok: int = 0
    cue_ok: int = 0
    cue_overlap_ok: int = 0
    misses: list[tuple[str, Quote]] = field(default_factory=list)  # (doc_id, gold quote)
    wrong: list[tuple[str, Quote]] = field(default_factory=list)  # (doc_id, predicted quote)

    def kind(self, name: str) -> Counts:
        return self.kinds.setdefault(name, Counts())

    def add(self, other: QuoteScores) -> None:
        for name in ("predicted", "gold", "matched"):
            setattr(self.span, name, getattr(self.span, name) + getattr(other.span, name))
        for k, c in other.kinds.items():
            mine = self.kind(k)
            mine.predicted += c.predicted
            mine.gold += c.gold
            mine.matched += c.matched
        for name in ("exact", "kind_ok", "speaker_ok", "cue_ok", "cue_overlap_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.wrong += other.wrong


def score_document(pred: Layers, gold: Layers, kinds: Iterable[str] = (),
                   doc_id: str = "") -> QuoteScores:
    """Scores of one document's predicted quotes (with the entities their speakers point to)
    against its gold layers."""
    s = QuoteScores()
    for k in kinds:
        s.kind(k)
    p_ents: Mapping[str, Entity] = {e.id: e for e in pred.entities}
    g_ents: Mapping[str, Entity] = {e.id: e for e in gold.entities}
    pairs = match_quotes(pred.quotes, gold.quotes)
    s.span = Counts(len(pred.quotes), len(gold.quotes), len(pairs))
    for q in pred.quotes:
        s.kind(q.kind).predicted += 1
        s.kind(ALL).predicted += 1
    for q in gold.quotes:
        s.kind(q.kind).gold += 1
        s.kind(ALL).gold += 1
    for p, g in pairs:
        if p.kind == g.kind:
            s.kind_ok += 1
            s.kind(g.kind).matched += 1
            s.kind(ALL).matched += 1
        s.exact += (p.span.start, p.span.end) == (g.span.start, g.span.end)
        ps = p_ents[p.speaker].span if p.speaker in p_ents else None
        gs = g_ents[g.speaker].span if g.speaker in g_ents else None
        s.speaker_ok += (ps is None and gs is None) or _overlap(ps, gs)
        same_cue = (p.cue is None and g.cue is None) or (
            p.cue is not None and g.cue is not None
            and (p.cue.start, p.cue.end) == (g.cue.start, g.cue.end))
        s.cue_ok += same_cue
        s.cue_overlap_ok += (p.cue is None and g.cue is None) or _overlap(p.cue, g.cue)
    matched_g = {id(g) for _, g in pairs}
    matched_p = {id(p) for p, _ in pairs}
    s.misses = [(doc_id, g) for g in gold.quotes if id(g) not in matched_g]
    s.wrong = [(doc_id, p) for p in pred.quotes if id(p) not in matched_p]
    return s


def evaluate_repo(repo, tax, rules=None) -> dict[str, QuoteScores]:
    """Per document id, plus ALL for the sum: the rule pre-annotator's quotes (as `ls push`
    makes them, gold propagation leave-one-out) against the committed gold."""
    from .prelabel import EntityMatcher, GoldIndex, load_rules, prelabel
    from .store import load_annotations, load_documents

    rules = rules or load_rules(tax, repo.entity_patterns_file)
    annotations = load_annotations(repo)
    docs = {d.doc_id: d for d in load_documents(repo)}
    out: dict[str, QuoteScores] = {}
    total = QuoteScores()
    for k in tax.quote_kind_names:
        total.kind(k)
    for doc_id in sorted(annotations):
        ann = annotations[doc_id]
        if ann.gold is None or doc_id not in docs:
            continue
        others = {d: a for d, a in annotations.items() if d != doc_id}
        index = GoldIndex.from_annotations(others)
        preds = prelabel(docs[doc_id], index, tax, rules, matcher=EntityMatcher.build(rules, index))
        pred = preds[0][1] if preds else Layers()
        s = score_document(pred, ann.gold, tax.quote_kind_names, doc_id)
        out[doc_id] = s
        total.add(s)
    out[ALL] = total
    return out


def format_scores(scores: Mapping[str, QuoteScores]) -> str:
    t = scores[ALL]
    lines = [f"quote pre-annotator vs committed gold (span Jaccard >= {JACCARD_MIN})",
             f"{'kind':<10} {'pred':>5} {'gold':>5} {'match':>5} {'P':>6} {'R':>6}"]
    for k, c in t.kinds.items():
        lines.append(f"{k:<10} {c.predicted:>5} {c.gold:>5} {c.matched:>5} "
                     f"{c.precision:>6.3f} {c.recall:>6.3f}")
    c = t.span
    lines.append(f"{'span only':<10} {c.predicted:>5} {c.gold:>5} {c.matched:>5} "
                 f"{c.precision:>6.3f} {c.recall:>6.3f}")
    m = max(c.matched, 1)
    lines.append(f"on {c.matched} matched spans: exact {t.exact / m:.3f}, kind {t.kind_ok / m:.3f}, "
                 f"speaker {t.speaker_ok / m:.3f}, cue {t.cue_ok / m:.3f}, "
                 f"cue~ {t.cue_overlap_ok / m:.3f}")
    for doc_id, s in scores.items():
        if doc_id != ALL:
            lines.append(f"  {doc_id}: {s.span.matched}/{s.span.gold} gold matched, "
                         f"{s.span.predicted} predicted")
    return "\n".join(lines)


__all__ = ["ALL", "JACCARD_MIN", "Counts", "QuoteScores", "evaluate_repo", "format_scores",
           "jaccard", "match_quotes", "score_document"]
