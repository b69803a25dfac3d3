"""Push and pull against the REAL Label Studio server (session fixture `ls_server`)."""

from __future__ import annotations

from pathlib import Path

import os
import re
import signal

import httpx
import pytest

from ls_helpers import add_docs, annotate, make_doc, snapshot, task_ids
from peacetalks.errors import LabelStudioError
from peacetalks.fsio import read_json
from peacetalks.ls_client import LS, RetryPolicy
from peacetalks.ls_server import listening_pid
from peacetalks.model import DocumentAnnotations, Entity, Event, EventArgument, Layers, Quote, Span
from peacetalks.pull import pull
from peacetalks.push import push

pytestmark = pytest.mark.labelstudio

TEXTS = {
    "d1": "Rubio said the talks in Istanbul would go ahead on Thursday.",
    "d2": "Zelensky 🇺🇦 met Erdoğan in Ankara.\r\nThey agreed on a ceasefire 😀.",
    "d3": "Witkoff 見 Putin in Moscow on Friday.",
}


def sp(text: str, sub: str) -> Span:
    s = text.index(sub)
    return Span(s, s + len(sub), sub)


def layers_d1() -> Layers:
    t = TEXTS["d1"]
    ents = (Entity("e1", sp(t, "Rubio"), "PERSON"), Entity("e2", sp(t, "Istanbul"), "GPE"),
            Entity("e3", sp(t, "Thursday"), "DATE"))
    quote = Quote("q1", sp(t, "the talks in Istanbul would go ahead on Thursday"), "INDIRECT",
                  "e1", sp(t, "said"), "c1")
    event = Event("v1", sp(t, "talks"), "CONSULT", "PLANNED",
                  (EventArgument("PLACE", "e2"), EventArgument("TIME", "e3")))
    return Layers(ents, (quote,), (event,))


def entity_only(doc_id: str, sub: str, label: str, rid: str = "x1") -> Layers:
    return Layers((Entity(rid, sp(TEXTS[doc_id], sub), label),))


@pytest.fixture
def pushed(ls, ls_project, ls_repo, taxonomy):
    docs = [make_doc(d, t) for d, t in TEXTS.items()]
    add_docs(ls_repo, docs)
    push(ls, ls_project.id, docs, taxonomy, progress=False)
    return task_ids(ls, ls_project.id)


def test_server_is_ours_on_its_port(ls_server):
    assert listening_pid(ls_server.port) == ls_server.pid
    assert httpx.get(f"{ls_server.base_url}/health").status_code == 200
    log = ls_server.log_path.read_text(errors="replace")
    assert ls_server.api_key not in log and ls_server.password not in log


def test_push_twice_creates_nothing_and_predictions_are_not_annotations(
        ls, ls_project, ls_repo, taxonomy):
    docs = [make_doc(d, t) for d, t in TEXTS.items()]
    calls = []

    def prelabeler(doc):
        calls.append(doc.doc_id)
        return [("rules-test-v1", Layers((Entity("p1", Span(0, 5, doc.text[:5]), "PERSON"),)))]

    first = push(ls, ls_project.id, docs, taxonomy, prelabeler, progress=False)
    assert sorted(first.created) == ["d1", "d2", "d3"] and first.predictions == 3
    second = push(ls, ls_project.id, docs, taxonomy, prelabeler, progress=False)
    assert second.created == [] and second.unchanged == 3 and second.changed == []
    assert calls == ["d1", "d2", "d3"]  # nothing re-predicted either
    ids = task_ids(ls, ls_project.id)
    assert sorted(ids) == ["d1", "d2", "d3"]
    task = ls.sdk.tasks.get(id=ids["d2"])
    assert task.data == {"text": TEXTS["d2"], "title": "Title of d2", "doc_id": "d2",
                         "text_sha256": docs[1].text_sha256}
    assert (task.total_annotations, task.total_predictions) == (0, 1)
    (pred,) = list(ls.sdk.predictions.list(task=ids["d2"]))
    assert pred.model_version == "rules-test-v1"
    # A pull finds no human annotation in predictions.
    report = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert report.written == [] and list(ls_repo.annotations_dir.glob("*.json")) == []


