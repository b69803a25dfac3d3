"""Round trips of the core types through their JSON shape (sqlite-utils style property tests),
and the atomic file writes every stage relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacetalks.fsio import atomic_write_text, dumps_json, file_batch
from peacetalks.model import (
    AnnotatorPass, Document, DocumentAnnotations, Entity, Event, EventArgument, Layers,
    OffsetRepair, ProvenanceRange, Quote, Span,
)

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
spans = st.builds(Span, st.integers(0, 10_000), st.integers(0, 10_000), texts)
entities = st.builds(Entity, ids, spans, st.sampled_from(["PERSON", "GPE"]))
quotes = st.builds(Quote, ids, spans, st.sampled_from(["DIRECT", "MIXED"]), st.none() | ids,
                   st.none(), st.none())
quotes_with_cue = st.builds(Quote, ids, spans, st.just("DIRECT"), ids, spans, ids)
events = st.builds(Event, ids, spans, st.just("CONSULT"), st.just("ACTUAL"),
                   st.lists(st.builds(EventArgument, st.just("AGENT"), ids), max_size=3).map(tuple))
layers = st.builds(Layers, st.lists(entities, max_size=4).map(tuple),
                   st.lists(quotes | quotes_with_cue, max_size=3).map(tuple),
                   st.lists(events, max_size=3).map(tuple))
passes = st.builds(AnnotatorPass, st.just("ann-0a1b2c3d"), st.integers(1, 10**9), texts, texts,
                   st.none() | st.floats(0, 1e6), st.booleans(), layers)
doc_annotations = st.builds(
    DocumentAnnotations, ids, texts, st.none() | st.integers(1, 10**6),
    st.lists(passes, max_size=3).map(tuple), st.integers(0, 3), st.none() | layers,
    st.none() | texts, st.dictionaries(st.sampled_from(["entities", "quotes", "events"]),
                                       st.sampled_from(["done", "pending"])),
    st.lists(st.builds(OffsetRepair, st.integers(1, 99), ids, texts, st.integers(0, 9),
                       st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)), max_size=2).map(tuple),
)


def _canonical(ann: DocumentAnnotations) -> dict:
    return json.loads(dumps_json(ann.to_dict()))


@settings(max_examples=150)
@given(doc_annotations)
def test_annotation_file_round_trip(ann):
    data = json.loads(dumps_json(ann.to_dict()))
    back = DocumentAnnotations.from_dict(data)
    # Equal up to the stable order the file format imposes (sorted spans and passes).
    assert _canonical(back) == data
    assert DocumentAnnotations.from_dict(_canonical(back)).to_dict() == back.to_dict()


@given(texts, st.none() | texts, st.lists(st.tuples(*[st.integers(0, 99)] * 4), max_size=3))
def test_document_round_trip(text, date, ranges):
    doc = Document("d1", "t", text, "sha", date, None, None, None, "en", "raw", "corpus/raw/x.txt",
                   "text/plain", "1.0.0", tuple(ProvenanceRange(*r) for r in ranges))
    assert Document.from_dict(json.loads(dumps_json(doc.to_dict()))) == doc


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path: Path):
    path = tmp_path / "a.json"
    atomic_write_text(path, "good\n")

    class Boom(str):
        def encode(self, *a, **k):  # noqa: ANN001 - fails while the temp file is being made
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write_text(path, Boom("bad"))
    assert path.read_text() == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_file_batch_is_all_or_nothing(tmp_path: Path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text("old a")
    with pytest.raises(RuntimeError):
        with file_batch() as batch:
            batch.write_bytes(a, b"new a")
            batch.delete(b)
            raise RuntimeError("server died mid-pull")
    assert a.read_text() == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    with file_batch() as batch:
        batch.write_bytes(a, b"new a")
        batch.write_bytes(b, b"new b")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")
    assert oct(a.stat().st_mode & 0o777) != oct(0o600)  # readable data files, not mkstemp's 0600
