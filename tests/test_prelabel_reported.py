"""Reported-speech quote rules (prelabel_reported.py) on tiny invented sentences, positive and
negative, and the quote pre-annotator scored against the committed gold (prelabel_eval.py) with
floors at the measured level, so it cannot silently regress."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacetalks.model import Document, Entity, Layers, Quote, Span, sha256_text
from peacetalks.paths import Repo
from peacetalks.prelabel import GoldIndex, prelabel
from peacetalks.prelabel_eval import ALL, evaluate_repo, jaccard, match_quotes, score_document

REPO = Repo(Path(__file__).resolve().parents[1])
# Names the patterns file does not know are given as gold strings (the propagation rule).
NAMES = {"Anna Berg": "PERSON", "Berg": "PERSON", "Tom Lund": "PERSON", "Lund": "PERSON",
         "Nordland": "GPE", "Ostia": "GPE", "Ministry of Fish": "ORG", "Friday": "DATE"}


def quotes(text, tax, rules):
    doc = Document(doc_id="t", title="t", text=text, text_sha256=sha256_text(text), date=None,
                   dateline=None, publisher=None, url=None, language="en", raw_sha256="0" * 64,
                   raw_file="corpus/raw/t.txt", media_type="text/plain", cleaner_version="test")
    out = prelabel(doc, GoldIndex(labels=NAMES), tax, rules)
    if not out:
        return []
    layers = out[0][1]
    ents = {e.id: e for e in layers.entities}
    for q in layers.quotes:
        assert text[q.span.start : q.span.end] == q.span.text == q.span.text.strip()
    return [(q.kind, q.span.text, q.cue.text if q.cue else None,
             ents[q.speaker].span.text if q.speaker else None) for q in layers.quotes]


@pytest.mark.parametrize("text, want", [
    # subject + cue + clause, with or without "that"; "that" is left out of the span
    ("Anna Berg said the fish quota would be cut next year.",
     ("INDIRECT", "the fish quota would be cut next year", "said", "Anna Berg")),
    ("Berg has stated that Nordland will not sign the accord.",
     ("INDIRECT", "Nordland will not sign the accord", "has stated", "Berg")),
    # time adverbial between cue and clause; listener after "told"
    ("Tom Lund said on Friday he expected a deal soon.",
     ("INDIRECT", "he expected a deal soon", "said", "Tom Lund")),
    ("Lund told reporters the ministers would meet again.",
     ("INDIRECT", "the ministers would meet again", "told", "Lund")),
    # a quoted fragment makes it MIXED; a period inside the closing mark stays (hard case 12)
    ('Berg said Nordland was "not in a hurry."', ("MIXED", 'Nordland was "not in a hurry."', "said", "Berg")),
    ('Berg said Nordland was "not in a hurry".', ("MIXED", 'Nordland was "not in a hurry"', "said", "Berg")),
    # the whole clause between marks after a bare cue is DIRECT, marks left out
    ('Berg said "we will not give up the boats."', ("DIRECT", "we will not give up the boats.", "said", "Berg")),
    # clause first, then the attribution (named, pronoun, inverted)
    ("Talks with Ostia will resume in May, Anna Berg said on Friday.",
     ("INDIRECT", "Talks with Ostia will resume in May", "said", "Anna Berg")),
    ("The boats will stay in port, said Tom Lund.",
     ("INDIRECT", "The boats will stay in port", "said", "Tom Lund")),
    # according to a named source, both orders
    ("The quota was cut by half, according to the Ministry of Fish.",
     ("INDIRECT", "The quota was cut by half", "according to", "Ministry of Fish")),
    ("According to Anna Berg, the quota was cut by half.",
     ("INDIRECT", "the quota was cut by half", "According to", "Anna Berg")),
    # an appositive between speaker and cue; a possessive speaker (guidelines, speaker rule 4)
    ("Lund, speaking in Ostia on a windy pier, said the fleet was ready.",
     ("INDIRECT", "the fleet was ready", "said", "Lund")),
    ("Berg's office warned that the fleet could not sail.",
     ("INDIRECT", "the fleet could not sail", "warned", "Berg")),
    # a naming verb whose object holds a quoted fragment (hard case 5)
    ('Anna Berg called the offer a "joke".', ("MIXED", 'the offer a "joke"', "called", "Anna Berg")),
])
def test_one_reported_quote(tax, rules, text, want):
    assert quotes(text, tax, rules) == [want]


def test_pronoun_subject_takes_the_previous_sentence_subject(tax, rules):
    text = ('"The boats are ready," Lund told reporters, thanking Anna Berg for her help. '
            "He added that the fleet would sail on Friday.")
    got = quotes(text, tax, rules)
    assert got[1] == ("INDIRECT", "the fleet would sail on Friday", "added", "Lund")


def test_participle_and_coordinated_cues_split_and_share_the_speaker(tax, rules):
    text = ("Berg said the quota was fair, adding that Ostia had agreed. "
            "Lund insisted the boats were safe and warned that storms were coming.")
    assert quotes(text, tax, rules) == [
        ("INDIRECT", "the quota was fair", "said", "Berg"),
        ("INDIRECT", "Ostia had agreed", "adding", "Berg"),
        ("INDIRECT", "the boats were safe", "insisted", "Lund"),
        ("INDIRECT", "storms were coming", "warned", "Lund"),
    ]


def test_subordinate_clause_ends_the_content(tax, rules):
    text = "While Berg's comments suggest that a deal is near, fishermen remain worried about it."
    assert quotes(text, tax, rules) == [("INDIRECT", "a deal is near", "suggest", "Berg")]


def test_next_paragraph_quote_keeps_the_speaker_without_cue(tax, rules):
    text = '"We are ready," Berg said.\n\n"The boats can sail tomorrow."\n\nLund arrived.'
    assert quotes(text, tax, rules) == [
        ("DIRECT", "We are ready", "said", "Berg"),
        ("DIRECT", "The boats can sail tomorrow.", None, "Berg"),  # hard case 4
    ]
    unclosed = '"We are ready," Berg said.\n\n"The boats can sail tomorrow.\n\nLund arrived.'
    assert quotes(unclosed, tax, rules)[1] == (
        "DIRECT", "The boats can sail tomorrow.", None, None)  # hard case 3


@pytest.mark.parametrize("text", [
    "Berg emphasized the importance of the fishing fleet.",  # that-cue with an object
    "Lund warned Ostia about the storm.",
    "The ministry stressed the need for new boats, noting the cost.",
    "Berg said.",
    "Lund insisted on a new vote in the council.",  # a preposition, not a clause
    "Officials remain hopeful that the talks can succeed.",  # mental state (hard case 18)
    "Berg was hoping they could mark a turning point.",
    "Data suggest that the stocks are recovering.",  # that-cue without a speaker
    "The quota was cut by half, according to the plan.",  # not a speaker
    "Anna Berg called the offer generous.",  # naming verb without a quoted fragment
    'The so-called "peace boat" left the port at dawn.',  # scare quotes, no cue
    "Lund called Berg on Friday to discuss the quota.",
])
def test_no_reported_quote(tax, rules, text):
    assert quotes(text, tax, rules) == []


def test_anonymous_source_with_said_is_a_quote_without_speaker(tax, rules):
    text = "Three diplomatic sources said that the talks had stalled."
    assert quotes(text, tax, rules) == [("INDIRECT", "the talks had stalled", "said", None)]


# ---- the evaluation ----
def _q(qid, start, end, kind="INDIRECT", speaker=None, cue=None):
    return Quote(qid, Span(start, end, "x" * (end - start)), kind, speaker, cue)


def test_jaccard_and_one_to_one_matching():
    assert jaccard(Span(0, 10, ""), Span(5, 15, "")) == pytest.approx(5 / 15)
    assert jaccard(Span(0, 10, ""), Span(10, 20, "")) == 0
    gold = [_q("g1", 0, 10), _q("g2", 20, 30)]
    pred = [_q("p1", 0, 9), _q("p2", 1, 10), _q("p3", 20, 24)]  # p3: Jaccard 0.4
    pairs = match_quotes(pred, gold)
    assert [(p.id, g.id) for p, g in pairs] == [("p1", "g1")]


def test_score_document_per_kind_speaker_and_cue():
    ent = Entity("e1", Span(40, 45, "Rubio"), "PERSON")
    gold = Layers(entities=(ent,), quotes=(
        _q("g1", 0, 10, "DIRECT", "e1", Span(46, 50, "said")), _q("g2", 20, 30, "MIXED")))
    pred = Layers(entities=(Entity("p", Span(40, 45, "Rubio"), "PERSON"),), quotes=(
        _q("q1", 0, 10, "DIRECT", "p", Span(46, 50, "said")), _q("q2", 20, 30, "INDIRECT"),
        _q("q3", 60, 70)))
    s = score_document(pred, gold, ("DIRECT", "INDIRECT", "MIXED"))
    assert (s.span.predicted, s.span.gold, s.span.matched) == (3, 2, 2)
    assert (s.kinds["DIRECT"].matched, s.kinds["MIXED"].matched, s.kinds["INDIRECT"].predicted) == (1, 0, 2)
    assert (s.kind_ok, s.speaker_ok, s.cue_ok, s.exact) == (1, 2, 2, 2)


# Measured on the committed gold (5 documents, 66 quotes) when the reported-speech rules were
# added; before them: DIRECT P/R 1.00/1.00, INDIRECT and MIXED 0 of 40, overall recall 0.394.
# After: DIRECT 26/26 both ways, INDIRECT 23 of 24 predicted / of 25 gold, MIXED 15/15, all
# kinds 64 of 65 / of 66; every matched span exact, with the gold's kind, speaker and cue.
FLOORS = {"DIRECT": (1.0, 1.0), "INDIRECT": (23 / 24, 23 / 25), "MIXED": (1.0, 1.0),
          ALL: (64 / 65, 64 / 66)}


def test_quote_rules_against_committed_gold_do_not_regress(tax, rules):
    scores = evaluate_repo(REPO, tax, rules)
    total = scores[ALL]
    assert total.span.gold >= 66
    for kind, (p, r) in FLOORS.items():
        c = total.kinds[kind]
        assert c.precision >= p - 1e-9 and c.recall >= r - 1e-9, (kind, c)
    matched = total.span.matched
    assert total.speaker_ok / matched >= 0.98 and total.cue_ok / matched >= 0.98
    assert total.exact / matched >= 0.95
    # the finding that started this: the longest article had 5 of its 20 quotes suggested
    assert scores["c533860cae30bf89"].span.matched >= 18
