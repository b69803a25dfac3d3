"""Schema evolution: what `peacetalks schema diff` calls breaking, additive or wording."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from peacetalks.schema_diff import diff_taxonomies
from peacetalks.taxonomy import load_taxonomy, parse_taxonomy

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data() -> dict:
    return yaml.safe_load((ROOT / "schema" / "taxonomy.yaml").read_text())


def _rename(section: dict, old: str, new: str) -> dict:
    return {new if k == old else k: v for k, v in section.items()}


def _diff(old: dict, new: dict):
    return diff_taxonomies(parse_taxonomy(old), parse_taxonomy(new))


def _kinds(d) -> set[tuple[str, str, str]]:
    return {(c.kind, c.name, c.bump) for c in d.changes}


def test_no_change(data):
    d = _diff(data, data)
    assert d.changes == () and d.required_bump is None and not d.breaking


def test_initial_when_nothing_was_released(data):
    d = diff_taxonomies(None, parse_taxonomy(data))
    assert d.initial and d.required_bump is None
    assert [c.kind for c in d.changes] == ["initial"]


def test_renamed_entity_label_is_breaking(data):
    new = {**data, "entities": _rename(data["entities"], "ORG", "ORGANIZATION")}
    # the role/relation lists that point to ORG must follow the rename
    new["event_roles"] = yaml.safe_load(yaml.safe_dump(data["event_roles"]).replace("ORG", "ORGANIZATION"))
    new["relations"] = yaml.safe_load(yaml.safe_dump(data["relations"]).replace("ORG", "ORGANIZATION"))
    d = _diff(data, new)
    assert d.required_bump == "major" and d.breaking
    assert ("renamed", "ORG", "major") in _kinds(d)
    assert any("renamed to ORGANIZATION" in str(c) for c in d.changes)


def test_renamed_event_type_is_breaking(data):
    new = {**data, "event_types": _rename(data["event_types"], "YIELD", "CONCEDE")}
    d = _diff(data, new)
    assert ("renamed", "YIELD", "major") in _kinds(d) and d.required_bump == "major"


def test_removed_label_is_breaking(data):
    new = {**data, "realis": {k: v for k, v in data["realis"].items() if k != "NEGATED"}}
    d = _diff(data, new)
    assert ("removed", "NEGATED", "major") in _kinds(d)


def test_appended_label_is_minor(data):
    extra = {"description": "A named law or treaty.", "example": "Minsk agreements"}
    new = {**data, "entities": {**data["entities"], "LAW": extra}}
    d = _diff(data, new)
    assert _kinds(d) == {("added", "LAW", "minor")}
    assert d.required_bump == "minor" and not d.breaking


def test_inserted_label_shifts_class_ids_and_is_breaking(data):
    items = list(data["entities"].items())
    extra = ("LAW", {"description": "A named law or treaty.", "example": "Minsk agreements"})
    new = {**data, "entities": dict([items[0], extra, *items[1:]])}
    d = _diff(data, new)
    assert ("added", "LAW", "major") in _kinds(d)


def test_reordered_labels_are_breaking(data):
    items = list(data["quote_kinds"].items())
    new = {**data, "quote_kinds": dict(reversed(items))}
    d = _diff(data, new)
    assert ("reordered", "*", "major") in _kinds(d)


def test_reordered_relations_are_only_a_patch(data):
    new = {**data, "relations": dict(reversed(list(data["relations"].items())))}
    d = _diff(data, new)
    assert d.required_bump == "patch"


def test_description_change_is_patch(data):
    ents = {k: dict(v) for k, v in data["entities"].items()}
    ents["DATE"]["description"] = "A calendar date, weekday or period."
    d = _diff(data, {**data, "entities": ents})
    assert _kinds(d) == {("description", "DATE", "patch")}
    assert d.required_bump == "patch"


def test_narrowed_role_is_breaking_and_widened_is_minor(data):
    roles = {k: dict(v) for k, v in data["event_roles"].items()}
    roles["PLACE"]["allowed"] = ["GPE"]
    d = _diff(data, {**data, "event_roles": roles})
    assert ("narrowed", "PLACE", "major") in _kinds(d)

    roles["PLACE"]["allowed"] = ["GPE", "LOC", "ORG"]
    d = _diff(data, {**data, "event_roles": roles})
    assert _kinds(d) == {("widened", "PLACE", "minor")}


def test_narrowed_speaker_relation_is_breaking(data):
    rels = {k: dict(v) for k, v in data["relations"].items()}
    rels["speaker"]["to"] = [x for x in rels["speaker"]["to"] if x != "TITLE"]
    d = _diff(data, {**data, "relations": rels})
    assert ("narrowed", "speaker", "major") in _kinds(d)


def test_label_moved_between_groups_is_breaking(data):
    ents = dict(data["entities"])
    moved = ents.pop("EVENT")
    events = {**data["event_types"], "EVENT": {**moved, "cameo": ["04"]}}
    d = _diff(data, {**data, "entities": ents, "event_types": events})
    assert ("moved", "EVENT", "major") in _kinds(d)
    assert not any(c.kind == "added" and c.name == "EVENT" for c in d.changes)


def test_cameo_code_removed_is_breaking(data):
    evs = {k: dict(v) for k, v in data["event_types"].items()}
    evs["FIGHT"]["cameo"] = ["18", "19"]
    d = _diff(data, {**data, "event_types": evs})
    assert d.required_bump == "major"


def test_schema_version_must_follow_the_change(data):
    new = {**data, "realis": {k: v for k, v in data["realis"].items() if k != "NEGATED"}}
    d = _diff(data, new)
    assert d.version_problems and "at least 2.0.0" in d.version_problems[0]
    d = _diff(data, {**new, "schema_version": "2.0.0"})
    assert d.version_problems == ()


def test_release_helper_reads_required_bump_and_changes(data):
    new = {**data, "event_types": _rename(data["event_types"], "YIELD", "CONCEDE")}
    d = _diff(data, new)
    assert d.required_bump == "major"
    assert all(isinstance(str(c), str) and str(c).startswith("[") for c in d.changes)
    assert d.to_dict()["required_bump"] == "major"


def test_cli_schema_diff_against_a_file(tmp_path: Path, monkeypatch, data):
    from peacetalks.cli import cli

    root = tmp_path / "repo"
    (root / "schema").mkdir(parents=True)
    shutil.copy(ROOT / "schema" / "taxonomy.yaml", root / "schema" / "taxonomy.yaml")
    monkeypatch.setenv("PEACETALKS_ROOT", str(root))
    runner = CliRunner()
    res = runner.invoke(cli, ["schema", "diff"])
    assert res.exit_code == 0 and "initial" in res.output

    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump({**data, "event_types": _rename(data["event_types"], "YIELD",
                                                                   "CONCEDE")}, sort_keys=False))
    res = runner.invoke(cli, ["schema", "diff", "--against", str(old)])
    assert res.exit_code == 0, res.output
    assert "required bump: major" in res.output and "CONCEDE" in res.output

    res = runner.invoke(cli, ["schema", "diff", "--against", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 1 and "no such taxonomy file" in res.output
    assert load_taxonomy(root / "schema" / "taxonomy.yaml")  # untouched
