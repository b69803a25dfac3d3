"""A real corpus article in the browser, opened with every rule suggestion in place.

The other browser tests use short texts. Annotators work on pages like this one: the longest
committed cleaned document (about 4 KB, 40 lines) pushed by `peacetalks ls push` with the rule
pre-annotator's prediction (about a hundred regions: entities, quotes and their cues). The page
must show exactly the prediction's regions; the person corrects it the way the committed gold
of this document says (delete a suggestion the gold does not have, or any one when the rules
agree with the gold; add an entity the rules missed, deep down the page inside a suggested quote), relabels one region, and submits. The
pull must hold exactly "prediction - deleted + added" (with the relabel), name the rule set
it started from, and validate.

The gold propagation rule learns from the committed gold of the OTHER documents (their
annotation files are copied; the documents are not, so they are not pushed), as in the real
repository; this document's own gold is read from the repository only to choose the edits.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from labeling_page import LabelingPage
from ls_helpers import add_docs, task_ids
from release_fixtures import make_repo
from test_browser_annotation import run_cli

from peacetalks.convert import results_to_layers
from peacetalks.fsio import write_json
from peacetalks.model import Entity, Layers, Span
from peacetalks.paths import Repo
from peacetalks.prelabel import rule_of
from peacetalks.push import rule_prelabeler
from peacetalks.store import load_annotations, load_document
from peacetalks.validate import validate_repo

pytestmark = [pytest.mark.browser, pytest.mark.labelstudio]

ROOT = Path(__file__).resolve().parents[2]


def longest_clean_document():
    docs = [load_document(p) for p in sorted((ROOT / "corpus" / "clean").glob("*.json"))]
    assert docs, "no committed cleaned documents"
    return max(docs, key=lambda d: (len(d.text), d.doc_id))


def page_regions(results: list[dict]) -> set[tuple[str, int, int]]:
    """(label, start, end) of every labelled span of a prediction's result items."""
    return {(item["value"]["labels"][0], item["value"]["start"], item["value"]["end"])
            for item in results if item.get("type") == "labels"}


def box(e: Entity) -> tuple[str, int, int]:
    return (e.label, e.span.start, e.span.end)


def overlaps(span: Span, others) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


def shown(lp: LabelingPage) -> set[tuple[str, int, int]]:
    regions = lp.regions()
    found = {(r.label, r.start, r.end) for r in regions}
    assert len(found) == len(regions), f"a region is on the page twice: {regions}"
    return found


def wait_until_shown(lp: LabelingPage, expected: set, timeout: float = 60.0) -> None:
    """Poll until the page shows exactly `expected` (highlights render after the text)."""
    deadline = time.monotonic() + timeout
    while (found := shown(lp)) != expected and time.monotonic() < deadline:
        lp.page.wait_for_timeout(20)
    assert found == expected, (
        f"on the page, not expected: {sorted(found - expected)}; "
        f"expected, not on the page: {sorted(expected - found)}")


