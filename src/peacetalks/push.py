"""Push cleaned documents to Label Studio as tasks, with rule-based pre-annotations.

- A task's identity is `data.doc_id`: documents whose doc_id already has a task are not pushed
  again (Label Studio itself does not deduplicate), so running push twice creates nothing.
- New tasks go in bulk imports, with their pre-annotations inline as *predictions* (each with the
  `model_version` of its rule set): one request per chunk instead of one `predictions.create` per
  task, and predictions never count as human annotations.
- A document whose cleaned text changed since its task was pushed (data.text_sha256 differs) is
  reported, not touched: `peacetalks ls reanchor` moves the task and its annotations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .convert import layers_to_results
from .errors import LabelStudioError
from .ls_client import LS
from .model import Document, Layers
from .progress import progress_bar
from .taxonomy import Taxonomy

Prelabeler = Callable[[Document], list[tuple[str, Layers]]]
IMPORT_CHUNK = 1000  # tasks per import request (bounded request size; SQLite lock time)
LIST_PAGE = 1000


@dataclass(frozen=True)
class ChangedText:
    doc_id: str
    task_id: int
    pushed_sha256: str
    current_sha256: str


@dataclass
class PushReport:
    project_id: int
    created: list[str] = field(default_factory=list)  # doc_ids of new tasks
    unchanged: int = 0  # documents already in Label Studio with the same text
    predictions: int = 0
    changed: list[ChangedText] = field(default_factory=list)
    duplicates: dict[str, list[int]] = field(default_factory=dict)  # doc_id -> task ids
    seconds: float = 0.0


def task_data(doc: Document) -> dict[str, Any]:
    return {"text": doc.text, "title": doc.title, "doc_id": doc.doc_id,
            "text_sha256": doc.text_sha256}


def iter_tasks(ls: LS, project_id: int, include: str = "id,data,updated_at") -> Iterator[dict]:
    """Every task of the project (only the `include`d fields), page by page."""
    page, seen = 1, 0
    while True:
        body = ls.request(f"list tasks of project {project_id} (page {page})", "GET",
                          "/api/tasks/", params={"project": project_id, "include": include,
                                                 "page_size": LIST_PAGE, "page": page}).json()
        tasks = body.get("tasks", [])
        yield from tasks
        seen += len(tasks)
        if not tasks or seen >= body.get("total", 0):
            return
        page += 1


def rule_prelabeler(tax: Taxonomy, repo: Any = None) -> Prelabeler:
    """The project's rule-based pre-annotator (peacetalks.prelabel), ready for `push`."""
    try:
        from . import prelabel as rules_module
    except ImportError as exc:  # written by another stage; say so instead of a traceback
        raise LabelStudioError(
            f"pre-annotations need peacetalks.prelabel, which cannot be imported ({exc}); "
            "push with --no-predictions") from exc
    from .paths import Repo
    from .store import load_annotations

    repo = repo or Repo.find()
    rules = rules_module.load_rules(tax, repo.entity_patterns_file)
    gold_index = rules_module.GoldIndex.from_annotations(load_annotations(repo))
    return lambda doc: rules_module.prelabel(doc, gold_index, tax, rules)


def push(ls: LS, project_id: int, docs: list[Document], tax: Taxonomy,
         prelabeler: Prelabeler | None = None, progress: bool = True) -> PushReport:
    started = time.perf_counter()
    report = PushReport(project_id)
    existing: dict[str, list[dict]] = {}
    for task in iter_tasks(ls, project_id, include="id,data"):
        doc_id = (task.get("data") or {}).get("doc_id")
        if doc_id is not None:
            existing.setdefault(str(doc_id), []).append(task)

    new_docs = []
    for doc in docs:
        tasks = existing.get(doc.doc_id)
        if not tasks:
            new_docs.append(doc)
            continue
        if len(tasks) > 1:
            report.duplicates[doc.doc_id] = sorted(t["id"] for t in tasks)
        task = min(tasks, key=lambda t: t["id"])
        pushed = (task.get("data") or {}).get("text_sha256")
        if pushed != doc.text_sha256:
            report.changed.append(ChangedText(doc.doc_id, task["id"], str(pushed), doc.text_sha256))
        else:
            report.unchanged += 1

    with progress_bar("Pushing tasks", len(new_docs) if progress else 0) as advance:
        for i in range(0, len(new_docs), IMPORT_CHUNK):
            chunk = new_docs[i : i + IMPORT_CHUNK]
            items = []
            for doc in chunk:
                item: dict[str, Any] = {"data": task_data(doc)}
                if prelabeler is not None:
                    preds = [{"model_version": version, "result": layers_to_results(layers, tax)}
                             for version, layers in prelabeler(doc)]
                    if preds:
                        item["predictions"] = preds
                        report.predictions += len(preds)
                items.append(item)
            what = f"import {len(chunk)} tasks into project {project_id}"
            result = ls.call(what, ls.sdk.projects.import_tasks, id=project_id, request=items,
                             return_task_ids=True, idempotent=False)
            if len(result.task_ids or []) != len(chunk):
                raise LabelStudioError(f"{what}: Label Studio created {len(result.task_ids or [])}"
                                       f" tasks, expected {len(chunk)}")
            report.created.extend(d.doc_id for d in chunk)
            advance(len(chunk))
    report.seconds = time.perf_counter() - started
    return report
