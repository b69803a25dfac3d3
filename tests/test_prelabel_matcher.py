"""The one-scan entity matcher (EntityMatcher: Aho-Corasick over every literal pattern and gold
string) and the mark-jumping `find_quotations` give EXACTLY what the former per-string scans
gave: same regions, ids, labels, quotes. The former code is kept verbatim below as the reference."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import peacetalks.prelabel_quotes as quotes_module
from peacetalks.model import Document, Layers, sha256_text
from peacetalks.paths import Repo
from peacetalks.prelabel import (
    QUOTES,
    ENTITY_PATTERNS,
    GOLD_PROPAGATION,
    EntityMatcher,
    GoldIndex,
    _bounded,
    _Candidate,
    _entities,
    _is_word,
    parse_rules,
    prelabel,
)
from peacetalks.prelabel_quotes import CLOSERS, OPENERS, Quotation, _close_unclosed, _paragraphs, _trim
from peacetalks.store import load_annotations, load_documents

REPO = Repo(Path(__file__).resolve().parents[1])


# ---- the former implementation (prelabel.py / prelabel_quotes.py before the one-scan matcher) ----
def old_literal_matches(text, surface):
    if surface not in text:
        return []
    return [m.span() for m in _bounded(re.escape(surface)).finditer(text)]


def old_pattern_candidates(text, rules):
    out = []
    for pat in rules.entity_patterns:
        if pat.literal is not None and pat.literal not in text:
            continue
        for m in pat.regex.finditer(text):
            if m.end() > m.start():
                out.append(_Candidate(m.start(), m.end(), pat.label, ENTITY_PATTERNS, 1))
    return out


def old_gold_candidates(text, index):
    return [_Candidate(s, e, label, GOLD_PROPAGATION, 0)
            for surface, label in index.labels.items()
            for s, e in old_literal_matches(text, surface)]


def old_find_quotations(text):
    out = []
    open_at = None
    paragraphs = _paragraphs(text)
    for n, (p_start, p_end) in enumerate(paragraphs):
        if open_at is not None:
            first = text[p_start:p_end].lstrip()
            if not first:
                continue
            if first[0] in OPENERS:
                i = p_start + (len(text[p_start:p_end]) - len(first)) + 1
            else:
                _close_unclosed(text, out, open_at, paragraphs, n)
                open_at = None
                i = p_start
        else:
            i = p_start
        while i < p_end:
            ch = text[i]
            if open_at is None and ch in OPENERS:
                open_at = i
            elif open_at is not None and ch in CLOSERS:
                s, e = _trim(text, open_at + 1, i)
                if e > s:
                    out.append(Quotation(open_at, s, e, i))
                open_at = None
            i += 1
    if open_at is not None:
        _close_unclosed(text, out, open_at, paragraphs, len(paragraphs))
    return out


def old_prelabel(doc, gold_index, tax, rules, combined=True):
    """The former `prelabel`, quotes found by the former `find_quotations`."""
    text = doc.text
    pat = old_pattern_candidates(text, rules)
    gold = old_gold_candidates(text, gold_index)
    entities = _entities(text, pat + gold)
    saved = quotes_module.find_quotations
    quotes_module.find_quotations = old_find_quotations
    try:
        quotes = tuple(quotes_module.detect_quotes(text, entities, rules.quotes, tax.speaker_allowed))
    finally:
        quotes_module.find_quotations = saved
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
        (versions[QUOTES],
         Layers(entities=tuple(e for e in entities if e.id in speakers), quotes=quotes)),
    ]
    return [(v, layers) for v, layers in per_rule if layers.entities or layers.quotes]
# ---- end of the former implementation ----


def make_doc(text: str, doc_id: str = "t1") -> Document:
    return Document(
        doc_id=doc_id, title="t", text=text, text_sha256=sha256_text(text), date=None,
        dateline=None, publisher=None, url=None, language="en", raw_sha256="0" * 64,
        raw_file="corpus/raw/t.txt", media_type="text/plain", cleaner_version="test",
    )


def as_dicts(predictions):
    return [(v, layers.to_dict()) for v, layers in predictions]


def assert_same(doc, index, tax, rules, matcher=None):
    for combined in (True, False):
        new = prelabel(doc, index, tax, rules, combined=combined, matcher=matcher)
        old = old_prelabel(doc, index, tax, rules, combined=combined)
        assert as_dicts(new) == as_dicts(old), (doc.doc_id, combined)
    assert quotes_module.find_quotations(doc.text) == old_find_quotations(doc.text)


def test_is_word_is_regex_word_class_for_every_code_point():
    word = re.compile(r"\w")
    bad = [c for c in map(chr, range(sys.maxunicode + 1))
           if _is_word(c) != bool(word.match(c))]
    assert bad == []


def test_corpus_documents_identical_to_former_implementation(tax, rules):
    docs = load_documents(REPO)
    gold = GoldIndex.from_annotations(load_annotations(REPO))
    assert docs and gold.labels  # the comparison must cover pattern AND gold matches
    matcher = EntityMatcher.build(rules, gold)
    n_entities = 0
    for doc in docs:
        for index, m in ((gold, matcher), (GoldIndex(), None)):
            assert_same(doc, index, tax, rules, m)
        [(_, layers)] = prelabel(doc, gold, tax, rules, matcher=matcher)
        n_entities += len(layers.entities)
    assert n_entities > 50


def test_overlapping_strings_the_overlap_rule_needs(tax, rules):
    # "United States" is found first, but the longer "States Department" wins; a single regex
    # alternation would never report the latter. "a a" overlaps itself in "bb a a a": re.finditer
    # reports only the first "a a", which "bb a" then beats, so no "a a" at all.
    index = GoldIndex(labels={"States Department": "ORG", "United States": "GPE", "a a": "ORG",
                              "Rubio": "ORG", "Kyiv": "GPE", "bb a": "EVENT"})
    text = ("The United States Department said. bb a a a. Marco Rubio and Rubio_x and Kyiv's Kyiv."
            " a a a a a.")
    doc = make_doc(text)
    assert_same(doc, index, tax, rules)
    [(_, layers)] = prelabel(doc, index, tax, rules)
    got = [(e.span.text, e.label) for e in layers.entities]
    assert ("States Department", "ORG") in got and ("United States", "GPE") not in got
    assert got.count(("Kyiv", "GPE")) == 2 and ("Marco Rubio", "PERSON") in got
    assert ("bb a", "EVENT") in got and got.count(("a a", "ORG")) == 2  # both in "a a a a a"


def _surfaces(rules) -> list[str]:
    return [p.literal for p in rules.entity_patterns if p.literal is not None]


GOLD = {"talks": "EVENT", "bb a": "EVENT", "bb": "ORG", "States Department": "ORG", "United States": "GPE", "a a": "ORG",
        "Rubio": "ORG", "peace talks": "EVENT", "Kaja Kallas": "PERSON", "見 Putin": "PERSON"}
SEPARATORS = [" ", " ", " ", "\n", "\r\n", ", ", ". ", "'s ", "s", "_", "-", "😀", "見", "é", "bb", "a a",
              '"', "“", "”", "«", "»", "„", ": ", "said", "he", "told reporters", "a", "15",
              "2025", "May", "Thursday", "2025-05-15"]


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_generated_texts_identical_to_former_implementation(tax, rules, data):
    words = _surfaces(rules) + list(GOLD)
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(words), st.sampled_from(SEPARATORS)),
                                max_size=80))
    text = "".join(pieces)
    assert_same(make_doc(text), GoldIndex(labels=GOLD), tax, rules)


def test_regex_only_rules_and_no_gold(tax):
    rules = parse_rules(
        "version: 1\nentities:\n  DATE:\n    - regex: '(?:19|20)\\d{2}'\n"
        "quotes: {kind: DIRECT, cues: [said]}\n", tax, where="x.yaml")
    matcher = EntityMatcher.build(rules, GoldIndex())
    assert matcher.automaton is None  # nothing literal to match
    doc = make_doc('In 2025, "We are ready," he said. x2025 2026')
    [(_, layers)] = prelabel(doc, GoldIndex(), tax, rules, matcher=matcher)
    assert [(e.span.text, e.label) for e in layers.entities] == [("2025", "DATE"), ("2026", "DATE")]
    assert_same(doc, GoldIndex(), tax, rules, matcher)
