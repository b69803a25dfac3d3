"""Which pre-annotation a pulled pass started from.

Label Studio's export gives an annotation's `parent_prediction` as an id only; the prediction's
`model_version` (the rule set or model that made it) is what provenance needs, so pull looks
it up here and records it as the pass's `from_prediction`.

The usual project has one pre-annotator, so every prediction carries the same version. Then two
cheap calls prove it (the project's per-version counts and its prediction total), instead of
listing the predictions: Label Studio's prediction list has no field selection and returns every
prediction's regions (11.5 s for a pre-annotated project of 10k tasks, half the export's time).
"""

from __future__ import annotations

from .ls_client import LS

PER_TASK_PREDICTIONS = 20  # up to this many tasks: list predictions per task, else per project


def parent_prediction(annotation: dict) -> int | None:
    parent = annotation.get("parent_prediction")
    if isinstance(parent, dict):  # an export with expanded predictions
        parent = parent.get("id")
    return None if parent is None else int(parent)


def _task_predictions(task: dict) -> set[int]:
    """Ids of the task's current predictions as exported (ids, or objects when expanded)."""
    return {int(p["id"] if isinstance(p, dict) else p) for p in task.get("predictions") or []}


def tasks_needing_versions(chunk: list[dict], versions: dict[int, str]) -> list[dict]:
    """The exported tasks holding a pass whose parent prediction's version is not known yet."""
    return [t for t in chunk if any((p := parent_prediction(a)) is not None and p not in versions
                                    for a in t.get("annotations") or [])]


def single_model_version(ls: LS, project_id: int) -> str | None:
    """The model_version that every prediction of the project has, or None when there are
    several, or predictions without one (Label Studio's counts skip those: the project's
    prediction total then differs from the counted ones)."""
    counts = ls.request(f"count prediction versions of project {project_id}", "GET",
                        f"/api/projects/{project_id}/model-versions/").json()
    # The project's own default version is listed with 0 when no prediction has it.
    used = {v: n for v, n in counts.items() if n}
    if len(used) != 1:
        return None
    ((version, counted),) = used.items()
    project = ls.call(f"read project {project_id}", ls.sdk.projects.get, id=project_id)
    return version if version and project.total_predictions_number == counted else None


def prediction_versions(ls: LS, project_id: int, tasks: list[dict]) -> dict[int, str]:
    """Prediction id -> model_version for the parent predictions of `tasks`' passes. When each
    parent is one of its own task's current predictions and the project has a single version,
    that version names them all; otherwise the predictions are listed (per task for a few
    tasks; the project-wide list otherwise). Pulls remember versions already seen."""
    parents = {p for t in tasks for a in t.get("annotations") or []
               if (p := parent_prediction(a)) is not None}
    own = set().union(*map(_task_predictions, tasks)) if tasks else set()
    if parents <= own and (version := single_model_version(ls, project_id)) is not None:
        return dict.fromkeys(sorted(parents), version)
    task_ids = sorted({int(t["id"]) for t in tasks})
    if len(task_ids) <= PER_TASK_PREDICTIONS:
        preds = [p for t in task_ids for p in ls.call(
            f"list predictions of task {t}", ls.sdk.predictions.list, task=t)]
    else:
        preds = ls.call(f"list predictions of project {project_id}",
                        ls.sdk.predictions.list, project=project_id)
    return {int(p.id): p.model_version or f"prediction {p.id} (no model_version)"
            for p in preds if p.id is not None}
