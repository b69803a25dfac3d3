"""Generate every schema artifact from schema/taxonomy.yaml (the single source of truth).

Outputs (schema/generated/, committed, tested to be current by `peacetalks schema check`):
- labeling_config.xml      Label Studio labeling config (see labeling.py)
- annotations.schema.json  JSON Schema of annotations/<doc_id>.json (DocumentAnnotations.to_dict)
- features.json            datasets.Features of every release config (Features.to_dict)
- label_tables.md          label tables of the dataset card
and the label-table block of annotations/GUIDELINES.md (between the GUIDE_BEGIN/GUIDE_END
markers), so the manual a person reads and the page they label on cannot disagree.

Every generator is a pure function of the Taxonomy; markup is produced by serializers (XML tree,
json.dumps) or from PLAIN_TEXT strings that cannot contain Markdown/HTML syntax.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import SchemaError
from .features import CONFIG_NAMES, ner_tag_names, release_features
from .fsio import file_batch
from .labeling import labeling_config_xml
from .paths import Repo
from .taxonomy import Label, Taxonomy, load_taxonomy

HEADER = "generated from schema/taxonomy.yaml by `peacetalks schema generate`; do not edit"
GENERATED_FILES = (
    "labeling_config.xml",
    "annotations.schema.json",
    "features.json",
    "label_tables.md",
)
# The label tables are included into the annotation manual between these two lines.
GUIDE_BEGIN = "<!-- BEGIN label tables: " + HEADER + " -->"
GUIDE_END = "<!-- END label tables -->"

LAYER_NAMES = ("entities", "quotes", "events")
STATUS_VALUES = ("done", "pending")


# ---------------------------------------------------------------------------- JSON Schema
def _span_props() -> dict[str, Any]:
    offset = {"type": "integer", "minimum": 0}
    return {
        "id": {"type": "string", "minLength": 1},
        "start": offset,
        "end": offset,
        "text": {"type": "string"},
    }


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(props) if required is None else required,
        "properties": props,
    }


def _enum(names: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": list(names)}


def annotations_json_schema(tax: Taxonomy) -> dict[str, Any]:
    """JSON Schema (2020-12) of annotations/<doc_id>.json, as written by DocumentAnnotations.to_dict."""
    nullable_str = {"type": ["string", "null"]}
    cue = _obj(_span_props())
    cue["properties"]["id"] = nullable_str
    defs = {
        "entity": _obj({**_span_props(), "label": _enum(tax.entity_labels)}),
        "quote": _obj(
            {
                **_span_props(),
                "kind": _enum(tax.quote_kind_names),
                "speaker": {**nullable_str, "description": "id of the speaker's entity mention"},
                "cue": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/cue"}]},
            }
        ),
        "cue": cue,
        "argument": _obj(
            {"role": _enum(tax.role_names), "entity": {"type": "string", "minLength": 1}}
        ),
        "event": _obj(
            {
                **_span_props(),
                "type": _enum(tax.event_type_names),
                "realis": _enum(tax.realis_names),
                "arguments": {"type": "array", "items": {"$ref": "#/$defs/argument"}},
            }
        ),
    }
    item_def = {"entities": "entity", "quotes": "quote", "events": "event"}
    layers = {
        name: {"type": "array", "items": {"$ref": f"#/$defs/{item_def[name]}"}}
        for name in LAYER_NAMES
    }
    defs["layers"] = _obj(layers)
    pass_props = {
        # A pseudonym: an email address or a name with spaces must never be stored.
        "annotator": {"type": "string", "pattern": "^[^@\\s]+$"},
        "ls_annotation_id": {"type": "integer"},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
        "lead_time": {"type": ["number", "null"]},
        "ground_truth": {"type": "boolean"},
        # Present only when the pass started from a pre-annotation: its model_version.
        "from_prediction": {"type": "string", "minLength": 1},
        **layers,
    }
    defs["pass"] = _obj(pass_props, [k for k in pass_props if k != "from_prediction"])
    integer = {"type": "integer"}
    defs["repair"] = _obj(
        {
            "annotation_id": integer,
            "region_id": {"type": "string"},
            "reason": {"type": "string"},
            **{k: integer for k in ("old_start", "old_end", "new_start", "new_end")},
        }
    )
    root = _obj(
        {
            "doc_id": {"type": "string", "minLength": 1},
            "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "ls_task_id": {"type": ["integer", "null"]},
            "status": {
                "type": "object",
                "propertyNames": _enum(list(LAYER_NAMES)),
                "additionalProperties": _enum(list(STATUS_VALUES)),
            },
            "skipped": {"type": "integer", "minimum": 0},
            "gold_source": nullable_str,
            "gold": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/layers"}]},
            "passes": {"type": "array", "items": {"$ref": "#/$defs/pass"}},
            "repairs": {"type": "array", "items": {"$ref": "#/$defs/repair"}},
        },
        required=["doc_id", "text_sha256"],
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://peacetalks.invalid/schema/annotations.schema.json",
        "$comment": HEADER,
        "title": "peacetalks annotations/<doc_id>.json",
        "x-peacetalks-schema-version": tax.version,
        **root,
        "$defs": defs,
    }


# ---------------------------------------------------------------------------- features.json
def features_json(tax: Taxonomy) -> dict[str, Any]:
    feats = release_features(tax)
    return {
        "$comment": HEADER,
        "schema_version": tax.version,
        "configs": {name: feats[name].to_dict() for name in CONFIG_NAMES},
    }


# ---------------------------------------------------------------------------- label tables
def _code(name: str) -> str:
    return f"`{name}`"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _basic_rows(labels: tuple[Label, ...]) -> list[list[str]]:
    return [[_code(x.name), x.description, x.example] for x in labels]


def label_tables_md(tax: Taxonomy) -> str:
    """Markdown tables of every label group (for the dataset card and the guidelines)."""
    def codes(names) -> str:
        return ", ".join(_code(n) for n in names)

    parts = [f"<!-- {HEADER} -->", f"Label schema version {tax.version}."]
    parts += [
        "**Entity labels** (Label Studio group `entity`; `ner` config tags "
        + f"{_code(ner_tag_names(tax)[0])}, `B-`/`I-` + label)",
        _table(["label", "description", "example"], _basic_rows(tax.entities)),
        "**Attribution labels** (Label Studio group `attribution`)",
        _table(["label", "description", "example"], _basic_rows(tax.attribution_labels)),
        f"**Quote kinds** (per {_code(tax.quote_label)} region: choice `quote_kind`)",
        _table(["kind", "description", "example"], _basic_rows(tax.quote_kinds)),
        "**Event types** (Label Studio group `event`; the trigger is the span, the example shows "
        "it in context)",
        _table(
            ["type", "CAMEO", "description", "example"],
            [[_code(x.name), ", ".join(x.cameo), x.description, x.example] for x in tax.event_types],
        ),
        "**Realis** (per event region: choice `realis`)",
        _table(["realis", "description", "example"], _basic_rows(tax.realis)),
        "**Event argument roles** (relation from the event trigger to an entity mention)",
        _table(
            ["role", "relation", "allowed entity labels", "description", "example"],
            [
                [_code(x.name), _code(tax.role_relation(x.name)), codes(x.allowed), x.description,
                 x.example]
                for x in tax.event_roles
            ],
        ),
        "**Quote relations** (drawn from the quote region to the other region)",
        _table(
            ["relation", "from", "to", "description", "example"],
            [
                [_code(x.name), codes(x.source), codes(x.allowed), x.description, x.example]
                for x in tax.relations
            ],
        ),
    ]
    return "\n\n".join(parts) + "\n"


def guidelines_with_tables(current: str, tables: str, where: str) -> str:
    """The guidelines text with the block between GUIDE_BEGIN and GUIDE_END replaced."""
    begin, end = current.find(GUIDE_BEGIN), current.find(GUIDE_END)
    if begin < 0 or end < begin:
        raise SchemaError(f"{where}: the markers {GUIDE_BEGIN!r} and {GUIDE_END!r} are missing")
    body = tables.split("\n", 1)[1].strip()  # without the tables' own header comment
    return current[: begin + len(GUIDE_BEGIN)] + "\n\n" + body + "\n\n" + current[end:]


# ---------------------------------------------------------------------------- files
def _dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def generate_artifacts(tax: Taxonomy) -> dict[str, str]:
    """Contents of the schema/generated/ files, by file name."""
    return {
        "labeling_config.xml": labeling_config_xml(tax, header=HEADER),
        "annotations.schema.json": _dump_json(annotations_json_schema(tax)),
        "features.json": _dump_json(features_json(tax)),
        "label_tables.md": label_tables_md(tax),
    }


def generate_all(repo: Repo) -> dict[Path, str]:
    """Every generated file (absolute path → content), including the guidelines' table block."""
    tax = load_taxonomy(repo.taxonomy_file)
    arts = generate_artifacts(tax)
    out = {repo.generated_dir / name: content for name, content in arts.items()}
    if repo.guidelines.is_file():
        current = repo.guidelines.read_text(encoding="utf-8")
        out[repo.guidelines] = guidelines_with_tables(
            current, arts["label_tables.md"], str(repo.guidelines)
        )
    return out


def unexpected_files(repo: Repo) -> list[Path]:
    if not repo.generated_dir.is_dir():
        return []
    return sorted(p for p in repo.generated_dir.iterdir() if p.name not in GENERATED_FILES)


def check_current(repo: Repo) -> list[Path]:
    """Generated files that are missing or differ from what the taxonomy generates now, plus
    unknown files in schema/generated/ (they would pose as generated)."""
    stale = []
    for path, content in generate_all(repo).items():
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != content:
            stale.append(path)
    return stale + unexpected_files(repo)


def write_all(repo: Repo) -> list[Path]:
    """Write every generated file that changed, all together or none; returns the changed paths.
    Unknown files in schema/generated/ are reported by `check_current`, never deleted here."""
    files = generate_all(repo)
    changed = [p for p in check_current(repo) if p in files]
    with file_batch() as batch:
        for path in changed:
            batch.write_bytes(path, files[path].encode("utf-8"))
    return changed


__all__ = [
    "GENERATED_FILES",
    "HEADER",
    "annotations_json_schema",
    "check_current",
    "features_json",
    "generate_all",
    "generate_artifacts",
    "label_tables_md",
    "labeling_config_xml",
    "write_all",
]
