"""Label Studio results <-> Layers (no server needed)."""

from __future__ import annotations

import pytest

from peacetalks.convert import layers_to_results, results_to_layers
from peacetalks.errors import LabelStudioError
from peacetalks.model import Entity, Event, EventArgument, Layers, Quote, Span

TEXT = "Rubio said the talks in Istanbul would go ahead on Thursday."


def span(sub: str) -> Span:
    s = TEXT.index(sub)
    return Span(s, s + len(sub), sub)


def sample(tax) -> Layers:
    person, gpe, date = "PERSON", "GPE", "DATE"
    assert {person, gpe, date} <= set(tax.entity_labels)  # tests may spell the real taxonomy
    ents = (Entity("e1", span("Rubio"), person), Entity("e2", span("Istanbul"), gpe),
            Entity("e3", span("Thursday"), date))
    quote = Quote("q1", span("the talks in Istanbul would go ahead on Thursday"),
                  tax.quote_kind_names[1], "e1", span("said"), "c1")
    event = Event("v1", span("talks"), "CONSULT", tax.realis_names[1],
                  (EventArgument("PLACE", "e2"), EventArgument("TIME", "e3")))
    return Layers(ents, (quote,), (event,))


def test_round_trip_keeps_everything(taxonomy):
    layers = sample(taxonomy)
    results = layers_to_results(layers, taxonomy)
    relations = [r for r in results if r["type"] == "relation"]
    assert sorted(r["labels"][0] for r in relations) == ["cue", "place", "speaker", "time"]
    back, repairs = results_to_layers(results, TEXT, taxonomy, "task 1 annotation 1")
    assert repairs == []
    assert back.to_dict() == layers.to_dict()


def test_relation_direction_flag_is_not_trusted(taxonomy):
    results = layers_to_results(sample(taxonomy), taxonomy)
    for r in results:
        if r["type"] == "relation":
            r["from_id"], r["to_id"], r["direction"] = r["to_id"], r["from_id"], "left"
    back, _ = results_to_layers(results, TEXT, taxonomy, "t")
    assert back.to_dict() == sample(taxonomy).to_dict()


@pytest.mark.parametrize("field,value,expected", [
    ("labels", ["NOT_A_LABEL"], "label 'NOT_A_LABEL' is not in the schema's entity labels"),
    ("from_name", "colour", "unknown labels control 'colour'"),
])
def test_unknown_label_names_task_region_and_label(taxonomy, field, value, expected):
    results = layers_to_results(sample(taxonomy), taxonomy)
    first = results[0]
    if field == "labels":
        first["value"]["labels"] = value
    else:
        first[field] = value
    with pytest.raises(LabelStudioError) as err:
        results_to_layers(results, TEXT, taxonomy, "task 42 annotation 9")
    assert "task 42 annotation 9 region e1" in str(err.value)
    assert expected in str(err.value)


def test_unknown_relation_and_choice_are_refused(taxonomy):
    results = layers_to_results(sample(taxonomy), taxonomy)
    rel = next(r for r in results if r["type"] == "relation")
    rel["labels"] = ["likes"]
    with pytest.raises(LabelStudioError, match=r"task 3 .*relation 'likes' is not in the schema"):
        results_to_layers(results, TEXT, taxonomy, "task 3")
    results = layers_to_results(sample(taxonomy), taxonomy)
    choice = next(r for r in results if r["from_name"] == "realis")
    choice["value"]["choices"] = ["MAYBE"]
    with pytest.raises(LabelStudioError, match=r"region v1: realis must be one of .*'MAYBE'"):
        results_to_layers(results, TEXT, taxonomy, "task 3")


def test_missing_choices_and_orphan_cue_are_refused(taxonomy):
    results = [r for r in layers_to_results(sample(taxonomy), taxonomy)
               if r.get("from_name") != "quote_kind"]
    with pytest.raises(LabelStudioError, match="region q1 .*QUOTE has no quote_kind"):
        results_to_layers(results, TEXT, taxonomy, "task 3")
    results = [r for r in layers_to_results(sample(taxonomy), taxonomy)
               if r.get("from_name") != "realis"]
    with pytest.raises(LabelStudioError, match="region v1 'talks': event CONSULT has no realis"):
        results_to_layers(results, TEXT, taxonomy, "task 3")
    results = [r for r in layers_to_results(sample(taxonomy), taxonomy)
               if r.get("labels") != ["cue"]]
    with pytest.raises(LabelStudioError, match="region c1 'said': CUE is not linked"):
        results_to_layers(results, TEXT, taxonomy, "task 3")


def test_structurally_wrong_relations_are_refused(taxonomy):
    results = layers_to_results(sample(taxonomy), taxonomy)
    speaker = next(r for r in results if r.get("labels") == ["speaker"])
    speaker["to_id"] = "c1"  # a speaker that is a cue span
    with pytest.raises(LabelStudioError, match="'speaker' links a QUOTE to an entity"):
        results_to_layers(results, TEXT, taxonomy, "task 3")
