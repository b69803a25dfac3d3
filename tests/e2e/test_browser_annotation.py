"""The annotator's path, end to end, in a real browser against the real Label Studio.

push (the `peacetalks ls push` command) → a person labels in Label Studio's page with
real mouse drags → `peacetalks ls pull` → annotations/ holds exactly what was selected →
the release built from it has the same rows → an edit and a deletion in the browser →
the next pull shows exactly those changes and nothing else. A second test opens a task whose
page starts with the rules' suggestions, corrects them, and checks that the pulled pass names
the rule set it started from.

The texts hold what broke offsets elsewhere: emoji, ZWJ sequences, flags, skin-tone modifiers,
combining marks, CJK, and quotes running across paragraph breaks; several spans start right
after an astral character.
"""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest
from click.testing import CliRunner
from labeling_page import LabelingPage, Region
from ls_helpers import add_docs, make_doc, task_ids
from release_fixtures import make_repo

from peacetalks import ls_local
from peacetalks.build import build_release
from peacetalks.cli import cli
from peacetalks.model import (
    DocumentAnnotations,
    Entity,
    Event,
    EventArgument,
    Layers,
    Quote,
    Span,
)
from peacetalks.store import load_annotations

pytestmark = [pytest.mark.browser, pytest.mark.labelstudio]

TALKS = (
    "Rubio 🇺🇸 met Ukrainian officials in Jeddah 🇸🇦 on Tuesday.\n"
    "\n"
    "“We are ready for peace.\n"
    "\n"
    "But not at any price,” Zelensky 👨‍👩‍👧‍👦 said.\n"
    "🇺🇦Ukraine accepted a 30-day ceasefire 🕊️ proposed by Washington 👏🏽."
)
ENVOY = (
    "China’s special envoy Li Hui 李辉 met Jose\u0301 Manuel Albares in 北京 on 5 May.\n"
    "They discussed the peace plan, Li said, and Beijing would “keep talking” with Kyiv."
)
REJECTED = "Kallas 🇪🇪 criticised the plan.\n\nMoscow rejected it on Friday."
DOCS = {"e2e-talks": TALKS, "e2e-envoy": ENVOY, "e2e-rejected": REJECTED}


