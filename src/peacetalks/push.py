"""Push cleaned documents to Label Studio as tasks, with rule-based pre-annotations.

- A task's identity is `data.doc_id`: documents whose doc_id already has a task are not pushed
  again (Label Studio itself does not deduplicate), so running push twice creates nothing.
- New tasks go in bulk imports, with their pre-annotations inline as *predictions* (each with the
  `model_version` of its rule set): one request per chunk instead of one `predictions.create` per
  task, and predictions never count as human annotations. Pre-annotating chunk k+1 overlaps
  the import of chunk k (a worker thread).
- A document whose cleaned text changed since its task was pushed (data.text_sha256 differs) is
  reported, not touched: `peacetalks ls reanchor` moves the task and its annotations.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
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
# The first chunk is small and the sizes double up to IMPORT_CHUNK: the first import starts
# after pre-annotating FIRST_CHUNK documents instead of a full chunk (the only pre-annotation
# the pipeline cannot hide). Measured: 8 imports of 250 tasks take as long as one of 2000.
FIRST_CHUNK = 100
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
    # One automaton for every literal pattern and gold string, built once for the whole push.
    matcher = rules_module.EntityMatcher.build(rules, gold_index)
    return lambda doc: rules_module.prelabel(doc, gold_index, tax, rules, matcher=matcher)


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

    def build_items(chunk: list[Document]) -> tuple[list[dict[str, Any]], int]:
        items, n_predictions = [], 0
        for doc in chunk:
            item: dict[str, Any] = {"data": task_data(doc)}
            if prelabeler is not None:
                preds = [{"model_version": version, "result": layers_to_results(layers, tax)}
                         for version, layers in prelabeler(doc)]
                if preds:
                    item["predictions"] = preds
                    n_predictions += len(preds)
            items.append(item)
        return items, n_predictions

    chunks, lo, size = [], 0, min(FIRST_CHUNK, IMPORT_CHUNK)
    while lo < len(new_docs):
        chunks.append(new_docs[lo : lo + size])
        lo, size = lo + size, min(2 * size, IMPORT_CHUNK)
    # Pipeline: the next chunk is pre-annotated in a worker thread while this one is imported
    # (Label Studio is another process and the HTTP wait releases the GIL), so a push takes
    # about max(pre-annotation, import) instead of their sum. The worker starts once the
    # request is on the wire (an httpx request hook): before that, the SDK is encoding the
    # chunk in Python in this thread, and running both at once would only slow both (GIL).
    # One worker: the prelabeler sees the documents in order, one at a time. Each chunk is
    # still one all-or-nothing import, sent in order; a failure stops the push after the
    # chunks already imported, exactly as without the pipeline, and a rerun pushes only what
    # is missing (doc_id is the identity).
    sent = threading.Event()

    def build_once_sent(chunk: list[Document]) -> tuple[list[dict[str, Any]], int]:
        sent.wait()
        return build_items(chunk)

    def on_request(request: Any) -> None:
        sent.set()

    hooks = ls.http.event_hooks
    ls.http.event_hooks = {**hooks, "request": [*hooks.get("request", []), on_request]}
    with progress_bar("Pushing tasks", len(new_docs) if progress else 0) as advance, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="prelabel") as pool:
        pending: Future | None = pool.submit(build_items, chunks[0]) if chunks else None
        try:
            for k, chunk in enumerate(chunks):
                assert pending is not None
                items, n_predictions = pending.result()  # re-raises the prelabeler's error
                sent.clear()
                if k + 1 < len(chunks):
                    pending = pool.submit(build_once_sent, chunks[k + 1])
                else:
                    pending = None
                what = f"import {len(chunk)} tasks into project {project_id}"
                result = ls.call(what, ls.sdk.projects.import_tasks, id=project_id,
                                 request=items, return_task_ids=True, idempotent=False)
                sent.set()  # in case no request hook ran
                if len(result.task_ids or []) != len(chunk):
                    raise LabelStudioError(f"{what}: Label Studio created "
                                           f"{len(result.task_ids or [])} tasks, expected {len(chunk)}")
                report.created.extend(d.doc_id for d in chunk)
                report.predictions += n_predictions
                advance(len(chunk))
        finally:
            ls.http.event_hooks = hooks
            if pending is not None:
                pending.cancel()  # a failed import: do not pre-annotate what will not be sent
            sent.set()  # never leave the worker waiting (the pool waits for it on exit)
    report.seconds = time.perf_counter() - started
    return report
