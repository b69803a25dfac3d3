"""Re-anchoring spans and annotations onto a changed cleaned text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacetalks.errors import PeacetalksError
from peacetalks.model import (
    AnnotatorPass,
    DocumentAnnotations,
    Entity,
    Event,
    EventArgument,
    Layers,
    Quote,
    Span,
    sha256_text,
)
from peacetalks.reanchor import ReanchorRefused, map_spans, reanchor_annotations

OLD = (
    "U.S. Secretary of State Marco Rubio said on Friday that talks in Istanbul could help.\n"
    "\"We are ready,\" Rubio said.\n"
    "Russian President Vladimir Putin did not attend.\n"
)


def span(text: str, surface: str, nth: int = 0) -> Span:
    s = -1
    for _ in range(nth + 1):
        s = text.index(surface, s + 1)
    return Span(s, s + len(surface), surface)


def test_insertions_deletions_and_whitespace_outside_spans_map_exactly():
    spans = [span(OLD, "Marco Rubio"), span(OLD, "Istanbul"), span(OLD, "Rubio", 1),
             span(OLD, "Vladimir Putin"), span(OLD, "We are ready")]
    new = ("BREAKING\n\n" + OLD.replace("on Friday that", "on  Friday,  that")
           .replace("Russian President ", "Russian  President\t"))
    maps = map_spans(OLD, new, spans)
    for m in maps:
        assert m.status == "exact", m
        assert new[m.new.start : m.new.end] == m.old.text
    assert maps[0].new.start == new.index("Marco Rubio")
    assert maps[2].new.start == new.index("Rubio said.")
    # a deletion before the spans
    new2 = OLD.replace("U.S. Secretary of State ", "")
    m = map_spans(OLD, new2, [span(OLD, "Marco Rubio"), span(OLD, "Istanbul")])
    assert [(x.new.start, x.method) for x in m] == [(0, "aligned"), (new2.index("Istanbul"), "aligned")]


def test_changed_and_deleted_spans_are_reported_with_reason():
    spans = [span(OLD, "Marco Rubio"), span(OLD, "Vladimir Putin"), span(OLD, "Istanbul"),
             span(OLD, "on Friday")]
    new = (OLD.replace("Marco Rubio", "Marco  Rubio")   # whitespace inside the span
           .replace("Vladimir Putin", "Vladimir V. Putin")  # text inside changed
           .replace(" that talks in Istanbul could help", ""))  # span deleted
    got = {m.old.text: (m.status, m.reason, m.new) for m in map_spans(OLD, new, spans)}
    assert got["Marco Rubio"][:2] == ("unmappable", "changed")
    assert got["Vladimir Putin"][:2] == ("unmappable", "changed")
    assert got["Istanbul"][:2] == ("unmappable", "deleted")
    assert got["on Friday"][0] == "exact"
    changed = [m for m in map_spans(OLD, new, spans) if m.old.text == "Vladimir Putin"][0]
    assert "Vladimir V. Putin" in changed.detail


def test_identical_text_elsewhere_is_not_taken_for_a_changed_span():
    old = "Rubio met Fidan. Later Rubio spoke."
    new = "Rubio met Fidan. Later R. Rubio spoke."
    [first, second] = map_spans(old, new, [span(old, "Rubio"), span(old, "Later Rubio")])
    assert first.new == Span(0, 5, "Rubio")
    assert second.status == "unmappable" and second.reason == "changed"


def test_ambiguous_when_several_places_are_equally_likely():
    old = "ab"
    new = "abb"  # the "b" was duplicated: before or after itself? cannot tell
    [m] = map_spans(old, new, [Span(1, 2, "b")])
    assert m.status == "exact" and new[m.new.start : m.new.end] == "b"  # aligned, text equal
    old = "xx Kyiv yy"
    new = "xx Kyiv Kyiv yy"
    [m] = map_spans(old, new, [Span(3, 7, "Kyiv")])
    assert new[m.new.start : m.new.end] == "Kyiv"


def test_span_not_in_old_text_is_refused():
    with pytest.raises(PeacetalksError, match=r"\[0:3\] 'abc' is not anchored"):
        map_spans("xyz", "xyz!", [Span(0, 3, "abc")])


BASE = st.text(alphabet="abcdefgh .,\n", min_size=1, max_size=300)
INSERT = st.text(alphabet="0123456789#", min_size=1, max_size=40)  # disjoint from BASE


@settings(max_examples=150, deadline=None)
@given(BASE, st.data())
def test_property_insertions_before_and_after_spans_map_exactly(text, data):
    n = len(text)
    s = data.draw(st.integers(0, n - 1))
    e = data.draw(st.integers(s + 1, n))
    before_at = data.draw(st.integers(0, s))
    after_at = data.draw(st.integers(e, n))
    x, y = data.draw(INSERT), data.draw(INSERT)
    new = text[:before_at] + x + text[before_at:after_at] + y + text[after_at:]
    [m] = map_spans(text, new, [Span(s, e, text[s:e])])
    assert m.status == "exact"
    assert m.new == Span(s + len(x), e + len(x), text[s:e])


@settings(max_examples=150, deadline=None)
@given(BASE, BASE, st.data())
def test_property_any_edit_maps_to_identical_text_or_reports(old, new, data):
    s = data.draw(st.integers(0, len(old) - 1))
    e = data.draw(st.integers(s + 1, len(old)))
    [m] = map_spans(old, new, [Span(s, e, old[s:e])])
    if m.status == "exact":
        assert new[m.new.start : m.new.end] == old[s:e]
    else:
        assert m.new is None and m.reason in {"deleted", "changed", "ambiguous"}


# ---------------------------------------------------------------- annotations


def annotations(text: str) -> DocumentAnnotations:
    rubio, putin, fri = span(text, "Marco Rubio"), span(text, "Vladimir Putin"), span(text, "Friday")
    ents = (Entity("e1", rubio, "PERSON"), Entity("e2", putin, "PERSON"), Entity("e3", fri, "DATE"))
    q = Quote("q1", span(text, "We are ready"), "DIRECT", "e1", span(text, "said", 1), "c1")
    ev = Event("v1", span(text, "attend"), "CONSULT", "NEGATED",
               (EventArgument("AGENT", "e2"), EventArgument("TIME", "e3")))
    layers = Layers(entities=ents, quotes=(q,), events=(ev,))
    p = AnnotatorPass("ann-1", 11, "2025-05-01T00:00:00Z", "2025-05-01T00:00:00Z", 3.0, False, layers)
    return DocumentAnnotations("d1", sha256_text(text), 5, (p,), gold=layers,
                               gold_source="single-pass:ann-1")


def check_anchored(ann: DocumentAnnotations, text: str) -> None:
    assert ann.text_sha256 == sha256_text(text)
    for layers in [p.layers for p in ann.passes] + [ann.gold]:
        for item in (*layers.entities, *layers.quotes, *layers.events):
            assert text[item.span.start : item.span.end] == item.span.text
        for q in layers.quotes:
            assert q.cue is None or text[q.cue.start : q.cue.end] == q.cue.text


def test_reanchor_annotations_moves_every_pass_and_gold():
    new = "Updated: " + OLD.replace("\n", "\n\n")
    ann, report = reanchor_annotations(annotations(OLD), OLD, new)
    check_anchored(ann, new)
    assert report.applied and report.unmappable == [] and report.consequences == []
    # 3 entities + quote + cue + trigger, in the pass and in gold; all after the new prefix
    assert report.mapped == 2 * 6 and report.moved == 2 * 6
    assert ann.passes[0].layers.quotes[0].speaker == "e1"
    assert ann.gold_source == "single-pass:ann-1" and ann.ls_task_id == 5


def test_reanchor_refuses_unmappable_without_force_and_changes_nothing():
    new = OLD.replace("Vladimir Putin", "Vladimir V. Putin")
    original = annotations(OLD)
    with pytest.raises(ReanchorRefused) as exc:
        reanchor_annotations(original, OLD, new)
    report = exc.value.report
    assert not report.applied
    assert [(u["scope"], u["region"], u["reason"]) for u in report.unmappable] == [
        ("pass ann-1#11", "e2", "changed"), ("gold", "e2", "changed"),
    ]
    assert "--force" in str(exc.value) and "'Vladimir Putin'" in str(exc.value)
    assert original == annotations(OLD)


def test_reanchor_force_drops_with_every_consequence_listed():
    new = OLD.replace("Vladimir Putin", "Vladimir V. Putin").replace("\"We are ready,\" Rubio said.\n", "")
    ann, report = reanchor_annotations(annotations(OLD), OLD, new, force=True)
    check_anchored(ann, new)
    layers = ann.passes[0].layers
    assert [e.id for e in layers.entities] == ["e1", "e3"]
    assert layers.quotes == () and [a.entity for a in layers.events[0].arguments] == ["e3"]
    assert {(u["region"], u["kind"], u["reason"]) for u in report.unmappable} == {
        ("e2", "entity", "changed"), ("q1", "quote", "deleted"), ("c1", "cue", "deleted"),
    }
    assert sorted(c for c in report.consequences if c.startswith("gold")) == [
        "gold: entity e2 'Vladimir Putin' removed",
        "gold: event v1 loses argument AGENT=e2",
        "gold: quote q1 removed",
    ]
    assert ann.gold == layers


def test_reanchor_checks_the_anchor_of_the_annotations():
    with pytest.raises(PeacetalksError, match="annotations/d1.json: anchored to text sha256"):
        reanchor_annotations(annotations(OLD), OLD + "x", OLD + "y")