def test_changed_text_is_reported(ls, ls_project, pushed, taxonomy):
    changed = make_doc("d1", TEXTS["d1"].replace("Thursday", "Friday"))
    report = push(ls, ls_project.id, [changed], taxonomy, progress=False)
    assert report.created == []
    assert [(c.doc_id, c.task_id, c.current_sha256) for c in report.changed] == [
        ("d1", pushed["d1"], changed.text_sha256)]


def test_round_trip_with_relations_and_ls_ids(ls, ls_project, ls_repo, pushed, taxonomy):
    ann_id = annotate(ls, pushed["d1"], layers_d1(), taxonomy)
    report = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert report.full and report.written == ["d1"]
    got = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("d1")))
    (p,) = got.passes
    assert p.layers.to_dict() == layers_d1().to_dict()
    assert p.ls_annotation_id == ann_id and got.ls_task_id == pushed["d1"]
    assert p.lead_time == 12.5 and p.created_at.endswith("Z") and p.ground_truth is False
    assert re.fullmatch(r"ann-[0-9a-f]{8}", p.annotator)
    assert got.gold is not None and got.gold.to_dict() == layers_d1().to_dict()
    assert got.gold_source == f"single-pass:{p.annotator}"
    q = got.gold.quotes[0]
    assert (q.speaker, q.cue.text, q.cue_id) == ("e1", "said", "c1")
    assert {(a.role, a.entity) for a in got.gold.events[0].arguments} == {("PLACE", "e2"),
                                                                         ("TIME", "e3")}


def test_incremental_pull_sees_update_and_deletions_and_nothing_else(
        ls, ls_project, ls_repo, pushed, taxonomy):
    a1 = annotate(ls, pushed["d1"], entity_only("d1", "Rubio", "PERSON"), taxonomy)
    a2 = annotate(ls, pushed["d2"], entity_only("d2", "Zelensky", "PERSON"), taxonomy)
    annotate(ls, pushed["d3"], entity_only("d3", "Putin", "PERSON"), taxonomy)
    first = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert first.full and sorted(first.written) == ["d1", "d2", "d3"]
    assert first.seconds > 0  # the CLI prints it
    d3_before = ls_repo.annotation_file("d3").read_bytes()

    again = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert not again.full and again.exported == 0 and again.written == [] == again.removed

    from peacetalks.convert import layers_to_results
    ls.sdk.annotations.update(id=a1, result=layers_to_results(
        entity_only("d1", "Istanbul", "GPE"), taxonomy))
    ls.sdk.annotations.delete(id=a2)
    report = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert not report.full and report.exported == 2
    assert report.written == ["d1"] and report.removed == ["d2"]
    d1 = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("d1")))
    assert [(e.span.text, e.label) for e in d1.passes[0].layers.entities] == [("Istanbul", "GPE")]
    assert d1.passes[0].ls_annotation_id == a1
    assert not ls_repo.annotation_file("d2").exists()
    assert ls_repo.annotation_file("d3").read_bytes() == d3_before

    ls.sdk.tasks.delete(id=pushed["d3"])
    report = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert report.exported == 0 and report.removed == ["d3"]
    assert sorted(p.name for p in ls_repo.annotations_dir.glob("*.json")) == ["d1.json"]


def test_skipped_passes_are_counted_not_stored(ls, ls_project, ls_repo, pushed, taxonomy):
    ls.sdk.annotations.create(id=pushed["d2"], result=[], was_cancelled=True)
    annotate(ls, pushed["d2"], entity_only("d2", "Ankara", "GPE"), taxonomy)
    pull(ls, ls_project.id, ls_repo, taxonomy)
    got = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("d2")))
    assert got.skipped == 1 and len(got.passes) == 1


