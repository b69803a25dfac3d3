"""`ls reanchor`: a document's clean text changed after annotation (real server)."""

from __future__ import annotations

import pytest

from ls_helpers import add_docs, annotate, make_doc, snapshot, task_ids
from peacetalks.errors import LabelStudioError
from peacetalks.fsio import read_json
from peacetalks.ls_reanchor import reanchor_tasks
from peacetalks.model import DocumentAnnotations, Entity, Layers, Quote, Span
from peacetalks.pull import pull
from peacetalks.push import push

pytestmark = pytest.mark.labelstudio

OLD = "Rubio  said on Thursday that talks 😀 in Istanbul were useful."
NEW = "Update: Rubio said on Thursday that talks 😀 in Istanbul were useful."


def sp(text, sub):
    s = text.index(sub)
    return Span(s, s + len(sub), sub)


def layers(text) -> Layers:
    ents = (Entity("e1", sp(text, "Rubio"), "PERSON"), Entity("e2", sp(text, "Istanbul"), "GPE"))
    quote = Quote("q1", sp(text, "talks 😀 in Istanbul were useful"), "INDIRECT", "e1",
                  sp(text, "said"), "c1")
    return Layers(ents, (quote,))


def annotated_and_pulled(ls, project, repo, tax, doc_id: str, text: str,
                         annotation: Layers) -> tuple[int, int]:
    """A pushed task for `text`, annotated once, pulled: (task id, annotation id)."""
    doc = make_doc(doc_id, text)
    add_docs(repo, [doc])
    push(ls, project.id, [doc], tax, progress=False)
    task = task_ids(ls, project.id)[doc_id]
    ann = annotate(ls, task, annotation, tax)
    pull(ls, project.id, repo, tax)
    return task, ann


def test_reanchor_moves_file_task_and_annotation(ls, ls_project, ls_repo, taxonomy):
    task, ann = annotated_and_pulled(ls, ls_project, ls_repo, taxonomy, "ra", OLD, layers(OLD))

    new_doc = make_doc("ra", NEW)
    add_docs(ls_repo, [new_doc])
    assert [c.doc_id for c in push(ls, ls_project.id, [new_doc], taxonomy,
                                   progress=False).changed] == ["ra"]
    (report,) = reanchor_tasks(ls, ls_project.id, ls_repo, [new_doc], taxonomy)
    assert report.applied and not report.unmappable and report.moved > 0

    got = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("ra")))
    assert got.text_sha256 == new_doc.text_sha256
    assert got.passes[0].layers.to_dict() == layers(NEW).to_dict()
    # Label Studio follows: the task holds the new text, the annotation the new offsets.
    t = ls.sdk.tasks.get(id=task)
    assert t.data["text"] == NEW and t.data["text_sha256"] == new_doc.text_sha256
    again = pull(ls, ls_project.id, ls_repo, taxonomy, full=True)
    assert again.repairs == 0
    after = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("ra")))
    assert after.passes[0].ls_annotation_id == ann
    assert after.passes[0].layers.to_dict() == layers(NEW).to_dict()
    assert push(ls, ls_project.id, [new_doc], taxonomy, progress=False).changed == []


def test_reanchor_refuses_unmappable_and_changes_nothing(ls, ls_project, ls_repo, taxonomy):
    task, _ = annotated_and_pulled(ls, ls_project, ls_repo, taxonomy, "rb", OLD, layers(OLD))
    before = snapshot(ls_repo.annotations_dir)

    gone = make_doc("rb", OLD.replace("Istanbul", "Ankara"))
    with pytest.raises(LabelStudioError) as err:
        reanchor_tasks(ls, ls_project.id, ls_repo, [gone], taxonomy)
    assert "Istanbul" in str(err.value) and "nothing was changed" in str(err.value)
    assert snapshot(ls_repo.annotations_dir) == before
    assert ls.sdk.tasks.get(id=task).data["text"] == OLD


# "Rubio" twice: offsets that fit neither text cannot be repaired by a unique text match.
TWICE_OLD = "Rubio  met Rubio's envoy in Istanbul."
TWICE_NEW = "Update: Rubio met Rubio's envoy in Istanbul."


def second_rubio(text) -> Layers:
    s = text.index("Rubio", text.index("Rubio") + 1)
    return Layers((Entity("e1", Span(s, s + 5, "Rubio"), "PERSON"),
                   Entity("e2", sp(text, "Istanbul"), "GPE")))


def test_reanchor_interrupted_before_the_task_text_is_finished_by_a_rerun(
        ls, ls_project, ls_repo, taxonomy, monkeypatch):
    task, _ = annotated_and_pulled(ls, ls_project, ls_repo, taxonomy, "rc", TWICE_OLD,
                                   second_rubio(TWICE_OLD))
    before = snapshot(ls_repo.annotations_dir)

    new_doc = make_doc("rc", TWICE_NEW)
    real_update = ls.sdk.tasks.update

    def dies(**kwargs):
        raise LabelStudioError("connection lost (simulated) while updating the task text")

    monkeypatch.setattr(ls.sdk.tasks, "update", dies)
    with pytest.raises(LabelStudioError, match="simulated"):
        reanchor_tasks(ls, ls_project.id, ls_repo, [new_doc], taxonomy)
    assert snapshot(ls_repo.annotations_dir) == before  # the repository did not move
    assert ls.sdk.tasks.get(id=task).data["text"] == TWICE_OLD  # the annotation in LS did

    monkeypatch.setattr(ls.sdk.tasks, "update", real_update)
    (report,) = reanchor_tasks(ls, ls_project.id, ls_repo, [new_doc], taxonomy)
    assert report.applied and "resumed" in report.consequences[0]
    assert ls.sdk.tasks.get(id=task).data["text"] == TWICE_NEW
    got = DocumentAnnotations.from_dict(read_json(ls_repo.annotation_file("rc")))
    assert got.text_sha256 == new_doc.text_sha256
    assert got.passes[0].layers.to_dict() == second_rubio(TWICE_NEW).to_dict()
