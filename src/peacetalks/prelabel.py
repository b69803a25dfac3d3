"""Rule-based pre-annotations ("predictions" in Label Studio) for one document.

Three rule sets, each named by a model_version that carries a hash of its inputs, so every
prediction can be traced to the exact rules that produced it:

- entity patterns (annotations/entity_patterns.yaml): surface strings/regexes -> entity label;
- gold propagation: a surface string labelled in gold elsewhere in the corpus gets the same
  label (strings that gold labels two ways are skipped and listed in `GoldIndex.ambiguous`);
- quotes (prelabel_quotes.py): quotation marks, cue verb, nearest plausible speaker; reported
  speech (INDIRECT / MIXED) from the reporting verb (prelabel_reported.py). Named "quotes" in
  model_version and region ids (v1 was "direct-quotes": quotation marks only).

Region ids are "p" + a rule code + 8 hex chars of a hash of (rule, label, offsets): stable across
runs, unique in a document, and `rule_of(region_id)` says which rule set made the region (the ids
survive into annotations when an annotator accepts a pre-annotated region).

Label names come only from the taxonomy and the patterns file; nothing here spells one.
This module is a pure function of (document, gold index, taxonomy, rules): no I/O except
`load_rules`, no global state, so it can run under datatrove executors per document.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import SchemaError
from .model import Document, DocumentAnnotations, Entity, Layers, Span
from .prelabel_quotes import QuoteRules, detect_quotes, parse_quote_rules, region_id
from .taxonomy import Taxonomy

ENTITY_PATTERNS = "entity-patterns"
GOLD_PROPAGATION = "gold-propagation"
QUOTES = "quotes"
# Version of the matching code of each rule set; bump when the algorithm changes.
CODE_VERSION = {ENTITY_PATTERNS: 1, GOLD_PROPAGATION: 1, QUOTES: 2}
# One letter per rule set in region ids ("pe12ab34cd"); cues and quotes share the quote rule.
RULE_CODES = {"e": ENTITY_PATTERNS, "g": GOLD_PROPAGATION, "q": QUOTES, "c": QUOTES}
_CODE_OF = {ENTITY_PATTERNS: "e", GOLD_PROPAGATION: "g"}
# Gold propagation ignores strings shorter than this (single letters match everywhere).
MIN_PROPAGATED_LENGTH = 2


def rule_of(region_id_: str) -> str | None:
    """The rule set that produced a pre-annotated region, or None for any other id."""
    if len(region_id_) == 10 and region_id_[0] == "p":
        return RULE_CODES.get(region_id_[1])
    return None


def _bounded(body: str) -> re.Pattern[str]:
    # Whole-word matches only: "Russia" in "Russia's" yes, in "Russian" no.
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


@dataclass(frozen=True)
class EntityPattern:
    label: str
    source: str  # the string or regex as written in the file (for error messages and audit)
    regex: re.Pattern[str]
    literal: str | None  # plain strings: a cheap `in` pre-filter before running the regex


@dataclass(frozen=True)
class PrelabelRules:
    """The parsed patterns file."""

    entity_patterns: tuple[EntityPattern, ...]
    quotes: QuoteRules
    fingerprint: str  # sha256 of the file content, first 6 hex chars, in model_version names
    version: int

    def model_version(self, rule: str) -> str:
        return f"rules-{rule}-v{CODE_VERSION[rule]}.{self.version}-{self.fingerprint}"


def _entity_patterns(where: str, raw: Any, tax: Taxonomy) -> tuple[EntityPattern, ...]:
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: 'entities' must map entity labels to lists of patterns")
    out: list[EntityPattern] = []
    seen: dict[str, str] = {}
    for label, items in raw.items():
        if not isinstance(items, list):
            raise SchemaError(f"{where}: entities.{label} must be a list of patterns")
        for item in items:
            if isinstance(item, str) and item.strip():
                source, literal, body = item, item, re.escape(item)
            elif isinstance(item, dict) and set(item) == {"regex"} and isinstance(item["regex"], str):
                source, literal, body = item["regex"], None, item["regex"]
            else:
                raise SchemaError(
                    f"{where}: entities.{label}: pattern {item!r} must be a non-empty string "
                    "or {regex: '...'}"
                )
            if label not in tax.entity_labels:
                raise SchemaError(
                    f"{where}: pattern {source!r} has label {label!r}, which is not an entity "
                    f"label of the taxonomy (known: {', '.join(tax.entity_labels)})"
                )
            if source in seen and seen[source] != label:
                raise SchemaError(
                    f"{where}: pattern {source!r} is listed under two labels "
                    f"({seen[source]} and {label})"
                )
            seen[source] = label
            try:
                regex = _bounded(body)
            except re.error as exc:
                raise SchemaError(f"{where}: entities.{label}: bad regex {source!r} ({exc})") from exc
            out.append(EntityPattern(label, source, regex, literal))
    return tuple(out)


def parse_rules(text: str, tax: Taxonomy, where: str = "annotations/entity_patterns.yaml") -> PrelabelRules:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SchemaError(f"{where}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise SchemaError(f"{where}: top level must be a mapping")
    unknown = set(data) - {"version", "entities", "quotes"}
    if unknown:
        raise SchemaError(f"{where}: unknown sections {sorted(unknown)}")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise SchemaError(f"{where}: version must be a positive integer, got {version!r}")
    return PrelabelRules(
        entity_patterns=_entity_patterns(where, data.get("entities"), tax),
        quotes=parse_quote_rules(where, data.get("quotes"), tax),
        fingerprint=hashlib.sha256(text.encode("utf-8")).hexdigest()[:6],
        version=version,
    )


def load_rules(tax: Taxonomy, path: Path | None = None) -> PrelabelRules:
    """Read and validate annotations/entity_patterns.yaml (or `path`)."""
    if path is None:
        from .paths import Repo

        path = Repo.find().entity_patterns_file
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read pre-annotation rules ({exc})") from exc
    return parse_rules(text, tax, where=str(path))


@dataclass(frozen=True)
class GoldIndex:
    """Surface string -> entity label, from the gold layers of annotated documents."""

    labels: Mapping[str, str] = field(default_factory=dict)
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # skipped, for audit

    @classmethod
    def from_annotations(
        cls, annotations: Mapping[str, DocumentAnnotations], min_length: int = MIN_PROPAGATED_LENGTH
    ) -> GoldIndex:
        seen: dict[str, set[str]] = {}
        for doc_id in sorted(annotations):
            gold = annotations[doc_id].gold
            for ent in gold.entities if gold is not None else ():
                surface = ent.span.text
                # Strings with surrounding spaces or line breaks are annotation slips, not names.
                if len(surface) >= min_length and surface == surface.strip() and "\n" not in surface:
                    seen.setdefault(surface, set()).add(ent.label)
        labels = {s: next(iter(ls)) for s, ls in sorted(seen.items()) if len(ls) == 1}
        ambiguous = {s: tuple(sorted(ls)) for s, ls in sorted(seen.items()) if len(ls) > 1}
        return cls(labels=labels, ambiguous=ambiguous)

    @cached_property  # once per index, not once per document (frozen: nothing can change it)
    def fingerprint(self) -> str:
        blob = json.dumps(sorted(self.labels.items()), ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:6]

    def model_version(self) -> str:
        return f"rules-{GOLD_PROPAGATION}-v{CODE_VERSION[GOLD_PROPAGATION]}-{self.fingerprint}"


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    label: str
    rule: str
    priority: int  # lower wins among equally long candidates


def _is_word(ch: str) -> bool:
    # Exactly what `\w` matches in a str regex (sre: alnum or "_"; tests check every code point).
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True)
class EntityMatcher:
    """Every literal entity pattern and every gold surface in ONE Aho-Corasick automaton, so a
    document is scanned once instead of once per string (what made pre-annotation dominate
    `ls push`). The automaton reports every occurrence, overlapping ones included, which
    `resolve_overlaps` needs: a single regex alternation would hide a shorter match that the
    overlap rule prefers when a longer one is eliminated. Regex patterns (a handful of date
    rules) keep their own scans. Build once per (rules, gold index): `EntityMatcher.build`."""

    automaton: Any  # ahocorasick.Automaton: surface -> (surface number, length, candidates)
    regexes: tuple[EntityPattern, ...]

    @classmethod
    def build(cls, rules: PrelabelRules, gold_index: GoldIndex) -> EntityMatcher:
        import ahocorasick

        # surface -> its (label, rule, priority) triples: a surface can be both a pattern and a
        # gold string (two candidates, as before); a pattern listed twice counts once.
        by_surface: dict[str, dict[tuple[str, str, int], None]] = {}
        for pat in rules.entity_patterns:
            if pat.literal is not None:
                by_surface.setdefault(pat.literal, {})[(pat.label, ENTITY_PATTERNS, 1)] = None
        for surface, label in gold_index.labels.items():
            by_surface.setdefault(surface, {})[(label, GOLD_PROPAGATION, 0)] = None
        automaton = ahocorasick.Automaton()
        for n, (surface, kinds) in enumerate(by_surface.items()):
            automaton.add_word(surface, (n, len(surface), tuple(kinds)))
        if by_surface:
            automaton.make_automaton()
        regexes = tuple(p for p in rules.entity_patterns if p.literal is None)
        return cls(automaton if by_surface else None, regexes)

    def candidates(self, text: str) -> tuple[list[_Candidate], list[_Candidate]]:
        """(pattern candidates, gold candidates) of one text: for every string, its whole-word
        occurrences left to right without overlapping each other (what `re.finditer` of
        `_bounded(re.escape(string))` gives)."""
        pat: list[_Candidate] = []
        gold: list[_Candidate] = []
        if self.automaton is not None:
            n_text = len(text)
            last_end: dict[int, int] = {}  # surface number -> end of its last accepted match
            for last, (n, length, kinds) in self.automaton.iter(text):
                end = last + 1
                start = end - length
                if (start > 0 and _is_word(text[start - 1])) or (
                    end < n_text and _is_word(text[end])
                ):
                    continue
                if last_end.get(n, 0) > start:
                    continue
                last_end[n] = end
                for label, rule, priority in kinds:
                    (gold if rule == GOLD_PROPAGATION else pat).append(
                        _Candidate(start, end, label, rule, priority))
        for p in self.regexes:
            for m in p.regex.finditer(text):
                if m.end() > m.start():
                    pat.append(_Candidate(m.start(), m.end(), p.label, ENTITY_PATTERNS, 1))
        return pat, gold


def resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep a set of non-overlapping candidates: longest first, then rule priority (gold before
    patterns: human decisions beat the word list), then the earlier one."""
    chosen_starts: list[int] = []
    chosen: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.priority, c.start, c.label)):
        i = bisect.bisect_left(chosen_starts, c.start)
        if i > 0 and chosen[i - 1].end > c.start:
            continue
        if i < len(chosen) and chosen[i].start < c.end:
            continue
        chosen_starts.insert(i, c.start)
        chosen.insert(i, c)
    return chosen