def test_two_annotators_are_pseudonyms_and_no_personal_data(
        ls, ls_project, ls_repo, pushed, taxonomy):
    email, first, last = "maria.kovalenko@example.org", "Maria", "Kovalenko"
    user = ls.sdk.users.create(email=email, username="mkovalenko", first_name=first,
                               last_name=last, password="annotator-pass-123")
    annotate(ls, pushed["d1"], layers_d1(), taxonomy)
    annotate(ls, pushed["d1"], entity_only("d1", "Rubio", "PERSON", rid="m1"), taxonomy,
             user_id=user.id)
    report = pull(ls, ls_project.id, ls_repo, taxonomy)
    got = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("d1")))
    names = {p.annotator for p in got.passes}
    assert len(got.passes) == 2 and len(names) == 2
    assert all(re.fullmatch(r"ann-[0-9a-f]{8}", n) for n in names)
    # Stable: a full re-pull derives the same pseudonyms.
    pull(ls, ls_project.id, ls_repo, taxonomy, full=True)
    again = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("d1")))
    assert {p.annotator for p in again.passes} == names
    # Two passes, no ground truth: no gold, disagreements listed for adjudication.
    assert got.gold is None and report.disagreements.get("d1", 0) > 0
    # No email, name or user name anywhere we write: annotations/ and the export cache.
    admin = ls.sdk.users.whoami()
    for folder in (ls_repo.annotations_dir, ls_repo.state_dir):
        for path, data in snapshot(folder).items():
            blob = data.decode("utf-8", errors="replace")
            for secret in (email, first, last, "mkovalenko", admin.email, ls.http.headers.get(
                    "Authorization", "") or "never-set"):
                assert secret not in blob, f"{secret!r} found in {path}"
            assert "@" not in blob, f"an email-like string in {path}"


def test_pull_in_many_export_chunks_equals_one_export(
        ls, ls_project, ls_repo, pushed, taxonomy, monkeypatch, tmp_path):
    """An incremental pull exports in chunks, fetching the next while converting this one;
    the files must be byte-identical to a full pull's (one export of every task)."""
    import shutil

    import peacetalks.pull as pull_module
    annotate(ls, pushed["d1"], layers_d1(), taxonomy)
    annotate(ls, pushed["d2"], entity_only("d2", "Zelensky", "PERSON"), taxonomy)
    pull(ls, ls_project.id, ls_repo, taxonomy, full=True)
    full_files = snapshot(ls_repo.annotations_dir)

    shutil.rmtree(ls_repo.state_dir)
    for path in ls_repo.annotations_dir.glob("*.json"):
        path.unlink()
    pull_module.save_state(ls_repo, ls, ls_project.id, {"tasks": {}, "docs": {}})
    monkeypatch.setattr(pull_module, "EXPORT_CHUNK", 1)
    chunks = []
    real = pull_module.export_chunks
    monkeypatch.setattr(pull_module, "export_chunks",
                        lambda *a: (chunks.append(c) or c for c in real(*a)))
    report = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert not report.full and report.exported == 3 and sorted(report.written) == ["d1", "d2"]
    assert [[t["id"] for t in c] for c in chunks] == [[i] for i in sorted(pushed.values())]
    assert snapshot(ls_repo.annotations_dir) == full_files


def test_failed_first_pull_writes_not_even_the_pseudonym_key(
        ls, ls_project, ls_repo, pushed, taxonomy):
    ls_repo.pseudonym_key_file.unlink(missing_ok=True)
    ls.sdk.annotations.create(id=pushed["d1"], result=[{
        "id": "bad1", "from_name": "entity", "to_name": "text", "type": "labels",
        "value": {"start": 0, "end": 5, "text": "Rubio", "labels": ["WIZARD"]}}])
    with pytest.raises(LabelStudioError):
        pull(ls, ls_project.id, ls_repo, taxonomy)
    assert not ls_repo.pseudonym_key_file.exists()
    assert list(ls_repo.annotations_dir.glob("*.json")) == []


def test_a_pass_started_from_a_prediction_names_its_model_version(
        ls, ls_project, ls_repo, pushed, taxonomy):
    """Provenance: a pass the annotator began from a pre-annotation says which rule set or
    model made it; a pass made from scratch says nothing, and its file has no such key."""
    from peacetalks.convert import layers_to_results
    results = layers_to_results(entity_only("d1", "Rubio", "PERSON"), taxonomy)
    pred = ls.sdk.predictions.create(task=pushed["d1"], result=results,
                                     model_version="entity-rules@test-7")
    annotate(ls, pushed["d1"], entity_only("d1", "Rubio", "PERSON"), taxonomy,
             parent_prediction=pred.id)
    annotate(ls, pushed["d2"], entity_only("d2", "Zelensky", "PERSON"), taxonomy)
    report = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert sorted(report.written) == ["d1", "d2"]
    d1 = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("d1")))
    d2 = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("d2")))
    assert d1.passes[0].from_prediction == "entity-rules@test-7"
    assert d2.passes[0].from_prediction is None
    assert "from_prediction" not in ls_repo.annotation_file("d2").read_text()