def at(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """(start, end) of the n-th occurrence of `needle`: offsets are worked out, never typed."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def span(text: str, region: Region) -> Span:
    return Span(region.start, region.end, text[region.start : region.end])


def run_cli(repo: Path, server, project_title: str, *args: str) -> str:
    """The real `peacetalks` command (click's test runner, in process: a fresh interpreter would
    spend ~10 s importing label_studio_sdk on a loaded CI machine), against the test server."""
    env = {
        "PEACETALKS_ROOT": str(repo),
        "PEACETALKS_LS_URL": server.base_url,
        "PEACETALKS_LS_TOKEN": server.api_key,
        "PEACETALKS_LS_EMAIL": server.email,
        "PEACETALKS_LS_PASSWORD": server.password,
    }
    with pytest.MonkeyPatch.context() as mp:
        # The project title is read from $PEACETALKS_LS_PROJECT when ls_local is imported.
        mp.setattr(ls_local, "PROJECT_TITLE", project_title)
        result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, f"peacetalks {' '.join(args)} failed:\n{result.output}"
    return result.output


# --- what a person does on each task ------------------------------------------------------

def label_talks(lp: LabelingPage) -> tuple[Layers, dict[str, Region]]:
    t = TALKS
    r = {
        "rubio": lp.add_region("PERSON", *at(t, "Rubio")),
        # After two flags; labelled LOC by mistake, corrected to GPE in the edit round.
        "jeddah": lp.add_region("LOC", *at(t, "Jeddah")),
        "tuesday": lp.add_region("DATE", *at(t, "Tuesday")),  # deleted in the edit round
        # A direct quote running across a paragraph break (two line breaks inside the span).
        "quote": lp.add_region("QUOTE", *at(t, "We are ready for peace.\n\nBut not at any price,")),
        "zelensky": lp.add_region("PERSON", *at(t, "Zelensky")),
        "said": lp.add_region("CUE", *at(t, "said")),  # right after a ZWJ family emoji
        "ukraine": lp.add_region("GPE", *at(t, "Ukraine")),  # glued to a flag: no space
        "ceasefire": lp.add_region("YIELD", *at(t, "ceasefire")),
    }
    lp.add_relation(r["quote"], r["zelensky"], "speaker")
    lp.add_relation(r["quote"], r["said"], "cue")
    lp.add_relation(r["ceasefire"], r["ukraine"], "agent")
    lp.set_choice(r["quote"], "DIRECT")
    lp.set_choice(r["ceasefire"], "ACTUAL")
    layers = Layers(
        entities=tuple(Entity(r[k].id, span(t, r[k]), r[k].label)
                       for k in ("rubio", "jeddah", "tuesday", "zelensky", "ukraine")),
        quotes=(Quote(r["quote"].id, span(t, r["quote"]), "DIRECT", r["zelensky"].id,
                      span(t, r["said"]), r["said"].id),),
        events=(Event(r["ceasefire"].id, span(t, r["ceasefire"]), "YIELD", "ACTUAL",
                      (EventArgument("AGENT", r["ukraine"].id),)),),
    )
    return layers, r


def label_envoy(lp: LabelingPage) -> Layers:
    t = ENVOY
    r = {
        "li_hui": lp.add_region("PERSON", *at(t, "李辉")),
        "albares": lp.add_region("PERSON", *at(t, "Jose\u0301 Manuel Albares")),  # combining mark
        "beijing_cjk": lp.add_region("GPE", *at(t, "北京")),
        "may": lp.add_region("DATE", *at(t, "5 May")),
        "met": lp.add_region("CONSULT", *at(t, "met")),
        "li": lp.add_region("PERSON", *at(t, "Li", 2)),
        "said": lp.add_region("CUE", *at(t, "said")),
        "quote": lp.add_region("QUOTE", *at(t, "Beijing would “keep talking” with Kyiv")),
    }
    lp.add_relation(r["met"], r["li_hui"], "agent")
    lp.add_relation(r["met"], r["beijing_cjk"], "place")
    lp.add_relation(r["quote"], r["li"], "speaker")
    lp.add_relation(r["quote"], r["said"], "cue")
    lp.set_choice(r["met"], "ACTUAL")
    lp.set_choice(r["quote"], "MIXED")
    return Layers(
        entities=tuple(Entity(r[k].id, span(t, r[k]), r[k].label)
                       for k in ("li_hui", "albares", "beijing_cjk", "may", "li")),
        quotes=(Quote(r["quote"].id, span(t, r["quote"]), "MIXED", r["li"].id,
                      span(t, r["said"]), r["said"].id),),
        events=(Event(r["met"].id, span(t, r["met"]), "CONSULT", "ACTUAL",
                      (EventArgument("AGENT", r["li_hui"].id),
                       EventArgument("PLACE", r["beijing_cjk"].id))),),
    )


def label_rejected(lp: LabelingPage) -> Layers:
    t = REJECTED
    kallas = lp.add_region("PERSON", *at(t, "Kallas"))
    moscow = lp.add_region("GPE", *at(t, "Moscow"))  # first thing after a paragraph break
    rejected = lp.add_region("REJECT", *at(t, "rejected"))
    lp.add_relation(rejected, moscow, "agent")
    lp.set_choice(rejected, "NEGATED")
    return Layers(
        entities=(Entity(kallas.id, span(t, kallas), "PERSON"),
                  Entity(moscow.id, span(t, moscow), "GPE")),
        events=(Event(rejected.id, span(t, rejected), "REJECT", "NEGATED",
                      (EventArgument("AGENT", moscow.id),)),),
    )


# --- checks ---------------------------------------------------------------------------------

def assert_pulled(ann: DocumentAnnotations, doc_id: str, expected: Layers, server) -> None:
    assert ann.doc_id == doc_id
    assert len(ann.passes) == 1, f"{doc_id}: {len(ann.passes)} passes"
    got = ann.passes[0]
    assert got.annotator.startswith("ann-") and server.email not in got.annotator
    # Everything exactly as selected: ids, offsets, text, labels, links, choices.
    assert got.layers.to_dict() == expected.to_dict(), doc_id
    assert ann.gold is not None and ann.gold.to_dict() == expected.to_dict()
    for item in (*expected.entities, *expected.quotes, *expected.events):
        assert DOCS[doc_id][item.span.start : item.span.end] == item.span.text
    assert ann.repairs == (), f"{doc_id}: the browser's offsets needed repairs {ann.repairs}"


def release_rows(out: Path, cache: Path) -> dict[str, list[dict]]:
    """Every row of the entities/quotes/events configs (all splits), labels as names."""
    rows: dict[str, list[dict]] = {}
    for config in ("entities", "quotes", "events", "documents"):
        ds = datasets.load_dataset(str(out), config, cache_dir=str(cache))
        rows[config] = []
        for split in ds.values():
            rows[config].extend(_names(row, split.features) for row in split)
    return rows


def _names(value, feature):
    """Decode ClassLabel ids to names, also inside lists of structs (event argument roles)."""
    if isinstance(feature, datasets.ClassLabel):
        return None if value is None else feature.int2str(value)
    if isinstance(feature, dict):
        return {k: _names(value[k], f) for k, f in feature.items()}
    if isinstance(feature, (datasets.List, datasets.LargeList, datasets.Sequence)):
        return [_names(v, feature.feature) for v in value]
    return value


def expected_release(doc_id: str, layers: Layers) -> dict[str, list[tuple]]:
    surface = {e.id: e.span.text for e in layers.entities}
    return {
        "entities": sorted((doc_id, e.id, e.span.start, e.span.end, e.span.text, e.label)
                           for e in layers.entities),
        "quotes": sorted((doc_id, q.id, q.span.start, q.span.end, q.span.text, q.kind, q.speaker,
                          surface[q.speaker], q.cue.start, q.cue.end, q.cue.text)
                         for q in layers.quotes),
        "events": sorted((doc_id, e.id, e.span.start, e.span.end, e.span.text, e.type, e.realis,
                          tuple(sorted((a.role, a.entity, surface[a.entity])
                                       for a in e.arguments)))
                         for e in layers.events),
    }


def actual_release(rows: dict[str, list[dict]], doc_id: str) -> dict[str, list[tuple]]:
    mine = {k: [r for r in v if r["doc_id"] == doc_id] for k, v in rows.items()}
    return {
        "entities": sorted((r["doc_id"], r["id"], r["start"], r["end"], r["text"], r["label"])
                           for r in mine["entities"]),
        "quotes": sorted((r["doc_id"], r["id"], r["start"], r["end"], r["text"], r["kind"],
                          r["speaker_id"], r["speaker"], r["cue_start"], r["cue_end"], r["cue"])
                         for r in mine["quotes"]),
        "events": sorted((r["doc_id"], r["id"], r["start"], r["end"], r["text"], r["type"],
                          r["realis"], tuple(sorted((a["role"], a["entity_id"], a["text"])
                                                    for a in r["arguments"])))
                         for r in mine["events"]),
    }


# --- the test ---------------------------------------------------------------------------------

def test_annotator_labels_in_the_browser_and_pull_and_release_see_it(
    page, ls_server, ls, ls_project, tmp_path, monkeypatch, capsys, lap
):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    repo = make_repo(tmp_path, validation=False)
    add_docs(repo, [make_doc(d, text, title=f"{d} 🕊️") for d, text in DOCS.items()])

    # Push with the project's own command. No predictions: the page must start empty so that
    # every region below is the person's own selection, not a pre-annotation.
    out = run_cli(repo.root, ls_server, ls_project.title, "ls", "push", "--no-predictions")
    assert "3 task(s) created" in out, out
    tasks = task_ids(ls, ls_project.id)
    assert set(tasks) == set(DOCS)
    lap("push")

    lp = LabelingPage(page, ls_server.base_url)
    lp.login(ls_server.email, ls_server.password)
    expected: dict[str, Layers] = {}
    lp.open_task(ls_project.id, tasks["e2e-talks"], TALKS)
    expected["e2e-talks"], talks_regions = label_talks(lp)
    lp.submit()
    lp.open_task(ls_project.id, tasks["e2e-envoy"], ENVOY)
    expected["e2e-envoy"] = label_envoy(lp)
    lp.submit()
    lp.open_task(ls_project.id, tasks["e2e-rejected"], REJECTED)
    expected["e2e-rejected"] = label_rejected(lp)
    lp.submit()
    lap("label 3 tasks in the browser")

    out = run_cli(repo.root, ls_server, ls_project.title, "ls", "pull")
    assert "3 file(s) written" in out and "0 removed" in out, out
    pulled = load_annotations(repo)
    assert set(pulled) == set(DOCS)
    for doc_id, layers in expected.items():
        assert_pulled(pulled[doc_id], doc_id, layers, ls_server)
    for path in repo.annotations_dir.glob("*.json"):
        assert ls_server.email not in path.read_text(encoding="utf-8"), f"{path}: personal data"
    lap("pull")

    result = build_release(repo, tmp_path / "release")
    rows = release_rows(tmp_path / "release", tmp_path / "load-cache")
    assert {r["doc_id"] for r in rows["documents"]} == set(DOCS)
    for doc_id, layers in expected.items():
        assert actual_release(rows, doc_id) == expected_release(doc_id, layers), doc_id
    assert result is not None
    lap("build + load_dataset")

    # The edit round: relabel Jeddah LOC → GPE and delete the DATE region on one task, delete
    # the whole annotation of another, through the page.
    envoy_file = repo.annotation_file("e2e-envoy").read_bytes()
    before = pulled["e2e-talks"].passes[0]
    lp.open_task(ls_project.id, tasks["e2e-talks"], TALKS)
    jeddah = lp.change_label(lp.find("LOC", *at(TALKS, "Jeddah")), "GPE")
    assert jeddah.id == talks_regions["jeddah"].id
    lp.delete_region(lp.find("DATE", *at(TALKS, "Tuesday")))
    lp.submit()
    lp.open_task(ls_project.id, tasks["e2e-rejected"], REJECTED)
    lp.delete_annotation()
    lap("edit + delete in the browser")

    out = run_cli(repo.root, ls_server, ls_project.title, "ls", "pull")
    assert out.startswith("incremental pull: 2 of 3 task(s) read"), out
    assert "1 file(s) written, 1 removed" in out, out
    after = load_annotations(repo)
    assert set(after) == {"e2e-talks", "e2e-envoy"}, "the deleted annotation's file must go"
    assert not repo.annotation_file("e2e-rejected").exists()
    assert repo.annotation_file("e2e-envoy").read_bytes() == envoy_file, "untouched task changed"
    edited = after["e2e-talks"].passes[0]
    assert edited.ls_annotation_id == before.ls_annotation_id  # the same pass, updated
    old = expected["e2e-talks"]
    want = Layers(
        entities=tuple(
            Entity(e.id, e.span, "GPE") if e.id == jeddah.id else e
            for e in old.entities if e.id != talks_regions["tuesday"].id
        ),
        quotes=old.quotes,
        events=old.events,
    )
    assert edited.layers.to_dict() == want.to_dict()
    assert after["e2e-talks"].gold.to_dict() == want.to_dict()
    lap("pull again")

    with capsys.disabled():
        print(f"\nbrowser e2e timings (s): {json.dumps(lap.timings)}")



def test_annotator_corrects_a_pre_annotation_and_the_pass_names_its_rules(
    page, ls_server, ls, ls_project, tmp_path, taxonomy
):
    """The page opens with the rules' suggestions already in place; the person deletes a
    wrong one, adds a missing one and submits. The pulled pass holds exactly that, and says
    which rule set it started from (its from_prediction), so provenance stays truthful."""
    from peacetalks.convert import layers_to_results

    repo = make_repo(tmp_path, validation=False)
    add_docs(repo, [make_doc("e2e-rejected", REJECTED)])
    run_cli(repo.root, ls_server, ls_project.title, "ls", "push", "--no-predictions")
    task = task_ids(ls, ls_project.id)["e2e-rejected"]
    t = REJECTED
    suggested = Layers(entities=(
        Entity("p1", Span(*at(t, "Kallas"), "Kallas"), "PERSON"),
        Entity("p2", Span(*at(t, "plan"), "plan"), "ORG"),  # wrong: the person deletes it
    ))
    ls.sdk.predictions.create(task=task, result=layers_to_results(suggested, taxonomy),
                              model_version="e2e-rules@1")

    lp = LabelingPage(page, ls_server.base_url)
    lp.login(ls_server.email, ls_server.password)
    lp.open_task(ls_project.id, task, t)
    shown = {(r.label, r.start, r.end) for r in lp.regions()}
    assert shown == {("PERSON", *at(t, "Kallas")), ("ORG", *at(t, "plan"))}, shown
    lp.delete_region(lp.find("ORG", *at(t, "plan")))
    moscow = lp.add_region("GPE", *at(t, "Moscow"))
    lp.submit()

    run_cli(repo.root, ls_server, ls_project.title, "ls", "pull")
    (pass_,) = load_annotations(repo)["e2e-rejected"].passes
    assert pass_.from_prediction == "e2e-rules@1"
    assert sorted((e.span.text, e.label) for e in pass_.layers.entities) == [
        ("Kallas", "PERSON"), ("Moscow", "GPE")]
    assert moscow.id in {e.id for e in pass_.layers.entities}


def test_a_new_annotator_joins_through_the_invite_link_and_is_a_pseudonym_of_their_own(
    page, ls_server, ls, ls_project, tmp_path
):
    """Sign-up is closed except through the organisation's link (`peacetalks ls invite`): a
    new annotator opens it, creates an account, labels, and the pull attributes the pass to a
    pseudonym of their own, with their e-mail nowhere in annotations/."""
    repo = make_repo(tmp_path, validation=False)
    add_docs(repo, [make_doc("e2e-rejected", REJECTED)])
    run_cli(repo.root, ls_server, ls_project.title, "ls", "push", "--no-predictions")
    task = task_ids(ls, ls_project.id)["e2e-rejected"]
    link = run_cli(repo.root, ls_server, ls_project.title, "ls", "invite").strip()
    assert link.startswith(f"{ls_server.base_url}/user/signup/?token="), link

    email, password = "new.annotator@example.org", "a-long-test-password-7"
    page.context.clear_cookies()  # a stranger's browser: nobody is logged in
    page.goto(link)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/user/signup" not in url, timeout=30_000)
    lp = LabelingPage(page, ls_server.base_url)
    lp.open_task(ls_project.id, task, REJECTED)
    lp.add_region("GPE", *at(REJECTED, "Moscow"))
    lp.submit()
    page.context.clear_cookies()  # the next test logs in as the admin again

    run_cli(repo.root, ls_server, ls_project.title, "ls", "pull")
    (pass_,) = load_annotations(repo)["e2e-rejected"].passes
    admin = [u for u in ls.sdk.users.list() if u.email == ls_server.email]
    newcomer = [u for u in ls.sdk.users.list() if u.email == email]
    assert len(admin) == 1 and len(newcomer) == 1, "the sign-up did not create the account"
    from peacetalks.pull import pseudonym, pseudonym_key
    key = pseudonym_key(repo)
    assert pass_.annotator == pseudonym(newcomer[0].id, key) != pseudonym(admin[0].id, key)
    assert email not in repo.annotation_file("e2e-rejected").read_text(encoding="utf-8")
    fresh = run_cli(repo.root, ls_server, ls_project.title, "ls", "invite", "--reset").strip()
    assert fresh.startswith(f"{ls_server.base_url}/user/signup/?token=") and fresh != link
