"""Push pipelines pre-annotation with the imports (chunk k+1 is pre-annotated while chunk k is
imported), without changing what push sends or its failure semantics. Real Label Studio."""

from __future__ import annotations

import threading

import pytest

import peacetalks.push as push_module
from ls_helpers import make_doc, task_ids
from peacetalks.errors import LabelStudioError
from peacetalks.model import Entity, Layers, Span
from peacetalks.push import push

pytestmark = pytest.mark.labelstudio

DOCS = [make_doc(f"d{i}", f"Rubio met Fidan in Antalya, talk number {i}.") for i in range(1, 6)]


def one_entity(doc):
    return [("rules-test-v1", Layers((Entity("p1", Span(0, 5, doc.text[:5]), "PERSON"),)))]


def test_next_chunk_is_prelabelled_while_the_import_runs(ls, ls_project, taxonomy, monkeypatch):
    # chunk sizes double from FIRST_CHUNK up to IMPORT_CHUNK: d1 | d2 d3 | d4 d5
    monkeypatch.setattr(push_module, "FIRST_CHUNK", 1)
    monkeypatch.setattr(push_module, "IMPORT_CHUNK", 3)
    second_chunk_started = threading.Event()
    events: list[str] = []
    sizes: list[int] = []

    def prelabeler(doc):
        events.append(f"prelabel {doc.doc_id}")
        if doc.doc_id == "d3":
            second_chunk_started.set()
        return one_entity(doc)

    real_call = ls.call

    def call(what, fn, *args, **kwargs):
        if not what.startswith("import"):
            return real_call(what, fn, *args, **kwargs)
        events.append("import start")
        sizes.append(len(kwargs["request"]))
        result = real_call(what, fn, *args, **kwargs)
        events.append("import end")
        return result

    def on_response(response):
        # Runs once Label Studio has answered, before the import call returns. Sequential code
        # would pre-annotate d3 only after the first import returned: this would time out.
        if response.request.url.path.endswith("/import") and sizes == [1]:
            events.append(f"overlapped={second_chunk_started.wait(timeout=20)}")

    monkeypatch.setattr(ls, "call", call)
    monkeypatch.setattr(ls.http, "event_hooks", {"request": [], "response": [on_response]})
    report = push(ls, ls_project.id, DOCS, taxonomy, prelabeler, progress=False)
    assert report.created == ["d1", "d2", "d3", "d4", "d5"] and report.predictions == 5
    assert "overlapped=True" in events and sizes == [1, 2, 2]
    assert events.index("prelabel d3") < events.index("import end")
    # ... but not before the first request was on its way (the SDK encodes it in Python)
    assert events.index("import start") < events.index("prelabel d3")
    assert ls.http.event_hooks["request"] == []  # push removed its hook
    # the prelabeler saw each document once, in order
    assert [e.split()[1] for e in events if e.startswith("prelabel")] == [d.doc_id for d in DOCS]
    assert sorted(task_ids(ls, ls_project.id)) == ["d1", "d2", "d3", "d4", "d5"]
    pred = list(ls.sdk.predictions.list(task=task_ids(ls, ls_project.id)["d4"]))
    assert [p.model_version for p in pred] == ["rules-test-v1"]


def test_failure_in_a_later_chunk_keeps_earlier_chunks_and_rerun_completes(
        ls, ls_project, taxonomy, monkeypatch):
    monkeypatch.setattr(push_module, "IMPORT_CHUNK", 2)

    def failing(doc):
        if doc.doc_id == "d4":
            raise LabelStudioError("rule failure on d4")
        return one_entity(doc)

    with pytest.raises(LabelStudioError, match="rule failure on d4"):
        push(ls, ls_project.id, DOCS, taxonomy, failing, progress=False)
    # chunk 1 was imported; chunk 2 (d3 d4) failed as a whole; chunk 3 was never sent
    assert sorted(task_ids(ls, ls_project.id)) == ["d1", "d2"]

    seen: list[str] = []
    report = push(ls, ls_project.id, DOCS, taxonomy,
                  lambda doc: seen.append(doc.doc_id) or one_entity(doc), progress=False)
    assert report.created == ["d3", "d4", "d5"] and report.unchanged == 2
    assert seen == ["d3", "d4", "d5"]
    assert sorted(task_ids(ls, ls_project.id)) == ["d1", "d2", "d3", "d4", "d5"]
    again = push(ls, ls_project.id, DOCS, taxonomy, one_entity, progress=False)
    assert again.created == [] and again.unchanged == 5


def test_failed_import_stops_the_push_and_sends_nothing_after(ls, ls_project, taxonomy,
                                                              monkeypatch):
    monkeypatch.setattr(push_module, "IMPORT_CHUNK", 2)
    real_call = ls.call
    imports = []

    def call(what, fn, *args, **kwargs):
        if what.startswith("import"):
            imports.append(what)
            if len(imports) == 2:
                raise LabelStudioError("server gone")
        return real_call(what, fn, *args, **kwargs)

    monkeypatch.setattr(ls, "call", call)
    with pytest.raises(LabelStudioError, match="server gone"):
        push(ls, ls_project.id, DOCS, taxonomy, one_entity, progress=False)
    assert len(imports) == 2
    assert sorted(task_ids(ls, ls_project.id)) == ["d1", "d2"]