def test_one_pre_annotator_names_every_pass_without_listing_predictions(
        ls, ls_project, ls_repo, pushed, taxonomy, monkeypatch):
    """A project whose predictions all carry one model_version: that version is proven by the
    project's counts, and the predictions (with all their regions) are never listed."""
    from peacetalks.convert import layers_to_results

    def no_listing(**kwargs):
        raise AssertionError(f"predictions listed: {kwargs}")

    parents = {}
    for d, word in (("d1", "Rubio"), ("d2", "Zelensky")):
        layers = entity_only(d, word, "PERSON")
        pred = ls.sdk.predictions.create(task=pushed[d], result=layers_to_results(layers, taxonomy),
                                         model_version="rules@3")
        parents[d] = pred.id
        annotate(ls, pushed[d], layers, taxonomy, parent_prediction=pred.id)
    monkeypatch.setattr(ls.sdk.predictions, "list", no_listing)
    pull(ls, ls_project.id, ls_repo, taxonomy)
    for d in parents:
        assert read_json(ls_repo.annotation_file(d))["passes"][0]["from_prediction"] == "rules@3"
    # the pull state remembers them by prediction id
    from peacetalks.pull import load_state
    state = load_state(ls_repo, ls, ls_project.id)
    assert state["predictions"] == {str(p): "rules@3" for p in parents.values()}


@pytest.mark.parametrize("second_version", ["rules@10", None])  # two versions; one missing
@pytest.mark.parametrize("per_task_limit", [20, 0])  # per-task lists, or one project-wide list
def test_prediction_versions_are_looked_up_once_and_remembered(
        ls, ls_project, ls_repo, pushed, taxonomy, monkeypatch, per_task_limit, second_version):
    """With more than one version (or a prediction without one) the counts cannot name a
    prediction: the predictions are listed, once; later pulls take the names from their state."""
    import peacetalks.ls_predictions as lp
    from peacetalks.convert import layers_to_results
    monkeypatch.setattr(lp, "PER_TASK_PREDICTIONS", per_task_limit)
    results = layers_to_results(entity_only("d1", "Rubio", "PERSON"), taxonomy)
    pred = ls.sdk.predictions.create(task=pushed["d1"], result=results, model_version="rules@9")
    other = layers_to_results(entity_only("d2", "Zelensky", "PERSON"), taxonomy)
    pred2 = ls.sdk.predictions.create(task=pushed["d2"], result=other,
                                      **({"model_version": second_version} if second_version else {}))
    a1 = annotate(ls, pushed["d1"], entity_only("d1", "Rubio", "PERSON"), taxonomy,
                  parent_prediction=pred.id)
    annotate(ls, pushed["d2"], entity_only("d2", "Zelensky", "PERSON"), taxonomy,
             parent_prediction=pred2.id)
    pull(ls, ls_project.id, ls_repo, taxonomy)
    assert read_json(ls_repo.annotation_file("d1"))["passes"][0]["from_prediction"] == "rules@9"
    assert read_json(ls_repo.annotation_file("d2"))["passes"][0]["from_prediction"] == (
        second_version or f"prediction {pred2.id} (no model_version)")

    # The annotation changes, the task is exported again: the version comes from the pull
    # state, with no new prediction lookup.
    def no_lookup(**kwargs):
        raise AssertionError(f"predictions listed again: {kwargs}")

    monkeypatch.setattr(ls.sdk.predictions, "list", no_lookup)
    ls.sdk.annotations.update(id=a1, result=layers_to_results(
        entity_only("d1", "Istanbul", "GPE"), taxonomy))
    report = pull(ls, ls_project.id, ls_repo, taxonomy)
    assert report.written == ["d1"]
    d1 = read_json(ls_repo.annotation_file("d1"))["passes"][0]
    assert d1["from_prediction"] == "rules@9" and d1["entities"][0]["text"] == "Istanbul"


