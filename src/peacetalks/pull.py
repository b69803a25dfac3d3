"""Pull annotations from Label Studio into annotations/<doc_id>.json.

- Incremental by default: the task list (ids + updated_at only) is compared with the
  updated_at of every task at the last pull; only tasks that moved (or are new) are exported.
  Creating, updating, skipping or deleting an annotation bumps the task's updated_at, so a
  re-exported task's file is rebuilt whole and deleted annotations disappear with it. Comparing
  per task (not `updated_at > watermark`) is exact: no boundary or clock issues.
- A task that was known at the last pull and is gone has its file removed (git history keeps
  it); the report lists it. Without pull state (fresh clone) the first pull is a full one.
- Pull state is local (.peacetalks/ls-pull-state.json, keyed by server and project): it is an
  optimisation only; everything else is derived from Label Studio and annotations/.
- The export is Label Studio's default JSON, where `completed_by` is a numeric user id: emails
  and names are never requested. Annotators become "ann-" + a keyed hash of that id (key in
  annotations/.pseudonym-key, tracked, so every clone derives the same pseudonyms; the id is
  meaningful only to admins of the Label Studio server).
- Every network call happens before anything is written; files are then replaced all together
  (fsio.file_batch), so a failure anywhere leaves annotations/ exactly as it was.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterator

from .convert import results_to_layers
from .errors import LabelStudioError
from .gcpause import gc_paused
from .fsio import (atomic_write_bytes, atomic_write_text, dumps_json_bytes, file_batch, loads_json,
                   read_json, write_json)
from .ls_client import LS
from .ls_predictions import parent_prediction, prediction_versions, tasks_needing_versions
from .model import AnnotatorPass, DocumentAnnotations, sha256_text
from .paths import Repo
from .progress import progress_bar
from .push import iter_tasks
from .taxonomy import Taxonomy

EXPORT_CHUNK = 500  # task ids per export request in incremental pulls
PERSONAL_KEYS = frozenset({"email", "first_name", "last_name", "username", "avatar", "initials",
                           "phone", "name"})
PERSONAL_FIELD = re.compile(rb'"(?:%s)"\s*:' % b"|".join(k.encode() for k in PERSONAL_KEYS))
LAYERS = ("entities", "quotes", "events")


@dataclass
class PullReport:
    project_id: int
    full: bool
    listed: int = 0
    exported: int = 0  # tasks re-read
    written: list[str] = field(default_factory=list)  # doc_ids whose file changed
    removed: list[str] = field(default_factory=list)  # doc_ids whose file was deleted
    passes: int = 0
    skipped: int = 0
    repairs: int = 0
    disagreements: dict[str, int] = field(default_factory=dict)  # doc_id -> count, no gold yet
    seconds: float = 0.0


# --- pseudonyms --------------------------------------------------------------------------


def pseudonym_key(repo: Repo, create: bool = True) -> bytes | None:
    """The key of the annotators' pseudonyms; a new one is written when there is none (None
    is returned instead when create is False)."""
    path = repo.pseudonym_key_file
    if not path.is_file():
        if not create:
            return None
        atomic_write_text(path, new_pseudonym_key().decode() + "\n")
    return path.read_text().strip().encode()


def new_pseudonym_key() -> bytes:
    return secrets.token_hex(16).encode()


def pseudonym(user_id: Any, key: bytes) -> str:
    if isinstance(user_id, dict):  # an export serialised with user objects: keep the id only
        user_id = user_id.get("id")
    if user_id is None:
        raise LabelStudioError("an annotation has no completed_by user id; cannot attribute it")
    return "ann-" + hmac.new(key, str(int(user_id)).encode(), hashlib.sha256).hexdigest()[:8]


def scrub(data: Any) -> Any:
    """Drop personal fields (emails, names) wherever they appear, for the local export cache."""
    if isinstance(data, dict):
        return {k: (v.get("id") if isinstance(v, dict) and k in ("completed_by", "created_by",
                                                                  "updated_by") else scrub(v))
                for k, v in data.items() if k not in PERSONAL_KEYS}
    if isinstance(data, list):
        return [scrub(x) for x in data]
    return data


# --- state -----------------------------------------------------------------------------


def _state_key(ls: LS, project_id: int) -> str:
    return f"{ls.base_url}#project={project_id}"


def load_state(repo: Repo, ls: LS, project_id: int) -> dict[str, dict[str, str]] | None:
    """{"tasks": task id -> updated_at, "docs": task id -> doc_id, "predictions": prediction
    id -> model_version} as of the last pull from this server and project, or None when
    never pulled from here."""
    try:
        state = read_json(repo.pull_state_file).get(_state_key(ls, project_id))
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(state, dict) or not isinstance(state.get("tasks"), dict):
        return None
    return {"tasks": state["tasks"], "docs": state.get("docs") or {},
            "predictions": state.get("predictions") or {}}


def save_state(repo: Repo, ls: LS, project_id: int, state: dict[str, dict[str, str]]) -> None:
    try:
        data = read_json(repo.pull_state_file)
    except (OSError, ValueError):
        data = {}
    data[_state_key(ls, project_id)] = {
        part: dict(sorted(state[part].items(), key=lambda kv: int(kv[0]))) for part in state}
    write_json(repo.pull_state_file, data)


# --- export ------------------------------------------------------------------------------


def export_chunks(ls: LS, project_id: int, ids: list[int] | None,
                  raw: list[bytes] | None = None) -> Iterator[list[dict]]:
    """Full JSON export (relations survive only in this format) of `ids` (EXPORT_CHUNK tasks
    per request), or of every task in one request; each chunk sorted by task id. The next chunk
    downloads in a background thread while the caller converts this one: Label Studio
    serialises an export on one core and the conversion runs on the other. Response bodies are
    appended to `raw` when given (for the local snapshot)."""
    def fetch(chunk: list[int] | None) -> list[dict]:
        # The SDK's `ids=` is ignored by the server, which reads `ids[]`.
        params = None if chunk is None else {"additional_query_parameters": {"ids[]": chunk}}

        def go() -> bytes:
            return b"".join(ls.sdk.projects.exports.download_sync(
                id=project_id, export_type="JSON", download_all_tasks=True,
                request_options=params))
        body = ls.call(f"export tasks of project {project_id}", go)
        if raw is not None:
            raw.append(body)
        tasks = loads_json(body)
        if chunk is not None:
            wanted = set(chunk)
            tasks = [t for t in tasks if t["id"] in wanted]
        return sorted(tasks, key=lambda t: t["id"])

    if ids is None:
        yield fetch(None)
        return
    chunks = [ids[i : i + EXPORT_CHUNK] for i in range(0, len(ids), EXPORT_CHUNK)]
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ls-export")
    try:
        with progress_bar("Exporting tasks", len(ids)) as advance:
            ahead = pool.submit(fetch, chunks[0]) if chunks else None
            for k, chunk in enumerate(chunks):
                tasks = ahead.result()
                ahead = pool.submit(fetch, chunks[k + 1]) if k + 1 < len(chunks) else None
                advance(len(chunk))
                yield tasks
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def export_tasks(ls: LS, project_id: int, ids: list[int]) -> list[dict]:
    return [t for chunk in export_chunks(ls, project_id, ids) for t in chunk]


def write_snapshot(repo: Repo, project_id: int, exported: list[dict], raw: list[bytes]) -> None:
    """The raw export, for debugging, in the git-ignored cache; personal fields stripped."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = repo.ls_export_cache / f"project-{project_id}-{stamp}.json"
    if not any(PERSONAL_FIELD.search(body) for body in raw):
        # The default export holds user ids only: the bodies as received, as one JSON array.
        if len(raw) == 1:
            atomic_write_bytes(path, raw[0])
            return
        items = [inner for body in raw if (inner := body.strip()[1:-1].strip())]
        atomic_write_bytes(path, b"[" + b",".join(items) + b"]")
    else:
        atomic_write_bytes(path, json.dumps(scrub(exported), ensure_ascii=False).encode())


