"""Rows `ls_push` and `ls_pull` against a real Label Studio (peacetalks.ls_server) in a temp dir.

ls_push: `peacetalks.push.push` of N synthetic documents into an empty project, with the
project's rule pre-annotator (what `peacetalks ls push` does), against ONE bare
`projects.import_tasks` call carrying exactly the same task items (data + the same
predictions, computed untimed) into another empty project.

ls_pull: a project holding N annotated tasks is prepared untimed by importing the tasks with
inline annotations (bulk; creating them one by one runs at ~30/s). Then `peacetalks.pull.pull`
(full: listing, export, conversion, checks, one file per document) into an empty annotations/
against ONE bare `projects.exports.download_sync` of the same project (all bytes read).
"""

from __future__ import annotations

import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from xml.sax.saxutils import quoteattr

from peacetalks.convert import layers_to_results
from peacetalks.ls_client import LS
from peacetalks.ls_server import Credentials, start_server, stop_server
from peacetalks.ls_venv import ensure_server_venv
from peacetalks.paths import Repo
from peacetalks.pull import pull
from peacetalks.push import push, rule_prelabeler, task_data
from peacetalks.taxonomy import Taxonomy

from .harness import Row, best_of_setup, ratio_row
from .repo import ROOT
from .synth import SyntheticCorpus

IMPORT_CHUNK = 2000  # preparing the pull project: bounded requests


def labeling_config(tax: Taxonomy) -> str:
    """schema/generated/labeling_config.xml when the schema stage has generated it; otherwise
    the same conventions built from the taxonomy (the team brief's Label Studio section)."""
    generated = ROOT / "schema" / "generated" / "labeling_config.xml"
    if generated.is_file():
        return generated.read_text(encoding="utf-8")

    def labels(name: str, values: list[str]) -> str:
        inner = "".join(f"<Label value={quoteattr(v)}/>" for v in values)
        return f'<Labels name="{name}" toName="text">{inner}</Labels>'

    def choices(name: str, values: list[str], tag: str, label: str | None = None) -> str:
        inner = "".join(f"<Choice value={quoteattr(v)}/>" for v in values)
        when = f" whenLabelValue={quoteattr(label)}" if label else ""
        return (f'<View visibleWhen="region-selected" whenTagName="{tag}"{when}>'
                f'<Choices name="{name}" toName="text" perRegion="true" choice="single">'
                f"{inner}</Choices></View>")

    relations = "".join(f"<Relation value={quoteattr(r)}/>" for r in tax.relation_names)
    return ('<View><Header value="$title"/>'
            + labels("entity", tax.entity_labels)
            + labels("attribution", [tax.quote_label, tax.cue_label])
            + labels("event", tax.event_type_names)
            + '<Text name="text" value="$text"/>'
            + f"<Relations>{relations}</Relations>"
            + choices("quote_kind", tax.quote_kind_names, "attribution", tax.quote_label)
            + choices("realis", tax.realis_names, "event")
            + "</View>")


@contextmanager
def label_studio(data_dir: Path, log=print) -> Iterator[LS]:
    """A real server on a free loopback port with a fresh data dir; stopped afterwards."""
    shutil.rmtree(data_dir, ignore_errors=True)
    log("label studio: starting a server in a temp data dir ...")
    handle = start_server(data_dir, Credentials.generate("bench@peacetalks.local"),
                          executable=ensure_server_venv(quiet=True))
    try:
        with LS(handle.base_url, handle.api_key, timeout=1800.0) as ls:
            yield ls
    finally:
        stop_server(handle)
        shutil.rmtree(data_dir, ignore_errors=True)


def _project(ls: LS, config: str, what: str) -> int:
    return ls.ensure_project(f"bench-{what}-{secrets.token_hex(4)}", config)


def _delete_project(ls: LS, pid: int) -> None:
    ls.call(f"delete project {pid}", ls.sdk.projects.delete, id=pid)


