"""Schema stage: the taxonomy generates every artifact, the artifacts are current and complete,
and the Label Studio config is accepted by the SDK's config parser."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from datasets import ClassLabel, Dataset, Features, List
from label_studio_sdk.label_interface import LabelInterface

from peacetalks.features import CONFIG_NAMES, ner_tag_names, release_features
from peacetalks.generate import (
    GENERATED_FILES,
    GUIDE_BEGIN,
    GUIDE_END,
    HEADER,
    annotations_json_schema,
    check_current,
    generate_artifacts,
    write_all,
)
from peacetalks.labeling import RESERVED_KEYS, assign_hotkeys, labeling_config_tree
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
from peacetalks.paths import Repo

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def arts(tax):
    return generate_artifacts(tax)


@pytest.fixture
def tmp_repo(tmp_path: Path, monkeypatch) -> Repo:
    root = tmp_path / "repo"
    (root / "schema").mkdir(parents=True)
    (root / "annotations").mkdir()
    shutil.copy(ROOT / "schema" / "taxonomy.yaml", root / "schema" / "taxonomy.yaml")
    # The manual with an empty table block, as a person would write it before the first run.
    guide = (ROOT / "annotations" / "GUIDELINES.md").read_text()
    prose = guide[: guide.index(GUIDE_BEGIN) + len(GUIDE_BEGIN)] + "\n" + guide[guide.index(GUIDE_END):]
    (root / "annotations" / "GUIDELINES.md").write_text(prose)
    monkeypatch.setenv("PEACETALKS_ROOT", str(root))
    return Repo(root)


# ------------------------------------------------------------------ generated files are current
def test_committed_generated_files_are_current():
    stale = check_current(Repo(ROOT))
    assert stale == [], f"run `peacetalks schema generate`: stale {stale}"
    assert sorted(p.name for p in (ROOT / "schema" / "generated").iterdir()) == sorted(GENERATED_FILES)


def test_generate_then_change_taxonomy_makes_files_stale(tmp_repo: Repo):
    assert len(check_current(tmp_repo)) == len(GENERATED_FILES) + 1  # + the guidelines' tables
    written = write_all(tmp_repo)
    assert {p.name for p in written} == {*GENERATED_FILES, "GUIDELINES.md"}
    assert check_current(tmp_repo) == []
    assert write_all(tmp_repo) == []  # nothing changed: nothing rewritten

    text = tmp_repo.taxonomy_file.read_text()
    tmp_repo.taxonomy_file.write_text(text.replace("example: Middle East", "example: Antalya"))
    stale = {p.name for p in check_current(tmp_repo)}
    # The example shows in the Label Studio hint, the tables and the guidelines, not in the
    # JSON Schema or the features.
    assert stale == {"labeling_config.xml", "label_tables.md", "GUIDELINES.md"}

    (tmp_repo.generated_dir / "notes.txt").write_text("hand-written")
    assert tmp_repo.generated_dir / "notes.txt" in check_current(tmp_repo)


def test_every_generated_file_carries_the_header(arts):
    for name, content in arts.items():
        assert HEADER in content.split("\n", 3)[0] + content[:400], name


def test_guidelines_without_markers_is_an_error(tmp_repo: Repo):
    from peacetalks.errors import SchemaError

    tmp_repo.guidelines.write_text("# Guidelines\n\nno markers here\n")
    with pytest.raises(SchemaError, match="markers"):
        write_all(tmp_repo)
    assert not tmp_repo.generated_dir.exists()  # nothing half-written


# ------------------------------------------------------------------ every label in every artifact
def _all_names(tax) -> list[str]:
    return (tax.entity_labels + tax.quote_kind_names + [tax.quote_label, tax.cue_label]
            + tax.event_type_names + tax.realis_names + tax.role_names + tax.relation_names)


def test_every_label_appears_in_the_labeling_config(tax, arts):
    root = ET.fromstring(arts["labeling_config.xml"])
    def values(tag: str, name: str) -> list[str]:
        node = root.find(f".//{tag}[@name='{name}']")
        assert node is not None, name
        return [c.get("value") for c in node]

    assert values("Labels", "entity") == tax.entity_labels
    assert values("Labels", "attribution") == [tax.quote_label, tax.cue_label]
    assert values("Labels", "event") == tax.event_type_names
    assert values("Choices", "quote_kind") == tax.quote_kind_names
    assert values("Choices", "realis") == tax.realis_names
    assert [r.get("value") for r in root.find("Relations")] == tax.relation_names
    assert tax.relation_names[-len(tax.role_names):] == [r.lower() for r in tax.role_names]


def test_every_label_appears_in_the_json_schema(tax, arts):
    schema = json.loads(arts["annotations.schema.json"])
    defs = schema["$defs"]
    assert defs["entity"]["properties"]["label"]["enum"] == tax.entity_labels
    assert defs["quote"]["properties"]["kind"]["enum"] == tax.quote_kind_names
    assert defs["event"]["properties"]["type"]["enum"] == tax.event_type_names
    assert defs["event"]["properties"]["realis"]["enum"] == tax.realis_names
    assert defs["argument"]["properties"]["role"]["enum"] == tax.role_names


def test_every_label_appears_in_the_features(tax, arts):
    feats = release_features(tax)
    assert list(feats) == list(CONFIG_NAMES)
    docs = feats["documents"]
    assert docs["entities"].feature["label"].names == tax.entity_labels
    assert docs["quotes"].feature["kind"].names == tax.quote_kind_names
    ev = docs["events"].feature
    assert ev["type"].names == tax.event_type_names
    assert ev["realis"].names == tax.realis_names
    assert ev["arguments"].feature["role"].names == tax.role_names
    assert feats["ner"]["ner_tags"].feature.names == ner_tag_names(tax)
    # features.json is exactly Features.to_dict() of each config, and loads back
    stored = json.loads(arts["features.json"])["configs"]
    for name in CONFIG_NAMES:
        assert Features.from_dict(stored[name]) == feats[name]


def test_ner_tags_are_iob2_in_taxonomy_order(tax):
    tags = ner_tag_names(tax)
    assert tags[0] == "O" and len(tags) == 1 + 2 * len(tax.entity_labels)
    assert tags[1:3] == [f"B-{tax.entity_labels[0]}", f"I-{tax.entity_labels[0]}"]
    assert tags[-1] == f"I-{tax.entity_labels[-1]}"


def test_lists_of_structs_are_list_not_sequence(tax):
    feats = release_features(tax)
    for config in ("documents", "annotator_passes"):
        for layer in ("entities", "quotes", "events"):
            assert type(feats[config][layer]) is List, (config, layer)
    assert feats["documents"]["entities"].feature["start"].dtype == "int32"
    assert feats["annotator_passes"]["ls_annotation_id"].dtype == "int64"


def test_documents_features_accept_a_nested_row(tax):
    feats = release_features(tax)["documents"]
    row = {k: None for k in feats}
    row.update(doc_id="d1", title="t", text="Rubio said talks.", language="en",
               text_sha256="0" * 64, raw_sha256="1" * 64, cleaner_version="1")
    row["entities"] = [{"id": "e1", "start": 0, "end": 5, "text": "Rubio",
                        "label": tax.entity_labels[0]}]
    row["quotes"] = []
    row["events"] = [{"id": "v1", "start": 11, "end": 16, "text": "talks",
                      "type": tax.event_type_names[2], "cameo": ["04"],
                      "realis": tax.realis_names[0],
                      "arguments": [{"role": tax.role_names[0], "entity_id": "e1",
                                     "text": "Rubio"}]}]
    ds = Dataset.from_list([row], features=feats)
    got = ds[0]
    assert got["entities"][0]["label"] == 0
    assert got["events"][0]["type"] == 2
    assert got["events"][0]["arguments"][0]["role"] == 0
    assert isinstance(ds.features["events"].feature["type"], ClassLabel)


def test_every_label_appears_in_the_tables_and_guidelines(tax, arts):
    tables = arts["label_tables.md"]
    guide = (ROOT / "annotations" / "GUIDELINES.md").read_text()
    for name in _all_names(tax):
        assert f"`{name}`" in tables, name
        assert f"`{name}`" in guide, name
    for x in tax.event_types:
        assert f"| `{x.name}` | {', '.join(x.cameo)} |" in tables
    for role in tax.event_roles:
        assert ", ".join(f"`{a}`" for a in role.allowed) in tables


def test_guidelines_mention_only_known_labels(tax):
    guide = (ROOT / "annotations" / "GUIDELINES.md").read_text()
    prose = guide[: guide.index(GUIDE_BEGIN)] + guide[guide.index(GUIDE_END):]
    known = set(_all_names(tax)) | {"O"}
    controls = {"entity", "attribution", "event", "quote_kind", "realis", "text"}
    for token in re.findall(r"`([A-Za-z_]+)`", prose):
        if token.isupper() or token in tax.relation_names:
            assert token in known, f"GUIDELINES.md mentions unknown label `{token}`"
        elif token.islower() and "_" not in token and token not in controls:
            continue
    # The prose itself must use the labels (not only the generated tables).
    for name in tax.entity_labels + [tax.quote_label, tax.cue_label] + tax.quote_kind_names:
        assert f"`{name}`" in prose, f"the prose of GUIDELINES.md never explains `{name}`"


# ------------------------------------------------------------------ Label Studio config
def test_labeling_config_passes_the_sdk_parser(tax, arts):
    li = LabelInterface(arts["labeling_config.xml"])
    li.validate()  # raises on schema, name or toName errors
    assert {c.name for c in li.controls} == {"entity", "attribution", "event", "quote_kind",
                                            "realis"}
    assert li.get_control("entity").labels == tax.entity_labels
    assert li.get_control("attribution").labels == [tax.quote_label, tax.cue_label]
    assert li.get_control("event").labels == tax.event_type_names
    assert li.get_control("quote_kind").labels == tax.quote_kind_names
    assert li.get_control("realis").labels == tax.realis_names
    assert li.get_control("quote_kind").attr["perRegion"] == "true"
    assert li.get_control("quote_kind").attr["whenLabelValue"] == tax.quote_label
    assert li.get_control("realis").attr["whenTagName"] == "event"
    assert li.get_object("text").value == "$text"
    assert type(li.get_object("text")).__name__ == "TextTag"
    for name in ("entity", "attribution", "event", "quote_kind", "realis"):
        assert li.get_control(name).to_name == ["text"]


def _region(rid: str, control: str, start: int, end: int, text: str, label: str) -> dict:
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def test_sdk_accepts_an_annotation_with_choices_and_relations(tax, arts):
    li = LabelInterface(arts["labeling_config.xml"])
    text = '"We remain committed," Rubio said. Talks begin.'
    result = [
        _region("e1", "entity", 23, 28, "Rubio", tax.entity_labels[0]),
        _region("q1", "attribution", 1, 20, "We remain committed", tax.quote_label),
        _region("c1", "attribution", 29, 33, "said", tax.cue_label),
        _region("v1", "event", 35, 40, "Talks", tax.event_type_names[2]),
        {"id": "q1", "from_name": "quote_kind", "to_name": "text", "type": "choices",
         "value": {"start": 1, "end": 20, "text": "We remain committed",
                   "choices": [tax.quote_kind_names[0]]}},
        {"id": "v1", "from_name": "realis", "to_name": "text", "type": "choices",
         "value": {"start": 35, "end": 40, "text": "Talks", "choices": [tax.realis_names[1]]}},
        {"type": "relation", "from_id": "q1", "to_id": "e1", "direction": "right",
         "labels": ["speaker"]},
        {"type": "relation", "from_id": "q1", "to_id": "c1", "direction": "right",
         "labels": ["cue"]},
    ]
    assert text[23:28] == "Rubio"
    assert li.validate_annotation({"result": result}) is True
    bad = result + [_region("e2", "entity", 0, 1, '"', "NOT_A_LABEL")]
    assert li.validate_annotation({"result": bad}) is False


def test_hotkeys_are_unique_and_not_reserved(tax):
    keys = assign_hotkeys(tax)
    values = list(keys.values())
    assert len(values) == len(set(values))
    assert not set(values) & RESERVED_KEYS
    n_labels = len(tax.entity_labels) + 2 + len(tax.event_type_names)
    assert len(values) == n_labels
    # appending an event type never moves an existing key
    from dataclasses import replace

    from peacetalks.taxonomy import Label

    more = replace(tax, event_types=tax.event_types + (Label("ZZZ", "x", "y", ("99",)),))
    more_keys = assign_hotkeys(more)
    assert all(more_keys[k] == v for k, v in keys.items())


def test_label_colours_are_distinct_within_each_group(tax):
    root = labeling_config_tree(tax)
    for group in root.iter("Labels"):
        colours = [label.get("background") for label in group]
        assert len(colours) == len(set(colours)), group.get("name")
    groups = {g.get("name"): {x.get("background") for x in g} for g in root.iter("Labels")}
    assert not groups["entity"] & groups["event"]
    assert not groups["attribution"] & groups["event"]


def test_labels_carry_their_description_as_hint(tax):
    root = labeling_config_tree(tax)
    hints = {x.get("value"): x.get("hint") for x in root.iter("Label")}
    for x in tax.entities + tax.event_types:
        assert hints[x.name].startswith(x.description)
        assert x.example in hints[x.name]


# ------------------------------------------------------------------ JSON Schema vs model
def _sample_annotations(tax) -> DocumentAnnotations:
    ent = Entity("e1", Span(0, 5, "Rubio"), tax.entity_labels[0])
    cue = Span(6, 10, "said")
    quote = Quote("q1", Span(12, 20, "we talk."), tax.quote_kind_names[0], "e1", cue, "c1")
    event = Event("v1", Span(15, 19, "talk"), tax.event_type_names[2], tax.realis_names[0],
                  (EventArgument(tax.role_names[0], "e1"),))
    layers = Layers((ent,), (quote,), (event,))
    p = AnnotatorPass("ann-7f3a2c", 12, "2025-05-15T10:00:00Z", "2025-05-15T10:05:00Z", 31.5,
                      False, layers)
    return DocumentAnnotations("doc1", "a" * 64, 7, (p,), 0, layers, "single-pass:ann-7f3a2c",
                               {"entities": "done", "quotes": "done", "events": "done"})


def test_json_schema_accepts_what_the_model_writes(tax):
    schema = annotations_json_schema(tax)
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = _sample_annotations(tax).to_dict()
    jsonschema.validate(doc, schema)
    empty = DocumentAnnotations("doc2", "b" * 64, None).to_dict()
    jsonschema.validate(empty, schema)
    from dataclasses import replace
    ann = _sample_annotations(tax)
    predicted = replace(ann, passes=(replace(ann.passes[0], from_prediction="rules@1"),))
    jsonschema.validate(predicted.to_dict(), schema)
    assert DocumentAnnotations.from_dict(predicted.to_dict()) == predicted
    assert "from_prediction" not in doc["passes"][0]


@pytest.mark.parametrize("mutate, where", [
    (lambda d: d["gold"]["entities"][0].update(label="PERSONS"), "label"),
    (lambda d: d["gold"]["quotes"][0].update(kind="QUOTED"), "kind"),
    (lambda d: d["gold"]["events"][0].update(realis="MAYBE"), "realis"),
    (lambda d: d["gold"]["events"][0]["arguments"][0].update(role="PATIENT"), "role"),
    (lambda d: d["passes"][0].update(annotator="jane.doe@example.org"), "annotator"),
    (lambda d: d["passes"][0].update(from_prediction=""), "from_prediction"),
    (lambda d: d["gold"]["entities"][0].update(start=-1), "start"),
    (lambda d: d.update(status={"entities": "finished"}), "status"),
    (lambda d: d.update(extra=1), "extra"),
])
def test_json_schema_rejects_bad_files(tax, mutate, where):
    doc = _sample_annotations(tax).to_dict()
    mutate(doc)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, annotations_json_schema(tax))


def test_committed_annotation_files_match_the_schema(tax):
    schema = annotations_json_schema(tax)
    for path in sorted((ROOT / "annotations").glob("*.json")):
        jsonschema.validate(json.loads(path.read_text()), schema)


# ------------------------------------------------------------------ examples come from the seeds
def _normalise(s: str) -> str:
    return (s.replace("\u2019", "'").replace("\u2018", "'")
            .replace("\u201c", '"').replace("\u201d", '"'))


def _corpus_texts() -> list[str]:
    clean = sorted((ROOT / "corpus" / "clean").glob("*.json"))
    if clean:
        texts = [_normalise(json.loads(p.read_text())["text"]) for p in clean]
    else:
        texts = [_normalise(p.read_text(errors="replace"))
                 for p in sorted((ROOT / "corpus" / "raw").glob("*")) if p.suffix != ".json"]
    assert texts, "no corpus texts to check the examples against"
    return texts


def test_every_example_occurs_in_the_corpus(tax):
    texts = _corpus_texts()
    missing = [f"{s}.{x.name}: {x.example!r}" for s, labels in tax.sections() for x in labels
               if not any(x.example in t for t in texts)]
    assert missing == []


def test_guideline_excerpts_are_quoted_from_the_corpus():
    """Every example sentence in the manual (a code span with spaces, 20+ characters) occurs in a
    corpus text; "..." marks an omission. Whitespace and curly quotes are normalised."""
    texts = [" ".join(t.split()) for t in _corpus_texts()]
    guide = (ROOT / "annotations" / "GUIDELINES.md").read_text()
    prose = guide[: guide.index(GUIDE_BEGIN)]
    excerpts = [m for m in re.findall(r"`([^`]*)`", prose) if len(m) >= 20 and " " in m]
    assert len(excerpts) >= 15
    missing = []
    for excerpt in excerpts:
        parts = [" ".join(_normalise(p).split()) for p in excerpt.split("...")]
        if not all(any(p in t for t in texts) for p in parts if p):
            missing.append(excerpt)
    assert missing == []


def test_cli_generate_and_check(tmp_repo: Repo):
    from click.testing import CliRunner

    from peacetalks.cli import cli

    runner = CliRunner()
    res = runner.invoke(cli, ["schema", "check"])
    assert res.exit_code == 1 and "stale: schema/generated/labeling_config.xml" in res.output
    res = runner.invoke(cli, ["schema", "generate"])
    assert res.exit_code == 0 and "wrote annotations/GUIDELINES.md" in res.output
    res = runner.invoke(cli, ["schema", "check"])
    assert res.exit_code == 0, res.output

    # A broken taxonomy is one clean error line, nothing written.
    before = (tmp_repo.generated_dir / "labeling_config.xml").read_text()
    tmp_repo.taxonomy_file.write_text(
        tmp_repo.taxonomy_file.read_text().replace("  PERSON:", "  PERSON<b>:", 1))
    res = runner.invoke(cli, ["schema", "generate"])
    assert res.exit_code == 1 and "invalid name" in res.output and "Traceback" not in res.output
    assert (tmp_repo.generated_dir / "labeling_config.xml").read_text() == before
    for command in (["schema", "--help"], ["schema", "generate", "--help"],
                    ["schema", "check", "--help"], ["schema", "diff", "--help"]):
        assert "Example:" in runner.invoke(cli, command).output


def test_guidelines_name_the_hotkeys_the_page_uses(tax):
    keys = assign_hotkeys(tax)
    guide = (ROOT / "annotations" / "GUIDELINES.md").read_text()
    n = len(tax.entity_labels)
    assert [keys[("entity", x)] for x in tax.entity_labels] == [str(i + 1) for i in range(n)]
    assert f"keys `1`–`{n}`" in guide
    assert f"`{tax.quote_label}` (key `{keys[('attribution', tax.quote_label)]}`)" in guide
    assert f"`{tax.cue_label}` (key `{keys[('attribution', tax.cue_label)]}`)" in guide