# --- conversion --------------------------------------------------------------------------


def task_annotations(
    task: dict, tax: Taxonomy, key: bytes, versions: dict[int, str] | None = None
) -> tuple[DocumentAnnotations, list] | None:
    """One exported task -> (its annotation file's content, disagreements to adjudicate);
    None when nothing was submitted. `versions` (prediction_versions) names the
    pre-annotation a pass started from."""
    data = task.get("data") or {}
    doc_id, text = data.get("doc_id"), data.get("text")
    if not isinstance(doc_id, str) or not isinstance(text, str):
        raise LabelStudioError(f"task {task.get('id')}: data has no doc_id/text string")
    passes, repairs, skipped = [], [], 0
    for ann in sorted(task.get("annotations") or [], key=lambda a: a["id"]):
        if ann.get("was_cancelled"):
            skipped += 1
            continue
        layers, fixed = results_to_layers(ann.get("result") or [], text, tax,
                                          f"task {task['id']} (doc {doc_id}) annotation {ann['id']}",
                                          annotation_id=int(ann["id"]))
        repairs.extend(fixed)
        parent = parent_prediction(ann)
        passes.append(AnnotatorPass(
            annotator=pseudonym(ann.get("completed_by"), key),
            ls_annotation_id=int(ann["id"]),
            created_at=str(ann.get("created_at")),
            updated_at=str(ann.get("updated_at")),
            lead_time=ann.get("lead_time"),
            ground_truth=bool(ann.get("ground_truth")),
            layers=layers,
            from_prediction=None if parent is None else (versions or {}).get(
                parent, f"prediction {parent} (deleted from Label Studio)"),
        ))
    if not passes and not skipped:
        return None
    gold, source, disagreements = _choose_gold(passes)
    return DocumentAnnotations(
        doc_id=doc_id, text_sha256=sha256_text(text), ls_task_id=int(task["id"]),
        passes=tuple(passes), skipped=skipped, gold=gold, gold_source=source,
        status={layer: "done" if gold is not None else "pending" for layer in LAYERS},
        repairs=tuple(repairs),
    ), disagreements