def test_annotator_corrects_a_real_article_with_all_rule_suggestions(
    page, ls_server, ls, ls_project, tmp_path, taxonomy, capsys, lap
):
    doc = longest_clean_document()
    text = doc.text
    committed = load_annotations(Repo(ROOT))
    # The test repository: the real schema and validation project, this document (with its
    # committed split), the rules file and annotator registry, and the OTHER documents' gold
    # (gold propagation learns from it; those documents are not copied, so not pushed).
    repo = make_repo(tmp_path)
    add_docs(repo, [doc])
    for name in ("entity_patterns.yaml", "annotators.yaml"):
        shutil.copy(ROOT / "annotations" / name, repo.annotations_dir / name)
    split = json.loads((ROOT / "corpus" / "splits.json").read_text(encoding="utf-8"))[doc.doc_id]
    write_json(repo.splits_file, {doc.doc_id: split})
    others = sorted(d for d in committed if d != doc.doc_id)
    assert others, "no other annotated document to propagate gold from"
    for doc_id in others:
        shutil.copy(ROOT / "annotations" / f"{doc_id}.json", repo.annotation_file(doc_id))

    # What the pre-annotator makes of the document in this repository (the push's own code),
    # then the real push, which must have sent exactly that as the task's one prediction.
    ((version, suggested),) = rule_prelabeler(taxonomy, repo)(doc)
    assert {rule_of(e.id) for e in suggested.entities} == {"entity-patterns", "gold-propagation"}
    assert suggested.quotes, "the rules suggest no quote on this article"
    out = run_cli(repo.root, ls_server, ls_project.title, "ls", "push")
    assert "1 task(s) created" in out, out
    task = task_ids(ls, ls_project.id)[doc.doc_id]
    (prediction,) = ls.sdk.predictions.list(task=task)
    assert prediction.model_version == version
    sent, repairs = results_to_layers(prediction.result, text, taxonomy, "prediction")
    assert sent.to_dict() == suggested.to_dict() and not repairs
    expected = page_regions(prediction.result)
    # One region per entity, per quote and per cue (quotes may share a cue).
    cues = {q.cue_id for q in suggested.quotes if q.cue_id is not None}
    assert len(expected) == len(suggested.entities) + len(suggested.quotes) + len(cues)
    lap("push")

    # The corrections, chosen from this document's committed gold: the first suggestion the
    # gold does not have and that overlaps none of its entities (a word the guidelines leave
    # unlabelled), and the last gold entity no suggestion covers even in part (far down the
    # page). The gold agrees with every suggested label, so the relabel is the person's own
    # call on a region low on the page. None of them is a quote's speaker: quotes stay as
    # suggested.
    gold = committed[doc.doc_id].gold
    gold_boxes = {box(e) for e in gold.entities}
    speakers = {q.speaker for q in suggested.quotes}
    # When the rules agree with the gold everywhere, the person deletes the first suggestion
    # that is not a speaker: what the pull must then hold is computed the same way.
    candidates = [e for e in suggested.entities if e.id not in speakers]
    wrong = next((e for e in candidates if box(e) not in gold_boxes
                  and not overlaps(e.span, [g.span for g in gold.entities])), candidates[0])
    missing = [g for g in gold.entities
               if not overlaps(g.span, [e.span for e in suggested.entities])]
    assert missing, "the rules found every gold entity: nothing for the person to add"
    add = missing[-1]
    relabel = [e for e in suggested.entities if e.label == "GPE" and e.id not in speakers][-1]
    new_label = "LOC"

    lp = LabelingPage(page, ls_server.base_url)
    lp.login(ls_server.email, ls_server.password)
    lap.restart()
    lp.open_task(ls_project.id, task, text)
    lap("open the article: text rendered")
    wait_until_shown(lp, expected)
    lap(f"open the article: all {len(expected)} suggested regions rendered")

    lp.delete_region(lp.find(*box(wrong)))
    relabelled = lp.change_label(lp.find(*box(relabel)), new_label)
    assert relabelled.id == relabel.id
    added = lp.add_region(add.label, add.span.start, add.span.end)
    edited = expected - {box(wrong), box(relabel)} | {
        (new_label, relabel.span.start, relabel.span.end), box(add)}
    assert shown(lp) == edited
    lp.submit()
    lap("delete + relabel + add + submit")

    out = run_cli(repo.root, ls_server, ls_project.title, "ls", "pull")
    assert "1 file(s) written" in out, out
    pulled = load_annotations(repo)[doc.doc_id]
    (pass_,) = pulled.passes
    assert pass_.from_prediction == version
    want = Layers(
        entities=tuple(
            Entity(e.id, e.span, new_label) if e.id == relabel.id else e
            for e in suggested.entities if e.id != wrong.id
        ) + (Entity(added.id, add.span, add.label),),
        quotes=suggested.quotes,
        events=suggested.events,
    )
    assert pass_.layers.to_dict() == want.to_dict()
    assert pulled.gold is not None and pulled.gold.to_dict() == want.to_dict()
    assert pulled.repairs == ()
    for doc_id in others:  # the gold the rules learnt from is left alone
        assert repo.annotation_file(doc_id).read_bytes() == \
            (ROOT / "annotations" / f"{doc_id}.json").read_bytes()
    lap("pull")

    # The new pseudonym is declared as a maintainer does after a first pull; then nothing is
    # wrong with this document. The only errors are the copied gold files, whose documents
    # this repository deliberately lacks.
    with repo.annotations_dir.joinpath("annotators.yaml").open("a", encoding="utf-8") as f:
        f.write(f"{pass_.annotator}:\n  kind: synthetic\n  description: Browser e2e test.\n")
    report = validate_repo(repo, write_reports=False)
    mine = [str(i) for i in report.incidents if i.doc_id == doc.doc_id]
    assert mine == [], "\n".join(mine)
    assert {(i.check_id, i.doc_id) for i in report.errors} == {
        ("annotations.unknown-document", d) for d in others}, "\n".join(map(str, report.errors))
    lap("validate")

    # The submitted pass, reopened, renders as it was left.
    lp.open_task(ls_project.id, task, text)
    wait_until_shown(lp, edited)
    lap(f"reopen the submitted pass: all {len(edited)} regions rendered")

    with capsys.disabled():
        print(f"\nreal article {doc.doc_id} ({len(text)} characters, {text.count(chr(10)) + 1} "
              f"lines, {len(expected)} suggested regions): deleted {box(wrong)}, relabelled "
              f"{box(relabel)} -> {new_label}, added {box(add)}; timings (s): "
              f"{json.dumps(lap.timings)}")
