"""Agreement figures against hand calculations, and the gold rule."""

from __future__ import annotations

import json

import pytest

from peacetalks.agreement import (
    agreement_report,
    choose_gold,
    cohen_kappa,
    compare_layers,
    render_counts,
    render_markdown,
    write_agreement_report,
)
from peacetalks.errors import PeacetalksError
from peacetalks.model import (
    AnnotatorPass,
    DocumentAnnotations,
    Entity,
    Event,
    EventArgument,
    Layers,
    Quote,
    Span,
)

TEXT = "x" * 200  # the figures depend on offsets only


def ent(i, s, e, label):
    return Entity(i, Span(s, e, TEXT[s:e]), label)


def quote(i, s, e, speaker=None, cue=None):
    return Quote(i, Span(s, e, TEXT[s:e]), "DIRECT", speaker,
                 None if cue is None else Span(cue[0], cue[1], TEXT[cue[0]:cue[1]]), None)


def event(i, s, e, type_, realis="ACTUAL", args=()):
    return Event(i, Span(s, e, TEXT[s:e]), type_, realis, tuple(EventArgument(r, x) for r, x in args))


def ap(annotator, ann_id, layers, gt=False, updated="2025-05-01T10:00:00Z"):
    return AnnotatorPass(annotator, ann_id, "2025-05-01T09:00:00Z", updated, 12.5, gt, layers)


A = Layers(
    entities=(ent("a1", 0, 5, "PERSON"), ent("a2", 10, 15, "GPE"), ent("a3", 20, 25, "ORG")),
    quotes=(quote("qa1", 40, 60, "a1", (61, 65)), quote("qa2", 70, 90, "a1"), quote("qa3", 100, 110)),
    events=(event("ea1", 120, 125, "CONSULT"), event("ea2", 130, 135, "CONSULT"),
            event("ea3", 140, 145, "REJECT"), event("ea4", 150, 155, "REJECT")),
)
B = Layers(
    entities=(ent("b1", 0, 5, "PERSON"), ent("b2", 10, 15, "ORG"), ent("b3", 22, 27, "ORG")),
    quotes=(quote("qb1", 40, 60, "b1", (61, 65)), quote("qb2", 70, 90, None)),
    events=(event("eb1", 120, 125, "CONSULT"), event("eb2", 130, 135, "REJECT"),
            event("eb3", 140, 145, "REJECT"), event("eb4", 150, 155, "REJECT")),
)


def test_pair_figures_match_hand_calculation():
    r = render_counts(compare_layers(A, B))
    ents = r["entities"]
    # spans (0,5) and (10,15) match exactly: 2 of 3 on each side -> 2*2/(3+3)
    assert ents["exact_span_f1"] == {"value": 0.6667, "matched": 2, "a": 3, "b": 3}
    assert ents["exact_labelled_f1"]["value"] == 0.3333  # only (0,5,PERSON)
    assert ents["overlap_span_f1"]["value"] == 1.0  # (20,25) overlaps (22,27)
    assert ents["overlap_labelled_f1"]["value"] == 0.6667  # (10,15) GPE vs ORG fails
    q = r["quotes"]
    assert q["exact_span_f1"] == {"value": 0.8, "matched": 2, "a": 3, "b": 2}
    # quote (40,60): speakers a1/b1 are both span (0,5) -> same; (70,90): a1 vs none -> differ
    assert q["speaker_agreement"] == {"value": 0.5, "same": 1, "matched": 2}
    ev = r["events"]
    assert ev["trigger_exact_span_f1"]["value"] == 1.0
    # types A = C C R R, B = C R R R: po = 3/4, pe = .5*.25 + .5*.75 = .5, kappa = .25/.5
    assert ev["type"]["observed"]["value"] == 0.75
    assert ev["type"]["cohen_kappa"] == {"value": 0.5, "matched": 4}
    # realis: ACTUAL everywhere -> kappa undefined, said so, no number
    assert ev["realis"]["cohen_kappa"]["value"] is None
    assert "single, identical category" in ev["realis"]["cohen_kappa"]["note"]
    assert ev["realis"]["observed"]["value"] == 1.0