def test_unknown_label_in_label_studio_is_refused_and_writes_nothing(
        ls, ls_project, ls_repo, pushed, taxonomy):
    annotate(ls, pushed["d3"], entity_only("d3", "Putin", "PERSON"), taxonomy)
    pull(ls, ls_project.id, ls_repo, taxonomy)
    before = snapshot(ls_repo.annotations_dir)
    ls.sdk.annotations.create(id=pushed["d1"], result=[{
        "id": "bad1", "from_name": "entity", "to_name": "text", "type": "labels",
        "value": {"start": 0, "end": 5, "text": "Rubio", "labels": ["WIZARD"]}}])
    with pytest.raises(LabelStudioError) as err:
        pull(ls, ls_project.id, ls_repo, taxonomy)
    assert f"task {pushed['d1']}" in str(err.value) and "bad1" in str(err.value)
    assert "'WIZARD'" in str(err.value)
    assert snapshot(ls_repo.annotations_dir) == before


def test_server_killed_mid_pull_leaves_annotations_unchanged(
        disposable_ls_server, labeling_config, ls_repo, taxonomy):
    server = disposable_ls_server
    ls = LS(server.base_url, server.api_key, retry=RetryPolicy(attempts=3, initial=0.1))
    project = ls.ensure_project("kill-test", labeling_config)
    docs = [make_doc(d, t) for d, t in TEXTS.items()]
    push(ls, project, docs, taxonomy, progress=False)
    ids = task_ids(ls, project)
    a1 = annotate(ls, ids["d1"], entity_only("d1", "Rubio", "PERSON"), taxonomy)
    annotate(ls, ids["d2"], entity_only("d2", "Zelensky", "PERSON"), taxonomy)
    pull(ls, project, ls_repo, taxonomy)
    from peacetalks.convert import layers_to_results
    ls.sdk.annotations.update(id=a1, result=layers_to_results(
        entity_only("d1", "Istanbul", "GPE"), taxonomy))
    annotate(ls, ids["d3"], entity_only("d3", "Putin", "PERSON"), taxonomy)
    before = snapshot(ls_repo.annotations_dir)
    state_before = ls_repo.pull_state_file.read_bytes()
    assert len(before) >= 2

    real_call = ls.call

    def call_then_die(what, fn, *args, **kwargs):
        if what.startswith("export"):  # the listing went through; now the server dies
            os.killpg(server.pid, signal.SIGKILL)
        return real_call(what, fn, *args, **kwargs)

    ls.call = call_then_die
    with pytest.raises(LabelStudioError) as err:
        pull(ls, project, ls_repo, taxonomy)
    assert "export" in str(err.value) and "after 3 attempts" in str(err.value)
    assert snapshot(ls_repo.annotations_dir) == before
    # The pull state did not advance either: the next pull re-reads the same tasks.
    assert ls_repo.pull_state_file.read_bytes() == state_before


def test_busy_port_fails_instead_of_moving(ls_server, tmp_path):
    import socket

    from peacetalks.ls_server import start_server

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(LabelStudioError, match=f"port {port} .*already in use"):
            start_server(tmp_path / "busy", ls_server.credentials, port=port, timeout=120)


def test_real_rule_prelabeler_predictions(ls, ls_project, ls_repo, taxonomy):
    import shutil

    from peacetalks.push import rule_prelabeler

    root = Path(__file__).resolve().parents[1]
    shutil.copy(root / "annotations" / "entity_patterns.yaml", ls_repo.entity_patterns_file)
    docs = [make_doc(d, t) for d, t in TEXTS.items()]
    report = push(ls, ls_project.id, docs, taxonomy, rule_prelabeler(taxonomy, ls_repo),
                  progress=False)
    assert report.predictions >= 1
    ids = task_ids(ls, ls_project.id)
    preds = [p for d in ids.values() for p in ls.sdk.predictions.list(task=d)]
    assert preds and all(p.model_version.startswith("rules-") for p in preds)
    from peacetalks.convert import results_to_layers
    for p in preds:  # what we sent is valid against the schema and the text
        task = ls.sdk.tasks.get(id=p.task)
        results_to_layers(p.result, task.data["text"], taxonomy, f"prediction {p.id}")
    assert all(ls.sdk.tasks.get(id=t).total_annotations == 0 for t in ids.values())
