"""Taxonomy validation: nothing in schema/taxonomy.yaml can inject markup into a generated file,
and structural mistakes are refused with the place and the reason."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from peacetalks.errors import SchemaError
from peacetalks.generate import generate_artifacts
from peacetalks.taxonomy import PLAIN_TEXT, parse_taxonomy, parse_taxonomy_text

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "schema" / "taxonomy.yaml").read_text()


@pytest.fixture
def data() -> dict:
    return yaml.safe_load(TEXT)


def test_the_real_taxonomy_loads():
    tax = parse_taxonomy_text(TEXT)
    assert tax.quote_label == "QUOTE" and tax.cue_label == "CUE"
    assert tax.section_of(tax.entity_labels[0]) == "entities"
    assert tax.label("event_types", tax.event_type_names[0]).cameo


BAD_NAMES = [
    "PERSON<", 'PER"SON', "PERSON\n", "PER SON", "PER&SON", "PER|SON", "PER`SON", "person",
    "PERSON$", "{{PERSON}}", "PERSON\u200b", "PÉRSON", "_PERSON", "A" * 40,
]


@pytest.mark.parametrize("bad", BAD_NAMES)
def test_bad_entity_names_are_rejected(data, bad):
    data["entities"] = {bad: {"description": "x", "example": "y"}, **data["entities"]}
    with pytest.raises(SchemaError, match="invalid name"):
        parse_taxonomy(data)


@pytest.mark.parametrize("bad", ["speaker>", "Speaker", "spe aker", "speaker\n"])
def test_bad_relation_names_are_rejected(data, bad):
    data["relations"] = {**data["relations"], bad: dict(data["relations"]["cue"])}
    with pytest.raises(SchemaError, match="invalid name"):
        parse_taxonomy(data)


BAD_TEXT = [
    "<script>alert(1)</script>", "a & b", "x]]><View/>", "a | b", "`code`", "**bold**",
    "[link](http://x)", "# heading", "line one\nline two", "trailing newline\n", "$text",
    "{{ jinja }}", "back\\slash", "tab\there", "", "a" * 201, "em\u2014dash", "zero\u200bwidth",
    "_under_",
]


@pytest.mark.parametrize("bad", BAD_TEXT)
@pytest.mark.parametrize("key", ["description", "example"])
def test_markup_in_descriptions_and_examples_is_rejected(data, bad, key):
    data["event_types"]["APPEAL"][key] = bad
    with pytest.raises(SchemaError, match=f"event_types.APPEAL: {key} must be plain text"):
        parse_taxonomy(data)


def test_reserved_outside_tag_cannot_be_an_entity_label(data):
    data["entities"]["O"] = {"description": "x", "example": "y"}
    with pytest.raises(SchemaError, match="reserved"):
        parse_taxonomy(data)


def test_duplicate_keys_are_rejected():
    text = TEXT.replace("  ORG:\n", "  PERSON:\n", 1)
    with pytest.raises(SchemaError, match="duplicate key 'PERSON'"):
        parse_taxonomy_text(text)


def test_unknown_keys_and_unquoted_cameo_are_rejected(data):
    bad = copy.deepcopy(data)
    bad["event_roles"]["AGENT"]["alowed"] = ["PERSON"]
    with pytest.raises(SchemaError, match="unknown keys"):
        parse_taxonomy(bad)
    bad = copy.deepcopy(data)
    bad["event_types"]["APPEAL"]["cameo"] = [2]
    with pytest.raises(SchemaError, match="quoted strings"):
        parse_taxonomy(bad)
    bad = copy.deepcopy(data)
    del bad["event_types"]["APPEAL"]["cameo"]
    with pytest.raises(SchemaError, match="CAMEO"):
        parse_taxonomy(bad)


def test_role_pointing_to_unknown_label_is_rejected(data):
    data["event_roles"]["PLACE"]["allowed"] = ["GPE", "CITY"]
    with pytest.raises(SchemaError, match="CITY"):
        parse_taxonomy(data)


def test_cue_relation_must_point_to_the_cue_label(data):
    data["relations"]["cue"]["to"] = ["PERSON"]
    with pytest.raises(SchemaError, match="relations.cue"):
        parse_taxonomy(data)


def test_role_relation_colliding_with_quote_relation_is_rejected(data):
    data["event_roles"]["SPEAKER"] = {"description": "x", "example": "y", "allowed": ["PERSON"]}
    with pytest.raises(SchemaError, match="collides"):
        parse_taxonomy(data)


_plain = st.text(alphabet="ABCabc019 .,;:'\"()-/%?!", min_size=1, max_size=200).filter(
    lambda s: PLAIN_TEXT.fullmatch(s) is not None)


@settings(max_examples=40, deadline=None)
@given(desc=_plain, example=_plain)
def test_any_allowed_text_survives_every_generator_unchanged(desc, example):
    data = yaml.safe_load(TEXT)
    data["entities"]["PERSON"] = {"description": desc, "example": example}
    tax = parse_taxonomy(data)
    arts = generate_artifacts(tax)
    root = ET.fromstring(arts["labeling_config.xml"])
    person = root.find(".//Labels[@name='entity']/Label[@value='PERSON']")
    assert person.get("hint") == f"{desc} Example: {example}"
    assert len(list(root.iter("Label"))) == len(tax.entity_labels) + 2 + len(tax.event_type_names)
    row = next(line for line in arts["label_tables.md"].splitlines()
               if line.startswith("| `PERSON` |"))
    assert row == f"| `PERSON` | {desc} | {example} |"  # no extra cell, no markup
    json.loads(arts["features.json"])
    # the YAML written back (as the release does) reads back identically
    assert parse_taxonomy(yaml.safe_load(yaml.safe_dump(tax.to_dict(), sort_keys=False))) == tax