def _choose_gold(passes: list[AnnotatorPass]) -> tuple[Any, str | None, list]:
    try:
        from .agreement import choose_gold
    except ImportError:  # the agreement stage not installed: the documented one-pass rule only
        if len(passes) == 1:
            return passes[0].layers, f"single-pass:{passes[0].annotator}", []
        return None, None, []
    gold, source, disagreements = choose_gold(passes)
    return gold, source, list(disagreements)


# --- pull --------------------------------------------------------------------------------


def _file_task(repo: Repo, doc_id: str) -> tuple[bytes | None, int | None]:
    """(current bytes, ls_task_id) of annotations/<doc_id>.json, (None, None) if absent."""
    path = repo.annotation_file(doc_id)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    try:
        return data, loads_json(data).get("ls_task_id")
    except (ValueError, AttributeError) as exc:
        raise LabelStudioError(f"{path}: not a valid annotation file ({exc})") from exc


def pull(ls: LS, project_id: int, repo: Repo, tax: Taxonomy, full: bool = False) -> PullReport:
    started = time.perf_counter()
    with gc_paused():  # see gcpause: the export's objects all stay alive until the end
        report = _pull(ls, project_id, repo, tax, full)
    report.seconds = time.perf_counter() - started
    return report


def _pull(ls: LS, project_id: int, repo: Repo, tax: Taxonomy, full: bool) -> PullReport:
    known = load_state(repo, ls, project_id)
    full = full or known is None
    report = PullReport(project_id, full)

    if full:
        # The full export holds every task with its updated_at: it is the listing too (a
        # separate listing costs Label Studio ~0.7 ms per task, 40% of the export itself).
        listing: dict[str, str] = {}
        wanted = None
    else:
        listing = {str(t["id"]): str(t["updated_at"])
                   for t in iter_tasks(ls, project_id, include="id,updated_at")}
        wanted = sorted(int(t) for t, at in listing.items() if known["tasks"].get(t) != at)

    raw: list[bytes] = []
    exported: list[dict] = []
    docs_of = dict(known["docs"]) if known else {}
    key = pseudonym_key(repo, create=False)
    new_key = key is None  # written with the files, after the last network call
    key = new_pseudonym_key() if key is None else key
    new_files: dict[str, DocumentAnnotations | None] = {}
    current: dict[str, bytes | None] = {}
    owner: dict[str, int] = {}
    # Prediction id -> model_version: known from earlier pulls, fetched when a pass names one
    # not seen yet.
    versions = {int(k): v for k, v in (known or {}).get("predictions", {}).items()}
    # Tasks are converted as their chunk arrives (in task id order) while the next chunk
    # downloads. Conversion only fills new_files: nothing is written before the last network
    # call, and the files are then replaced all together.
    for chunk in export_chunks(ls, project_id, wanted, raw) if full or wanted else ():
        exported.extend(chunk)
        if full:
            listing.update((str(t["id"]), str(t["updated_at"])) for t in chunk)
        if need := tasks_needing_versions(chunk, versions):
            versions.update(prediction_versions(ls, project_id, need))
        for task in chunk:
            got = task_annotations(task, tax, key, versions)
            doc_id, task_id = task["data"]["doc_id"], int(task["id"])
            docs_of[str(task_id)] = doc_id
            current[doc_id], other_task = _file_task(repo, doc_id)
            if got is None:
                # Nothing submitted (any more): remove the file only if it came from this task.
                if doc_id not in owner and other_task in (None, task_id):
                    new_files[doc_id] = None
                continue
            if doc_id in owner or (other_task not in (None, task_id)
                                   and str(other_task) in listing):
                raise LabelStudioError(
                    f"document {doc_id} has two annotated tasks in Label Studio ("
                    f"{owner.get(doc_id, other_task)} and {task_id}); delete one there, then pull")
            owner[doc_id] = task_id
            ann, disagreements = got
            new_files[doc_id] = ann
            report.passes += len(ann.passes)
            report.skipped += ann.skipped
            report.repairs += len(ann.repairs)
            if disagreements:
                report.disagreements[doc_id] = len(disagreements)
    report.listed, report.exported = len(listing), len(exported)

    # Tasks pulled from this project before that are gone now: their files go too (git keeps
    # the history). Files of tasks never seen here are left alone.
    for task_id in [t for t in docs_of if t not in listing]:
        doc_id = docs_of.pop(task_id)
        if doc_id not in owner:
            current[doc_id], file_task = _file_task(repo, doc_id)
            if file_task == int(task_id):
                new_files[doc_id] = None

    # The snapshot (as large as the export) is written by a side thread while the annotation
    # files are prepared: both are mostly I/O.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ls-snapshot") as side:
        snapshot = side.submit(write_snapshot, repo, project_id, exported, raw) if exported else None
        _write_files(repo, new_files, current, report, key if new_key else None)
        if snapshot is not None:
            snapshot.result()
    save_state(repo, ls, project_id, {"tasks": listing, "docs": docs_of,
                                      "predictions": {str(k): v for k, v in versions.items()}})
    return report


def _write_files(repo: Repo, new_files: dict[str, DocumentAnnotations | None],
                 current: dict[str, bytes | None], report: PullReport,
                 new_key: bytes | None) -> None:
    """Replace, add and delete annotation files all together (fsio.file_batch), with the
    pseudonym key when it is new."""
    with file_batch() as batch:
        if new_key is not None:
            batch.write_bytes(repo.pseudonym_key_file, new_key + b"\n")
        for doc_id, ann in sorted(new_files.items()):
            path = repo.annotation_file(doc_id)
            if ann is None:
                if current.get(doc_id) is not None:
                    batch.delete(path)
                    report.removed.append(doc_id)
                continue
            data = dumps_json_bytes(ann.to_dict())
            if current.get(doc_id) != data:
                batch.write_bytes(path, data)
                report.written.append(doc_id)