def bench_push(ls: LS, corpus: SyntheticCorpus, tax: Taxonomy, n: int, repeat: int,
               log=print) -> list[Row]:
    config = labeling_config(tax)
    docs = [corpus.document(i)[0] for i in range(n)]
    prelabeler = rule_prelabeler(tax, Repo(ROOT))
    items: list[dict[str, Any]] = []
    n_preds = 0
    for doc in docs:  # the payload push sends, built untimed for the anchor
        item: dict[str, Any] = {"data": task_data(doc)}
        preds = [{"model_version": v, "result": layers_to_results(layers, tax)}
                 for v, layers in prelabeler(doc)]
        if preds:
            item["predictions"] = preds
            n_preds += len(preds)
        items.append(item)

    state: dict[str, int] = {}
    created: list[int] = []

    def new_project(side: str) -> None:
        for pid in created:  # keep the database small: earlier repeats are not needed
            _delete_project(ls, pid)
        created.clear()
        state[side] = _project(ls, config, side)
        created.append(state[side])

    def project_push() -> None:
        report = push(ls, state["push"], docs, tax, prelabeler, progress=False)
        assert len(report.created) == n, report

    def bare_import() -> None:
        r = ls.sdk.projects.import_tasks(id=state["anchor"], request=items, return_task_ids=True)
        assert len(r.task_ids or []) == n

    log(f"ls_push: {n} tasks, {n_preds} predictions ...")
    t_push = t_anchor = float("inf")
    for k in range(max(1, repeat)):  # alternate the order: the database grows as we go
        sides = [("anchor", bare_import), ("push", project_push)]
        for side, fn in (sides if k % 2 == 0 else sides[::-1]):
            t = best_of_setup(lambda side=side: new_project(side), fn, 1)
            if side == "push":
                t_push = min(t_push, t)
            else:
                t_anchor = min(t_anchor, t)
    for pid in created:
        _delete_project(ls, pid)
    log(f"ls_push: push {t_push:.2f}s, bare import {t_anchor:.2f}s")
    return [ratio_row("ls_push", t_push, "one projects.import_tasks call, same items", t_anchor,
                      1.3, note=f"{n} tasks with {n_preds} rule predictions "
                                 "(pre-annotation computed inside push, untimed for the anchor)")]


def _pull_repo(root: Path) -> Repo:
    shutil.rmtree(root, ignore_errors=True)
    (root / "schema").mkdir(parents=True)
    shutil.copy(ROOT / "schema" / "taxonomy.yaml", root / "schema" / "taxonomy.yaml")
    (root / "annotations").mkdir()
    (root / "corpus" / "clean").mkdir(parents=True)
    return Repo(root)


def bench_pull(ls: LS, corpus: SyntheticCorpus, tax: Taxonomy, n: int, repeat: int,
               work: Path, log=print) -> list[Row]:
    config = labeling_config(tax)
    pid = _project(ls, config, "pull")
    log(f"ls_pull: preparing {n} annotated tasks (bulk import with inline annotations) ...")
    for lo in range(0, n, IMPORT_CHUNK):
        items = []
        for i in range(lo, min(n, lo + IMPORT_CHUNK)):
            doc, ann = corpus.document(i)
            items.append({"data": task_data(doc), "annotations": [
                {"result": layers_to_results(ann.gold, tax), "lead_time": 60.0}]})
        ls.sdk.projects.import_tasks(id=pid, request=items, return_task_ids=True)
    # Every pull goes into a new, empty repository; the old ones are deleted after timing.
    # Deleting 10k files just before a timed pull would bill the pull for the disk's discard
    # work (this machine: creating 10k files takes 0.45 s normally, 3-6 s right after 10k
    # deletions), which is not the pull's cost.
    repos: list[Repo] = []

    def new_repo() -> None:
        repos.append(_pull_repo(work / f"pull-repo-{len(repos)}"))

    result: dict[str, Any] = {}

    def project_pull() -> None:
        result["report"] = pull(ls, pid, repos[-1], tax, full=True)

    def bare_export() -> None:
        size = 0
        for chunk in ls.sdk.projects.exports.download_sync(id=pid, export_type="JSON",
                                                          download_all_tasks=True):
            size += len(chunk)
        result["bytes"] = size

    t_pull = t_anchor = float("inf")
    for k in range(max(1, repeat)):
        sides = [("anchor", bare_export), ("pull", project_pull)]
        for side, fn in (sides if k % 2 == 0 else sides[::-1]):
            t = best_of_setup(new_repo, fn, 1)
            if side == "pull":
                t_pull = min(t_pull, t)
            else:
                t_anchor = min(t_anchor, t)
    report = result["report"]
    assert len(report.written) == n and repos[-1].pseudonym_key_file.is_file(), report
    for repo in repos:
        shutil.rmtree(repo.root)
    _delete_project(ls, pid)
    log(f"ls_pull: pull {t_pull:.2f}s, bare export {t_anchor:.2f}s")
    return [ratio_row(
        "ls_pull", t_pull, "one projects.exports.download_sync (JSON, all tasks)", t_anchor, 1.3,
        note=f"{n} annotated tasks, {report.passes} passes, export {result['bytes'] / 1e6:.1f} MB,"
             f" {len(report.written)} files written")]
