"""push -> annotate through the API -> pull returns exactly what was annotated (real server),
over random spans in texts with emoji, ZWJ sequences, flags, CJK, combining marks and CRLF."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ls_helpers import add_docs, annotate, make_doc, task_ids
from peacetalks.fsio import read_json
from peacetalks.model import DocumentAnnotations, Entity, Event, EventArgument, Layers, Quote, Span
from peacetalks.pull import pull
from peacetalks.push import push

pytestmark = pytest.mark.labelstudio

PIECES = ["Kyiv", " ", "talks", "😀", "👩‍👩‍👧", "🇺🇦", "🏳️‍🌈", "中文", "Erdoğan", "e\u0301",
          "\r\n", "\n", "\u00a0", "“", "”", ".", "Zelensky"]
_counter = itertools.count()


@st.composite
def documents_with_layers(draw, tax):
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=3, max_size=40)))

    def span():
        s = draw(st.integers(0, len(text) - 1))
        e = draw(st.integers(s + 1, min(len(text), s + 25)))
        return Span(s, e, text[s:e])

    ents = tuple(Entity(f"e{i}", span(), draw(st.sampled_from(tax.entity_labels)))
                 for i in range(draw(st.integers(0, 4))))
    ids = [e.id for e in ents]
    quotes = []
    for i in range(draw(st.integers(0, 2))):
        cue = draw(st.booleans())
        quotes.append(Quote(f"q{i}", span(), draw(st.sampled_from(tax.quote_kind_names)),
                            draw(st.sampled_from([None, *ids])),
                            span() if cue else None, f"c{i}" if cue else None))
    events = []
    for i in range(draw(st.integers(0, 2))):
        args = set()
        for _ in range(draw(st.integers(0, 2)) if ids else 0):
            args.add(EventArgument(draw(st.sampled_from(tax.role_names)), draw(st.sampled_from(ids))))
        events.append(Event(f"v{i}", span(), draw(st.sampled_from(tax.event_type_names)),
                            draw(st.sampled_from(tax.realis_names)),
                            tuple(sorted(args, key=lambda a: (a.role, a.entity)))))
    return text, Layers(ents, tuple(quotes), tuple(events))


def test_round_trip_random_spans(ls, ls_project, ls_repo, taxonomy):
    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(case=documents_with_layers(taxonomy))
    def check(case):
        text, layers = case
        doc = make_doc(f"rt{next(_counter)}", text)
        add_docs(ls_repo, [doc])
        push(ls, ls_project.id, [doc], taxonomy, progress=False)
        task_id = task_ids(ls, ls_project.id)[doc.doc_id]
        ann_id = annotate(ls, task_id, layers, taxonomy)
        report = pull(ls, ls_project.id, ls_repo, taxonomy)
        assert report.written == [doc.doc_id] and report.repairs == 0
        got = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file(doc.doc_id)))
        (p,) = got.passes
        assert p.ls_annotation_id == ann_id
        assert p.layers.to_dict() == layers.to_dict()
        for item in (*p.layers.entities, *p.layers.quotes, *p.layers.events):
            assert item.span.text == text[item.span.start : item.span.end]

    check()
