"""The generated labeling config on the REAL Label Studio server (session fixture `ls` from
conftest.py): the server accepts it, parses the controls we expect, stores an annotation with
per-region choices and relations, and gives them back in the JSON export."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from peacetalks.errors import LabelStudioError
from peacetalks.generate import HEADER
from peacetalks.model import sha256_text

pytestmark = pytest.mark.labelstudio

ROOT = Path(__file__).resolve().parents[1]
CONFIG = (ROOT / "schema" / "generated" / "labeling_config.xml").read_text(encoding="utf-8")


def _project(ls, config: str) -> int:
    return ls.ensure_project(f"schema-{secrets.token_hex(4)}", config)


def test_server_accepts_the_generated_config_and_parses_every_control(ls, taxonomy):
    assert HEADER in CONFIG.splitlines()[0]
    pid = _project(ls, CONFIG)
    try:
        project = ls.sdk.projects.get(id=pid)
        assert project.label_config.strip() == CONFIG.strip()
        parsed = project.parsed_label_config
        assert parsed["entity"]["labels"] == taxonomy.entity_labels
        assert parsed["attribution"]["labels"] == [taxonomy.quote_label, taxonomy.cue_label]
        assert parsed["event"]["labels"] == taxonomy.event_type_names
        assert parsed["quote_kind"]["labels"] == taxonomy.quote_kind_names
        assert parsed["realis"]["labels"] == taxonomy.realis_names
        for name in ("entity", "attribution", "event", "quote_kind", "realis"):
            assert parsed[name]["to_name"] == ["text"]
            assert parsed[name]["inputs"][0]["value"] == "text"
    finally:
        ls.sdk.projects.delete(id=pid)


def test_server_rejects_a_broken_config(ls):
    broken = CONFIG.replace('<Text name="text"', '<Text name="body"')  # every toName dangles
    with pytest.raises(LabelStudioError):
        ls.ensure_project(f"schema-broken-{secrets.token_hex(4)}", broken)


def test_choices_and_relations_round_trip_through_the_server(ls, taxonomy):
    text = '"We remain committed to that," Rubio said. Talks in Istanbul are planned.'
    title = "Rubio in Antalya"
    spans = {
        "q1": ("attribution", 1, 28, taxonomy.quote_label),
        "e1": ("entity", 31, 36, "PERSON"),
        "c1": ("attribution", 37, 41, taxonomy.cue_label),
        "v1": ("event", 43, 48, "CONSULT"),
        "e2": ("entity", 52, 60, "GPE"),
    }
    assert "PERSON" in taxonomy.entity_labels and "GPE" in taxonomy.role_allowed("PLACE")
    result = []
    for rid, (control, start, end, label) in spans.items():
        result.append({"id": rid, "from_name": control, "to_name": "text", "type": "labels",
                       "value": {"start": start, "end": end, "text": text[start:end],
                                 "labels": [label]}})
    result.append({"id": "q1", "from_name": "quote_kind", "to_name": "text", "type": "choices",
                   "value": {"start": 1, "end": 28, "text": text[1:28],
                             "choices": [taxonomy.quote_kind_names[0]]}})
    result.append({"id": "v1", "from_name": "realis", "to_name": "text", "type": "choices",
                   "value": {"start": 43, "end": 48, "text": text[43:48],
                             "choices": ["PLANNED"]}})
    for src, dst, rel in (("q1", "e1", "speaker"), ("q1", "c1", "cue"),
                          ("v1", "e2", taxonomy.role_relation("PLACE"))):
        result.append({"type": "relation", "from_id": src, "to_id": dst, "direction": "right",
                       "labels": [rel]})

    pid = _project(ls, CONFIG)
    try:
        data = {"text": text, "title": title, "doc_id": "d1", "text_sha256": sha256_text(text)}
        imported = ls.sdk.projects.import_tasks(id=pid, request=[{"data": data}],
                                                return_task_ids=True)
        task_id = imported.task_ids[0]
        ls.sdk.annotations.create(id=task_id, result=result, lead_time=3.0)
        raw = b"".join(ls.sdk.projects.exports.download_sync(id=pid, export_type="JSON",
                                                             download_all_tasks=True))
        tasks = json.loads(raw)
        assert len(tasks) == 1 and tasks[0]["data"]["title"] == title
        got = tasks[0]["annotations"][0]["result"]
        labels = {r["id"]: (r["from_name"], r["value"]["start"], r["value"]["end"],
                            r["value"]["labels"][0]) for r in got if r["type"] == "labels"}
        assert labels == spans
        choices = {r["from_name"]: (r["id"], r["value"]["choices"]) for r in got
                   if r["type"] == "choices"}
        assert choices == {"quote_kind": ("q1", [taxonomy.quote_kind_names[0]]),
                           "realis": ("v1", ["PLANNED"])}
        relations = {(r["from_id"], r["to_id"], tuple(r["labels"])) for r in got
                     if r["type"] == "relation"}
        assert relations == {("q1", "e1", ("speaker",)), ("q1", "c1", ("cue",)),
                             ("v1", "e2", ("place",))}
    finally:
        ls.sdk.projects.delete(id=pid)