def test_cohen_kappa_values():
    # classic 2x2 table: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po=.7, pe=.5, kappa=.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    k, why = cohen_kappa(pairs)
    assert why is None and k == pytest.approx(0.4)
    assert cohen_kappa([("a", "b"), ("b", "a")]) == (-1.0, None)
    assert cohen_kappa([]) == (None, "not defined: no matched items")
    assert cohen_kappa([("a", "a")] * 3)[0] is None


def test_empty_layers_are_not_defined_not_zero():
    r = render_counts(compare_layers(Layers(), Layers()))
    assert r["entities"]["exact_span_f1"]["value"] is None
    assert r["entities"]["exact_span_f1"]["note"] == "not defined: no items in either pass"
    assert r["quotes"]["speaker_agreement"]["value"] is None
    one_sided = render_counts(compare_layers(A, Layers()))
    assert one_sided["entities"]["exact_span_f1"]["value"] == 0.0


def doc(doc_id, *passes):
    return DocumentAnnotations(doc_id, "0" * 64, 1, tuple(passes))


def test_report_pools_counts_and_lists_documents(tmp_path):
    anns = {
        "d1": doc("d1", ap("ann-a", 1, A), ap("ann-b", 2, B)),
        "d2": doc("d2", ap("ann-a", 3, A), ap("ann-b", 4, A)),  # perfect agreement
        "d3": doc("d3", ap("ann-a", 5, A)),
        "d4": doc("d4"),
    }
    report = agreement_report(anns)
    assert report["documents"] == {"two_or_more_passes": ["d1", "d2"], "single_pass": ["d3"],
                                   "no_pass": ["d4"]}
    assert report["pairs_compared"] == 2
    # micro-average: matched 2 + 3 over sizes 3+3+3+3 -> 10/12
    assert report["overall"]["entities"]["exact_span_f1"] == {"value": 0.8333, "matched": 5,
                                                              "a": 6, "b": 6}
    assert report["by_annotator_pair"][0]["annotators"] == ["ann-a", "ann-b"]
    assert report["by_annotator_pair"][0]["documents"] == 2
    # pooled kappa over 8 triggers: A types C C R R twice, B: C R R R then C C R R
    # po = 7/8, pa(C) = .5, pb(C) = 3/8 -> pe = .5*3/8 + .5*5/8 = .5, kappa = .375/.5 = .75
    assert report["overall"]["events"]["type"]["cohen_kappa"]["value"] == 0.75
    assert [g["doc_id"] for g in report["gold"]] == ["d1", "d2"]
    assert report["gold"][1]["disagreements"] == []
    write_agreement_report(report, tmp_path / "a.json", tmp_path / "a.md")
    assert json.loads((tmp_path / "a.json").read_text()) == report
    md = (tmp_path / "a.md").read_text()
    assert "| overall | 0.833 (n=5) | " in md and "## To adjudicate" in md
    assert "entities [20:25]" in md


def test_report_with_single_passes_only_says_not_defined():
    report = agreement_report({"d1": doc("d1", ap("ann-a", 1, A))})
    assert report["overall"] is None and report["pairs_compared"] == 0
    assert "agreement is not defined" in render_markdown(report)


def test_same_annotator_twice_is_labelled_by_annotation_id():
    report = agreement_report({"d1": doc("d1", ap("ann-a", 7, A), ap("ann-a", 9, B))})
    assert report["by_document"][0]["annotators"] == ["ann-a#7", "ann-a#9"]


# ---------------------------------------------------------------- gold


def test_ground_truth_wins_latest_updated():
    old_gt = ap("ann-a", 1, A, gt=True, updated="2025-05-02T10:00:00+00:00")
    new_gt = ap("ann-b", 2, B, gt=True, updated="2025-05-03T08:00:00Z")
    other = ap("ann-c", 3, Layers(), updated="2025-06-01T00:00:00Z")
    layers, source, dis = choose_gold([old_gt, new_gt, other])
    assert (layers, source, dis) == (B, "ground-truth:ann-b", [])
    # same updated_at: the higher Label Studio annotation id (created last) wins
    tie = ap("ann-c", 9, A, gt=True, updated="2025-05-03T08:00:00Z")
    assert choose_gold([new_gt, tie])[1] == "ground-truth:ann-c"


