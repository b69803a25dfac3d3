"""Pre-annotation rules: entity patterns, gold propagation, direct quotes with cue and speaker."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacetalks.errors import SchemaError
from peacetalks.model import (
    AnnotatorPass,
    Document,
    DocumentAnnotations,
    Entity,
    Layers,
    Span,
    sha256_text,
)
from peacetalks.paths import Repo
from peacetalks.prelabel import (
    QUOTES,
    ENTITY_PATTERNS,
    GOLD_PROPAGATION,
    GoldIndex,
    load_rules,
    parse_rules,
    prelabel,
    rule_of,
)
from peacetalks.store import load_documents
from peacetalks.taxonomy import load_taxonomy

REPO = Repo(Path(__file__).resolve().parents[1])

# An excerpt of corpus document 000 (AFP via the raw seed), kept verbatim: straight quotes,
# "X said", "he added" after a paragraph break, "he said" resolved to the nearest PERSON, a
# paragraph that opens a quotation and never closes it, scare quotes that are not direct quotes.
AFP = (
    '"Obviously, we\'re in a very difficult spot right now," Rubio said at a NATO meeting in Antalya.\n'
    '"So a lot of work. We remain committed to that," he added.\n'
    'NATO chief Mark Rutte meanwhile said that he was "cautiously optimistic" for progress.\n'
    '"I\'m still cautiously optimistic that you could get to some breakthroughs," Rutte said.\n'
    '"Ukraine is ready to commit to a ceasefire and immediate negotiations. '
    'The ball is now clearly in the Russian court.\n'
    'Rutte said Russia was sending a "lower level delegation out to Turkey to these peace talks".\n'
    '"It\'s now up to the Russians to make sure they take the next steps necessary," he said.\n'
    '"The best we can hope for is indeed a ceasefire," France\'s Jean-Noel Barrot said.\n'
)


def make_doc(text: str, doc_id: str = "t1") -> Document:
    return Document(
        doc_id=doc_id, title="t", text=text, text_sha256=sha256_text(text), date=None,
        dateline=None, publisher=None, url=None, language="en", raw_sha256="0" * 64,
        raw_file="corpus/raw/t.txt", media_type="text/plain", cleaner_version="test",
    )


def quotes_of(text, tax, rules, gold=GoldIndex()):
    [(_, layers)] = prelabel(make_doc(text), gold, tax, rules)
    ents = {e.id: e for e in layers.entities}
    return layers, [
        (q.span.text, q.cue.text if q.cue else None, ents[q.speaker].span.text if q.speaker else None)
        for q in layers.quotes
    ]


def check_invariants(text: str, layers: Layers) -> None:
    ids = [e.id for e in layers.entities] + [q.id for q in layers.quotes]
    assert len(ids) == len(set(ids))
    spans = sorted((e.span.start, e.span.end) for e in layers.entities)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "overlapping entities"
    ent_ids = {e.id for e in layers.entities}
    for item in (*layers.entities, *layers.quotes):
        assert text[item.span.start : item.span.end] == item.span.text
        assert rule_of(item.id) is not None
    for q in layers.quotes:
        assert q.speaker is None or q.speaker in ent_ids
        if q.cue is not None:
            assert text[q.cue.start : q.cue.end] == q.cue.text and q.cue_id.startswith("pc")


def test_afp_excerpt_quotes_cues_and_speakers(tax, rules):
    layers, quotes = quotes_of(AFP, tax, rules)
    assert quotes == [
        ("Obviously, we're in a very difficult spot right now", "said", "Rubio"),
        ("So a lot of work. We remain committed to that", "added", "Rubio"),
        # reported speech with a quoted fragment: MIXED (prelabel_reported.py)
        ('he was "cautiously optimistic" for progress', "said", "Mark Rutte"),
        ("I'm still cautiously optimistic that you could get to some breakthroughs", "said", "Rutte"),
        # opens, never closes: runs to the end of its paragraph; no cue, so no speaker is guessed
        ("Ukraine is ready to commit to a ceasefire and immediate negotiations. "
         "The ball is now clearly in the Russian court.", None, None),
        ('Russia was sending a "lower level delegation out to Turkey to these peace talks"', "said", "Rutte"),
        ("It's now up to the Russians to make sure they take the next steps necessary", "said", "Rutte"),
        ("The best we can hope for is indeed a ceasefire", "said", "Jean-Noel Barrot"),
    ]
    assert [q.kind for q in layers.quotes] == ["DIRECT"] * 2 + ["MIXED"] + ["DIRECT"] * 2 + [
        "MIXED"] + ["DIRECT"] * 2
    check_invariants(AFP, layers)
    # the cue span is the verb right after the quote
    first = min(layers.quotes, key=lambda q: q.span.start)
    assert (first.cue.start, first.cue.end) == (AFP.index("said"), AFP.index("said") + 4)
    assert first.span.start == 1  # content starts after the opening mark


def test_curly_quotes_cue_before_said_x_and_inherited_speaker(tax, rules):
    text = (
        "Rubio said the issue came up in Paris. But, he cautioned, “we have bigger challenges.”\n"
        "“Türkiye is a serious venue,” said Mark Rutte on Thursday.\n"
        "Johann Wadephul urged Russia to engage.\n"
        "“It’s not too late,” he said. “We are ready.”\n"
        "Fidan told reporters: “Peace is possible.”\n"
    )
    layers, quotes = quotes_of(text, tax, rules)
    assert quotes == [
        ("the issue came up in Paris", "said", "Rubio"),  # reported speech: INDIRECT
        ("we have bigger challenges.", "cautioned", "Rubio"),
        ("Türkiye is a serious venue", "said", "Mark Rutte"),
        ("It’s not too late", "said", "Johann Wadephul"),
        ("We are ready.", "said", "Johann Wadephul"),  # same paragraph, after "he said."
        ("Peace is possible.", "told", "Fidan"),
    ]
    inherited = [q for q in layers.quotes if q.span.text == "We are ready."][0]
    donor = [q for q in layers.quotes if q.span.text == "It’s not too late"][0]
    assert inherited.cue_id == donor.cue_id and inherited.speaker == donor.speaker
    check_invariants(text, layers)


def test_paragraph_spanning_quote_continues_when_next_paragraph_reopens(tax, rules):
    text = '"First part of the statement.\n"Second part," Rubio said.\n'
    layers, quotes = quotes_of(text, tax, rules)
    assert quotes == [("First part of the statement.\n\"Second part", "said", "Rubio")]
    check_invariants(text, layers)


def test_speaker_mentions_inside_quotes_are_not_antecedents(tax, rules):
    text = 'Rutte spoke first.\n"We told Putin it was over," he said.\n'
    _, quotes = quotes_of(text, tax, rules)
    assert quotes == [("We told Putin it was over", "said", "Rutte")]


def test_entity_patterns_longest_match_and_word_boundaries(tax, rules):
    text = "Deputy Foreign Minister Mikhail Galuzin met Russians in Russia's capital on May 15, 2025."
    [(mv, layers)] = prelabel(make_doc(text), GoldIndex(), tax, rules)
    got = [(e.span.text, e.label) for e in layers.entities]
    assert got == [
        ("Deputy Foreign Minister", "TITLE"),
        ("Mikhail Galuzin", "PERSON"),
        ("Russians", "NORP"),
        ("Russia", "GPE"),
        ("May 15, 2025", "DATE"),
    ]
    assert all(rule_of(e.id) == ENTITY_PATTERNS for e in layers.entities)
    assert mv.split("+")[0].startswith(f"rules-{ENTITY_PATTERNS}-v1.1-")
    check_invariants(text, layers)


def test_region_ids_are_deterministic(tax, rules):
    a = prelabel(make_doc(AFP), GoldIndex(), tax, rules)
    b = prelabel(make_doc(AFP), GoldIndex(), tax, rules)
    assert a == b and len(a[0][0].split("+")) == 3


def gold_ann(doc_id: str, text: str, items: list[tuple[str, str]]) -> DocumentAnnotations:
    ents = []
    for n, (surface, label) in enumerate(items):
        s = text.index(surface)
        ents.append(Entity(f"e{n}", Span(s, s + len(surface), surface), label))
    layers = Layers(entities=tuple(ents))
    p = AnnotatorPass("ann-1", 1, "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", None, False, layers)
    return DocumentAnnotations(doc_id, sha256_text(text), 1, (p,), gold=layers,
                               gold_source="single-pass:ann-1")


def test_gold_propagation_same_string_same_label_skips_ambiguous(tax, rules):
    t1 = "The Coalition of the Willing met. Kaja Kallas spoke. Paris hosted."
    t2 = "Paris Hilton arrived. Paris hosted."
    index = GoldIndex.from_annotations({
        "d1": gold_ann("d1", t1, [("Coalition of the Willing", "ORG"), ("Kaja Kallas", "PERSON"),
                                   ("Paris", "GPE")]),
        "d2": gold_ann("d2", t2, [("Paris", "PERSON")]),  # same string, another label
    })
    assert index.labels == {"Coalition of the Willing": "ORG", "Kaja Kallas": "PERSON"}
    assert index.ambiguous == {"Paris": ("GPE", "PERSON")}
    text = "Kaja Kallas said the Coalition of the Willing would meet; Kaja Kallasova did not."
    per_rule = dict(prelabel(make_doc(text), index, tax, rules, combined=False))
    gold_layers = per_rule[index.model_version()]
    assert [(e.span.text, e.label) for e in gold_layers.entities] == [
        ("Kaja Kallas", "PERSON"), ("Coalition of the Willing", "ORG"),
    ]
    assert all(rule_of(e.id) == GOLD_PROPAGATION for e in gold_layers.entities)
    # the combined prediction holds them once, without overlapping pattern matches
    [(mv, layers)] = prelabel(make_doc(text), index, tax, rules)
    assert GOLD_PROPAGATION in mv and QUOTES in mv
    check_invariants(text, layers)


def test_gold_beats_patterns_on_equal_spans_and_longest_wins(tax, rules):
    text = "NATO Summit in June. Secretary of State Marco Rubio."
    index = GoldIndex(labels={"NATO Summit in June": "EVENT", "Rubio": "ORG"})
    [(_, layers)] = prelabel(make_doc(text), index, tax, rules)
    got = [(e.span.text, e.label, rule_of(e.id)) for e in layers.entities]
    assert got == [
        ("NATO Summit in June", "EVENT", GOLD_PROPAGATION),
        ("Secretary of State", "TITLE", ENTITY_PATTERNS),
        ("Marco Rubio", "PERSON", ENTITY_PATTERNS),  # longer than gold's "Rubio"
    ]


def test_per_rule_quote_prediction_is_self_contained(tax, rules):
    per_rule = prelabel(make_doc(AFP), GoldIndex(), tax, rules, combined=False)
    assert [mv.split("-v")[0] for mv, _ in per_rule] == [f"rules-{ENTITY_PATTERNS}",
                                                          f"rules-{QUOTES}"]
    quote_layers = per_rule[1][1]
    assert {q.speaker for q in quote_layers.quotes} - {None} == {e.id for e in quote_layers.entities}


def test_unknown_label_in_patterns_file_is_an_error_naming_file_and_pattern(tax, tmp_path):
    path = tmp_path / "entity_patterns.yaml"
    path.write_text(
        "version: 1\nentities:\n  PERSON: [Rubio]\n  COUNTRY: [Ukraine]\n"
        "quotes: {kind: DIRECT, cues: [said]}\n", encoding="utf-8")
    with pytest.raises(SchemaError) as exc:
        load_rules(tax, path)
    assert str(path) in str(exc.value) and "'Ukraine'" in str(exc.value) and "COUNTRY" in str(exc.value)


@pytest.mark.parametrize(
    "body, message",
    [
        ("entities: {PERSON: [Rubio], ORG: [Rubio]}\nquotes: {kind: DIRECT, cues: [said]}",
         "listed under two labels"),
        ("entities: {DATE: [{regex: '(unclosed'}]}\nquotes: {kind: DIRECT, cues: [said]}", "bad regex"),
        ("entities: {PERSON: [Rubio]}\nquotes: {kind: VERBATIM, cues: [said]}", "quotes.kind 'VERBATIM'"),
        ("entities: {PERSON: [Rubio]}\nquotes: {kind: DIRECT, cues: [said], pronouns: {he: [DATE]}}",
         "quotes.pronouns.he"),
    ],
)
def test_invalid_patterns_files(tax, body, message):
    with pytest.raises(SchemaError, match="x.yaml: .*" + message.replace("(", r"\(")):
        parse_rules("version: 1\n" + body, tax, where="x.yaml")


def test_label_names_are_not_spelled_in_the_code():
    src = (REPO.root / "src" / "peacetalks")
    tax = load_taxonomy(REPO.taxonomy_file)
    names = tax.entity_labels + tax.quote_kind_names
    for module in ("prelabel.py", "prelabel_quotes.py", "agreement.py", "gold.py", "reanchor.py"):
        code = (src / module).read_text(encoding="utf-8")
        for name in names:
            assert f'"{name}"' not in code and f"'{name}'" not in code, (module, name)


def test_cleaned_corpus_documents_satisfy_invariants(tax, rules):
    docs = load_documents(REPO)
    for doc in docs:
        for _, layers in prelabel(doc, GoldIndex(), tax, rules):
            check_invariants(doc.text, layers)


WORDS = ['"', "“", "”", "«", "»", "\n", "\r\n", ", ", ". ", ": ", "said", "he", "told reporters",
         "Rubio", "Marco Rubio", "Kyiv", "We are ready", "talks", " ", "Thursday", "'"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_property_any_text_gives_anchored_unique_non_overlapping_regions(tax, rules, words):
    text = " ".join(words)
    for _, layers in prelabel(make_doc(text), GoldIndex(labels={"talks": "EVENT"}), tax, rules):
        check_invariants(text, layers)
        for q in layers.quotes:
            assert q.span.text.strip() == q.span.text and q.span.text
