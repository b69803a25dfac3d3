"""Which pre-annotation a pulled pass started from.

Label Studio's export gives an annotation's `parent_prediction` as an id only; the prediction's
`model_version` (the rule set or model that made it) is what provenance needs, so pull looks
it up here and records it as the pass's `from_prediction`.
"""

from __future__ import annotations

from .ls_client import LS

PER_TASK_PREDICTIONS = 20  # up to this many tasks: list predictions per task, else per project


def prediction_versions(ls: LS, project_id: int, task_ids: set[int]) -> dict[int, str]:
    """Prediction id -> model_version for the predictions of `task_ids`, to name the rule set
    or model behind the pre-annotations a pass started from (the export carries prediction
    ids only). The project-wide list returns every prediction with its regions, so it is
    used only when many tasks need it; pulls remember versions already seen (pull state)."""
    if len(task_ids) <= PER_TASK_PREDICTIONS:
        preds = [p for t in sorted(task_ids) for p in ls.call(
            f"list predictions of task {t}", ls.sdk.predictions.list, task=t)]
    else:
        preds = ls.call(f"list predictions of project {project_id}",
                        ls.sdk.predictions.list, project=project_id)
    return {int(p.id): p.model_version or f"prediction {p.id} (no model_version)"
            for p in preds if p.id is not None}


def parent_prediction(annotation: dict) -> int | None:
    parent = annotation.get("parent_prediction")
    if isinstance(parent, dict):  # an export with expanded predictions
        parent = parent.get("id")
    return None if parent is None else int(parent)


def tasks_needing_versions(chunk: list[dict], versions: dict[int, str]) -> set[int]:
    return {int(t["id"]) for t in chunk for a in t.get("annotations") or []
            if (p := parent_prediction(a)) is not None and p not in versions}