def _entities(text: str, candidates: list[_Candidate]) -> tuple[Entity, ...]:
    return tuple(
        Entity(
            id=region_id(_CODE_OF[c.rule], c.label, c.start, c.end),
            span=Span(c.start, c.end, text[c.start : c.end]),
            label=c.label,
        )
        for c in resolve_overlaps(candidates)
    )


def prelabel(
    doc: Document,
    gold_index: GoldIndex,
    tax: Taxonomy,
    rules: PrelabelRules | None = None,
    *,
    combined: bool = True,
    matcher: EntityMatcher | None = None,
) -> list[tuple[str, Layers]]:
    """Pre-annotations of one document as (model_version, layers) pairs.

    combined=True (default, what `ls push` sends): ONE prediction holding every rule set's
    regions, because Label Studio pre-fills the labeling page from a single prediction; its
    model_version joins the three rule-set versions with "+", and each region id names its rule.
    combined=False: one self-contained prediction per rule set (the quote prediction also holds
    the speaker entities it points to). Empty rule sets are left out. Quotes' speakers are
    looked up among the combined entities (patterns + gold propagation) either way.
    matcher: `EntityMatcher.build(rules, gold_index)`, built once by callers that label many
    documents (`push.rule_prelabeler`); built here when not given.
    """
    if rules is None:
        rules = load_rules(tax)
    text = doc.text
    if matcher is None:
        matcher = EntityMatcher.build(rules, gold_index)
    pat, gold = matcher.candidates(text)
    entities = _entities(text, pat + gold)
    quotes = tuple(detect_quotes(text, entities, rules.quotes, tax.speaker_allowed))
    versions = {
        ENTITY_PATTERNS: rules.model_version(ENTITY_PATTERNS),
        GOLD_PROPAGATION: gold_index.model_version(),
        QUOTES: rules.model_version(QUOTES),
    }
    if combined:
        if not entities and not quotes:
            return []
        return [("+".join(versions.values()), Layers(entities=entities, quotes=quotes))]
    speakers = {q.speaker for q in quotes}
    per_rule = [
        (versions[ENTITY_PATTERNS], Layers(entities=_entities(text, pat))),
        (versions[GOLD_PROPAGATION], Layers(entities=_entities(text, gold))),
        (
            versions[QUOTES],
            Layers(entities=tuple(e for e in entities if e.id in speakers), quotes=quotes),
        ),
    ]
    return [(v, layers) for v, layers in per_rule if layers.entities or layers.quotes]


__all__ = [
    "QUOTES",
    "ENTITY_PATTERNS",
    "EntityMatcher",
    "GOLD_PROPAGATION",
    "GoldIndex",
    "PrelabelRules",
    "load_rules",
    "parse_rules",
    "prelabel",
    "region_id",
    "resolve_overlaps",
    "rule_of",
]
