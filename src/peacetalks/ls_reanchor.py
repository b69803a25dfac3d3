"""`peacetalks ls reanchor`: move a task and its annotations onto a document's new clean text.

The alignment itself is peacetalks.reanchor (map_spans / reanchor_annotations). This module
reads the task fresh from Label Studio (so edits made since the last pull are not overwritten),
maps every pass, and only when EVERY changed document maps cleanly (or --force) writes:
1. each annotation's result in Label Studio (still valid offsets for the new text only),
2. the predictions: the old ones (anchored to the old text) are deleted, new ones created,
3. the task's data (text + text_sha256) LAST, so that an interrupted run is visible as a task
   whose data still has the old sha256 (push reports it again); running reanchor again finishes
   it (annotations that already fit the new text are taken as they are),
4. annotations/<doc_id>.json, all files in one batch.
"""

from __future__ import annotations

from .convert import layers_to_results
from .errors import LabelStudioError
from .fsio import file_batch
from .ls_client import LS
from .model import Document, DocumentAnnotations
from .paths import Repo
from .pull import export_tasks, pseudonym_key, task_annotations
from .push import Prelabeler, iter_tasks, task_data
from .reanchor import ReanchorRefused, ReanchorReport, reanchor_annotations
from .taxonomy import Taxonomy


def reanchor_tasks(ls: LS, project_id: int, repo: Repo, docs: list[Document], tax: Taxonomy,
                   force: bool = False, prelabeler: Prelabeler | None = None
                   ) -> list[ReanchorReport]:
    by_doc = {d.doc_id: d for d in docs}
    changed: list[tuple[int, Document]] = []
    for task in iter_tasks(ls, project_id, include="id,data"):
        doc = by_doc.get((task.get("data") or {}).get("doc_id"))
        if doc is not None and task["data"].get("text_sha256") != doc.text_sha256:
            changed.append((int(task["id"]), doc))
    if not changed:
        return []

    key = pseudonym_key(repo)
    exported = {t["id"]: t for t in export_tasks(ls, project_id, [tid for tid, _ in changed])}
    plans, reports, refused = [], [], []
    for task_id, doc in changed:
        task = exported.get(task_id)
        if task is None:
            raise LabelStudioError(f"task {task_id} ({doc.doc_id}) vanished during reanchor")
        try:
            got, error = task_annotations(task, tax, key), None
        except LabelStudioError as exc:
            got, error = None, exc
        # Offsets that fit the old text only with repairs (or not at all) but the new text
        # exactly: an earlier run moved the annotations and stopped. Finish its steps.
        resumed = (_moved_by_an_interrupted_run(task, doc, tax, key)
                   if error is not None or (got is not None and got[0].repairs) else None)
        if error is not None and resumed is None:
            raise error
        if resumed is not None:
            plans.append((task_id, doc, resumed))
            reports.append(ReanchorReport(doc.doc_id, str(task["data"].get("text_sha256")),
                                          doc.text_sha256, applied=True,
                                          consequences=["resumed an interrupted reanchor: the "
                                                        "annotations had already been moved"]))
            continue
        if got is None:  # nothing annotated yet: only the task's text moves
            plans.append((task_id, doc, None))
            reports.append(ReanchorReport(doc.doc_id, str(task["data"].get("text_sha256")),
                                          doc.text_sha256, applied=True))
            continue
        try:
            new_ann, report = reanchor_annotations(got[0], task["data"]["text"], doc.text,
                                                   force=force)
        except ReanchorRefused as exc:
            refused.append(exc.report)
            continue
        plans.append((task_id, doc, new_ann))
        reports.append(report)
    if refused:
        raise LabelStudioError(
            "re-anchoring refused, nothing was changed:\n"
            + "\n".join(r.summary() for r in refused)
            + "\nRerun with --force to drop the spans listed (each is reported).")

    for task_id, doc, new_ann in plans:
        where = f"task {task_id} ({doc.doc_id})"
        for p in new_ann.passes if new_ann is not None else ():
            ls.call(f"{where}: update annotation {p.ls_annotation_id}", ls.sdk.annotations.update,
                    id=p.ls_annotation_id, result=layers_to_results(p.layers, tax))
        for pred in ls.call(f"{where}: list predictions", lambda: list(
                ls.sdk.predictions.list(task=task_id))):
            ls.call(f"{where}: delete stale prediction {pred.id}", ls.sdk.predictions.delete,
                    id=pred.id)
        for version, layers in prelabeler(doc) if prelabeler is not None else ():
            ls.call(f"{where}: create prediction", ls.sdk.predictions.create, task=task_id,
                    result=layers_to_results(layers, tax), model_version=version,
                    idempotent=False)
        ls.call(f"{where}: update task text", ls.sdk.tasks.update, id=task_id,
                data=task_data(doc))
    with file_batch() as batch:
        for _, doc, new_ann in plans:
            if new_ann is not None:
                batch.write_json(repo.annotation_file(doc.doc_id), new_ann.to_dict())
    return reports


def _moved_by_an_interrupted_run(task: dict, doc: Document, tax: Taxonomy,
                                 key: bytes) -> DocumentAnnotations | None:
    """The task's annotations read against the NEW text, when they fit it exactly: a reanchor
    that stopped after step 1 (annotations updated) but before step 3 (task text). Without
    this, every later run would refuse the task, its offsets matching neither text."""
    try:
        got = task_annotations({**task, "data": {**task["data"], "text": doc.text}}, tax, key)
    except LabelStudioError:
        return None
    return None if got is None or got[0].repairs else got[0]
