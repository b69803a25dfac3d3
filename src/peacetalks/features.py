"""`datasets.Features` of every release config, derived from the taxonomy.

This is the contract between the release builder, validation and dataset users (see the brief's
"Release configs"). Label columns are `ClassLabel`s whose names come from schema/taxonomy.yaml in
schema order, so class ids are stable as long as labels are only ever appended.

Lists of structs are `datasets.List({...})`: the older `Sequence({...})` over a dict means a
struct of lists on the Hub and fails to cast (notes/datasets-and-gx.md).
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from .taxonomy import Taxonomy

# Config names in the order they appear in the card; the first one is the default.
CONFIG_NAMES = ("documents", "entities", "quotes", "events", "ner", "annotator_passes")
DEFAULT_CONFIG = CONFIG_NAMES[0]
SPLITS = ("train", "validation", "test")
OUTSIDE_TAG = "O"

_OFFSET = "int32"


def ner_tag_names(tax: Taxonomy) -> list[str]:
    """IOB2 tag names in taxonomy order: O, B-<first>, I-<first>, B-<second>, ..."""
    names = [OUTSIDE_TAG]
    for label in tax.entity_labels:
        names += [f"B-{label}", f"I-{label}"]
    return names


def entity_fields(tax: Taxonomy) -> dict:
    return {
        "id": Value("string"),
        "start": Value(_OFFSET),
        "end": Value(_OFFSET),
        "text": Value("string"),
        "label": ClassLabel(names=tax.entity_labels),
    }


def quote_fields(tax: Taxonomy) -> dict:
    return {
        "id": Value("string"),
        "start": Value(_OFFSET),
        "end": Value(_OFFSET),
        "text": Value("string"),
        "kind": ClassLabel(names=tax.quote_kind_names),
        "speaker_id": Value("string"),  # entity id; null when no speaker was linked
        "speaker": Value("string"),  # the speaker mention's surface text; null likewise
        "cue_start": Value(_OFFSET),
        "cue_end": Value(_OFFSET),
        "cue": Value("string"),
    }


def argument_fields(tax: Taxonomy) -> dict:
    return {
        "role": ClassLabel(names=tax.role_names),
        "entity_id": Value("string"),
        "text": Value("string"),  # the argument mention's surface text
    }


def event_fields(tax: Taxonomy) -> dict:
    return {
        "id": Value("string"),
        "start": Value(_OFFSET),
        "end": Value(_OFFSET),
        "text": Value("string"),
        "type": ClassLabel(names=tax.event_type_names),
        "cameo": List(Value("string")),
        "realis": ClassLabel(names=tax.realis_names),
        "arguments": List(argument_fields(tax)),
    }


def layer_fields(tax: Taxonomy) -> dict:
    """entities/quotes/events nested as in `documents` and `annotator_passes`."""
    return {
        "entities": List(entity_fields(tax)),
        "quotes": List(quote_fields(tax)),
        "events": List(event_fields(tax)),
    }


def document_fields() -> dict:
    return {
        "doc_id": Value("string"),
        "title": Value("string"),
        "text": Value("string"),
        "date": Value("string"),  # ISO date or null
        "dateline": Value("string"),
        "publisher": Value("string"),
        "url": Value("string"),
        "language": Value("string"),
        "cluster_id": Value("string"),
        "text_sha256": Value("string"),
        "raw_sha256": Value("string"),
        "cleaner_version": Value("string"),
        "gold_source": Value("string"),  # null when the document has no gold layer yet
    }


def release_features(tax: Taxonomy) -> dict[str, Features]:
    """Features of every release config, keyed by config name (in CONFIG_NAMES order)."""
    doc_id = {"doc_id": Value("string")}
    return {
        "documents": Features({**document_fields(), **layer_fields(tax)}),
        "entities": Features({**doc_id, **entity_fields(tax)}),
        "quotes": Features({**doc_id, **quote_fields(tax)}),
        "events": Features({**doc_id, **event_fields(tax)}),
        "ner": Features(
            {
                "id": Value("string"),
                **doc_id,
                "tokens": List(Value("string")),
                "ner_tags": List(ClassLabel(names=ner_tag_names(tax))),
            }
        ),
        "annotator_passes": Features(
            {
                **doc_id,
                "annotator": Value("string"),  # pseudonym, never a name or an email
                "ls_annotation_id": Value("int64"),
                "created_at": Value("string"),
                "updated_at": Value("string"),
                "lead_time": Value("float64"),
                "ground_truth": Value("bool"),
                # model_version of the pre-annotation the pass started from; null if none
                "from_prediction": Value("string"),
                **layer_fields(tax),
            }
        ),
    }


__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_CONFIG",
    "OUTSIDE_TAG",
    "SPLITS",
    "argument_fields",
    "document_fields",
    "entity_fields",
    "event_fields",
    "layer_fields",
    "ner_tag_names",
    "quote_fields",
    "release_features",
]