def test_single_pass_is_gold_and_no_pass_is_none():
    assert choose_gold([ap("ann-a", 1, A)]) == (A, "single-pass:ann-a", [])
    assert choose_gold([]) == (None, None, [])


def test_several_passes_without_ground_truth_list_disagreements():
    layers, source, dis = choose_gold([ap("ann-b", 2, B), ap("ann-a", 1, A)])
    assert layers is None and source is None
    got = {(d.layer, d.start, d.end): (d.reason, d.values) for d in dis}
    assert got[("entities", 10, 15)] == ("label", {"ann-a": "label=GPE", "ann-b": "label=ORG"})
    assert got[("entities", 20, 25)] == ("not-in-every-pass", {"ann-a": "label=ORG", "ann-b": None})
    assert got[("quotes", 70, 90)][0] == "speaker"
    assert got[("quotes", 100, 110)][0] == "not-in-every-pass"
    assert got[("events", 130, 135)][0] == "type"
    assert ("entities", 0, 5) not in got and ("quotes", 40, 60) not in got
    assert len(dis) == 6  # + entities (22,27)


def test_event_argument_disagreement_compares_entity_spans_not_ids():
    ea = Layers(entities=(ent("a1", 0, 5, "PERSON"),),
                events=(event("e1", 120, 125, "CONSULT", args=[("AGENT", "a1")]),))
    eb = Layers(entities=(ent("b1", 0, 5, "PERSON"), ent("b2", 10, 15, "GPE")),
                events=(event("e9", 120, 125, "CONSULT", args=[("AGENT", "b1"), ("PLACE", "b2")]),))
    _, _, dis = choose_gold([ap("ann-a", 1, ea), ap("ann-a", 2, ea)])
    assert dis == []
    _, _, dis = choose_gold([ap("ann-a", 1, ea), ap("ann-b", 2, eb)])
    assert [(d.layer, d.reason) for d in dis] == [("entities", "not-in-every-pass"), ("events", "arguments")]


def test_bad_timestamp_is_a_clear_error():
    with pytest.raises(PeacetalksError, match="ann-a .*annotation 1.*not an ISO 8601"):
        choose_gold([ap("ann-a", 1, A, gt=True, updated="yesterday"), ap("ann-b", 2, B, gt=True)])


def test_corpus_report_is_written_from_annotation_files(tmp_path):
    from peacetalks.agreement import write_corpus_agreement
    from peacetalks.fsio import write_json
    from peacetalks.paths import Repo

    repo = Repo(tmp_path)
    write_json(repo.annotation_file("d1"), doc("d1", ap("ann-a", 1, A), ap("ann-b", 2, B)).to_dict())
    json_path, md_path, report = write_corpus_agreement(repo)
    assert json_path.parent == repo.reports_dir and md_path.is_file()
    assert json.loads(json_path.read_text())["overall"]["entities"]["exact_span_f1"]["value"] == 0.6667


def test_document_scores_flat_keys_for_validation_thresholds():
    from peacetalks.agreement import document_scores

    scores = document_scores(doc("d1", ap("ann-a", 1, A), ap("ann-b", 2, B)))
    assert scores["entities.exact_span_f1"] == 0.6667
    assert scores["entities.f1_exact"] == 0.3333  # (start, end, label)
    assert scores["quotes.f1_exact"] == 0.8  # every quote is DIRECT
    assert scores["quotes.speaker_agreement"] == 0.5
    assert scores["events.f1_exact"] == 0.75  # 3 of 4 triggers with the same type
    assert scores["events.type_cohen_kappa"] == 0.5
    assert scores["events.realis_cohen_kappa"] is None
    assert document_scores(doc("d2", ap("ann-a", 1, A)))["entities.f1_exact"] is None
