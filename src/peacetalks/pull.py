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
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from .convert import results_to_layers
from .errors import LabelStudioError
from .fsio import atomic_write_text, file_batch, read_json, write_json
from .ls_client import LS
from .model import AnnotatorPass, DocumentAnnotations, sha256_text
from .paths import Repo
from .progress import progress_bar
from .push import iter_tasks
from .store import load_annotations
from .taxonomy import Taxonomy

EXPORT_CHUNK = 500  # task ids per export request in incremental pulls
PERSONAL_KEYS = frozenset({"email", "first_name", "last_name", "username", "avatar", "initials",
                           "phone", "name"})
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


def pseudonym_key(repo: Repo) -> bytes:
    path = repo.pseudonym_key_file
    if not path.is_file():
        atomic_write_text(path, secrets.token_hex(16) + "\n")
    return path.read_text().strip().encode()


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


def load_state(repo: Repo, ls: LS, project_id: int) -> dict[str, str] | None:
    """task id (str) -> updated_at at the last pull, or None when never pulled from here."""
    try:
        return read_json(repo.pull_state_file).get(_state_key(ls, project_id))
    except (OSError, ValueError):
        return None


def save_state(repo: Repo, ls: LS, project_id: int, tasks: dict[str, str]) -> None:
    try:
        data = read_json(repo.pull_state_file)
    except (OSError, ValueError):
        data = {}
    data[_state_key(ls, project_id)] = dict(sorted(tasks.items(), key=lambda kv: int(kv[0])))
    write_json(repo.pull_state_file, data)


# --- export ------------------------------------------------------------------------------


def export_tasks(ls: LS, project_id: int, ids: list[int] | None) -> list[dict]:
    """Full JSON export (relations survive only in this format) of `ids`, or of every task."""
    def fetch(params: dict[str, Any]) -> list[dict]:
        def go() -> list[dict]:
            chunks = ls.sdk.projects.exports.download_sync(
                id=project_id, export_type="JSON", download_all_tasks=True,
                request_options={"additional_query_parameters": params} if params else None)
            return json.loads(b"".join(chunks))
        return ls.call(f"export tasks of project {project_id}", go)

    if ids is None:
        return fetch({})
    out: list[dict] = []
    with progress_bar("Exporting tasks", len(ids)) as advance:
        for i in range(0, len(ids), EXPORT_CHUNK):
            chunk = ids[i : i + EXPORT_CHUNK]
            # The SDK's `ids=` is ignored by the server, which reads `ids[]`.
            out.extend(t for t in fetch({"ids[]": chunk}) if t["id"] in set(chunk))
            advance(len(chunk))
    return out


# --- conversion --------------------------------------------------------------------------


def task_annotations(
    task: dict, tax: Taxonomy, key: bytes
) -> tuple[DocumentAnnotations, list] | None:
    """One exported task -> (its annotation file's content, disagreements to adjudicate);
    None when nothing was submitted."""
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
        passes.append(AnnotatorPass(
            annotator=pseudonym(ann.get("completed_by"), key),
            ls_annotation_id=int(ann["id"]),
            created_at=str(ann.get("created_at")),
            updated_at=str(ann.get("updated_at")),
            lead_time=ann.get("lead_time"),
            ground_truth=bool(ann.get("ground_truth")),
            layers=layers,
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


def pull(ls: LS, project_id: int, repo: Repo, tax: Taxonomy, full: bool = False) -> PullReport:
    started = time.perf_counter()
    known = load_state(repo, ls, project_id)
    full = full or known is None
    report = PullReport(project_id, full)

    listing = {str(t["id"]): str(t["updated_at"])
               for t in iter_tasks(ls, project_id, include="id,updated_at")}
    report.listed = len(listing)
    if full:
        exported = export_tasks(ls, project_id, None)
    else:
        moved = sorted(int(t) for t, at in listing.items() if known.get(t) != at)
        exported = export_tasks(ls, project_id, moved) if moved else []
    report.exported = len(exported)

    existing = load_annotations(repo)
    file_of_task = {a.ls_task_id: doc_id for doc_id, a in existing.items() if a.ls_task_id}
    key = pseudonym_key(repo)
    new_files: dict[str, DocumentAnnotations | None] = {}
    owner: dict[str, int] = {}
    for task in sorted(exported, key=lambda t: t["id"]):
        got = task_annotations(task, tax, key)
        doc_id, task_id = task["data"]["doc_id"], int(task["id"])
        prev = existing.get(doc_id)
        other_task = prev.ls_task_id if prev is not None else None
        if got is None:
            # Nothing submitted (any more): remove the file only if it came from this task.
            if doc_id not in owner and other_task in (None, task_id):
                new_files[doc_id] = None
            continue
        if doc_id in owner or (other_task not in (None, task_id) and str(other_task) in listing):
            raise LabelStudioError(
                f"document {doc_id} has two annotated tasks in Label Studio "
                f"({owner.get(doc_id, other_task)} and {task_id}); delete one there, then pull")
        owner[doc_id] = task_id
        ann, disagreements = got
        new_files[doc_id] = ann
        report.passes += len(ann.passes)
        report.skipped += ann.skipped
        report.repairs += len(ann.repairs)
        if disagreements:
            report.disagreements[doc_id] = len(disagreements)

    # Tasks we pulled from this project before that are gone now: their files go too (git
    # keeps the history). Files of tasks never seen here are left alone.
    for task_id, doc_id in file_of_task.items():
        if str(task_id) not in listing and str(task_id) in (known or {}) and doc_id not in owner:
            new_files[doc_id] = None

    if exported:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        write_json(repo.ls_export_cache / f"project-{project_id}-{stamp}.json", scrub(exported))
    with file_batch() as batch:
        for doc_id, ann in sorted(new_files.items()):
            path = repo.annotation_file(doc_id)
            if ann is None:
                if path.exists():
                    batch.delete(path)
                    report.removed.append(doc_id)
                continue
            before = existing.get(doc_id)
            if before is None or before.to_dict() != ann.to_dict():
                batch.write_json(path, ann.to_dict())
                report.written.append(doc_id)
    save_state(repo, ls, project_id, listing)
    report.seconds = time.perf_counter() - started
    return report
