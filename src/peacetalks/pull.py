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
from dataclasses import dataclass, field
from typing import Any

from .convert import results_to_layers
from .errors import LabelStudioError
from .fsio import atomic_write_bytes, atomic_write_text, dumps_json, file_batch, read_json, write_json
from .ls_client import LS
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


def load_state(repo: Repo, ls: LS, project_id: int) -> dict[str, dict[str, str]] | None:
    """{"tasks": task id -> updated_at, "docs": task id -> doc_id} as of the last pull from
    this server and project, or None when never pulled from here."""
    try:
        state = read_json(repo.pull_state_file).get(_state_key(ls, project_id))
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(state, dict) or not isinstance(state.get("tasks"), dict):
        return None
    return {"tasks": state["tasks"], "docs": state.get("docs") or {}}


def save_state(repo: Repo, ls: LS, project_id: int, state: dict[str, dict[str, str]]) -> None:
    try:
        data = read_json(repo.pull_state_file)
    except (OSError, ValueError):
        data = {}
    data[_state_key(ls, project_id)] = {
        part: dict(sorted(state[part].items(), key=lambda kv: int(kv[0]))) for part in state}
    write_json(repo.pull_state_file, data)


# --- export ------------------------------------------------------------------------------


def export_tasks(ls: LS, project_id: int, ids: list[int] | None,
                 raw: list[bytes] | None = None) -> list[dict]:
    """Full JSON export (relations survive only in this format) of `ids`, or of every task.
    The response bodies are appended to `raw` when given (for the local snapshot)."""
    def fetch(params: dict[str, Any]) -> list[dict]:
        def go() -> bytes:
            return b"".join(ls.sdk.projects.exports.download_sync(
                id=project_id, export_type="JSON", download_all_tasks=True,
                request_options={"additional_query_parameters": params} if params else None))
        body = ls.call(f"export tasks of project {project_id}", go)
        if raw is not None:
            raw.append(body)
        return json.loads(body)

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


def write_snapshot(repo: Repo, project_id: int, exported: list[dict], raw: list[bytes]) -> None:
    """The raw export, for debugging, in the git-ignored cache; personal fields stripped."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = repo.ls_export_cache / f"project-{project_id}-{stamp}.json"
    if len(raw) == 1 and not PERSONAL_FIELD.search(raw[0]):
        atomic_write_bytes(path, raw[0])  # the default export holds user ids only: as received
    else:
        atomic_write_bytes(path, json.dumps(scrub(exported), ensure_ascii=False).encode())


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


def _file_task(repo: Repo, doc_id: str) -> tuple[bytes | None, int | None]:
    """(current bytes, ls_task_id) of annotations/<doc_id>.json, (None, None) if absent."""
    path = repo.annotation_file(doc_id)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    try:
        return data, json.loads(data).get("ls_task_id")
    except (ValueError, AttributeError) as exc:
        raise LabelStudioError(f"{path}: not a valid annotation file ({exc})") from exc


def pull(ls: LS, project_id: int, repo: Repo, tax: Taxonomy, full: bool = False) -> PullReport:
    started = time.perf_counter()
    known = load_state(repo, ls, project_id)
    full = full or known is None
    report = PullReport(project_id, full)

    raw: list[bytes] = []
    if full:
        # The full export holds every task with its updated_at: it is the listing too.
        exported = export_tasks(ls, project_id, None, raw)
        listing = {str(t["id"]): str(t["updated_at"]) for t in exported}
    else:
        listing = {str(t["id"]): str(t["updated_at"])
                   for t in iter_tasks(ls, project_id, include="id,updated_at")}
        moved = sorted(int(t) for t, at in listing.items() if known["tasks"].get(t) != at)
        exported = export_tasks(ls, project_id, moved, raw) if moved else []
    report.listed, report.exported = len(listing), len(exported)
    # ---- nothing is written above this line; everything below works on what we hold ----

    docs_of = dict(known["docs"]) if known else {}
    key = pseudonym_key(repo)
    new_files: dict[str, DocumentAnnotations | None] = {}
    current: dict[str, bytes | None] = {}
    owner: dict[str, int] = {}
    for task in sorted(exported, key=lambda t: t["id"]):
        got = task_annotations(task, tax, key)
        doc_id, task_id = task["data"]["doc_id"], int(task["id"])
        docs_of[str(task_id)] = doc_id
        current[doc_id], other_task = _file_task(repo, doc_id)
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

    # Tasks pulled from this project before that are gone now: their files go too (git keeps
    # the history). Files of tasks never seen here are left alone.
    for task_id in [t for t in docs_of if t not in listing]:
        doc_id = docs_of.pop(task_id)
        if doc_id not in owner:
            current[doc_id], file_task = _file_task(repo, doc_id)
            if file_task == int(task_id):
                new_files[doc_id] = None

    if exported:
        write_snapshot(repo, project_id, exported, raw)
    with file_batch() as batch:
        for doc_id, ann in sorted(new_files.items()):
            path = repo.annotation_file(doc_id)
            if ann is None:
                if current.get(doc_id) is not None:
                    batch.delete(path)
                    report.removed.append(doc_id)
                continue
            data = dumps_json(ann.to_dict()).encode("utf-8")
            if current.get(doc_id) != data:
                batch.write_bytes(path, data)
                report.written.append(doc_id)
    save_state(repo, ls, project_id, {"tasks": listing, "docs": docs_of})
    report.seconds = time.perf_counter() - started
    return report
